-- Pull requests, from the pulls list and from issue-list items that are PRs.
-- An issue-list item knows the PR's number but not its PR id, so the key is (repo_id, pr_number);
-- platform_pr_id is filled once the pulls list has been read.

CREATE TABLE aveloxis_data.pull_requests (
    pull_request_id      bigserial PRIMARY KEY,
    repo_id              bigint NOT NULL REFERENCES aveloxis_data.repos,
    platform_pr_id       bigint,
    platform_issue_id    bigint,                -- id of the PR's issue object (issue list)
    node_id              text,
    pr_number            integer NOT NULL,
    pr_url               text,
    pr_html_url          text,
    pr_diff_url          text,
    pr_title             text,
    pr_body              text,
    pr_state             text,
    pr_locked            boolean,
    pr_draft             boolean,
    created_at           timestamptz,
    updated_at           timestamptz,
    closed_at            timestamptz,
    merged_at            timestamptz,
    merge_commit_sha     text,
    author_id            uuid REFERENCES aveloxis_data.contributors ON UPDATE CASCADE,
    author_association   text,
    head_ref             text,
    head_sha             text,
    base_ref             text,
    base_sha             text,
    seen_in_pulls_list   boolean NOT NULL DEFAULT false,
    tool_source          text NOT NULL DEFAULT 'aveloxis',
    tool_version         text NOT NULL DEFAULT '0.1.0',
    data_source          text NOT NULL DEFAULT 'GitHub API',
    data_collection_date timestamptz NOT NULL DEFAULT now(),
    UNIQUE (repo_id, pr_number)
);
COMMENT ON TABLE aveloxis_data.pull_requests IS
    'Pull requests of a repository; seen_in_pulls_list tells whether pulls-only fields are known';
CREATE INDEX ON aveloxis_data.pull_requests (repo_id, platform_pr_id);
CREATE INDEX ON aveloxis_data.pull_requests (author_id);

CREATE TABLE aveloxis_data.pull_request_labels (
    pr_label_id          bigserial PRIMARY KEY,
    pull_request_id      bigint NOT NULL REFERENCES aveloxis_data.pull_requests ON DELETE CASCADE,
    repo_id              bigint NOT NULL REFERENCES aveloxis_data.repos,
    platform_label_id    bigint,
    node_id              text,
    label_name           text NOT NULL,
    label_description    text,
    label_color          text,
    is_default           boolean,
    tool_source          text NOT NULL DEFAULT 'aveloxis',
    tool_version         text NOT NULL DEFAULT '0.1.0',
    data_source          text NOT NULL DEFAULT 'GitHub API',
    data_collection_date timestamptz NOT NULL DEFAULT now(),
    UNIQUE (pull_request_id, label_name)
);
COMMENT ON TABLE aveloxis_data.pull_request_labels IS 'Labels currently on a pull request';

CREATE TABLE aveloxis_data.pull_request_assignees (
    pr_assignee_id       bigserial PRIMARY KEY,
    pull_request_id      bigint NOT NULL REFERENCES aveloxis_data.pull_requests ON DELETE CASCADE,
    repo_id              bigint NOT NULL REFERENCES aveloxis_data.repos,
    cntrb_id             uuid REFERENCES aveloxis_data.contributors ON UPDATE CASCADE,
    platform_assignee_id bigint NOT NULL,
    tool_source          text NOT NULL DEFAULT 'aveloxis',
    tool_version         text NOT NULL DEFAULT '0.1.0',
    data_source          text NOT NULL DEFAULT 'GitHub API',
    data_collection_date timestamptz NOT NULL DEFAULT now(),
    UNIQUE (pull_request_id, platform_assignee_id)
);
COMMENT ON TABLE aveloxis_data.pull_request_assignees IS 'Users currently assigned to a pull request';
