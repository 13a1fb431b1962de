#include "util/utf8.hpp"

#include <string>

namespace aveloxis::util {

Utf8Step next_utf8_step(std::string_view s, std::size_t pos) {
    const auto lead = static_cast<unsigned char>(s[pos]);
    if (lead < 0x80) return {1, true};

    // Table 3-7 of the Unicode standard: the lead byte fixes the length and narrows the range
    // of the second byte, which is what excludes overlongs, surrogates and values > U+10FFFF.
    std::size_t continuation_bytes;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        continuation_bytes = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        continuation_bytes = 2;
        if (lead == 0xE0) low = 0xA0;
        if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        continuation_bytes = 3;
        if (lead == 0xF0) low = 0x90;
        if (lead == 0xF4) high = 0x8F;
    } else {
        return {1, false};
    }

    std::size_t length = 1;
    for (; length <= continuation_bytes; ++length) {
        if (pos + length >= s.size()) return {length, false};
        const auto b = static_cast<unsigned char>(s[pos + length]);
        if (b < low || b > high) return {length, false};
        low = 0x80;
        high = 0xBF;
    }
    return {length, true};
}

bool is_valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const Utf8Step step = next_utf8_step(s, i);
        if (!step.valid) return false;
        i += step.length;
    }
    return true;
}

void append_utf8_replacing_invalid(std::string &out, std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const Utf8Step step = next_utf8_step(s, i);
        if (step.valid) {
            out.append(s, i, step.length);
        } else {
            out.append(kUtf8Replacement);
        }
        i += step.length;
    }
}

}  // namespace aveloxis::util
