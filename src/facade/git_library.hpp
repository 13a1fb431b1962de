#pragma once

// Process-wide libgit2 setup. Deliberately free of libgit2 headers so that PostgreSQL-side
// code can call it without mixing the two header sets.

namespace aveloxis::facade {

// Initialises libgit2 once per process (thread-safe, idempotent). Every facade entry point
// calls it, so calling it explicitly (e.g. from _PG_init) is optional. Throws FacadeError if
// libgit2 cannot be initialised; a later call retries.
void init_git_library();

}  // namespace aveloxis::facade
