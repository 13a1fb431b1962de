// Minimal builders of JSON text, for passing rows to SQL as one json/jsonb parameter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aveloxis::util {

// Appends s as a quoted JSON string: '"' and '\' escaped, control characters as \u00XX, valid
// UTF-8 passed through, each invalid UTF-8 subpart replaced by U+FFFD, and NUL bytes dropped
// (PostgreSQL text cannot hold them).
void append_json_string(std::string &out, std::string_view s);

// Builds one JSON object. The add_* methods return *this so calls chain; keys are not checked
// for duplicates.
class JsonObjectWriter {
  public:
    JsonObjectWriter &add_string(std::string_view key, std::string_view value);
    JsonObjectWriter &add_string_or_null(std::string_view key,
                                         std::optional<std::string_view> value);
    JsonObjectWriter &add_int(std::string_view key, std::int64_t value);
    JsonObjectWriter &add_int_or_null(std::string_view key, std::optional<std::int64_t> value);
    JsonObjectWriter &add_bool(std::string_view key, bool value);
    JsonObjectWriter &add_null(std::string_view key);
    // json must be one complete JSON value, such as another writer's str(); it is not checked.
    JsonObjectWriter &add_raw(std::string_view key, std::string_view json);

    bool empty() const { return text_.size() == 1; }
    // The object so far, closed; the writer stays usable.
    std::string str() const { return text_ + '}'; }

  private:
    void begin_member(std::string_view key);
    std::string text_ = "{";
};

// Builds one JSON array, with the same value kinds as JsonObjectWriter.
class JsonArrayWriter {
  public:
    JsonArrayWriter &add_string(std::string_view value);
    JsonArrayWriter &add_string_or_null(std::optional<std::string_view> value);
    JsonArrayWriter &add_int(std::int64_t value);
    JsonArrayWriter &add_int_or_null(std::optional<std::int64_t> value);
    JsonArrayWriter &add_bool(bool value);
    JsonArrayWriter &add_null();
    JsonArrayWriter &add_raw(std::string_view json);

    bool empty() const { return text_.size() == 1; }
    std::string str() const { return text_ + ']'; }

  private:
    void begin_element();
    std::string text_ = "[";
};

}  // namespace aveloxis::util
