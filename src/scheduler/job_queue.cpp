#include "scheduler/job_queue.hpp"

#include "pg/postgres.hpp"
#include "pg/spi.hpp"

namespace aveloxis::scheduler {

int recover_stale_jobs(pg::TxDriver &tx, const pg::Settings &settings) {
    int recovered = 0;
    pg::in_transaction(tx, [&] {
        auto r = pg::exec("SELECT aveloxis_ops.recover_stale_jobs($1::integer)",
                          {pg::param(settings.stale_lock_timeout_s)});
        recovered = static_cast<int>(r.rows.size());
    });
    return recovered;
}

std::optional<ClaimedJob> claim_job(pg::TxDriver &tx, const std::string &worker_name,
                                    const std::string &driver, std::optional<int64_t> repo_id) {
    std::optional<ClaimedJob> job;
    pg::in_transaction(tx, [&] {
        pg::Value repo_param;
        if (repo_id) repo_param = std::to_string(*repo_id);
        auto r = pg::exec(
            "SELECT repo_id, repo_git, repo_owner, repo_name, force_full, last_collected, "
            "history_id, now() FROM aveloxis_ops.claim_job($1, $2, $3::bigint)",
            {worker_name, driver, repo_param});
        if (r.empty()) return;
        ClaimedJob j;
        j.repo_id = r.int64(0, 0);
        j.repo_git = r.text(0, 1);
        j.owner = r.text(0, 2);
        j.name = r.text(0, 3);
        j.force_full = r.boolean(0, 4);
        j.last_collected = r.at(0, 5);
        j.history_id = r.int64(0, 6);
        j.started_at = r.text(0, 7);
        job = std::move(j);
    });
    return job;
}

void finish_job(pg::TxDriver &tx, const ClaimedJob &job, const JobOutcome &outcome,
                const pg::Settings &settings) {
    int next_due =
        outcome.outcome == "success" ? settings.recollect_interval_s : settings.retry_interval_s;
    pg::Value error;
    if (!outcome.error.empty()) error = outcome.error;
    HOLD_INTERRUPTS();
    try {
        pg::in_transaction(tx, [&] {
            pg::exec(
                "SELECT aveloxis_ops.finish_job($1::bigint, $2::bigint, $3, $4, $5::jsonb, "
                "$6::jsonb, $7::timestamptz, $8::integer, $9::boolean)",
                {pg::param(job.repo_id), pg::param(job.history_id), outcome.outcome, error,
                 outcome.counts_json, outcome.http_stats_json, job.started_at, pg::param(next_due),
                 std::string(job.force_full || !job.last_collected ? "true" : "false")});
        });
    } catch (...) {
        RESUME_INTERRUPTS();
        throw;
    }
    RESUME_INTERRUPTS();
}

}  // namespace aveloxis::scheduler
