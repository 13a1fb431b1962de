#include "pipeline/facade_phase.hpp"

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <unordered_set>

#include "facade/facade_error.hpp"
#include "facade/git_history.hpp"
#include "facade/git_repo.hpp"
#include "pg/spi.hpp"
#include "pipeline/heartbeat.hpp"
#include "util/json_writer.hpp"
#include "util/url.hpp"

namespace aveloxis::pipeline {

namespace {

constexpr size_t kBatchCommits = 500;
constexpr size_t kBatchFileRows = 5000;

// git's %ai: "2012-05-27 18:03:23 +0200", in the author's own offset.
std::string git_date(int64_t epoch, int offset_minutes) {
    time_t local = static_cast<time_t>(epoch + int64_t{offset_minutes} * 60);
    struct tm tm;
    gmtime_r(&local, &tm);
    char buf[64];
    int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d %c%02d%02d", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
             offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
    return buf;
}

std::string iso_utc(int64_t epoch) {
    time_t t = static_cast<time_t>(epoch);
    struct tm tm;
    gmtime_r(&t, &tm);
    char buf[32];
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string commit_json(const facade::CommitInfo &c) {
    util::JsonArrayWriter parents;
    for (const auto &p : c.parents) parents.add_string(p);
    util::JsonArrayWriter files;
    for (const auto &f : c.files) {
        util::JsonObjectWriter fw;
        fw.add_string("path", f.path).add_int_or_null("added", f.added);
        fw.add_int_or_null("removed", f.removed);
        files.add_raw(fw.str());
    }
    util::JsonObjectWriter w;
    w.add_string("hash", c.hash)
        .add_raw("parents", parents.str())
        .add_string("author_name", c.author_name)
        .add_string("author_email", c.author_email)
        .add_string("author_date", git_date(c.author_time, c.author_offset_minutes))
        .add_string("author_ts", iso_utc(c.author_time))
        .add_string("committer_name", c.committer_name)
        .add_string("committer_email", c.committer_email)
        .add_string("committer_date", git_date(c.committer_time, c.committer_offset_minutes))
        .add_string("committer_ts", iso_utc(c.committer_time))
        .add_string("message", c.message)
        .add_raw("files", files.str());
    return w.str();
}

struct RepoGitInfo {
    std::string repo_git;        // after prelim: a rename changed it
    std::string clone_url;       // from the API, may be empty
    std::string default_branch;  // from the API, may be empty
};

RepoGitInfo read_repo_git_info(pg::TxDriver &tx, int64_t repo_id) {
    RepoGitInfo info;
    pg::in_transaction(tx, [&] {
        auto r = pg::exec(
            "SELECT repo_git, coalesce(clone_url, ''), coalesce(default_branch, '') "
            "FROM aveloxis_data.repos WHERE repo_id = $1::bigint",
            {pg::param(repo_id)});
        info.repo_git = r.text(0, 0);
        info.clone_url = r.text(0, 1);
        info.default_branch = r.text(0, 2);
    });
    return info;
}

std::unordered_set<std::string> stored_commits(pg::TxDriver &tx, int64_t repo_id) {
    std::unordered_set<std::string> hashes;
    pg::in_transaction(tx, [&] {
        auto r = pg::exec(
            "SELECT cmt_hash FROM aveloxis_data.commit_messages WHERE repo_id = $1::bigint",
            {pg::param(repo_id)});
        for (size_t i = 0; i < r.rows.size(); i++) hashes.insert(r.text(i, 0));
    });
    return hashes;
}

}  // namespace

FacadeResult run_facade(pg::TxDriver &tx, const pg::Settings &settings, http::Environment &env,
                        const scheduler::ClaimedJob &job) {
    RepoGitInfo info = read_repo_git_info(tx, job.repo_id);
    std::string clone_url = info.clone_url.empty() ? info.repo_git + ".git" : info.clone_url;
    if (util::split_url(clone_url).value_or(util::UrlParts{}).scheme != "https" ||
        !util::host_allowed(clone_url, settings.allowed_hosts)) {
        throw facade::FacadeError("clone URL " + clone_url +
                                  " refused: only https URLs on aveloxis.allowed_hosts are cloned");
    }
    // The rewrite is a superuser's setting, so its targets (local mirrors) are trusted.
    std::string source = util::rewrite_url(clone_url, settings.git_url_rewrite);
    if (!source.empty() && source[0] == '/' && !std::filesystem::exists(source)) {
        throw facade::FacadeError("local mirror " + source + " (aveloxis.git_url_rewrite of " +
                                  clone_url + ") does not exist");
    }

    facade::SyncOptions sync;
    sync.clone_url = source;
    sync.dest_dir = settings.clone_dir + "/" + std::to_string(job.repo_id) + ".git";
    sync.timeout_seconds = settings.clone_timeout_s;
    sync.max_bytes = int64_t{settings.max_clone_size_mb} * 1024 * 1024;
    sync.should_abort = [&env] { return env.interrupted(); };
    facade::SyncResult synced = facade::sync_bare_mirror(sync);

    FacadeResult result;
    result.branch = facade::resolve_branch(
        sync.dest_dir, info.default_branch.empty() ? synced.default_branch : info.default_branch);
    const auto skip = stored_commits(tx, job.repo_id);

    std::string batch = "[";
    size_t batch_commits = 0, batch_rows = 0;
    auto flush = [&] {
        if (batch_commits == 0) return;
        batch += "]";
        pg::in_transaction(tx, [&] {
            pg::exec("SELECT aveloxis_ops.store_commits($1::bigint, $2::jsonb)",
                     {pg::param(job.repo_id), batch});
            refresh_heartbeat(job.repo_id);
        });
        result.commits_stored += static_cast<int64_t>(batch_commits);
        batch = "[";
        batch_commits = batch_rows = 0;
    };
    facade::walk_history(
        sync.dest_dir, result.branch,
        [&](facade::CommitInfo &&commit) {
            if (batch_commits > 0) batch += ",";
            batch += commit_json(commit);
            batch_commits++;
            batch_rows += commit.files.empty() ? 1 : commit.files.size();
            if (batch_commits >= kBatchCommits || batch_rows >= kBatchFileRows) flush();
        },
        [&env] { return env.interrupted(); }, &skip);
    flush();
    return result;
}

}  // namespace aveloxis::pipeline
