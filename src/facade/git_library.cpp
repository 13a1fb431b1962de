#include "facade/git_library.hpp"

#include <mutex>

#include "facade/git_util.hpp"

namespace aveloxis::facade {

void init_git_library() {
    static std::once_flag once;
    // call_once does not mark the flag done when the callable throws, so a failed
    // initialisation is retried on the next call.
    std::call_once(once, [] {
        if (git_libgit2_init() < 0) throw_git_error("initialising libgit2");
        // libgit2 refuses repositories whose owner differs from the current user (git's
        // safe.directory rule). The server runs as postgres and only opens the bare clones it
        // created in its own directory, or local sources a superuser configured; the check
        // would only reject those (e.g. a root-owned checkout used as a source), and there is
        // no per-process git config in which to list safe directories.
        if (git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0) < 0)
            throw_git_error("disabling libgit2 owner validation");
    });
}

}  // namespace aveloxis::facade
