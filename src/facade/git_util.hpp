#pragma once

// Internal glue between libgit2 and the facade code: owning handles and error conversion.
// Only facade .cpp files include this (it pulls in libgit2's headers).

#include <git2.h>

#include <memory>
#include <string>

#include "facade/facade_error.hpp"

namespace aveloxis::facade {

template <typename T, void (*Free)(T *)>
struct GitFree {
    void operator()(T *p) const noexcept { Free(p); }
};

// Owns a libgit2 object and frees it with the matching git_*_free function.
template <typename T, void (*Free)(T *)>
using GitPtr = std::unique_ptr<T, GitFree<T, Free>>;

using RepoPtr = GitPtr<git_repository, git_repository_free>;
using RemotePtr = GitPtr<git_remote, git_remote_free>;
using ReferencePtr = GitPtr<git_reference, git_reference_free>;
using CommitPtr = GitPtr<git_commit, git_commit_free>;
using TreePtr = GitPtr<git_tree, git_tree_free>;
using BlobPtr = GitPtr<git_blob, git_blob_free>;
using PatchPtr = GitPtr<git_patch, git_patch_free>;
using RevwalkPtr = GitPtr<git_revwalk, git_revwalk_free>;

// The message of libgit2's last error on this thread, or a generic text if there is none.
std::string git_last_error_message();

// Throws FacadeError("<doing> failed: <libgit2 message>").
[[noreturn]] void throw_git_error(const std::string &doing);

// Opens an existing repository at exactly `path` (no search in parent directories).
RepoPtr open_repository(const std::string &path);

// 40-digit hex form of an object id.
std::string oid_hex(const git_oid &oid);

}  // namespace aveloxis::facade
