// The job's heartbeat on its queue row.
#pragma once

#include <cstdint>

namespace aveloxis::pipeline {

// Refreshes the heartbeat in the current transaction. Throws http::Interrupted when this
// backend no longer holds the job (it was recovered by another worker): going on would
// collect the repository twice.
void refresh_heartbeat(int64_t repo_id);

}  // namespace aveloxis::pipeline
