#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "util/repo_url.hpp"

using aveloxis::util::is_gitlab_host;
using aveloxis::util::parse_github_repo_url;
using aveloxis::util::RepoUrl;
using aveloxis::util::UrlError;

namespace {

// The UrlError message for url, or "(no error)".
std::string error_of(const std::string &url) {
    try {
        parse_github_repo_url(url);
    } catch (const UrlError &e) {
        return e.what();
    }
    return "(no error)";
}

void expect_error(const std::string &url, const std::string &problem) {
    const std::string message = error_of(url);
    EXPECT_NE(message.find(problem), std::string::npos)
        << "url: " << url << "\nmessage: " << message << "\nexpected: " << problem;
}

void expect_repo(const std::string &url, const std::string &owner, const std::string &name) {
    RepoUrl r;
    ASSERT_NO_THROW(r = parse_github_repo_url(url)) << url << ": " << error_of(url);
    EXPECT_EQ(r.host, "github.com") << url;
    EXPECT_EQ(r.owner, owner) << url;
    EXPECT_EQ(r.name, name) << url;
    EXPECT_EQ(r.normalized, "https://github.com/" + owner + "/" + name) << url;
}

}  // namespace

TEST(ParseGithubRepoUrl, AcceptedForms) {
    expect_repo("https://github.com/chaoss/augur", "chaoss", "augur");
    expect_repo("http://github.com/chaoss/augur", "chaoss", "augur");
    expect_repo("https://www.github.com/chaoss/augur", "chaoss", "augur");
    expect_repo("https://github.com/chaoss/augur.git", "chaoss", "augur");
    expect_repo("https://github.com/chaoss/augur/", "chaoss", "augur");
    expect_repo("https://github.com/chaoss/augur.git/", "chaoss", "augur");
    expect_repo("  \thttps://github.com/chaoss/augur\r\n", "chaoss", "augur");
    expect_repo("HTTPS://GitHub.COM/chaoss/augur", "chaoss", "augur");
    expect_repo("https://WWW.GITHUB.COM/chaoss/augur", "chaoss", "augur");
    expect_repo("https://github.com/chaoss/augur.GIT", "chaoss", "augur");
}

TEST(ParseGithubRepoUrl, CasePreserved) {
    expect_repo("https://github.com/OSS-Aspen/8Knot", "OSS-Aspen", "8Knot");
}

TEST(ParseGithubRepoUrl, ValidNameCharacters) {
    expect_repo("https://github.com/a/b", "a", "b");
    expect_repo("https://github.com/a-b-c/x.y_z-1", "a-b-c", "x.y_z-1");
    expect_repo("https://github.com/0/...", "0", "...");
    expect_repo("https://github.com/o/.github", "o", ".github");
    expect_repo("https://github.com/o/_", "o", "_");
    expect_repo("https://github.com/" + std::string(39, 'a') + "/" + std::string(100, 'b'),
                std::string(39, 'a'), std::string(100, 'b'));
    // ".git" is stripped before the length check.
    expect_repo("https://github.com/o/" + std::string(100, 'b') + ".git", "o",
                std::string(100, 'b'));
}

TEST(ParseGithubRepoUrl, NotAUrl) {
    expect_error("", "not a URL");
    expect_error("   ", "not a URL");
    expect_error("github.com/chaoss/augur", "not a URL");
    expect_error("chaoss/augur", "not a URL");
    expect_error("://github.com/a/b", "not a URL");
    expect_error("ht~tp://github.com/a/b", "not a URL");
    expect_error("https://", "not a URL");
    expect_error("https:///chaoss/augur", "not a URL");
    expect_error("https://github.com:abc/chaoss/augur", "not a URL");
    expect_error("https://a@b@github.com/chaoss/augur", "not a URL");
    expect_error("https://github.com\\@evil.com/chaoss/augur", "not a URL");
}

TEST(ParseGithubRepoUrl, Whitespace) {
    expect_error("https://github.com/chaoss/au gur", "whitespace or control characters");
    expect_error("https://github.com/chaoss/\taugur", "whitespace or control characters");
    expect_error(std::string("https://github.com/chaoss/augur\0x", 32),
                 "whitespace or control characters");
}

TEST(ParseGithubRepoUrl, UnsupportedScheme) {
    expect_error("ssh://git@github.com/chaoss/augur.git", "unsupported scheme 'ssh'");
    expect_error("git://github.com/chaoss/augur.git", "unsupported scheme 'git'");
    expect_error("ftp://github.com/chaoss/augur", "unsupported scheme 'ftp'");
    expect_error("FILE:///etc/passwd", "unsupported scheme 'file'");
}

TEST(ParseGithubRepoUrl, GitLab) {
    const std::string m = error_of("https://gitlab.com/gitlab-org/gitlab");
    EXPECT_EQ(m,
              "gitlab.com repositories are not supported yet (GitLab collection comes in a "
              "later release): https://gitlab.com/gitlab-org/gitlab");
    expect_error("https://www.gitlab.com/a/b", "www.gitlab.com repositories are not supported yet");
    expect_error("https://gitlab.gnome.org/GNOME/gtk", "gitlab.gnome.org repositories are not");
}

TEST(ParseGithubRepoUrl, NotGithubHost) {
    expect_error("https://example.org/chaoss/augur",
                 "host example.org is not a GitHub host: https://example.org/chaoss/augur");
    expect_error("https://evilgithub.com/a/b", "host evilgithub.com is not a GitHub host");
    expect_error("https://github.com.evil.com/a/b", "host github.com.evil.com is not a GitHub");
    expect_error("https://gist.github.com/a/b", "host gist.github.com is not a GitHub host");
    expect_error("https://github.com./a/b", "host github.com. is not a GitHub host");
    expect_error("https://[::1]/a/b", "host [::1] is not a GitHub host");
    expect_error("https://api.github.com/repos/chaoss/augur",
                 "api.github.com is the GitHub API host, not a repository URL");
}

TEST(ParseGithubRepoUrl, Credentials) {
    expect_error("https://user:ghp_secret@github.com/chaoss/augur",
                 "URL must not contain credentials");
    expect_error("https://@github.com/chaoss/augur", "URL must not contain credentials");
    expect_error("https://x-access-token:t@github.com/a/b", "URL must not contain credentials");
}

TEST(ParseGithubRepoUrl, CredentialsAreNotEchoed) {
    for (const char *url :
         {"https://user:ghp_secret@github.com/a/b", "ftp://user:ghp_secret@github.com/a/b",
          "https://user:ghp_secret@gitlab.com/a/b", "https://ghp_secret@github.com:x/a/b",
          "ghp_secret@github.com/a/b"}) {
        const std::string m = error_of(url);
        EXPECT_EQ(m.find("ghp_secret"), std::string::npos) << m;
        EXPECT_NE(m.find("***@"), std::string::npos) << m;
    }
    EXPECT_EQ(error_of("https://u:ghp_secret@github.com/a/b"),
              "URL must not contain credentials: https://***@github.com/a/b");
}

TEST(ParseGithubRepoUrl, Port) {
    expect_error("https://github.com:443/chaoss/augur", "URL must not contain a port");
    expect_error("https://github.com:8080/chaoss/augur", "URL must not contain a port");
}

TEST(ParseGithubRepoUrl, QueryAndFragment) {
    expect_error("https://github.com/chaoss/augur?tab=readme", "URL must not contain a query");
    expect_error("https://github.com/chaoss/augur?", "URL must not contain a query");
    expect_error("https://github.com/chaoss/augur#readme", "URL must not contain a fragment");
    expect_error("https://github.com/chaoss/augur#", "URL must not contain a fragment");
}

TEST(ParseGithubRepoUrl, MissingPath) {
    expect_error("https://github.com", "URL has no owner/repository path");
    expect_error("https://github.com/", "URL has no owner/repository path");
    expect_error("https://github.com/chaoss", "URL has no owner/repository path");
    expect_error("https://github.com/chaoss/", "URL has no owner/repository path");
}

TEST(ParseGithubRepoUrl, EmptySegments) {
    expect_error("https://github.com//augur", "URL path has an empty segment");
    expect_error("https://github.com/chaoss//augur", "URL path has an empty segment");
    expect_error("https://github.com/chaoss/augur//", "URL path has an empty segment");
    expect_error("https://github.com//", "URL has no owner/repository path");
}

TEST(ParseGithubRepoUrl, ExtraPath) {
    expect_error("https://github.com/chaoss/augur/tree/main",
                 "URL has extra path after owner/repository");
    expect_error("https://github.com/chaoss/augur/issues/1",
                 "URL has extra path after owner/repository");
    expect_error("https://github.com/chaoss/augur.git/info/refs",
                 "URL has extra path after owner/repository");
}

TEST(ParseGithubRepoUrl, SshAddressGetsItsOwnMessage) {
    expect_error("git@github.com:chaoss/augur.git", "SSH clone addresses are not repository URLs");
}

TEST(ParseGithubRepoUrl, EnterpriseManagedUserOwner) {
    expect_repo("https://github.com/mona_octocorp/augur", "mona_octocorp", "augur");
}

TEST(ParseGithubRepoUrl, InvalidOwner) {
    for (const std::string &owner :
         std::vector<std::string>{"-chaoss", "chaoss-", "cha--oss", "cha.oss", "ch%41oss",
                                  std::string(40, 'a'), "caf\xc3\xa9"}) {
        expect_error("https://github.com/" + owner + "/augur", "invalid GitHub owner '");
    }
    expect_error("https://github.com/-x/augur", "invalid GitHub owner '-x'");
}

TEST(ParseGithubRepoUrl, InvalidRepoName) {
    for (const std::string &name : std::vector<std::string>{
             ".", "..", "a%2Fb", "a+b", "a~b", "a!b", std::string(101, 'b'), ".git", "...git"}) {
        expect_error("https://github.com/chaoss/" + name, "invalid repository name '");
    }
    expect_error("https://github.com/chaoss/.git", "invalid repository name ''");
    expect_error("https://github.com/chaoss/a+b", "invalid repository name 'a+b'");
}

TEST(ParseGithubRepoUrl, MessagesArePrintableUtf8AndBounded) {
    std::string m = error_of("https://github.com/chaoss/\x01x");
    EXPECT_NE(m.find("\\x01"), std::string::npos) << m;
    m = error_of("https://github.com/\xff/augur");
    EXPECT_NE(m.find("\xef\xbf\xbd"), std::string::npos) << m;
    EXPECT_EQ(m.find('\xff'), std::string::npos);
    m = error_of("https://example.org/" + std::string(500, 'x'));
    EXPECT_LT(m.size(), 300u);
    EXPECT_EQ(m.substr(m.size() - 3), "...");
    // A cut never splits a UTF-8 sequence.
    m = error_of("https://example.org/" + std::string(178, 'x') + "\xc3\xa9\xc3\xa9");
    EXPECT_NE(m.find("x\xc3\xa9..."), std::string::npos) << m;
    m = error_of("https://example.org/" + std::string(179, 'x') + "\xc3\xa9\xc3\xa9");
    EXPECT_NE(m.find("xx..."), std::string::npos) << m;
    EXPECT_EQ(m.find('\xc3'), std::string::npos) << m;
}

TEST(ParseGithubRepoUrl, ErrorIsRuntimeError) {
    EXPECT_THROW(parse_github_repo_url("nope"), std::runtime_error);
}

TEST(IsGitlabHost, Hosts) {
    EXPECT_TRUE(is_gitlab_host("gitlab.com"));
    EXPECT_TRUE(is_gitlab_host("GitLab.COM"));
    EXPECT_TRUE(is_gitlab_host("www.gitlab.com"));
    EXPECT_TRUE(is_gitlab_host("gitlab.freedesktop.org"));
    EXPECT_FALSE(is_gitlab_host("github.com"));
    EXPECT_FALSE(is_gitlab_host("evilgitlab.com"));
    EXPECT_FALSE(is_gitlab_host("mygitlab.example.org"));
    EXPECT_FALSE(is_gitlab_host("gitlab."));
    EXPECT_FALSE(is_gitlab_host("gitlab"));
    EXPECT_FALSE(is_gitlab_host(""));
}
