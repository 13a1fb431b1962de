// API keys of one platform and what each response told us about their rate-limit budgets.
// Tokens are secrets: nothing here puts one into a message; keys are named by key_id.
// Not thread-safe: one pool per worker.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aveloxis::http {

struct ApiKey {
    int64_t key_id = 0;
    std::string token;
};

// One rate-limit bucket (x-ratelimit-resource: core, search, graphql, ...) of one key.
struct BucketState {
    int64_t limit = -1;      // -1: not reported yet
    int64_t remaining = -1;  // -1: not reported yet
    int64_t reset_s = 0;     // epoch seconds when remaining goes back to limit
};

struct KeyChoice {
    enum class Kind {
        Key,         // use key
        Anonymous,   // the pool has no keys at all: send without Authorization (60 per hour)
        Wait,        // nothing usable before usable_at_s
        NoValidKey,  // every key was dropped as invalid
    };
    Kind kind = Kind::NoValidKey;
    std::optional<ApiKey> key;
    int64_t usable_at_s = 0;
};

class KeyPool {
  public:
    using Headers = std::map<std::string, std::string>;  // lowercase names

    // reserve: requests left untouched on every key, since the key owners need quota too.
    // It is honoured up to half of a bucket's limit, so small buckets (search: 30 a minute)
    // stay usable whatever the setting. Duplicate key ids keep the first token.
    KeyPool(std::vector<ApiKey> keys, int64_t reserve);

    // The usable key with the most remaining above the reserve (keys with no known state
    // first: they are presumed fresh); ties go to the earlier key.
    KeyChoice choose(std::string_view bucket, int64_t now_s) const;

    // Updates from x-ratelimit-limit/-remaining/-reset; x-ratelimit-resource, when present,
    // names the bucket instead of the one passed. key_id nullopt: anonymous requests.
    void record(std::optional<int64_t> key_id, std::string_view bucket, const Headers &headers);
    void mark_exhausted(std::optional<int64_t> key_id, std::string_view bucket, int64_t reset_s);
    // The token was rejected (401): never used again by this pool.
    void drop(int64_t key_id);

    // Keys not dropped.
    size_t size() const;
    // Keys dropped as invalid, for the caller to record.
    std::vector<int64_t> dropped_key_ids() const;
    bool has_keys_configured() const { return !keys_.empty(); }
    std::optional<BucketState> state(std::optional<int64_t> key_id, std::string_view bucket) const;

  private:
    struct Entry {
        ApiKey key;
        bool dropped = false;
        std::map<std::string, BucketState, std::less<>> buckets;
    };

    Entry *find(int64_t key_id);
    const Entry *find(int64_t key_id) const;
    std::map<std::string, BucketState, std::less<>> *buckets_of(std::optional<int64_t> key_id);

    std::vector<Entry> keys_;
    std::map<std::string, BucketState, std::less<>> anonymous_;
    int64_t reserve_;
};

}  // namespace aveloxis::http
