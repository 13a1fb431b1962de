// bench/facade_walk: walks a repository's default branch with the facade code and prints the
// number of commits and file rows, the wall time and the peak RSS, for run_bench.sh to compare
// with `git log --numstat --no-renames` on the same repository.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "facade/git_history.hpp"
#include "facade/git_library.hpp"

int main(int argc, char **argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s BARE_REPO\n", argv[0]);
        return 2;
    }
    const std::string repo = argv[1];
    aveloxis::facade::init_git_library();
    const std::string branch = aveloxis::facade::resolve_branch(repo, "");
    long commits = 0, rows = 0;
    auto start = std::chrono::steady_clock::now();
    aveloxis::facade::walk_history(
        repo, branch,
        [&](aveloxis::facade::CommitInfo &&c) {
            commits++;
            rows += c.files.empty() ? 1 : static_cast<long>(c.files.size());
        },
        [] { return false; }, nullptr);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    std::printf("commits=%ld rows=%ld seconds=%.3f max_rss_kb=%ld\n", commits, rows, secs,
                ru.ru_maxrss);
    return 0;
}
