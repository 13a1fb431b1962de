// The HTTP layer's Environment inside PostgreSQL: latch waits that end early on SIGTERM,
// query cancel or postmaster death, and the server log.
#pragma once

#include <functional>

#include "http/environment.hpp"

namespace aveloxis::pg {

// True once this process was asked to stop: SIGTERM to a background worker (our handler),
// or pg_cancel_backend / pg_terminate_backend / shutdown for a backend running collect_now.
bool stop_requested();

// Installs the background worker's SIGTERM (stop at the next safe point) and SIGHUP handlers.
void install_worker_signal_handlers();

// Reloads the configuration if SIGHUP arrived since the last call.
void reload_config_if_requested();

class PgEnvironment final : public http::Environment {
  public:
    bool interrupted() override { return stop_requested(); }
    // Long waits (rate-limit resets, backoff) call the heartbeat every interval, so a job
    // that waits is not mistaken for a hung one. The heartbeat throws http::Interrupted
    // when the job is no longer ours.
    void sleep_ms(int64_t ms) override;
    int64_t now_ms() override;
    void log_info(const std::string &message) override;

    void set_heartbeat(std::function<void()> heartbeat, int64_t interval_ms);
    void clear_heartbeat() { heartbeat_ = nullptr; }

  private:
    std::function<void()> heartbeat_;
    int64_t heartbeat_interval_ms_ = 0;
    int64_t last_heartbeat_ms_ = 0;
};

}  // namespace aveloxis::pg
