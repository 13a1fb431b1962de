#include "pg/spi.hpp"

#include <stdexcept>

#include "pg/pg_call.hpp"
#include "pg/postgres.hpp"

namespace aveloxis::pg {

int64_t Result::int64(size_t row, size_t col) const {
    const Value &v = at(row, col);
    if (!v) throw std::runtime_error("unexpected NULL in query result");
    return std::stoll(*v);
}

namespace {

// Copies the SPI result into C++ memory. Runs inside PG_TRY: may raise a PostgreSQL error
// (SPI_getvalue's output functions), and C++ allocation failures are caught by the caller.
void copy_tuptable(Result &out) {
    SPITupleTable *tt = SPI_tuptable;
    out.processed = SPI_processed;
    if (tt == nullptr) return;
    int ncols = tt->tupdesc->natts;
    out.rows.reserve(SPI_processed);
    for (uint64 r = 0; r < SPI_processed; r++) {
        std::vector<Value> row;
        row.reserve(ncols);
        for (int c = 1; c <= ncols; c++) {
            char *s = SPI_getvalue(tt->vals[r], tt->tupdesc, c);
            if (s == nullptr) {
                row.emplace_back(std::nullopt);
            } else {
                row.emplace_back(std::string(s));
                pfree(s);
            }
        }
        out.rows.push_back(std::move(row));
    }
    SPI_freetuptable(tt);
}

}  // namespace

Result exec(const char *sql, const std::vector<Value> &params) {
    Result result;
    const int nargs = static_cast<int>(params.size());
    std::vector<Oid> types(nargs, TEXTOID);
    std::vector<Datum> values(nargs, 0);
    std::vector<char> nulls(nargs, ' ');

    bool cpp_failed = false;
    std::string cpp_message;
    call_pg([&] {
        try {
            for (int i = 0; i < nargs; i++) {
                if (params[i]) {
                    values[i] = PointerGetDatum(
                        cstring_to_text_with_len(params[i]->data(), params[i]->size()));
                } else {
                    nulls[i] = 'n';
                }
            }
            int rc = SPI_execute_with_args(sql, nargs, types.data(), values.data(), nulls.data(),
                                           false, 0);
            if (rc < 0) {
                elog(ERROR, "SPI_execute_with_args failed (%s): %s", SPI_result_code_string(rc),
                     sql);
            }
            copy_tuptable(result);
            // collect_now keeps one SPI connection for a whole job: free page bodies now.
            for (int i = 0; i < nargs; i++) {
                if (nulls[i] != 'n') pfree(DatumGetPointer(values[i]));
            }
        } catch (const std::exception &e) {
            cpp_failed = true;
            cpp_message = e.what();
        }
    });
    if (cpp_failed) throw std::runtime_error(cpp_message);
    return result;
}
}  // namespace aveloxis::pg
