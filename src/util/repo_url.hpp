// Parsing of user-supplied GitHub repository URLs.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace aveloxis::util {

struct RepoUrl {
    std::string host;        // "github.com" (www.github.com is folded into it)
    std::string owner;       // case preserved
    std::string name;        // case preserved, without ".git"
    std::string normalized;  // "https://github.com/Owner/Name"
};

// The message names the problem and quotes the URL (credentials masked, at most 200 bytes).
class UrlError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Accepts http(s)://[www.]github.com/owner/repo with an optional ".git", an optional trailing
// '/' and surrounding whitespace. Throws UrlError for anything else.
RepoUrl parse_github_repo_url(std::string_view url);

// gitlab.com, its subdomains, and self-hosted instances whose first label is "gitlab".
bool is_gitlab_host(std::string_view host);

}  // namespace aveloxis::util
