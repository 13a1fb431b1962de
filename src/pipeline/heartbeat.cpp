#include "pipeline/heartbeat.hpp"

#include "http/environment.hpp"
#include "pg/spi.hpp"

namespace aveloxis::pipeline {

void refresh_heartbeat(int64_t repo_id) {
    auto r = pg::exec("SELECT aveloxis_ops.heartbeat($1::bigint)", {pg::param(repo_id)});
    if (r.empty() || !r.at(0, 0)) {
        throw http::Interrupted("this worker no longer holds the job (recovered by another)");
    }
}

}  // namespace aveloxis::pipeline
