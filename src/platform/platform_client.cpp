#include "platform/platform_client.hpp"

#include "http/url_parts.hpp"

namespace aveloxis::platform {

namespace {

constexpr size_t kMaxMessageChars = 300;

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Reads a JSON string starting after its opening quote; control characters and anything
// outside ASCII become spaces or '?', since the result only goes into an error message.
std::string read_json_string(std::string_view s, size_t pos) {
    std::string out;
    while (pos < s.size() && s[pos] != '"' && out.size() < kMaxMessageChars) {
        char c = s[pos++];
        if (c == '\\' && pos < s.size()) {
            char e = s[pos++];
            if (e == 'u' && pos + 4 <= s.size()) {
                int code = 0;
                for (int i = 0; i < 4 && code >= 0; ++i) {
                    int h = hex_value(s[pos + i]);
                    code = h < 0 ? -1 : code * 16 + h;
                }
                pos += 4;
                c = code >= 0x20 && code < 0x7f ? static_cast<char>(code) : '?';
            } else if (e == 'n' || e == 'r' || e == 't' || e == 'b' || e == 'f') {
                c = ' ';
            } else {
                c = e;
            }
        }
        const auto u = static_cast<unsigned char>(c);
        out += u < 0x20 ? ' ' : (u >= 0x80 ? '?' : c);
    }
    return out;
}

}  // namespace

std::string api_message(std::string_view body) {
    constexpr std::string_view key = "\"message\"";
    for (size_t at = body.find(key); at != std::string_view::npos; at = body.find(key, at + 1)) {
        size_t pos = at + key.size();
        while (pos < body.size() && is_space(body[pos])) ++pos;
        if (pos >= body.size() || body[pos] != ':') continue;
        ++pos;
        while (pos < body.size() && is_space(body[pos])) ++pos;
        if (pos < body.size() && body[pos] == '"') return read_json_string(body, pos + 1);
    }
    return {};
}

namespace {

std::string describe(long status, std::string_view url, std::string_view detail,
                     std::string_view body) {
    std::string text = status > 0 ? "HTTP " + std::to_string(status) + " for " : std::string();
    text += http::url_path(url);
    if (!detail.empty()) text += std::string(": ") + std::string(detail);
    std::string message = api_message(body);
    if (!message.empty()) text += " (\"" + message + "\")";
    return text;
}

}  // namespace

ApiError::ApiError(long status, std::string_view url, std::string_view detail,
                   std::string_view body)
    : std::runtime_error(describe(status, url, detail, body)), status_(status) {}

}  // namespace aveloxis::platform
