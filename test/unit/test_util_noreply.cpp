#include <gtest/gtest.h>

#include "util/noreply.hpp"

using aveloxis::util::is_bot_email;
using aveloxis::util::parse_github_noreply;

TEST(ParseGithubNoreply, IdForm) {
    const auto e = parse_github_noreply("29740296+sgoggins@users.noreply.github.com");
    ASSERT_TRUE(e);
    ASSERT_TRUE(e->user_id);
    EXPECT_EQ(*e->user_id, 29740296);
    EXPECT_EQ(e->login, "sgoggins");
}

TEST(ParseGithubNoreply, LoginForm) {
    const auto e = parse_github_noreply("sgoggins@users.noreply.github.com");
    ASSERT_TRUE(e);
    EXPECT_FALSE(e->user_id);
    EXPECT_EQ(e->login, "sgoggins");
}

TEST(ParseGithubNoreply, CaseInsensitiveDomainLoginKept) {
    const auto e = parse_github_noreply("12+Some-User@Users.NoReply.GitHub.com");
    ASSERT_TRUE(e);
    EXPECT_EQ(*e->user_id, 12);
    EXPECT_EQ(e->login, "Some-User");
}

TEST(ParseGithubNoreply, LoginCharacters) {
    EXPECT_TRUE(parse_github_noreply("1+a@users.noreply.github.com"));
    EXPECT_TRUE(parse_github_noreply("9lives@users.noreply.github.com"));
    EXPECT_TRUE(parse_github_noreply("a.b_c-d@users.noreply.github.com"));
    EXPECT_FALSE(parse_github_noreply("-ab@users.noreply.github.com"));
    EXPECT_FALSE(parse_github_noreply(".ab@users.noreply.github.com"));
    EXPECT_FALSE(parse_github_noreply("_ab@users.noreply.github.com"));
    EXPECT_FALSE(parse_github_noreply("a b@users.noreply.github.com"));
    EXPECT_FALSE(parse_github_noreply("a@b@users.noreply.github.com"));
    EXPECT_FALSE(parse_github_noreply("caf\xc3\xa9@users.noreply.github.com"));
}

TEST(ParseGithubNoreply, GitHubAppBots) {
    const auto e = parse_github_noreply("49699333+dependabot[bot]@users.noreply.github.com");
    ASSERT_TRUE(e);
    EXPECT_EQ(*e->user_id, 49699333);
    EXPECT_EQ(e->login, "dependabot[bot]");
    EXPECT_TRUE(parse_github_noreply("github-actions[bot]@users.noreply.github.com"));
    EXPECT_FALSE(parse_github_noreply("[bot]@users.noreply.github.com"));
    EXPECT_FALSE(parse_github_noreply("1+[bot]@users.noreply.github.com"));
    EXPECT_FALSE(parse_github_noreply("a[bot]b@users.noreply.github.com"));
    EXPECT_FALSE(parse_github_noreply("a[bot][bot]@users.noreply.github.com"));
}

TEST(ParseGithubNoreply, BadIds) {
    EXPECT_FALSE(parse_github_noreply("+login@users.noreply.github.com"));
    EXPECT_FALSE(parse_github_noreply("12a+login@users.noreply.github.com"));
    EXPECT_FALSE(parse_github_noreply("-12+login@users.noreply.github.com"));
    EXPECT_FALSE(parse_github_noreply("login+x@users.noreply.github.com"));
    EXPECT_FALSE(parse_github_noreply("12+@users.noreply.github.com"));
    EXPECT_FALSE(parse_github_noreply("1+2+login@users.noreply.github.com"));
    EXPECT_FALSE(parse_github_noreply("99999999999999999999+login@users.noreply.github.com"));
    const auto max = parse_github_noreply("9223372036854775807+x@users.noreply.github.com");
    ASSERT_TRUE(max);
    EXPECT_EQ(*max->user_id, 9223372036854775807LL);
    EXPECT_FALSE(parse_github_noreply("9223372036854775808+x@users.noreply.github.com"));
}

TEST(ParseGithubNoreply, OtherAddresses) {
    EXPECT_FALSE(parse_github_noreply(""));
    EXPECT_FALSE(parse_github_noreply("@users.noreply.github.com"));
    EXPECT_FALSE(parse_github_noreply("user@example.com"));
    EXPECT_FALSE(parse_github_noreply("noreply@github.com"));
    EXPECT_FALSE(parse_github_noreply("12+login@noreply.github.com"));
    EXPECT_FALSE(parse_github_noreply("12+login@users.noreply.github.com.evil.org"));
    EXPECT_FALSE(parse_github_noreply("12+login@evilusers.noreply.github.com"));
    EXPECT_FALSE(parse_github_noreply("12+login@users.noreply.github.com "));
}

TEST(IsBotEmail, BotMarker) {
    EXPECT_TRUE(is_bot_email("49699333+dependabot[bot]@users.noreply.github.com"));
    EXPECT_TRUE(is_bot_email("renovate[bot]@example.com"));
    EXPECT_TRUE(is_bot_email("X[BOT]@example.com"));
}

TEST(IsBotEmail, NoreplyOutsideUsersNoreply) {
    EXPECT_TRUE(is_bot_email("noreply@github.com"));
    EXPECT_TRUE(is_bot_email("NoReply@example.com"));
    EXPECT_TRUE(is_bot_email("builds-noreply@ci.example.org"));
    EXPECT_TRUE(is_bot_email("x@noreply.github.com"));
}

TEST(IsBotEmail, GithubDotCom) {
    EXPECT_TRUE(is_bot_email("actions@github.com"));
    EXPECT_TRUE(is_bot_email("web-flow@GitHub.com"));
    EXPECT_FALSE(is_bot_email("me@github.com.example.org"));
    EXPECT_FALSE(is_bot_email("me@notgithub.community"));
}

TEST(IsBotEmail, People) {
    EXPECT_FALSE(is_bot_email("29740296+sgoggins@users.noreply.github.com"));
    EXPECT_FALSE(is_bot_email("sgoggins@users.noreply.github.com"));
    EXPECT_FALSE(is_bot_email("SGoggins@Users.NoReply.GitHub.com"));
    EXPECT_FALSE(is_bot_email("alice@example.com"));
    EXPECT_FALSE(is_bot_email(""));
}
