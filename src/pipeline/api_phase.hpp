// Prelim and API collection: repository check (renames, gone repos), then every listing of
// this slice into staging.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "http/key_pool.hpp"
#include "pg/transaction.hpp"
#include "platform/platform_client.hpp"
#include "scheduler/job_queue.hpp"

namespace aveloxis::pipeline {

// API keys of a platform (1 GitHub) that are not marked invalid.
std::vector<http::ApiKey> load_keys(pg::TxDriver &tx, int platform_id);

struct PrelimResult {
    platform::RepoRef repo;              // after a rename: the new owner/name
    std::optional<std::string> dequeue;  // set: the repo is gone or a duplicate; the reason
};

// GET the repository: stages it, follows a rename (updates repo_git), or decides to dequeue
// (404/410/451/403: marked archived, data kept; renamed onto a repo already present).
PrelimResult run_prelim(pg::TxDriver &tx, platform::PlatformClient &client,
                        const scheduler::ClaimedJob &job);

// Cutoff of an incremental collection.
struct Since {
    std::string iso;  // for since= parameters
    int64_t epoch;    // to compare with updated_at
};

// Reads releases, contributors, issues, pulls and issue comments into staging.
// since: ISO time for incremental collection (nullopt: everything). A listing stops after
// max_pages pages (a bound against a runaway or hostile API). Page-level problems (a
// body that is not JSON) and failed listings are appended to errors; collection goes on.
void collect_listings(pg::TxDriver &tx, platform::PlatformClient &client,
                      const scheduler::ClaimedJob &job, const platform::RepoRef &repo,
                      const std::optional<Since> &since, int max_pages,
                      std::vector<std::string> &errors);

}  // namespace aveloxis::pipeline
