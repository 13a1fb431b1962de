// aveloxis.* server settings (GUCs) and a plain C++ snapshot of them for one job.
#pragma once

#include <cstdint>
#include <string>

namespace aveloxis::pg {

struct Settings {
    std::string database;
    int workers;
    std::string github_api_url;
    std::string allowed_hosts;
    std::string git_url_rewrite;
    std::string clone_dir;
    int recollect_interval_s;
    int retry_interval_s;
    int incremental_margin_s;
    int stale_lock_timeout_s;
    int poll_interval_ms;
    int key_reserve;
    int http_timeout_ms;
    int http_connect_timeout_ms;
    int http_max_retries;
    int retry_base_delay_ms;
    int retry_max_delay_ms;
    int secondary_limit_wait_ms;
    int max_rate_limit_wait_s;
    int clone_timeout_s;
    int max_clone_size_mb;
    int staging_batch_pages;
    int max_pages_per_listing;
    bool facade_enabled;
};

// Registers the settings; called from _PG_init.
void define_settings();

// Copies the current values (call in a backend or worker after config is loaded).
Settings current_settings();

}  // namespace aveloxis::pg
