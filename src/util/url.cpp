#include "util/url.hpp"

#include <algorithm>
#include <vector>

#include "util/ascii.hpp"

namespace aveloxis::util {

namespace {

bool is_host_name_char(char c) {
    return is_ascii_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

bool is_ipv6_literal_char(char c) {
    return is_ascii_hex(c) || c == ':' || c == '.';
}

// Parses a decimal port in 1..65535 into its canonical spelling.
std::optional<std::string> parse_port(std::string_view s) {
    if (s.empty()) return std::nullopt;
    unsigned value = 0;
    for (char c : s) {
        if (!is_ascii_digit(c)) return std::nullopt;
        value = value * 10 + unsigned(c - '0');
        if (value > 65535) return std::nullopt;
    }
    if (value == 0) return std::nullopt;
    return std::to_string(value);
}

// Host and optional port, as in an authority without userinfo.
struct HostPort {
    std::string host;
    std::string port;
};

std::optional<HostPort> parse_host_port(std::string_view s) {
    HostPort result;
    std::string_view port_text;
    bool has_port = false;
    if (!s.empty() && s.front() == '[') {
        const std::size_t close = s.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        const std::string_view inside = s.substr(1, close - 1);
        if (inside.find(':') == std::string_view::npos) return std::nullopt;
        if (!all_chars(inside, is_ipv6_literal_char)) return std::nullopt;
        result.host = lowercase_ascii(s.substr(0, close + 1));
        const std::string_view rest = s.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') return std::nullopt;
            has_port = true;
            port_text = rest.substr(1);
        }
    } else {
        const std::size_t colon = s.find(':');
        const std::string_view name = s.substr(0, colon);
        if (name.empty() || !all_chars(name, is_host_name_char)) return std::nullopt;
        result.host = lowercase_ascii(name);
        if (colon != std::string_view::npos) {
            has_port = true;
            port_text = s.substr(colon + 1);
        }
    }
    if (has_port) {
        auto port = parse_port(port_text);
        if (!port) return std::nullopt;
        result.port = std::move(*port);
    }
    return result;
}

std::string_view default_port(std::string_view scheme) {
    if (scheme == "https") return "443";
    if (scheme == "http") return "80";
    return {};
}

bool is_ip_literal(std::string_view host) {
    if (host.empty()) return false;
    if (host.front() == '[') return true;
    return all_chars(host, [](char c) { return is_ascii_digit(c) || c == '.'; });
}

std::vector<std::string_view> split_csv(std::string_view csv) {
    std::vector<std::string_view> items;
    std::size_t start = 0;
    while (start <= csv.size()) {
        std::size_t comma = csv.find(',', start);
        if (comma == std::string_view::npos) comma = csv.size();
        const std::string_view item = trim_ascii(csv.substr(start, comma - start));
        if (!item.empty()) items.push_back(item);
        start = comma + 1;
    }
    return items;
}

// An allow-list entry: "host", "host:port", "[v6]", "[v6]:port", or a bare IPv6 address.
std::optional<HostPort> parse_allowed_entry(std::string_view entry) {
    const std::size_t first_colon = entry.find(':');
    if (entry.front() != '[' && first_colon != std::string_view::npos &&
        entry.find(':', first_colon + 1) != std::string_view::npos) {
        return parse_host_port("[" + std::string(entry) + "]");
    }
    return parse_host_port(entry);
}

bool host_matches(const UrlParts &url, const HostPort &entry) {
    const std::string_view url_port = url.port.empty() ? default_port(url.scheme) : url.port;
    if (!entry.port.empty()) return url.host == entry.host && url_port == entry.port;
    if (url_port != default_port(url.scheme)) return false;
    if (url.host == entry.host) return true;
    if (is_ip_literal(entry.host)) return false;
    const std::string_view host = url.host;
    return host.size() > entry.host.size() + 1 &&
           host.substr(host.size() - entry.host.size()) == entry.host &&
           host[host.size() - entry.host.size() - 1] == '.';
}

}  // namespace

bool is_url_scheme(std::string_view s) {
    return !s.empty() && is_ascii_alpha(s.front()) && all_chars(s, [](char c) {
        return is_ascii_alnum(c) || c == '+' || c == '-' || c == '.';
    });
}

std::optional<UrlParts> split_url(std::string_view url) {
    if (std::any_of(url.begin(), url.end(), is_ascii_space_or_control)) return std::nullopt;

    UrlParts parts;
    const std::size_t scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return std::nullopt;
    const std::string_view scheme = url.substr(0, scheme_end);
    if (!is_url_scheme(scheme)) return std::nullopt;
    parts.scheme = lowercase_ascii(scheme);

    std::string_view rest = url.substr(scheme_end + 3);
    const std::size_t hash = rest.find('#');
    if (hash != std::string_view::npos) {
        parts.has_fragment = true;
        parts.fragment = std::string(rest.substr(hash + 1));
        rest = rest.substr(0, hash);
    }
    const std::size_t question = rest.find('?');
    if (question != std::string_view::npos) {
        parts.has_query = true;
        parts.query = std::string(rest.substr(question + 1));
        rest = rest.substr(0, question);
    }
    const std::size_t slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (slash != std::string_view::npos) parts.path = std::string(rest.substr(slash));

    // Browsers read '\' as '/', and parsers differ on which '@' ends the userinfo.
    if (authority.find('\\') != std::string_view::npos) return std::nullopt;
    const std::size_t at = authority.find('@');
    if (at != std::string_view::npos) {
        if (authority.find('@', at + 1) != std::string_view::npos) return std::nullopt;
        parts.has_userinfo = true;
        parts.userinfo = std::string(authority.substr(0, at));
        authority = authority.substr(at + 1);
    }

    auto host_port = parse_host_port(authority);
    if (!host_port) return std::nullopt;
    parts.host = std::move(host_port->host);
    parts.port = std::move(host_port->port);
    return parts;
}

bool host_allowed(std::string_view url, std::string_view allowed_hosts_csv) {
    const auto parts = split_url(url);
    if (!parts || parts->has_userinfo) return false;
    if (parts->scheme != "http" && parts->scheme != "https") return false;
    for (std::string_view item : split_csv(allowed_hosts_csv)) {
        const auto entry = parse_allowed_entry(item);
        if (entry && host_matches(*parts, *entry)) return true;
    }
    return false;
}

std::string rewrite_url(std::string_view url, std::string_view rules) {
    std::string_view best_prefix;
    std::string_view best_replacement;
    for (std::string_view item : split_csv(rules)) {
        const std::size_t eq = item.find('=');
        if (eq == std::string_view::npos) continue;
        const std::string_view prefix = trim_ascii(item.substr(0, eq));
        if (prefix.empty() || prefix.size() <= best_prefix.size()) continue;
        if (url.substr(0, prefix.size()) != prefix) continue;
        best_prefix = prefix;
        best_replacement = trim_ascii(item.substr(eq + 1));
    }
    if (best_prefix.empty()) return std::string(url);
    std::string out(best_replacement);
    out.append(url.substr(best_prefix.size()));
    return out;
}

}  // namespace aveloxis::util
