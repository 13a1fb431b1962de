#include <gtest/gtest.h>

#include "util/ascii.hpp"

using namespace aveloxis::util;

TEST(Ascii, Classes) {
    EXPECT_TRUE(is_ascii_space(' ') && is_ascii_space('\t') && is_ascii_space('\n'));
    EXPECT_TRUE(is_ascii_space('\r') && is_ascii_space('\f') && is_ascii_space('\v'));
    EXPECT_FALSE(is_ascii_space('\0') || is_ascii_space('x') || is_ascii_space('\xA0'));
    EXPECT_TRUE(is_ascii_alnum('a') && is_ascii_alnum('Z') && is_ascii_alnum('0'));
    EXPECT_FALSE(is_ascii_alnum('-') || is_ascii_alnum('\xC3'));
    EXPECT_TRUE(is_ascii_hex('f') && is_ascii_hex('F') && is_ascii_hex('9'));
    EXPECT_FALSE(is_ascii_hex('g') || is_ascii_hex('G'));
}

TEST(Ascii, Lowercase) {
    EXPECT_EQ(to_lower_ascii('Q'), 'q');
    EXPECT_EQ(to_lower_ascii('['), '[');
    EXPECT_EQ(lowercase_ascii("GitHub.COM-1_\xC3\x89"), "github.com-1_\xC3\x89");
}

TEST(Ascii, Trim) {
    EXPECT_EQ(trim_ascii(" \t a b \r\n"), "a b");
    EXPECT_EQ(trim_ascii("   "), "");
    EXPECT_EQ(trim_ascii(""), "");
    EXPECT_EQ(trim_ascii("x"), "x");
}

TEST(Ascii, CaseInsensitiveCompare) {
    EXPECT_TRUE(iequals_ascii("GitHub", "github"));
    EXPECT_FALSE(iequals_ascii("github", "githu"));
    EXPECT_TRUE(iends_with_ascii("a@Users.NoReply.GitHub.com", "@users.noreply.github.com"));
    EXPECT_FALSE(iends_with_ascii("com", ".com"));
    EXPECT_TRUE(iends_with_ascii("x", ""));
}
