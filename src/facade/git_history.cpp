#include "facade/git_history.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <optional>
#include <string_view>
#include <tuple>
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

// One side of a changed path: the tree entry's object and mode.
struct Entry {
    git_oid id;
    git_filemode_t mode;
};

// A path whose entry differs between the two trees; a side is absent for an addition or a
// deletion.
struct PathChange {
    std::string path;
    std::optional<Entry> old_entry, new_entry;
};

bool is_tree(const git_tree_entry *entry) {
    return git_tree_entry_filemode(entry) == GIT_FILEMODE_TREE;
}

// git's tree order (base_name_compare): names as bytes, a tree's name as if followed by '/'.
// So a file "a" and a directory "a" are different entries, and "a.txt" sorts between them.
int tree_order(const git_tree_entry *a, const git_tree_entry *b) {
    const char *name_a = git_tree_entry_name(a);
    const char *name_b = git_tree_entry_name(b);
    const size_t length_a = std::strlen(name_a);
    const size_t length_b = std::strlen(name_b);
    const size_t common = std::min(length_a, length_b);
    const int cmp = std::memcmp(name_a, name_b, common);
    if (cmp != 0) return cmp;
    const auto next = [common](const char *name, size_t length, const git_tree_entry *entry) {
        if (common < length) return static_cast<unsigned char>(name[common]);
        return static_cast<unsigned char>(is_tree(entry) ? '/' : '\0');
    };
    const unsigned char c_a = next(name_a, length_a, a);
    const unsigned char c_b = next(name_b, length_b, b);
    return c_a < c_b ? -1 : (c_a > c_b ? 1 : 0);
}

// The changed paths between two trees in the order git's recursive tree diff emits them.
// Subtrees with the same id are skipped without being read, which is what keeps a walk of a
// large repository fast (libgit2's tree-to-tree diff visits every entry of both trees).
class TreeDiff {
  public:
    TreeDiff(git_repository *repo, const std::function<bool()> &should_abort)
        : repo_(repo), should_abort_(should_abort) {}

    // Either tree may be null (the empty tree).
    std::vector<PathChange> run(const git_tree *old_tree, const git_tree *new_tree) {
        changes_.clear();
        compare(old_tree, new_tree, std::string());
        return std::move(changes_);
    }

  private:
    void compare(const git_tree *old_tree, const git_tree *new_tree, const std::string &prefix) {
        poll_abort(should_abort_);
        const size_t old_count = old_tree != nullptr ? git_tree_entrycount(old_tree) : 0;
        const size_t new_count = new_tree != nullptr ? git_tree_entrycount(new_tree) : 0;
        size_t i = 0;
        size_t j = 0;
        while (i < old_count || j < new_count) {
            const git_tree_entry *old_entry =
                i < old_count ? git_tree_entry_byindex(old_tree, i) : nullptr;
            const git_tree_entry *new_entry =
                j < new_count ? git_tree_entry_byindex(new_tree, j) : nullptr;
            const int cmp = old_entry == nullptr   ? 1
                            : new_entry == nullptr ? -1
                                                   : tree_order(old_entry, new_entry);
            if (cmp < 0) {
                one_side(old_entry, nullptr, prefix);
                ++i;
            } else if (cmp > 0) {
                one_side(nullptr, new_entry, prefix);
                ++j;
            } else {
                both_sides(old_entry, new_entry, prefix);
                ++i;
                ++j;
            }
        }
    }

    // An entry present on one side only: a file, or a directory whose files all change.
    void one_side(const git_tree_entry *old_entry, const git_tree_entry *new_entry,
                  const std::string &prefix) {
        const git_tree_entry *entry = old_entry != nullptr ? old_entry : new_entry;
        const std::string path = prefix + git_tree_entry_name(entry);
        if (is_tree(entry)) {
            const TreePtr subtree = lookup(entry, path);
            compare(old_entry != nullptr ? subtree.get() : nullptr,
                    new_entry != nullptr ? subtree.get() : nullptr, path + "/");
            return;
        }
        PathChange change{path, std::nullopt, std::nullopt};
        (old_entry != nullptr ? change.old_entry : change.new_entry) = entry_of(entry);
        changes_.push_back(std::move(change));
    }

    // Both sides have the name with the same kind (directory or not).
    void both_sides(const git_tree_entry *old_entry, const git_tree_entry *new_entry,
                    const std::string &prefix) {
        if (git_oid_equal(git_tree_entry_id(old_entry), git_tree_entry_id(new_entry)) &&
            git_tree_entry_filemode(old_entry) == git_tree_entry_filemode(new_entry))
            return;
        const std::string path = prefix + git_tree_entry_name(old_entry);
        if (is_tree(old_entry)) {
            const TreePtr old_subtree = lookup(old_entry, path);
            const TreePtr new_subtree = lookup(new_entry, path);
            compare(old_subtree.get(), new_subtree.get(), path + "/");
            return;
        }
        changes_.push_back({path, entry_of(old_entry), entry_of(new_entry)});
    }

    static Entry entry_of(const git_tree_entry *entry) {
        return {*git_tree_entry_id(entry), git_tree_entry_filemode(entry)};
    }

    TreePtr lookup(const git_tree_entry *entry, const std::string &path) const {
        git_tree *raw = nullptr;
        if (git_tree_lookup(&raw, repo_, git_tree_entry_id(entry)) < 0)
            throw_git_error("reading tree " + oid_hex(*git_tree_entry_id(entry)) + " (" + path +
                            ")");
        return TreePtr(raw);
    }

    git_repository *repo_;
    const std::function<bool()> &should_abort_;
    std::vector<PathChange> changes_;
};

// The bytes git diffs for one side of a file change, and whether git calls them binary.
class SideContent {
  public:
    // An absent side (the old side of an addition, the new side of a deletion) is empty text.
    SideContent() = default;

    SideContent(git_repository *repo, git_odb *odb, const Entry &entry, const std::string &path) {
        if (entry.mode == GIT_FILEMODE_COMMIT) {
            // git shows a submodule entry as this one line of text.
            text_ = "Subproject commit " + oid_hex(entry.id) + "\n";
            return;
        }
        size_t blob_size = 0;
        git_object_t type = GIT_OBJECT_INVALID;
        if (git_odb_read_header(&blob_size, &type, odb, &entry.id) < 0)
            throw_git_error("reading the size of blob " + oid_hex(entry.id) + " (" + path + ")");
        if (blob_size > kBigFileThreshold) {
            big_ = true;
            return;
        }
        git_blob *raw = nullptr;
        if (git_blob_lookup(&raw, repo, &entry.id) < 0)
            throw_git_error("reading blob " + oid_hex(entry.id) + " (" + path + ")");
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
                                        const std::string &path) {
    git_diff_options options;
    git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
    // Binary was decided by git's rule already; libgit2's own heuristic differs.
    options.flags = GIT_DIFF_FORCE_TEXT;
    options.context_lines = 0;
    options.interhunk_lines = 0;
    git_patch *raw = nullptr;
    if (git_patch_from_buffers(&raw, old_side.data(), old_side.size(), path.c_str(),
                               new_side.data(), new_side.size(), path.c_str(), &options) < 0)
        throw_git_error("diffing " + path);
    const PatchPtr patch(raw);
    size_t added = 0;
    size_t removed = 0;
    if (git_patch_line_stats(nullptr, &added, &removed, patch.get()) < 0)
        throw_git_error("counting lines of " + path);
    return {static_cast<int64_t>(added), static_cast<int64_t>(removed)};
}

FileChange file_change(git_repository *repo, git_odb *odb, const PathChange &path_change) {
    FileChange change;
    change.path = path_change.path;
    const auto load = [&](const std::optional<Entry> &entry) {
        return entry ? SideContent(repo, odb, *entry, change.path) : SideContent();
    };
    const SideContent old_side = load(path_change.old_entry);
    const SideContent new_side = load(path_change.new_entry);
    // Like git, binary wins over "same content": a binary file's mode change shows "-".
    if (old_side.binary() || new_side.binary()) return change;
    if (path_change.old_entry && path_change.new_entry &&
        git_oid_equal(&path_change.old_entry->id, &path_change.new_entry->id)) {
        change.added = 0;
        change.removed = 0;
        return change;
    }
    std::tie(change.added, change.removed) = count_lines(old_side, new_side, change.path);
    return change;
}

TreePtr tree_of(git_commit *commit) {
    git_tree *raw = nullptr;
    if (git_commit_tree(&raw, commit) < 0)
        throw_git_error("reading the tree of commit " + oid_hex(*git_commit_id(commit)));
    return TreePtr(raw);
}

// What `git log --numstat --no-renames` lists: nothing for merges, the diff against the
// parent (or the empty tree for a root commit) otherwise.
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

    const std::vector<PathChange> changes =
        TreeDiff(repo, should_abort).run(old_tree.get(), new_tree.get());
    files.reserve(changes.size());
    for (const PathChange &change : changes) {
        poll_abort(should_abort);
        files.push_back(file_change(repo, odb, change));
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
    // Parents before children, so a consumer that stores commits in batches can link each
    // commit to parents already stored. libgit2 loads the commit graph (ids and parents, not
    // trees) for this order; the per-commit diffs still stream.
    if (git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0 ||
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
