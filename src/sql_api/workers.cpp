// aveloxis.start_workers() and CALL aveloxis.collect_now(url).
#include <string>

#include "pg/environment.hpp"
#include "pg/error.hpp"
#include "pg/postgres.hpp"
#include "pg/settings.hpp"
#include "pg/spi.hpp"
#include "pg/transaction.hpp"
#include "pipeline/job.hpp"
#include "scheduler/job_queue.hpp"
#include "scheduler/launcher.hpp"
#include "sql_api/repo_url_check.hpp"

extern "C" {
PG_FUNCTION_INFO_V1(aveloxis_start_workers);
PG_FUNCTION_INFO_V1(aveloxis_collect_now);
}

Datum aveloxis_start_workers(PG_FUNCTION_ARGS) {
    if (!superuser()) {
        ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                        errmsg("aveloxis.start_workers requires superuser: the workers run as "
                               "superuser")));
    }
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
    int pid = aveloxis::scheduler::start_launcher_for_current_database();
    SPI_finish();
    PG_RETURN_INT32(pid);
}

namespace aveloxis::sql_api {
namespace {

// The whole pipeline for one repository in the calling session, committing between steps.
std::string collect_now(const std::string &url) {
    pg::Settings settings = pg::current_settings();
    auto repo = checked_repo_url(url, settings.allowed_hosts);
    pg::ProcedureTxDriver tx;
    pg::PgEnvironment env;

    int64_t repo_id = 0;
    std::string holder;
    pg::in_transaction(tx, [&] {
        auto r = pg::exec("SELECT aveloxis.add_repo($1)", {repo.normalized});
        repo_id = r.int64(0, 0);
    });
    scheduler::recover_stale_jobs(tx, settings);
    // Asking for a repository by name brings it back if it had been dequeued.
    pg::in_transaction(tx, [&] {
        pg::exec(
            "UPDATE aveloxis_ops.collection_queue SET status = 'queued', dequeued_reason = NULL "
            "WHERE repo_id = $1::bigint AND status = 'dequeued'",
            {pg::param(repo_id)});
    });
    auto job = scheduler::claim_job(tx, "collect_now", "collect_now", repo_id);
    if (!job) {
        pg::in_transaction(tx, [&] {
            auto r = pg::exec(
                "SELECT coalesce(locked_by, status) || coalesce(' (PID ' || locked_pid || ')', '') "
                "FROM aveloxis_ops.collection_queue WHERE repo_id = $1::bigint",
                {pg::param(repo_id)});
            holder = r.empty() ? "unknown" : r.text(0, 0);
        });
        throw pg::user_error(ERRCODE_OBJECT_IN_USE,
                             repo.normalized + " is being collected by " + holder,
                             "Wait for that job to finish, or stop that worker.");
    }
    scheduler::JobOutcome outcome = pipeline::run_job(tx, settings, env, *job);
    scheduler::finish_job(tx, *job, outcome, settings);
    if (outcome.outcome == "interrupted") throw http::Interrupted("collect_now was interrupted");
    std::string summary = repo.normalized + ": " + outcome.outcome + " " + outcome.counts_json;
    // Everything collected is committed by now; an error still fails the CALL, so that
    // scripts and schedulers see it.
    if (outcome.outcome == "error") {
        throw pg::PgError(
            ERRCODE_EXTERNAL_ROUTINE_EXCEPTION,
            "collection of " + repo.normalized + " finished with errors: " + outcome.error,
            "What was collected is kept; counts: " + outcome.counts_json);
    }
    if (!outcome.error.empty()) summary += "; " + outcome.error;
    return summary;
}

}  // namespace
}  // namespace aveloxis::sql_api

Datum aveloxis_collect_now(PG_FUNCTION_ARGS) {
    auto *call = fcinfo->context && IsA(fcinfo->context, CallContext)
                     ? castNode(CallContext, fcinfo->context)
                     : nullptr;
    if (call == nullptr || call->atomic) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_TRANSACTION_TERMINATION),
                        errmsg("aveloxis.collect_now must be run with CALL outside a "
                               "transaction block"),
                        errhint("It commits after every step, so nothing collected is lost.")));
    }
    if (!superuser()) {
        ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                        errmsg("aveloxis.collect_now requires superuser: it uses the stored "
                               "API keys"),
                        errhint("Use aveloxis.prioritize(url) to have the background workers "
                                "collect a repository next.")));
    }
    if (PG_ARGISNULL(0)) ereport(ERROR, (errmsg("repository URL must not be NULL")));
    char *url = text_to_cstring(PG_GETARG_TEXT_PP(0));
    if (SPI_connect_ext(SPI_OPT_NONATOMIC) != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");

    char summary[2048];
    bool interrupted = false;
    aveloxis::pg::guarded([&] {
        try {
            std::string s = aveloxis::sql_api::collect_now(url);
            snprintf(summary, sizeof summary, "%s", s.c_str());
        } catch (const aveloxis::http::Interrupted &) {
            interrupted = true;
        }
    });
    SPI_finish();
    if (interrupted) {
        CHECK_FOR_INTERRUPTS();  // raises the pending cancel or termination
        ereport(ERROR, (errcode(ERRCODE_QUERY_CANCELED), errmsg("collect_now was interrupted")));
    }
    ereport(NOTICE, (errmsg("%s", summary)));
    PG_RETURN_VOID();
}
