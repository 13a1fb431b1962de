-- Git history (facade): one commits row per (commit, changed file), as `git log --numstat`.

CREATE TABLE aveloxis_data.commits (
    cmt_id                    bigserial PRIMARY KEY,
    repo_id                   bigint NOT NULL REFERENCES aveloxis_data.repos,
    cmt_commit_hash           text NOT NULL,
    cmt_author_name           text NOT NULL,
    cmt_author_raw_email      text NOT NULL,
    cmt_author_email          text NOT NULL,   -- lower-cased, trimmed
    cmt_author_date           text NOT NULL,   -- 'YYYY-MM-DD HH:MM:SS +ZZZZ' as git %ai
    cmt_author_affiliation    text,
    cmt_committer_name        text NOT NULL,
    cmt_committer_raw_email   text NOT NULL,
    cmt_committer_email       text NOT NULL,
    cmt_committer_date        text NOT NULL,
    cmt_committer_affiliation text,
    cmt_added                 integer,         -- NULL for a binary file (git prints '-')
    cmt_removed               integer,
    cmt_whitespace            integer,
    cmt_filename              text NOT NULL,   -- '(no files)' for merges and empty commits
    cmt_date_attempted        timestamptz NOT NULL DEFAULT now(),
    cmt_author_timestamp      timestamptz NOT NULL,
    cmt_committer_timestamp   timestamptz NOT NULL,
    cmt_ght_author_id         uuid,
    tool_source               text NOT NULL DEFAULT 'aveloxis',
    tool_version              text NOT NULL DEFAULT '0.1.0',
    data_source               text NOT NULL DEFAULT 'git',
    data_collection_date      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (repo_id, cmt_commit_hash, cmt_filename)
);
COMMENT ON TABLE aveloxis_data.commits IS
    'One row per (commit, file changed) of the default branch, with lines added and removed';
CREATE INDEX ON aveloxis_data.commits (cmt_author_email);

CREATE TABLE aveloxis_data.commit_parents (
    cmt_id               bigint NOT NULL REFERENCES aveloxis_data.commits ON DELETE CASCADE,
    parent_id            bigint NOT NULL REFERENCES aveloxis_data.commits ON DELETE CASCADE,
    tool_source          text NOT NULL DEFAULT 'aveloxis',
    tool_version         text NOT NULL DEFAULT '0.1.0',
    data_source          text NOT NULL DEFAULT 'git',
    data_collection_date timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cmt_id, parent_id)
);
COMMENT ON TABLE aveloxis_data.commit_parents IS
    'Parent links; both ids are the first commits row (lowest cmt_id) of each commit';

CREATE TABLE aveloxis_data.commit_messages (
    cmt_msg_id           bigserial PRIMARY KEY,
    repo_id              bigint NOT NULL REFERENCES aveloxis_data.repos,
    cmt_msg              text NOT NULL,
    cmt_hash             text NOT NULL,
    tool_source          text NOT NULL DEFAULT 'aveloxis',
    tool_version         text NOT NULL DEFAULT '0.1.0',
    data_source          text NOT NULL DEFAULT 'git',
    data_collection_date timestamptz NOT NULL DEFAULT now(),
    UNIQUE (repo_id, cmt_hash)
);
COMMENT ON TABLE aveloxis_data.commit_messages IS
    'Full message of each commit; a row here also marks the commit as completely stored';
