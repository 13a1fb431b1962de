#include "pg/transaction.hpp"

#include <exception>
#include <string>

#include "pg/error.hpp"
#include "pg/pg_call.hpp"
#include "pg/postgres.hpp"

namespace aveloxis::pg {

namespace {

// The job's statements run as a superuser (the workers) or in a superuser's session
// (collect_now). Resolving names through the caller's search_path would let anyone who can
// create objects in a schema on it (often public) plant a function or operator that then runs
// as superuser; so every transaction of a job resolves names in pg_catalog only (pg_temp
// last, for the processing functions' scratch tables). SET LOCAL: the caller's setting is
// back after the transaction.
void use_safe_search_path() {
    (void)set_config_option("search_path", "pg_catalog, pg_temp", PGC_SUSET, PGC_S_SESSION,
                            GUC_ACTION_LOCAL, true, 0, false);
}

}  // namespace

void WorkerTxDriver::begin() {
    SetCurrentStatementStartTimestamp();
    StartTransactionCommand();
    // Short transactions built for READ COMMITTED, whatever default_transaction_isolation
    // the database has (serializable would turn concurrent collectors into retry storms).
    XactIsoLevel = XACT_READ_COMMITTED;
    use_safe_search_path();
    SPI_connect();
    PushActiveSnapshot(GetTransactionSnapshot());
}

void WorkerTxDriver::commit() {
    SPI_finish();
    PopActiveSnapshot();
    CommitTransactionCommand();
    pgstat_report_stat(false);
}

void WorkerTxDriver::rollback() {
    // AbortCurrentTransaction releases SPI (AtEOXact_SPI) and the snapshot stack.
    AbortCurrentTransaction();
}

void ProcedureTxDriver::begin() {
    MemoryContext cxt = CurrentMemoryContext;
    BeginInternalSubTransaction(nullptr);
    MemoryContextSwitchTo(cxt);
    use_safe_search_path();
}

void ProcedureTxDriver::commit() {
    MemoryContext cxt = CurrentMemoryContext;
    ReleaseCurrentSubTransaction();
    MemoryContextSwitchTo(cxt);
    SPI_commit();
}

void ProcedureTxDriver::rollback() {
    MemoryContext cxt = CurrentMemoryContext;
    RollbackAndReleaseCurrentSubTransaction();
    MemoryContextSwitchTo(cxt);
}

void in_transaction(TxDriver &tx, const std::function<void()> &fn) {
    call_pg([&] { tx.begin(); });
    std::exception_ptr failure;
    try {
        fn();
    } catch (...) {
        // fn's SPI calls already turned any PostgreSQL error into an exception; what is
        // left of the transaction is rolled back outside this handler, since rolling back
        // can itself raise a PostgreSQL error.
        failure = std::current_exception();
    }
    if (failure) {
        call_pg([&] { tx.rollback(); });
        std::rethrow_exception(failure);
    }
    try {
        call_pg([&] { tx.commit(); });
    } catch (const PgError &) {
        failure = std::current_exception();
    }
    if (failure) {
        call_pg([&] { tx.after_failed_commit(); });
        std::rethrow_exception(failure);
    }
}

}  // namespace aveloxis::pg
