# Makes test/ a regular package so that "python3 -m unittest test/fake_api/test_fake_github.py"
# imports this tree rather than the standard library's "test" package.
