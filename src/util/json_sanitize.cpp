#include "util/json_sanitize.hpp"

#include "util/ascii.hpp"

namespace aveloxis::util {

namespace {

bool is_high_surrogate(unsigned v) {
    return v >= 0xD800 && v <= 0xDBFF;
}
bool is_low_surrogate(unsigned v) {
    return v >= 0xDC00 && v <= 0xDFFF;
}

// The value of four hex digits already known to be hex.
unsigned hex4_value(std::string_view s, std::size_t pos) {
    unsigned value = 0;
    for (std::size_t i = pos; i < pos + 4; ++i) {
        const char c = to_lower_ascii(s[i]);
        value = value * 16 + (is_ascii_digit(c) ? unsigned(c - '0') : unsigned(c - 'a' + 10));
    }
    return value;
}

// The second stage: it sees the text after NUL bytes are dropped and UTF-8 is repaired, so a
// dropped byte can never join two pieces into an escape that was not there ("\<NUL>u0000").
// An escape is held in pending_ from its backslash until it is decided; a backslash always
// takes the next character with it, so in "\\u0000" the second backslash starts nothing.
class EscapeFilter {
  public:
    explicit EscapeFilter(std::string &out) : out_(out) {}

    void put(char c) {
        if (pending_.empty()) {
            if (c == '\\') {
                pending_.push_back(c);
            } else {
                out_.push_back(c);
            }
            return;
        }
        pending_.push_back(c);
        const std::size_t n = pending_.size();
        if (n == 2) {
            if (c != 'u') flush();  // a two-character escape such as \\ or \n
        } else if (n <= 6) {
            if (!is_ascii_hex(c)) {
                // Not a \u escape after all; c itself may start the next escape.
                pending_.pop_back();
                flush();
                put(c);
            } else if (n == 6) {
                decide_first_code();
            }
        } else {
            // Behind a high surrogate only the escape of a low surrogate may follow.
            const bool fits = n == 7 ? c == '\\' : n == 8 ? c == 'u' : is_ascii_hex(c);
            if (!fits) {
                replace_lone_high();
            } else if (n == 12) {
                if (is_low_surrogate(hex4_value(pending_, 8))) {
                    flush();
                } else {
                    replace_lone_high();
                }
            }
        }
    }

    // Text without backslashes: only a pending escape needs it byte by byte.
    void put_text(std::string_view text) {
        while (!text.empty() && !pending_.empty()) {
            put(text.front());
            text.remove_prefix(1);
        }
        out_.append(text);
    }

    void finish() {
        if (pending_.size() >= 6) replace_lone_high();
        flush();
    }

  private:
    void flush() {
        out_.append(pending_);
        pending_.clear();
    }

    void decide_first_code() {
        const unsigned code = hex4_value(pending_, 2);
        if (code == 0) {
            pending_.clear();
        } else if (is_low_surrogate(code)) {
            pending_.clear();
            out_.append("\\uFFFD");
        } else if (!is_high_surrogate(code)) {
            flush();
        }
    }

    // pending_ is a high surrogate escape plus what followed it; that rest is read again.
    void replace_lone_high() {
        const std::string rest = pending_.substr(6);
        pending_.clear();
        out_.append("\\uFFFD");
        for (char c : rest) put(c);
    }

    std::string &out_;
    std::string pending_;  // at most 12 bytes: "\uD83D\uDE00"
};

}  // namespace

std::string sanitize_json_text(std::string_view body) {
    std::string out;
    out.reserve(body.size());
    EscapeFilter escapes(out);
    std::size_t i = 0;
    while (i < body.size()) {
        const char c = body[i];
        if (c == '\\') {
            escapes.put(c);
            ++i;
        } else if (c == '\0') {
            ++i;
        } else if (static_cast<unsigned char>(c) < 0x80) {
            std::size_t end = i + 1;
            while (end < body.size() && body[end] != '\\' && body[end] != '\0' &&
                   static_cast<unsigned char>(body[end]) < 0x80) {
                ++end;
            }
            escapes.put_text(body.substr(i, end - i));
            i = end;
        } else {
            const Utf8Step step = next_utf8_step(body, i);
            escapes.put_text(step.valid ? body.substr(i, step.length) : kUtf8Replacement);
            i += step.length;
        }
    }
    escapes.finish();
    return out;
}

}  // namespace aveloxis::util
