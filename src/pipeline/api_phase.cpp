#include "pipeline/api_phase.hpp"

#include <stdexcept>

#include "http/environment.hpp"
#include "pg/error.hpp"
#include "pg/spi.hpp"
#include "pipeline/staging.hpp"

namespace aveloxis::pipeline {

std::vector<http::ApiKey> load_keys(pg::TxDriver &tx, int platform_id) {
    std::vector<http::ApiKey> keys;
    pg::in_transaction(tx, [&] {
        auto r = pg::exec(
            "SELECT key_id, token FROM aveloxis_ops.worker_oauth "
            "WHERE platform_id = $1::smallint AND invalid_at IS NULL ORDER BY key_id",
            {pg::param(platform_id)});
        for (size_t i = 0; i < r.rows.size(); i++) keys.push_back({r.int64(i, 0), r.text(i, 1)});
    });
    return keys;
}

namespace {

void mark_gone(pg::TxDriver &tx, int64_t repo_id, const std::string &reason) {
    pg::in_transaction(tx, [&] {
        pg::exec(
            "UPDATE aveloxis_data.repos SET repo_archived = true, repo_archived_reason = $2 "
            "WHERE repo_id = $1::bigint",
            {pg::param(repo_id), reason});
    });
}

std::string gone_reason(long status, const std::string &body) {
    std::string msg = platform::api_message(body);
    std::string what = status == 404   ? "not found (deleted, private or renamed away)"
                       : status == 410 ? "gone"
                       : status == 451 ? "unavailable for legal reasons"
                                       : "access blocked";
    return "repository " + what + ": HTTP " + std::to_string(status) +
           (msg.empty() ? "" : " \"" + msg + "\"") + "; marked archived, data kept";
}

}  // namespace

PrelimResult run_prelim(pg::TxDriver &tx, platform::PlatformClient &client,
                        const scheduler::ClaimedJob &job) {
    PrelimResult result;
    result.repo = {job.owner, job.name, std::nullopt};
    platform::RepoFetch fetch = client.fetch_repo(result.repo, "");
    // Only a repository blocked for terms-of-service reasons is gone; any other 403 (SAML
    // enforcement, a token without access) is a problem of configuration, not of the repo.
    if (fetch.status == 403 && fetch.body.find("\"block\"") == std::string::npos) {
        throw platform::ApiError(403, job.repo_git, "access denied (check the API keys)",
                                 fetch.body);
    }
    // A wrong aveloxis.github_api_url answers 404 for everything: never take that for gone.
    if (fetch.status == 404 && client.probe_api() != 200) {
        throw platform::ApiError(404, job.repo_git,
                                 "the API at aveloxis.github_api_url answers 404 even for "
                                 "/rate_limit: check the setting",
                                 fetch.body);
    }
    if (fetch.status == 404 || fetch.status == 410 || fetch.status == 451 || fetch.status == 403) {
        result.dequeue = gone_reason(fetch.status, fetch.body);
        mark_gone(tx, job.repo_id, *result.dequeue);
        return result;
    }
    if (fetch.status != 200) {
        throw platform::ApiError(fetch.status, job.repo_git, "unexpected answer to the repo GET");
    }
    try {
        stage_page(tx, job.repo_id, "repo", job.repo_git, fetch.body);
    } catch (const pg::PgError &e) {
        throw std::runtime_error("repository object (" + job.repo_git +
                                 ") not stored: " + e.what());
    }

    // A rename shows as a redirect and a different full_name; the new name may already be
    // a repo of ours (both names were added): then this row is the duplicate.
    pg::in_transaction(tx, [&] {
        auto r = pg::exec(
            "SELECT full_name, dup_repo_git, id FROM aveloxis_ops.apply_rename($1::bigint)",
            {pg::param(job.repo_id)});
        std::string full_name = r.text(0, 0);
        auto slash = full_name.find('/');
        if (slash != std::string::npos) {
            result.repo.owner = full_name.substr(0, slash);
            result.repo.name = full_name.substr(slash + 1);
        }
        if (r.at(0, 2)) result.repo.platform_repo_id = r.int64(0, 2);
        if (r.at(0, 1))
            result.dequeue = "renamed to " + *r.at(0, 1) + ", which is already collected";
    });
    return result;
}

namespace {

struct Listing {
    platform::ListKind kind;
    const char *entity;
    bool incremental;  // honours since
};

const Listing kListings[] = {
    {platform::ListKind::Releases, "releases", false},
    {platform::ListKind::Contributors, "contributors", false},
    {platform::ListKind::Issues, "issues", true},
    {platform::ListKind::Pulls, "pulls", true},
    {platform::ListKind::IssueComments, "issue_comments", true},
};

}  // namespace

void collect_listings(pg::TxDriver &tx, platform::PlatformClient &client,
                      const scheduler::ClaimedJob &job, const platform::RepoRef &repo,
                      const std::optional<Since> &since, int max_pages,
                      std::vector<std::string> &errors) {
    for (const Listing &listing : kListings) {
        platform::ListOptions options;
        if (listing.incremental && since) options.since = since->iso;
        auto on_page = [&](const platform::Page &page) {
            if (page.index > max_pages) {
                errors.push_back(std::string(listing.entity) + ": stopped after " +
                                 std::to_string(max_pages) +
                                 " pages (aveloxis.max_pages_per_listing)");
                return false;
            }
            try {
                StagedPage staged =
                    stage_page(tx, job.repo_id, listing.entity, page.url, page.body);
                // The pulls list has no since=: it is read most recently updated first, and
                // reading stops after the first page that reaches back past the cutoff.
                if (listing.kind == platform::ListKind::Pulls && since && staged.oldest_update &&
                    *staged.oldest_update < since->epoch)
                    return false;
            } catch (const pg::PgError &e) {
                if (!is_data_error(e)) throw;
                errors.push_back(std::string(listing.entity) + " page " +
                                 std::to_string(page.index) + " (" + page.url +
                                 ") not stored: " + e.what());
            }
            return true;
        };
        try {
            long status = client.list(listing.kind, repo, options, on_page);
            if (status != 200 && status != 410 && status != 404)
                errors.push_back(std::string(listing.entity) + ": HTTP " + std::to_string(status));
        } catch (const platform::ApiError &e) {
            errors.push_back(std::string(listing.entity) + ": " + e.what());
            // A listing whose server errors outlived the retries is skipped. Failures that
            // would repeat for every listing (no HTTP answer, host refused, no valid key,
            // rate-limit reset too far away) end the API collection here.
            if (e.status() < 500) return;
        }
    }
}

}  // namespace aveloxis::pipeline
