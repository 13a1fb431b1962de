// CurlTransport against a real socket server in this process, and the GitHub client on top
// of it with a virtual clock.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/http_client.hpp"
#include "http/key_pool.hpp"
#include "platform/github/github_client.hpp"

using aveloxis::http::CurlTransport;
using aveloxis::http::HttpRequest;
using aveloxis::http::HttpResponse;
using aveloxis::http::Interrupted;

namespace {

struct Reply {
    std::string raw;   // the full HTTP response as sent on the wire
    int delay_ms = 0;  // before answering
    bool close = false;
};

// Serves one connection at a time (libcurl uses one at a time), with keep-alive, until
// destroyed. Handlers run on the server thread.
class SocketServer {
  public:
    using Handler = std::function<Reply(const std::string &request)>;

    explicit SocketServer(Handler handler) : handler_(std::move(handler)) {
        listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        if (bind(listen_fd_, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
            listen(listen_fd_, 8) != 0) {
            ADD_FAILURE() << "cannot listen";
        }
        socklen_t len = sizeof addr;
        getsockname(listen_fd_, reinterpret_cast<sockaddr *>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { run(); });
    }
    ~SocketServer() {
        stop_ = true;
        thread_.join();
        close(listen_fd_);
    }
    SocketServer(const SocketServer &) = delete;
    SocketServer &operator=(const SocketServer &) = delete;

    int port() const { return port_; }
    std::string url(const std::string &path) const {
        return "http://127.0.0.1:" + std::to_string(port_) + path;
    }
    int connections() const { return connections_; }
    std::vector<std::string> requests() {
        std::lock_guard<std::mutex> lock(mutex_);
        return requests_;
    }

  private:
    bool readable(int fd) {
        pollfd p{fd, POLLIN, 0};
        return poll(&p, 1, 20) > 0;
    }

    void run() {
        while (!stop_) {
            if (!readable(listen_fd_)) continue;
            int fd = accept(listen_fd_, nullptr, nullptr);
            if (fd < 0) continue;
            ++connections_;
            serve(fd);
            close(fd);
        }
    }

    void serve(int fd) {
        std::string buffer;
        while (!stop_) {
            size_t end;
            while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
                if (stop_) return;
                if (!readable(fd)) continue;
                char chunk[4096];
                ssize_t n = recv(fd, chunk, sizeof chunk, 0);
                if (n <= 0) return;
                buffer.append(chunk, static_cast<size_t>(n));
            }
            std::string request = buffer.substr(0, end + 4);
            buffer.erase(0, end + 4);
            {
                std::lock_guard<std::mutex> lock(mutex_);
                requests_.push_back(request);
            }
            Reply reply = handler_(request);
            for (int waited = 0; waited < reply.delay_ms && !stop_; waited += 10) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
            size_t sent = 0;
            while (sent < reply.raw.size()) {
                ssize_t n =
                    send(fd, reply.raw.data() + sent, reply.raw.size() - sent, MSG_NOSIGNAL);
                if (n <= 0) return;
                sent += static_cast<size_t>(n);
            }
            if (reply.close) return;
        }
    }

    Handler handler_;
    int listen_fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> connections_{0};
    std::mutex mutex_;
    std::vector<std::string> requests_;
    std::thread thread_;
};

std::string http_response(int status, const std::string &body,
                          const std::vector<std::string> &headers = {}) {
    std::string raw = "HTTP/1.1 " + std::to_string(status) + " X\r\n";
    for (const auto &h : headers) raw += h + "\r\n";
    raw += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    return raw;
}

// Real time; interrupts set from the test thread.
class RealEnv : public aveloxis::http::Environment {
  public:
    std::atomic<bool> stop{false};
    bool interrupted() override { return stop; }
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

// Virtual clock read by the server thread too, so it can stamp requests with it.
class VirtualEnv : public aveloxis::http::Environment {
  public:
    std::atomic<int64_t> now{1700000000000};
    std::vector<int64_t> sleeps;
    bool interrupted() override { return false; }
    void sleep_ms(int64_t ms) override {
        sleeps.push_back(ms);
        now += ms;
    }
    int64_t now_ms() override { return now; }
    void log_info(const std::string &) override {}
};

int64_t elapsed_ms(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 since)
        .count();
}

}  // namespace

TEST(CurlTransport, StatusLowercasedHeadersAndBody) {
    SocketServer server([](const std::string &) {
        return Reply{http_response(201, "{\"ok\":1}",
                                   {"Content-Type: application/json", "X-RateLimit-Remaining: 42",
                                    "Link: <http://h/a>; rel=\"next\"",
                                    "LINK: <http://h/b>; rel=\"last\"", "X-Dup: 1", "X-Dup: 2"})};
    });
    RealEnv env;
    CurlTransport t(env, 2000, 5000, "aveloxis-test/1");
    HttpResponse r = t.perform(HttpRequest{server.url("/x?y=1"), {{"X-Test", "yes"}}});
    EXPECT_EQ(r.transport_error, "");
    EXPECT_EQ(r.status, 201);
    EXPECT_EQ(r.body, "{\"ok\":1}");
    EXPECT_EQ(r.url, server.url("/x?y=1"));
    EXPECT_EQ(r.headers["content-type"], "application/json");
    EXPECT_EQ(r.headers["x-ratelimit-remaining"], "42");
    EXPECT_EQ(r.headers["x-dup"], "2");
    EXPECT_EQ(r.headers["link"], "<http://h/a>; rel=\"next\", <http://h/b>; rel=\"last\"");
    ASSERT_EQ(server.requests().size(), 1u);
    const std::string req = server.requests()[0];
    EXPECT_EQ(req.rfind("GET /x?y=1 HTTP/1.1\r\n", 0), 0u) << req;
    EXPECT_NE(req.find("\r\nX-Test: yes\r\n"), std::string::npos) << req;
    EXPECT_NE(req.find("\r\nUser-Agent: aveloxis-test/1\r\n"), std::string::npos) << req;
    EXPECT_NE(req.find("\r\nAccept-Encoding: "), std::string::npos) << req;
}

TEST(CurlTransport, RedirectsAreNotFollowed) {
    SocketServer server([&](const std::string &) {
        return Reply{http_response(301, "", {"Location: http://127.0.0.1:1/elsewhere"})};
    });
    RealEnv env;
    CurlTransport t(env, 2000, 5000, "ua");
    HttpResponse r = t.perform(HttpRequest{server.url("/old"), {}});
    EXPECT_EQ(r.status, 301);
    EXPECT_EQ(r.headers["location"], "http://127.0.0.1:1/elsewhere");
    EXPECT_EQ(server.requests().size(), 1u);
}

TEST(CurlTransport, GzipBodyIsDecoded) {
    const std::string gz(
        "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\xab\x56\xaa\xca\x2c\x28\x48\x4d\x51\xb2\x2a"
        "\x29\x2a\x4d\xad\x05\x00\x84\x28\xbc\x08\x0f\x00\x00\x00",
        35);
    SocketServer server([&](const std::string &) {
        return Reply{http_response(200, gz, {"Content-Encoding: gzip"})};
    });
    RealEnv env;
    CurlTransport t(env, 2000, 5000, "ua");
    HttpResponse r = t.perform(HttpRequest{server.url("/z"), {}});
    EXPECT_EQ(r.transport_error, "");
    EXPECT_EQ(r.body, "{\"zipped\":true}");
}

TEST(CurlTransport, ConnectionIsReused) {
    SocketServer server([](const std::string &) { return Reply{http_response(200, "a")}; });
    RealEnv env;
    CurlTransport t(env, 2000, 5000, "ua");
    for (int i = 0; i < 3; ++i) EXPECT_EQ(t.perform(HttpRequest{server.url("/r"), {}}).status, 200);
    EXPECT_EQ(server.requests().size(), 3u);
    EXPECT_EQ(server.connections(), 1);
}

TEST(CurlTransport, TimeoutIsATransportError) {
    SocketServer server([](const std::string &) {
        return Reply{http_response(200, "late"), 3000, true};
    });
    RealEnv env;
    CurlTransport t(env, 1000, 300, "ua");
    auto start = std::chrono::steady_clock::now();
    HttpResponse r = t.perform(HttpRequest{server.url("/slow"), {}});
    EXPECT_LT(elapsed_ms(start), 2000);
    EXPECT_NE(r.transport_error, "");
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.body, "");
}

TEST(CurlTransport, ConnectionRefusedIsATransportError) {
    int port;
    {
        SocketServer closed([](const std::string &) { return Reply{}; });
        port = closed.port();
    }
    RealEnv env;
    CurlTransport t(env, 1000, 2000, "ua");
    HttpResponse r = t.perform(HttpRequest{"http://127.0.0.1:" + std::to_string(port) + "/", {}});
    EXPECT_NE(r.transport_error, "");
    EXPECT_EQ(r.status, 0);
}

TEST(CurlTransport, InterruptStopsATransferInFlight) {
    SocketServer server([](const std::string &) {
        return Reply{http_response(200, "late"), 5000, true};
    });
    RealEnv env;
    CurlTransport t(env, 1000, 10000, "ua");
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        env.stop = true;
    });
    auto start = std::chrono::steady_clock::now();
    EXPECT_THROW(t.perform(HttpRequest{server.url("/slow"), {}}), Interrupted);
    EXPECT_LT(elapsed_ms(start), 2500);
    canceller.join();
}

TEST(CurlTransport, InterruptBeforeSendingSendsNothing) {
    SocketServer server([](const std::string &) { return Reply{http_response(200, "")}; });
    RealEnv env;
    env.stop = true;
    CurlTransport t(env, 1000, 2000, "ua");
    EXPECT_THROW(t.perform(HttpRequest{server.url("/"), {}}), Interrupted);
    EXPECT_EQ(server.requests().size(), 0u);
}

TEST(CurlTransport, OversizedBodiesAreRefused) {
    const std::string big(5000, 'x');
    SocketServer server([&](const std::string &request) {
        if (request.find("/chunked") != std::string::npos) {
            // No Content-Length: only the running count can catch it.
            std::string raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
            for (int i = 0; i < 5; ++i) raw += "3e8\r\n" + std::string(1000, 'y') + "\r\n";
            return Reply{raw + "0\r\n\r\n"};
        }
        return Reply{http_response(200, big)};
    });
    RealEnv env;
    CurlTransport t(env, 1000, 5000, "ua", 1000);
    HttpResponse a = t.perform(HttpRequest{server.url("/length"), {}});
    EXPECT_NE(a.transport_error.find("larger than 1000 bytes"), std::string::npos)
        << a.transport_error;
    EXPECT_EQ(a.body, "");
    HttpResponse b = t.perform(HttpRequest{server.url("/chunked"), {}});
    EXPECT_NE(b.transport_error.find("larger than 1000 bytes"), std::string::npos)
        << b.transport_error;
    EXPECT_EQ(b.status, 0);
}

TEST(CurlTransport, HeaderInjectionIsRefusedWithoutEchoingTheValue) {
    RealEnv env;
    CurlTransport t(env, 1000, 1000, "ua");
    try {
        t.perform(HttpRequest{"http://127.0.0.1:1/", {{"Authorization", "Bearer SECRET\r\nX: y"}}});
        FAIL() << "no exception";
    } catch (const std::invalid_argument &e) {
        EXPECT_EQ(std::string(e.what()).find("SECRET"), std::string::npos);
    }
}

TEST(CurlTransport, OnlyHttpAndHttps) {
    RealEnv env;
    CurlTransport t(env, 1000, 1000, "ua");
    HttpResponse r = t.perform(HttpRequest{"file:///etc/hostname", {}});
    EXPECT_NE(r.transport_error, "");
    EXPECT_EQ(r.body, "");
}

// The whole stack over real sockets: pagination, a primary limit reached on page 1 (so page 2
// must wait for the reset without sending anything), and a 500 that is retried.
TEST(CurlTransport, GitHubClientPaginatesAndWaitsOverRealSockets) {
    VirtualEnv env;
    std::mutex mutex;
    std::vector<std::pair<std::string, int64_t>> seen;  // request line, virtual time
    const int64_t reset_s = env.now / 1000 + 100;
    int page2_calls = 0;
    std::string base;
    SocketServer server([&](const std::string &request) {
        std::string line = request.substr(0, request.find("\r\n"));
        {
            std::lock_guard<std::mutex> lock(mutex);
            seen.emplace_back(line, env.now.load());
        }
        if (request.find("Authorization: Bearer tok-1\r\n") == std::string::npos) {
            return Reply{http_response(401, "{\"message\":\"Bad credentials\"}")};
        }
        if (line.find("page=2") != std::string::npos) {
            if (++page2_calls == 1) return Reply{http_response(500, "{}")};
            return Reply{
                http_response(200, "[2]", {"Link: <" + base + "/p?page=3>; rel=\"next\""})};
        }
        if (line.find("page=3") != std::string::npos) return Reply{http_response(200, "[3]")};
        return Reply{http_response(
            200, "[1]",
            {"Link: <" + base + "/p?page=2>; rel=\"next\"", "X-RateLimit-Limit: 5000",
             "X-RateLimit-Remaining: 0", "X-RateLimit-Reset: " + std::to_string(reset_s),
             "X-RateLimit-Resource: core"})};
    });
    base = server.url("");

    CurlTransport transport(env, 2000, 5000, "aveloxis-test");
    aveloxis::http::KeyPool pool({{1, "tok-1"}}, 0);
    aveloxis::platform::GitHubSettings settings;
    settings.api_base_url = base;
    settings.allowed_hosts = "github.com";
    aveloxis::platform::GitHubClient client(settings, pool, transport, env);

    std::vector<std::string> bodies;
    long status = client.paginate("/p?page=1", [&](const aveloxis::platform::Page &p) {
        bodies.push_back(p.body);
        return true;
    });
    EXPECT_EQ(status, 200);
    EXPECT_EQ(bodies, (std::vector<std::string>{"[1]", "[2]", "[3]"}));
    std::lock_guard<std::mutex> lock(mutex);
    ASSERT_EQ(seen.size(), 4u);
    // Nothing was sent between the exhausted page 1 and the reset (+1 s).
    EXPECT_GE(seen[1].second, (reset_s + 1) * 1000);
    EXPECT_EQ(client.stats().rate_limit_waits, 1);
    EXPECT_EQ(client.stats().retries, 1);
    EXPECT_EQ(client.stats().requests, 4);
    EXPECT_EQ(server.connections(), 1);
}
