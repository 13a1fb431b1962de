#!/usr/bin/env python3
"""Writes a git fast-import stream: N commits on main, each changing three of 40 files,
with a merge of a short side branch every 50 commits. Deterministic."""
import random
import sys

n = int(sys.argv[1])
rng = random.Random(42)
files = {"src/file%02d.txt" % i: ["line %d" % j for j in range(50)] for i in range(40)}
mark = 0
out = sys.stdout


def blob(text):
    global mark
    mark += 1
    data = text.encode()
    out.write("blob\nmark :%d\ndata %d\n" % (mark, len(data)))
    out.write(text + "\n")
    return mark


def commit(branch, message, changes, parents, t):
    global mark
    mark += 1
    out.write("commit refs/heads/%s\nmark :%d\n" % (branch, mark))
    out.write("author Bench <bench@example.org> %d +0000\n" % t)
    out.write("committer Bench <bench@example.org> %d +0000\n" % t)
    msg = message.encode()
    out.write("data %d\n%s\n" % (len(msg), message))
    if parents:
        out.write("from :%d\n" % parents[0])
        for p in parents[1:]:
            out.write("merge :%d\n" % p)
    for path, m in changes:
        out.write("M 100644 :%d %s\n" % (m, path))
    out.write("\n")
    return mark


def change(path):
    lines = files[path]
    for _ in range(rng.randint(1, 6)):
        k = rng.randrange(len(lines))
        if rng.random() < 0.5:
            lines[k] = "changed %d" % rng.randrange(10 ** 6)
        else:
            lines.insert(k, "added %d" % rng.randrange(10 ** 6))
    return path, blob("\n".join(lines))


t = 1_600_000_000
head = commit("main", "root", [(p, blob("\n".join(l))) for p, l in files.items()], [], t)
i = 1
while i < n:
    t += 60
    if i % 50 == 0:
        side = commit("side", "side %d" % i, [change(rng.choice(list(files)))], [head], t)
        t += 60
        head = commit("main", "merge %d" % i, [], [head, side], t)
        i += 2
        continue
    head = commit("main", "commit %d" % i, [change(p) for p in rng.sample(list(files), 3)], [head], t)
    i += 1
