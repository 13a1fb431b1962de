#include "http/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <memory>
#include <stdexcept>

#include "http/curl_global.hpp"

namespace aveloxis::http {

namespace {

// State of one transfer, shared with the callbacks. Callbacks never throw into libcurl: they
// record what happened, return libcurl's abort code, and perform() acts after curl returns.
struct Transfer {
    Environment *env = nullptr;
    HttpResponse *response = nullptr;
    size_t max_body = 0;
    bool too_large = false;
    bool interrupted = false;
    std::exception_ptr error;
};

std::string trim(std::string_view v) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!v.empty() && space(v.front())) v.remove_prefix(1);
    while (!v.empty() && space(v.back())) v.remove_suffix(1);
    return std::string(v);
}

size_t on_body(char *data, size_t size, size_t count, void *user) {
    auto *t = static_cast<Transfer *>(user);
    const size_t n = size * count;
    try {
        if (t->response->body.size() + n > t->max_body) {
            t->too_large = true;
            return 0;
        }
        t->response->body.append(data, n);
        return n;
    } catch (...) {
        t->error = std::current_exception();
        return 0;
    }
}

size_t on_header(char *data, size_t size, size_t count, void *user) {
    auto *t = static_cast<Transfer *>(user);
    const size_t n = size * count;
    try {
        std::string_view line(data, n);
        auto &headers = t->response->headers;
        // A new status line starts another header block (after 100 Continue, or a proxy's
        // CONNECT answer): only the final response's headers count.
        if (line.rfind("HTTP/", 0) == 0) {
            headers.clear();
            return n;
        }
        size_t colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) return n;
        std::string name(line.substr(0, colon));
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        std::string value = trim(line.substr(colon + 1));
        auto it = headers.find(name);
        if (name == "link" && it != headers.end() && !it->second.empty()) {
            it->second += ", " + value;
        } else {
            headers[name] = std::move(value);
        }
        return n;
    } catch (...) {
        t->error = std::current_exception();
        return 0;
    }
}

int on_progress(void *user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto *t = static_cast<Transfer *>(user);
    try {
        if (t->env->interrupted()) {
            t->interrupted = true;
            return 1;
        }
        return 0;
    } catch (...) {
        t->error = std::current_exception();
        return 1;
    }
}

bool has_line_break(const std::string &s) {
    return s.find_first_of("\r\n") != std::string::npos || s.find('\0') != std::string::npos;
}

struct SlistDeleter {
    void operator()(curl_slist *l) const { curl_slist_free_all(l); }
};

void check(CURLcode rc, const char *what) {
    if (rc != CURLE_OK) {
        throw std::runtime_error(std::string("libcurl option ") + what + ": " +
                                 curl_easy_strerror(rc));
    }
}

}  // namespace

CurlTransport::CurlTransport(Environment &env, long connect_timeout_ms, long total_timeout_ms,
                             const std::string &user_agent, size_t max_body_bytes)
    : env_(env), curl_(nullptr), max_body_bytes_(max_body_bytes) {
    ensure_curl_initialized();
    CURL *c = curl_easy_init();
    if (c == nullptr) throw std::runtime_error("curl_easy_init failed");
    curl_ = c;
    try {
        // PostgreSQL owns the signal handlers (SIGALRM among them).
        check(curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L), "NOSIGNAL");
        check(curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https"), "PROTOCOLS_STR");
        check(curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L), "FOLLOWLOCATION");
        check(curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms), "CONNECTTIMEOUT");
        check(curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, total_timeout_ms), "TIMEOUT");
        check(curl_easy_setopt(c, CURLOPT_USERAGENT, user_agent.c_str()), "USERAGENT");
        // Empty string: every encoding this libcurl can decode (gzip, deflate, ...).
        check(curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, ""), "ACCEPT_ENCODING");
        check(curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L), "TCP_KEEPALIVE");
        // Refuses early when Content-Length already says too much; on_body guards the rest.
        check(curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
                               static_cast<curl_off_t>(max_body_bytes_)),
              "MAXFILESIZE");
        check(curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body), "WRITEFUNCTION");
        check(curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header), "HEADERFUNCTION");
        check(curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress), "XFERINFOFUNCTION");
        check(curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L), "NOPROGRESS");
    } catch (...) {
        curl_easy_cleanup(c);
        throw;
    }
}

CurlTransport::~CurlTransport() {
    curl_easy_cleanup(static_cast<CURL *>(curl_));
}

HttpResponse CurlTransport::perform(const HttpRequest &request) {
    if (env_.interrupted()) throw Interrupted();
    CURL *c = static_cast<CURL *>(curl_);

    std::unique_ptr<curl_slist, SlistDeleter> header_list;
    for (const auto &[name, value] : request.headers) {
        if (has_line_break(name) || has_line_break(value)) {
            // The value is not repeated here: it may be a token.
            throw std::invalid_argument("HTTP request header with a line break: " +
                                        (has_line_break(name) ? std::string("(name)") : name));
        }
        curl_slist *grown = curl_slist_append(header_list.get(), (name + ": " + value).c_str());
        if (grown == nullptr) throw std::bad_alloc();
        // Later appends return the same head: only the first one hands over ownership.
        if (!header_list) header_list.reset(grown);
    }
    if (request.url.find('\0') != std::string::npos) {
        throw std::invalid_argument("URL with a NUL byte");
    }

    HttpResponse response;
    response.url = request.url;
    Transfer transfer;
    transfer.env = &env_;
    transfer.response = &response;
    transfer.max_body = max_body_bytes_;
    char errbuf[CURL_ERROR_SIZE] = {0};

    check(curl_easy_setopt(c, CURLOPT_URL, request.url.c_str()), "URL");
    check(curl_easy_setopt(c, CURLOPT_HTTPGET, 1L), "HTTPGET");
    check(curl_easy_setopt(c, CURLOPT_HTTPHEADER, header_list.get()), "HTTPHEADER");
    check(curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer), "WRITEDATA");
    check(curl_easy_setopt(c, CURLOPT_HEADERDATA, &transfer), "HEADERDATA");
    check(curl_easy_setopt(c, CURLOPT_XFERINFODATA, &transfer), "XFERINFODATA");
    check(curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf), "ERRORBUFFER");

    const CURLcode rc = curl_easy_perform(c);

    // The handle outlives this call: leave no pointer into this stack frame behind.
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, nullptr);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, nullptr);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, nullptr);

    if (transfer.error) std::rethrow_exception(transfer.error);
    if (transfer.interrupted) throw Interrupted("HTTP transfer interrupted");

    if (rc != CURLE_OK) {
        HttpResponse failed;
        failed.url = request.url;
        if (transfer.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
            failed.transport_error =
                "response body larger than " + std::to_string(max_body_bytes_) + " bytes";
        } else {
            failed.transport_error = curl_easy_strerror(rc);
            if (errbuf[0] != '\0') failed.transport_error += std::string(": ") + errbuf;
        }
        return failed;
    }

    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
    char *effective = nullptr;
    if (curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK && effective) {
        response.url = effective;
    }
    return response;
}

}  // namespace aveloxis::http
