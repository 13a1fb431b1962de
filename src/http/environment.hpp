// What the host process (a PostgreSQL backend or a test) provides to the HTTP layer:
// time, sleeping and interrupts. The HTTP code never sleeps or reads the clock itself, so a
// background worker can react to SIGTERM and tests can run on a virtual clock.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace aveloxis::http {

// Thrown when the host wants the current work to stop (SIGTERM, query cancel).
class Interrupted : public std::runtime_error {
  public:
    Interrupted() : std::runtime_error("interrupted") {}
    explicit Interrupted(const std::string &what) : std::runtime_error(what) {}
};

class Environment {
  public:
    virtual ~Environment() = default;
    // Polled often, also from inside libcurl callbacks: must be cheap and must not throw.
    virtual bool interrupted() = 0;
    // May throw Interrupted.
    virtual void sleep_ms(int64_t ms) = 0;
    // Wall clock, milliseconds since the Unix epoch.
    virtual int64_t now_ms() = 0;
    // Callers never pass a token here; keys are named by key_id.
    virtual void log_info(const std::string &message) = 0;
};

}  // namespace aveloxis::http
