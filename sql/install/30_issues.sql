-- Issues (pull requests excluded: GitHub's issue list returns both; PRs go to pull_requests).
-- Natural key inside a repo is the number: recorded ids can repeat (anonymised fixtures) and a
-- number never changes, so upserts key on (repo_id, issue_number).

CREATE TABLE aveloxis_data.issues (
    issue_id             bigserial PRIMARY KEY,
    repo_id              bigint NOT NULL REFERENCES aveloxis_data.repos,
    platform_issue_id    bigint,
    issue_number         integer NOT NULL,
    node_id              text,
    issue_title          text,
    issue_body           text,
    issue_state          text,
    issue_url            text,
    html_url             text,
    reporter_id          uuid REFERENCES aveloxis_data.contributors ON UPDATE CASCADE,
    closed_by_id         uuid REFERENCES aveloxis_data.contributors ON UPDATE CASCADE,
    pull_request         bigint,                -- Augur column, always NULL here (PRs live apart)
    pull_request_id      bigint,                -- Augur column, always NULL here
    created_at           timestamptz,
    updated_at           timestamptz,
    closed_at            timestamptz,
    comment_count        integer,
    author_association   text,
    tool_source          text NOT NULL DEFAULT 'aveloxis',
    tool_version         text NOT NULL DEFAULT '0.1.0',
    data_source          text NOT NULL DEFAULT 'GitHub API',
    data_collection_date timestamptz NOT NULL DEFAULT now(),
    UNIQUE (repo_id, issue_number)
);
COMMENT ON TABLE aveloxis_data.issues IS 'Issues of a repository (not pull requests)';
CREATE INDEX ON aveloxis_data.issues (repo_id, platform_issue_id);
CREATE INDEX ON aveloxis_data.issues (reporter_id);

CREATE TABLE aveloxis_data.issue_labels (
    issue_label_id       bigserial PRIMARY KEY,
    issue_id             bigint NOT NULL REFERENCES aveloxis_data.issues ON DELETE CASCADE,
    repo_id              bigint NOT NULL REFERENCES aveloxis_data.repos,
    platform_label_id    bigint,                -- NULL in 2012-era data, which had no label ids
    node_id              text,
    label_text           text NOT NULL,
    label_description    text,
    label_color          text,
    tool_source          text NOT NULL DEFAULT 'aveloxis',
    tool_version         text NOT NULL DEFAULT '0.1.0',
    data_source          text NOT NULL DEFAULT 'GitHub API',
    data_collection_date timestamptz NOT NULL DEFAULT now(),
    UNIQUE (issue_id, label_text)
);
COMMENT ON TABLE aveloxis_data.issue_labels IS 'Labels currently on an issue, keyed on the label name';

CREATE TABLE aveloxis_data.issue_assignees (
    issue_assignee_id    bigserial PRIMARY KEY,
    issue_id             bigint NOT NULL REFERENCES aveloxis_data.issues ON DELETE CASCADE,
    repo_id              bigint NOT NULL REFERENCES aveloxis_data.repos,
    cntrb_id             uuid REFERENCES aveloxis_data.contributors ON UPDATE CASCADE,
    platform_assignee_id bigint NOT NULL,
    platform_node_id     text,
    tool_source          text NOT NULL DEFAULT 'aveloxis',
    tool_version         text NOT NULL DEFAULT '0.1.0',
    data_source          text NOT NULL DEFAULT 'GitHub API',
    data_collection_date timestamptz NOT NULL DEFAULT now(),
    UNIQUE (issue_id, platform_assignee_id)
);
COMMENT ON TABLE aveloxis_data.issue_assignees IS 'Users currently assigned to an issue';
