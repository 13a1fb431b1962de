// The queue operations a job driver needs, through the SQL functions of sql/install/85_queue.sql.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "pg/settings.hpp"
#include "pg/transaction.hpp"

namespace aveloxis::scheduler {

struct ClaimedJob {
    int64_t repo_id = 0;
    std::string repo_git, owner, name;
    bool force_full = false;
    std::optional<std::string> last_collected;  // timestamptz text; empty: first collection
    int64_t history_id = 0;
    std::string started_at;  // timestamptz text of the claim
};

struct JobOutcome {
    std::string outcome = "success";  // success | error | interrupted | dequeued
    std::string error;
    std::string counts_json = "{}";
    std::string http_stats_json = "{}";
};

// Returns jobs whose holder is gone to the queue; returns how many.
int recover_stale_jobs(pg::TxDriver &tx, const pg::Settings &settings);

// Claims the next due job, or (repo_id given) that repo's job whatever its due time.
std::optional<ClaimedJob> claim_job(pg::TxDriver &tx, const std::string &worker_name,
                                    const std::string &driver,
                                    std::optional<int64_t> repo_id = std::nullopt);

// Records the outcome on the queue row and in worker_history. Interrupts are held off while
// it runs, so a pending cancel or SIGTERM cannot leave the job locked.
void finish_job(pg::TxDriver &tx, const ClaimedJob &job, const JobOutcome &outcome,
                const pg::Settings &settings);

}  // namespace aveloxis::scheduler
