// What the pipeline needs from a code-hosting platform. github/ implements it now, gitlab/
// later; the pipeline never builds a platform URL itself.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace aveloxis::platform {

struct RepoRef {
    std::string owner, name;
    std::optional<int64_t> platform_repo_id;
};

struct Page {
    std::string url;  // the URL that answered (after redirects)
    long status = 0;
    std::string body;  // passed on as received, even when it is not valid JSON
    int index = 0;     // 1-based page number in this listing
    std::string etag;
};

enum class ListKind { Issues, Pulls, IssueComments, Releases, Contributors };

struct ListOptions {
    // ISO 8601: only items updated at/after it. Issues and issue comments pass it to the API;
    // pulls are listed most recently updated first and the caller stops at the cutoff.
    std::optional<std::string> since;
};

struct RepoFetch {
    long status = 0;  // 200, 304, 404, 410, 403, 451
    std::string body;
    std::optional<std::string> moved_to_url;  // set when a permanent redirect was followed
    std::string etag;
};

using PageCallback = std::function<bool(const Page &)>;  // false: stop the listing

class PlatformClient {
  public:
    virtual ~PlatformClient() = default;
    // if_none_match: a stored ETag, or empty.
    virtual RepoFetch fetch_repo(const RepoRef &repo, const std::string &if_none_match) = 0;
    // Final HTTP status of the listing: 200 when all pages were read or on_page stopped it,
    // else the 404/410/403/451 of the first page. Throws ApiError for anything else.
    // HTTP status of a request that succeeds whenever the base URL and the keys work and
    // costs no quota: tells a repository that is gone (404) from a misconfigured base URL.
    virtual long probe_api() = 0;
    virtual long list(ListKind kind, const RepoRef &repo, const ListOptions &options,
                      const PageCallback &on_page) = 0;
};

// A request that failed for good (after retries), or a response the caller cannot use. The
// message names the URL's path, the status and the platform's "message" field when the body
// has one; never a token. status 0: no HTTP answer (transport failure, refused host).
class ApiError : public std::runtime_error {
  public:
    ApiError(long status, std::string_view url, std::string_view detail,
             std::string_view body = {});
    long status() const { return status_; }

  private:
    long status_;
};

// The "message" string of a JSON error body ({"message": "Not Found", ...}), found with a
// small scan rather than a JSON parser; empty when there is none.
std::string api_message(std::string_view body);

}  // namespace aveloxis::platform
