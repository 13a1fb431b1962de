#include "pg/environment.hpp"

#include <csignal>
#include <ctime>

#include "pg/postgres.hpp"

namespace aveloxis::pg {

namespace {

volatile sig_atomic_t got_sigterm = false;

// Not PostgreSQL's bgworker_die (which exits at once) nor die() (whose ProcDiePending would
// make the next SPI call raise FATAL): a flag, so the job is released before exiting.
void handle_sigterm(SIGNAL_ARGS) {
    int save_errno = errno;
    got_sigterm = true;
    SetLatch(MyLatch);
    errno = save_errno;
}

}  // namespace

bool stop_requested() {
    return got_sigterm || ProcDiePending || QueryCancelPending;
}

void install_worker_signal_handlers() {
    pqsignal(SIGTERM, handle_sigterm);
    pqsignal(SIGHUP, SignalHandlerForConfigReload);
    BackgroundWorkerUnblockSignals();
}

void reload_config_if_requested() {
    if (ConfigReloadPending) {
        ConfigReloadPending = false;
        ProcessConfigFile(PGC_SIGHUP);
    }
}

void PgEnvironment::set_heartbeat(std::function<void()> heartbeat, int64_t interval_ms) {
    heartbeat_ = std::move(heartbeat);
    heartbeat_interval_ms_ = interval_ms;
    last_heartbeat_ms_ = now_ms();
}

void PgEnvironment::sleep_ms(int64_t ms) {
    const int64_t deadline = now_ms() + ms;
    for (;;) {
        if (stop_requested()) throw http::Interrupted("stop requested while waiting");
        if (heartbeat_ && now_ms() - last_heartbeat_ms_ >= heartbeat_interval_ms_) {
            last_heartbeat_ms_ = now_ms();
            heartbeat_();
        }
        int64_t left = deadline - now_ms();
        if (left <= 0) return;
        (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
                        static_cast<long>(std::min<int64_t>(left, 1000)), PG_WAIT_EXTENSION);
        ResetLatch(MyLatch);
    }
}

int64_t PgEnvironment::now_ms() {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

void PgEnvironment::log_info(const std::string &message) {
    elog(LOG, "aveloxis: %s", message.c_str());
}

}  // namespace aveloxis::pg
