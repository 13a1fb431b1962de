// Locale-independent ASCII helpers. <cctype> follows the C locale, which the server may set to
// something other than "C", so URL and e-mail handling must not depend on it.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace aveloxis::util {

constexpr bool is_ascii_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
constexpr bool is_ascii_digit(char c) {
    return c >= '0' && c <= '9';
}
constexpr bool is_ascii_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool is_ascii_alnum(char c) {
    return is_ascii_alpha(c) || is_ascii_digit(c);
}
constexpr bool is_ascii_hex(char c) {
    return is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
// Space, C0 controls and DEL: never part of a URL as written.
constexpr bool is_ascii_space_or_control(char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == 0x7F;
}
constexpr char to_lower_ascii(char c) {
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

inline std::string lowercase_ascii(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) { return to_lower_ascii(c); });
    return out;
}

template <typename Pred>
bool all_chars(std::string_view s, Pred pred) {
    return std::all_of(s.begin(), s.end(), pred);
}

inline std::string_view trim_ascii(std::string_view s) {
    while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
    return s;
}

inline bool iequals_ascii(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (to_lower_ascii(a[i]) != to_lower_ascii(b[i])) return false;
    }
    return true;
}

inline bool iends_with_ascii(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && iequals_ascii(s.substr(s.size() - suffix.size()), suffix);
}

}  // namespace aveloxis::util
