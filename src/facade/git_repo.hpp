#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace aveloxis::facade {

struct SyncOptions {
    // Already rewritten and checked by the caller: an https URL, a local path or file:// URL.
    std::string clone_url;
    // Path of the bare mirror; created (with missing parents) when absent or an empty directory.
    std::string dest_dir;
    // Wall-clock bound of the whole clone/fetch; <= 0 means no bound.
    int timeout_seconds = 0;
    // Bound on the pack data received; <= 0 means no bound.
    int64_t max_bytes = 0;
    // Polled during the transfer; returning true ends it with FacadeInterrupted.
    std::function<bool()> should_abort;
};

struct SyncResult {
    // True when the mirror held no refs before this sync (first clone, or an earlier first
    // clone that failed); false when an existing mirror was updated.
    bool cloned = false;
    // Branch the remote's HEAD names, e.g. "main"; empty if the remote does not say (empty
    // repository). The mirror's HEAD is pointed at it.
    std::string default_branch;
};

// Creates or updates a bare mirror of clone_url in dest_dir: remote "origin" fetching
// +refs/heads/*:refs/heads/* and +refs/tags/*:refs/tags/*, pruning refs the remote no longer
// has. Throws FacadeError (with libgit2's message and what was being done), FacadeInterrupted
// when should_abort returned true. A dest_dir that exists and is neither empty nor a bare
// repository is an error and is left untouched.
//
// The limits are checked whenever libgit2 reports progress; libgit2 1.5 has no socket
// timeout, so a server that accepts the connection and then sends nothing at all is not cut
// off until it sends something.
SyncResult sync_bare_mirror(const SyncOptions &options);

}  // namespace aveloxis::facade
