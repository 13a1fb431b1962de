// The launcher background worker: keeps aveloxis.workers collectors running in one database
// and returns the jobs of dead holders to the queue. Owns nothing but lifecycle.
#pragma once

namespace aveloxis::scheduler {

// Registers the static launcher; from _PG_init while preloading.
void register_static_launcher();

// Starts a launcher for the current database (aveloxis.start_workers()); returns its PID,
// or the PID of the launcher already running there.
int start_launcher_for_current_database();

}  // namespace aveloxis::scheduler
