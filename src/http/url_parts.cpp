#include "http/url_parts.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "http/curl_global.hpp"

namespace aveloxis::http {

namespace {

struct UrlDeleter {
    void operator()(CURLU *u) const { curl_url_cleanup(u); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;

UrlHandle parse(std::string_view url) {
    ensure_curl_initialized();
    UrlHandle handle(curl_url());
    // libcurl takes a C string: an embedded NUL would silently cut the URL short.
    if (!handle || url.find('\0') != std::string_view::npos) return nullptr;
    const std::string copy(url);
    if (curl_url_set(handle.get(), CURLUPART_URL, copy.c_str(), 0) != CURLUE_OK) return nullptr;
    return handle;
}

std::optional<std::string> get_part(CURLU *u, CURLUPart part, unsigned flags = 0) {
    char *value = nullptr;
    if (curl_url_get(u, part, &value, flags) != CURLUE_OK || value == nullptr) return std::nullopt;
    std::string out(value);
    curl_free(value);
    return out;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

}  // namespace

std::optional<Origin> url_origin(std::string_view url) {
    UrlHandle u = parse(url);
    if (!u) return std::nullopt;
    if (get_part(u.get(), CURLUPART_USER) || get_part(u.get(), CURLUPART_PASSWORD)) {
        return std::nullopt;
    }
    auto scheme = get_part(u.get(), CURLUPART_SCHEME);
    auto host = get_part(u.get(), CURLUPART_HOST);
    auto port = get_part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
    if (!scheme || !host || !port) return std::nullopt;
    Origin o{lower(*scheme), lower(*host), 0, {}};
    if (o.scheme != "http" && o.scheme != "https") return std::nullopt;
    try {
        o.port = std::stol(*port);
    } catch (const std::exception &) {
        return std::nullopt;
    }
    o.url = o.scheme + "://" + o.host;
    if (auto explicit_port = get_part(u.get(), CURLUPART_PORT)) o.url += ":" + *explicit_port;
    o.url += "/";
    return o;
}

std::optional<std::string> resolve_reference(std::string_view base, std::string_view ref) {
    if (parse(ref)) return std::string(ref);
    UrlHandle u = parse(base);
    if (!u || ref.find('\0') != std::string_view::npos) return std::nullopt;
    const std::string copy(ref);
    if (curl_url_set(u.get(), CURLUPART_URL, copy.c_str(), 0) != CURLUE_OK) return std::nullopt;
    return get_part(u.get(), CURLUPART_URL);
}

std::string url_path(std::string_view url) {
    if (UrlHandle u = parse(url)) {
        if (auto path = get_part(u.get(), CURLUPART_PATH)) return *path;
    }
    return std::string(url.substr(0, url.find_first_of("?#")));
}

}  // namespace aveloxis::http
