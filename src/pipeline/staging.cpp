#include "pipeline/staging.hpp"

#include "pg/error.hpp"
#include "pg/postgres.hpp"
#include "pg/spi.hpp"
#include "pipeline/heartbeat.hpp"
#include "util/json_sanitize.hpp"

namespace aveloxis::pipeline {

namespace {
// Dependency order: users are upserted with every batch; issues before pulls (both write
// pull_requests); messages last, so their issue or PR exists.
const char *const kEntityOrder[] = {"repo",   "releases", "contributors",
                                    "issues", "pulls",    "issue_comments"};
}  // namespace

bool is_data_error(const pg::PgError &e) {
    // SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation)
    const int error_class = ERRCODE_TO_CATEGORY(e.sqlerrcode());
    return error_class == ERRCODE_DATA_EXCEPTION ||
           error_class == ERRCODE_INTEGRITY_CONSTRAINT_VIOLATION;
}

StagedPage stage_page(pg::TxDriver &tx, int64_t repo_id, const std::string &entity,
                      const std::string &url, const std::string &body) {
    const std::string clean = util::sanitize_json_text(body);
    StagedPage page;
    pg::in_transaction(tx, [&] {
        auto r = pg::exec(
            "WITH s AS (INSERT INTO aveloxis_ops.staging "
            "  (repo_id, platform_id, entity_type, page_url, payload) "
            "  VALUES ($1::bigint, 1, $2, $3, $4::jsonb) RETURNING payload) "
            "SELECT CASE jsonb_typeof(payload) WHEN 'array' THEN jsonb_array_length(payload) "
            "            ELSE 1 END, "
            "       (SELECT extract(epoch FROM min(aveloxis_ops.gh_time(e ->> "
            "'updated_at')))::bigint "
            "        FROM jsonb_array_elements(aveloxis_ops.arr(payload)) e) "
            "FROM s",
            {pg::param(repo_id), entity, url, clean});
        page.items = r.int64(0, 0);
        if (r.at(0, 1)) page.oldest_update = r.int64(0, 1);
        refresh_heartbeat(repo_id);
    });
    return page;
}

int64_t process_staging(pg::TxDriver &tx, int64_t repo_id, int batch_pages,
                        std::vector<std::string> &warnings) {
    int64_t total = 0;
    for (const char *entity : kEntityOrder) {
        int batch = batch_pages;
        for (;;) {
            int64_t n = 0;
            try {
                pg::in_transaction(tx, [&] {
                    auto r =
                        pg::exec("SELECT aveloxis_ops.process_staged($1::bigint, $2, $3::integer)",
                                 {pg::param(repo_id), std::string(entity), pg::param(batch)});
                    n = r.int64(0, 0);
                    refresh_heartbeat(repo_id);
                });
            } catch (const pg::PgError &e) {
                if (!is_data_error(e)) throw;  // a cancel, a serialization failure: not the data
                if (batch > 1) {
                    batch = 1;  // find the page at fault; the others still land
                    continue;
                }
                // The page failed alone: split it into items, or set the item aside.
                pg::Value set_aside;
                pg::in_transaction(tx, [&] {
                    set_aside =
                        pg::exec(
                            "SELECT aveloxis_ops.split_or_set_aside_next_page("
                            "$1::bigint, $2, $3)",
                            {pg::param(repo_id), std::string(entity), std::string(e.what())})
                            .at(0, 0);
                });
                if (set_aside) {
                    warnings.push_back(std::string(entity) + " " + *set_aside +
                                       " could not be processed and was set aside: " + e.what());
                    batch = batch_pages;
                }
                continue;
            }
            total += n;
            if (n == 0) break;
        }
    }
    return total;
}

}  // namespace aveloxis::pipeline
