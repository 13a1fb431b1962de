#!/usr/bin/env python3
"""Expected row counts of one repository, computed from the dataset files alone.

Usage: expected_counts.py PREFIX OWNER/REPO DATASET_DIR [DATASET_DIR ...]
Prints SQL that loads avx_test.expected with keys PREFIX.<name>. Later dataset directories
overlay earlier ones file by file, as the API fake serves them. The rules are the ones of
REFERENCE.md (an issue-list item is a pull request when its pull_request object has a URL),
written here independently of the extension's SQL.
"""
import json
import os
import sys


def load(dirs, owner_repo, name):
    for d in reversed(dirs):
        path = os.path.join(d, "github", "repos", owner_repo, name)
        if os.path.exists(path):
            with open(path, "rb") as f:
                # invalid UTF-8 in a fixture is replaced, as the extension does
                return json.loads(f.read().decode("utf-8", errors="replace"))
    return None


def is_pr(item):
    pr = item.get("pull_request")
    return isinstance(pr, dict) and (pr.get("url") is not None or pr.get("html_url") is not None)


def users_of(obj):
    found = []
    for key in ("user", "assignee", "closed_by", "merged_by", "author"):
        u = obj.get(key)
        if isinstance(u, dict) and u.get("id") is not None and "login" in u:
            found.append(u["id"])
    for key in ("assignees", "requested_reviewers"):
        for u in obj.get(key) or []:
            if isinstance(u, dict) and u.get("id") is not None and "login" in u:
                found.append(u["id"])
    return found


def assignee_ids(item):
    if isinstance(item.get("assignees"), list):
        return {a["id"] for a in item["assignees"] if isinstance(a, dict) and "id" in a}
    a = item.get("assignee")
    return {a["id"]} if isinstance(a, dict) and "id" in a else set()


def newest_by(items, key):
    best = {}
    for it in items:
        k = it[key]
        if k not in best or (it.get("updated_at") or "") >= (best[k].get("updated_at") or ""):
            best[k] = it
    return best


def main():
    prefix, owner_repo, dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
    repo = load(dirs, owner_repo, "repo.json") or {}
    issue_list = load(dirs, owner_repo, "issues.json") or []
    pulls = load(dirs, owner_repo, "pulls.json") or []
    comments = load(dirs, owner_repo, "issues_comments.json") or []
    releases = load(dirs, owner_repo, "releases.json") or []
    contributors = load(dirs, owner_repo, "contributors.json") or []

    issues = newest_by([i for i in issue_list if not is_pr(i)], "number")
    pr_items = newest_by([i for i in issue_list if is_pr(i)], "number")
    pulls_by_number = newest_by(pulls, "number")
    pr_numbers = set(pr_items) | set(pulls_by_number)

    def pr_current(n):
        a, b = pr_items.get(n), pulls_by_number.get(n)
        if a and b:
            return b if (b.get("updated_at") or "") >= (a.get("updated_at") or "") else a
        return a or b

    users = set()
    for obj in issue_list + pulls + comments + releases:
        users.update(users_of(obj))
    users.update(c["id"] for c in contributors if c.get("id") is not None)
    if isinstance(repo.get("owner"), dict) and repo["owner"].get("id") is not None:
        users.add(repo["owner"]["id"])

    def label_names(item):
        return {l["name"] for l in item.get("labels") or [] if l.get("name") is not None}

    comment_ids = {c["id"] for c in comments}
    numbers = {}
    for c in {c["id"]: c for c in comments}.values():
        numbers[c["id"]] = int(c["issue_url"].rstrip("/").rsplit("/", 1)[1])

    counts = {
        "issues": len(issues),
        "issues_open": sum(1 for i in issues.values() if i.get("state") == "open"),
        "pull_requests": len(pr_numbers),
        "pull_requests_open": sum(1 for n in pr_numbers if pr_current(n).get("state") == "open"),
        "issue_labels": sum(len(label_names(i)) for i in issues.values()),
        "pr_labels": sum(len(label_names(pr_current(n))) for n in pr_numbers),
        "issue_assignees": sum(len(assignee_ids(i)) for i in issues.values()),
        "issues_with_assignee": sum(1 for i in issues.values() if assignee_ids(i)),
        "pr_assignees": sum(len(assignee_ids(pr_current(n))) for n in pr_numbers),
        "prs_with_assignee": sum(1 for n in pr_numbers if assignee_ids(pr_current(n))),
        "contributors": len(users),
        "messages": len(comment_ids),
        "issue_messages": sum(1 for n in numbers.values() if n in issues),
        "pr_messages": sum(1 for n in numbers.values() if n in pr_numbers),
        "releases": len({r["id"] for r in releases}),
        "issues_null_reporter": sum(1 for i in issues.values() if i.get("user") is None),
        "repo_id": repo.get("id", -1),
        "repo_stars": repo.get("stargazers_count", repo.get("watchers", -1)),
        "repo_forks": repo.get("forks_count", repo.get("forks", -1)),
    }
    print("DELETE FROM avx_test.expected WHERE key LIKE '%s.%%';" % prefix)
    for k, v in counts.items():
        print("INSERT INTO avx_test.expected VALUES ('%s.%s', %d);" % (prefix, k, v))


if __name__ == "__main__":
    main()
