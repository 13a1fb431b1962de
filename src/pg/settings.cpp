#include "pg/settings.hpp"

#include "pg/postgres.hpp"

namespace aveloxis::pg {

namespace {

char *database_guc;
int workers_guc;
char *github_api_url_guc;
char *allowed_hosts_guc;
char *git_url_rewrite_guc;
char *clone_dir_guc;
int recollect_interval_guc;
int retry_interval_guc;
int incremental_margin_guc;
int stale_lock_timeout_guc;
int poll_interval_guc;
int key_reserve_guc;
int http_timeout_guc;
int http_connect_timeout_guc;
int http_max_retries_guc;
int retry_base_delay_guc;
int retry_max_delay_guc;
int secondary_limit_wait_guc;
int max_rate_limit_wait_guc;
int clone_timeout_guc;
int max_clone_size_guc;
int staging_batch_guc;
int max_pages_guc;
bool facade_enabled_guc;

void define_string(const char *name, const char *desc, char **var, const char *def,
                   GucContext context) {
    DefineCustomStringVariable(name, desc, nullptr, var, def, context, 0, nullptr, nullptr,
                               nullptr);
}

void define_int(const char *name, const char *desc, int *var, int def, int min, int max,
                GucContext context, int flags) {
    DefineCustomIntVariable(name, desc, nullptr, var, def, min, max, context, flags, nullptr,
                            nullptr, nullptr);
}

std::string str(const char *s) {
    return s ? s : "";
}

}  // namespace

void define_settings() {
    // Workers: read by the launcher; changes apply on reload (SIGHUP).
    define_string("aveloxis.database", "Database the background workers collect into.",
                  &database_guc, "postgres", PGC_SIGHUP);
    define_int("aveloxis.workers", "Number of collector background workers.", &workers_guc, 2, 0,
               64, PGC_SIGHUP, 0);
    define_int("aveloxis.poll_interval", "How often an idle collector looks for due work.",
               &poll_interval_guc, 2000, 50, 600000, PGC_SIGHUP, GUC_UNIT_MS);

    // Where requests go. Only superusers may change these: URLs set here are trusted.
    define_string("aveloxis.github_api_url", "Base URL of the GitHub REST API.",
                  &github_api_url_guc, "https://api.github.com", PGC_SUSET);
    define_string("aveloxis.allowed_hosts",
                  "Hosts (comma separated; subdomains included; host:port exact) that "
                  "repository, API and clone URLs may name.",
                  &allowed_hosts_guc, "github.com,gitlab.com", PGC_SUSET);
    define_string("aveloxis.git_url_rewrite",
                  "Clone URL prefix rewrites, 'prefix=replacement,...', like git's "
                  "url.<base>.insteadOf (longest prefix wins).",
                  &git_url_rewrite_guc, "", PGC_SUSET);
    define_string("aveloxis.clone_dir",
                  "Directory of the bare clones (default: aveloxis_clones in the data "
                  "directory).",
                  &clone_dir_guc, "", PGC_SUSET);

    // Scheduling.
    define_int("aveloxis.recollect_interval", "Time from a successful collection to the next.",
               &recollect_interval_guc, 86400, 1, INT_MAX, PGC_SUSET, GUC_UNIT_S);
    define_int("aveloxis.retry_interval", "Time from a failed collection to the next attempt.",
               &retry_interval_guc, 3600, 1, INT_MAX, PGC_SUSET, GUC_UNIT_S);
    define_int("aveloxis.incremental_margin",
               "Safety margin subtracted from the last collection time for incremental "
               "requests (since=).",
               &incremental_margin_guc, 3600, 0, INT_MAX, PGC_SUSET, GUC_UNIT_S);
    define_int("aveloxis.stale_lock_timeout",
               "A job whose heartbeat is older than this returns to the queue (jobs whose "
               "holder died return at once).",
               &stale_lock_timeout_guc, 7200, 10, INT_MAX, PGC_SUSET, GUC_UNIT_S);
    define_int("aveloxis.staging_batch_pages", "Staged pages processed per transaction.",
               &staging_batch_guc, 20, 1, 10000, PGC_SUSET, 0);

    define_int("aveloxis.max_pages_per_listing",
               "Pages read from one API listing at most in one run.", &max_pages_guc, 20000, 1,
               INT_MAX, PGC_SUSET, 0);

    // HTTP behaviour; every wait has a setting so tests can shorten it.
    define_int("aveloxis.key_reserve", "Requests left unused on every API key, for its owner.",
               &key_reserve_guc, 50, 0, 100000, PGC_SUSET, 0);
    define_int("aveloxis.http_timeout", "Longest time one HTTP request may take.",
               &http_timeout_guc, 60000, 100, INT_MAX, PGC_SUSET, GUC_UNIT_MS);
    define_int("aveloxis.http_connect_timeout", "Longest time to connect to an API host.",
               &http_connect_timeout_guc, 10000, 100, INT_MAX, PGC_SUSET, GUC_UNIT_MS);
    define_int("aveloxis.http_max_retries",
               "Retries of a request after a 5xx answer, a timeout or a network error.",
               &http_max_retries_guc, 5, 0, 100, PGC_SUSET, 0);
    define_int("aveloxis.retry_base_delay", "First backoff delay; doubles on each retry.",
               &retry_base_delay_guc, 1000, 0, INT_MAX, PGC_SUSET, GUC_UNIT_MS);
    define_int("aveloxis.retry_max_delay", "Longest backoff delay.", &retry_max_delay_guc, 60000, 0,
               INT_MAX, PGC_SUSET, GUC_UNIT_MS);
    define_int("aveloxis.secondary_limit_wait",
               "Wait after a secondary rate limit answer without retry-after.",
               &secondary_limit_wait_guc, 60000, 0, INT_MAX, PGC_SUSET, GUC_UNIT_MS);
    define_int("aveloxis.max_rate_limit_wait",
               "Longest wait for a rate-limit reset before the job fails.",
               &max_rate_limit_wait_guc, 3900, 0, INT_MAX, PGC_SUSET, GUC_UNIT_S);

    // Facade (git).
    DefineCustomBoolVariable("aveloxis.facade_enabled",
                             "Collect git history (clone/fetch and commits).", nullptr,
                             &facade_enabled_guc, true, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    define_int("aveloxis.clone_timeout", "Longest time a clone or fetch may take.",
               &clone_timeout_guc, 3600, 1, INT_MAX, PGC_SUSET, GUC_UNIT_S);
    define_int("aveloxis.max_clone_size", "Largest amount of data a clone or fetch may receive.",
               &max_clone_size_guc, 20480, 1, INT_MAX, PGC_SUSET, GUC_UNIT_MB);

    MarkGUCPrefixReserved("aveloxis");
}

Settings current_settings() {
    Settings s;
    s.database = str(database_guc);
    s.workers = workers_guc;
    s.github_api_url = str(github_api_url_guc);
    s.allowed_hosts = str(allowed_hosts_guc);
    s.git_url_rewrite = str(git_url_rewrite_guc);
    s.clone_dir = str(clone_dir_guc);
    if (s.clone_dir.empty()) s.clone_dir = std::string(DataDir) + "/aveloxis_clones";
    s.recollect_interval_s = recollect_interval_guc;
    s.retry_interval_s = retry_interval_guc;
    s.incremental_margin_s = incremental_margin_guc;
    s.stale_lock_timeout_s = stale_lock_timeout_guc;
    s.poll_interval_ms = poll_interval_guc;
    s.key_reserve = key_reserve_guc;
    s.http_timeout_ms = http_timeout_guc;
    s.http_connect_timeout_ms = http_connect_timeout_guc;
    s.http_max_retries = http_max_retries_guc;
    s.retry_base_delay_ms = retry_base_delay_guc;
    s.retry_max_delay_ms = retry_max_delay_guc;
    s.secondary_limit_wait_ms = secondary_limit_wait_guc;
    s.max_rate_limit_wait_s = max_rate_limit_wait_guc;
    s.clone_timeout_s = clone_timeout_guc;
    s.max_clone_size_mb = max_clone_size_guc;
    s.staging_batch_pages = staging_batch_guc;
    s.max_pages_per_listing = max_pages_guc;
    s.facade_enabled = facade_enabled_guc;
    return s;
}

}  // namespace aveloxis::pg
