// Raw API pages into aveloxis_ops.staging, and processing of staged pages into the tables.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pg/error.hpp"
#include "pg/transaction.hpp"

namespace aveloxis::pipeline {

struct StagedPage {
    int64_t items = 0;                     // elements of an array page (1 for an object)
    std::optional<int64_t> oldest_update;  // smallest updated_at on the page, epoch seconds
};

// Stores one page (body sanitised for jsonb) and refreshes the job's heartbeat, in one
// transaction. Throws PgError when the body is not JSON: nothing is stored then.
StagedPage stage_page(pg::TxDriver &tx, int64_t repo_id, const std::string &entity,
                      const std::string &url, const std::string &body);

// Processes every unprocessed staged page of the repo, entity by entity in dependency order,
// a batch of pages per transaction. When a batch fails with a data error, its pages are
// retried one by one; a page that fails alone is split into single items, and an item that
// fails alone is set aside with its error (appended to warnings): one bad object never blocks
// a repository. Any other error (a cancel, a serialization failure) is thrown, and the pages
// stay staged. Returns the number of pages processed.
int64_t process_staging(pg::TxDriver &tx, int64_t repo_id, int batch_pages,
                        std::vector<std::string> &warnings);

// A PostgreSQL error caused by the data itself (SQLSTATE class 22 or 23).
bool is_data_error(const pg::PgError &e);

}  // namespace aveloxis::pipeline
