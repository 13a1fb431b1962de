#!/usr/bin/env bash
# make_git_repo.sh DIR: a small git history with every case `git log --numstat` distinguishes:
# a root commit with several files, text edits, a binary file, a rename (delete + add with
# --no-renames), a pure mode change, a deletion, an empty commit, a merge, non-ASCII names.
set -euo pipefail
dir=$1
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
export GIT_AUTHOR_NAME="Ada Lovelace" GIT_AUTHOR_EMAIL="ada@example.org"
export GIT_COMMITTER_NAME="Ada Lovelace" GIT_COMMITTER_EMAIL="ada@example.org"
export GIT_AUTHOR_DATE="2024-01-02T10:00:00+02:00" GIT_COMMITTER_DATE="2024-01-02T10:00:00+02:00"
git init -q -b main .
printf 'one\ntwo\nthree\n' >a.txt
printf 'alpha\n' >b.txt
mkdir -p src && printf 'int main() { return 0; }\n' >src/main.c
git add -A && git commit -q -m "Root commit with three files"
printf 'one\n2\nthree\nfour\n' >a.txt
printf '\x00\x01\x02binary\n' >blob.bin
git add -A && git commit -q -m "Edit a.txt, add a binary file" -m "Second paragraph of the message."
git mv b.txt renamed.txt && git commit -q -m "Rename b.txt"
chmod +x src/main.c && git add -A && git commit -q -m "Make main.c executable"
git checkout -q -b feature
printf 'feature line\n' >>a.txt
GIT_AUTHOR_NAME="Zoë Ñandú" GIT_AUTHOR_EMAIL="12345+zoe@users.noreply.github.com" \
    git commit -q -am "Feature work by a non-ASCII author"
git checkout -q main
printf 'main side\n' >c.txt && git add c.txt && git commit -q -m "Add c.txt on main"
git merge -q --no-ff feature -m "Merge branch feature"
git rm -q renamed.txt && git commit -q -m "Delete renamed.txt"
git commit -q --allow-empty -m "An empty commit"
printf 'ünïcode\n' >"ファイル.txt" && git add -A && git commit -q -m "Non-ASCII file name"
git log --oneline | wc -l
