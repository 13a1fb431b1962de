// URL helpers built on libcurl's own parser, so that what we check is exactly what libcurl
// will connect to (no parser differential between the check and the request).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace aveloxis::http {

struct Origin {
    std::string scheme;  // lowercase
    std::string host;    // lowercase; IPv6 in brackets
    long port = 0;       // explicit or the scheme's default
    // What libcurl will connect to, as a URL: "scheme://host[:port]/" with the port only when
    // the URL spelled one. Host checks run on this, not on the raw text.
    std::string url;
    bool operator==(const Origin &o) const {
        return scheme == o.scheme && host == o.host && port == o.port;
    }
    bool operator!=(const Origin &o) const { return !(*this == o); }
};

// Origin of an absolute http(s) URL; nullopt for anything else, including URLs that carry
// user information (a classic way to disguise the real host).
std::optional<Origin> url_origin(std::string_view url);

// An absolute URL is returned exactly as given; a relative reference (a Link or Location value)
// is resolved against base. nullopt when neither works.
std::optional<std::string> resolve_reference(std::string_view base, std::string_view ref);

// Path of a URL without query or fragment, for messages: "/repos/o/r/issues".
std::string url_path(std::string_view url);

}  // namespace aveloxis::http
