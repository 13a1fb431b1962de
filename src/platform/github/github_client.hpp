// GitHub REST API v3 client: endpoints, pagination by Link headers, redirects, rate limits
// (primary per key and bucket, secondary), retries. Every wait goes through the Environment.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "http/environment.hpp"
#include "http/http_client.hpp"
#include "http/key_pool.hpp"
#include "http/url_parts.hpp"
#include "platform/platform_client.hpp"

namespace aveloxis::platform {

struct GitHubSettings {
    // e.g. https://api.github.com or http://127.0.0.1:18080; set by a superuser, so trusted:
    // its scheme+host+port is always allowed.
    std::string api_base_url;
    // aveloxis.allowed_hosts: checked for every other URL (Link next, Location).
    std::string allowed_hosts;
    int max_retries = 5;  // for 5xx, transport errors and secondary limits
    int64_t retry_base_ms = 1000;
    int64_t retry_max_ms = 60000;
    int64_t secondary_wait_ms = 60000;  // when a secondary limit gives no retry-after
    // Longest wait for a rate-limit reset before giving up with ApiError.
    int64_t max_reset_wait_ms = 3600000;
    int per_page = 100;  // 1..100
};

struct ClientStats {
    int64_t requests = 0;  // sent to the transport
    int64_t retries = 0;   // re-sent after a 5xx, a transport error or a rejected key
    int64_t rate_limit_waits = 0;
    int64_t secondary_waits = 0;
    int64_t not_modified = 0;
    int64_t waited_ms = 0;  // every sleep: backoff and rate limits
};

struct GetResult {
    http::HttpResponse response;              // response.url: the URL that answered
    std::optional<std::string> moved_to_url;  // final URL, when a 301/308 was followed
};

class GitHubClient final : public PlatformClient {
  public:
    // Throws std::invalid_argument when api_base_url is not an http(s) URL.
    GitHubClient(GitHubSettings settings, http::KeyPool &keys, http::HttpTransport &transport,
                 http::Environment &env);

    RepoFetch fetch_repo(const RepoRef &repo, const std::string &if_none_match) override;
    // GET /rate_limit: it does not count against the rate limit.
    long probe_api() override;
    long list(ListKind kind, const RepoRef &repo, const ListOptions &options,
              const PageCallback &on_page) override;

    // url_or_path: an absolute URL, or a path below api_base_url ("/repos/o/r/events").
    // Returns the answer after redirects and retries: 2xx, 304 or a 4xx that is not a rate
    // limit. Throws ApiError when retries run out or a URL is refused.
    GetResult get(const std::string &url_or_path, const std::string &if_none_match = "");
    // A listing read page by page along its Link rel="next"; return value as for list().
    long paginate(const std::string &url_or_path, const PageCallback &on_page);

    const ClientStats &stats() const { return stats_; }

  private:
    std::string absolute(const std::string &url_or_path) const;
    std::string bucket_for(const std::string &url) const;
    void require_allowed(const std::string &url) const;
    bool is_api_origin(const std::string &url) const;
    std::optional<http::ApiKey> acquire_key(const std::string &bucket, const std::string &url);
    void wait_for_reset(int64_t reset_s, const std::string &url, const std::string &bucket);
    void backoff(int &failures, const std::string &url, long status, const std::string &detail,
                 const std::string &body);
    void pause(int64_t ms);
    int64_t now_s() { return env_.now_ms() / 1000; }

    GitHubSettings settings_;
    http::Origin base_origin_;
    std::string base_path_;  // path of api_base_url without trailing '/', e.g. "/api/v3"
    http::KeyPool &keys_;
    http::HttpTransport &transport_;
    http::Environment &env_;
    ClientStats stats_;
    std::mt19937_64 jitter_;
    bool anonymous_noted_ = false;
};

}  // namespace aveloxis::platform
