#include <gtest/gtest.h>

#include <string>

#include "util/json_sanitize.hpp"

using aveloxis::util::is_valid_utf8;
using aveloxis::util::sanitize_json_text;

namespace {

const std::string kR = "\xEF\xBF\xBD";

}  // namespace

TEST(SanitizeJson, UnchangedWhenClean) {
    EXPECT_EQ(sanitize_json_text(""), "");
    const std::string json =
        R"({"title":"caf\u00e9 \"q\" \\ \/ \n","emoji":"\ud83d\ude00","n":[1,2.5e3,null,true]})";
    EXPECT_EQ(sanitize_json_text(json), json);
    EXPECT_EQ(sanitize_json_text("{\"t\":\"caf\xC3\xA9 \xF0\x9F\x98\x80\"}"),
              "{\"t\":\"caf\xC3\xA9 \xF0\x9F\x98\x80\"}");
}

TEST(SanitizeJson, DropsEscapedNul) {
    EXPECT_EQ(sanitize_json_text(R"(a\u0000b)"), "ab");
    EXPECT_EQ(sanitize_json_text(R"({"body":"x\u0000y\u0000","n":1})"), R"({"body":"xy","n":1})");
    EXPECT_EQ(sanitize_json_text(R"(\u0000\u0000\u0000)"), "");
    EXPECT_EQ(sanitize_json_text(R"(\u00000)"), "0");
}

TEST(SanitizeJson, EscapedBackslashIsNotAnEscape) {
    EXPECT_EQ(sanitize_json_text(R"(a\\u0000b)"), R"(a\\u0000b)");
    EXPECT_EQ(sanitize_json_text(R"(a\\\u0000b)"), R"(a\\b)");
    EXPECT_EQ(sanitize_json_text(R"(a\\\\u0000b)"), R"(a\\\\u0000b)");
    EXPECT_EQ(sanitize_json_text(R"(a\\\\\u0000b)"), R"(a\\\\b)");
    EXPECT_EQ(sanitize_json_text(R"("\\" \u0000)"), R"("\\" )");
    EXPECT_EQ(sanitize_json_text(R"(\"\u0000)"), R"(\")");
}

TEST(SanitizeJson, KeepsOtherEscapes) {
    EXPECT_EQ(sanitize_json_text(R"(\u0001\u001f\u00A0\uFFFF\u0100)"),
              R"(\u0001\u001f\u00A0\uFFFF\u0100)");
    EXPECT_EQ(sanitize_json_text(R"(\b\f\n\r\t\"\/)"), R"(\b\f\n\r\t\"\/)");
}

TEST(SanitizeJson, SurrogatePairsKept) {
    EXPECT_EQ(sanitize_json_text(R"(\uD83D\uDE00)"), R"(\uD83D\uDE00)");
    EXPECT_EQ(sanitize_json_text(R"(\ud83d\ude00)"), R"(\ud83d\ude00)");
    EXPECT_EQ(sanitize_json_text(R"(\uDBFF\uDFFF\uD800\uDC00)"), R"(\uDBFF\uDFFF\uD800\uDC00)");
}

TEST(SanitizeJson, LoneSurrogatesReplaced) {
    EXPECT_EQ(sanitize_json_text(R"("\uD83D")"), R"("\uFFFD")");
    EXPECT_EQ(sanitize_json_text(R"("\ud83d")"), R"("\uFFFD")");
    EXPECT_EQ(sanitize_json_text(R"("\uDE00")"), R"("\uFFFD")");
    EXPECT_EQ(sanitize_json_text(R"("\uD83Dx")"), R"("\uFFFDx")");
    EXPECT_EQ(sanitize_json_text(R"(\uD83D\u0041)"), R"(\uFFFD\u0041)");
    EXPECT_EQ(sanitize_json_text(R"(\uD83D\uD83D\uDE00)"), R"(\uFFFD\uD83D\uDE00)");
    EXPECT_EQ(sanitize_json_text(R"(\uDE00\uD83D)"), R"(\uFFFD\uFFFD)");
    EXPECT_EQ(sanitize_json_text(R"(\uD800\u0000)"), R"(\uFFFD)");
    EXPECT_EQ(sanitize_json_text(R"(\uD800\\uDC00)"), R"(\uFFFD\\uDC00)");
    EXPECT_EQ(sanitize_json_text(R"(\uD800\uDC0)"), R"(\uFFFD\uDC0)");
    EXPECT_EQ(sanitize_json_text(R"(\uD800)"), R"(\uFFFD)");
    EXPECT_EQ(sanitize_json_text(R"(\\uD800)"), R"(\\uD800)");
}

TEST(SanitizeJson, MalformedEscapesPassThrough) {
    EXPECT_EQ(sanitize_json_text(R"(\u00)"), R"(\u00)");
    EXPECT_EQ(sanitize_json_text(R"(\u000)"), R"(\u000)");
    EXPECT_EQ(sanitize_json_text(R"(\u00G0)"), R"(\u00G0)");
    EXPECT_EQ(sanitize_json_text(R"(\U0000)"), R"(\U0000)");
    EXPECT_EQ(sanitize_json_text("x\\"), "x\\");
    EXPECT_EQ(sanitize_json_text("\\"), "\\");
}

TEST(SanitizeJson, RawNulRemoved) {
    EXPECT_EQ(sanitize_json_text(std::string("a\0b\0", 4)), "ab");
    EXPECT_EQ(sanitize_json_text(std::string("\0\0\0", 3)), "");
    EXPECT_EQ(sanitize_json_text(std::string("\\\0", 2)), "\\");
}

// NUL bytes are dropped before escapes are read, so what remains is judged as a whole and
// dropping one can never leave behind an escape that jsonb rejects.
TEST(SanitizeJson, RawNulInsideEscapes) {
    using namespace std::string_literals;
    EXPECT_EQ(sanitize_json_text("\\\0u0000"s), "");
    EXPECT_EQ(sanitize_json_text("\\u00\0"
                                 "00x"s),
              "x");
    EXPECT_EQ(sanitize_json_text("\\\0uDC00"s), "\\uFFFD");
    EXPECT_EQ(sanitize_json_text("\\uD83D\0\\uDE00"s), "\\uD83D\\uDE00");
    EXPECT_EQ(sanitize_json_text("\\\\\0\\u0000"s), "\\\\");
    EXPECT_EQ(sanitize_json_text("\\\0\\u0000"s), "\\\\u0000");
}

TEST(SanitizeJson, InvalidUtf8Replaced) {
    EXPECT_EQ(sanitize_json_text("\"a\xFF"
                                 "b\""),
              "\"a" + kR + "b\"");
    EXPECT_EQ(sanitize_json_text("\x80\xBF"), kR + kR);
    EXPECT_EQ(sanitize_json_text("\xC0\xAF"), kR + kR);
    EXPECT_EQ(sanitize_json_text("\xED\xA0\x80"), kR + kR + kR);
    EXPECT_EQ(sanitize_json_text("\xF4\x90\x80\x80"), kR + kR + kR + kR);
    EXPECT_EQ(sanitize_json_text("\xF5"), kR);
    EXPECT_EQ(sanitize_json_text("end\xE2\x82"), "end" + kR);
    EXPECT_EQ(sanitize_json_text("\xE2\x82\"}"), kR + "\"}");
    EXPECT_EQ(sanitize_json_text("\\\xFF"), "\\" + kR);
    EXPECT_EQ(sanitize_json_text("\\\xC3\xA9"), "\\\xC3\xA9");
    EXPECT_EQ(sanitize_json_text(std::string("\xC3\0\xA9", 3)), kR + kR);
}

TEST(SanitizeJson, EverythingAtOnce) {
    using namespace std::string_literals;
    const std::string in = "{\"a\":\"\\u0000x\\uDC00\xFF\0\\\\u0000\"}"s;
    EXPECT_EQ(sanitize_json_text(in), "{\"a\":\"x\\uFFFD" + kR + "\\\\u0000\"}");
}

TEST(SanitizeJson, OutputIsValidUtf8ForAnyByte) {
    std::string all;
    for (int i = 0; i < 256; ++i) {
        for (int j = 0; j < 256; j += 7) {
            all.push_back(char(i));
            all.push_back(char(j));
        }
    }
    const std::string out = sanitize_json_text(all);
    EXPECT_TRUE(is_valid_utf8(out));
    EXPECT_EQ(out.find('\0'), std::string::npos);
}

TEST(SanitizeJson, LongRunsOfBackslashes) {
    const std::string even(100000, '\\');
    EXPECT_EQ(sanitize_json_text(even + "u0000"), even + "u0000");
    const std::string odd(100001, '\\');
    EXPECT_EQ(sanitize_json_text(odd + "u0000"), even);
}
