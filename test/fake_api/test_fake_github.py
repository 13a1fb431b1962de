"""Self-test of test/fake_api/fake_github.py (standard library only).

    python3 -m unittest test/fake_api/test_fake_github.py -v

The tests against the recorded dataset (/work/shared/fixtures/recorded, or $AVELOXIS_RECORDED)
are skipped when it is missing; the others use test/fixtures/synthetic and temporary datasets.
"""

import http.client
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
FAKE = os.path.join(HERE, "fake_github.py")
SYNTHETIC = os.path.normpath(os.path.join(HERE, "..", "fixtures", "synthetic"))
RECORDED = os.environ.get("AVELOXIS_RECORDED", "/work/shared/fixtures/recorded")
HAVE_RECORDED = os.path.isdir(os.path.join(RECORDED, "github", "repos"))
OF_ISSUES = os.path.join(RECORDED, "github/repos/openframeworks/openFrameworks/issues.json")

DEFAULTS = {
    "rate_limit": 5000, "rate_reset_seconds": 2, "page_size_cap": 100, "fail_5xx": 0, "fail_5xx_path_re": None,
    "secondary_limit": 0, "slow_ms": 0, "slow_path_re": None, "malformed_path_re": None, "require_token": False,
}


def parse_ts(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


class FakeServer:
    def __init__(self, datasets, *extra):
        self.tmp = tempfile.mkdtemp(prefix="fake_github_test_")
        self.port_file = os.path.join(self.tmp, "port")
        self.log_file = os.path.join(self.tmp, "log.jsonl")
        cmd = [sys.executable, FAKE]
        for d in datasets:
            cmd += ["--dataset", d]
        cmd += ["--host", "127.0.0.1", "--port", "0", "--port-file", self.port_file, "--log", self.log_file]
        cmd += list(extra)
        self.stderr = open(os.path.join(self.tmp, "stderr"), "w+")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self.stderr)
        deadline = time.time() + 20
        while not os.path.exists(self.port_file):
            if self.proc.poll() is not None or time.time() > deadline:
                self.stderr.seek(0)
                raise RuntimeError("fake did not start: " + self.stderr.read())
            time.sleep(0.05)
        with open(self.port_file) as f:
            self.port = int(f.read())
        self.base = "http://127.0.0.1:%d" % self.port

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.stderr.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def request(self, path, token=None, method="GET", body=None, headers=None):
        """Returns (status, headers with lower-case names, body bytes); never follows redirects."""
        if path.startswith("http://"):
            path = path[len(self.base):]
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        h = dict(headers or {})
        if token is not None:
            h["Authorization"] = "token " + token
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        raw = r.read()
        hdrs = {k.lower(): v for k, v in r.getheaders()}
        conn.close()
        return r.status, hdrs, raw

    def get_json(self, path, token=None, headers=None):
        st, h, raw = self.request(path, token, headers=headers)
        return st, h, (json.loads(raw) if raw else None)

    def config(self, **kw):
        st, _, raw = self.request("/_fake/config", method="POST", body=kw)
        if st != 200:
            raise AssertionError("config failed: %s %s" % (st, raw))
        return json.loads(raw)

    def log(self):
        return json.loads(self.request("/_fake/log")[2])

    def reset_log(self):
        self.request("/_fake/reset-log", method="POST", body={})


def put(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f)


def links(header):
    out = {}
    for part in (header or "").split(","):
        m = re.match(r'\s*<([^>]*)>;\s*rel="([^"]+)"', part)
        if m:
            out[m.group(2)] = m.group(1)
    return out


def page_of(url):
    m = re.search(r"[?&]page=(\d+)", url)
    return int(m.group(1)) if m else None


def walk(server, path, token):
    """Follow rel=next; returns (all items, number of pages, first response headers)."""
    items, pages, first = [], 0, None
    url = path
    while url:
        st, h, data = server.get_json(url, token)
        if st != 200:
            raise AssertionError("%s -> %s %r" % (url, st, data))
        first = first or h
        items.extend(data)
        pages += 1
        url = links(h.get("link")).get("next")
        if pages > 1000:
            raise AssertionError("pagination does not end")
    return items, pages, first


# ---------------------------------------------------------------------------------------------


@unittest.skipUnless(HAVE_RECORDED, "recorded fixtures not found at %s (set AVELOXIS_RECORDED)" % RECORDED)
class RecordedDatasetTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = FakeServer([RECORDED], "--rate-reset-seconds", "2")
        with open(OF_ISSUES, encoding="utf-8") as f:
            cls.of = json.load(f)
        cls.n = 0

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()

    def setUp(self):
        self.s.config(**DEFAULTS)
        self.s.reset_log()
        type(self).n += 1
        self.token = "tok-%s-%d" % (self._testMethodName, self.n)

    OF = "/repos/openframeworks/openFrameworks/issues"

    def test_issue_list_state_all_paginates_to_file_count(self):
        total = len(self.of)
        per_page = 100
        pages_expected = math.ceil(total / per_page)
        items, pages, first = walk(self.s, self.OF + "?state=all&per_page=100", self.token)
        self.assertEqual(len(items), total)
        self.assertEqual(pages, pages_expected)
        self.assertEqual({i["id"] for i in items}, {i["id"] for i in self.of})
        l1 = links(first["link"])
        self.assertEqual(set(l1), {"next", "last"})
        self.assertEqual(l1["next"], "%s%s?state=all&per_page=100&page=2" % (self.s.base, self.OF))
        self.assertEqual(l1["last"], "%s%s?state=all&per_page=100&page=%d" % (self.s.base, self.OF, pages_expected))
        # default order: created desc (stable)
        created = [parse_ts(i["created_at"]) for i in items]
        self.assertEqual(created, sorted(created, reverse=True))
        # a middle page has all four relations, the last page no next/last
        _, h, _ = self.s.get_json(self.OF + "?state=all&per_page=100&page=2", self.token)
        l2 = links(h["link"])
        self.assertEqual(set(l2), {"prev", "next", "last", "first"})
        self.assertEqual((page_of(l2["prev"]), page_of(l2["next"]), page_of(l2["first"])), (1, 3, 1))
        _, h, data = self.s.get_json(self.OF + "?state=all&per_page=100&page=%d" % pages_expected, self.token)
        self.assertEqual(len(data), total - per_page * (pages_expected - 1))
        self.assertEqual(set(links(h["link"])), {"prev", "first"})
        # beyond the end: empty, no next
        st, h, data = self.s.get_json(self.OF + "?state=all&per_page=100&page=%d" % (pages_expected + 1), self.token)
        self.assertEqual((st, data), (200, []))
        self.assertNotIn("next", links(h.get("link")))

    def test_state_open_is_default_and_counts(self):
        open_n = sum(1 for i in self.of if i["state"] == "open")
        closed_n = sum(1 for i in self.of if i["state"] == "closed")
        self.assertEqual(len(walk(self.s, self.OF + "?per_page=100", self.token)[0]), open_n)
        self.assertEqual(len(walk(self.s, self.OF + "?state=open&per_page=100", self.token)[0]), open_n)
        self.assertEqual(len(walk(self.s, self.OF + "?state=closed&per_page=100", self.token)[0]), closed_n)
        # default per_page is 30
        _, h, data = self.s.get_json(self.OF, self.token)
        self.assertEqual(len(data), 30)
        self.assertEqual(page_of(links(h["link"])["last"]), math.ceil(open_n / 30))

    def test_since_filter(self):
        ups = sorted(parse_ts(i["updated_at"]) for i in self.of)
        since = ups[len(ups) // 2]
        since_s = since.strftime("%Y-%m-%dT%H:%M:%SZ")
        expected = sum(1 for i in self.of if parse_ts(i["updated_at"]) >= since)
        items = walk(self.s, self.OF + "?state=all&per_page=100&since=" + since_s, self.token)[0]
        self.assertEqual(len(items), expected)
        self.assertTrue(all(parse_ts(i["updated_at"]) >= since for i in items))
        items = walk(self.s, self.OF + "?state=all&per_page=100&sort=updated&direction=asc&since=" + since_s,
                     self.token)[0]
        ts = [parse_ts(i["updated_at"]) for i in items]
        self.assertEqual(ts, sorted(ts))
        st, _, _ = self.s.get_json(self.OF + "?since=notadate", self.token)
        self.assertEqual(st, 422)

    def test_rename_redirect(self):
        st, h, body = self.s.get_json("/repos/octokit-fixture-org/rename-repository", self.token)
        self.assertEqual(st, 301)
        self.assertEqual(h["location"], self.s.base + "/repositories/1000")
        self.assertEqual(body["message"], "Moved Permanently")
        self.assertEqual(body["url"], h["location"])
        st, _, repo = self.s.get_json(h["location"], self.token)
        self.assertEqual(st, 200)
        self.assertEqual(repo["full_name"], "octokit-fixture-org/rename-repository-newname")
        st, h, _ = self.s.get_json("/repos/octokit-fixture-org/rename-repository/issues?state=all&per_page=5",
                                   self.token)
        self.assertEqual(st, 301)
        self.assertEqual(h["location"], self.s.base + "/repositories/1000/issues?state=all&per_page=5")

    def test_repositories_id_routes(self):
        st, _, data = self.s.get_json("/repositories/1000/issues", self.token)
        self.assertEqual((st, data), (200, []))  # the renamed repo has no issues.json
        st, h, data = self.s.get_json("/repositories/345337/issues?state=all&per_page=100", self.token)
        self.assertEqual((st, len(data)), (200, 100))
        self.assertTrue(links(h["link"])["next"].startswith(self.s.base + "/repositories/345337/issues?"))
        st, _, data = self.s.get_json("/repositories/345337", self.token)
        self.assertEqual(data["full_name"], "openframeworks/openFrameworks")
        self.assertEqual(self.s.get_json("/repositories/999999999/issues", self.token)[0], 404)

    def test_case_insensitive_owner_repo_keeps_request_casing_in_links(self):
        path = "/repos/OPENFRAMEWORKS/openframeworks/issues?state=all&per_page=50"
        st, h, data = self.s.get_json(path, self.token)
        self.assertEqual((st, len(data)), (200, 50))
        self.assertIn("/repos/OPENFRAMEWORKS/openframeworks/issues?", links(h["link"])["next"])

    def test_missing_resources(self):
        s, t = self.s, self.token
        st, _, body = s.get_json("/repos/zhquan_example/repo", t)  # directory without repo.json
        self.assertEqual((st, body), (404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}))
        self.assertEqual(s.get_json("/repos/zhquan_example/repo/releases", t)[:3:2], (200, []))
        self.assertEqual(s.get_json("/repos/openframeworks/openFrameworks/pulls?state=all", t)[:3:2], (200, []))
        self.assertEqual(s.get_json("/repos/openframeworks/openFrameworks/issues/1/comments", t)[:3:2], (200, []))
        st, _, body = s.get_json("/repos/zhquan_example/repo/traffic/clones", t)
        self.assertEqual((st, body["message"]), (403, "Resource not accessible by integration"))
        self.assertEqual(s.get_json("/repos/zhquan_example/repo/pulls/1", t)[0], 200)
        self.assertEqual(s.get_json("/repos/zhquan_example/repo/pulls/1/requested_reviewers", t)[0], 200)
        self.assertEqual(len(s.get_json("/repos/zhquan_example/repo/pulls/2/comments", t)[2]), 4)
        self.assertEqual(s.get_json("/repos/zhquan_example/repo/pulls/99", t)[0], 404)
        self.assertEqual(s.get_json("/repos/zhquan_example/repo/commits/0123abc", t)[0], 404)
        self.assertEqual(s.get_json("/repos/no-such/repo/issues", t)[0], 404)
        self.assertEqual(s.get_json("/repos/no-such/repo", t)[0], 404)
        self.assertEqual(s.get_json("/users/ZHQUAN_EXAMPLE", t)[0], 200)
        self.assertEqual(s.get_json("/users/nobody-here", t)[0], 404)
        st, h, body = s.get_json("/search/users?q=someone%40example.com+in:email", t)
        self.assertEqual((st, body["total_count"], h["x-ratelimit-resource"]), (200, 0, "search"))

    def test_etag_304_costs_nothing_and_is_token_specific(self):
        path = "/repos/openframeworks/openFrameworks"
        st, h, _ = self.s.request(path, self.token)
        self.assertEqual(st, 200)
        etag = h["etag"]
        self.assertTrue(re.fullmatch(r'W/"[0-9a-f]{40}"', etag))
        rem = int(h["x-ratelimit-remaining"])
        st, h2, raw = self.s.request(path, self.token, headers={"If-None-Match": etag})
        self.assertEqual((st, raw), (304, b""))
        self.assertEqual(int(h2["x-ratelimit-remaining"]), rem)
        self.assertIn("x-ratelimit-reset", h2)
        st, h3, _ = self.s.request(path, self.token)
        self.assertEqual(int(h3["x-ratelimit-remaining"]), rem - 1)
        self.assertEqual(h3["etag"], etag)
        st, h4, _ = self.s.request(path, self.token + "-other", headers={"If-None-Match": etag})
        self.assertEqual(st, 200)
        self.assertNotEqual(h4["etag"], etag)
        log = self.s.log()
        self.assertEqual([(r["status"], r["if_none_match"], r["etag_hit"]) for r in log],
                         [(200, False, False), (304, True, True), (200, False, False), (200, True, False)])

    def test_budget_exhaustion_and_reset(self):
        self.s.config(rate_limit=3, rate_reset_seconds=2)
        path = "/repos/openframeworks/openFrameworks"
        rems = []
        for _ in range(3):
            st, h, _ = self.s.request(path, self.token)
            self.assertEqual(st, 200)
            rems.append(int(h["x-ratelimit-remaining"]))
        self.assertEqual(rems, [2, 1, 0])
        self.assertEqual(h["x-ratelimit-limit"], "3")
        self.assertEqual(h["x-ratelimit-used"], "3")
        reset = int(h["x-ratelimit-reset"])
        st, h, body = self.s.get_json(path, self.token)
        self.assertEqual(st, 403)
        self.assertEqual(body["message"], "API rate limit exceeded for user ID 1.")
        self.assertEqual(body["documentation_url"],
                         "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting")
        self.assertEqual(h["x-ratelimit-remaining"], "0")
        self.assertEqual(int(h["x-ratelimit-reset"]), reset)
        # another token is not affected
        self.assertEqual(self.s.request(path, self.token + "-b")[0], 200)
        # /rate_limit is free and shows the live numbers
        st, _, rl = self.s.get_json("/rate_limit", self.token)
        self.assertEqual((st, rl["resources"]["core"]["remaining"], rl["rate"]["limit"]), (200, 0, 3))
        self.assertEqual(self.s.get_json(path, self.token)[0], 403)
        time.sleep(max(0.0, reset - time.time()) + 0.3)
        st, h, _ = self.s.request(path, self.token)
        self.assertEqual(st, 200)
        self.assertEqual(h["x-ratelimit-remaining"], "2")
        self.assertGreater(int(h["x-ratelimit-reset"]), reset - 1)
        faults = [r["fault"] for r in self.s.log()]
        self.assertEqual(faults.count("rate_limited"), 2)

    def test_anonymous_bucket_and_rate_limit_endpoint(self):
        st, h, _ = self.s.request("/repos/openframeworks/openFrameworks")
        self.assertEqual((h["x-ratelimit-limit"], h["x-ratelimit-remaining"]), ("60", "59"))
        st, h, rl = self.s.get_json("/rate_limit")
        self.assertEqual(rl["resources"]["core"]["remaining"], 59)
        self.assertEqual(h["x-ratelimit-remaining"], "59")
        st, h, rl = self.s.get_json("/rate_limit", self.token)
        self.assertEqual((rl["rate"]["limit"], rl["rate"]["remaining"]), (5000, 5000))
        self.assertEqual(set(rl["resources"]) >= {"core", "search", "graphql"}, True)

    def test_fail_5xx_counts_only_matching_paths(self):
        self.s.config(fail_5xx=2, fail_5xx_path_re=r"/issues")
        self.assertEqual(self.s.request("/repos/openframeworks/openFrameworks", self.token)[0], 200)
        self.assertEqual(self.s.request(self.OF, self.token)[0], 500)
        self.assertEqual(self.s.request(self.OF + "?page=2", self.token)[0], 500)
        self.assertEqual(self.s.request(self.OF, self.token)[0], 200)
        self.assertEqual([r["fault"] for r in self.s.log()], [None, "5xx", "5xx", None])
        st, _, cfg = self.s.get_json("/_fake/config")
        self.assertEqual(cfg["counters"]["fail_5xx_served"], 2)

    def test_malformed_body_keeps_link_headers(self):
        path = self.OF + "?state=all&per_page=100&page=2"
        _, good_h, good = self.s.request(path, self.token)
        self.s.config(malformed_path_re=r"page=2")
        st, h, raw = self.s.request(path, self.token)
        self.assertEqual(st, 200)
        with self.assertRaises(ValueError):
            json.loads(raw)
        self.assertTrue(raw.startswith(b"["))
        self.assertEqual(h["link"], good_h["link"])
        self.assertEqual(self.s.request(self.OF + "?state=all&per_page=100", self.token)[0], 200)
        self.assertEqual(json.loads(self.s.request(self.OF + "?state=all&per_page=100", self.token)[2])[0]["id"],
                         json.loads(self.s.request(self.OF + "?state=all&per_page=100&page=1", self.token)[2])[0]["id"])
        self.assertEqual(self.s.log()[1]["fault"], "malformed")

    def test_secondary_limit(self):
        self.s.config(secondary_limit=1)
        st, h, body = self.s.get_json(self.OF, self.token)
        self.assertEqual(st, 403)
        self.assertEqual(h["retry-after"], "1")
        self.assertEqual(body["message"],
                         "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.")
        self.assertEqual(self.s.request(self.OF, self.token)[0], 200)
        self.assertEqual([r["fault"] for r in self.s.log()], ["secondary", None])

    def test_page_size_cap(self):
        self.s.config(page_size_cap=7)
        st, h, data = self.s.get_json(self.OF + "?state=all&per_page=100", self.token)
        self.assertEqual(len(data), 7)
        self.assertEqual(page_of(links(h["link"])["last"]), math.ceil(len(self.of) / 7))
        self.assertIn("per_page=100", links(h["link"])["next"])  # the client's query is kept

    def test_slow(self):
        self.s.config(slow_ms=300, slow_path_re=r"/releases$")
        t0 = time.time()
        self.s.request("/repos/zhquan_example/repo/releases", self.token)
        self.assertGreaterEqual(time.time() - t0, 0.29)
        t0 = time.time()
        self.s.request("/repos/zhquan_example/repo/tags", self.token)
        self.assertLess(time.time() - t0, 0.25)

    def test_control_endpoint(self):
        st, _, body = self.s.request("/_fake/config", method="POST", body={"no_such_option": 1})
        self.assertEqual(st, 400)
        st, _, body = self.s.request("/_fake/config", method="POST", body={"fail_5xx_path_re": "("})
        self.assertEqual(st, 400)
        cfg = self.s.config(secondary_limit=2, rate_limit=10)
        self.assertEqual((cfg["config"]["secondary_limit"], cfg["config"]["rate_limit"]), (2, 10))
        self.assertEqual(cfg["counters"]["secondary_served"], 0)
        self.s.request(self.OF, self.token)
        self.assertEqual(self.s.get_json("/_fake/config")[2]["counters"]["secondary_served"], 1)
        # a new config resets counters and rate windows
        self.s.config(secondary_limit=1)
        st, h, _ = self.s.request(self.OF, self.token)
        self.assertEqual(st, 403)
        self.assertEqual(h["x-ratelimit-remaining"], "9")
        self.s.config(require_token=True, secondary_limit=0)
        self.assertEqual(self.s.request(self.OF)[0], 401)
        self.assertEqual(self.s.request(self.OF, self.token)[0], 200)
        # control requests are neither logged nor charged
        self.assertEqual(len(self.s.log()), 4)
        self.s.reset_log()
        self.assertEqual(self.s.log(), [])

    def test_log_contents(self):
        self.s.request(self.OF + "?state=all", self.token)
        self.s.request("/repos/no-such/repo")
        log = self.s.log()
        self.assertEqual(len(log), 2)
        r = log[0]
        self.assertEqual(set(r), {"ts", "method", "path", "status", "token", "if_none_match", "etag_hit", "fault",
                                  "ratelimit_remaining"})
        self.assertEqual((r["method"], r["path"], r["status"], r["fault"]), ("GET", self.OF + "?state=all", 200, None))
        self.assertIsInstance(r["ts"], float)
        self.assertTrue(re.fullmatch(r"[0-9a-f]{6,40}", r["token"]))
        self.assertNotIn(self.token, json.dumps(log))
        self.assertEqual(r["ratelimit_remaining"], 4999)
        self.assertEqual((log[1]["token"], log[1]["status"], log[1]["ratelimit_remaining"]), (None, 404, 59))
        with open(self.s.log_file, encoding="utf-8") as f:
            lines = [json.loads(x) for x in f]
        self.assertEqual(lines[-2:], log)


# ---------------------------------------------------------------------------------------------


class SyntheticDatasetTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.isdir(os.path.join(SYNTHETIC, "github")):
            raise unittest.SkipTest("synthetic dataset missing: run test/fixtures/make_synthetic.py")
        cls.s = FakeServer([SYNTHETIC], "--page-size-cap", "5")

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()

    FULL = "/repos/aveloxis-test/full"

    def load(self, name):
        with open(os.path.join(SYNTHETIC, "github/repos/aveloxis-test/full", name), "rb") as f:
            return json.loads(f.read())

    def test_issue_and_pull_lists(self):
        items, pages, _ = walk(self.s, self.FULL + "/issues?state=all&per_page=100", "t")
        self.assertEqual((len(items), pages), (12, 3))
        prs = [i for i in items if (i.get("pull_request") or {}).get("url")]
        self.assertEqual(len(prs), 5)
        pulls = walk(self.s, self.FULL + "/pulls?state=all&per_page=100", "t")[0]
        self.assertEqual(len(pulls), 6)
        self.assertEqual(len({p["id"] for p in pulls}), 5)
        self.assertEqual(len(walk(self.s, self.FULL + "/pulls", "t")[0]), 3)  # open only
        upd = walk(self.s, self.FULL + "/pulls?state=all&sort=updated", "t")[0]  # default asc for sort=updated
        self.assertEqual([p["updated_at"] for p in upd], sorted(p["updated_at"] for p in upd))
        comments = walk(self.s, self.FULL + "/issues/comments?per_page=100", "t")[0]
        self.assertEqual((len(comments), len({c["id"] for c in comments})), (13, 12))
        self.assertEqual(len(walk(self.s, self.FULL + "/releases", "t")[0]), 3)
        self.assertEqual(len(walk(self.s, self.FULL + "/contributors", "t")[0]), 4)
        st, _, repo = self.s.get_json("/repositories/9100001", "t")
        self.assertEqual((repo["full_name"], repo["default_branch"]), ("aveloxis-test/full", "main"))

    def test_filters_on_synthetic(self):
        issues = self.load("issues.json")
        lab = walk(self.s, self.FULL + "/issues?state=all&labels=bug", "t")[0]
        self.assertEqual(len(lab), sum(1 for i in issues if "bug" in [l["name"] for l in i["labels"]]))
        a = walk(self.s, self.FULL + "/issues?state=all&assignee=alice-av", "t")[0]
        self.assertEqual({i["number"] for i in a}, {2, 10, 12})
        c = walk(self.s, self.FULL + "/issues/comments?since=2024-01-20T00:00:00Z", "t")[0]
        self.assertEqual(len(c), sum(1 for x in self.load("issues_comments.json") if x["updated_at"] >= "2024-01-20"))

    def test_nul_escapes_and_invalid_utf8_are_served_unchanged(self):
        _, _, raw = self.s.request(self.FULL + "/issues?state=all&per_page=5&page=2", "t")
        all_raw = b"".join(self.s.request(self.FULL + "/issues?state=all&page=%d" % p, "t")[2] for p in (1, 2, 3))
        self.assertEqual(len(re.findall(rb"(?<!\\)\\u0000", all_raw)), 1)
        self.assertEqual(all_raw.count(b"\\\\u0000"), 2)
        _, _, raw = self.s.request("/repos/aveloxis-test/badutf8/issues?state=all", "t")
        self.assertIn(b"\xff and \xe2\x82 end", raw)
        with self.assertRaises(UnicodeDecodeError):
            raw.decode("utf-8")

    def test_empty_repo(self):
        st, h, data = self.s.get_json("/repos/aveloxis-test/empty/issues?state=all", "t")
        self.assertEqual((st, data, h.get("link")), (200, [], None))
        self.assertEqual(self.s.get_json("/repos/aveloxis-test/empty/pulls/1", "t")[0], 404)
        self.assertEqual(self.s.get_json("/repos/aveloxis-test/empty/traffic/clones", "t")[0], 403)
        self.assertEqual(self.s.get_json("/repos/aveloxis-test/empty", "t")[2]["id"], 9100002)


class CommandLineAndOverlayTest(unittest.TestCase):
    def test_cli_faults(self):
        s = FakeServer([SYNTHETIC], "--secondary-limit", "1", "--fail-5xx", "2", "--fail-5xx-path-re", "/issues",
                       "--page-size-cap", "4", "--malformed-path-re", r"/releases", "--rate-limit", "50")
        try:
            p = "/repos/aveloxis-test/full/issues?state=all"
            st, h, _ = s.request(p, "x")
            self.assertEqual((st, h["retry-after"]), (403, "1"))
            self.assertEqual(s.request(p, "x")[0], 500)
            self.assertEqual(s.request("/repos/aveloxis-test/full/pulls", "x")[0], 200)
            self.assertEqual(s.request(p, "x")[0], 500)
            st, h, raw = s.request(p, "x")
            self.assertEqual((st, len(json.loads(raw)), h["x-ratelimit-limit"]), (200, 4, "50"))
            st, _, raw = s.request("/repos/aveloxis-test/full/releases", "x")
            self.assertEqual(st, 200)
            self.assertRaises(ValueError, json.loads, raw)
            self.assertEqual([r["fault"] for r in s.log()], ["secondary", "5xx", None, "5xx", None, "malformed"])
            with open(s.log_file) as f:
                self.assertEqual(len(f.readlines()), 6)
        finally:
            s.stop()

    def test_require_token_flag(self):
        s = FakeServer([SYNTHETIC], "--require-token")
        try:
            st, _, body = s.get_json("/repos/aveloxis-test/full")
            self.assertEqual(st, 401)
            self.assertEqual(s.request("/repos/aveloxis-test/full", "x")[0], 200)
        finally:
            s.stop()

    def test_overlay_later_dataset_wins_per_file(self):
        tmp = tempfile.mkdtemp(prefix="fake_overlay_")
        try:
            a = os.path.join(tmp, "a", "github", "repos", "o", "r")
            b = os.path.join(tmp, "b", "github", "repos", "O", "R")
            os.makedirs(a)
            os.makedirs(b)
            put(os.path.join(a, "repo.json"), {"id": 1, "full_name": "o/r", "v": "a"})
            put(os.path.join(a, "issues.json"), [{"id": 1, "state": "open", "created_at": "2020-01-01T00:00:00Z"}] * 3)
            put(os.path.join(b, "issues.json"), [{"id": 2, "state": "open", "created_at": "2020-01-01T00:00:00Z"}])
            put(os.path.join(a, "tags.json"), [{"id": 3}])
            s = FakeServer([os.path.join(tmp, "a"), os.path.join(tmp, "b")])
            try:
                self.assertEqual(s.get_json("/repos/o/r", "t")[2]["v"], "a")
                self.assertEqual(s.get_json("/repos/o/r/issues", "t")[2], [{"id": 2, "state": "open",
                                                                            "created_at": "2020-01-01T00:00:00Z"}])
                self.assertEqual(s.get_json("/repos/O/r/tags", "t")[2], [{"id": 3}])
                self.assertEqual(s.get_json("/repositories/1/tags", "t")[2], [{"id": 3}])
            finally:
                s.stop()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @unittest.skipUnless(HAVE_RECORDED, "recorded fixtures not found at %s" % RECORDED)
    def test_recorded_plus_synthetic(self):
        s = FakeServer([RECORDED, SYNTHETIC])
        try:
            self.assertEqual(s.get_json("/repos/openframeworks/openFrameworks", "t")[0], 200)
            self.assertEqual(s.get_json("/repos/aveloxis-test/full", "t")[0], 200)
            # bad input never crashes the server
            for p in ["/repos/%2e%2e/%2e%2e/repo.json", "/repos/a/b/issues?per_page=abc&page=-4",
                      "/repositories/abc", "/search/users", "/%ff%fe", "/repos/openframeworks/openFrameworks/issues?"
                      "page=99999999999999999999"]:
                self.assertIn(s.request(p, "t")[0], (200, 404, 422), p)
            self.assertEqual(s.request("/rate_limit", "t")[0], 200)
        finally:
            s.stop()


if __name__ == "__main__":
    unittest.main()
