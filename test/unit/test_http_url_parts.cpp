#include <gtest/gtest.h>

#include "http/url_parts.hpp"

using aveloxis::http::resolve_reference;
using aveloxis::http::url_origin;
using aveloxis::http::url_path;

TEST(UrlParts, OriginWithDefaultAndExplicitPorts) {
    auto a = url_origin("HTTPS://API.GitHub.com/repos/a/b?x=1");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->scheme, "https");
    EXPECT_EQ(a->host, "api.github.com");
    EXPECT_EQ(a->port, 443);
    EXPECT_EQ(a->url, "https://api.github.com/");
    auto b = url_origin("http://127.0.0.1:18080/x");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->port, 18080);
    EXPECT_EQ(b->url, "http://127.0.0.1:18080/");
    EXPECT_EQ(*url_origin("https://api.github.com:443/"), *a);
    EXPECT_NE(*url_origin("http://api.github.com/"), *a);
}

TEST(UrlParts, OriginRefusesOtherSchemesUserInfoAndJunk) {
    EXPECT_FALSE(url_origin("ftp://example.com/x"));
    EXPECT_FALSE(url_origin("file:///etc/passwd"));
    EXPECT_FALSE(url_origin("https://user:pw@api.github.com/"));
    EXPECT_FALSE(url_origin("https://evil.com\\@api.github.com/"));
    EXPECT_FALSE(url_origin("/relative/path"));
    EXPECT_FALSE(url_origin(std::string("https://a.com\0.evil.com/", 25)));
    EXPECT_FALSE(url_origin(""));
}

TEST(UrlParts, ResolveKeepsAbsoluteUrlsVerbatim) {
    const std::string base = "https://api.github.com/repos/a/b/issues?page=1";
    EXPECT_EQ(resolve_reference(base, "https://api.github.com/repositories/1/issues?page=2&x=%41"),
              "https://api.github.com/repositories/1/issues?page=2&x=%41");
    EXPECT_EQ(resolve_reference(base, "/repositories/9"), "https://api.github.com/repositories/9");
    EXPECT_EQ(resolve_reference(base, "?page=3"), "https://api.github.com/repos/a/b/issues?page=3");
    EXPECT_EQ(resolve_reference(base, "//other.example/x"), "https://other.example/x");
    EXPECT_FALSE(resolve_reference("not a url", "also not"));
}

TEST(UrlParts, PathWithoutQuery) {
    EXPECT_EQ(url_path("https://api.github.com/repos/a/b/issues?since=x#f"), "/repos/a/b/issues");
    EXPECT_EQ(url_path("https://api.github.com"), "/");
    EXPECT_EQ(url_path("no url?q"), "no url");
}
