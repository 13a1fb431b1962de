#include "platform/github/github_client.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <set>
#include <stdexcept>

#include "http/link_header.hpp"
#include "util/url.hpp"

namespace aveloxis::platform {

namespace {

constexpr int kMaxRedirects = 5;
// When a limit answer carries no usable reset time.
constexpr int64_t kFallbackResetS = 60;

std::optional<int64_t> parse_int(const std::string &v) {
    int64_t out = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec != std::errc() || end != v.data() + v.size()) return std::nullopt;
    return out;
}

std::optional<int64_t> header_int(const http::HttpResponse &r, const char *name) {
    auto it = r.headers.find(name);
    return it == r.headers.end() ? std::nullopt : parse_int(it->second);
}

std::string header(const http::HttpResponse &r, const char *name) {
    auto it = r.headers.find(name);
    return it == r.headers.end() ? std::string() : it->second;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

enum class Limit { None, Primary, Secondary };

// GitHub answers both limits with 403 or 429; the message tells a secondary limit apart,
// remaining 0 a primary one. A bare 429 or a retry-after is treated as secondary.
Limit classify_limit(const http::HttpResponse &r) {
    if (r.status != 403 && r.status != 429) return Limit::None;
    const std::string message = lower(api_message(r.body));
    if (message.find("secondary rate limit") != std::string::npos ||
        message.find("abuse") != std::string::npos) {
        return Limit::Secondary;
    }
    if (header(r, "x-ratelimit-remaining") == "0") return Limit::Primary;
    if (r.status == 429 || r.headers.count("retry-after") > 0) return Limit::Secondary;
    return Limit::None;
}

bool is_redirect(long status) {
    return status == 301 || status == 302 || status == 307 || status == 308;
}

bool returned_as_status(long status) {
    return status == 403 || status == 404 || status == 410 || status == 451;
}

// RFC 3986 unreserved characters stay, everything else is percent-encoded.
std::string percent_encode(const std::string &s) {
    static const char *hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

// Owner and repository names are path segments: encoded, and dot segments refused, so a
// name can never reach another endpoint.
std::string path_segment(const std::string &s) {
    if (s.empty() || s == "." || s == "..") {
        throw std::invalid_argument("invalid repository owner or name: '" + s + "'");
    }
    return percent_encode(s);
}

std::string repo_path(const RepoRef &repo) {
    if (!repo.owner.empty() || !repo.name.empty()) {
        return "/repos/" + path_segment(repo.owner) + "/" + path_segment(repo.name);
    }
    if (repo.platform_repo_id) return "/repositories/" + std::to_string(*repo.platform_repo_id);
    throw std::invalid_argument("repository reference without owner/name or id");
}

}  // namespace

GitHubClient::GitHubClient(GitHubSettings settings, http::KeyPool &keys,
                           http::HttpTransport &transport, http::Environment &env)
    : settings_(std::move(settings)), keys_(keys), transport_(transport), env_(env) {
    while (!settings_.api_base_url.empty() && settings_.api_base_url.back() == '/') {
        settings_.api_base_url.pop_back();
    }
    auto origin = http::url_origin(settings_.api_base_url);
    if (!origin) throw std::invalid_argument("GitHub API base URL is not an http(s) URL");
    base_origin_ = *origin;
    base_path_ = http::url_path(settings_.api_base_url);
    while (!base_path_.empty() && base_path_.back() == '/') base_path_.pop_back();
    settings_.per_page = std::clamp(settings_.per_page, 1, 100);
    settings_.max_retries = std::max(settings_.max_retries, 0);
    // Jitter only spreads retries of concurrent workers; it needs no strong seed.
    jitter_.seed(static_cast<uint64_t>(env_.now_ms()) ^ reinterpret_cast<uintptr_t>(this));
}

std::string GitHubClient::absolute(const std::string &url_or_path) const {
    if (!url_or_path.empty() && url_or_path.front() == '/') {
        return settings_.api_base_url + url_or_path;
    }
    return url_or_path;
}

// The rate-limit bucket a request draws on, judged by its path below the API base.
std::string GitHubClient::bucket_for(const std::string &url) const {
    std::string path = http::url_path(url);
    if (is_api_origin(url) && path.rfind(base_path_, 0) == 0) path.erase(0, base_path_.size());
    if (path.rfind("/search/", 0) == 0) return "search";
    if (path == "/graphql") return "graphql";
    return "core";
}

bool GitHubClient::is_api_origin(const std::string &url) const {
    auto origin = http::url_origin(url);
    return origin && *origin == base_origin_;
}

void GitHubClient::require_allowed(const std::string &url) const {
    auto origin = http::url_origin(url);
    if (!origin) throw ApiError(0, url, "refused: not a plain http(s) URL");
    // The check runs on libcurl's reading of the URL, which is what will be contacted.
    if (*origin == base_origin_ || util::host_allowed(origin->url, settings_.allowed_hosts)) {
        return;
    }
    throw ApiError(0, url, "refused host '" + origin->host + "': not in allowed hosts");
}

void GitHubClient::pause(int64_t ms) {
    if (ms <= 0) return;
    env_.sleep_ms(ms);
    stats_.waited_ms += ms;
}

void GitHubClient::wait_for_reset(int64_t reset_s, const std::string &url,
                                  const std::string &bucket) {
    // One second past the reset, so the budget really is back when we ask again.
    const int64_t wait_ms = std::max<int64_t>((reset_s + 1) * 1000 - env_.now_ms(), 0);
    if (wait_ms > settings_.max_reset_wait_ms) {
        throw ApiError(429, url,
                       "rate limit (" + bucket + ") resets in " + std::to_string(wait_ms / 1000) +
                           " s, longer than the allowed wait");
    }
    ++stats_.rate_limit_waits;
    env_.log_info("GitHub rate limit (" + bucket + ") exhausted on every key: waiting " +
                  std::to_string(wait_ms / 1000) + " s for the reset");
    pause(wait_ms);
}

std::optional<http::ApiKey> GitHubClient::acquire_key(const std::string &bucket,
                                                      const std::string &url) {
    while (true) {
        http::KeyChoice choice = keys_.choose(bucket, now_s());
        switch (choice.kind) {
            case http::KeyChoice::Kind::Key:
                return choice.key;
            case http::KeyChoice::Kind::Anonymous:
                if (!anonymous_noted_) {
                    env_.log_info("no GitHub API keys: anonymous requests, 60 per hour");
                    anonymous_noted_ = true;
                }
                return std::nullopt;
            case http::KeyChoice::Kind::NoValidKey:
                throw ApiError(401, url, "every GitHub API key was rejected as invalid");
            case http::KeyChoice::Kind::Wait:
                wait_for_reset(choice.usable_at_s, url, bucket);
                break;
        }
    }
}

void GitHubClient::backoff(int &failures, const std::string &url, long status,
                           const std::string &detail, const std::string &body) {
    if (failures >= settings_.max_retries) {
        throw ApiError(status, url, detail + " (after " + std::to_string(failures) + " retries)",
                       body);
    }
    ++failures;
    ++stats_.retries;
    int64_t delay = std::max<int64_t>(settings_.retry_base_ms, 0);
    for (int i = 1; i < failures && delay < settings_.retry_max_ms; ++i) delay *= 2;
    delay = std::min(delay, settings_.retry_max_ms);
    // Half fixed, half random: workers that failed together do not retry together.
    if (delay > 1) {
        delay = delay / 2 + static_cast<int64_t>(jitter_() % static_cast<uint64_t>(delay / 2 + 1));
    }
    env_.log_info("GitHub " + http::url_path(url) + ": " + detail + "; retry " +
                  std::to_string(failures) + "/" + std::to_string(settings_.max_retries) + " in " +
                  std::to_string(delay) + " ms");
    pause(delay);
}

GetResult GitHubClient::get(const std::string &url_or_path, const std::string &if_none_match) {
    std::string url = absolute(url_or_path);
    const std::string bucket = bucket_for(url);
    int failures = 0;
    int secondary_hits = 0;
    int primary_hits = 0;
    int hops = 0;
    bool moved = false;

    while (true) {
        require_allowed(url);
        if (env_.interrupted()) throw http::Interrupted();
        // Tokens go only to the API's own origin, never to another allowed host.
        const bool api = is_api_origin(url);
        const std::optional<http::ApiKey> key = api ? acquire_key(bucket, url) : std::nullopt;
        const std::optional<int64_t> key_id =
            key ? std::optional<int64_t>(key->key_id) : std::nullopt;

        http::HttpRequest request{
            url,
            {{"Accept", "application/vnd.github+json"}, {"X-GitHub-Api-Version", "2022-11-28"}}};
        if (key) request.headers.emplace_back("Authorization", "Bearer " + key->token);
        if (!if_none_match.empty()) request.headers.emplace_back("If-None-Match", if_none_match);
        ++stats_.requests;
        http::HttpResponse r = transport_.perform(request);
        r.url = url;

        if (!r.transport_error.empty()) {
            backoff(failures, url, 0, r.transport_error, "");
            continue;
        }
        if (api) keys_.record(key_id, bucket, r.headers);

        if (r.status == 401 && key) {
            keys_.drop(key->key_id);
            ++stats_.retries;
            env_.log_info("GitHub API key " + std::to_string(key->key_id) +
                          " rejected (401): not used again");
            continue;
        }

        const Limit limit = classify_limit(r);
        if (limit == Limit::Primary) {
            // Only a bounded number of limit answers per request: a server that keeps saying
            // "exhausted" with a reset in the past must not keep us looping.
            if (++primary_hits >
                static_cast<int>(std::max<size_t>(keys_.size(), 1)) + settings_.max_retries) {
                throw ApiError(r.status, url, "rate limit keeps being reported", r.body);
            }
            int64_t reset = header_int(r, "x-ratelimit-reset").value_or(0);
            if (reset <= now_s()) reset = now_s() + kFallbackResetS;
            if (api) {
                keys_.mark_exhausted(key_id, bucket, reset);
                env_.log_info("GitHub rate limit (" + bucket + ") exhausted on " +
                              (key ? "key " + std::to_string(key->key_id) : "anonymous access"));
            } else {
                wait_for_reset(reset, url, bucket);
            }
            continue;
        }
        if (limit == Limit::Secondary) {
            if (secondary_hits >= settings_.max_retries) {
                throw ApiError(r.status, url, "secondary rate limit persists", r.body);
            }
            int64_t wait_ms = 0;
            if (auto after = header_int(r, "retry-after"); after && *after >= 0) {
                wait_ms = *after * 1000;
                if (wait_ms > settings_.max_reset_wait_ms) {
                    throw ApiError(r.status, url,
                                   "secondary rate limit asks for a wait of " +
                                       std::to_string(*after) + " s, longer than the allowed wait",
                                   r.body);
                }
            } else {
                wait_ms = std::max<int64_t>(settings_.secondary_wait_ms, 0);
                for (int i = 0; i < secondary_hits && wait_ms < settings_.max_reset_wait_ms; ++i) {
                    wait_ms *= 2;
                }
                wait_ms = std::min(wait_ms, settings_.max_reset_wait_ms);
            }
            ++secondary_hits;
            ++stats_.secondary_waits;
            env_.log_info("GitHub secondary rate limit on " + http::url_path(url) + ": waiting " +
                          std::to_string(wait_ms / 1000) + " s");
            pause(wait_ms);
            continue;
        }

        if (is_redirect(r.status)) {
            auto location = r.headers.find("location");
            if (location == r.headers.end() || location->second.empty()) {
                throw ApiError(r.status, url, "redirect without Location");
            }
            if (++hops > kMaxRedirects) throw ApiError(r.status, url, "too many redirects");
            auto next = http::resolve_reference(url, location->second);
            if (!next) throw ApiError(r.status, url, "redirect to an unusable Location");
            moved = moved || r.status == 301 || r.status == 308;
            url = *next;
            continue;
        }

        if (r.status >= 500) {
            backoff(failures, url, r.status, "server error " + std::to_string(r.status), r.body);
            continue;
        }

        if (r.status == 304) ++stats_.not_modified;
        GetResult result;
        if (moved) result.moved_to_url = url;
        result.response = std::move(r);
        return result;
    }
}

long GitHubClient::probe_api() {
    return get("/rate_limit").response.status;
}

RepoFetch GitHubClient::fetch_repo(const RepoRef &repo, const std::string &if_none_match) {
    GetResult got = get(repo_path(repo), if_none_match);
    http::HttpResponse &r = got.response;
    if (r.status != 200 && r.status != 304 && !returned_as_status(r.status)) {
        throw ApiError(r.status, r.url, "repository request failed", r.body);
    }
    RepoFetch out;
    out.status = r.status;
    out.etag = header(r, "etag");
    out.body = std::move(r.body);
    out.moved_to_url = std::move(got.moved_to_url);
    return out;
}

long GitHubClient::list(ListKind kind, const RepoRef &repo, const ListOptions &options,
                        const PageCallback &on_page) {
    const std::string per_page = "per_page=" + std::to_string(settings_.per_page);
    const std::string since =
        options.since ? "&since=" + percent_encode(*options.since) : std::string();
    std::string path = repo_path(repo);
    switch (kind) {
        case ListKind::Issues:
            path += "/issues?state=all&" + per_page + since;
            break;
        case ListKind::Pulls:
            // No since= on /pulls: newest updates first, the caller stops at its cutoff.
            path += "/pulls?state=all&sort=updated&direction=desc&" + per_page;
            break;
        case ListKind::IssueComments:
            path += "/issues/comments?" + per_page + since;
            break;
        case ListKind::Releases:
            path += "/releases?" + per_page;
            break;
        case ListKind::Contributors:
            path += "/contributors?" + per_page;
            break;
    }
    return paginate(path, on_page);
}

long GitHubClient::paginate(const std::string &url_or_path, const PageCallback &on_page) {
    std::string url = absolute(url_or_path);
    std::set<std::string> seen;
    for (int index = 1;; ++index) {
        seen.insert(url);
        GetResult got = get(url);
        http::HttpResponse &r = got.response;
        // 204: an empty listing (contributors of an empty repository).
        if (r.status == 204) return 200;
        if (r.status != 200) {
            if (index == 1 && returned_as_status(r.status)) return r.status;
            throw ApiError(r.status, r.url, "listing page " + std::to_string(index) + " failed",
                           r.body);
        }
        Page page;
        page.url = r.url;
        page.status = r.status;
        page.index = index;
        page.etag = header(r, "etag");
        page.body = std::move(r.body);
        if (!on_page(page)) return 200;

        auto link = r.headers.find("link");
        if (link == r.headers.end()) return 200;
        auto next = http::link_rel(link->second, "next");
        if (!next) return 200;
        auto resolved = http::resolve_reference(r.url, *next);
        if (!resolved) throw ApiError(0, r.url, "unusable Link next URL");
        if (seen.count(*resolved) > 0) {
            throw ApiError(0, r.url, "Link next URL repeats an earlier page");
        }
        url = *resolved;
    }
}

}  // namespace aveloxis::platform
