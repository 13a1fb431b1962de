#!/usr/bin/env python3
"""An HTTP fake of the GitHub REST API, serving recorded or synthetic datasets.

Dataset layout: ../shared/fixtures/README.md (github/repos/<owner>/<repo>/..., github/users,
github/search_users, github/rate_limit.json).  Python 3.11 standard library only.

See test/fake_api/README.md for the command line, the control endpoint and the log format.
"""

import argparse
import hashlib
import json
import math
import os
import re
import sys
import threading
import time
import traceback
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, unquote, urlsplit

DOC_REST = "https://docs.github.com/rest"
NOT_FOUND = {"message": "Not Found", "documentation_url": DOC_REST}
RATE_DOC = "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"
SECONDARY_BODY = {
    "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
    "documentation_url": "https://docs.github.com/rest/overview/resources-in-the-rest-api#secondary-rate-limits",
}
SERVER_ERROR_BODY = {"message": "Server Error"}
TRAFFIC_FORBIDDEN = {
    "message": "Resource not accessible by integration",
    "documentation_url": "https://docs.github.com/rest/metrics/traffic#get-repository-clones",
}
ISSUES_DISABLED = {
    "message": "Issues are disabled for this repo",
    "documentation_url": "https://docs.github.com/v3/issues/",
}
EVENTS_PAGE_LIMIT_BODY = {
    "message": "In order to keep the API fast for everyone, pagination is limited for this resource. "
    "Check the rel=last link relation in the Link response header to see how far back you can traverse.",
    "documentation_url": "https://docs.github.com/v3/#pagination",
}
MOVED_DOC = "https://docs.github.com/v3/#http-redirects"

ANON_CORE_LIMIT = 60
ANON_SEARCH_LIMIT = 10

# ---------------------------------------------------------------------------------------------
# Run-time configuration (switchable through POST /_fake/config)
# ---------------------------------------------------------------------------------------------


def _int_ge0(v):
    if isinstance(v, bool):
        raise ValueError("expected an integer")
    v = int(v)
    if v < 0:
        raise ValueError("must be >= 0")
    return v


def _int_ge1(v):
    v = _int_ge0(v)
    if v < 1:
        raise ValueError("must be >= 1")
    return v


def _pos_float(v):
    if isinstance(v, bool):
        raise ValueError("expected a number")
    v = float(v)
    if not v > 0 or math.isinf(v) or math.isnan(v):
        raise ValueError("must be > 0")
    return v


def _regex(v):
    if v is None or v == "":
        return None
    if not isinstance(v, str):
        raise ValueError("expected a regular expression string or null")
    re.compile(v)
    return v


def _bool(v):
    if not isinstance(v, bool):
        raise ValueError("expected true or false")
    return v


def _status(v):
    v = _int_ge0(v)
    if v not in (403, 429):
        raise ValueError("must be 403 or 429")
    return v


def _str_list(v):
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise ValueError("expected a list of strings")
    return list(v)


CONFIG_SPEC = {
    # name: (validator, default)
    "rate_limit": (_int_ge0, 5000),
    "rate_reset_seconds": (_pos_float, 3600.0),
    "anon_rate_limit": (_int_ge0, ANON_CORE_LIMIT),
    "search_rate_limit": (_int_ge0, 30),
    "search_rate_reset_seconds": (_pos_float, 60.0),
    "page_size_cap": (_int_ge1, 100),
    "fail_5xx": (_int_ge0, 0),
    "fail_5xx_path_re": (_regex, None),
    "secondary_limit": (_int_ge0, 0),
    "secondary_path_re": (_regex, None),
    "secondary_status": (_status, 403),
    "rate_limited_status": (_status, 403),
    "slow_ms": (_int_ge0, 0),
    "slow_path_re": (_regex, None),
    "malformed_path_re": (_regex, None),
    "malformed_limit": (_int_ge0, 0),
    "events_page_limit": (_int_ge0, 300),
    "require_token": (_bool, False),
    "bad_tokens": (_str_list, []),
}


def validate_config(values):
    """Validate a partial config dict; return the cleaned values or raise ValueError."""
    if not isinstance(values, dict):
        raise ValueError("config must be a JSON object")
    out = {}
    for k, v in values.items():
        if k not in CONFIG_SPEC:
            raise ValueError("unknown option %r (known: %s)" % (k, ", ".join(sorted(CONFIG_SPEC))))
        try:
            out[k] = CONFIG_SPEC[k][0](v)
        except (TypeError, ValueError, re.error) as e:
            raise ValueError("bad value for %s: %s" % (k, e))
    return out


def rx_match(rx, path, path_q):
    """A path regex matches when it is unset, or found in the path or in path+query."""
    if rx is None:
        return True
    return re.search(rx, path) is not None or re.search(rx, path_q) is not None


# ---------------------------------------------------------------------------------------------
# Datasets
# ---------------------------------------------------------------------------------------------


def load_json_bytes(raw):
    """Parse JSON bytes, keeping invalid UTF-8 bytes (as surrogate escapes) so they can be
    served back byte for byte."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return json.loads(raw.decode("utf-8", "surrogateescape"))


def dump_json_bytes(obj):
    """Compact JSON as GitHub sends it: non-ASCII as UTF-8, control characters (NUL too)
    escaped, invalid bytes from the fixture written back as they were."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that was a \uXXXX escape in the file
        return json.dumps(obj, separators=(",", ":")).encode("ascii")


class Store:
    """Overlay of dataset directories; later datasets win per file path."""

    def __init__(self, datasets):
        self.datasets = [os.path.abspath(d) for d in datasets]
        self._cache = {}
        self._lock = threading.Lock()
        self.reindex()

    def reindex(self):
        repo_dirs = {}  # "owner/repo" lower -> [dir per dataset, in dataset order]
        user_files = {}  # login lower -> [file per dataset]
        user_dirs = {}
        for ds in self.datasets:
            rroot = os.path.join(ds, "github", "repos")
            if os.path.isdir(rroot):
                for owner in sorted(os.listdir(rroot)):
                    odir = os.path.join(rroot, owner)
                    if not os.path.isdir(odir):
                        continue
                    for repo in sorted(os.listdir(odir)):
                        rdir = os.path.join(odir, repo)
                        if os.path.isdir(rdir):
                            key = ("%s/%s" % (owner, repo)).lower()
                            repo_dirs.setdefault(key, []).append(rdir)
            uroot = os.path.join(ds, "github", "users")
            if os.path.isdir(uroot):
                for name in sorted(os.listdir(uroot)):
                    p = os.path.join(uroot, name)
                    if name.endswith(".json") and os.path.isfile(p):
                        user_files.setdefault(name[:-5].lower(), []).append(p)
                    elif os.path.isdir(p):
                        user_dirs.setdefault(name.lower(), []).append(p)
        ids = {}
        for key in repo_dirs:
            p = self._resolve_in(repo_dirs[key], "repo.json")
            if p is None:
                continue
            try:
                obj = self.load(p)
            except Exception:
                print("fake_github: cannot read %s:\n%s" % (p, traceback.format_exc()), file=sys.stderr)
                continue
            if isinstance(obj, dict) and isinstance(obj.get("id"), int):
                ids[obj["id"]] = key  # later datasets / later keys win
        with self._lock:
            self.repo_dirs = repo_dirs
            self.user_files = user_files
            self.user_dirs = user_dirs
            self.repo_ids = ids
            self._cache = {}

    @staticmethod
    def _resolve_in(dirs, rel):
        for d in reversed(dirs):
            p = os.path.join(d, rel)
            if os.path.isfile(p):
                return p
        return None

    def repo_exists(self, key):
        return key.lower() in self.repo_dirs

    def repo_file(self, key, rel):
        dirs = self.repo_dirs.get(key.lower())
        if not dirs:
            return None
        return self._resolve_in(dirs, rel)

    def user_file(self, login):
        files = self.user_files.get(login.lower())
        return files[-1] if files else None

    def user_sub_file(self, login, rel):
        dirs = self.user_dirs.get(login.lower())
        return self._resolve_in(dirs, rel) if dirs else None

    def github_file(self, rel):
        for ds in reversed(self.datasets):
            p = os.path.join(ds, "github", rel)
            if os.path.isfile(p):
                return p
        return None

    def load(self, path):
        st = os.stat(path)
        sig = (st.st_mtime_ns, st.st_size)
        with self._lock:
            hit = self._cache.get(path)
        if hit is not None and hit[0] == sig:
            return hit[1]
        with open(path, "rb") as f:
            obj = load_json_bytes(f.read())
        with self._lock:
            self._cache[path] = (sig, obj)
        return obj


# ---------------------------------------------------------------------------------------------
# Rate limits, faults, log
# ---------------------------------------------------------------------------------------------


class Bucket:
    __slots__ = ("start", "reset_at", "used")

    def __init__(self, now, seconds):
        self.start = now
        self.reset_at = int(math.ceil(now + seconds))
        self.used = 0


class State:
    def __init__(self, config, log_path):
        self._lock = threading.Lock()
        self.initial_config = dict(config)
        self.config = dict(config)
        self.buckets = {}
        self.counters = {}
        self._reset_counters()
        self.log = []
        self.log_file = open(log_path, "a", encoding="utf-8") if log_path else None
        self.request_seq = 0

    def _reset_counters(self):
        self.counters = {"fail_5xx_served": 0, "secondary_served": 0, "malformed_served": 0}
        self.buckets = {}

    def snapshot(self):
        with self._lock:
            return self.config

    def update_config(self, values):
        with self._lock:
            cfg = dict(self.config)
            cfg.update(values)
            self.config = cfg
            self._reset_counters()
            return cfg

    def describe(self):
        with self._lock:
            return {"config": dict(self.config), "counters": dict(self.counters)}

    def next_request_id(self):
        with self._lock:
            self.request_seq += 1
            return self.request_seq

    # -- rate limits ----------------------------------------------------------------------
    def _limits(self, cfg, resource, anonymous):
        if resource == "search":
            limit = ANON_SEARCH_LIMIT if anonymous else cfg["search_rate_limit"]
            return limit, cfg["search_rate_reset_seconds"]
        limit = cfg["anon_rate_limit"] if anonymous else cfg["rate_limit"]
        return limit, cfg["rate_reset_seconds"]

    def _bucket(self, cfg, resource, token, now):
        key = (resource, token)
        b = self.buckets.get(key)
        limit, seconds = self._limits(cfg, resource, token is None)
        if b is None or now >= b.reset_at:
            b = Bucket(now, seconds)
            self.buckets[key] = b
        return b, limit

    def charge(self, resource, token):
        """Take one request from the bucket.  Returns (ok, info, bucket)."""
        now = time.time()
        with self._lock:
            b, limit = self._bucket(self.config, resource, token, now)
            if b.used >= limit:
                return False, self._info(b, limit, resource), b
            b.used += 1
            return True, self._info(b, limit, resource), b

    def refund(self, resource, token, bucket):
        with self._lock:
            cfg = self.config
            limit, _ = self._limits(cfg, resource, token is None)
            if self.buckets.get((resource, token)) is bucket and bucket.used > 0:
                bucket.used -= 1
            return self._info(bucket, limit, resource)

    def peek(self, resource, token):
        now = time.time()
        with self._lock:
            b, limit = self._bucket(self.config, resource, token, now)
            return self._info(b, limit, resource)

    @staticmethod
    def _info(b, limit, resource):
        return {
            "limit": limit,
            "remaining": max(0, limit - b.used),
            "used": min(b.used, limit) if limit else b.used,
            "reset": b.reset_at,
            "resource": resource,
        }

    # -- faults -----------------------------------------------------------------------------
    def take_secondary(self, path, path_q):
        with self._lock:
            cfg = self.config
            if self.counters["secondary_served"] < cfg["secondary_limit"] and rx_match(
                cfg["secondary_path_re"], path, path_q
            ):
                self.counters["secondary_served"] += 1
                return True
            return False

    def take_5xx(self, path, path_q):
        with self._lock:
            cfg = self.config
            if self.counters["fail_5xx_served"] < cfg["fail_5xx"] and rx_match(
                cfg["fail_5xx_path_re"], path, path_q
            ):
                self.counters["fail_5xx_served"] += 1
                return True
            return False

    def take_malformed(self, path, path_q):
        with self._lock:
            cfg = self.config
            rx = cfg["malformed_path_re"]
            if rx is None or not rx_match(rx, path, path_q):
                return False
            lim = cfg["malformed_limit"]
            if lim and self.counters["malformed_served"] >= lim:
                return False
            self.counters["malformed_served"] += 1
            return True

    # -- log --------------------------------------------------------------------------------
    def add_log(self, rec):
        line = json.dumps(rec, ensure_ascii=False)
        with self._lock:
            self.log.append(rec)
            if self.log_file is not None:
                self.log_file.write(line + "\n")
                self.log_file.flush()

    def get_log(self):
        with self._lock:
            return list(self.log)

    def clear_log(self):
        with self._lock:
            self.log = []


# ---------------------------------------------------------------------------------------------
# Filtering, sorting, pagination
# ---------------------------------------------------------------------------------------------

_MIN_DT = datetime.min.replace(tzinfo=timezone.utc)


class BadRequest(Exception):
    def __init__(self, status, body):
        super().__init__(body.get("message"))
        self.status = status
        self.body = body


def parse_ts(s):
    if not isinstance(s, str) or not s:
        return None
    t = s.strip()
    if t.endswith("Z") or t.endswith("z"):
        t = t[:-1] + "+00:00"
    dt = datetime.fromisoformat(t)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt


def item_ts(item, field):
    try:
        v = parse_ts(item.get(field)) if isinstance(item, dict) else None
    except ValueError:
        v = None
    return v or _MIN_DT


def since_param(params):
    s = params.get("since")
    if s is None or s == "":
        return None
    try:
        return parse_ts(s)
    except ValueError:
        raise BadRequest(
            422,
            {
                "message": "Validation Failed",
                "errors": [{"resource": "Search", "field": "since", "code": "invalid"}],
                "documentation_url": DOC_REST,
            },
        )


def _login(u):
    return u.get("login") if isinstance(u, dict) else None


def _lower(s):
    return s.lower() if isinstance(s, str) else s


def sort_items(items, key, direction):
    # list.sort is stable, also with reverse=True: equal keys keep the file's order.
    return sorted(items, key=key, reverse=(direction == "desc"))


def filter_issues(items, params):
    state = params.get("state", "open")
    if state not in ("open", "closed", "all"):
        state = "open"
    since = since_param(params)
    out = []
    labels = [x.strip().lower() for x in params.get("labels", "").split(",") if x.strip()]
    assignee = params.get("assignee")
    creator = params.get("creator")
    milestone = params.get("milestone")
    for it in items:
        if not isinstance(it, dict):
            continue
        if state != "all" and it.get("state") != state:
            continue
        if since is not None and item_ts(it, "updated_at") < since:
            continue
        if labels:
            names = {_lower(l.get("name")) for l in (it.get("labels") or []) if isinstance(l, dict)}
            if not all(l in names for l in labels):
                continue
        if assignee:
            logins = {_lower(_login(a)) for a in (it.get("assignees") or [])}
            if _login(it.get("assignee")):
                logins.add(_lower(_login(it.get("assignee"))))
            logins.discard(None)
            if assignee == "none":
                if logins:
                    continue
            elif assignee == "*":
                if not logins:
                    continue
            elif assignee.lower() not in logins:
                continue
        if creator and _lower(_login(it.get("user"))) != creator.lower():
            continue
        if milestone:
            ms = it.get("milestone")
            if milestone == "none":
                if ms:
                    continue
            elif milestone == "*":
                if not ms:
                    continue
            elif not (isinstance(ms, dict) and str(ms.get("number")) == milestone):
                continue
        out.append(it)
    sort = params.get("sort", "created")
    if sort not in ("created", "updated", "comments"):
        sort = "created"
    direction = params.get("direction", "desc")
    if direction not in ("asc", "desc"):
        direction = "desc"
    if sort == "comments":
        key = lambda it: it.get("comments") or 0  # noqa: E731
    else:
        field = sort + "_at"
        key = lambda it: item_ts(it, field)  # noqa: E731
    return sort_items(out, key, direction)


def filter_pulls(items, params):
    state = params.get("state", "open")
    if state not in ("open", "closed", "all"):
        state = "open"
    head = params.get("head")
    base = params.get("base")
    out = []
    for it in items:
        if not isinstance(it, dict):
            continue
        if state != "all" and it.get("state") != state:
            continue
        if head:
            h = it.get("head") or {}
            if _lower(h.get("label")) != head.lower():
                continue
        if base:
            b = it.get("base") or {}
            if b.get("ref") != base:
                continue
        out.append(it)
    sort = params.get("sort", "created")
    if sort not in ("created", "updated", "popularity", "long-running"):
        sort = "created"
    # GitHub: "Default: desc when sort is created or sort is not specified, otherwise asc."
    direction = params.get("direction", "desc" if sort == "created" else "asc")
    if direction not in ("asc", "desc"):
        direction = "desc" if sort == "created" else "asc"
    if sort == "updated":
        key = lambda it: item_ts(it, "updated_at")  # noqa: E731
    elif sort == "popularity":
        key = lambda it: it.get("comments") or 0  # noqa: E731
    else:  # created, long-running (approximated by creation time)
        key = lambda it: item_ts(it, "created_at")  # noqa: E731
    return sort_items(out, key, direction)


def filter_comments(items, params, sortable=True):
    since = since_param(params)
    out = [it for it in items if isinstance(it, dict) and (since is None or item_ts(it, "updated_at") >= since)]
    if not sortable:
        return out
    sort = params.get("sort", "created")
    if sort not in ("created", "updated"):
        sort = "created"
    direction = params.get("direction", "asc")
    if direction not in ("asc", "desc"):
        direction = "asc"
    field = sort + "_at"
    return sort_items(out, lambda it: item_ts(it, field), direction)


def _int_param(params, name, default):
    v = params.get(name)
    if v is None:
        return default
    try:
        return int(v)
    except ValueError:
        return default


def query_with_page(raw_query, page):
    parts = [p for p in raw_query.split("&") if p] if raw_query else []
    out = []
    done = False
    for p in parts:
        if p.split("=", 1)[0] == "page":
            if not done:
                out.append("page=%d" % page)
                done = True
            continue
        out.append(p)
    if not done:
        out.append("page=%d" % page)
    return "&".join(out)


def paginate(items, params, raw_query, base, path, cap, page_limit=None):
    per_page = _int_param(params, "per_page", 30)
    if per_page < 1:
        per_page = 30
    per_page = max(1, min(per_page, 100, cap))
    page = _int_param(params, "page", 1)
    if page < 1:
        page = 1
    total = len(items)
    last = max(1, (total + per_page - 1) // per_page)
    if page_limit:
        if page > page_limit:
            raise BadRequest(422, EVENTS_PAGE_LIMIT_BODY)
        last = min(last, page_limit)
    start = (page - 1) * per_page
    chunk = items[start:start + per_page]

    def url(n):
        return "<%s%s?%s>" % (base, path, query_with_page(raw_query, n))

    links = []
    if page > 1:
        links.append('%s; rel="prev"' % url(page - 1))
    if page < last:
        links.append('%s; rel="next"' % url(page + 1))
        links.append('%s; rel="last"' % url(last))
    if page > 1:
        links.append('%s; rel="first"' % url(1))
    return chunk, (", ".join(links) if links else None)


# ---------------------------------------------------------------------------------------------
# Routing
# ---------------------------------------------------------------------------------------------


class Response:
    def __init__(self, status, body=None, headers=None, is_list=False):
        self.status = status
        self.body = body  # python object, or bytes
        self.headers = headers or {}
        self.is_list = is_list


def _safe_segment(s):
    return s not in ("", ".", "..") and "/" not in s and "\\" not in s and "\x00" not in s


OBJECT_LAST = {"requested_reviewers", "readme", "license", "latest", "merge", "profile"}


def is_object_route(rest):
    if not rest:
        return True
    if rest[-1] in OBJECT_LAST:
        return True
    if rest[0] in ("commits", "git", "branches", "contents") and len(rest) >= 2:
        return True
    if rest[0] == "releases" and len(rest) >= 2:
        return True
    return rest[-1].isdigit()


def list_filter_for(rest):
    if rest == ["issues"]:
        return filter_issues
    if rest == ["pulls"]:
        return filter_pulls
    if rest in (["issues", "comments"], ["pulls", "comments"]):
        return filter_comments
    if len(rest) == 3 and rest[0] == "pulls" and rest[2] == "comments":
        return filter_comments
    if len(rest) == 3 and rest[0] == "issues" and rest[2] == "comments":
        return lambda items, params: filter_comments(items, params, sortable=False)
    return None


class App:
    def __init__(self, store, state):
        self.store = store
        self.state = state

    def route(self, segs, raw_segs, raw_query, params, base, path, cfg):
        """Return a Response for an API GET."""
        st = self.store
        if not segs:
            return Response(200, {"current_user_url": base + "/user", "rate_limit_url": base + "/rate_limit",
                                  "repository_url": base + "/repos/{owner}/{repo}"})
        if segs[0] == "repos" and len(segs) >= 3:
            key = segs[1] + "/" + segs[2]
            if not st.repo_exists(key):
                return Response(404, NOT_FOUND)
            red = st.repo_file(key, "redirect.json")
            if red is not None:
                info = st.load(red)
                rid = info.get("repository_id") if isinstance(info, dict) else None
                if rid is not None:
                    rest = "/".join(raw_segs[3:])
                    loc = "%s/repositories/%s%s%s" % (
                        base, rid, ("/" + rest) if rest else "", ("?" + raw_query) if raw_query else "")
                    status = info.get("status", 301) if isinstance(info.get("status"), int) else 301
                    return Response(status, {"message": "Moved Permanently", "url": loc,
                                             "documentation_url": MOVED_DOC}, {"Location": loc})
            return self.repo_route(key, segs[3:], raw_query, params, base, path, cfg)
        if segs[0] == "repositories" and len(segs) >= 2:
            if not segs[1].isdigit():
                return Response(404, NOT_FOUND)
            key = st.repo_ids.get(int(segs[1]))
            if key is None:
                return Response(404, NOT_FOUND)
            return self.repo_route(key, segs[2:], raw_query, params, base, path, cfg)
        if segs[0] == "users" and len(segs) >= 2:
            login = segs[1]
            if len(segs) == 2:
                p = st.user_file(login)
                return Response(200, st.load(p)) if p else Response(404, NOT_FOUND)
            rest = segs[2:]
            p = st.user_sub_file(login, "/".join(rest) + ".json")
            if p is not None:
                return self.serve_file(p, None, raw_query, params, base, path, cfg)
            if st.user_file(login) is None and not st.user_dirs.get(login.lower()):
                return Response(404, NOT_FOUND)
            return Response(404, NOT_FOUND) if is_object_route(rest) else Response(200, [], is_list=True)
        if segs[:2] == ["search", "users"] and len(segs) == 2:
            q = params.get("q", "")
            names = [q, q.replace(" ", "+"), quote(q, safe="@+:"), quote(q, safe="")]
            for n in names:
                if n and _safe_segment(n):
                    p = st.github_file("search_users/%s.json" % n)
                    if p is not None:
                        return Response(200, st.load(p))
            return Response(200, {"total_count": 0, "incomplete_results": False, "items": []})
        return Response(404, NOT_FOUND)

    def repo_route(self, key, rest, raw_query, params, base, path, cfg):
        st = self.store
        err = st.repo_file(key, "error.json")  # layout extension: a repo answering an error
        if err is not None:
            e = st.load(err)
            if isinstance(e, dict) and isinstance(e.get("status"), int):
                return Response(e["status"], e.get("body", NOT_FOUND))
        if not rest:
            p = st.repo_file(key, "repo.json")
            return Response(200, st.load(p)) if p else Response(404, NOT_FOUND)
        if rest == ["traffic", "clones"]:
            p = st.repo_file(key, "traffic_clones.json") or st.repo_file(key, "traffic/clones.json")
            return Response(200, st.load(p)) if p else Response(403, TRAFFIC_FORBIDDEN)
        candidates = ["/".join(rest) + ".json"]
        if len(rest) > 1:
            candidates.append("_".join(rest) + ".json")
        for rel in candidates:
            p = st.repo_file(key, rel)
            if p is not None:
                return self.serve_file(p, list_filter_for(rest), raw_query, params, base, path, cfg,
                                       page_limit=cfg["events_page_limit"] if rest == ["issues", "events"] else None)
        if rest[0] == "issues" and self._issues_disabled(key):
            return Response(410, ISSUES_DISABLED)
        if is_object_route(rest):
            return Response(404, NOT_FOUND)
        return Response(200, [], is_list=True)

    def _issues_disabled(self, key):
        p = self.store.repo_file(key, "repo.json")
        if p is None:
            return False
        obj = self.store.load(p)
        return isinstance(obj, dict) and obj.get("has_issues") is False

    def serve_file(self, p, flt, raw_query, params, base, path, cfg, page_limit=None):
        data = self.store.load(p)
        if not isinstance(data, list):
            return Response(200, data)
        items = flt(data, params) if flt else data
        chunk, link = paginate(items, params, raw_query, base, path, cfg["page_size_cap"], page_limit)
        return Response(200, chunk, {"Link": link} if link else {}, is_list=True)

    def rate_limit_body(self, token, cfg):
        core = self.state.peek("core", token)
        search = self.state.peek("search", token)
        now = int(time.time())

        def entry(info):
            return {"limit": info["limit"], "remaining": info["remaining"], "reset": info["reset"],
                    "used": info["used"], "resource": info["resource"]}

        resources = {}
        p = self.store.github_file("rate_limit.json")
        tmpl = None
        if p is not None:
            try:
                tmpl = self.store.load(p)
            except Exception:
                tmpl = None
        names = list((tmpl or {}).get("resources", {}).keys()) if isinstance(tmpl, dict) else []
        for n in ["core", "search"] + [n for n in names if n not in ("core", "search")]:
            if n == "core":
                resources[n] = entry(core)
            elif n == "search":
                resources[n] = entry(search)
            else:
                lim = 5000
                t = tmpl["resources"].get(n) if tmpl else None
                if isinstance(t, dict) and isinstance(t.get("limit"), int):
                    lim = t["limit"]
                resources[n] = {"limit": lim, "remaining": lim, "reset": now + 3600, "used": 0, "resource": n}
        if "graphql" not in resources:
            resources["graphql"] = {"limit": 5000, "remaining": 5000, "reset": now + 3600, "used": 0,
                                    "resource": "graphql"}
        return {"resources": resources, "rate": entry(core)}


# ---------------------------------------------------------------------------------------------
# HTTP handler
# ---------------------------------------------------------------------------------------------


def token_of(header):
    if header is None:
        return None
    v = header.strip()
    if not v:
        return None
    parts = v.split(None, 1)
    if len(parts) == 2 and parts[0].lower() in ("token", "bearer"):
        return parts[1].strip()
    return v


def short_hash(token):
    return hashlib.sha1(token.encode("utf-8", "surrogateescape")).hexdigest()[:10] if token is not None else None


def etag_for(token, body):
    h = hashlib.sha1()
    h.update((token or "").encode("utf-8", "surrogateescape"))
    h.update(body)
    return 'W/"%s"' % h.hexdigest()


def etag_matches(header, etag):
    if not header:
        return False
    want = etag[2:] if etag.startswith("W/") else etag
    for part in header.split(","):
        t = part.strip()
        if t == "*":
            return True
        if t.startswith("W/"):
            t = t[2:]
        if t == want:
            return True
    return False


def malformed_bytes(body):
    """A body that is not JSON: the real body cut in the middle (a truncated array/object)."""
    cut = body[: max(1, len(body) // 2)]
    try:
        json.loads(cut.decode("utf-8", "surrogateescape"))
        cut = cut + b',{"truncated'
    except ValueError:
        pass
    return cut


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "GitHub.com"
    sys_version = ""

    def version_string(self):
        return self.server_version

    def log_message(self, fmt, *args):  # quiet; the JSON log is the record
        if self.server.verbose:
            sys.stderr.write("fake_github: %s - %s\n" % (self.address_string(), fmt % args))

    def _drain_body(self):
        n = self.headers.get("Content-Length")
        try:
            n = int(n) if n else 0
        except ValueError:
            n = 0
        return self.rfile.read(n) if n > 0 else b""

    def do_GET(self):
        self._dispatch("GET")

    def do_HEAD(self):
        self._dispatch("HEAD")

    def do_POST(self):
        self._dispatch("POST")

    def do_PUT(self):
        self._dispatch("PUT")

    def do_PATCH(self):
        self._dispatch("PATCH")

    def do_DELETE(self):
        self._dispatch("DELETE")

    def _dispatch(self, method):
        self._sent = False
        try:
            body = self._drain_body()
            parts = urlsplit(self.path)
            path = parts.path or "/"
            if path.startswith("/_fake/") or path == "/_fake":
                self._control(method, path, body)
            else:
                self._api(method, path, parts.query)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception:
            sys.stderr.write("fake_github: error handling %s %s:\n%s" % (method, self.path, traceback.format_exc()))
            sys.stderr.flush()
            if not self._sent:
                try:
                    self._send(500, dump_json_bytes({"message": "fake_github internal error"}), {}, method)
                except Exception:
                    self.close_connection = True
            else:
                self.close_connection = True

    def _send(self, status, body, headers, method):
        self._sent = True
        self.send_response(status)
        for k, v in headers.items():
            if v is not None:
                self.send_header(k, str(v))
        if status != 304:
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if method != "HEAD" and status != 304 and body:
            self.wfile.write(body)

    # -- control endpoint ------------------------------------------------------------------
    def _control(self, method, path, body):
        app = self.server.app
        state = app.state
        p = path.rstrip("/")
        if p == "/_fake/log" and method == "GET":
            return self._send(200, dump_json_bytes(state.get_log()), {}, method)
        if p == "/_fake/reset-log" and method == "POST":
            state.clear_log()
            return self._send(200, dump_json_bytes({"ok": True}), {}, method)
        if p == "/_fake/config" and method == "GET":
            return self._send(200, dump_json_bytes(state.describe()), {}, method)
        if p == "/_fake/config" and method == "POST":
            try:
                values = json.loads(body.decode("utf-8")) if body.strip() else {}
                values = validate_config(values)
            except (ValueError, UnicodeDecodeError) as e:
                return self._send(400, dump_json_bytes({"message": str(e)}), {}, method)
            state.update_config(values)
            return self._send(200, dump_json_bytes(state.describe()), {}, method)
        if p == "/_fake/reload" and method == "POST":
            app.store.reindex()
            return self._send(200, dump_json_bytes({"ok": True, "repos": len(app.store.repo_dirs)}), {}, method)
        return self._send(404, dump_json_bytes(NOT_FOUND), {}, method)

    # -- API ---------------------------------------------------------------------------------
    def _api(self, method, path, raw_query):
        app = self.server.app
        state = app.state
        cfg = state.snapshot()
        path_q = path + ("?" + raw_query if raw_query else "")
        token = token_of(self.headers.get("Authorization"))
        inm = self.headers.get("If-None-Match")
        rec = {
            "ts": time.time(),
            "method": method,
            "path": path_q,
            "status": None,
            "token": short_hash(token),
            "if_none_match": inm is not None,
            "etag_hit": False,
            "fault": None,
            "ratelimit_remaining": None,
        }
        host = self.headers.get("Host") or "%s:%d" % self.server.server_address[:2]
        base = "http://" + host
        raw_segs = [s for s in path.split("/") if s != ""]
        segs = [unquote(s) for s in raw_segs]
        headers = {
            "x-github-media-type": "github.v3; format=json",
            "x-github-api-version-selected": "2022-11-28",
            "x-github-request-id": "FAKE:%08X" % state.next_request_id(),
            "Vary": "Accept, Authorization, Cookie, X-GitHub-OTP",
        }

        def finish(status, body_bytes, extra=None):
            h = dict(headers)
            if extra:
                h.update(extra)
            rec["status"] = status
            self._slow(cfg, path, path_q)
            # logged before the answer goes out: a client that reads /_fake/log right after
            # its response must find the entry
            state.add_log(rec)
            self._send(status, body_bytes, h, method)

        if not all(_safe_segment(s) for s in segs):
            return finish(404, dump_json_bytes(NOT_FOUND))
        if token is None and cfg["require_token"]:
            return finish(401, dump_json_bytes({"message": "Requires authentication", "documentation_url": DOC_REST}))
        if token is not None and token in cfg["bad_tokens"]:
            return finish(401, dump_json_bytes({"message": "Bad credentials", "documentation_url": DOC_REST}))

        resource = "search" if segs[:1] == ["search"] else "core"
        free = segs == ["rate_limit"]
        bucket = None
        if free:
            info = state.peek("core", token)
        else:
            ok, info, bucket = state.charge(resource, token)
            if not ok:
                rec["fault"] = "rate_limited"
                rec["ratelimit_remaining"] = 0
                who = "user ID 1" if token is not None else self.client_address[0]
                return finish(cfg["rate_limited_status"], dump_json_bytes(
                    {"message": "API rate limit exceeded for %s." % who, "documentation_url": RATE_DOC}),
                    self._rl_headers(info))

        def rl(i):
            rec["ratelimit_remaining"] = i["remaining"]
            return self._rl_headers(i)

        if state.take_secondary(path, path_q):
            rec["fault"] = "secondary"
            h = rl(info)
            h["retry-after"] = "1"
            return finish(cfg["secondary_status"], dump_json_bytes(SECONDARY_BODY), h)
        if state.take_5xx(path, path_q):
            rec["fault"] = "5xx"
            return finish(500, dump_json_bytes(SERVER_ERROR_BODY), rl(info))

        if method not in ("GET", "HEAD"):
            return finish(404, dump_json_bytes(NOT_FOUND), rl(info))

        params = dict(parse_qsl(raw_query, keep_blank_values=True))
        try:
            if free:
                resp = Response(200, app.rate_limit_body(token, cfg))
            else:
                resp = app.route(segs, raw_segs, raw_query, params, base, path, cfg)
        except BadRequest as e:
            resp = Response(e.status, e.body)

        body = resp.body if isinstance(resp.body, bytes) else dump_json_bytes(resp.body)
        extra = dict(resp.headers)
        if resp.status == 200:
            if method == "GET" and state.take_malformed(path, path_q):
                rec["fault"] = "malformed"
                body = malformed_bytes(body)
            etag = etag_for(token, body)
            extra["ETag"] = etag
            extra["Cache-Control"] = "private, max-age=60, s-maxage=60"
            if inm is not None and etag_matches(inm, etag):
                rec["etag_hit"] = True
                if bucket is not None:
                    info = state.refund(resource, token, bucket)
                extra.update(rl(info))
                return finish(304, b"", extra)
        extra.update(rl(info))
        return finish(resp.status, body, extra)

    @staticmethod
    def _rl_headers(info):
        return {
            "x-ratelimit-limit": info["limit"],
            "x-ratelimit-remaining": info["remaining"],
            "x-ratelimit-used": info["used"],
            "x-ratelimit-reset": info["reset"],
            "x-ratelimit-resource": info["resource"],
        }

    @staticmethod
    def _slow(cfg, path, path_q):
        ms = cfg["slow_ms"]
        if ms and rx_match(cfg["slow_path_re"], path, path_q):
            time.sleep(ms / 1000.0)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main(argv=None):
    ap = argparse.ArgumentParser(description="HTTP fake of the GitHub REST API serving fixture datasets.")
    ap.add_argument("--dataset", action="append", required=True,
                    help="dataset directory (repeatable; later ones overlay earlier ones per file)")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=18080, help="0 = any free port (see --port-file)")
    ap.add_argument("--port-file", help="write the bound port to this file once listening")
    ap.add_argument("--log", help="append one JSON line per API request to this file")
    ap.add_argument("--verbose", action="store_true", help="also print an access log to stderr")
    ap.add_argument("--rate-limit", type=int, default=5000)
    ap.add_argument("--rate-reset-seconds", type=float, default=3600.0)
    ap.add_argument("--anon-rate-limit", type=int, default=ANON_CORE_LIMIT)
    ap.add_argument("--search-rate-limit", type=int, default=30)
    ap.add_argument("--search-rate-reset-seconds", type=float, default=60.0)
    ap.add_argument("--page-size-cap", type=int, default=100)
    ap.add_argument("--fail-5xx", type=int, default=0)
    ap.add_argument("--fail-5xx-path-re")
    ap.add_argument("--secondary-limit", type=int, default=0)
    ap.add_argument("--secondary-path-re")
    ap.add_argument("--secondary-status", type=int, default=403)
    ap.add_argument("--rate-limited-status", type=int, default=403)
    ap.add_argument("--slow-ms", type=int, default=0)
    ap.add_argument("--slow-path-re")
    ap.add_argument("--malformed-path-re")
    ap.add_argument("--malformed-limit", type=int, default=0, help="0 = every matching GET")
    ap.add_argument("--events-page-limit", type=int, default=300)
    ap.add_argument("--require-token", action="store_true")
    ap.add_argument("--bad-token", action="append", default=[], help="token answered 401 Bad credentials")
    a = ap.parse_args(argv)

    for d in a.dataset:
        if not os.path.isdir(d):
            ap.error("dataset directory not found: %s" % d)
    raw = {k: CONFIG_SPEC[k][1] for k in CONFIG_SPEC}
    raw.update({
        "rate_limit": a.rate_limit, "rate_reset_seconds": a.rate_reset_seconds,
        "anon_rate_limit": a.anon_rate_limit, "search_rate_limit": a.search_rate_limit,
        "search_rate_reset_seconds": a.search_rate_reset_seconds, "page_size_cap": a.page_size_cap,
        "fail_5xx": a.fail_5xx, "fail_5xx_path_re": a.fail_5xx_path_re,
        "secondary_limit": a.secondary_limit, "secondary_path_re": a.secondary_path_re,
        "secondary_status": a.secondary_status, "rate_limited_status": a.rate_limited_status,
        "slow_ms": a.slow_ms, "slow_path_re": a.slow_path_re, "malformed_path_re": a.malformed_path_re,
        "malformed_limit": a.malformed_limit, "events_page_limit": a.events_page_limit,
        "require_token": a.require_token, "bad_tokens": a.bad_token,
    })
    try:
        config = validate_config(raw)
    except ValueError as e:
        ap.error(str(e))

    store = Store(a.dataset)
    state = State(config, a.log)
    httpd = Server((a.host, a.port), Handler)
    httpd.app = App(store, state)
    httpd.verbose = a.verbose
    port = httpd.server_address[1]
    if a.port_file:
        tmp = a.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.replace(tmp, a.port_file)
    sys.stderr.write("fake_github: listening on http://%s:%d (%d repos, datasets: %s)\n"
                     % (a.host, port, len(store.repo_dirs), ", ".join(store.datasets)))
    sys.stderr.flush()

    import signal

    def _term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _term)
    try:
        httpd.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
