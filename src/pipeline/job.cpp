#include "pipeline/job.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "facade/facade_error.hpp"
#include "http/http_client.hpp"
#include "http/key_pool.hpp"
#include "pg/spi.hpp"
#include "pipeline/api_phase.hpp"
#include "pipeline/facade_phase.hpp"
#include "pipeline/heartbeat.hpp"
#include "pipeline/staging.hpp"
#include "platform/github/github_client.hpp"

namespace aveloxis::pipeline {

namespace {

constexpr int kGitHub = 1;
constexpr const char *kUserAgent = "aveloxis/0.1.0 (PostgreSQL extension)";

// Items updated since the last successful run, minus a safety margin; nullopt: everything.
std::optional<Since> incremental_since(pg::TxDriver &tx, const pg::Settings &settings,
                                       const scheduler::ClaimedJob &job) {
    if (job.force_full || !job.last_collected) return std::nullopt;
    std::optional<Since> since;
    pg::in_transaction(tx, [&] {
        auto r = pg::exec(
            "SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
            "       extract(epoch FROM t)::bigint "
            "FROM (SELECT $1::timestamptz - make_interval(secs => $2::integer) AS t) x",
            {job.last_collected, pg::param(settings.incremental_margin_s)});
        since = Since{r.text(0, 0), r.int64(0, 1)};
    });
    return since;
}

void set_phase_status(pg::TxDriver &tx, const scheduler::ClaimedJob &job, const char *phase,
                      const char *status) {
    pg::in_transaction(tx, [&] {
        pg::exec("SELECT aveloxis_ops.set_phase_status($1::bigint, $2, $3, $4::timestamptz)",
                 {pg::param(job.repo_id), std::string(phase), std::string(status), job.started_at});
    });
}

std::string stats_json(const platform::ClientStats &s) {
    return "{\"requests\":" + std::to_string(s.requests) +
           ",\"retries\":" + std::to_string(s.retries) +
           ",\"rate_limit_waits\":" + std::to_string(s.rate_limit_waits) +
           ",\"secondary_waits\":" + std::to_string(s.secondary_waits) +
           ",\"not_modified\":" + std::to_string(s.not_modified) +
           ",\"waited_ms\":" + std::to_string(s.waited_ms) + "}";
}

std::string join(const std::vector<std::string> &parts) {
    std::string out;
    for (const auto &p : parts) out += (out.empty() ? "" : "; ") + p;
    return out;
}

platform::GitHubSettings github_settings(const pg::Settings &s) {
    platform::GitHubSettings g;
    g.api_base_url = s.github_api_url;
    g.allowed_hosts = s.allowed_hosts;
    g.max_retries = s.http_max_retries;
    g.retry_base_ms = s.retry_base_delay_ms;
    g.retry_max_ms = s.retry_max_delay_ms;
    g.secondary_wait_ms = s.secondary_limit_wait_ms;
    g.max_reset_wait_ms = int64_t{s.max_rate_limit_wait_s} * 1000;
    return g;
}

// Keys GitHub answered 401 for are not used again by any worker.
void mark_invalid_keys(pg::TxDriver &tx, const std::vector<int64_t> &key_ids) {
    if (key_ids.empty()) return;
    std::string list = "{";
    for (int64_t id : key_ids) list += (list.size() > 1 ? "," : "") + std::to_string(id);
    list += "}";
    pg::in_transaction(tx, [&] {
        pg::exec(
            "UPDATE aveloxis_ops.worker_oauth SET invalid_at = now() "
            "WHERE key_id = ANY ($1::bigint[]) AND invalid_at IS NULL",
            {list});
    });
}

// The API part of a job: prelim, listings, processing. Returns the dequeue reason, if any.
std::optional<std::string> run_api_phases(pg::TxDriver &tx, const pg::Settings &settings,
                                          http::Environment &env, const scheduler::ClaimedJob &job,
                                          scheduler::JobOutcome &out,
                                          std::vector<std::string> &errors,
                                          std::vector<std::string> &warnings) {
    http::KeyPool keys(load_keys(tx, kGitHub), settings.key_reserve);
    http::CurlTransport transport(env, settings.http_connect_timeout_ms, settings.http_timeout_ms,
                                  kUserAgent, size_t{64} << 20);  // a page is < 64 MiB
    platform::GitHubClient client(github_settings(settings), keys, transport, env);
    std::optional<std::string> dequeue;
    try {
        PrelimResult prelim = run_prelim(tx, client, job);
        dequeue = prelim.dequeue;
        if (!dequeue) {
            collect_listings(tx, client, job, prelim.repo, incremental_since(tx, settings, job),
                             settings.max_pages_per_listing, errors);
        }
    } catch (const platform::ApiError &e) {
        errors.push_back(std::string("API: ") + e.what());
    } catch (...) {
        out.http_stats_json = stats_json(client.stats());
        throw;
    }
    out.http_stats_json = stats_json(client.stats());
    mark_invalid_keys(tx, keys.dropped_key_ids());
    process_staging(tx, job.repo_id, settings.staging_batch_pages, warnings);
    set_phase_status(tx, job, "core", dequeue ? "Standby" : errors.empty() ? "Success" : "Error");
    return dequeue;
}

}  // namespace

scheduler::JobOutcome run_job(pg::TxDriver &tx, const pg::Settings &settings,
                              pg::PgEnvironment &env, const scheduler::ClaimedJob &job) {
    scheduler::JobOutcome out;
    std::vector<std::string> errors;
    // Items set aside as bad data: reported, but the run still counts as a success, so the
    // next run stays incremental and on the normal schedule.
    std::vector<std::string> warnings;
    // Waits for rate-limit resets can be long: keep the heartbeat fresh well within the
    // stale-lock timeout meanwhile.
    env.set_heartbeat([&] { pg::in_transaction(tx, [&] { refresh_heartbeat(job.repo_id); }); },
                      std::min<int64_t>(30000, int64_t{settings.stale_lock_timeout_s} * 1000 / 3));
    try {
        // Pages staged by an interrupted run are processed before anything new is fetched.
        process_staging(tx, job.repo_id, settings.staging_batch_pages, warnings);
        auto dequeue = run_api_phases(tx, settings, env, job, out, errors, warnings);
        if (dequeue) {
            out.outcome = "dequeued";
            errors.insert(errors.begin(), *dequeue);
        } else if (settings.facade_enabled) {
            try {
                run_facade(tx, settings, env, job);
                set_phase_status(tx, job, "facade", "Success");
            } catch (const facade::FacadeInterrupted &) {
                throw http::Interrupted("stopped during the facade phase");
            } catch (const facade::FacadeError &e) {
                errors.push_back(std::string("facade: ") + e.what());
                set_phase_status(tx, job, "facade", "Failed Clone");
            }
        }
    } catch (const http::Interrupted &e) {
        out.outcome = "interrupted";
        errors.push_back(std::string("stopped before the end (") + e.what() +
                         "); staged pages are kept and processed at the next run");
    } catch (const std::exception &e) {
        errors.push_back(e.what());
    }
    env.clear_heartbeat();
    if (out.outcome == "success" && !errors.empty()) out.outcome = "error";
    for (const auto &w : warnings) errors.push_back("warning: " + w);
    out.error = join(errors);
    if (out.outcome != "interrupted") {
        try {
            pg::in_transaction(tx, [&] {
                out.counts_json = pg::exec("SELECT aveloxis_ops.repo_counts($1::bigint)",
                                           {pg::param(job.repo_id)})
                                      .text(0, 0);
            });
        } catch (const std::exception &) {
            // counts are informative; the outcome is recorded without them
        }
    }
    return out;
}

}  // namespace aveloxis::pipeline
