// Deterministic contributor ids (cntrb_id), compatible with Augur's layout.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace aveloxis::util {

// Byte 0 is the platform (1 GitHub, 2 GitLab). A user id in 0..2^32-1 goes into bytes 1..4 as
// unsigned 32-bit big-endian, exactly as Augur does. Any other id goes into bytes 1..8 as 64-bit
// big-endian with byte 15 set to 0x01, so it never collides with a 32-bit id. All other bytes
// are zero; no RFC 4122 version or variant bits.
// Throws std::invalid_argument unless 0 <= platform_id <= 255.
std::array<std::uint8_t, 16> platform_uuid_bytes(int platform_id, std::int64_t user_id);

// The same id as lower-case 8-4-4-4-12 text.
std::string platform_uuid(int platform_id, std::int64_t user_id);

}  // namespace aveloxis::util
