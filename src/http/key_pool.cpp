#include "http/key_pool.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

namespace aveloxis::http {

namespace {

std::optional<int64_t> header_int(const KeyPool::Headers &headers, const char *name) {
    auto it = headers.find(name);
    if (it == headers.end()) return std::nullopt;
    const std::string &v = it->second;
    int64_t out = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec != std::errc() || end != v.data() + v.size()) return std::nullopt;
    return out;
}

// A budget whose reset time has passed (or was never reported) is presumed fresh: only a
// reported reset in the future may keep a key out of use.
bool replenished(const BucketState &s, int64_t now_s) {
    return s.remaining < 0 || s.reset_s <= now_s;
}

}  // namespace

KeyPool::KeyPool(std::vector<ApiKey> keys, int64_t reserve)
    : reserve_(std::max<int64_t>(0, reserve)) {
    for (auto &k : keys) {
        if (find(k.key_id) == nullptr) keys_.push_back(Entry{std::move(k), false, {}});
    }
}

KeyPool::Entry *KeyPool::find(int64_t key_id) {
    auto it = std::find_if(keys_.begin(), keys_.end(),
                           [key_id](const Entry &e) { return e.key.key_id == key_id; });
    return it == keys_.end() ? nullptr : &*it;
}

const KeyPool::Entry *KeyPool::find(int64_t key_id) const {
    auto it = std::find_if(keys_.begin(), keys_.end(),
                           [key_id](const Entry &e) { return e.key.key_id == key_id; });
    return it == keys_.end() ? nullptr : &*it;
}

std::map<std::string, BucketState, std::less<>> *KeyPool::buckets_of(
    std::optional<int64_t> key_id) {
    if (!key_id) return &anonymous_;
    Entry *e = find(*key_id);
    return e == nullptr ? nullptr : &e->buckets;
}

KeyChoice KeyPool::choose(std::string_view bucket, int64_t now_s) const {
    KeyChoice choice;
    if (keys_.empty()) {
        auto it = anonymous_.find(bucket);
        if (it != anonymous_.end() && !replenished(it->second, now_s) &&
            it->second.remaining <= 0) {
            choice.kind = KeyChoice::Kind::Wait;
            choice.usable_at_s = it->second.reset_s;
        } else {
            choice.kind = KeyChoice::Kind::Anonymous;
        }
        return choice;
    }

    const Entry *best = nullptr;
    int64_t best_rank = -1;
    std::optional<int64_t> earliest_reset;
    for (const Entry &e : keys_) {
        if (e.dropped) continue;
        int64_t rank = std::numeric_limits<int64_t>::max();
        auto it = e.buckets.find(bucket);
        if (it != e.buckets.end() && !replenished(it->second, now_s)) {
            const BucketState &s = it->second;
            int64_t reserve = s.limit > 0 ? std::min(reserve_, s.limit / 2) : reserve_;
            if (s.remaining <= reserve) {
                earliest_reset = std::min(earliest_reset.value_or(s.reset_s), s.reset_s);
                continue;
            }
            rank = s.remaining;
        }
        if (rank > best_rank) {
            best = &e;
            best_rank = rank;
        }
    }
    if (best != nullptr) {
        choice.kind = KeyChoice::Kind::Key;
        choice.key = best->key;
    } else if (earliest_reset) {
        choice.kind = KeyChoice::Kind::Wait;
        choice.usable_at_s = *earliest_reset;
    }
    return choice;
}

void KeyPool::record(std::optional<int64_t> key_id, std::string_view bucket,
                     const Headers &headers) {
    auto *buckets = buckets_of(key_id);
    if (buckets == nullptr) return;
    auto remaining = header_int(headers, "x-ratelimit-remaining");
    if (!remaining) return;
    std::string name(bucket);
    if (auto it = headers.find("x-ratelimit-resource");
        it != headers.end() && !it->second.empty()) {
        name = it->second;
    }
    BucketState &s = (*buckets)[name];
    s.remaining = *remaining;
    if (auto limit = header_int(headers, "x-ratelimit-limit")) s.limit = *limit;
    if (auto reset = header_int(headers, "x-ratelimit-reset")) s.reset_s = *reset;
}

void KeyPool::mark_exhausted(std::optional<int64_t> key_id, std::string_view bucket,
                             int64_t reset_s) {
    auto *buckets = buckets_of(key_id);
    if (buckets == nullptr) return;
    BucketState &s = (*buckets)[std::string(bucket)];
    s.remaining = 0;
    s.reset_s = reset_s;
}

void KeyPool::drop(int64_t key_id) {
    if (Entry *e = find(key_id)) e->dropped = true;
}

std::vector<int64_t> KeyPool::dropped_key_ids() const {
    std::vector<int64_t> ids;
    for (const Entry &e : keys_)
        if (e.dropped) ids.push_back(e.key.key_id);
    return ids;
}

size_t KeyPool::size() const {
    return static_cast<size_t>(
        std::count_if(keys_.begin(), keys_.end(), [](const Entry &e) { return !e.dropped; }));
}

std::optional<BucketState> KeyPool::state(std::optional<int64_t> key_id,
                                          std::string_view bucket) const {
    const std::map<std::string, BucketState, std::less<>> *buckets = &anonymous_;
    if (key_id) {
        const Entry *e = find(*key_id);
        if (e == nullptr) return std::nullopt;
        buckets = &e->buckets;
    }
    auto it = buckets->find(bucket);
    if (it == buckets->end()) return std::nullopt;
    return it->second;
}

}  // namespace aveloxis::http
