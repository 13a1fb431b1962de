#include <gtest/gtest.h>

#include "http/key_pool.hpp"

using aveloxis::http::ApiKey;
using aveloxis::http::KeyChoice;
using aveloxis::http::KeyPool;

namespace {

constexpr int64_t kNow = 1700000000;

KeyPool::Headers limit_headers(int64_t limit, int64_t remaining, int64_t reset,
                               const char *resource = nullptr) {
    KeyPool::Headers h{{"x-ratelimit-limit", std::to_string(limit)},
                       {"x-ratelimit-remaining", std::to_string(remaining)},
                       {"x-ratelimit-reset", std::to_string(reset)}};
    if (resource != nullptr) h["x-ratelimit-resource"] = resource;
    return h;
}

int64_t chosen(const KeyChoice &c) {
    EXPECT_EQ(c.kind, KeyChoice::Kind::Key);
    return c.key ? c.key->key_id : -1;
}

}  // namespace

TEST(KeyPool, EmptyPoolMeansAnonymousUntilItsBudgetIsGone) {
    KeyPool pool({}, 100);
    EXPECT_FALSE(pool.has_keys_configured());
    EXPECT_EQ(pool.choose("core", kNow).kind, KeyChoice::Kind::Anonymous);
    // The anonymous budget (60/h) carries no reserve: it is used down to zero.
    pool.record(std::nullopt, "core", limit_headers(60, 1, kNow + 600));
    EXPECT_EQ(pool.choose("core", kNow).kind, KeyChoice::Kind::Anonymous);
    pool.record(std::nullopt, "core", limit_headers(60, 0, kNow + 600));
    KeyChoice c = pool.choose("core", kNow);
    EXPECT_EQ(c.kind, KeyChoice::Kind::Wait);
    EXPECT_EQ(c.usable_at_s, kNow + 600);
    EXPECT_EQ(pool.choose("core", kNow + 600).kind, KeyChoice::Kind::Anonymous);
}

TEST(KeyPool, UnknownKeysFirstThenMostRemaining) {
    KeyPool pool({{1, "t1"}, {2, "t2"}, {3, "t3"}}, 100);
    EXPECT_EQ(chosen(pool.choose("core", kNow)), 1);
    pool.record(1, "core", limit_headers(5000, 4000, kNow + 3600));
    EXPECT_EQ(chosen(pool.choose("core", kNow)), 2);
    pool.record(2, "core", limit_headers(5000, 4500, kNow + 3600));
    pool.record(3, "core", limit_headers(5000, 300, kNow + 3600));
    EXPECT_EQ(chosen(pool.choose("core", kNow)), 2);
    pool.record(2, "core", limit_headers(5000, 3999, kNow + 3600));
    EXPECT_EQ(chosen(pool.choose("core", kNow)), 1);
}

TEST(KeyPool, ReserveIsNeverSpent) {
    KeyPool pool({{1, "t1"}, {2, "t2"}}, 100);
    pool.record(1, "core", limit_headers(5000, 100, kNow + 900));
    pool.record(2, "core", limit_headers(5000, 101, kNow + 1800));
    EXPECT_EQ(chosen(pool.choose("core", kNow)), 2);
    pool.record(2, "core", limit_headers(5000, 100, kNow + 1800));
    KeyChoice c = pool.choose("core", kNow);
    EXPECT_EQ(c.kind, KeyChoice::Kind::Wait);
    EXPECT_EQ(c.usable_at_s, kNow + 900);  // the earliest reset
    EXPECT_FALSE(c.key);
}

TEST(KeyPool, ResetMakesAKeyUsableAgain) {
    KeyPool pool({{7, "t7"}}, 10);
    pool.mark_exhausted(7, "core", kNow + 60);
    EXPECT_EQ(pool.choose("core", kNow + 59).kind, KeyChoice::Kind::Wait);
    EXPECT_EQ(chosen(pool.choose("core", kNow + 60)), 7);
}

TEST(KeyPool, ReserveIsCappedAtHalfASmallBucket) {
    KeyPool pool({{1, "t1"}}, 500);
    pool.record(1, "search", limit_headers(30, 16, kNow + 60));
    EXPECT_EQ(chosen(pool.choose("search", kNow)), 1);
    pool.record(1, "search", limit_headers(30, 15, kNow + 60));
    EXPECT_EQ(pool.choose("search", kNow).kind, KeyChoice::Kind::Wait);
}

TEST(KeyPool, BucketsAreSeparateAndResourceHeaderNamesTheBucket) {
    KeyPool pool({{1, "t1"}}, 0);
    pool.record(1, "core", limit_headers(30, 0, kNow + 60, "search"));
    EXPECT_EQ(chosen(pool.choose("core", kNow)), 1);
    EXPECT_EQ(pool.choose("search", kNow).kind, KeyChoice::Kind::Wait);
    ASSERT_TRUE(pool.state(1, "search"));
    EXPECT_EQ(pool.state(1, "search")->limit, 30);
    EXPECT_FALSE(pool.state(1, "core"));
}

TEST(KeyPool, MissingOrMalformedHeadersChangeNothing) {
    KeyPool pool({{1, "t1"}}, 0);
    pool.record(1, "core", {});
    pool.record(1, "core", {{"x-ratelimit-remaining", "12abc"}});
    EXPECT_FALSE(pool.state(1, "core"));
    pool.record(1, "core", {{"x-ratelimit-remaining", "5"}});
    ASSERT_TRUE(pool.state(1, "core"));
    EXPECT_EQ(pool.state(1, "core")->remaining, 5);
    EXPECT_EQ(pool.state(1, "core")->limit, -1);
    pool.record(99, "core", limit_headers(1, 1, 1));  // unknown key: ignored
    EXPECT_FALSE(pool.state(99, "core"));
}

TEST(KeyPool, DroppedKeysAreNeverChosen) {
    KeyPool pool({{1, "t1"}, {2, "t2"}, {1, "duplicate"}}, 0);
    EXPECT_EQ(pool.size(), 2u);
    pool.drop(1);
    EXPECT_EQ(pool.size(), 1u);
    EXPECT_EQ(chosen(pool.choose("core", kNow)), 2);
    EXPECT_EQ(pool.choose("core", kNow).key->token, "t2");
    pool.drop(2);
    EXPECT_EQ(pool.size(), 0u);
    EXPECT_TRUE(pool.has_keys_configured());
    // All keys rejected is not the same as no keys: no silent fall-back to anonymous.
    EXPECT_EQ(pool.choose("core", kNow).kind, KeyChoice::Kind::NoValidKey);
}

TEST(KeyPool, DuplicateIdKeepsTheFirstToken) {
    KeyPool pool({{1, "first"}, {1, "second"}}, 0);
    EXPECT_EQ(pool.choose("core", kNow).key->token, "first");
}
