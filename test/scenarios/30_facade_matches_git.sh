#!/usr/bin/env bash
# The facade's rows against `git log --numstat --no-renames` of the same mirror, run here:
# the synthetic history (binary file, rename, mode change, merge, empty commit, non-ASCII)
# and this project's own repository (openFrameworks' URL is rewritten to it).
source "$AVX_TOP/test/lib/cluster.sh"
source "$AVX_TOP/test/lib/tap.sh"
source "$AVX_TOP/test/lib/env.sh"
avx_reset_db
avx_make_mirrors  # fresh sources: this test adds a commit to one

# load_git_truth PREFIX MIRROR: git's own view into avx_test.git_files / git_commits.
load_git_truth() {
    local prefix=$1 mirror=$2 branch
    branch=$(avx_git -C "$mirror" symbolic-ref --short HEAD)
    avx_git -C "$mirror" -c core.quotepath=off log --numstat --no-renames \
        --format='@@%H%x09%P%x09%an%x09%ae%x09%at%x09%cn%x09%ce%x09%ct' "$branch" |
        python3 -c '
import sys
prefix = sys.argv[1]
def q(s): return "E'"'"'" + s.replace("\\", "\\\\").replace("'"'"'", "\\'"'"'") + "'"'"'"
cur, files = None, {}
out = []
def flush():
    if cur is None: return
    h, parents, an, ae, at, cn, ce, ct = cur
    out.append("INSERT INTO avx_test.git_commits VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s);" % (
        q(prefix), q(h), q(parents), q(an), q(ae), at, q(cn), q(ce), ct))
    if not files:
        out.append("INSERT INTO avx_test.git_files VALUES (%s,%s,%s,0,0);" % (q(prefix), q(h), q("(no files)")))
    for path, (a, r) in files.items():
        out.append("INSERT INTO avx_test.git_files VALUES (%s,%s,%s,%s,%s);" % (
            q(prefix), q(h), q(path), "NULL" if a == "-" else a, "NULL" if r == "-" else r))
for line in sys.stdin.read().split("\n"):
    if line.startswith("@@"):
        flush()
        cur, files = line[2:].split("\t"), {}
    elif line.strip():
        a, r, path = line.split("\t", 2)
        files[path] = (a, r)
flush()
print("\n".join(out))
' "$prefix" | avx_psql "$AVX_DB" >/dev/null
}

avx_psql "$AVX_DB" >/dev/null <<'SQL'
CREATE TABLE avx_test.git_commits (prefix text, hash text, parents text, author_name text,
    author_email text, author_epoch bigint, committer_name text, committer_email text,
    committer_epoch bigint);
CREATE TABLE avx_test.git_files (prefix text, hash text, path text, added int, removed int);
SQL
load_git_truth full "$AVX_WORK/mirrors/aveloxis-test/full.git"
load_git_truth self "$AVX_WORK/mirrors/openframeworks/openFrameworks.git"
check_ge "git truth loaded for the synthetic history" 10 \
    "$(avx_value "$AVX_DB" "SELECT count(*) FROM avx_test.git_commits WHERE prefix = 'full'")"

if [ -d "$AVX_FIXTURES/github/repos/openframeworks" ]; then
    avx_value "$AVX_DB" "SELECT aveloxis.add_repo('https://github.com/openframeworks/openFrameworks')" >/dev/null
fi
avx_value "$AVX_DB" "SELECT aveloxis.add_repo('https://github.com/aveloxis-test/full')" >/dev/null
avx_run_pgtap "$AVX_TOP/test/pgtap/facade_matches_git.sql"

# A second run fetches instead of cloning and adds only what is new: one more commit in the
# source, then the repo is prioritised.
src=$AVX_WORK/src-full
(cd "$src" && printf 'later\n' >>a.txt && git -c user.name=Later -c user.email=later@example.org \
    commit -q -am "A commit after the first collection") &&
    bare_copy "$src" "$AVX_WORK/mirrors/aveloxis-test/full.git"
rows_before=$(avx_value "$AVX_DB" "SELECT count(*) FROM aveloxis_data.commit_messages m JOIN aveloxis_data.repos r USING (repo_id) WHERE r.repo_name = 'full'")
avx_value "$AVX_DB" "SELECT aveloxis.prioritize('https://github.com/aveloxis-test/full')" >/dev/null
commits_now() { [ "$(avx_value "$AVX_DB" "SELECT count(*) FROM aveloxis_data.commit_messages m JOIN aveloxis_data.repos r USING (repo_id) WHERE r.repo_name = 'full'")" -gt "$rows_before" ]; }
wait_for 60 commits_now
check_eq "a fetch on the next run adds exactly the new commit" \
    "$(avx_git -C "$AVX_WORK/mirrors/aveloxis-test/full.git" rev-list --count main)" \
    "$(avx_value "$AVX_DB" "SELECT count(*) FROM aveloxis_data.commit_messages m JOIN aveloxis_data.repos r USING (repo_id) WHERE r.repo_name = 'full'")"
check_eq "the new commit's file row matches git" "1 0" \
    "$(avx_value "$AVX_DB" "SELECT cmt_added || ' ' || cmt_removed FROM aveloxis_data.commits c JOIN aveloxis_data.commit_messages m ON m.cmt_hash = c.cmt_commit_hash AND m.repo_id = c.repo_id WHERE m.cmt_msg LIKE 'A commit after%'")"
