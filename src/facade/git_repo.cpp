#include "facade/git_repo.hpp"

#include <chrono>
#include <cstring>
#include <exception>
#include <filesystem>
#include <optional>
#include <system_error>

#include "facade/git_library.hpp"
#include "facade/git_util.hpp"

namespace aveloxis::facade {
namespace {

constexpr const char *kRemoteName = "origin";
constexpr const char *kHeadsRefspec = "+refs/heads/*:refs/heads/*";
constexpr const char *kTagsRefspec = "+refs/tags/*:refs/tags/*";
constexpr const char *kHeadsPrefix = "refs/heads/";

using RefIteratorPtr = GitPtr<git_reference_iterator, git_reference_iterator_free>;

// A URL's userinfo may carry a token: keep it out of every message.
std::string redact_url(const std::string &url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) return url;
    const auto host_start = scheme_end + 3;
    const auto host_end = url.find_first_of("/?#", host_start);
    const auto at = url.rfind('@', host_end);
    if (at == std::string::npos || at < host_start) return url;
    return url.substr(0, host_start) + "***@" + url.substr(at + 1);
}

// The limits of one sync, checked from libgit2's progress callbacks. A callback must not
// throw, so it records why it stopped the transfer and the caller raises that afterwards.
class TransferLimits {
  public:
    explicit TransferLimits(const SyncOptions &options) : options_(options) {
        if (options.timeout_seconds > 0)
            deadline_ = Clock::now() + std::chrono::seconds(options.timeout_seconds);
    }

    // 0 to let libgit2 go on, GIT_EUSER to make it abort.
    int poll(size_t received_bytes) noexcept {
        received_bytes_ = received_bytes;
        return poll();
    }

    int poll() noexcept {
        if (stop_ != Stop::kNone) return GIT_EUSER;
        try {
            if (options_.should_abort && options_.should_abort()) stop_ = Stop::kInterrupted;
        } catch (...) {
            error_ = std::current_exception();
            stop_ = Stop::kCallbackThrew;
        }
        if (stop_ == Stop::kNone && deadline_ && Clock::now() >= *deadline_)
            stop_ = Stop::kTimedOut;
        if (stop_ == Stop::kNone && options_.max_bytes > 0 &&
            received_bytes_ > static_cast<uint64_t>(options_.max_bytes))
            stop_ = Stop::kTooLarge;
        return stop_ == Stop::kNone ? 0 : GIT_EUSER;
    }

    // Throws the reason a callback stopped the operation described by `doing`, if one did.
    void raise_if_stopped(const std::string &doing) const {
        switch (stop_) {
            case Stop::kNone:
                return;
            case Stop::kInterrupted:
                throw FacadeInterrupted();
            case Stop::kTimedOut:
                throw FacadeError(doing + " timed out after " +
                                  std::to_string(options_.timeout_seconds) + " s");
            case Stop::kTooLarge:
                throw FacadeError(doing + " exceeded the limit of " +
                                  std::to_string(options_.max_bytes) + " bytes");
            case Stop::kCallbackThrew:
                std::rethrow_exception(error_);
        }
    }

    // After a libgit2 call that returned an error.
    [[noreturn]] void fail(const std::string &doing) const {
        raise_if_stopped(doing);
        throw_git_error(doing);
    }

  private:
    using Clock = std::chrono::steady_clock;
    enum class Stop { kNone, kInterrupted, kTimedOut, kTooLarge, kCallbackThrew };

    const SyncOptions &options_;
    std::optional<Clock::time_point> deadline_;
    uint64_t received_bytes_ = 0;
    Stop stop_ = Stop::kNone;
    std::exception_ptr error_;
};

int on_transfer_progress(const git_indexer_progress *stats, void *payload) {
    return static_cast<TransferLimits *>(payload)->poll(stats->received_bytes);
}

int on_sideband_progress(const char * /*text*/, int /*length*/, void *payload) {
    return static_cast<TransferLimits *>(payload)->poll();
}

int on_pack_progress(int /*stage*/, uint32_t /*current*/, uint32_t /*total*/, void *payload) {
    return static_cast<TransferLimits *>(payload)->poll();
}

struct Mirror {
    RepoPtr repo;
    bool created = false;
};

Mirror open_or_create_mirror(const std::string &dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status status = fs::status(dir, ec);
    if (ec && status.type() != fs::file_type::not_found)
        throw FacadeError("cannot inspect " + dir + ": " + ec.message());

    const bool absent = status.type() == fs::file_type::not_found;
    if (absent || (fs::is_directory(status) && fs::is_empty(dir, ec) && !ec)) {
        git_repository *raw = nullptr;
        if (git_repository_init(&raw, dir.c_str(), /*is_bare=*/1) < 0)
            throw_git_error("creating bare repository " + dir);
        return {RepoPtr(raw), true};
    }

    git_repository *raw = nullptr;
    const int rc =
        git_repository_open_ext(&raw, dir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
    if (rc == GIT_ENOTFOUND)
        throw FacadeError(dir + " exists but is not a git repository; it was left untouched");
    if (rc < 0) throw_git_error("opening git repository " + dir);
    RepoPtr repo(raw);
    // Fetching heads into a repository with a work tree would leave its checkout stale.
    if (!git_repository_is_bare(repo.get()))
        throw FacadeError(dir +
                          " is a git repository with a work tree, not a bare mirror; "
                          "it was left untouched");
    return {std::move(repo), false};
}

RemotePtr lookup_origin(git_repository *repo, const std::string &dir) {
    git_remote *raw = nullptr;
    const int rc = git_remote_lookup(&raw, repo, kRemoteName);
    if (rc == GIT_ENOTFOUND) return nullptr;
    if (rc < 0) throw_git_error("reading remote origin of " + dir);
    return RemotePtr(raw);
}

RemotePtr ensure_origin(git_repository *repo, const SyncOptions &options,
                        const std::string &shown_url) {
    RemotePtr remote = lookup_origin(repo, options.dest_dir);
    if (!remote) {
        git_remote *raw = nullptr;
        if (git_remote_create_with_fetchspec(&raw, repo, kRemoteName, options.clone_url.c_str(),
                                             kHeadsRefspec) < 0)
            throw_git_error("adding remote origin " + shown_url + " to " + options.dest_dir);
        remote.reset(raw);
        if (git_remote_add_fetch(repo, kRemoteName, kTagsRefspec) < 0)
            throw_git_error("adding the tags refspec to " + options.dest_dir);
        return remote;
    }
    const char *current = git_remote_url(remote.get());
    if (current != nullptr && options.clone_url == current) return remote;
    // The repository was renamed or the URL rewrite changed: follow the caller's URL.
    if (git_remote_set_url(repo, kRemoteName, options.clone_url.c_str()) < 0)
        throw_git_error("setting the URL of remote origin of " + options.dest_dir);
    return lookup_origin(repo, options.dest_dir);
}

bool has_refs(git_repository *repo, const std::string &dir) {
    git_reference_iterator *raw = nullptr;
    if (git_reference_iterator_new(&raw, repo) < 0) throw_git_error("listing refs of " + dir);
    RefIteratorPtr it(raw);
    git_reference *ref = nullptr;
    const int rc = git_reference_next(&ref, it.get());
    if (rc == 0) {
        git_reference_free(ref);
        return true;
    }
    if (rc == GIT_ITEROVER) return false;
    throw_git_error("listing refs of " + dir);
}

// The branch the connected remote's HEAD names, without "refs/heads/"; empty if unknown.
std::string remote_default_branch(git_remote *remote, const std::string &shown_url) {
    git_buf buf{};
    const int rc = git_remote_default_branch(&buf, remote);
    if (rc == GIT_ENOTFOUND) return {};
    if (rc < 0) throw_git_error("reading the default branch of " + shown_url);
    const std::string ref(buf.ptr, buf.size);
    git_buf_dispose(&buf);
    const size_t prefix_length = std::strlen(kHeadsPrefix);
    if (ref.compare(0, prefix_length, kHeadsPrefix) != 0) return {};
    return ref.substr(prefix_length);
}

}  // namespace

SyncResult sync_bare_mirror(const SyncOptions &options) {
    init_git_library();
    if (options.clone_url.empty()) throw FacadeError("sync_bare_mirror: empty clone URL");
    if (options.dest_dir.empty()) throw FacadeError("sync_bare_mirror: empty destination");

    const std::string shown_url = redact_url(options.clone_url);
    TransferLimits limits(options);
    if (limits.poll() != 0) limits.raise_if_stopped("sync of " + shown_url);

    Mirror mirror = open_or_create_mirror(options.dest_dir);
    git_repository *repo = mirror.repo.get();
    RemotePtr remote = ensure_origin(repo, options, shown_url);

    SyncResult result;
    result.cloned = mirror.created || !has_refs(repo, options.dest_dir);

    git_remote_callbacks callbacks;
    git_remote_init_callbacks(&callbacks, GIT_REMOTE_CALLBACKS_VERSION);
    callbacks.transfer_progress = on_transfer_progress;
    callbacks.sideband_progress = on_sideband_progress;
    callbacks.pack_progress = on_pack_progress;
    callbacks.payload = &limits;

    // Like git, honour http.proxy and the *_proxy environment variables.
    git_proxy_options proxy;
    git_proxy_options_init(&proxy, GIT_PROXY_OPTIONS_VERSION);
    proxy.type = GIT_PROXY_AUTO;

    // Connecting first lets us read the remote HEAD from the same connection the fetch uses.
    if (git_remote_connect(remote.get(), GIT_DIRECTION_FETCH, &callbacks, &proxy, nullptr) < 0)
        limits.fail("connecting to " + shown_url);
    result.default_branch = remote_default_branch(remote.get(), shown_url);

    git_fetch_options fetch;
    git_fetch_options_init(&fetch, GIT_FETCH_OPTIONS_VERSION);
    fetch.callbacks = callbacks;
    fetch.proxy_opts = proxy;
    fetch.prune = GIT_FETCH_PRUNE;
    fetch.update_fetchhead = 0;
    // The tags refspec below already fetches every tag.
    fetch.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
    // Explicit refspecs: the mirror stays correct even if its config was edited.
    char *specs[] = {const_cast<char *>(kHeadsRefspec), const_cast<char *>(kTagsRefspec)};
    const git_strarray refspecs = {specs, 2};
    if (git_remote_fetch(remote.get(), &refspecs, &fetch, nullptr) < 0)
        limits.fail("fetch from " + shown_url);

    if (!result.default_branch.empty()) {
        const std::string head = kHeadsPrefix + result.default_branch;
        if (git_repository_set_head(repo, head.c_str()) < 0)
            throw_git_error("pointing HEAD of " + options.dest_dir + " at " + head);
    }
    return result;
}

}  // namespace aveloxis::facade
