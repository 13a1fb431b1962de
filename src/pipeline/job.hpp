// One collection job, phase by phase: prelim, API collection into staging, processing,
// facade. The same code runs in a collector background worker and in CALL collect_now().
// No transaction is open during network or git I/O; every write is a short transaction.
#pragma once

#include "pg/environment.hpp"
#include "pg/settings.hpp"
#include "pg/transaction.hpp"
#include "scheduler/job_queue.hpp"

namespace aveloxis::pipeline {

// Never throws: every failure ends up in the outcome (the caller records it on the queue).
scheduler::JobOutcome run_job(pg::TxDriver &tx, const pg::Settings &settings,
                              pg::PgEnvironment &env, const scheduler::ClaimedJob &job);

}  // namespace aveloxis::pipeline
