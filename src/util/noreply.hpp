// GitHub noreply commit e-mails and bot addresses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aveloxis::util {

struct NoreplyEmail {
    std::optional<std::int64_t> user_id;  // present in the "ID+login" form
    std::string login;                    // as written
};

// Recognizes "ID+login@users.noreply.github.com" and "login@users.noreply.github.com"
// (case-insensitive; ID decimal; login a letter or digit, then letters, digits, '.', '_', '-').
// A trailing "[bot]" on the login is accepted too, because GitHub Apps commit as
// "ID+name[bot]@users.noreply.github.com". Anything else gives nullopt.
std::optional<NoreplyEmail> parse_github_noreply(std::string_view email);

// An address containing "[bot]"; or containing "noreply", or ending in "@github.com", without
// being a users.noreply.github.com address. Case-insensitive.
bool is_bot_email(std::string_view email);

}  // namespace aveloxis::util
