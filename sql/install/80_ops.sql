-- Operational tables: the queue, staging, per-phase status, API keys, worker history.

-- One row per repository. Claimed with FOR UPDATE SKIP LOCKED by collectors.
CREATE TABLE aveloxis_ops.collection_queue (
    repo_id              bigint PRIMARY KEY REFERENCES aveloxis_data.repos ON DELETE CASCADE,
    priority             integer NOT NULL DEFAULT 100,    -- lower runs first
    status               text NOT NULL DEFAULT 'queued'
                         CHECK (status IN ('queued', 'collecting', 'dequeued')),
    due_at               timestamptz NOT NULL DEFAULT now(),
    locked_by            text,                            -- 'collector 2' or 'collect_now'
    locked_pid           integer,
    locked_backend_start timestamptz,                     -- with locked_pid: which backend holds it
    locked_at            timestamptz,                     -- claim time, refreshed as a heartbeat
    last_collected       timestamptz,                     -- start of the last successful run
    last_attempt_at      timestamptz,
    last_error           text,
    last_counts          jsonb NOT NULL DEFAULT '{}',
    last_duration_ms     bigint,
    force_full_collect   boolean NOT NULL DEFAULT false,
    dequeued_reason      text,
    history_id           bigint,                          -- worker_history row of the running job
    CHECK ((status = 'collecting') = (locked_pid IS NOT NULL))
);
COMMENT ON TABLE aveloxis_ops.collection_queue IS
    'Collection queue, one row per repo: due time, priority, lock holder, outcome of the last run';
CREATE INDEX collection_queue_claim_idx ON aveloxis_ops.collection_queue (priority, due_at)
    WHERE status = 'queued';

-- Augur's per-phase status columns.
CREATE TABLE aveloxis_ops.collection_status (
    repo_id                      bigint PRIMARY KEY REFERENCES aveloxis_data.repos ON DELETE CASCADE,
    core_status                  text NOT NULL DEFAULT 'Pending',
    core_task_id                 text,
    core_data_last_collected     timestamptz,
    core_weight                  bigint,
    secondary_status             text NOT NULL DEFAULT 'Pending',
    secondary_data_last_collected timestamptz,
    facade_status                text NOT NULL DEFAULT 'Pending',
    facade_data_last_collected   timestamptz,
    facade_task_id               text,
    ml_status                    text NOT NULL DEFAULT 'Pending',
    ml_data_last_collected       timestamptz,
    issue_pr_sum                 bigint,
    commit_sum                   bigint,
    CHECK (core_status IN ('Pending', 'Initializing', 'Collecting', 'Success', 'Error',
                           'Update', 'Failed Clone', 'Standby')),
    CHECK (facade_status IN ('Pending', 'Initializing', 'Collecting', 'Success', 'Error',
                             'Update', 'Failed Clone', 'Standby'))
);
COMMENT ON TABLE aveloxis_ops.collection_status IS
    'Augur-style per-phase status of each repo (core = API data, facade = git history)';

-- Raw API pages, kept until processed into the relational tables.
CREATE TABLE aveloxis_ops.staging (
    staging_id   bigserial PRIMARY KEY,
    repo_id      bigint NOT NULL REFERENCES aveloxis_data.repos ON DELETE CASCADE,
    platform_id  smallint NOT NULL REFERENCES aveloxis_data.platforms,
    entity_type  text NOT NULL,     -- repo, releases, contributors, issues, pulls, issue_comments
    page_url     text,
    payload      jsonb NOT NULL,    -- one page (array) or one object
    created_at   timestamptz NOT NULL DEFAULT now(),
    processed    boolean NOT NULL DEFAULT false,
    processed_at timestamptz,
    error        text              -- set: the page could not be processed and is skipped
);
COMMENT ON TABLE aveloxis_ops.staging IS
    'Raw API responses (JSONB) awaiting processing; unprocessed rows survive crashes';
CREATE INDEX staging_unprocessed_idx ON aveloxis_ops.staging (repo_id, entity_type, staging_id)
    WHERE NOT processed AND error IS NULL;

-- API keys. Secrets: no grant to anyone; only the extension's SECURITY DEFINER code reads them.
CREATE TABLE aveloxis_ops.worker_oauth (
    key_id       bigserial PRIMARY KEY,
    platform_id  smallint NOT NULL REFERENCES aveloxis_data.platforms,
    token        text NOT NULL,
    label        text,
    added_at     timestamptz NOT NULL DEFAULT now(),
    invalid_at   timestamptz,       -- set when the platform answered 401 for it
    UNIQUE (platform_id, token)
);
COMMENT ON TABLE aveloxis_ops.worker_oauth IS
    'API tokens used by collectors; readable by superusers only, never logged';
REVOKE ALL ON aveloxis_ops.worker_oauth FROM PUBLIC;

-- One row per job run, whichever driver ran it.
CREATE TABLE aveloxis_ops.worker_history (
    history_id    bigserial PRIMARY KEY,
    repo_id       bigint REFERENCES aveloxis_data.repos ON DELETE SET NULL,
    repo_git      text NOT NULL,
    driver        text NOT NULL CHECK (driver IN ('background worker', 'collect_now')),
    worker_name   text NOT NULL,
    worker_pid    integer NOT NULL,
    backend_type  text,
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    outcome       text CHECK (outcome IN ('success', 'error', 'interrupted', 'dequeued')),
    error         text,
    counts        jsonb NOT NULL DEFAULT '{}',
    http_requests bigint,
    http_stats    jsonb
);
COMMENT ON TABLE aveloxis_ops.worker_history IS
    'One row per collection job run: worker, PID, times, outcome, row counts, HTTP statistics';
CREATE INDEX ON aveloxis_ops.worker_history (repo_id, started_at);
