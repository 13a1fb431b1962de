#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "util/json_writer.hpp"

using aveloxis::util::append_json_string;
using aveloxis::util::JsonArrayWriter;
using aveloxis::util::JsonObjectWriter;

namespace {

std::string quoted(const std::string &s) {
    std::string out;
    append_json_string(out, s);
    return out;
}

}  // namespace

TEST(AppendJsonString, Plain) {
    EXPECT_EQ(quoted(""), R"("")");
    EXPECT_EQ(quoted("hello world"), R"("hello world")");
    std::string out = "x:";
    append_json_string(out, "y");
    EXPECT_EQ(out, R"(x:"y")");
}

TEST(AppendJsonString, Escapes) {
    EXPECT_EQ(quoted("a\"b"), R"("a\"b")");
    EXPECT_EQ(quoted("a\\b"), R"("a\\b")");
    EXPECT_EQ(quoted("\\u0000"), R"("\\u0000")");
    EXPECT_EQ(quoted("l1\nl2\r\t"), R"("l1\u000al2\u000d\u0009")");
    EXPECT_EQ(quoted("\x01\x1f"), R"("\u0001\u001f")");
    EXPECT_EQ(quoted("/ ' \x7f"), "\"/ ' \x7f\"");
}

TEST(AppendJsonString, NulDropped) {
    EXPECT_EQ(quoted(std::string("a\0b\0", 4)), R"("ab")");
    EXPECT_EQ(quoted(std::string(3, '\0')), R"("")");
}

TEST(AppendJsonString, Utf8) {
    EXPECT_EQ(quoted("caf\xC3\xA9 \xF0\x9F\x98\x80 \xE2\x80\xA8"),
              "\"caf\xC3\xA9 \xF0\x9F\x98\x80 \xE2\x80\xA8\"");
    EXPECT_EQ(quoted("a\xFF"
                     "b"),
              "\"a\xEF\xBF\xBD"
              "b\"");
    EXPECT_EQ(quoted("\xC0\xAF"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
    EXPECT_EQ(quoted("\xED\xA0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
    EXPECT_EQ(quoted("end\xE2\x82"), "\"end\xEF\xBF\xBD\"");
    EXPECT_EQ(quoted("\xE2\x82\""), "\"\xEF\xBF\xBD\\\"\"");
}

TEST(JsonObjectWriter, Empty) {
    JsonObjectWriter w;
    EXPECT_TRUE(w.empty());
    EXPECT_EQ(w.str(), "{}");
}

TEST(JsonObjectWriter, AllKinds) {
    JsonObjectWriter w;
    w.add_string("login", "octo\"cat")
        .add_int("id", 583231)
        .add_int("neg", -5)
        .add_bool("site_admin", false)
        .add_bool("bot", true)
        .add_null("company")
        .add_string_or_null("email", std::nullopt)
        .add_string_or_null("name", std::string("The Octocat"))
        .add_int_or_null("stars", std::nullopt)
        .add_int_or_null("forks", 7)
        .add_raw("labels", R"(["a","b"])");
    EXPECT_FALSE(w.empty());
    EXPECT_EQ(w.str(), R"({"login":"octo\"cat","id":583231,"neg":-5,"site_admin":false,"bot":true,)"
                       R"("company":null,"email":null,"name":"The Octocat","stars":null,"forks":7,)"
                       R"("labels":["a","b"]})");
}

TEST(JsonObjectWriter, KeysAreEscaped) {
    JsonObjectWriter w;
    w.add_int("a\"b\n", 1);
    EXPECT_EQ(w.str(), R"({"a\"b\u000a":1})");
}

TEST(JsonObjectWriter, Int64Extremes) {
    JsonObjectWriter w;
    w.add_int("max", std::numeric_limits<std::int64_t>::max())
        .add_int("min", std::numeric_limits<std::int64_t>::min());
    EXPECT_EQ(w.str(), R"({"max":9223372036854775807,"min":-9223372036854775808})");
}

TEST(JsonObjectWriter, StrIsRepeatableAndWriterStaysUsable) {
    JsonObjectWriter w;
    w.add_int("a", 1);
    EXPECT_EQ(w.str(), R"({"a":1})");
    EXPECT_EQ(w.str(), R"({"a":1})");
    w.add_int("b", 2);
    EXPECT_EQ(w.str(), R"({"a":1,"b":2})");
}

TEST(JsonArrayWriter, Empty) {
    JsonArrayWriter a;
    EXPECT_TRUE(a.empty());
    EXPECT_EQ(a.str(), "[]");
}

TEST(JsonArrayWriter, AllKinds) {
    JsonArrayWriter a;
    a.add_string("x\\y")
        .add_int(-1)
        .add_bool(true)
        .add_null()
        .add_string_or_null(std::nullopt)
        .add_string_or_null(std::string_view("s"))
        .add_int_or_null(std::nullopt)
        .add_int_or_null(3)
        .add_raw("{}");
    EXPECT_FALSE(a.empty());
    EXPECT_EQ(a.str(), R"(["x\\y",-1,true,null,null,"s",null,3,{}])");
}

TEST(JsonArrayWriter, RowsOfObjects) {
    JsonArrayWriter rows;
    for (int i = 1; i <= 3; ++i) {
        JsonObjectWriter row;
        row.add_int("n", i).add_string("s", std::string(std::size_t(i), 'z'));
        rows.add_raw(row.str());
    }
    EXPECT_EQ(rows.str(), R"([{"n":1,"s":"z"},{"n":2,"s":"zz"},{"n":3,"s":"zzz"}])");
}

TEST(JsonArrayWriter, InvalidTextBecomesValidJson) {
    JsonArrayWriter a;
    a.add_string(std::string("\xFF\0\x01", 3));
    EXPECT_EQ(a.str(), "[\"\xEF\xBF\xBD\\u0001\"]");
}
