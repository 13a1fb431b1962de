#include "util/noreply.hpp"

#include <limits>

#include "util/ascii.hpp"

namespace aveloxis::util {

namespace {

constexpr std::string_view kNoreplyDomain = "@users.noreply.github.com";
constexpr std::string_view kBotSuffix = "[bot]";

bool is_valid_login(std::string_view login) {
    if (login.size() > kBotSuffix.size() && iends_with_ascii(login, kBotSuffix)) {
        login.remove_suffix(kBotSuffix.size());
    }
    if (login.empty() || !is_ascii_alnum(login.front())) return false;
    return all_chars(login,
                     [](char c) { return is_ascii_alnum(c) || c == '.' || c == '_' || c == '-'; });
}

std::optional<std::int64_t> parse_user_id(std::string_view digits) {
    if (digits.empty()) return std::nullopt;
    std::int64_t value = 0;
    for (char c : digits) {
        if (!is_ascii_digit(c)) return std::nullopt;
        const int digit = c - '0';
        if (value > (std::numeric_limits<std::int64_t>::max() - digit) / 10) return std::nullopt;
        value = value * 10 + digit;
    }
    return value;
}

}  // namespace

std::optional<NoreplyEmail> parse_github_noreply(std::string_view email) {
    if (!iends_with_ascii(email, kNoreplyDomain)) return std::nullopt;
    const std::string_view local = email.substr(0, email.size() - kNoreplyDomain.size());
    NoreplyEmail result;
    std::string_view login = local;
    const std::size_t plus = local.find('+');
    if (plus != std::string_view::npos) {
        result.user_id = parse_user_id(local.substr(0, plus));
        if (!result.user_id) return std::nullopt;
        login = local.substr(plus + 1);
    }
    if (!is_valid_login(login)) return std::nullopt;
    result.login = std::string(login);
    return result;
}

bool is_bot_email(std::string_view email) {
    const std::string lower = lowercase_ascii(email);
    if (lower.find(kBotSuffix) != std::string::npos) return true;
    if (iends_with_ascii(lower, kNoreplyDomain)) return false;
    return lower.find("noreply") != std::string::npos || iends_with_ascii(lower, "@github.com");
}

}  // namespace aveloxis::util
