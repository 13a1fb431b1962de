// A small, strict URL splitter and the host allow-list / rewrite rules built on it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace aveloxis::util {

// scheme://[userinfo@]host[:port][/path][?query][#fragment]
struct UrlParts {
    std::string scheme;    // lower case
    std::string userinfo;  // as written, without '@'
    std::string host;      // lower case; an IPv6 literal keeps its brackets: "[::1]"
    std::string port;      // decimal without leading zeros, empty when absent
    std::string path;      // as written, starts with '/' when not empty
    std::string query;     // without '?'
    std::string fragment;  // without '#'
    // These tell "https://@h/", "https://h/?" and "https://h/#" apart from their plain forms.
    bool has_userinfo = false;
    bool has_query = false;
    bool has_fragment = false;
};

// Returns nullopt for anything that is not of the form above, and also for forms that parsers
// disagree on and that could fool a host check: spaces or control bytes anywhere, a backslash
// or several '@' in the authority, characters other than letters, digits, '-', '.', '_', '~'
// in a host name, an empty host, a port that is empty, not decimal or outside 1..65535.
std::optional<UrlParts> split_url(std::string_view url);

// RFC 3986 scheme syntax: a letter, then letters, digits, '+', '-', '.'.
bool is_url_scheme(std::string_view s);

// The aveloxis.allowed_hosts check: allowed_hosts_csv is a comma-separated list of entries
// (trimmed, case-insensitive). Only http and https URLs without userinfo are ever allowed.
// An entry without a port allows its host and every subdomain of it (not for IP literals),
// on the scheme's default port; an entry "host:port" allows exactly that host and port.
bool host_allowed(std::string_view url, std::string_view allowed_hosts_csv);

// git's url.<base>.insteadOf: rules is a comma-separated list of "prefix=replacement"
// (split at the first '='; entries and both sides trimmed; entries without '=' or with an
// empty prefix are ignored). The longest prefix that url starts with is replaced (the first
// such rule on a tie); without a match url is returned unchanged.
std::string rewrite_url(std::string_view url, std::string_view rules);

}  // namespace aveloxis::util
