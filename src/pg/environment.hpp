// The HTTP layer's Environment inside PostgreSQL: latch waits that end early on SIGTERM,
// query cancel or postmaster death, and the server log.
#pragma once

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
    void sleep_ms(int64_t ms) override;
    int64_t now_ms() override;
    void log_info(const std::string &message) override;
};

}  // namespace aveloxis::pg
