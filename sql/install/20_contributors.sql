-- Contributors: one row per person, ids from aveloxis.platform_uuid(platform, user id).

CREATE TABLE aveloxis_data.contributors (
    cntrb_id             uuid PRIMARY KEY,
    cntrb_login          text NOT NULL DEFAULT '',
    cntrb_email          text,
    cntrb_full_name      text,
    cntrb_company        text,
    cntrb_location       text,
    cntrb_canonical      text,
    cntrb_type           text,                           -- User, Bot, Organization
    cntrb_created_at     timestamptz,
    gh_user_id           bigint,
    gh_login             text,
    gh_url               text,
    gh_html_url          text,
    gh_node_id           text,
    gh_avatar_url        text,
    gh_gravatar_id       text,
    gh_type              text,
    gh_site_admin        text,
    tool_source          text NOT NULL DEFAULT 'aveloxis',
    tool_version         text NOT NULL DEFAULT '0.1.0',
    data_source          text NOT NULL DEFAULT 'GitHub API',
    data_collection_date timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE aveloxis_data.contributors IS
    'People seen on any platform; cntrb_id is Augur''s deterministic id for (platform, user id)';
CREATE INDEX ON aveloxis_data.contributors (cntrb_login);
CREATE INDEX ON aveloxis_data.contributors (gh_user_id);

-- Identity is (platform, platform user id), never the bare login: a GitHub and a GitLab
-- user with the same login are different people (a known defect of Aveloxis).
-- Logins are indexed, not unique: a renamed account frees its login for someone else.
CREATE TABLE aveloxis_data.contributor_identities (
    identity_id          bigserial PRIMARY KEY,
    cntrb_id             uuid NOT NULL REFERENCES aveloxis_data.contributors ON UPDATE CASCADE,
    platform_id          smallint NOT NULL REFERENCES aveloxis_data.platforms,
    platform_user_id     bigint NOT NULL,
    login                text NOT NULL DEFAULT '',
    name                 text,
    email                text,
    avatar_url           text,
    profile_url          text,
    node_id              text,
    user_type            text,
    is_admin             boolean NOT NULL DEFAULT false,
    tool_source          text NOT NULL DEFAULT 'aveloxis',
    tool_version         text NOT NULL DEFAULT '0.1.0',
    data_source          text NOT NULL DEFAULT 'GitHub API',
    data_collection_date timestamptz NOT NULL DEFAULT now(),
    UNIQUE (platform_id, platform_user_id)
);
COMMENT ON TABLE aveloxis_data.contributor_identities IS
    'A contributor''s account on one platform, keyed by (platform_id, platform_user_id)';
CREATE INDEX ON aveloxis_data.contributor_identities (platform_id, lower(login));
