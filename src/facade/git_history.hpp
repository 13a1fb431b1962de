#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace aveloxis::facade {

// One line of `git log --numstat --no-renames`.
struct FileChange {
    std::string path;
    // Lines added / removed; nullopt when git would print "-" (binary on either side).
    std::optional<int64_t> added, removed;
};

struct CommitInfo {
    std::string hash;
    std::vector<std::string> parents;
    std::string author_name, author_email, committer_name, committer_email;
    int64_t author_time = 0;  // seconds since the epoch
    int author_offset_minutes = 0;
    int64_t committer_time = 0;
    int committer_offset_minutes = 0;
    std::string message;  // raw, as `git log --format=%B` prints it
    // Empty for merges and for commits git shows no files for (e.g. empty commits).
    std::vector<FileChange> files;
};

// `preferred_branch` if refs/heads/<it> exists in the repository at repo_dir, else the
// branch HEAD points to if that exists. Throws FacadeError if neither does.
std::string resolve_branch(const std::string &repo_dir, const std::string &preferred_branch);

// Calls on_commit once for every commit reachable from refs/heads/<branch>, parents before
// children (reverse topological order), with what `git log --numstat --no-renames <branch>`
// shows for it. Commits whose hash is in *skip (may be null) are neither diffed nor reported.
// Only the commit graph and the current commit are held in memory.
// should_abort is polled per commit and per file; true ends the walk with FacadeInterrupted.
// Exceptions from on_commit propagate unchanged.
void walk_history(const std::string &repo_dir, const std::string &branch,
                  const std::function<void(CommitInfo &&)> &on_commit,
                  const std::function<bool()> &should_abort,
                  const std::unordered_set<std::string> *skip);

}  // namespace aveloxis::facade
