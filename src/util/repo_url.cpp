#include "util/repo_url.hpp"

#include <algorithm>
#include <vector>

#include "util/ascii.hpp"
#include "util/url.hpp"
#include "util/utf8.hpp"

namespace aveloxis::util {

namespace {

constexpr std::size_t kMaxQuotedUrl = 200;
constexpr std::size_t kMaxOwnerLength = 39;
constexpr std::size_t kMaxRepoNameLength = 100;

// Text from the user as it may appear in an error message (and so in logs and in the server's
// encoding checks): control bytes escaped, invalid UTF-8 replaced.
std::string printable(std::string_view text) {
    std::string out;
    std::size_t plain_start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto b = static_cast<unsigned char>(text[i]);
        if (b >= 0x20 && b != 0x7F) continue;
        append_utf8_replacing_invalid(out, text.substr(plain_start, i - plain_start));
        static constexpr char kHex[] = "0123456789abcdef";
        out.append("\\x").push_back(kHex[b >> 4]);
        out.push_back(kHex[b & 0xF]);
        plain_start = i + 1;
    }
    append_utf8_replacing_invalid(out, text.substr(plain_start));
    return out;
}

// The URL for an error message: userinfo (most likely a token) masked, long input cut.
std::string quote_url(std::string_view url) {
    if (url.empty()) return "(empty)";
    std::string masked;
    const std::size_t scheme_end = url.find("://");
    const std::size_t authority_start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
    const std::size_t authority_end = url.find_first_of("/?#", authority_start);
    const std::size_t at = url.substr(0, authority_end).rfind('@');
    if (at != std::string_view::npos && at >= authority_start) {
        masked.append(url.substr(0, authority_start)).append("***").append(url.substr(at));
        url = masked;
    }
    if (url.size() <= kMaxQuotedUrl) return printable(url);
    std::size_t end = kMaxQuotedUrl;
    while (end > 0 && (static_cast<unsigned char>(url[end]) & 0xC0) == 0x80) --end;
    return printable(url.substr(0, end)) + "...";
}

[[noreturn]] void fail(std::string_view problem, std::string_view url) {
    std::string message(problem);
    message.append(": ").append(quote_url(url));
    throw UrlError(message);
}

// GitHub logins: letters, digits and single hyphens, no hyphen at either end, 1..39 long;
// also '_', which Enterprise Managed Users have (login_shortcode).
bool is_valid_owner(std::string_view owner) {
    if (owner.empty() || owner.size() > kMaxOwnerLength) return false;
    if (owner.front() == '-' || owner.back() == '-') return false;
    if (owner.find("--") != std::string_view::npos) return false;
    return all_chars(owner, [](char c) { return is_ascii_alnum(c) || c == '-' || c == '_'; });
}

bool is_valid_repo_name(std::string_view name) {
    if (name.empty() || name.size() > kMaxRepoNameLength) return false;
    if (name == "." || name == "..") return false;
    return all_chars(name,
                     [](char c) { return is_ascii_alnum(c) || c == '.' || c == '_' || c == '-'; });
}

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> segments;
    std::size_t start = 0;
    while (true) {
        const std::size_t slash = path.find('/', start);
        segments.push_back(path.substr(start, slash - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return segments;
}

}  // namespace

bool is_gitlab_host(std::string_view host) {
    const std::string h = lowercase_ascii(host);
    if (h == "gitlab.com" || iends_with_ascii(h, ".gitlab.com")) return true;
    return h.rfind("gitlab.", 0) == 0 && h.size() > 7;
}

RepoUrl parse_github_repo_url(std::string_view url) {
    const std::string_view input = trim_ascii(url);
    if (input.empty()) fail("not a URL", input);
    if (std::any_of(input.begin(), input.end(), is_ascii_space_or_control)) {
        fail("URL contains whitespace or control characters", input);
    }

    const std::size_t scheme_end = input.find("://");
    if (scheme_end == std::string_view::npos && input.rfind("git@", 0) == 0) {
        fail(
            "SSH clone addresses are not repository URLs (use https://github.com/owner/repository)",
            input);
    }
    if (scheme_end == std::string_view::npos) {
        fail("not a URL (expected https://github.com/owner/repository)", input);
    }
    const std::string_view scheme_text = input.substr(0, scheme_end);
    if (!is_url_scheme(scheme_text)) fail("not a URL", input);
    const std::string scheme = lowercase_ascii(scheme_text);
    if (scheme != "https" && scheme != "http") {
        fail("unsupported scheme '" + scheme + "' (use https)", input);
    }
    const auto parts = split_url(input);
    if (!parts) fail("not a URL", input);
    if (parts->has_userinfo) fail("URL must not contain credentials", input);

    const std::string &host = parts->host;
    if (is_gitlab_host(host)) {
        fail(host +
                 " repositories are not supported yet (GitLab collection comes in a later "
                 "release)",
             input);
    }
    if (host == "api.github.com") {
        fail("api.github.com is the GitHub API host, not a repository URL", input);
    }
    if (host != "github.com" && host != "www.github.com") {
        fail("host " + host + " is not a GitHub host", input);
    }
    if (!parts->port.empty()) fail("URL must not contain a port", input);
    if (parts->has_query) fail("URL must not contain a query string", input);
    if (parts->has_fragment) fail("URL must not contain a fragment", input);

    std::string_view path = parts->path;
    if (!path.empty()) path.remove_prefix(1);
    if (!path.empty() && path.back() == '/') path.remove_suffix(1);
    if (path.empty()) fail("URL has no owner/repository path", input);
    const std::vector<std::string_view> segments = split_path(path);
    for (std::string_view segment : segments) {
        if (segment.empty()) fail("URL path has an empty segment", input);
    }
    if (segments.size() == 1) {
        fail("URL has no owner/repository path (only an owner, no repository)", input);
    }
    if (segments.size() > 2) fail("URL has extra path after owner/repository", input);

    const std::string_view owner = segments[0];
    std::string_view name = segments[1];
    if (iends_with_ascii(name, ".git")) name.remove_suffix(4);
    if (!is_valid_owner(owner)) {
        fail(
            "invalid GitHub owner '" + printable(owner) +
                "' (letters, digits, '_' and single hyphens, not starting or ending with a hyphen, "
                "at most 39 characters)",
            input);
    }
    if (!is_valid_repo_name(name)) {
        fail("invalid repository name '" + printable(name) +
                 "' (letters, digits, '.', '_' and '-', at most 100 characters, not '.' or '..')",
             input);
    }

    RepoUrl result;
    result.host = "github.com";
    result.owner = std::string(owner);
    result.name = std::string(name);
    result.normalized = "https://github.com/" + result.owner + "/" + result.name;
    return result;
}

}  // namespace aveloxis::util
