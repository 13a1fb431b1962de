#include "http/link_header.hpp"

#include <cctype>

namespace aveloxis::http {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

// A small cursor over the header; every step stops at the end of input, so malformed
// headers end the scan instead of reading past it.
class Scanner {
  public:
    explicit Scanner(std::string_view s) : s_(s) {}
    bool done() const { return pos_ >= s_.size(); }
    char peek() const { return done() ? '\0' : s_[pos_]; }
    void skip_space() {
        while (!done() && is_space(s_[pos_])) ++pos_;
    }
    bool consume(char c) {
        if (peek() != c) return false;
        ++pos_;
        return true;
    }
    // Up to (not including) any character of stops.
    std::string_view until_any(std::string_view stops) {
        size_t start = pos_;
        while (!done() && stops.find(s_[pos_]) == std::string_view::npos) ++pos_;
        return s_.substr(start, pos_ - start);
    }
    // After the opening quote: the quoted-string's content with backslash escapes undone.
    std::string quoted() {
        std::string out;
        while (!done() && s_[pos_] != '"') {
            if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) ++pos_;
            out += s_[pos_++];
        }
        consume('"');
        return out;
    }

  private:
    std::string_view s_;
    size_t pos_ = 0;
};

std::string_view trim(std::string_view v) {
    while (!v.empty() && is_space(v.front())) v.remove_prefix(1);
    while (!v.empty() && is_space(v.back())) v.remove_suffix(1);
    return v;
}

bool rel_matches(std::string_view values, std::string_view rel) {
    while (!values.empty()) {
        size_t start = 0;
        while (start < values.size() && is_space(values[start])) ++start;
        size_t end = start;
        while (end < values.size() && !is_space(values[end])) ++end;
        if (end > start && iequals(values.substr(start, end - start), rel)) return true;
        values.remove_prefix(end);
    }
    return false;
}

}  // namespace

std::optional<std::string> link_rel(std::string_view link_header, std::string_view rel) {
    Scanner in(link_header);
    while (true) {
        in.skip_space();
        while (in.consume(',')) in.skip_space();
        if (in.done()) return std::nullopt;
        if (!in.consume('<')) {
            // Not a link-value: skip to the next one.
            in.until_any(",");
            continue;
        }
        std::string target(trim(in.until_any(">")));
        if (!in.consume('>')) return std::nullopt;
        bool matched = false;
        bool seen_rel = false;  // RFC 8288: a repeated rel parameter is ignored
        // Parameters until the comma that ends this link-value.
        while (true) {
            in.skip_space();
            if (!in.consume(';')) break;
            in.skip_space();
            std::string_view name = trim(in.until_any("=;,"));
            std::string value;
            in.skip_space();
            if (in.consume('=')) {
                in.skip_space();
                value = in.consume('"') ? in.quoted() : std::string(trim(in.until_any(";,")));
            }
            if (!seen_rel && iequals(name, "rel")) {
                seen_rel = true;
                matched = rel_matches(value, rel);
            }
        }
        if (matched) return target;
        // Skip anything unexpected before the next link-value.
        in.until_any(",");
    }
}

}  // namespace aveloxis::http
