#include "facade/git_util.hpp"

#include "facade/git_library.hpp"

namespace aveloxis::facade {

std::string git_last_error_message() {
    const git_error *err = git_error_last();
    if (err == nullptr || err->message == nullptr) return "unknown libgit2 error";
    return err->message;
}

void throw_git_error(const std::string &doing) {
    throw FacadeError(doing + " failed: " + git_last_error_message());
}

RepoPtr open_repository(const std::string &path) {
    init_git_library();
    git_repository *raw = nullptr;
    if (git_repository_open_ext(&raw, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) < 0)
        throw_git_error("opening git repository " + path);
    return RepoPtr(raw);
}

std::string oid_hex(const git_oid &oid) {
    char hex[GIT_OID_HEXSZ];
    git_oid_fmt(hex, &oid);
    return std::string(hex, sizeof hex);
}

}  // namespace aveloxis::facade
