// GitHubClient + CurlTransport against test/fake_api/fake_github.py serving the recorded
// fixtures, on the real clock. Skipped when python3, the fake or the fixtures are missing.
#include <gtest/gtest.h>

#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "http/http_client.hpp"
#include "http/key_pool.hpp"
#include "platform/github/github_client.hpp"

extern char **environ;

using aveloxis::http::CurlTransport;
using aveloxis::http::KeyPool;
using aveloxis::platform::GitHubClient;
using aveloxis::platform::GitHubSettings;
using aveloxis::platform::ListKind;
using aveloxis::platform::Page;
using aveloxis::platform::RepoRef;

namespace {

std::string source_dir() {
    std::string here = __FILE__;
    size_t slash = here.rfind('/');
    return slash == std::string::npos ? "." : here.substr(0, slash);
}

class RealEnv : public aveloxis::http::Environment {
  public:
    bool interrupted() override { return false; }
    void sleep_ms(int64_t ms) override {
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    }
    int64_t now_ms() override {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
    void log_info(const std::string &) override {}
};

size_t discard(char *, size_t size, size_t count, void *) {
    return size * count;
}

class FakeGitHub : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        const std::string script = source_dir() + "/../fake_api/fake_github.py";
        const std::string data = source_dir() + "/../../../shared/fixtures/recorded";
        if (access(script.c_str(), R_OK) != 0 || access(data.c_str(), R_OK) != 0) return;
        char dir_template[] = "/tmp/aveloxis-fake-XXXXXX";
        if (mkdtemp(dir_template) == nullptr) return;
        dir_ = dir_template;
        const std::string port_file = dir_ + "/port";
        std::vector<std::string> args = {"python3",     script,      "--dataset",       data,
                                         "--host",      "127.0.0.1", "--port",          "0",
                                         "--port-file", port_file,   "--page-size-cap", "5"};
        std::vector<char *> argv;
        for (auto &a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        // Its own output goes to a file, not into the test report.
        const std::string output = dir_ + "/fake.log";
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, output.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0600);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        const int rc = posix_spawnp(&pid_, "python3", &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0) {
            pid_ = 0;
            return;
        }
        for (int i = 0; i < 200 && port_.empty(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            std::ifstream in(port_file);
            std::getline(in, port_);
        }
    }
    static void TearDownTestSuite() {
        if (pid_ > 0) {
            kill(pid_, SIGTERM);
            waitpid(pid_, nullptr, 0);
            pid_ = 0;
        }
        if (!dir_.empty()) {
            std::remove((dir_ + "/port").c_str());
            std::remove((dir_ + "/fake.log").c_str());
            rmdir(dir_.c_str());
        }
    }

    void SetUp() override {
        if (port_.empty()) GTEST_SKIP() << "fake_github.py or the recorded fixtures unavailable";
        // Every test starts from the defaults: no faults, fresh rate windows.
        configure(
            R"({"fail_5xx":0,"secondary_limit":0,"rate_limit":5000,"rate_reset_seconds":3600,)"
            R"("malformed_path_re":null,"bad_tokens":[],"page_size_cap":5})");
    }

    static std::string base() { return "http://127.0.0.1:" + port_; }

    static void configure(const std::string &json) {
        CURL *c = curl_easy_init();
        ASSERT_NE(c, nullptr);
        const std::string url = base() + "/_fake/config";
        curl_easy_setopt(c, CURLOPT_URL, url.c_str());
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, json.c_str());
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        EXPECT_EQ(curl_easy_perform(c), CURLE_OK);
        long status = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        EXPECT_EQ(status, 200) << json;
        curl_easy_cleanup(c);
    }

    GitHubSettings settings() const {
        GitHubSettings s;
        s.api_base_url = base();
        s.allowed_hosts = "github.com";
        s.retry_base_ms = 10;
        s.retry_max_ms = 50;
        return s;
    }

    static size_t count(const std::string &text, const std::string &what) {
        size_t n = 0;
        for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
            ++n;
        return n;
    }

    static inline pid_t pid_ = 0;
    static inline std::string port_;
    static inline std::string dir_;
    RealEnv env_;
};

const RepoRef kPaginate{"octokit-fixture-org", "paginate-issues", std::nullopt};

}  // namespace

TEST_F(FakeGitHub, IssuesArriveOverCappedPages) {
    CurlTransport transport(env_, 2000, 10000, "aveloxis-test");
    KeyPool pool({{1, "tok-good"}}, 0);
    GitHubClient client(settings(), pool, transport, env_);
    std::vector<Page> pages;
    long status = client.list(ListKind::Issues, kPaginate, {}, [&](const Page &p) {
        pages.push_back(p);
        return true;
    });
    EXPECT_EQ(status, 200);
    ASSERT_EQ(pages.size(), 3u);  // 13 items, 5 a page
    size_t items = 0;
    for (const Page &p : pages) items += count(p.body, "\"repository_url\"");
    EXPECT_EQ(items, 13u);
    EXPECT_EQ(pages[2].index, 3);
    EXPECT_FALSE(pages[0].etag.empty());
    EXPECT_EQ(pool.state(1, "core")->remaining, 4997);
}

TEST_F(FakeGitHub, RenamedRepositoryIsFollowed) {
    CurlTransport transport(env_, 2000, 10000, "aveloxis-test");
    KeyPool pool({{1, "tok-good"}}, 0);
    GitHubClient client(settings(), pool, transport, env_);
    auto repo = client.fetch_repo({"octokit-fixture-org", "rename-repository", std::nullopt}, "");
    EXPECT_EQ(repo.status, 200);
    EXPECT_EQ(repo.moved_to_url, base() + "/repositories/1000");
    EXPECT_NE(repo.body.find("\"full_name\":\"octokit-fixture-org/rename-repository-newname\""),
              std::string::npos);
    // The stored ETag makes the next fetch free.
    auto again =
        client.fetch_repo({"octokit-fixture-org", "rename-repository-newname", {}}, repo.etag);
    EXPECT_EQ(again.status, 304);
    EXPECT_EQ(client.stats().not_modified, 1);
}

TEST_F(FakeGitHub, MissingRepositoryIsAStatus) {
    CurlTransport transport(env_, 2000, 10000, "aveloxis-test");
    KeyPool pool({}, 0);
    GitHubClient client(settings(), pool, transport, env_);
    EXPECT_EQ(client.fetch_repo({"nobody", "nothing", std::nullopt}, "").status, 404);
    EXPECT_EQ(client.list(ListKind::Pulls, {"nobody", "nothing", std::nullopt}, {},
                          [](const Page &) { return true; }),
              404);
}

TEST_F(FakeGitHub, ServerErrorsAndSecondaryLimitsAreRidden) {
    configure(R"({"fail_5xx":2,"secondary_limit":1})");
    CurlTransport transport(env_, 2000, 10000, "aveloxis-test");
    KeyPool pool({{1, "tok-good"}}, 0);
    GitHubClient client(settings(), pool, transport, env_);
    EXPECT_EQ(client.fetch_repo({"kubernetes", "kubernetes", std::nullopt}, "").status, 200);
    EXPECT_EQ(client.stats().retries, 2);
    EXPECT_EQ(client.stats().secondary_waits, 1);
    EXPECT_GE(client.stats().waited_ms, 1000);  // the fake's retry-after: 1
    EXPECT_EQ(client.stats().requests, 4);
}

TEST_F(FakeGitHub, PrimaryLimitIsWaitedOutWithoutHittingIt) {
    configure(R"({"rate_limit":3,"rate_reset_seconds":1})");
    CurlTransport transport(env_, 2000, 10000, "aveloxis-test");
    KeyPool pool({{1, "tok-good"}}, 0);
    GitHubClient client(settings(), pool, transport, env_);
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(client.fetch_repo({"kubernetes", "kubernetes", std::nullopt}, "").status, 200);
    }
    EXPECT_EQ(client.stats().requests, 5);
    EXPECT_GE(client.stats().rate_limit_waits, 1);
    aveloxis::http::HttpResponse log = transport.perform({base() + "/_fake/log", {}});
    EXPECT_EQ(log.status, 200);
    EXPECT_EQ(log.body.find("rate_limited"), std::string::npos) << log.body;
}

TEST_F(FakeGitHub, BadTokenIsDroppedForAGoodOne) {
    configure(R"({"bad_tokens":["tok-bad"]})");
    CurlTransport transport(env_, 2000, 10000, "aveloxis-test");
    KeyPool pool({{1, "tok-bad"}, {2, "tok-good"}}, 0);
    GitHubClient client(settings(), pool, transport, env_);
    EXPECT_EQ(client.fetch_repo({"kubernetes", "kubernetes", std::nullopt}, "").status, 200);
    EXPECT_EQ(pool.size(), 1u);
    EXPECT_EQ(pool.choose("core", 0).key->key_id, 2);
}

TEST_F(FakeGitHub, MalformedPagesArePassedOnAndPagingGoesOn) {
    configure(R"({"malformed_path_re":"issues"})");
    CurlTransport transport(env_, 2000, 10000, "aveloxis-test");
    KeyPool pool({}, 0);
    GitHubClient client(settings(), pool, transport, env_);
    int pages = 0;
    EXPECT_EQ(client.list(ListKind::Issues, kPaginate, {},
                          [&](const Page &p) {
                              ++pages;
                              EXPECT_EQ(p.status, 200);
                              return true;
                          }),
              200);
    EXPECT_EQ(pages, 3);
}
