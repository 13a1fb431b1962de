#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace aveloxis::http {

// Target of the first link in an RFC 8288 Link header whose rel (case-insensitive; one of
// several space-separated values, quoted or not) equals rel. The target is returned as written,
// possibly relative.
std::optional<std::string> link_rel(std::string_view link_header, std::string_view rel);

}  // namespace aveloxis::http
