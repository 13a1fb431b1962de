-- Platforms, repository groups and repositories.

CREATE TABLE aveloxis_data.platforms (
    platform_id          smallint PRIMARY KEY,
    platform_name        text NOT NULL UNIQUE,
    tool_source          text NOT NULL DEFAULT 'aveloxis',
    tool_version         text NOT NULL DEFAULT '0.1.0',
    data_source          text NOT NULL DEFAULT 'aveloxis install script',
    data_collection_date timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE aveloxis_data.platforms IS 'Code hosting platforms: 1 GitHub, 2 GitLab, 3 plain git';
INSERT INTO aveloxis_data.platforms (platform_id, platform_name)
VALUES (1, 'GitHub'), (2, 'GitLab'), (3, 'Git');

CREATE TABLE aveloxis_data.repo_groups (
    repo_group_id        bigserial PRIMARY KEY,
    rg_name              text NOT NULL UNIQUE,
    rg_description       text NOT NULL DEFAULT '',
    rg_website           text NOT NULL DEFAULT '',
    rg_last_modified     timestamptz NOT NULL DEFAULT now(),
    rg_type              text NOT NULL DEFAULT '',
    tool_source          text NOT NULL DEFAULT 'aveloxis',
    tool_version         text NOT NULL DEFAULT '0.1.0',
    data_source          text NOT NULL DEFAULT 'aveloxis.add_repo',
    data_collection_date timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE aveloxis_data.repo_groups IS
    'Named groups of repositories (Augur repo groups); add_repo with no group uses "default"';

CREATE TABLE aveloxis_data.repos (
    repo_id              bigserial PRIMARY KEY,
    repo_group_id        bigint NOT NULL REFERENCES aveloxis_data.repo_groups,
    platform_id          smallint NOT NULL REFERENCES aveloxis_data.platforms,
    repo_git             text NOT NULL UNIQUE,          -- normalised URL: https://github.com/owner/name
    repo_name            text NOT NULL,
    repo_owner           text NOT NULL,
    repo_path            text NOT NULL DEFAULT '',       -- host/owner, Augur's repo_path
    repo_description     text,
    primary_language     text,
    forked_from          text,
    repo_archived        boolean NOT NULL DEFAULT false,
    repo_archived_reason text,
    platform_repo_id     bigint,                          -- GitHub's numeric repository id
    default_branch       text,
    clone_url            text,
    created_at           timestamptz,
    updated_at           timestamptz,
    tool_source          text NOT NULL DEFAULT 'aveloxis',
    tool_version         text NOT NULL DEFAULT '0.1.0',
    data_source          text NOT NULL DEFAULT 'aveloxis.add_repo',
    data_collection_date timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE aveloxis_data.repos IS
    'One row per collected repository; repo_git is the normalised URL and follows renames';
CREATE INDEX ON aveloxis_data.repos (repo_group_id);
CREATE UNIQUE INDEX repos_repo_git_ci_idx ON aveloxis_data.repos (lower(repo_git));  -- GitHub names are case-insensitive
