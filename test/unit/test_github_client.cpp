// GitHubClient over a scripted transport and a virtual clock: every request is stamped with
// the virtual time it was sent at, so waits can be checked against what was sent.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "http/key_pool.hpp"
#include "platform/github/github_client.hpp"

using aveloxis::http::HttpRequest;
using aveloxis::http::HttpResponse;
using aveloxis::http::KeyPool;
using aveloxis::platform::ApiError;
using aveloxis::platform::GitHubClient;
using aveloxis::platform::GitHubSettings;
using aveloxis::platform::ListKind;
using aveloxis::platform::ListOptions;
using aveloxis::platform::Page;
using aveloxis::platform::RepoRef;

namespace {

const std::string kBase = "https://api.github.com";
const std::string kSecret = "ghp_SECRET_TOKEN_VALUE";

class FakeEnv : public aveloxis::http::Environment {
  public:
    int64_t now = 1700000000000;
    bool stop = false;
    std::vector<int64_t> sleeps;
    std::vector<std::string> logs;
    bool interrupted() override { return stop; }
    void sleep_ms(int64_t ms) override {
        sleeps.push_back(ms);
        now += ms;
    }
    int64_t now_ms() override { return now; }
    void log_info(const std::string &m) override { logs.push_back(m); }
    int64_t now_s() const { return now / 1000; }
};

struct Sent {
    HttpRequest request;
    int64_t at_ms;
    std::string header(const std::string &name) const {
        for (const auto &[n, v] : request.headers) {
            if (n == name) return v;
        }
        return "";
    }
};

class ScriptedTransport : public aveloxis::http::HttpTransport {
  public:
    using Handler = std::function<HttpResponse(const HttpRequest &, size_t call)>;
    ScriptedTransport(FakeEnv &env, Handler handler) : env_(env), handler_(std::move(handler)) {}
    HttpResponse perform(const HttpRequest &request) override {
        sent.push_back({request, env_.now});
        return handler_(request, sent.size());
    }
    std::vector<Sent> sent;

  private:
    FakeEnv &env_;
    Handler handler_;
};

HttpResponse answer(long status, std::string body = "[]",
                    std::map<std::string, std::string> headers = {}) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
}

std::map<std::string, std::string> limit(int64_t remaining, int64_t reset_s,
                                         int64_t limit_value = 5000) {
    return {{"x-ratelimit-limit", std::to_string(limit_value)},
            {"x-ratelimit-remaining", std::to_string(remaining)},
            {"x-ratelimit-reset", std::to_string(reset_s)},
            {"x-ratelimit-resource", "core"}};
}

GitHubSettings settings(const std::string &allowed = "github.com") {
    GitHubSettings s;
    s.api_base_url = kBase;
    s.allowed_hosts = allowed;
    return s;
}

const RepoRef kRepo{"chaoss", "augur", std::nullopt};

std::function<bool(const Page &)> collect(std::vector<Page> &pages) {
    return [&pages](const Page &p) {
        pages.push_back(p);
        return true;
    };
}

void expect_no_secret(const FakeEnv &env, const std::string &text = "") {
    for (const auto &l : env.logs) EXPECT_EQ(l.find(kSecret), std::string::npos) << l;
    EXPECT_EQ(text.find(kSecret), std::string::npos) << text;
}

}  // namespace

TEST(GitHubClient, FetchRepoSendsTheApiHeaders) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &, size_t) {
        return answer(200, "{\"full_name\":\"chaoss/augur\"}", {{"etag", "W/\"abc\""}});
    });
    KeyPool pool({{3, kSecret}}, 0);
    GitHubClient client(settings(), pool, t, env);
    auto repo = client.fetch_repo(kRepo, "W/\"old\"");
    EXPECT_EQ(repo.status, 200);
    EXPECT_EQ(repo.body, "{\"full_name\":\"chaoss/augur\"}");
    EXPECT_EQ(repo.etag, "W/\"abc\"");
    EXPECT_FALSE(repo.moved_to_url);
    ASSERT_EQ(t.sent.size(), 1u);
    EXPECT_EQ(t.sent[0].request.url, kBase + "/repos/chaoss/augur");
    EXPECT_EQ(t.sent[0].header("Accept"), "application/vnd.github+json");
    EXPECT_EQ(t.sent[0].header("X-GitHub-Api-Version"), "2022-11-28");
    EXPECT_EQ(t.sent[0].header("Authorization"), "Bearer " + kSecret);
    EXPECT_EQ(t.sent[0].header("If-None-Match"), "W/\"old\"");
    EXPECT_EQ(client.stats().requests, 1);
}

TEST(GitHubClient, NotModifiedIsCounted) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &, size_t) { return answer(304, ""); });
    KeyPool pool({{3, kSecret}}, 0);
    GitHubClient client(settings(), pool, t, env);
    EXPECT_EQ(client.fetch_repo(kRepo, "W/\"e\"").status, 304);
    EXPECT_EQ(client.stats().not_modified, 1);
}

TEST(GitHubClient, NoKeysMeansAnonymousRequests) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &, size_t) { return answer(200, "{}"); });
    KeyPool pool({}, 0);
    GitHubClient client(settings(), pool, t, env);
    client.fetch_repo(kRepo, "");
    client.fetch_repo(kRepo, "");
    EXPECT_EQ(t.sent[0].header("Authorization"), "");
    EXPECT_EQ(t.sent[0].header("If-None-Match"), "");
    ASSERT_EQ(env.logs.size(), 1u);  // said once, not per request
    EXPECT_NE(env.logs[0].find("60 per hour"), std::string::npos);
}

TEST(GitHubClient, FollowsThreePagesByLinkHeader) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &req, size_t) {
        if (req.url.find("page=2") != std::string::npos) {
            return answer(
                200, "[2]",
                {{"link", "<" + kBase + "/repositories/7/issues?page=3>; rel=\"next\", <" + kBase +
                              "/repositories/7/issues?page=1>; rel=\"first\""},
                 {"etag", "e2"}});
        }
        if (req.url.find("page=3") != std::string::npos) {
            return answer(200, "[3]", {{"link", "<" + kBase + "/x?page=1>; rel=\"first\""}});
        }
        return answer(200, "[1]",
                      {{"link", "<" + kBase + "/repositories/7/issues?page=2>; rel=\"next\""}});
    });
    KeyPool pool({{1, kSecret}}, 0);
    GitHubClient client(settings(), pool, t, env);
    std::vector<Page> pages;
    ListOptions opts;
    opts.since = "2024-01-02T03:04:05+00:00";
    EXPECT_EQ(client.list(ListKind::Issues, kRepo, opts, collect(pages)), 200);
    ASSERT_EQ(pages.size(), 3u);
    EXPECT_EQ(t.sent[0].request.url,
              kBase +
                  "/repos/chaoss/augur/issues?state=all&per_page=100&since=2024-01-02T03%3A04%"
                  "3A05%2B00%3A00");
    // The next URL is followed exactly as given (the renamed-repo form).
    EXPECT_EQ(t.sent[1].request.url, kBase + "/repositories/7/issues?page=2");
    EXPECT_EQ(t.sent[2].request.url, kBase + "/repositories/7/issues?page=3");
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(pages[i].index, i + 1);
        EXPECT_EQ(pages[i].status, 200);
        EXPECT_EQ(pages[i].body, "[" + std::to_string(i + 1) + "]");
        EXPECT_EQ(pages[i].url, t.sent[i].request.url);
        EXPECT_EQ(t.sent[i].header("Authorization"), "Bearer " + kSecret);
    }
    EXPECT_EQ(pages[1].etag, "e2");
    EXPECT_EQ(client.stats().requests, 3);
    EXPECT_TRUE(env.sleeps.empty());
}

TEST(GitHubClient, ListUrlsPerKind) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &, size_t) { return answer(200); });
    KeyPool pool({}, 0);
    GitHubSettings s = settings();
    s.per_page = 50;
    GitHubClient client(s, pool, t, env);
    ListOptions since;
    since.since = "2024-01-01T00:00:00Z";
    auto ignore = [](const Page &) { return true; };
    client.list(ListKind::Pulls, kRepo, since, ignore);
    client.list(ListKind::IssueComments, kRepo, since, ignore);
    client.list(ListKind::Releases, kRepo, since, ignore);
    client.list(ListKind::Contributors, kRepo, {}, ignore);
    client.list(ListKind::Issues, {"", "", 42}, {}, ignore);
    ASSERT_EQ(t.sent.size(), 5u);
    const std::string r = kBase + "/repos/chaoss/augur";
    EXPECT_EQ(t.sent[0].request.url,
              r + "/pulls?state=all&sort=updated&direction=desc&per_page=50");
    EXPECT_EQ(t.sent[1].request.url,
              r + "/issues/comments?per_page=50&since=2024-01-01T00%3A00%3A00Z");
    EXPECT_EQ(t.sent[2].request.url, r + "/releases?per_page=50");
    EXPECT_EQ(t.sent[3].request.url, r + "/contributors?per_page=50");
    EXPECT_EQ(t.sent[4].request.url, kBase + "/repositories/42/issues?state=all&per_page=50");
}

TEST(GitHubClient, OwnerAndNameCannotEscapeTheirSegment) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &, size_t) { return answer(200, "{}"); });
    KeyPool pool({}, 0);
    GitHubClient client(settings(), pool, t, env);
    client.fetch_repo({"a b", "c/d?e", std::nullopt}, "");
    EXPECT_EQ(t.sent[0].request.url, kBase + "/repos/a%20b/c%2Fd%3Fe");
    EXPECT_THROW(client.fetch_repo({"..", "x", std::nullopt}, ""), std::invalid_argument);
    EXPECT_THROW(client.fetch_repo({"", "", std::nullopt}, ""), std::invalid_argument);
    EXPECT_EQ(t.sent.size(), 1u);
}

TEST(GitHubClient, StopsWhenTheCallbackSaysSo) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &, size_t) {
        return answer(200, "[]", {{"link", "<" + kBase + "/more?page=2>; rel=\"next\""}});
    });
    KeyPool pool({}, 0);
    GitHubClient client(settings(), pool, t, env);
    EXPECT_EQ(client.list(ListKind::Pulls, kRepo, {}, [](const Page &) { return false; }), 200);
    EXPECT_EQ(t.sent.size(), 1u);
}

TEST(GitHubClient, InvalidJsonPageIsPassedOnAndPagingContinues) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &, size_t call) {
        if (call == 1) {
            return answer(200, "[{\"id\": 1,", {{"link", "<" + kBase + "/p?page=2>; rel=next"}});
        }
        return answer(200, "[]");
    });
    KeyPool pool({}, 0);
    GitHubClient client(settings(), pool, t, env);
    std::vector<Page> pages;
    EXPECT_EQ(client.list(ListKind::Releases, kRepo, {}, collect(pages)), 200);
    ASSERT_EQ(pages.size(), 2u);
    EXPECT_EQ(pages[0].body, "[{\"id\": 1,");
    EXPECT_EQ(client.stats().retries, 0);
}

TEST(GitHubClient, ServerErrorsAreRetriedWithBackoff) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &, size_t call) {
        return call <= 2 ? answer(500, "{\"message\":\"Server Error\"}") : answer(200, "{}");
    });
    KeyPool pool({{1, kSecret}}, 0);
    GitHubClient client(settings(), pool, t, env);
    EXPECT_EQ(client.fetch_repo(kRepo, "").status, 200);
    EXPECT_EQ(t.sent.size(), 3u);
    EXPECT_EQ(client.stats().retries, 2);
    ASSERT_EQ(env.sleeps.size(), 2u);
    // Exponential from retry_base_ms with jitter in the upper half of each step.
    EXPECT_GE(env.sleeps[0], 500);
    EXPECT_LE(env.sleeps[0], 1000);
    EXPECT_GE(env.sleeps[1], 1000);
    EXPECT_LE(env.sleeps[1], 2000);
    EXPECT_EQ(client.stats().waited_ms, env.sleeps[0] + env.sleeps[1]);
}

TEST(GitHubClient, BackoffIsCappedAndRetriesRunOut) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &, size_t) {
        return answer(502, "{\"message\":\"Bad Gateway\"}");
    });
    KeyPool pool({{1, kSecret}}, 0);
    GitHubSettings s = settings();
    s.max_retries = 4;
    s.retry_base_ms = 1000;
    s.retry_max_ms = 3000;
    GitHubClient client(s, pool, t, env);
    try {
        client.fetch_repo(kRepo, "");
        FAIL() << "no ApiError";
    } catch (const ApiError &e) {
        EXPECT_EQ(e.status(), 502);
        std::string what = e.what();
        EXPECT_NE(what.find("/repos/chaoss/augur"), std::string::npos) << what;
        EXPECT_NE(what.find("Bad Gateway"), std::string::npos) << what;
        expect_no_secret(env, what);
    }
    EXPECT_EQ(t.sent.size(), 5u);
    ASSERT_EQ(env.sleeps.size(), 4u);
    for (int64_t slept : env.sleeps) EXPECT_LE(slept, 3000);
    EXPECT_GE(env.sleeps[3], 1500);
}

TEST(GitHubClient, TransportErrorsAreRetriedThenReported) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &, size_t call) {
        HttpResponse r;
        if (call == 1) {
            r.transport_error = "Connection refused";
            return r;
        }
        if (call == 2) return answer(200, "{}");
        r.transport_error = "Timeout was reached";
        return r;
    });
    KeyPool pool({}, 0);
    GitHubSettings s = settings();
    s.max_retries = 2;
    GitHubClient client(s, pool, t, env);
    EXPECT_EQ(client.fetch_repo(kRepo, "").status, 200);
    EXPECT_EQ(client.stats().retries, 1);
    try {
        client.fetch_repo(kRepo, "");
        FAIL() << "no ApiError";
    } catch (const ApiError &e) {
        EXPECT_EQ(e.status(), 0);
        EXPECT_NE(std::string(e.what()).find("Timeout was reached"), std::string::npos);
    }
    EXPECT_EQ(t.sent.size(), 5u);
}

TEST(GitHubClient, PrimaryLimitOnTheOnlyKeyWaitsForTheReset) {
    FakeEnv env;
    const int64_t reset = env.now_s() + 120;
    ScriptedTransport t(env, [&](const HttpRequest &, size_t call) {
        if (call == 1) {
            return answer(403, "{\"message\":\"API rate limit exceeded for user ID 1.\"}",
                          limit(0, reset));
        }
        return answer(200, "{}", limit(4999, reset + 3600));
    });
    KeyPool pool({{1, kSecret}}, 0);
    GitHubClient client(settings(), pool, t, env);
    EXPECT_EQ(client.fetch_repo(kRepo, "").status, 200);
    ASSERT_EQ(t.sent.size(), 2u);
    EXPECT_GE(t.sent[1].at_ms, (reset + 1) * 1000);
    ASSERT_EQ(env.sleeps.size(), 1u);
    EXPECT_EQ(t.sent[0].at_ms + env.sleeps[0], t.sent[1].at_ms);
    EXPECT_EQ(client.stats().rate_limit_waits, 1);
    EXPECT_EQ(client.stats().secondary_waits, 0);
    EXPECT_EQ(client.stats().retries, 0);
    expect_no_secret(env);
}

TEST(GitHubClient, NoRequestIsSentIntoAnExhaustedBudget) {
    FakeEnv env;
    const int64_t reset = env.now_s() + 600;
    ScriptedTransport t(env, [&](const HttpRequest &req, size_t) {
        if (req.url.find("page=2") != std::string::npos) return answer(200, "[2]");
        // Page 1 used the last request above the reserve.
        auto h = limit(10, reset);
        h["link"] = "<" + kBase + "/repositories/1/pulls?page=2>; rel=\"next\"";
        return answer(200, "[1]", h);
    });
    KeyPool pool({{1, kSecret}}, 10);
    GitHubClient client(settings(), pool, t, env);
    std::vector<Page> pages;
    EXPECT_EQ(client.list(ListKind::Pulls, kRepo, {}, collect(pages)), 200);
    ASSERT_EQ(t.sent.size(), 2u);
    EXPECT_GE(t.sent[1].at_ms, (reset + 1) * 1000);
    EXPECT_EQ(client.stats().rate_limit_waits, 1);
}

TEST(GitHubClient, AnonymousBudgetIsWaitedForToo) {
    FakeEnv env;
    const int64_t reset = env.now_s() + 300;
    ScriptedTransport t(env, [&](const HttpRequest &, size_t call) {
        if (call == 1)
            return answer(403, "{\"message\":\"API rate limit exceeded\"}", limit(0, reset, 60));
        return answer(200, "{}", limit(59, reset + 3600, 60));
    });
    KeyPool pool({}, 0);
    GitHubClient client(settings(), pool, t, env);
    EXPECT_EQ(client.fetch_repo(kRepo, "").status, 200);
    ASSERT_EQ(t.sent.size(), 2u);
    EXPECT_GE(t.sent[1].at_ms, (reset + 1) * 1000);
    EXPECT_EQ(t.sent[1].header("Authorization"), "");
    EXPECT_EQ(client.stats().rate_limit_waits, 1);
}

TEST(GitHubClient, LimitWithoutResetWaitsAMinute) {
    FakeEnv env;
    ScriptedTransport t(env, [&](const HttpRequest &, size_t call) {
        if (call == 1) return answer(429, "{}", {{"x-ratelimit-remaining", "0"}});
        return answer(200, "{}");
    });
    KeyPool pool({{1, kSecret}}, 0);
    GitHubClient client(settings(), pool, t, env);
    const int64_t start = env.now;
    EXPECT_EQ(client.fetch_repo(kRepo, "").status, 200);
    ASSERT_EQ(t.sent.size(), 2u);
    EXPECT_GE(t.sent[1].at_ms - start, 60000);
    EXPECT_LE(t.sent[1].at_ms - start, 62000);
}

TEST(GitHubClient, ExhaustedFirstKeySwitchesToTheSecondWithoutWaiting) {
    FakeEnv env;
    const int64_t reset = env.now_s() + 1800;
    ScriptedTransport t(env, [&](const HttpRequest &req, size_t) {
        for (const auto &[n, v] : req.headers) {
            if (n == "Authorization" && v == "Bearer tok-a") {
                return answer(429, "{\"message\":\"API rate limit exceeded\"}", limit(0, reset));
            }
        }
        return answer(200, "{}", limit(4000, reset));
    });
    KeyPool pool({{1, "tok-a"}, {2, "tok-b"}}, 0);
    GitHubClient client(settings(), pool, t, env);
    EXPECT_EQ(client.fetch_repo(kRepo, "").status, 200);
    EXPECT_EQ(client.fetch_repo(kRepo, "").status, 200);
    ASSERT_EQ(t.sent.size(), 3u);
    EXPECT_EQ(t.sent[0].header("Authorization"), "Bearer tok-a");
    EXPECT_EQ(t.sent[1].header("Authorization"), "Bearer tok-b");
    EXPECT_EQ(t.sent[2].header("Authorization"), "Bearer tok-b");  // key 1 stays parked
    EXPECT_TRUE(env.sleeps.empty());
    EXPECT_EQ(client.stats().rate_limit_waits, 0);
    EXPECT_EQ(pool.state(1, "core")->remaining, 0);
}

TEST(GitHubClient, ResetBeyondTheLongestWaitIsAnError) {
    FakeEnv env;
    ScriptedTransport t(env, [&](const HttpRequest &, size_t) {
        return answer(403, "{\"message\":\"API rate limit exceeded\"}",
                      limit(0, env.now_s() + 7200));
    });
    KeyPool pool({{1, kSecret}}, 0);
    GitHubSettings s = settings();
    s.max_reset_wait_ms = 3600000;
    GitHubClient client(s, pool, t, env);
    try {
        client.fetch_repo(kRepo, "");
        FAIL() << "no ApiError";
    } catch (const ApiError &e) {
        EXPECT_EQ(e.status(), 429);
        expect_no_secret(env, e.what());
    }
    EXPECT_EQ(t.sent.size(), 1u);
    EXPECT_TRUE(env.sleeps.empty());
}

TEST(GitHubClient, SecondaryLimitHonoursRetryAfter) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &, size_t call) {
        if (call == 1) {
            return answer(
                403, "{\"message\":\"You have exceeded a secondary rate limit. Please wait.\"}",
                {{"retry-after", "30"}, {"x-ratelimit-remaining", "4000"}});
        }
        return answer(200, "{}");
    });
    KeyPool pool({{1, kSecret}}, 0);
    GitHubClient client(settings(), pool, t, env);
    EXPECT_EQ(client.fetch_repo(kRepo, "").status, 200);
    ASSERT_EQ(env.sleeps.size(), 1u);
    EXPECT_EQ(env.sleeps[0], 30000);
    EXPECT_EQ(t.sent[1].at_ms - t.sent[0].at_ms, 30000);
    EXPECT_EQ(client.stats().secondary_waits, 1);
    EXPECT_EQ(client.stats().rate_limit_waits, 0);
    EXPECT_EQ(pool.state(1, "core")->remaining, 4000);  // the key is not marked exhausted
    EXPECT_EQ(t.sent[1].header("Authorization"), "Bearer " + kSecret);
}

TEST(GitHubClient, SecondaryLimitWithoutRetryAfterDoubles) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &, size_t call) {
        if (call <= 2) {
            return answer(403, "{\"message\":\"You have triggered an abuse detection mechanism\"}");
        }
        if (call == 3) return answer(429, "{}");
        return answer(200, "{}");
    });
    KeyPool pool({{1, kSecret}}, 0);
    GitHubSettings s = settings();
    s.secondary_wait_ms = 60000;
    GitHubClient client(s, pool, t, env);
    EXPECT_EQ(client.fetch_repo(kRepo, "").status, 200);
    EXPECT_EQ(env.sleeps, (std::vector<int64_t>{60000, 120000, 240000}));
    EXPECT_EQ(client.stats().secondary_waits, 3);
}

TEST(GitHubClient, PlainForbiddenIsReturnedNotRetried) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &, size_t) {
        return answer(403, "{\"message\":\"Repository access blocked\"}", limit(4000, 1));
    });
    KeyPool pool({{1, kSecret}}, 0);
    GitHubClient client(settings(), pool, t, env);
    EXPECT_EQ(client.fetch_repo(kRepo, "").status, 403);
    EXPECT_EQ(t.sent.size(), 1u);
    EXPECT_TRUE(env.sleeps.empty());
}

TEST(GitHubClient, GoneAndMissingAreStatuses) {
    for (long status : {404L, 410L, 451L}) {
        FakeEnv env;
        ScriptedTransport t(env, [&](const HttpRequest &, size_t) {
            return answer(status, "{\"message\":\"x\"}");
        });
        KeyPool pool({}, 0);
        GitHubClient client(settings(), pool, t, env);
        EXPECT_EQ(client.fetch_repo(kRepo, "").status, status);
        std::vector<Page> pages;
        EXPECT_EQ(client.list(ListKind::Issues, kRepo, {}, collect(pages)), status);
        EXPECT_TRUE(pages.empty());
        EXPECT_EQ(t.sent.size(), 2u);
    }
}

TEST(GitHubClient, FailureOnALaterPageIsAnError) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &, size_t call) {
        if (call == 1) return answer(200, "[]", {{"link", "<" + kBase + "/p?page=2>; rel=next"}});
        return answer(404, "{\"message\":\"Not Found\"}");
    });
    KeyPool pool({}, 0);
    GitHubClient client(settings(), pool, t, env);
    std::vector<Page> pages;
    try {
        client.list(ListKind::Issues, kRepo, {}, collect(pages));
        FAIL() << "no ApiError";
    } catch (const ApiError &e) {
        EXPECT_EQ(e.status(), 404);
        EXPECT_NE(std::string(e.what()).find("page 2"), std::string::npos) << e.what();
    }
    EXPECT_EQ(pages.size(), 1u);
}

TEST(GitHubClient, UnexpectedStatusFromFetchRepoIsAnError) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &, size_t) {
        return answer(422, "{\"message\":\"Validation Failed\"}");
    });
    KeyPool pool({}, 0);
    GitHubClient client(settings(), pool, t, env);
    EXPECT_THROW(client.fetch_repo(kRepo, ""), ApiError);
}

TEST(GitHubClient, EmptyContributorsListing) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &, size_t) { return answer(204, ""); });
    KeyPool pool({}, 0);
    GitHubClient client(settings(), pool, t, env);
    std::vector<Page> pages;
    EXPECT_EQ(client.list(ListKind::Contributors, kRepo, {}, collect(pages)), 200);
    EXPECT_TRUE(pages.empty());
}

TEST(GitHubClient, UnauthorizedDropsTheKeyAndUsesAnother) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &, size_t call) {
        return call == 1 ? answer(401, "{\"message\":\"Bad credentials\"}") : answer(200, "{}");
    });
    KeyPool pool({{11, kSecret}, {12, "tok-2"}}, 0);
    GitHubClient client(settings(), pool, t, env);
    EXPECT_EQ(client.fetch_repo(kRepo, "").status, 200);
    EXPECT_EQ(client.fetch_repo(kRepo, "").status, 200);
    ASSERT_EQ(t.sent.size(), 3u);
    EXPECT_EQ(t.sent[0].header("Authorization"), "Bearer " + kSecret);
    EXPECT_EQ(t.sent[1].header("Authorization"), "Bearer tok-2");
    EXPECT_EQ(t.sent[2].header("Authorization"), "Bearer tok-2");
    EXPECT_EQ(pool.size(), 1u);
    bool logged = false;
    for (const auto &l : env.logs) logged = logged || l.find("key 11") != std::string::npos;
    EXPECT_TRUE(logged);
    expect_no_secret(env);
}

TEST(GitHubClient, UnauthorizedWithNoKeyLeftIsAnError) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &, size_t) {
        return answer(401, "{\"message\":\"Bad credentials\"}");
    });
    KeyPool pool({{11, kSecret}}, 0);
    GitHubClient client(settings(), pool, t, env);
    try {
        client.fetch_repo(kRepo, "");
        FAIL() << "no ApiError";
    } catch (const ApiError &e) {
        EXPECT_EQ(e.status(), 401);
        expect_no_secret(env, e.what());
    }
    EXPECT_EQ(t.sent.size(), 1u);
}

TEST(GitHubClient, MovedRepositoryIsFollowed) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &req, size_t) {
        if (req.url == kBase + "/repos/chaoss/augur") {
            return answer(301, "{\"message\":\"Moved Permanently\"}",
                          {{"location", kBase + "/repositories/78134122"}});
        }
        return answer(200, "{\"full_name\":\"chaoss/augur-new\"}");
    });
    KeyPool pool({{1, kSecret}}, 0);
    GitHubClient client(settings(), pool, t, env);
    auto repo = client.fetch_repo(kRepo, "");
    EXPECT_EQ(repo.status, 200);
    EXPECT_EQ(repo.moved_to_url, kBase + "/repositories/78134122");
    EXPECT_EQ(repo.body, "{\"full_name\":\"chaoss/augur-new\"}");
    ASSERT_EQ(t.sent.size(), 2u);
    EXPECT_EQ(t.sent[1].header("Authorization"), "Bearer " + kSecret);
}

TEST(GitHubClient, TemporaryRedirectIsNotAMove) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &req, size_t) {
        if (req.url.find("/repos/") != std::string::npos) {
            return answer(307, "", {{"location", "/repositories/5"}});  // relative
        }
        return answer(200, "{}");
    });
    KeyPool pool({}, 0);
    GitHubClient client(settings(), pool, t, env);
    auto repo = client.fetch_repo(kRepo, "");
    EXPECT_EQ(repo.status, 200);
    EXPECT_FALSE(repo.moved_to_url);
    EXPECT_EQ(t.sent[1].request.url, kBase + "/repositories/5");
}

TEST(GitHubClient, RedirectLoopsEnd) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &, size_t call) {
        return answer(302, "", {{"location", kBase + "/hop/" + std::to_string(call)}});
    });
    KeyPool pool({}, 0);
    GitHubClient client(settings(), pool, t, env);
    EXPECT_THROW(client.fetch_repo(kRepo, ""), ApiError);
    EXPECT_EQ(t.sent.size(), 6u);  // the original and 5 hops
}

TEST(GitHubClient, RedirectToAHostNotAllowedIsRefused) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &, size_t) {
        return answer(301, "", {{"location", "https://evil.example.net/steal"}});
    });
    KeyPool pool({{1, kSecret}}, 0);
    GitHubClient client(settings(), pool, t, env);
    try {
        client.fetch_repo(kRepo, "");
        FAIL() << "no ApiError";
    } catch (const ApiError &e) {
        EXPECT_NE(std::string(e.what()).find("evil.example.net"), std::string::npos) << e.what();
    }
    EXPECT_EQ(t.sent.size(), 1u);
}

TEST(GitHubClient, NextLinkToAHostNotAllowedIsRefused) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &, size_t) {
        return answer(200, "[]", {{"link", "<http://169.254.169.254/latest>; rel=\"next\""}});
    });
    KeyPool pool({{1, kSecret}}, 0);
    GitHubClient client(settings(), pool, t, env);
    std::vector<Page> pages;
    try {
        client.list(ListKind::Issues, kRepo, {}, collect(pages));
        FAIL() << "no ApiError";
    } catch (const ApiError &e) {
        EXPECT_NE(std::string(e.what()).find("169.254.169.254"), std::string::npos) << e.what();
    }
    EXPECT_EQ(pages.size(), 1u);
    EXPECT_EQ(t.sent.size(), 1u);
}

TEST(GitHubClient, OtherAllowedHostsGetNoToken) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &req, size_t) {
        if (req.url.rfind(kBase, 0) == 0) {
            return answer(200, "[1]", {{"link", "<https://mirror.example.org/p2>; rel=\"next\""}});
        }
        return answer(200, "[2]");
    });
    KeyPool pool({{1, kSecret}}, 0);
    GitHubClient client(settings("github.com, example.org"), pool, t, env);
    std::vector<Page> pages;
    EXPECT_EQ(client.list(ListKind::Issues, kRepo, {}, collect(pages)), 200);
    ASSERT_EQ(t.sent.size(), 2u);
    EXPECT_EQ(t.sent[1].request.url, "https://mirror.example.org/p2");
    EXPECT_EQ(t.sent[1].header("Authorization"), "");
}

TEST(GitHubClient, BaseOriginIsTrustedWithoutAllowedHosts) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &req, size_t) {
        if (req.url.find("page=2") == std::string::npos) {
            return answer(200, "[]",
                          {{"link", "<http://127.0.0.1:18080/api/v3/x?page=2>; rel=\"next\""}});
        }
        return answer(200, "[]");
    });
    KeyPool pool({}, 0);
    GitHubSettings s = settings("");
    s.api_base_url = "http://127.0.0.1:18080/api/v3/";
    GitHubClient client(s, pool, t, env);
    EXPECT_EQ(client.paginate("/x?page=1", [](const Page &) { return true; }), 200);
    ASSERT_EQ(t.sent.size(), 2u);
    EXPECT_EQ(t.sent[0].request.url, "http://127.0.0.1:18080/api/v3/x?page=1");
    // Same host, another port: not the base, not allowed.
    EXPECT_THROW(client.get("http://127.0.0.1:18081/api/v3/x"), ApiError);
    EXPECT_EQ(t.sent.size(), 2u);
}

TEST(GitHubClient, LinkCycleIsAnError) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &req, size_t) {
        const bool first = req.url.find("page=2") == std::string::npos;
        return answer(
            200, "[]",
            {{"link", "<" + kBase + (first ? "/p?page=2" : "/p?page=1") + ">; rel=next"}});
    });
    KeyPool pool({}, 0);
    GitHubClient client(settings(), pool, t, env);
    EXPECT_THROW(client.paginate("/p?page=1", [](const Page &) { return true; }), ApiError);
    EXPECT_EQ(t.sent.size(), 2u);
}

TEST(GitHubClient, SearchHasItsOwnBucket) {
    FakeEnv env;
    const int64_t reset = env.now_s() + 3000;
    ScriptedTransport t(env, [&](const HttpRequest &req, size_t) {
        if (req.url.find("/search/") != std::string::npos) {
            auto h = limit(29, env.now_s() + 60, 30);
            h["x-ratelimit-resource"] = "search";
            return answer(200, "{\"items\":[]}", h);
        }
        return answer(200, "{}", limit(0, reset));
    });
    KeyPool pool({{1, kSecret}}, 0);
    GitHubClient client(settings(), pool, t, env);
    client.get("/repos/chaoss/search");  // a repository named "search" is still core
    EXPECT_EQ(client.get("/search/users?q=a%40b.c+in:email").response.status, 200);
    EXPECT_TRUE(env.sleeps.empty());
    EXPECT_EQ(pool.state(1, "search")->remaining, 29);
    EXPECT_EQ(pool.state(1, "core")->remaining, 0);
}

TEST(GitHubClient, InterruptStopsBeforeSending) {
    FakeEnv env;
    env.stop = true;
    ScriptedTransport t(env, [](const HttpRequest &, size_t) { return answer(200, "{}"); });
    KeyPool pool({}, 0);
    GitHubClient client(settings(), pool, t, env);
    EXPECT_THROW(client.fetch_repo(kRepo, ""), aveloxis::http::Interrupted);
    EXPECT_TRUE(t.sent.empty());
}

TEST(GitHubClient, BadBaseUrlIsRefused) {
    FakeEnv env;
    ScriptedTransport t(env, [](const HttpRequest &, size_t) { return answer(200); });
    KeyPool pool({}, 0);
    GitHubSettings s = settings();
    s.api_base_url = "ftp://api.github.com";
    EXPECT_THROW(GitHubClient(s, pool, t, env), std::invalid_argument);
}
