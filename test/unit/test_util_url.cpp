#include <gtest/gtest.h>

#include "util/url.hpp"

using aveloxis::util::host_allowed;
using aveloxis::util::rewrite_url;
using aveloxis::util::split_url;

TEST(SplitUrl, AllParts) {
    const auto p = split_url("HTTPS://user:pw@API.GitHub.com:8443/Repos/X?per_page=100&a=b#Frag");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->scheme, "https");
    EXPECT_TRUE(p->has_userinfo);
    EXPECT_EQ(p->userinfo, "user:pw");
    EXPECT_EQ(p->host, "api.github.com");
    EXPECT_EQ(p->port, "8443");
    EXPECT_EQ(p->path, "/Repos/X");
    EXPECT_TRUE(p->has_query);
    EXPECT_EQ(p->query, "per_page=100&a=b");
    EXPECT_TRUE(p->has_fragment);
    EXPECT_EQ(p->fragment, "Frag");
}

TEST(SplitUrl, HostOnly) {
    const auto p = split_url("https://github.com");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->host, "github.com");
    EXPECT_EQ(p->path, "");
    EXPECT_EQ(p->port, "");
    EXPECT_FALSE(p->has_userinfo);
    EXPECT_FALSE(p->has_query);
    EXPECT_FALSE(p->has_fragment);
}

TEST(SplitUrl, EmptyMarkersAreRecorded) {
    const auto p = split_url("https://@github.com/?#");
    ASSERT_TRUE(p);
    EXPECT_TRUE(p->has_userinfo);
    EXPECT_EQ(p->userinfo, "");
    EXPECT_TRUE(p->has_query);
    EXPECT_EQ(p->query, "");
    EXPECT_TRUE(p->has_fragment);
    EXPECT_EQ(p->path, "/");
}

TEST(SplitUrl, QueryOrFragmentEndTheAuthority) {
    auto p = split_url("https://github.com?x=/y");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->host, "github.com");
    EXPECT_EQ(p->path, "");
    EXPECT_EQ(p->query, "x=/y");

    p = split_url("https://evil.com#@github.com");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->host, "evil.com");
    EXPECT_FALSE(p->has_userinfo);
    EXPECT_EQ(p->fragment, "@github.com");

    p = split_url("https://evil.com?@github.com/");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->host, "evil.com");

    p = split_url("https://h/a?b#c?d");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->path, "/a");
    EXPECT_EQ(p->query, "b");
    EXPECT_EQ(p->fragment, "c?d");
}

TEST(SplitUrl, Ipv6Literals) {
    auto p = split_url("http://[::1]:18080/x");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->host, "[::1]");
    EXPECT_EQ(p->port, "18080");
    EXPECT_EQ(p->path, "/x");

    p = split_url("http://[2001:DB8::A]");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->host, "[2001:db8::a]");
    EXPECT_EQ(p->port, "");

    p = split_url("http://[::ffff:127.0.0.1]/");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->host, "[::ffff:127.0.0.1]");

    EXPECT_FALSE(split_url("http://[::1/x"));
    EXPECT_FALSE(split_url("http://[::1]x/"));
    EXPECT_FALSE(split_url("http://[]/"));
    EXPECT_FALSE(split_url("http://[abc]/"));
    EXPECT_FALSE(split_url("http://[fe80::1%25eth0]/"));
    EXPECT_FALSE(split_url("http://[::1]:/"));
}

TEST(SplitUrl, PortsAreCanonical) {
    auto p = split_url("https://h:0443/");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->port, "443");
    p = split_url("https://h:65535");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->port, "65535");
    EXPECT_FALSE(split_url("https://h:65536/"));
    EXPECT_FALSE(split_url("https://h:0/"));
    EXPECT_FALSE(split_url("https://h:/"));
    EXPECT_FALSE(split_url("https://h:8a/"));
    EXPECT_FALSE(split_url("https://h:-1/"));
    EXPECT_FALSE(split_url("https://h:1:2/"));
    EXPECT_FALSE(split_url("https://h:99999999999999999999/"));
}

TEST(SplitUrl, Rejected) {
    EXPECT_FALSE(split_url(""));
    EXPECT_FALSE(split_url("github.com/a/b"));
    EXPECT_FALSE(split_url("://github.com"));
    EXPECT_FALSE(split_url("1http://github.com"));
    EXPECT_FALSE(split_url("ht_tp://github.com"));
    EXPECT_FALSE(split_url("https://"));
    EXPECT_FALSE(split_url("https:///a/b"));
    EXPECT_FALSE(split_url("https://:443/"));
    EXPECT_FALSE(split_url("https://user@/"));
    EXPECT_FALSE(split_url(" https://github.com"));
    EXPECT_FALSE(split_url("https://github.com/a b"));
    EXPECT_FALSE(split_url("https://github.com/a\tb"));
    EXPECT_FALSE(split_url("https://github.com/a\x7f"));
    EXPECT_FALSE(split_url(std::string("https://github.com/\0", 20)));
    EXPECT_FALSE(split_url("https://evil.com\\@github.com/"));
    EXPECT_FALSE(split_url("https://a@b@github.com/"));
    EXPECT_FALSE(split_url("https://git%68ub.com/"));
    EXPECT_FALSE(
        split_url("https://gith\xc3\xbc"
                  "b.com/"));
    EXPECT_FALSE(split_url("https://a*b.com/"));
}

TEST(SplitUrl, OtherSchemesAndNonAsciiPath) {
    auto p = split_url("git+ssh://git@github.com/o/r.git");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->scheme, "git+ssh");
    EXPECT_EQ(p->userinfo, "git");
    p = split_url("https://h/caf\xc3\xa9");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->path, "/caf\xc3\xa9");
    p = split_url("https://under_score.example-1.com/");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->host, "under_score.example-1.com");
}

TEST(HostAllowed, ExactAndSubdomains) {
    const char *allowed = "github.com, gitlab.com";
    EXPECT_TRUE(host_allowed("https://github.com/o/r", allowed));
    EXPECT_TRUE(host_allowed("https://api.github.com/repos/o/r", allowed));
    EXPECT_TRUE(host_allowed("https://uploads.api.github.com/x", allowed));
    EXPECT_TRUE(host_allowed("https://GitLab.COM/api/v4", allowed));
    EXPECT_FALSE(host_allowed("https://evilgithub.com/", allowed));
    EXPECT_FALSE(host_allowed("https://github.com.evil.com/", allowed));
    EXPECT_FALSE(host_allowed("https://githubusercontent.com/", allowed));
    EXPECT_FALSE(host_allowed("https://github.com./", allowed));
    EXPECT_FALSE(host_allowed("https://.github.com/", allowed));
    EXPECT_FALSE(host_allowed("https://com/", allowed));
}

TEST(HostAllowed, EntriesTrimmedCaseInsensitiveEmptyIgnored) {
    EXPECT_TRUE(host_allowed("https://api.github.com/", " ,, \tGitHub.Com\n ,"));
    EXPECT_FALSE(host_allowed("https://api.github.com/", ""));
    EXPECT_FALSE(host_allowed("https://api.github.com/", " , "));
}

TEST(HostAllowed, OnlyHttpAndHttps) {
    EXPECT_TRUE(host_allowed("http://github.com/", "github.com"));
    EXPECT_TRUE(host_allowed("HTTPS://github.com/", "github.com"));
    EXPECT_FALSE(host_allowed("ftp://github.com/", "github.com"));
    EXPECT_FALSE(host_allowed("file://github.com/etc/passwd", "github.com"));
    EXPECT_FALSE(host_allowed("ssh://github.com/o/r", "github.com"));
    EXPECT_FALSE(host_allowed("github.com/o/r", "github.com"));
}

TEST(HostAllowed, UserinfoRefused) {
    EXPECT_FALSE(host_allowed("https://user:pw@github.com/", "github.com"));
    EXPECT_FALSE(host_allowed("https://@github.com/", "github.com"));
    EXPECT_FALSE(host_allowed("https://github.com@evil.com/", "github.com"));
    EXPECT_FALSE(host_allowed("https://evil.com\\@github.com/", "github.com"));
}

TEST(HostAllowed, EntryWithPortMatchesExactly) {
    const char *allowed = "127.0.0.1:18080";
    EXPECT_TRUE(host_allowed("http://127.0.0.1:18080/repos/o/r", allowed));
    EXPECT_TRUE(host_allowed("http://127.0.0.1:018080/", allowed));
    EXPECT_FALSE(host_allowed("http://127.0.0.1:18081/", allowed));
    EXPECT_FALSE(host_allowed("http://127.0.0.1/", allowed));
    EXPECT_FALSE(host_allowed("http://127.0.0.2:18080/", allowed));
    EXPECT_FALSE(host_allowed("http://x.127.0.0.1:18080/", allowed));
    EXPECT_FALSE(host_allowed("http://localhost:18080/", allowed));

    EXPECT_TRUE(host_allowed("http://api.example.com:8080/", "api.example.com:8080"));
    EXPECT_FALSE(host_allowed("http://sub.api.example.com:8080/", "api.example.com:8080"));
    // The default port counts as the port of a URL that names none.
    EXPECT_TRUE(host_allowed("https://h.example/", "h.example:443"));
    EXPECT_FALSE(host_allowed("http://h.example/", "h.example:443"));
}

TEST(HostAllowed, EntryWithoutPortOnlyOnDefaultPort) {
    EXPECT_TRUE(host_allowed("https://github.com:443/", "github.com"));
    EXPECT_TRUE(host_allowed("http://github.com:80/", "github.com"));
    EXPECT_FALSE(host_allowed("https://github.com:8443/", "github.com"));
    EXPECT_FALSE(host_allowed("http://github.com:443/", "github.com"));
    EXPECT_FALSE(host_allowed("http://localhost:5432/", "localhost"));
}

TEST(HostAllowed, IpLiteralEntriesHaveNoSubdomains) {
    EXPECT_TRUE(host_allowed("http://10.0.0.1/", "10.0.0.1"));
    EXPECT_FALSE(host_allowed("http://1.10.0.0.1/", "10.0.0.1"));
    EXPECT_TRUE(host_allowed("http://[::1]:8080/", "[::1]:8080"));
    EXPECT_TRUE(host_allowed("http://[::1]/", "::1"));
    EXPECT_TRUE(host_allowed("http://[::1]/", "[::1]"));
    EXPECT_FALSE(host_allowed("http://[::1]:8080/", "[::1]"));
    EXPECT_FALSE(host_allowed("http://[::2]/", "::1"));
}

TEST(HostAllowed, MalformedEntriesAndUrlsMatchNothing) {
    EXPECT_FALSE(host_allowed("https://github.com/", "https://github.com"));
    EXPECT_FALSE(host_allowed("https://github.com/", "github.com:abc"));
    EXPECT_FALSE(host_allowed("https://github.com/", "*.github.com"));
    EXPECT_FALSE(host_allowed("not a url", "github.com"));
    EXPECT_FALSE(host_allowed("", "github.com"));
    EXPECT_TRUE(host_allowed("https://github.com/", "bad entry:x, github.com"));
}

TEST(RewriteUrl, NoRulesOrNoMatch) {
    EXPECT_EQ(rewrite_url("https://github.com/o/r", ""), "https://github.com/o/r");
    EXPECT_EQ(rewrite_url("https://github.com/o/r", "https://gitlab.com/=/x/"),
              "https://github.com/o/r");
}

TEST(RewriteUrl, ReplacesPrefix) {
    EXPECT_EQ(rewrite_url("https://github.com/o/r", "https://github.com/=/srv/mirror/"),
              "/srv/mirror/o/r");
    EXPECT_EQ(rewrite_url("https://github.com/o/r",
                          " https://github.com/ = http://127.0.0.1:18080/git/ "),
              "http://127.0.0.1:18080/git/o/r");
}

TEST(RewriteUrl, LongestPrefixWins) {
    const char *rules = "https://github.com/=/a/,https://github.com/chaoss/=/b/,https://=/c/";
    EXPECT_EQ(rewrite_url("https://github.com/chaoss/augur", rules), "/b/augur");
    EXPECT_EQ(rewrite_url("https://github.com/other/x", rules), "/a/other/x");
    EXPECT_EQ(rewrite_url("https://example.org/x", rules), "/c/example.org/x");
}

TEST(RewriteUrl, FirstOfEqualPrefixesWins) {
    EXPECT_EQ(rewrite_url("https://h/x", "https://h/=/one/,https://h/=/two/"), "/one/x");
}

TEST(RewriteUrl, SplitsAtFirstEquals) {
    EXPECT_EQ(rewrite_url("https://h/x", "https://h/=https://m/?a=b&"), "https://m/?a=b&x");
}

TEST(RewriteUrl, IgnoresEntriesWithoutEqualsOrPrefix) {
    EXPECT_EQ(rewrite_url("https://h/x", "https://h/, =/all/"), "https://h/x");
    EXPECT_EQ(rewrite_url("https://h/x", "garbage,https://h/=/ok/"), "/ok/x");
}

TEST(RewriteUrl, EmptyReplacementAndWholeUrl) {
    EXPECT_EQ(rewrite_url("https://h/x", "https://h/="), "x");
    EXPECT_EQ(rewrite_url("https://h/x", "https://h/x=/y"), "/y");
}

TEST(RewriteUrl, PrefixIsCaseSensitive) {
    EXPECT_EQ(rewrite_url("https://GitHub.com/o", "https://github.com/=/m/"),
              "https://GitHub.com/o");
}
