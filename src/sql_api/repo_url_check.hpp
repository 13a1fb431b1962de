#pragma once

#include <string>

#include "util/repo_url.hpp"

namespace aveloxis::sql_api {

// Parses a GitHub repository URL and checks its host against allowed_hosts; throws PgError
// with a message that names the problem.
util::RepoUrl checked_repo_url(const std::string &url, const std::string &allowed_hosts);

}  // namespace aveloxis::sql_api
