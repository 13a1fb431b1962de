// Short transactions for the two drivers of a job:
//  - a background worker starts and commits its own transactions;
//  - collect_now runs inside CALL with SPI connected non-atomically and commits with SPI_commit.
// Either way the pipeline calls in_transaction(fn): fn runs in a fresh transaction that is
// committed when fn returns and rolled back when it throws (the exception is rethrown).
#pragma once

#include <functional>

namespace aveloxis::pg {

class TxDriver {
  public:
    virtual ~TxDriver() = default;
    virtual void begin() = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;
    // Cleans up after commit() raised an error.
    virtual void after_failed_commit() = 0;
};

// Background worker: StartTransactionCommand / SPI_connect / snapshot, and back.
class WorkerTxDriver final : public TxDriver {
  public:
    void begin() override;
    void commit() override;
    void rollback() override;
    void after_failed_commit() override { rollback(); }
};

// CALL aveloxis.collect_now(): the caller connected SPI with SPI_OPT_NONATOMIC. Each step runs
// in an internal subtransaction, so that an error raised deep inside nested SPI calls (a
// PL/pgSQL function) is cleaned up by rolling the subtransaction back; SPI_commit then
// commits the step.
class ProcedureTxDriver final : public TxDriver {
  public:
    void begin() override;
    void commit() override;
    void rollback() override;
    void after_failed_commit() override {}  // SPI_commit cleans up after itself
};

void in_transaction(TxDriver &tx, const std::function<void()> &fn);

}  // namespace aveloxis::pg
