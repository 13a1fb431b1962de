// One HTTP GET at a time, no policy: retries, redirects, rate limits and host checks belong to
// the platform clients above. HttpTransport is the seam tests replace.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "http/environment.hpp"

namespace aveloxis::http {

struct HttpRequest {
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
};

struct HttpResponse {
    long status = 0;
    std::string body;
    // Names lowercased; the last value wins, except link values, which are joined with ", ".
    std::map<std::string, std::string> headers;
    std::string url;
    // Non-empty: no usable HTTP answer (timeout, connection refused, body too large, ...);
    // status is then 0 and body and headers are empty.
    std::string transport_error;
};

class HttpTransport {
  public:
    virtual ~HttpTransport() = default;
    // Throws Interrupted when the environment asked to stop.
    virtual HttpResponse perform(const HttpRequest &request) = 0;
};

// libcurl easy handle kept for the client's lifetime so connections are reused. Redirects are
// not followed: the caller must check every Location against the allowed hosts.
class CurlTransport final : public HttpTransport {
  public:
    static constexpr size_t kDefaultMaxBodyBytes = size_t{256} << 20;

    CurlTransport(Environment &env, long connect_timeout_ms, long total_timeout_ms,
                  const std::string &user_agent, size_t max_body_bytes = kDefaultMaxBodyBytes);
    ~CurlTransport() override;
    CurlTransport(const CurlTransport &) = delete;
    CurlTransport &operator=(const CurlTransport &) = delete;

    // Throws std::invalid_argument for a header containing a line break (header injection).
    HttpResponse perform(const HttpRequest &request) override;

  private:
    Environment &env_;
    void *curl_;  // CURL*, kept opaque so this header does not need curl.h
    size_t max_body_bytes_;
};

}  // namespace aveloxis::http
