// Parameterised SQL through SPI, with PostgreSQL errors turned into PgError.
// Parameters are passed as text with their types given in the statement ($1::bigint), so
// every value reaches the server as a parameter, never spliced into SQL text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aveloxis::pg {

using Value = std::optional<std::string>;

struct Result {
    std::vector<std::vector<Value>> rows;
    uint64_t processed = 0;

    bool empty() const { return rows.empty(); }
    const Value &at(size_t row, size_t col) const { return rows.at(row).at(col); }
    std::string text(size_t row, size_t col) const { return at(row, col).value_or(""); }
    int64_t int64(size_t row, size_t col) const;
    bool boolean(size_t row, size_t col) const { return text(row, col) == "t"; }
};

// Runs one statement in the current transaction (SPI must be connected).
Result exec(const char *sql, const std::vector<Value> &params = {});

// Converts integers for parameters.
inline Value param(int64_t v) {
    return std::to_string(v);
}

}  // namespace aveloxis::pg
