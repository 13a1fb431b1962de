#include <gtest/gtest.h>

#include "http/link_header.hpp"

using aveloxis::http::link_rel;

TEST(LinkHeader, GitHubStyleNextAndLast) {
    const char *h =
        "<https://api.github.com/repositories/1/issues?page=2>; rel=\"next\", "
        "<https://api.github.com/repositories/1/issues?page=5>; rel=\"last\"";
    EXPECT_EQ(link_rel(h, "next"), "https://api.github.com/repositories/1/issues?page=2");
    EXPECT_EQ(link_rel(h, "last"), "https://api.github.com/repositories/1/issues?page=5");
    EXPECT_FALSE(link_rel(h, "prev"));
}

TEST(LinkHeader, EmptyOrMissing) {
    EXPECT_FALSE(link_rel("", "next"));
    EXPECT_FALSE(link_rel("   ,  , ", "next"));
    EXPECT_FALSE(link_rel("<https://x/a>; rel=\"prev\"", "next"));
    EXPECT_FALSE(link_rel("<https://x/a>", "next"));
}

TEST(LinkHeader, SeveralRelValuesUnquotedAndCase) {
    EXPECT_EQ(link_rel("<https://x/a>; rel=\"last  next\"", "next"), "https://x/a");
    EXPECT_EQ(link_rel("<https://x/a>; rel=next", "next"), "https://x/a");
    EXPECT_EQ(link_rel("<https://x/a>; REL=\"Next\"", "next"), "https://x/a");
    EXPECT_FALSE(link_rel("<https://x/a>; rel=\"nextpage\"", "next"));
}

TEST(LinkHeader, WhitespaceEverywhere) {
    EXPECT_EQ(link_rel("  < https://x/a >\t;  rel =  \"next\"  ,<https://x/b>;rel=last", "next"),
              "https://x/a");
    EXPECT_EQ(link_rel("<https://x/a>;rel=prev,<https://x/b>;rel=next", "next"), "https://x/b");
}

TEST(LinkHeader, DelimitersInsideTargetAndQuotedParameters) {
    const char *h =
        "<https://x/a?q=1,2;3>; title=\"a, b; rel=next\"; rel=\"prev\", "
        "<https://x/b>; rel=\"next\"";
    EXPECT_EQ(link_rel(h, "prev"), "https://x/a?q=1,2;3");
    EXPECT_EQ(link_rel(h, "next"), "https://x/b");
    EXPECT_EQ(link_rel("<https://x/c>; title=\"say \\\"hi\\\"\"; rel=next", "next"), "https://x/c");
}

TEST(LinkHeader, OnlyTheFirstRelCounts) {
    EXPECT_FALSE(link_rel("<https://x/a>; rel=prev; rel=next", "next"));
}

TEST(LinkHeader, MalformedPartsAreSkipped) {
    EXPECT_EQ(link_rel("garbage; rel=next, <https://x/a>; rel=next", "next"), "https://x/a");
    EXPECT_FALSE(link_rel("<https://x/a; rel=next", "next"));
    EXPECT_EQ(link_rel("<https://x/a>; ; =x; rel=next", "next"), "https://x/a");
}

TEST(LinkHeader, RelativeTargetIsReturnedAsWritten) {
    EXPECT_EQ(link_rel("</issues?page=2>; rel=\"next\"", "next"), "/issues?page=2");
}
