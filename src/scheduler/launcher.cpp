#include "scheduler/launcher.hpp"

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "pg/environment.hpp"
#include "pg/error.hpp"
#include "pg/postgres.hpp"
#include "pg/settings.hpp"
#include "pg/spi.hpp"
#include "pg/transaction.hpp"
#include "scheduler/job_queue.hpp"
#include "scheduler/worker_names.hpp"

extern "C" {
PGDLLEXPORT void aveloxis_launcher_main(Datum main_arg);
}

namespace aveloxis::scheduler {

namespace {

constexpr int kLauncherRestartSeconds = 5;
constexpr long kLauncherTickMs = 1000;
constexpr int kRecoveryEveryTicks = 5;

void fill_common(BackgroundWorker &w, const char *function, const char *type) {
    std::memset(&w, 0, sizeof w);
    w.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
    w.bgw_start_time = BgWorkerStart_RecoveryFinished;
    snprintf(w.bgw_library_name, BGW_MAXLEN, "aveloxis");
    snprintf(w.bgw_function_name, BGW_MAXLEN, "%s", function);
    snprintf(w.bgw_type, BGW_MAXLEN, "%s", type);
}

// Collector slots of this launcher.
class CollectorSet {
  public:
    explicit CollectorSet(Oid database) : database_(database) {}

    void ensure(int wanted) {
        while (static_cast<int>(handles_.size()) > wanted) {
            if (handles_.back()) TerminateBackgroundWorker(handles_.back());
            handles_.pop_back();
        }
        handles_.resize(wanted, nullptr);
        for (int slot = 0; slot < wanted; slot++) {
            pid_t pid;
            if (handles_[slot] && GetBackgroundWorkerPid(handles_[slot], &pid) != BGWH_STOPPED)
                continue;
            handles_[slot] = start(slot + 1);
        }
    }

    void stop_all() {
        for (auto *h : handles_)
            if (h) TerminateBackgroundWorker(h);
        handles_.clear();
    }

  private:
    BackgroundWorkerHandle *start(int slot) {
        BackgroundWorker w;
        fill_common(w, "aveloxis_collector_main", kCollectorType);
        snprintf(w.bgw_name, BGW_MAXLEN, "aveloxis collector %d", slot);
        w.bgw_restart_time = BGW_NEVER_RESTART;  // the launcher restarts it
        w.bgw_main_arg = ObjectIdGetDatum(database_);
        std::memcpy(w.bgw_extra, &slot, sizeof slot);
        w.bgw_notify_pid = MyProcPid;
        BackgroundWorkerHandle *handle = nullptr;
        if (!RegisterDynamicBackgroundWorker(&w, &handle)) {
            if (!warned_no_slot_) {
                elog(WARNING,
                     "aveloxis: cannot start collector %d: no free background worker slot "
                     "(raise max_worker_processes)",
                     slot);
                warned_no_slot_ = true;
            }
            return nullptr;
        }
        warned_no_slot_ = false;
        return handle;
    }

    Oid database_;
    std::vector<BackgroundWorkerHandle *> handles_;
    bool warned_no_slot_ = false;
};

bool extension_installed(pg::TxDriver &tx) {
    bool installed = false;
    pg::in_transaction(tx, [&] {
        installed = !pg::exec("SELECT 1 FROM pg_extension WHERE extname = 'aveloxis'").empty();
    });
    return installed;
}

// Collectors left from an earlier launcher of this database (it was killed) are stopped, so
// the number of collectors stays what aveloxis.workers says. They release their jobs.
void stop_orphan_collectors(pg::TxDriver &tx) {
    pg::in_transaction(tx, [&] {
        pg::exec(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE backend_type = $1 AND datid = (SELECT oid FROM pg_database "
            "WHERE datname = current_database())",
            {std::string(kCollectorType)});
    });
}

void launcher_loop() {
    pg::WorkerTxDriver tx;
    CollectorSet collectors(MyDatabaseId);
    bool started = false;
    char error[1024] = "";
    for (int tick = 0; !pg::stop_requested(); tick++) {
        pg::reload_config_if_requested();
        pgstat_report_activity(STATE_RUNNING, "supervising collectors");
        try {
            pg::Settings settings = pg::current_settings();
            if (extension_installed(tx)) {
                if (!started) {
                    stop_orphan_collectors(tx);
                    started = true;
                }
                if (tick % kRecoveryEveryTicks == 0) {
                    int n = recover_stale_jobs(tx, settings);
                    if (n > 0)
                        elog(LOG, "aveloxis launcher: returned %d orphaned job(s) to the queue", n);
                }
                collectors.ensure(settings.workers);
            } else if (started) {
                collectors.stop_all();  // DROP EXTENSION
                started = false;
            }
        } catch (const std::exception &e) {
            snprintf(error, sizeof error, "%s", e.what());
        }
        if (error[0]) {
            elog(WARNING, "aveloxis launcher: %s", error);
            error[0] = '\0';
        }
        pgstat_report_activity(STATE_IDLE, "waiting");
        (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, kLauncherTickMs,
                        PG_WAIT_EXTENSION);
        ResetLatch(MyLatch);
    }
    collectors.stop_all();
}

}  // namespace

void register_static_launcher() {
    BackgroundWorker w;
    fill_common(w, "aveloxis_launcher_main", kLauncherType);
    snprintf(w.bgw_name, BGW_MAXLEN, "aveloxis launcher");
    w.bgw_restart_time = kLauncherRestartSeconds;
    w.bgw_main_arg = ObjectIdGetDatum(InvalidOid);  // database from aveloxis.database
    RegisterBackgroundWorker(&w);
}

int start_launcher_for_current_database() {
    int existing = 0;
    pg::guarded([&] {
        auto r = pg::exec(
            "SELECT pid FROM pg_catalog.pg_stat_activity "
            "WHERE backend_type OPERATOR(pg_catalog.=) $1::pg_catalog.text "
            "AND datname OPERATOR(pg_catalog.=) pg_catalog.current_database()",
            {std::string(kLauncherType)});
        if (!r.empty()) existing = static_cast<int>(r.int64(0, 0));
    });
    if (existing != 0) return existing;

    BackgroundWorker w;
    fill_common(w, "aveloxis_launcher_main", kLauncherType);
    snprintf(w.bgw_name, BGW_MAXLEN, "aveloxis launcher");
    w.bgw_restart_time = kLauncherRestartSeconds;
    w.bgw_main_arg = ObjectIdGetDatum(MyDatabaseId);
    w.bgw_notify_pid = MyProcPid;
    BackgroundWorkerHandle *handle;
    if (!RegisterDynamicBackgroundWorker(&w, &handle)) {
        ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_RESOURCES),
                        errmsg("could not start the aveloxis launcher: no free background "
                               "worker slot"),
                        errhint("Raise max_worker_processes (a restart setting).")));
    }
    pid_t pid;
    if (WaitForBackgroundWorkerStartup(handle, &pid) != BGWH_STARTED) {
        ereport(ERROR,
                (errmsg("the aveloxis launcher did not start"), errhint("See the server log.")));
    }
    return static_cast<int>(pid);
}

}  // namespace aveloxis::scheduler

void aveloxis_launcher_main(Datum main_arg) {
    aveloxis::pg::install_worker_signal_handlers();
    Oid database = DatumGetObjectId(main_arg);
    if (database == InvalidOid) {
        auto settings = aveloxis::pg::current_settings();
        BackgroundWorkerInitializeConnection(settings.database.c_str(), nullptr, 0);
    } else {
        BackgroundWorkerInitializeConnectionByOid(database, InvalidOid, 0);
    }
    elog(LOG, "aveloxis launcher started (database OID %u)", MyDatabaseId);
    aveloxis::scheduler::launcher_loop();
    elog(LOG, "aveloxis launcher stopping");
    // Exit code 0 would unregister the worker: after a pg_terminate_backend it must come
    // back after its restart time (at shutdown the postmaster restarts nothing anyway).
    proc_exit(1);
}
