// Facade git code against the git CLI: repositories are built with git at test time, mirrored
// with sync_bare_mirror, and walk_history must report what `git log --numstat --no-renames`
// prints for them.

#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "facade/facade_error.hpp"
#include "facade/git_history.hpp"
#include "facade/git_library.hpp"
#include "facade/git_repo.hpp"

namespace fs = std::filesystem;
using aveloxis::facade::CommitInfo;
using aveloxis::facade::FacadeError;
using aveloxis::facade::FacadeInterrupted;
using aveloxis::facade::FileChange;
using aveloxis::facade::resolve_branch;
using aveloxis::facade::sync_bare_mirror;
using aveloxis::facade::SyncOptions;
using aveloxis::facade::SyncResult;
using aveloxis::facade::walk_history;

namespace {

std::string sh_quote(const std::string &s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// Runs a shell command and returns its stdout; throws (failing the test) on a non-zero exit.
std::string run(const std::string &command) {
    FILE *pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) throw std::runtime_error("popen failed: " + command);
    std::string out;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
    if (pclose(pipe) != 0) throw std::runtime_error("command failed: " + command);
    return out;
}

// git with neither the user's nor the system's configuration.
std::string git(const std::string &dir, const std::string &args) {
    return run("env GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null git -C " + sh_quote(dir) +
               " " + args);
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

class TempDir {
  public:
    TempDir() {
        char pattern[] = "/tmp/aveloxis_facade_XXXXXX";
        if (mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    std::string operator/(const std::string &name) const { return (path_ / name).string(); }

  private:
    fs::path path_;
};

// make_test_repo.sh sits next to this source (when run from the repository root) and next to
// run_unit (when `make unit` built it).
std::string script_path() {
    const fs::path by_source = fs::path(__FILE__).parent_path() / "make_test_repo.sh";
    if (fs::exists(by_source)) return fs::absolute(by_source).string();
    const fs::path by_binary =
        fs::read_symlink("/proc/self/exe").parent_path() / "make_test_repo.sh";
    if (fs::exists(by_binary)) return by_binary.string();
    throw std::runtime_error("make_test_repo.sh not found; run the tests from the repo root");
}

void make_repo(const std::string &kind, const std::string &dir, const std::string &extra = "") {
    run("sh " + sh_quote(script_path()) + " " + kind + " " + sh_quote(dir) + " " + extra);
}

SyncResult sync(const std::string &url, const std::string &dest,
                std::function<bool()> should_abort = nullptr, int timeout_seconds = 60,
                int64_t max_bytes = 0) {
    SyncOptions options;
    options.clone_url = url;
    options.dest_dir = dest;
    options.timeout_seconds = timeout_seconds;
    options.max_bytes = max_bytes;
    options.should_abort = std::move(should_abort);
    return sync_bare_mirror(options);
}

std::map<std::string, CommitInfo> walk(const std::string &repo, const std::string &branch,
                                       const std::unordered_set<std::string> *skip = nullptr) {
    std::map<std::string, CommitInfo> commits;
    walk_history(
        repo, branch,
        [&](CommitInfo &&commit) {
            const std::string hash = commit.hash;
            EXPECT_TRUE(commits.emplace(hash, std::move(commit)).second) << "twice: " << hash;
        },
        nullptr, skip);
    return commits;
}

std::vector<std::string> split(const std::string &s, char sep) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t pos; (pos = s.find(sep, start)) != std::string::npos; start = pos + 1)
        parts.push_back(s.substr(start, pos - start));
    parts.push_back(s.substr(start));
    return parts;
}

// "+0530" at the end of git's %ai / %ci.
int offset_minutes(const std::string &iso_date) {
    const std::string tz = iso_date.substr(iso_date.size() - 5);
    const int minutes = std::stoi(tz.substr(1, 2)) * 60 + std::stoi(tz.substr(3, 2));
    return tz[0] == '-' ? -minutes : minutes;
}

std::optional<int64_t> numstat_count(const std::string &field) {
    if (field == "-") return std::nullopt;
    return std::stoll(field);
}

// The commits `git log --numstat --no-renames <branch>` prints, parsed.
std::map<std::string, CommitInfo> git_log(const std::string &repo, const std::string &branch) {
    const std::string out = git(
        repo,
        "-c core.quotepath=off log --no-mailmap --encoding=none --numstat --no-renames "
        "--format=%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%at%x1f%ai%x1f%cn%x1f%ce%x1f%ct%x1f%ci%x1f%B%x1d " +
            sh_quote(branch) + " --");
    std::map<std::string, CommitInfo> commits;
    for (const std::string &record : split(out, '\x1e')) {
        if (record.empty()) continue;
        const size_t end = record.find('\x1d');
        const std::vector<std::string> f = split(record.substr(0, end), '\x1f');
        if (end == std::string::npos || f.size() != 11)
            throw std::runtime_error("unparsable git log record: " + record);
        CommitInfo c;
        c.hash = f[0];
        if (!f[1].empty()) c.parents = split(f[1], ' ');
        c.author_name = f[2];
        c.author_email = f[3];
        c.author_time = std::stoll(f[4]);
        c.author_offset_minutes = offset_minutes(f[5]);
        c.committer_name = f[6];
        c.committer_email = f[7];
        c.committer_time = std::stoll(f[8]);
        c.committer_offset_minutes = offset_minutes(f[9]);
        c.message = f[10];
        std::istringstream numstat(record.substr(end + 1));
        for (std::string line; std::getline(numstat, line);) {
            if (line.empty()) continue;
            const size_t tab1 = line.find('\t');
            const size_t tab2 = line.find('\t', tab1 + 1);
            if (tab1 == std::string::npos || tab2 == std::string::npos)
                throw std::runtime_error("unparsable numstat line: " + line);
            c.files.push_back({line.substr(tab2 + 1), numstat_count(line.substr(0, tab1)),
                               numstat_count(line.substr(tab1 + 1, tab2 - tab1 - 1))});
        }
        commits.emplace(c.hash, std::move(c));
    }
    return commits;
}

std::string count_text(const std::optional<int64_t> &n) {
    return n ? std::to_string(*n) : "-";
}

std::string describe(const CommitInfo &c) {
    std::ostringstream s;
    s << c.hash << " parents";
    for (const auto &p : c.parents) s << ' ' << p;
    s << "\n author " << c.author_name << " <" << c.author_email << "> " << c.author_time << ' '
      << c.author_offset_minutes << "\n committer " << c.committer_name << " <" << c.committer_email
      << "> " << c.committer_time << ' ' << c.committer_offset_minutes << "\n message ["
      << c.message << "]\n";
    for (const auto &f : c.files)
        s << ' ' << count_text(f.added) << '\t' << count_text(f.removed) << '\t' << f.path << '\n';
    return s.str();
}

// Every difference between the walk and git log is a test failure (the first 10 in detail).
void expect_same_as_git_log(const std::string &repo, const std::string &branch) {
    const auto expected = git_log(repo, branch);
    const auto actual = walk(repo, branch);
    EXPECT_EQ(expected.size(), actual.size());
    int differences = 0;
    for (const auto &[hash, want] : expected) {
        const auto it = actual.find(hash);
        const std::string got = it == actual.end() ? "(not reported)" : describe(it->second);
        if (got == describe(want)) continue;
        if (++differences <= 10)
            ADD_FAILURE() << "commit " << hash << "\ngit log:\n"
                          << describe(want) << "walk:\n"
                          << got;
    }
    EXPECT_EQ(differences, 0) << "commits that differ from git log in " << repo;
}

const CommitInfo &by_subject(const std::map<std::string, CommitInfo> &commits,
                             const std::string &subject) {
    for (const auto &entry : commits)
        if (entry.second.message.rfind(subject, 0) == 0) return entry.second;
    throw std::runtime_error("no commit with subject " + subject);
}

const FileChange &file_named(const CommitInfo &commit, const std::string &path) {
    for (const auto &f : commit.files)
        if (f.path == path) return f;
    throw std::runtime_error("no file " + path + " in " + commit.hash);
}

bool is_shallow(const std::string &repo) {
    return trim(git(repo, "rev-parse --is-shallow-repository")) == "true";
}

// One fixture mirror for the tests that only read it.
class FacadeFixture : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        make_repo("fixture", source());
        first_sync_ = new SyncResult(sync(source(), bare()));
    }
    static void TearDownTestSuite() {
        delete first_sync_;
        delete dir_;
    }
    static std::string source() { return *dir_ / "source"; }
    static std::string bare() { return *dir_ / "mirror.git"; }

    static TempDir *dir_;
    static SyncResult *first_sync_;
};
TempDir *FacadeFixture::dir_ = nullptr;
SyncResult *FacadeFixture::first_sync_ = nullptr;

TEST_F(FacadeFixture, FirstSyncClonesAndLearnsANonMasterDefaultBranch) {
    EXPECT_TRUE(first_sync_->cloned);
    EXPECT_EQ(first_sync_->default_branch, "trunk");
    EXPECT_EQ(trim(git(bare(), "symbolic-ref HEAD")), "refs/heads/trunk");
    EXPECT_EQ(trim(git(bare(), "rev-parse --is-bare-repository")), "true");
    EXPECT_EQ(git(bare(), "for-each-ref --format='%(refname)'"),
              "refs/heads/side\nrefs/heads/trunk\nrefs/tags/v1.0\nrefs/tags/v2.0\n");
    EXPECT_EQ(git(bare(), "config --get-all remote.origin.fetch"),
              "+refs/heads/*:refs/heads/*\n+refs/tags/*:refs/tags/*\n");
    EXPECT_EQ(trim(git(bare(), "rev-parse trunk")), trim(git(source(), "rev-parse trunk")));
}

TEST_F(FacadeFixture, WalkMatchesGitLog) {
    expect_same_as_git_log(bare(), "trunk");
    expect_same_as_git_log(bare(), "side");
}

// git log agreeing is only meaningful if the fixture has the cases: check that it does.
TEST_F(FacadeFixture, WalkCoversTheNumstatCases) {
    const auto commits = walk(bare(), "trunk");
    const auto absent = std::optional<int64_t>();

    const CommitInfo &root = by_subject(commits, "Root commit");
    EXPECT_TRUE(root.parents.empty());
    std::vector<std::string> root_paths;
    for (const auto &f : root.files) root_paths.push_back(f.path);
    EXPECT_EQ(root_paths, (std::vector<std::string>{"README.md", "docs/a.txt", "empty.txt",
                                                    "src-old", "src.txt", "src/main.c"}));
    EXPECT_EQ(file_named(root, "empty.txt").added, 0);

    const CommitInfo &edits = by_subject(commits, "Binary and text edits");
    EXPECT_EQ(edits.author_name, "José Müller");
    EXPECT_EQ(edits.author_offset_minutes, 330);
    EXPECT_EQ(edits.committer_name, "Committer Bot");
    EXPECT_EQ(edits.committer_offset_minutes, -420);
    EXPECT_EQ(edits.committer_time, edits.author_time + 60);
    EXPECT_EQ(edits.message,
              "Binary and text edits\n\nA message of several lines:\n- the README changes\n"
              "- logo.bin is binary\n");
    EXPECT_EQ(file_named(edits, "README.md").added, 2);
    EXPECT_EQ(file_named(edits, "README.md").removed, 1);
    EXPECT_EQ(file_named(edits, "logo.bin").added, absent);

    const CommitInfo &nul = by_subject(commits, "NUL bytes near");
    EXPECT_EQ(file_named(nul, "nul_at_7999.txt").added, absent);
    EXPECT_EQ(file_named(nul, "nul_at_8000.txt").added, 100);
    EXPECT_EQ(file_named(nul, "late_nul.txt").added, 101);
    EXPECT_EQ(file_named(nul, "logo.bin").removed, absent);

    EXPECT_TRUE(by_subject(commits, "An empty commit").files.empty());
    EXPECT_EQ(by_subject(commits, "Merge branch side").parents.size(), 2u);
    EXPECT_TRUE(by_subject(commits, "Merge branch side").files.empty());
    EXPECT_EQ(by_subject(commits, "Octopus merge").parents.size(), 3u);
    EXPECT_TRUE(by_subject(commits, "Octopus merge").files.empty());

    const CommitInfo &rename = by_subject(commits, "Rename docs/a.txt");
    ASSERT_EQ(rename.files.size(), 2u);
    EXPECT_EQ(file_named(rename, "docs/a.txt").removed, 3);
    EXPECT_EQ(file_named(rename, "docs/b.txt").added, 3);

    const FileChange &chmod =
        file_named(by_subject(commits, "Make main.c executable"), "src/main.c");
    EXPECT_EQ(chmod.added, 0);
    EXPECT_EQ(chmod.removed, 0);
    EXPECT_EQ(file_named(by_subject(commits, "Delete two files"), "side.txt").removed, 1);
    EXPECT_EQ(file_named(by_subject(commits, "Non-ASCII"), "données/résumé ü.txt").added, 1);

    const CommitInfo &types = by_subject(commits, "Symlinks and a type change");
    EXPECT_EQ(types.files.size(), 3u);  // docs/b.txt once, not as a deletion plus an addition
    EXPECT_EQ(file_named(types, "docs/b.txt").removed, 3);
    EXPECT_EQ(file_named(types, "link").added, 1);
    EXPECT_EQ(file_named(by_subject(commits, "File replaced"), "logo.bin").added, absent);
    EXPECT_EQ(file_named(by_subject(commits, "Binary to text"), "logo.bin").added, absent);

    const CommitInfo &verbatim = by_subject(commits, "\n\nLeading blank lines");
    EXPECT_EQ(verbatim.message, "\n\nLeading blank lines and trailing spaces   \nkept verbatim\n");
    const CommitInfo &crafted = by_subject(commits, "Hand-made idents");
    EXPECT_EQ(crafted.author_name, "Xavier L.");
    EXPECT_EQ(crafted.author_offset_minutes, -180);
    EXPECT_EQ(crafted.committer_name, " Spaced Out..");
    EXPECT_EQ(crafted.committer_time, 1700000100);
    EXPECT_EQ(crafted.committer_offset_minutes, 840);
    EXPECT_EQ(file_named(by_subject(commits, "Add a submodule"), "vendor/lib").added, 1);
    EXPECT_EQ(file_named(by_subject(commits, "Move the submodule"), "vendor/lib").removed, 1);
}

TEST_F(FacadeFixture, ResolveBranchPrefersAnExistingBranchElseHead) {
    EXPECT_EQ(resolve_branch(bare(), "side"), "side");
    EXPECT_EQ(resolve_branch(bare(), "master"), "trunk");
    EXPECT_EQ(resolve_branch(bare(), ""), "trunk");
    EXPECT_EQ(resolve_branch(bare(), "not a valid ref name.."), "trunk");
}

TEST_F(FacadeFixture, SkippedCommitsAreNotReportedButTheirAncestorsAre) {
    const auto all = walk(bare(), "trunk");
    std::unordered_set<std::string> skip;
    for (const auto &entry : all)
        if (skip.size() < all.size() / 2) skip.insert(entry.first);
    const auto rest = walk(bare(), "trunk", &skip);
    EXPECT_EQ(rest.size(), all.size() - skip.size());
    for (const auto &[hash, commit] : rest) {
        EXPECT_EQ(skip.count(hash), 0u);
        EXPECT_EQ(describe(commit), describe(all.at(hash)));
    }
}

TEST_F(FacadeFixture, AbortStopsAWalk) {
    int polls = 0;
    int reported = 0;
    try {
        walk_history(
            bare(), "trunk", [&](CommitInfo &&) { ++reported; }, [&] { return ++polls > 3; },
            nullptr);
        FAIL() << "walk was not interrupted";
    } catch (const FacadeInterrupted &e) {
        EXPECT_STREQ(e.what(), "interrupted");
    }
    EXPECT_LT(reported, 3);
}

TEST_F(FacadeFixture, ExceptionsFromOnCommitPropagate) {
    EXPECT_THROW(walk_history(
                     bare(), "trunk", [](CommitInfo &&) { throw std::logic_error("stop"); },
                     nullptr, nullptr),
                 std::logic_error);
}

TEST_F(FacadeFixture, WalkErrors) {
    EXPECT_THROW(walk(bare(), "no-such-branch"), FacadeError);
    EXPECT_THROW(walk(*dir_ / "does-not-exist", "trunk"), FacadeError);
    EXPECT_THROW(resolve_branch(*dir_ / "does-not-exist", "trunk"), FacadeError);
}

TEST(FacadeSync, SecondSyncFetchesNewCommitsPrunesAndFollowsHead) {
    TempDir dir;
    const std::string source = dir / "source";
    const std::string bare = dir / "mirror.git";
    make_repo("fixture", source);
    ASSERT_TRUE(sync(source, bare).cloned);

    run("printf 'new\\n' >" + sh_quote(source + "/new.txt"));
    git(source, "add new.txt");
    git(source, "-c user.name=Late -c user.email=late@example.com commit -q -m 'Later commit'");
    git(source, "branch -D side -q");
    git(source, "tag v3.0");
    const std::string new_tip = trim(git(source, "rev-parse trunk"));

    const SyncResult second = sync("file://" + source, bare);
    EXPECT_FALSE(second.cloned);
    EXPECT_EQ(second.default_branch, "trunk");
    EXPECT_EQ(trim(git(bare, "rev-parse trunk")), new_tip);
    EXPECT_EQ(git(bare, "for-each-ref --format='%(refname)'"),
              "refs/heads/trunk\nrefs/tags/v1.0\nrefs/tags/v2.0\nrefs/tags/v3.0\n");
    EXPECT_EQ(trim(git(bare, "remote get-url origin")), "file://" + source);
    const auto commits = walk(bare, "trunk");
    ASSERT_EQ(commits.count(new_tip), 1u);
    EXPECT_EQ(commits.at(new_tip).files.size(), 1u);
    expect_same_as_git_log(bare, "trunk");

    // The remote's HEAD moves to another branch: the mirror's HEAD follows.
    git(source, "branch -q -m trunk main");
    const SyncResult third = sync(source, bare);
    EXPECT_EQ(third.default_branch, "main");
    EXPECT_EQ(trim(git(bare, "symbolic-ref HEAD")), "refs/heads/main");
    EXPECT_EQ(resolve_branch(bare, "trunk"), "main");
}

TEST(FacadeSync, EmptySourceRepository) {
    TempDir dir;
    git(dir / "", "init -q --bare empty.git");
    const SyncResult result = sync(dir / "empty.git", dir / "mirror.git");
    EXPECT_TRUE(result.cloned);
    EXPECT_EQ(result.default_branch, "");
    EXPECT_THROW(resolve_branch(dir / "mirror.git", "main"), FacadeError);
}

TEST(FacadeSync, BadSourcesFailWithTheUrl) {
    TempDir dir;
    try {
        sync(dir / "no-such-repo", dir / "a.git");
        FAIL() << "no error";
    } catch (const FacadeError &e) {
        EXPECT_NE(std::string(e.what()).find(dir / "no-such-repo"), std::string::npos) << e.what();
    }
    try {
        sync("https://someone:s3cret@127.0.0.1:1/x/y.git", dir / "b.git");
        FAIL() << "no error";
    } catch (const FacadeError &e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("https://***@127.0.0.1:1/x/y.git"), std::string::npos) << message;
        EXPECT_EQ(message.find("s3cret"), std::string::npos) << message;
    }
    EXPECT_THROW(sync("", dir / "c.git"), FacadeError);
}

TEST(FacadeSync, DestinationThatIsNotABareRepositoryIsLeftAlone) {
    TempDir dir;
    const std::string source = dir / "source";
    make_repo("bulk", source, "1");
    const std::string occupied = dir / "occupied";
    fs::create_directories(occupied);
    run("printf 'keep me\\n' >" + sh_quote(occupied + "/file.txt"));
    try {
        sync(source, occupied);
        FAIL() << "no error";
    } catch (const FacadeError &e) {
        EXPECT_NE(std::string(e.what()).find("not a git repository"), std::string::npos)
            << e.what();
    }
    EXPECT_EQ(run("cat " + sh_quote(occupied + "/file.txt")), "keep me\n");
    EXPECT_EQ(std::distance(fs::directory_iterator(occupied), fs::directory_iterator()), 1);

    EXPECT_THROW(sync(source, source), FacadeError);  // a repository with a work tree

    // An empty directory is fine: it is where the mirror goes.
    fs::create_directories(dir / "empty");
    EXPECT_TRUE(sync(source, dir / "empty").cloned);
}

TEST(FacadeSync, AbortCallbackInterruptsAFetch) {
    TempDir dir;
    const std::string source = dir / "source";
    make_repo("bulk", source, "300");
    int polls = 0;
    try {
        sync(source, dir / "mirror.git", [&] { return ++polls > 2; });
        FAIL() << "no error";
    } catch (const FacadeInterrupted &e) {
        EXPECT_STREQ(e.what(), "interrupted");
    }
    EXPECT_EQ(polls, 3);  // stopped at the first true, from inside a libgit2 callback

    // An exception from should_abort is not thrown through libgit2 but after it returns.
    polls = 0;
    EXPECT_THROW(sync(source, dir / "mirror.git",
                      [&]() -> bool {
                          if (++polls > 2) throw std::logic_error("from should_abort");
                          return false;
                      }),
                 std::logic_error);

    // The interrupted mirror recovers on the next sync, which counts as its first clone.
    const SyncResult result = sync(source, dir / "mirror.git");
    EXPECT_TRUE(result.cloned);
    EXPECT_EQ(result.default_branch, "main");
    EXPECT_EQ(trim(git(dir / "mirror.git", "rev-parse main")), trim(git(source, "rev-parse main")));
}

TEST(FacadeSync, WallClockLimit) {
    TempDir dir;
    const std::string source = dir / "source";
    make_repo("bulk", source, "300");
    const auto start = std::chrono::steady_clock::now();
    try {
        sync(
            source, dir / "mirror.git",
            [] {
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
                return false;
            },
            /*timeout_seconds=*/1);
        FAIL() << "no error";
    } catch (const FacadeError &e) {
        EXPECT_NE(std::string(e.what()).find("timed out after 1 s"), std::string::npos) << e.what();
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(FacadeSync, TransferSizeLimit) {
    TempDir dir;
    const std::string source = dir / "source";
    make_repo("bulk", source, "300");
    try {
        sync(source, dir / "mirror.git", nullptr, 60, /*max_bytes=*/100000);
        FAIL() << "no error";
    } catch (const FacadeError &e) {
        EXPECT_NE(std::string(e.what()).find("exceeded the limit of 100000 bytes"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_TRUE(sync(source, dir / "mirror.git", nullptr, 60, 10000000).cloned);
}

// The server runs as postgres; libgit2 would refuse repositories another user owns.
TEST(FacadeLibrary, RepositoriesOwnedByAnotherUserCanBeRead) {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to give a repository to another user";
    TempDir dir;
    const std::string source = dir / "source";
    make_repo("bulk", source, "2");
    run("chown -R 65534 " + sh_quote(source));
    EXPECT_EQ(walk(source, "main").size(), 1u);
    const std::string bare = dir / "mirror.git";
    ASSERT_EQ(sync(source, bare).default_branch, "main");
    run("chown -R 65534 " + sh_quote(bare));
    EXPECT_FALSE(sync(source, bare).cloned);
    EXPECT_EQ(resolve_branch(bare, ""), "main");
}

// The project's own history, mirrored the way the facade would.
TEST(FacadeRealRepos, ThisRepository) {
    const std::string self =
        trim(git(fs::path(script_path()).parent_path().string(), "rev-parse --show-toplevel"));
    if (is_shallow(self)) GTEST_SKIP() << self << " is shallow; libgit2 1.5 cannot fetch it";
    TempDir dir;
    const std::string copy = dir / "copy.git";
    git(dir / "", "clone -q --bare " + sh_quote(self) + " " + sh_quote(copy));
    const SyncResult result = sync("file://" + copy, dir / "mirror.git");
    ASSERT_FALSE(result.default_branch.empty());
    expect_same_as_git_log(dir / "mirror.git", result.default_branch);
}

// Bigger histories found on this machine: AVELOXIS_FACADE_EXTRA_REPOS (paths separated by ':'),
// else the repositories under /work/.mirror with at most 5000 commits.
TEST(FacadeRealRepos, OtherRepositoriesOnThisMachine) {
    std::vector<std::string> repos;
    if (const char *listed = std::getenv("AVELOXIS_FACADE_EXTRA_REPOS")) {
        for (const std::string &path : split(listed, ':'))
            if (!path.empty()) repos.push_back(path);
    } else {
        std::error_code ec;
        for (const auto &entry : fs::directory_iterator("/work/.mirror", ec)) {
            const std::string repo = (entry.path() / "repo").string();
            if (!fs::exists(repo + "/HEAD") || is_shallow(repo)) continue;
            if (std::stol(git(repo, "rev-list --count --all")) <= 5000) repos.push_back(repo);
        }
    }
    if (repos.empty()) GTEST_SKIP() << "no other git repository found";
    for (const std::string &repo : repos) {
        SCOPED_TRACE(repo);
        TempDir dir;
        const SyncResult result = sync(repo, dir / "mirror.git", nullptr, 600);
        ASSERT_FALSE(result.default_branch.empty());
        expect_same_as_git_log(dir / "mirror.git", result.default_branch);
    }
}

}  // namespace
