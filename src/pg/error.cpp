#include "pg/error.hpp"

#include <cstring>

#include "pg/postgres.hpp"

namespace aveloxis::pg {

namespace {
void copy_text(char *dst, size_t size, const std::string &src) noexcept {
    size_t n = std::min(size - 1, src.size());
    std::memcpy(dst, src.data(), n);
    dst[n] = '\0';
}
}  // namespace

PgError user_error(int sqlerrcode, const std::string &message, std::string hint) {
    return PgError(sqlerrcode, message, {}, std::move(hint));
}

void CapturedError::capture(const std::exception &e) noexcept {
    detail[0] = hint[0] = '\0';
    if (const auto *pe = dynamic_cast<const PgError *>(&e)) {
        sqlerrcode = pe->sqlerrcode();
        copy_text(detail, sizeof detail, pe->detail());
        copy_text(hint, sizeof hint, pe->hint());
    } else {
        sqlerrcode = ERRCODE_INTERNAL_ERROR;
    }
    copy_text(message, sizeof message, e.what());
}

void CapturedError::capture_unknown() noexcept {
    sqlerrcode = ERRCODE_INTERNAL_ERROR;
    copy_text(message, sizeof message, "unknown C++ exception in aveloxis");
    detail[0] = hint[0] = '\0';
}

void raise_captured(const CapturedError &err) {
    ereport(ERROR, (errcode(err.sqlerrcode), errmsg("%s", err.message),
                    err.detail[0] ? errdetail("%s", err.detail) : 0,
                    err.hint[0] ? errhint("%s", err.hint) : 0));
    pg_unreachable();
}

PgError take_current_pg_error() {
    // Called in PG_CATCH: copy the error out of ErrorContext before flushing it.
    MemoryContext oldcxt = MemoryContextSwitchTo(TopMemoryContext);
    ErrorData *edata = CopyErrorData();
    MemoryContextSwitchTo(oldcxt);
    FlushErrorState();
    PgError err(edata->sqlerrcode, edata->message ? edata->message : "unknown error",
                edata->detail ? edata->detail : "", edata->hint ? edata->hint : "");
    FreeErrorData(edata);
    return err;
}

}  // namespace aveloxis::pg
