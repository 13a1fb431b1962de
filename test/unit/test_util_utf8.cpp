#include <gtest/gtest.h>

#include <string>

#include "util/utf8.hpp"

using aveloxis::util::append_utf8_replacing_invalid;
using aveloxis::util::is_valid_utf8;
using aveloxis::util::next_utf8_step;

namespace {

const std::string kR = "\xEF\xBF\xBD";

std::string replaced(const std::string &s) {
    std::string out;
    append_utf8_replacing_invalid(out, s);
    return out;
}

}  // namespace

TEST(Utf8, ValidSequences) {
    EXPECT_TRUE(is_valid_utf8(""));
    EXPECT_TRUE(is_valid_utf8("plain ascii"));
    EXPECT_TRUE(is_valid_utf8(std::string("nul\0inside", 10)));
    EXPECT_TRUE(is_valid_utf8("\x7f"));
    EXPECT_TRUE(is_valid_utf8("\xC2\x80"));          // U+0080
    EXPECT_TRUE(is_valid_utf8("\xDF\xBF"));          // U+07FF
    EXPECT_TRUE(is_valid_utf8("\xE0\xA0\x80"));      // U+0800
    EXPECT_TRUE(is_valid_utf8("\xED\x9F\xBF"));      // U+D7FF
    EXPECT_TRUE(is_valid_utf8("\xEE\x80\x80"));      // U+E000
    EXPECT_TRUE(is_valid_utf8("\xEF\xBF\xBF"));      // U+FFFF
    EXPECT_TRUE(is_valid_utf8("\xF0\x90\x80\x80"));  // U+10000
    EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
    EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9 \xF0\x9F\x98\x80"));
}

TEST(Utf8, InvalidSequences) {
    EXPECT_FALSE(is_valid_utf8("\x80"));
    EXPECT_FALSE(is_valid_utf8("\xBF"));
    EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
    EXPECT_FALSE(is_valid_utf8("\xC1\xBF"));          // overlong
    EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong
    EXPECT_FALSE(is_valid_utf8("\xE0\x9F\xBF"));      // overlong
    EXPECT_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));  // overlong
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // U+D800 encoded
    EXPECT_FALSE(is_valid_utf8("\xED\xBF\xBF"));      // U+DFFF encoded
    EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // U+110000
    EXPECT_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
    EXPECT_FALSE(is_valid_utf8("\xFF"));
    EXPECT_FALSE(is_valid_utf8("\xFE"));
    EXPECT_FALSE(is_valid_utf8("\xC3"));            // truncated at the end
    EXPECT_FALSE(is_valid_utf8("\xE2\x82"));        // truncated at the end
    EXPECT_FALSE(is_valid_utf8("\xF0\x9F\x98"));    // truncated at the end
    EXPECT_FALSE(is_valid_utf8("\xC3x"));           // truncated before ASCII
    EXPECT_FALSE(is_valid_utf8("ok\xC3\xA9\xA9"));  // stray continuation byte
}

TEST(Utf8, StepLengths) {
    EXPECT_EQ(next_utf8_step("a", 0).length, 1u);
    EXPECT_EQ(next_utf8_step("\xF0\x9F\x98\x80", 0).length, 4u);
    EXPECT_TRUE(next_utf8_step("\xF0\x9F\x98\x80", 0).valid);
    EXPECT_EQ(next_utf8_step("\xF0\x9F\x98", 0).length, 3u);
    EXPECT_FALSE(next_utf8_step("\xF0\x9F\x98", 0).valid);
    EXPECT_EQ(next_utf8_step("\xF0\x9F\x41", 0).length, 2u);
    EXPECT_EQ(next_utf8_step("\xE0\x80", 0).length, 1u);
    EXPECT_EQ(next_utf8_step("x\xC3\xA9", 1).length, 2u);
}

TEST(Utf8, OneReplacementPerMaximalSubpart) {
    // The example of Unicode 15, table 3-8.
    EXPECT_EQ(replaced("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64"),
              "a" + kR + kR + kR + "b" + kR + "c" + kR + kR + "d");
    EXPECT_EQ(replaced("\xC0\xAF"), kR + kR);
    EXPECT_EQ(replaced("\xE0\x80\xAF"), kR + kR + kR);
    EXPECT_EQ(replaced("\xED\xA0\x80"), kR + kR + kR);
    EXPECT_EQ(replaced("\xF4\x90\x80\x80"), kR + kR + kR + kR);
    EXPECT_EQ(replaced("\xF8\x88\x80\x80\x80"), kR + kR + kR + kR + kR);
    EXPECT_EQ(replaced("\xF0\x9F\x98"), kR);
    EXPECT_EQ(replaced("\xF0\x9F\x98z"), kR + "z");
    EXPECT_EQ(replaced("\xE2\x82\xE2\x82\xAC"), kR + "\xE2\x82\xAC");
    EXPECT_EQ(replaced("caf\xC3\xA9"), "caf\xC3\xA9");
}
