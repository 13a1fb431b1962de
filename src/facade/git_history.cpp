#include "facade/git_history.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string_view>
#include <utility>

#include "facade/git_util.hpp"

namespace aveloxis::facade {
namespace {

constexpr const char *kHeadsPrefix = "refs/heads/";
// git's buffer_is_binary: a NUL within the first 8000 bytes makes a blob binary.
constexpr size_t kBinaryProbeBytes = 8000;
// git's default core.bigFileThreshold: bigger blobs count as binary without being read.
constexpr git_object_size_t kBigFileThreshold = 512ull * 1024 * 1024;

using OdbPtr = GitPtr<git_odb, git_odb_free>;

void poll_abort(const std::function<bool()> &should_abort) {
    if (should_abort && should_abort()) throw FacadeInterrupted();
}

bool ref_exists(git_repository *repo, const std::string &name) {
    git_reference *raw = nullptr;
    const int rc = git_reference_lookup(&raw, repo, name.c_str());
    if (rc == 0) {
        git_reference_free(raw);
        return true;
    }
    // A preferred branch name that is not a valid ref name cannot exist either.
    if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC) return false;
    throw_git_error("looking up " + name);
}

// The bytes git diffs for one side of a file change, and whether git calls them binary.
class SideContent {
  public:
    // An absent side (the old side of an addition, the new side of a deletion) is empty text.
    SideContent() = default;

    SideContent(git_repository *repo, git_odb *odb, const git_diff_file &file) {
        if (file.mode == GIT_FILEMODE_COMMIT) {
            // git shows a submodule entry as this one line of text.
            text_ = "Subproject commit " + oid_hex(file.id) + "\n";
            return;
        }
        size_t blob_size = 0;
        git_object_t type = GIT_OBJECT_INVALID;
        if (git_odb_read_header(&blob_size, &type, odb, &file.id) < 0)
            throw_git_error("reading the size of blob " + oid_hex(file.id));
        if (blob_size > kBigFileThreshold) {
            big_ = true;
            return;
        }
        git_blob *raw = nullptr;
        if (git_blob_lookup(&raw, repo, &file.id) < 0)
            throw_git_error("reading blob " + oid_hex(file.id) + " of " + file.path);
        blob_.reset(raw);
    }

    bool binary() const {
        if (big_) return true;
        return size() > 0 && std::memchr(data(), 0, std::min(size(), kBinaryProbeBytes));
    }
    const char *data() const {
        return blob_ ? static_cast<const char *>(git_blob_rawcontent(blob_.get())) : text_.data();
    }
    size_t size() const {
        return blob_ ? static_cast<size_t>(git_blob_rawsize(blob_.get())) : text_.size();
    }

  private:
    BlobPtr blob_;
    std::string text_;  // used when there is no blob: empty, or a submodule's line
    bool big_ = false;
};

// Lines added and removed between two texts, as git's numstat counts them (Myers diff).
std::pair<int64_t, int64_t> count_lines(const SideContent &old_side, const SideContent &new_side,
                                        const char *path) {
    git_diff_options options;
    git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
    // Binary was decided by git's rule already; libgit2's own heuristic differs.
    options.flags = GIT_DIFF_FORCE_TEXT;
    options.context_lines = 0;
    options.interhunk_lines = 0;
    git_patch *raw = nullptr;
    if (git_patch_from_buffers(&raw, old_side.data(), old_side.size(), path, new_side.data(),
                               new_side.size(), path, &options) < 0)
        throw_git_error(std::string("diffing ") + path);
    PatchPtr patch(raw);
    size_t added = 0;
    size_t removed = 0;
    if (git_patch_line_stats(nullptr, &added, &removed, patch.get()) < 0)
        throw_git_error(std::string("counting lines of ") + path);
    return {static_cast<int64_t>(added), static_cast<int64_t>(removed)};
}

FileChange file_change(git_repository *repo, git_odb *odb, const git_diff_delta &delta) {
    const bool has_old = delta.status != GIT_DELTA_ADDED;
    const bool has_new = delta.status != GIT_DELTA_DELETED;
    FileChange change;
    change.path = has_new ? delta.new_file.path : delta.old_file.path;

    const SideContent old_side = has_old ? SideContent(repo, odb, delta.old_file) : SideContent();
    const SideContent new_side = has_new ? SideContent(repo, odb, delta.new_file) : SideContent();
    // Like git, binary wins over "same content": a binary file's mode change shows "-".
    if (old_side.binary() || new_side.binary()) return change;
    if (has_old && has_new && git_oid_equal(&delta.old_file.id, &delta.new_file.id)) {
        change.added = 0;
        change.removed = 0;
        return change;
    }
    std::tie(change.added, change.removed) = count_lines(old_side, new_side, change.path.c_str());
    return change;
}

TreePtr tree_of(git_commit *commit) {
    git_tree *raw = nullptr;
    if (git_commit_tree(&raw, commit) < 0)
        throw_git_error("reading the tree of commit " + oid_hex(*git_commit_id(commit)));
    return TreePtr(raw);
}

// What `git log --numstat --no-renames` lists: nothing for merges, the diff against the
// parent (or the empty tree for a root commit) otherwise, in tree order.
std::vector<FileChange> changed_files(git_repository *repo, git_odb *odb, git_commit *commit,
                                      const std::function<bool()> &should_abort) {
    std::vector<FileChange> files;
    const unsigned parent_count = git_commit_parentcount(commit);
    if (parent_count > 1) return files;

    TreePtr old_tree;
    if (parent_count == 1) {
        git_commit *raw = nullptr;
        if (git_commit_parent(&raw, commit, 0) < 0)
            throw_git_error("reading the parent of commit " + oid_hex(*git_commit_id(commit)));
        const CommitPtr parent(raw);
        old_tree = tree_of(parent.get());
    }
    const TreePtr new_tree = tree_of(commit);

    git_diff_options options;
    git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
    // One entry for a path whose type changed (git's "T"), not a deletion plus an addition;
    // content is loaded later by us, so libgit2 need not probe it.
    options.flags = GIT_DIFF_INCLUDE_TYPECHANGE | GIT_DIFF_SKIP_BINARY_CHECK;
    git_diff *raw_diff = nullptr;
    if (git_diff_tree_to_tree(&raw_diff, repo, old_tree.get(), new_tree.get(), &options) < 0)
        throw_git_error("diffing commit " + oid_hex(*git_commit_id(commit)));
    const DiffPtr diff(raw_diff);

    const size_t count = git_diff_num_deltas(diff.get());
    files.reserve(count);
    for (size_t i = 0; i < count; ++i) {
        poll_abort(should_abort);
        files.push_back(file_change(repo, odb, *git_diff_get_delta(diff.get(), i)));
    }
    return files;
}

bool is_git_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

size_t skip_git_space(std::string_view s, size_t pos) {
    while (pos < s.size() && is_git_space(s[pos])) ++pos;
    return pos;
}

size_t skip_digits(std::string_view s, size_t pos) {
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    return pos;
}

// An author or committer line ("Name <email> 1600000000 +0530") read the way git log's
// %an %ae %at %ai read it (git's split_ident_line). libgit2's parsed signature differs: it
// strips characters such as a trailing '.' from names that old tools wrote.
void parse_ident(std::string_view line, std::string &name, std::string &email, int64_t &time,
                 int &offset_minutes) {
    const size_t mail_begin = line.find('<');
    const size_t mail_end =
        mail_begin == std::string_view::npos ? mail_begin : line.find('>', mail_begin);
    if (mail_end == std::string_view::npos) return;  // git shows nothing for such a line
    size_t name_end = mail_begin;
    while (name_end > 0 && is_git_space(line[name_end - 1])) --name_end;
    name = line.substr(0, name_end);
    email = line.substr(mail_begin + 1, mail_end - mail_begin - 1);

    // Without both a time and a zone git shows neither.
    const size_t date_begin = skip_git_space(line, line.rfind('>') + 1);
    const size_t date_end = skip_digits(line, date_begin);
    const size_t tz_begin = skip_git_space(line, date_end);
    if (date_end == date_begin || tz_begin >= line.size() ||
        (line[tz_begin] != '+' && line[tz_begin] != '-'))
        return;
    const size_t tz_end = skip_digits(line, tz_begin + 1);
    if (tz_end == tz_begin + 1) return;
    int64_t seconds = 0;
    long hhmm = 0;
    if (std::from_chars(line.data() + date_begin, line.data() + date_end, seconds).ec !=
            std::errc() ||
        std::from_chars(line.data() + tz_begin + 1, line.data() + tz_end, hhmm).ec != std::errc())
        return;
    time = seconds;
    const long minutes = hhmm / 100 * 60 + hhmm % 100;
    offset_minutes = static_cast<int>(line[tz_begin] == '-' ? -minutes : minutes);
}

// The last "author " / "committer " header line, as git log uses.
std::string_view header_line(std::string_view header, std::string_view key) {
    std::string_view found;
    for (size_t pos = 0; pos < header.size();) {
        size_t eol = header.find('\n', pos);
        if (eol == std::string_view::npos) eol = header.size();
        const std::string_view line = header.substr(pos, eol - pos);
        if (line.size() > key.size() && line.compare(0, key.size(), key) == 0 &&
            line[key.size()] == ' ')
            found = line.substr(key.size() + 1);
        pos = eol + 1;
    }
    return found;
}

CommitInfo read_commit(git_repository *repo, git_odb *odb, const git_oid &oid, std::string hash,
                       const std::function<bool()> &should_abort) {
    git_commit *raw = nullptr;
    if (git_commit_lookup(&raw, repo, &oid) < 0) throw_git_error("reading commit " + hash);
    const CommitPtr commit(raw);

    CommitInfo info;
    info.hash = std::move(hash);
    const unsigned parent_count = git_commit_parentcount(raw);
    info.parents.reserve(parent_count);
    for (unsigned i = 0; i < parent_count; ++i)
        info.parents.push_back(oid_hex(*git_commit_parent_id(raw, i)));
    const char *header = git_commit_raw_header(raw);
    const std::string_view headers = header != nullptr ? header : "";
    parse_ident(header_line(headers, "author"), info.author_name, info.author_email,
                info.author_time, info.author_offset_minutes);
    parse_ident(header_line(headers, "committer"), info.committer_name, info.committer_email,
                info.committer_time, info.committer_offset_minutes);
    // The raw message keeps leading blank lines, as %B does.
    if (const char *message = git_commit_message_raw(raw)) info.message = message;
    info.files = changed_files(repo, odb, raw, should_abort);
    return info;
}

}  // namespace

std::string resolve_branch(const std::string &repo_dir, const std::string &preferred_branch) {
    const RepoPtr repo = open_repository(repo_dir);
    if (!preferred_branch.empty() && ref_exists(repo.get(), kHeadsPrefix + preferred_branch))
        return preferred_branch;

    git_reference *raw = nullptr;
    const int rc = git_reference_lookup(&raw, repo.get(), "HEAD");
    if (rc < 0 && rc != GIT_ENOTFOUND) throw_git_error("reading HEAD of " + repo_dir);
    if (rc == 0) {
        const ReferencePtr head(raw);
        const char *target = git_reference_type(raw) == GIT_REFERENCE_SYMBOLIC
                                 ? git_reference_symbolic_target(raw)
                                 : nullptr;
        const size_t prefix_length = std::strlen(kHeadsPrefix);
        if (target != nullptr && std::strncmp(target, kHeadsPrefix, prefix_length) == 0 &&
            ref_exists(repo.get(), target))
            return target + prefix_length;
    }
    if (preferred_branch.empty())
        throw FacadeError(repo_dir + " has no HEAD that names an existing branch");
    throw FacadeError(repo_dir + " has neither branch '" + preferred_branch +
                      "' nor a HEAD that names an existing branch");
}

void walk_history(const std::string &repo_dir, const std::string &branch,
                  const std::function<void(CommitInfo &&)> &on_commit,
                  const std::function<bool()> &should_abort,
                  const std::unordered_set<std::string> *skip) {
    const RepoPtr repo = open_repository(repo_dir);
    const std::string ref = kHeadsPrefix + branch;
    git_oid tip;
    if (git_reference_name_to_id(&tip, repo.get(), ref.c_str()) < 0)
        throw_git_error("resolving " + ref + " in " + repo_dir);

    git_odb *raw_odb = nullptr;
    if (git_repository_odb(&raw_odb, repo.get()) < 0)
        throw_git_error("opening the object database of " + repo_dir);
    const OdbPtr odb(raw_odb);

    git_revwalk *raw_walk = nullptr;
    if (git_revwalk_new(&raw_walk, repo.get()) < 0)
        throw_git_error("starting a history walk in " + repo_dir);
    const RevwalkPtr walk(raw_walk);
    // Unsorted walks stream; a sorted one would first load every commit.
    if (git_revwalk_sorting(walk.get(), GIT_SORT_NONE) < 0 ||
        git_revwalk_push(walk.get(), &tip) < 0)
        throw_git_error("starting a history walk of " + ref + " in " + repo_dir);

    git_oid oid;
    int rc;
    while ((rc = git_revwalk_next(&oid, walk.get())) == 0) {
        poll_abort(should_abort);
        std::string hash = oid_hex(oid);
        if (skip != nullptr && skip->count(hash) != 0) continue;
        on_commit(read_commit(repo.get(), odb.get(), oid, std::move(hash), should_abort));
    }
    if (rc != GIT_ITEROVER) throw_git_error("walking the history of " + ref + " in " + repo_dir);
}

}  // namespace aveloxis::facade
