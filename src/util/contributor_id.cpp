#include "util/contributor_id.hpp"

#include <stdexcept>

namespace aveloxis::util {

std::array<std::uint8_t, 16> platform_uuid_bytes(int platform_id, std::int64_t user_id) {
    if (platform_id < 0 || platform_id > 255) {
        throw std::invalid_argument("platform id " + std::to_string(platform_id) +
                                    " does not fit in one byte (0..255)");
    }
    std::array<std::uint8_t, 16> bytes{};
    bytes[0] = static_cast<std::uint8_t>(platform_id);
    if (user_id >= 0 && user_id <= std::int64_t{0xFFFFFFFF}) {
        const auto id = static_cast<std::uint32_t>(user_id);
        for (int i = 0; i < 4; ++i) bytes[1 + i] = static_cast<std::uint8_t>(id >> (24 - 8 * i));
    } else {
        const auto id = static_cast<std::uint64_t>(user_id);
        for (int i = 0; i < 8; ++i) bytes[1 + i] = static_cast<std::uint8_t>(id >> (56 - 8 * i));
        bytes[15] = 0x01;
    }
    return bytes;
}

std::string platform_uuid(int platform_id, std::int64_t user_id) {
    static constexpr char kHex[] = "0123456789abcdef";
    const auto bytes = platform_uuid_bytes(platform_id, user_id);
    std::string text;
    text.reserve(36);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
        text.push_back(kHex[bytes[i] >> 4]);
        text.push_back(kHex[bytes[i] & 0xF]);
    }
    return text;
}

}  // namespace aveloxis::util
