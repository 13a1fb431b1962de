#!/bin/sh
# Builds source repositories for the facade unit tests with the git CLI.
#   make_test_repo.sh fixture DIR   history covering what `git log --numstat` distinguishes;
#                                   default branch "trunk", branch "side", tags
#   make_test_repo.sh bulk DIR N    one commit of N files of 4 KiB random bytes (a big pack)
set -eu

# Fixtures must not depend on the user's or the system's git configuration.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

as_ada() {
    export GIT_AUTHOR_NAME='Ada Lovelace' GIT_AUTHOR_EMAIL=ada@example.com
    export GIT_COMMITTER_NAME='Ada Lovelace' GIT_COMMITTER_EMAIL=ada@example.com
    author_tz=+0000 committer_tz=+0000
}

clock=1600000000
# Each commit is an hour after the previous one, so every date is distinct and known.
commit() {
    clock=$((clock + 3600))
    GIT_AUTHOR_DATE="$clock $author_tz" GIT_COMMITTER_DATE="$((clock + 60)) $committer_tz" \
        git commit -q "$@"
}

# Lines of 80 bytes (79 digits and a newline), then $2 bytes of 'x', then a NUL.
nul_after() {
    awk -v lines="$1" -v pad="$2" 'BEGIN {
        for (i = 0; i < lines; i++) printf "%079d\n", i
        for (i = 0; i < pad; i++) printf "x"
    }'
    printf '\000tail\n'
}

fixture() {
    git init -q -b trunk "$1"
    cd "$1"
    as_ada

    # Root commit with several files, including an empty one and names that test tree order.
    printf 'line one\nline two\nline three\n' >README.md
    mkdir -p src docs
    seq 1 10 | sed 's/^/int x/' >src/main.c
    printf 'alpha\nbeta\n' >docs/a.txt
    : >empty.txt
    printf 'old\n' >src-old
    printf 'dot\n' >src.txt
    git add -A
    commit -m 'Root commit with several files'

    # Text edits, a binary file, a non-ASCII author, distinct committer and time zones.
    printf 'line one\nline 2\nline three\nline four\n' >README.md
    printf 'PNG\000\001\002binary\n' >logo.bin
    git add -A
    export GIT_AUTHOR_NAME='José Müller' GIT_AUTHOR_EMAIL=jose@example.org
    export GIT_COMMITTER_NAME='Committer Bot' GIT_COMMITTER_EMAIL=bot@example.net
    author_tz=+0530 committer_tz=-0700
    commit -F - <<'MSG'
Binary and text edits

A message of several lines:
- the README changes
- logo.bin is binary
MSG
    as_ada

    # Git's 8000-byte rule: a NUL at offset 7999 is binary, at 8000 or later it is text.
    nul_after 99 79 >nul_at_7999.txt
    nul_after 99 80 >nul_at_8000.txt
    nul_after 100 4 >late_nul.txt
    printf 'PNG\000\003changed\n' >logo.bin
    git add -A
    commit -m 'NUL bytes near the 8000-byte limit'
    git tag v1.0

    commit --allow-empty -m 'An empty commit'

    git checkout -q -b side
    printf 'alpha\nbeta\ngamma\n' >docs/a.txt
    printf 'side\n' >side.txt
    git add -A
    commit -m 'Work on the side branch'
    git checkout -q trunk
    seq 1 12 | sed 's/^/int x/' >src/main.c
    git add -A
    commit -m 'Work on trunk'
    GIT_AUTHOR_DATE="$clock +0000" GIT_COMMITTER_DATE="$clock +0000" \
        git merge -q --no-ff side -m 'Merge branch side' >/dev/null

    git branch o1
    git branch o2
    git checkout -q o1
    printf 'one\n' >octo1.txt
    git add -A
    commit -m 'Octopus part one'
    git checkout -q o2
    printf 'two\n' >octo2.txt
    git add -A
    commit -m 'Octopus part two'
    git checkout -q trunk
    clock=$((clock + 3600))
    GIT_AUTHOR_DATE="$clock +0000" GIT_COMMITTER_DATE="$clock +0000" \
        git merge -q --no-ff o1 o2 -m 'Octopus merge' >/dev/null
    git branch -q -D o1 o2

    git mv docs/a.txt docs/b.txt
    commit -m 'Rename docs/a.txt to docs/b.txt'

    chmod +x src/main.c
    git add -A
    commit -m 'Make main.c executable'

    git rm -q empty.txt side.txt
    commit -m 'Delete two files'

    mkdir -p données
    printf 'bonjour\n' >'données/résumé ü.txt'
    git add -A
    commit -m 'Non-ASCII file name'

    ln -s README.md link
    rm docs/b.txt
    ln -s ../README.md docs/b.txt
    printf 'a note\n' >notes
    git add -A
    commit -m 'Symlinks and a type change'

    rm notes
    mkdir notes
    printf 'inner\n' >notes/inner.txt
    printf 'a\r\nb\r\n' >crlf.txt
    printf 'no newline' >nonl.txt
    chmod +x logo.bin
    git add -A
    commit -m 'File replaced by a directory, CRLF, no final newline, binary chmod'

    printf 'no newline\nmore' >nonl.txt
    printf 'now text\n' >logo.bin
    seq 1 2000 >numbers.txt
    git add -A
    commit -m 'Binary to text and a long file'

    seq 1 2000 | sed -e '5d' -e '100s/$/ changed/' -e '1500i inserted' -e '1990,1995d' >numbers.txt
    git add -A
    commit --cleanup=verbatim -F - <<'MSG'


Leading blank lines and trailing spaces   
kept verbatim
MSG

    # Submodule entries; the empty directory keeps `git add -A` from dropping them.
    mkdir -p vendor/lib
    git update-index --add --cacheinfo 160000,1111111111111111111111111111111111111111,vendor/lib
    commit -m 'Add a submodule entry'
    git update-index --cacheinfo 160000,2222222222222222222222222222222222222222,vendor/lib
    commit -m 'Move the submodule entry'
    git tag -a v2.0 -m 'Release 2.0'

    # Idents git itself would not write (a trailing '.', extra spaces), as old tools did.
    crafted=$(printf '%s\n' "tree $(git rev-parse 'HEAD^{tree}')" "parent $(git rev-parse HEAD)" \
        'author Xavier L.  <x@example.com> 1700000000 -0300' \
        'committer  Spaced Out.. <s@example.com>  1700000100 +1400' '' 'Hand-made idents' |
        git hash-object -t commit -w --stdin)
    git update-ref refs/heads/trunk "$crafted"
}

bulk() {
    git init -q -b main "$1"
    cd "$1"
    as_ada
    i=0
    while [ "$i" -lt "$2" ]; do
        head -c 4096 /dev/urandom >"f$i.bin"
        i=$((i + 1))
    done
    git add -A
    commit -m 'Bulk random files'
}

case "${1:-}" in
    fixture) fixture "$2" ;;
    bulk) bulk "$2" "$3" ;;
    *)
        echo "usage: $0 fixture DIR | bulk DIR N" >&2
        exit 2
        ;;
esac
