-- Releases and the repository's metadata snapshot.

CREATE TABLE aveloxis_data.releases (
    release_id           text NOT NULL,
    repo_id              bigint NOT NULL REFERENCES aveloxis_data.repos,
    release_name         text,
    release_description  text,
    release_author       text,
    release_tag_name     text,
    release_url          text,
    created_at           timestamptz,
    published_at         timestamptz,
    updated_at           timestamptz,
    is_draft             boolean,
    is_prerelease        boolean,
    tag_only             boolean NOT NULL DEFAULT false,
    tool_source          text NOT NULL DEFAULT 'aveloxis',
    tool_version         text NOT NULL DEFAULT '0.1.0',
    data_source          text NOT NULL DEFAULT 'GitHub API',
    data_collection_date timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (repo_id, release_id)
);
COMMENT ON TABLE aveloxis_data.releases IS 'Releases of a repository (release_id is the platform id)';

CREATE TABLE aveloxis_data.repo_info (
    repo_info_id         bigserial PRIMARY KEY,
    repo_id              bigint NOT NULL UNIQUE REFERENCES aveloxis_data.repos,
    last_updated         timestamptz,           -- pushed_at
    issues_enabled       text,
    prs_enabled          text,
    wiki_enabled         text,
    pages_enabled        text,
    fork_count           integer,
    star_count           integer,
    watcher_count        integer,
    open_issues          integer,
    committers_count     integer,
    commit_count         bigint,
    issues_count         bigint,
    issues_closed        bigint,
    pull_request_count   bigint,
    pull_requests_open   bigint,
    pull_requests_closed bigint,
    pull_requests_merged bigint,
    default_branch       text,
    license              text,
    code_of_conduct_file text,
    security_issue_file  text,
    security_audit_file  text,
    repo_size_kb         bigint,
    tool_source          text NOT NULL DEFAULT 'aveloxis',
    tool_version         text NOT NULL DEFAULT '0.1.0',
    data_source          text NOT NULL DEFAULT 'GitHub API',
    data_collection_date timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE aveloxis_data.repo_info IS
    'Current metadata snapshot of each repository; the previous one moves to repo_info_history';

CREATE TABLE aveloxis_data.repo_info_history (
    LIKE aveloxis_data.repo_info,
    moved_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE aveloxis_data.repo_info_history IS 'Earlier repo_info snapshots, one per collection';
CREATE INDEX ON aveloxis_data.repo_info_history (repo_id, data_collection_date);
