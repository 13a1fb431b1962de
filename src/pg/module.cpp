// Library entry: the magic block, settings, and the launcher when preloaded.
#include "pg/postgres.hpp"
#include "pg/settings.hpp"
#include "scheduler/launcher.hpp"

extern "C" {
PG_MODULE_MAGIC;
PGDLLEXPORT void _PG_init(void);
}

void _PG_init(void) {
    aveloxis::pg::define_settings();
    if (process_shared_preload_libraries_in_progress)
        aveloxis::scheduler::register_static_launcher();
}
