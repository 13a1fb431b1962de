#include "util/json_writer.hpp"

#include "util/utf8.hpp"

namespace aveloxis::util {

namespace {

void append_optional_string(std::string &out, std::optional<std::string_view> value) {
    if (value) {
        append_json_string(out, *value);
    } else {
        out.append("null");
    }
}

void append_optional_int(std::string &out, std::optional<std::int64_t> value) {
    out.append(value ? std::to_string(*value) : "null");
}

}  // namespace

void append_json_string(std::string &out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b >= 0x80) {
            const Utf8Step step = next_utf8_step(s, i);
            if (step.valid) {
                out.append(s, i, step.length);
            } else {
                out.append(kUtf8Replacement);
            }
            i += step.length;
            continue;
        }
        ++i;
        if (b == 0) continue;  // dropped: PostgreSQL text and jsonb cannot hold U+0000
        if (b == '"' || b == '\\') {
            out.push_back('\\');
            out.push_back(char(b));
        } else if (b < 0x20) {
            out.append("\\u00");
            out.push_back(kHex[b >> 4]);
            out.push_back(kHex[b & 0xF]);
        } else {
            out.push_back(char(b));
        }
    }
    out.push_back('"');
}

void JsonObjectWriter::begin_member(std::string_view key) {
    if (text_.size() > 1) text_.push_back(',');
    append_json_string(text_, key);
    text_.push_back(':');
}

JsonObjectWriter &JsonObjectWriter::add_string(std::string_view key, std::string_view value) {
    begin_member(key);
    append_json_string(text_, value);
    return *this;
}

JsonObjectWriter &JsonObjectWriter::add_string_or_null(std::string_view key,
                                                       std::optional<std::string_view> value) {
    begin_member(key);
    append_optional_string(text_, value);
    return *this;
}

JsonObjectWriter &JsonObjectWriter::add_int(std::string_view key, std::int64_t value) {
    begin_member(key);
    text_.append(std::to_string(value));
    return *this;
}

JsonObjectWriter &JsonObjectWriter::add_int_or_null(std::string_view key,
                                                    std::optional<std::int64_t> value) {
    begin_member(key);
    append_optional_int(text_, value);
    return *this;
}

JsonObjectWriter &JsonObjectWriter::add_bool(std::string_view key, bool value) {
    begin_member(key);
    text_.append(value ? "true" : "false");
    return *this;
}

JsonObjectWriter &JsonObjectWriter::add_null(std::string_view key) {
    begin_member(key);
    text_.append("null");
    return *this;
}

JsonObjectWriter &JsonObjectWriter::add_raw(std::string_view key, std::string_view json) {
    begin_member(key);
    text_.append(json);
    return *this;
}

void JsonArrayWriter::begin_element() {
    if (text_.size() > 1) text_.push_back(',');
}

JsonArrayWriter &JsonArrayWriter::add_string(std::string_view value) {
    begin_element();
    append_json_string(text_, value);
    return *this;
}

JsonArrayWriter &JsonArrayWriter::add_string_or_null(std::optional<std::string_view> value) {
    begin_element();
    append_optional_string(text_, value);
    return *this;
}

JsonArrayWriter &JsonArrayWriter::add_int(std::int64_t value) {
    begin_element();
    text_.append(std::to_string(value));
    return *this;
}

JsonArrayWriter &JsonArrayWriter::add_int_or_null(std::optional<std::int64_t> value) {
    begin_element();
    append_optional_int(text_, value);
    return *this;
}

JsonArrayWriter &JsonArrayWriter::add_bool(bool value) {
    begin_element();
    text_.append(value ? "true" : "false");
    return *this;
}

JsonArrayWriter &JsonArrayWriter::add_null() {
    begin_element();
    text_.append("null");
    return *this;
}

JsonArrayWriter &JsonArrayWriter::add_raw(std::string_view json) {
    begin_element();
    text_.append(json);
    return *this;
}

}  // namespace aveloxis::util
