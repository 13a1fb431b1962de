// Facade: bare clone or fetch with libgit2, then the commits of the default branch into
// aveloxis_data.commits / commit_parents / commit_messages, in batches.
#pragma once

#include <cstdint>
#include <string>

#include "http/environment.hpp"
#include "pg/settings.hpp"
#include "pg/transaction.hpp"
#include "scheduler/job_queue.hpp"

namespace aveloxis::pipeline {

struct FacadeResult {
    int64_t commits_stored = 0;
    std::string branch;
};

// Throws facade::FacadeError (clone, fetch, walk), PgError, or http::Interrupted.
FacadeResult run_facade(pg::TxDriver &tx, const pg::Settings &settings, http::Environment &env,
                        const scheduler::ClaimedJob &job);

}  // namespace aveloxis::pipeline
