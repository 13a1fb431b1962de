// The collector background worker: claim a due job, run it, finish it, repeat.
#include <cstdio>
#include <cstring>
#include <string>

#include "pg/environment.hpp"
#include "pg/postgres.hpp"
#include "pg/settings.hpp"
#include "pg/transaction.hpp"
#include "pipeline/job.hpp"
#include "scheduler/job_queue.hpp"

extern "C" {
PGDLLEXPORT void aveloxis_collector_main(Datum main_arg);
}

namespace aveloxis::scheduler {

namespace {

constexpr int kFinishAttempts = 3;
// libgit2 1.5 leaks a few hundred KB per fetch (regex match data in its config lookups):
// a collector exits after this many jobs and the launcher starts a fresh one.
constexpr int kJobsPerCollector = 100;

// Finishing must not fail silently: a job left 'collecting' by a live worker would stall.
// If the outcome cannot be recorded, the worker exits, and the launcher's recovery returns
// the job to the queue because its holder is gone.
void finish_or_exit(pg::TxDriver &tx, const ClaimedJob &job, const JobOutcome &outcome,
                    const pg::Settings &settings) {
    char error[1024] = "";
    for (int attempt = 1; attempt <= kFinishAttempts; attempt++) {
        try {
            finish_job(tx, job, outcome, settings);
            return;
        } catch (const std::exception &e) {
            snprintf(error, sizeof error, "%s", e.what());
        }
        elog(WARNING, "aveloxis collector: could not record the end of the job of %s: %s",
             job.repo_git.c_str(), error);
    }
    proc_exit(1);
}

void collector_loop(int slot) {
    pg::WorkerTxDriver tx;
    pg::PgEnvironment env;
    const std::string name = "collector " + std::to_string(slot);
    char error[1024] = "";
    int jobs = 0;
    while (!pg::stop_requested() && jobs < kJobsPerCollector) {
        pg::reload_config_if_requested();
        pg::Settings settings = pg::current_settings();
        bool worked = false;
        try {
            // Jobs of dead holders are returned by the launcher's recovery pass.
            if (auto job = claim_job(tx, name, "background worker")) {
                worked = true;
                jobs++;
                std::string activity = "collecting " + job->repo_git;
                pgstat_report_activity(STATE_RUNNING, activity.c_str());
                JobOutcome outcome = pipeline::run_job(tx, settings, env, *job);
                finish_or_exit(tx, *job, outcome, settings);
                elog(outcome.outcome == "error" ? WARNING : LOG, "aveloxis %s: %s: %s%s%s",
                     name.c_str(), job->repo_git.c_str(), outcome.outcome.c_str(),
                     outcome.error.empty() ? "" : ": ", outcome.error.c_str());
            }
        } catch (const std::exception &e) {
            snprintf(error, sizeof error, "%s", e.what());
        }
        if (error[0]) {
            elog(WARNING, "aveloxis %s: %s", name.c_str(), error);
            error[0] = '\0';
        }
        if (!worked) {
            pgstat_report_activity(STATE_IDLE, "waiting for a due repository");
            (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
                            settings.poll_interval_ms, PG_WAIT_EXTENSION);
            ResetLatch(MyLatch);
        }
    }
}

}  // namespace

}  // namespace aveloxis::scheduler

void aveloxis_collector_main(Datum main_arg) {
    aveloxis::pg::install_worker_signal_handlers();
    BackgroundWorkerInitializeConnectionByOid(DatumGetObjectId(main_arg), InvalidOid, 0);
    int slot;
    std::memcpy(&slot, MyBgworkerEntry->bgw_extra, sizeof slot);
    aveloxis::scheduler::collector_loop(slot);
    proc_exit(0);
}
