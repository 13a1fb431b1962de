#include <gtest/gtest.h>

#include "platform/platform_client.hpp"

using aveloxis::platform::api_message;
using aveloxis::platform::ApiError;

TEST(GitHubApiError, MessageFieldIsExtracted) {
    EXPECT_EQ(api_message(R"({"message":"Not Found","documentation_url":"https://docs"})"),
              "Not Found");
    EXPECT_EQ(api_message("{ \"message\" :\n \"a \\\"quoted\\\" \\u0041\\n b\" }"),
              "a \"quoted\" A  b");
    EXPECT_EQ(api_message(R"({"errors":[],"message_x":"no","message": "yes"})"), "yes");
    EXPECT_EQ(api_message(R"({"message": 5})"), "");
    EXPECT_EQ(api_message("<html>oops</html>"), "");
    EXPECT_EQ(api_message("{\"message\":\"unterminated"), "unterminated");
    EXPECT_EQ(api_message("{\"message\":\"caf\xc3\xa9\"}"), "caf??");
    EXPECT_EQ(api_message("{\"message\":\"" + std::string(1000, 'x') + "\"}").size(), 300u);
}

TEST(GitHubApiError, WhatNamesPathStatusAndMessage) {
    ApiError e(404, "https://api.github.com/repos/o/r/issues?since=2024-01-01&per_page=100",
               "listing failed", R"({"message":"Not Found"})");
    EXPECT_EQ(e.status(), 404);
    EXPECT_STREQ(e.what(), "HTTP 404 for /repos/o/r/issues: listing failed (\"Not Found\")");
    ApiError t(0, "https://api.github.com/repos/o/r", "Timeout was reached");
    EXPECT_STREQ(t.what(), "/repos/o/r: Timeout was reached");
}
