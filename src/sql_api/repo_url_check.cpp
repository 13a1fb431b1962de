// aveloxis.parse_repo_url(url) -> (repo_git, owner, name, host): the one place a
// user-supplied repository URL is checked, used by add_repo, prioritize, collect_now, ...
#include "sql_api/repo_url_check.hpp"

#include "pg/error.hpp"
#include "pg/postgres.hpp"
#include "util/repo_url.hpp"
#include "util/url.hpp"

namespace aveloxis::sql_api {

util::RepoUrl checked_repo_url(const std::string &url, const std::string &allowed_hosts) {
    util::RepoUrl repo;
    try {
        repo = util::parse_github_repo_url(url);
    } catch (const util::UrlError &e) {
        throw pg::user_error(ERRCODE_INVALID_PARAMETER_VALUE, e.what(),
                             "Give a repository URL such as https://github.com/owner/name.");
    }
    if (!util::host_allowed(repo.normalized, allowed_hosts)) {
        throw pg::user_error(ERRCODE_INSUFFICIENT_PRIVILEGE,
                             "host " + repo.host + " is not in aveloxis.allowed_hosts (\"" +
                                 allowed_hosts + "\"): " + repo.normalized,
                             "A superuser can add the host to aveloxis.allowed_hosts.");
    }
    return repo;
}

}  // namespace aveloxis::sql_api

extern "C" {
PG_FUNCTION_INFO_V1(aveloxis_parse_repo_url);
}

Datum aveloxis_parse_repo_url(PG_FUNCTION_ARGS) {
    TupleDesc tupdesc;
    if (get_call_result_type(fcinfo, nullptr, &tupdesc) != TYPEFUNC_COMPOSITE) {
        elog(ERROR, "aveloxis.parse_repo_url must return a composite type");
    }
    tupdesc = BlessTupleDesc(tupdesc);
    char *url = text_to_cstring(PG_GETARG_TEXT_PP(0));
    const char *allowed = GetConfigOption("aveloxis.allowed_hosts", false, false);

    // Copies out of C++ objects into palloc'd C strings before any PostgreSQL call.
    char *fields[4];
    aveloxis::pg::guarded([&] {
        auto repo = aveloxis::sql_api::checked_repo_url(url, allowed ? allowed : "");
        const std::string *parts[4] = {&repo.normalized, &repo.owner, &repo.name, &repo.host};
        for (int i = 0; i < 4; i++) fields[i] = pstrdup(parts[i]->c_str());
    });
    Datum values[4];
    bool nulls[4] = {false, false, false, false};
    for (int i = 0; i < 4; i++) values[i] = CStringGetTextDatum(fields[i]);
    PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
