// Makes JSON text from an API acceptable to PostgreSQL's jsonb before it is cast.
#pragma once

#include <string>
#include <string_view>

#include "util/utf8.hpp"

namespace aveloxis::util {

// In one pass over body:
//  - drops the escape \u0000 (any hex case) where its backslash is not itself escaped;
//  - replaces the escape of a lone UTF-16 surrogate (\uD800-\uDFFF not in a high+low pair)
//    by \uFFFD;
//  - replaces each maximal invalid UTF-8 subpart by U+FFFD;
//  - drops raw NUL bytes (before escapes are read, so a NUL can neither hide nor form one).
// jsonb rejects all four, and one bad object would fail a whole staging batch. Everything
// else, including malformed JSON, is passed through unchanged.
std::string sanitize_json_text(std::string_view body);

}  // namespace aveloxis::util
