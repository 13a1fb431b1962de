// Errors crossing the C++/PostgreSQL boundary.
//
// PostgreSQL reports errors with longjmp, C++ with exceptions; neither may cross the other.
// Calls into PostgreSQL that can fail go through helpers that catch the PostgreSQL error
// (PG_TRY), copy it into a PgError and throw after the PG_TRY block. Every extern "C" entry
// point catches everything with guarded() and re-raises it as a PostgreSQL error outside the
// catch block.
#pragma once

#include <stdexcept>
#include <string>

namespace aveloxis::pg {

class PgError : public std::runtime_error {
  public:
    PgError(int sqlerrcode, const std::string &message, std::string detail = {},
            std::string hint = {})
        : std::runtime_error(message),
          sqlerrcode_(sqlerrcode),
          detail_(std::move(detail)),
          hint_(std::move(hint)) {}
    int sqlerrcode() const { return sqlerrcode_; }
    const std::string &detail() const { return detail_; }
    const std::string &hint() const { return hint_; }

  private:
    int sqlerrcode_;
    std::string detail_;
    std::string hint_;
};

// A user-facing error with an SQLSTATE, thrown by C++ code (bad input, refused URL, ...).
PgError user_error(int sqlerrcode, const std::string &message, std::string hint = {});

// Fixed-size copy of an error, trivially destructible, so it can outlive the catch block
// and be raised with ereport (a longjmp) without skipping any destructor.
struct CapturedError {
    int sqlerrcode;
    char message[2048];
    char detail[1024];
    char hint[512];
    void capture(const std::exception &e) noexcept;
    void capture_unknown() noexcept;
};

[[noreturn]] void raise_captured(const CapturedError &err);

// Runs fn (C++ that may throw) and converts any exception into a PostgreSQL ERROR.
template <typename Fn>
auto guarded(Fn &&fn) -> decltype(fn()) {
    CapturedError err;
    try {
        return fn();
    } catch (const std::exception &e) {
        err.capture(e);
    } catch (...) {
        err.capture_unknown();
    }
    raise_captured(err);
}

// Message of the PostgreSQL error being handled inside PG_CATCH, flushed afterwards.
// Must be called in the PG_CATCH block, with the given memory context current afterwards.
PgError take_current_pg_error();

}  // namespace aveloxis::pg
