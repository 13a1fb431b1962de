-- Conversation comments on issues and pull requests, with one ref row tying each to its parent.

CREATE TABLE aveloxis_data.messages (
    msg_id               bigserial PRIMARY KEY,
    repo_id              bigint NOT NULL REFERENCES aveloxis_data.repos,
    platform_msg_id      bigint NOT NULL,
    platform_id          smallint NOT NULL REFERENCES aveloxis_data.platforms,
    node_id              text,
    msg_text             text,
    msg_timestamp        timestamptz,           -- created_at of the comment
    msg_updated_at       timestamptz,
    msg_html_url         text,
    author_association   text,
    cntrb_id             uuid REFERENCES aveloxis_data.contributors ON UPDATE CASCADE,
    tool_source          text NOT NULL DEFAULT 'aveloxis',
    tool_version         text NOT NULL DEFAULT '0.1.0',
    data_source          text NOT NULL DEFAULT 'GitHub API',
    data_collection_date timestamptz NOT NULL DEFAULT now(),
    UNIQUE (platform_msg_id, platform_id)
);
COMMENT ON TABLE aveloxis_data.messages IS 'Issue and pull-request conversation comments';
CREATE INDEX ON aveloxis_data.messages (repo_id);

CREATE TABLE aveloxis_data.issue_message_ref (
    issue_msg_ref_id     bigserial PRIMARY KEY,
    issue_id             bigint NOT NULL REFERENCES aveloxis_data.issues ON DELETE CASCADE,
    repo_id              bigint NOT NULL REFERENCES aveloxis_data.repos,
    msg_id               bigint NOT NULL REFERENCES aveloxis_data.messages ON DELETE CASCADE,
    platform_src_id      bigint,
    platform_node_id     text,
    tool_source          text NOT NULL DEFAULT 'aveloxis',
    tool_version         text NOT NULL DEFAULT '0.1.0',
    data_source          text NOT NULL DEFAULT 'GitHub API',
    data_collection_date timestamptz NOT NULL DEFAULT now(),
    UNIQUE (issue_id, msg_id)
);
COMMENT ON TABLE aveloxis_data.issue_message_ref IS 'Which issue a message was posted on';

CREATE TABLE aveloxis_data.pull_request_message_ref (
    pr_msg_ref_id        bigserial PRIMARY KEY,
    pull_request_id      bigint NOT NULL REFERENCES aveloxis_data.pull_requests ON DELETE CASCADE,
    repo_id              bigint NOT NULL REFERENCES aveloxis_data.repos,
    msg_id               bigint NOT NULL REFERENCES aveloxis_data.messages ON DELETE CASCADE,
    platform_src_id      bigint,
    platform_node_id     text,
    tool_source          text NOT NULL DEFAULT 'aveloxis',
    tool_version         text NOT NULL DEFAULT '0.1.0',
    data_source          text NOT NULL DEFAULT 'GitHub API',
    data_collection_date timestamptz NOT NULL DEFAULT now(),
    UNIQUE (pull_request_id, msg_id)
);
COMMENT ON TABLE aveloxis_data.pull_request_message_ref IS
    'Which pull request a conversation message was posted on';
