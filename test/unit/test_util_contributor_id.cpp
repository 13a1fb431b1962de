#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <stdexcept>

#include "util/contributor_id.hpp"

using aveloxis::util::platform_uuid;
using aveloxis::util::platform_uuid_bytes;

TEST(ContributorId, ReferenceVectors) {
    EXPECT_EQ(platform_uuid(1, 1), "01000000-0100-0000-0000-000000000000");
    EXPECT_EQ(platform_uuid(1, 12345), "01000030-3900-0000-0000-000000000000");
    EXPECT_EQ(platform_uuid(1, 29740296), "0101c5cd-0800-0000-0000-000000000000");
    EXPECT_EQ(platform_uuid(2, 1), "02000000-0100-0000-0000-000000000000");
    EXPECT_EQ(platform_uuid(1, 4294967296LL), "01000000-0100-0000-0000-000000000001");
    EXPECT_EQ(platform_uuid(1, -1), "01ffffff-ffff-ffff-ff00-000000000001");
}

TEST(ContributorId, ThirtyTwoBitBoundary) {
    EXPECT_EQ(platform_uuid(1, 0), "01000000-0000-0000-0000-000000000000");
    EXPECT_EQ(platform_uuid(1, 4294967295LL), "01ffffff-ff00-0000-0000-000000000000");
    EXPECT_EQ(platform_uuid(1, 4294967297LL), "01000000-0100-0000-0100-000000000001");
    // Without the marker byte, 2^32 would give the bytes of user 1.
    EXPECT_NE(platform_uuid(1, 4294967296LL), platform_uuid(1, 1));
}

TEST(ContributorId, Int64Extremes) {
    EXPECT_EQ(platform_uuid(1, std::numeric_limits<std::int64_t>::max()),
              "017fffff-ffff-ffff-ff00-000000000001");
    EXPECT_EQ(platform_uuid(2, std::numeric_limits<std::int64_t>::min()),
              "02800000-0000-0000-0000-000000000001");
}

TEST(ContributorId, Bytes) {
    const auto b = platform_uuid_bytes(1, 29740296);
    const std::array<std::uint8_t, 16> expected{0x01, 0x01, 0xc5, 0xcd, 0x08, 0, 0, 0,
                                                0,    0,    0,    0,    0,    0, 0, 0};
    EXPECT_EQ(b, expected);
    EXPECT_EQ(platform_uuid_bytes(1, -1)[15], 0x01);
    EXPECT_EQ(platform_uuid_bytes(1, 7)[15], 0x00);
}

TEST(ContributorId, PlatformByteRange) {
    EXPECT_EQ(platform_uuid(0, 1), "00000000-0100-0000-0000-000000000000");
    EXPECT_EQ(platform_uuid(255, 1), "ff000000-0100-0000-0000-000000000000");
    EXPECT_THROW(platform_uuid(256, 1), std::invalid_argument);
    EXPECT_THROW(platform_uuid(-1, 1), std::invalid_argument);
    EXPECT_THROW(platform_uuid_bytes(1000, 1), std::invalid_argument);
    EXPECT_THROW(platform_uuid_bytes(std::numeric_limits<int>::min(), 1), std::invalid_argument);
}

TEST(ContributorId, TextShape) {
    const std::string id = platform_uuid(2, 987654321012LL);
    ASSERT_EQ(id.size(), 36u);
    for (std::size_t i = 0; i < id.size(); ++i) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            EXPECT_EQ(id[i], '-');
        } else {
            EXPECT_TRUE((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')) << id;
        }
    }
}
