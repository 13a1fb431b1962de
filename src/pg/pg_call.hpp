// call_pg(step): runs PostgreSQL code that may raise an error (longjmp) and rethrows the error
// as a C++ PgError after the PG_TRY block has been left. step must not throw: C++ code inside
// it catches its own exceptions (a C++ exception crossing PG_TRY would corrupt its state).
#pragma once

#include "pg/error.hpp"
#include "pg/postgres.hpp"

namespace aveloxis::pg {

template <typename Step>
void call_pg(Step step) {
    MemoryContext cxt = CurrentMemoryContext;
    bool failed = false;
    PgError error(0, "");
    PG_TRY();
    { step(); }
    PG_CATCH();
    {
        MemoryContextSwitchTo(cxt);
        error = take_current_pg_error();
        failed = true;
    }
    PG_END_TRY();
    if (failed) throw error;
}

}  // namespace aveloxis::pg
