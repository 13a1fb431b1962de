// UTF-8 validation shared by the JSON sanitizer and writer.
#pragma once

#include <cstddef>
#include <string_view>

namespace aveloxis::util {

// U+FFFD REPLACEMENT CHARACTER encoded in UTF-8.
inline constexpr std::string_view kUtf8Replacement = "\xEF\xBF\xBD";

// One decoding step at a position: either a complete well-formed sequence, or the maximal
// invalid subpart (Unicode 15, section 3.9), which is what gets one U+FFFD.
struct Utf8Step {
    std::size_t length;  // always >= 1
    bool valid;
};

// Requires pos < s.size().
Utf8Step next_utf8_step(std::string_view s, std::size_t pos);

// True when s is well-formed UTF-8 (no overlongs, no encoded surrogates, nothing above
// U+10FFFF, no truncated sequence). NUL bytes are well-formed UTF-8.
bool is_valid_utf8(std::string_view s);

// Appends s to out with every maximal invalid subpart replaced by U+FFFD.
void append_utf8_replacing_invalid(std::string &out, std::string_view s);

}  // namespace aveloxis::util
