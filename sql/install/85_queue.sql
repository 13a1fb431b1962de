-- Queue operations, called by the collectors and by collect_now (REFERENCE.md section 4).
-- Times and intervals come in as arguments: the C++ side reads them from GUCs.

-- Enqueue a repo; an existing row keeps the lower priority and a running job is left alone.
CREATE FUNCTION aveloxis_ops.enqueue(p_repo_id bigint, p_priority integer)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO aveloxis_ops.collection_queue AS q (repo_id, priority)
    VALUES (p_repo_id, p_priority)
    ON CONFLICT (repo_id) DO UPDATE SET priority = least(q.priority, EXCLUDED.priority);
    INSERT INTO aveloxis_ops.collection_status (repo_id) VALUES (p_repo_id)
    ON CONFLICT DO NOTHING;
$$;

-- Return jobs whose holder is gone to the queue: the locking backend no longer exists (PID
-- gone, or reused by a newer backend) or the lock predates the server start. A live holder's
-- job is never taken: if its heartbeat is older than the timeout it is hung, and it is asked
-- to stop (SIGTERM: it releases the job itself, or the next pass finds its PID gone).
CREATE FUNCTION aveloxis_ops.recover_stale_jobs(p_timeout_seconds integer)
RETURNS SETOF bigint LANGUAGE plpgsql AS $$
DECLARE
    j record;
BEGIN
    FOR j IN
        SELECT q.repo_id, q.history_id, q.locked_pid,
               CASE
                   WHEN NOT EXISTS (SELECT 1 FROM pg_stat_activity a
                                    WHERE a.pid = q.locked_pid
                                      AND a.backend_start = q.locked_backend_start)
                       THEN format('holder PID %s is gone', q.locked_pid)
                   WHEN q.locked_at < pg_postmaster_start_time()
                       THEN format('lock of PID %s predates the server start', q.locked_pid)
               END AS reason,
               q.locked_at < now() - make_interval(secs => p_timeout_seconds) AS hung
        FROM aveloxis_ops.collection_queue q
        WHERE q.status = 'collecting'
        FOR UPDATE OF q SKIP LOCKED
    LOOP
        IF j.reason IS NULL THEN
            IF j.hung AND j.locked_pid <> pg_backend_pid() THEN
                RAISE WARNING 'aveloxis: job of repo_id % sent no heartbeat for over % s; stopping its holder, PID %',
                    j.repo_id, p_timeout_seconds, j.locked_pid;
                PERFORM pg_terminate_backend(j.locked_pid);
            END IF;
            CONTINUE;
        END IF;
        UPDATE aveloxis_ops.worker_history h
        SET finished_at = now(), outcome = 'interrupted',
            error = 'recovered by PID ' || pg_backend_pid() || ': ' || j.reason
        WHERE h.history_id = j.history_id AND h.finished_at IS NULL;
        UPDATE aveloxis_ops.collection_status c SET core_status = 'Pending'
        WHERE c.repo_id = j.repo_id;
        UPDATE aveloxis_ops.collection_queue q
        SET status = 'queued', locked_by = NULL, locked_pid = NULL, locked_backend_start = NULL,
            locked_at = NULL, history_id = NULL, last_error = 'recovered: ' || j.reason
        WHERE q.repo_id = j.repo_id;
        RETURN NEXT j.repo_id;
    END LOOP;
END;
$$;

-- Claim the next due job (or, with p_repo_id, that repo's job whatever its due time) and open
-- its worker_history row, in one short transaction.
CREATE FUNCTION aveloxis_ops.claim_job(p_worker text, p_driver text, p_repo_id bigint DEFAULT NULL)
RETURNS TABLE (repo_id bigint, repo_git text, repo_owner text, repo_name text,
               force_full boolean, last_collected timestamptz, history_id bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_repo bigint;
    v_hist bigint;
BEGIN
    SELECT q.repo_id INTO v_repo
    FROM aveloxis_ops.collection_queue q
    WHERE q.status = 'queued'
      AND (CASE WHEN p_repo_id IS NULL THEN q.due_at <= now() ELSE q.repo_id = p_repo_id END)
    ORDER BY q.priority, q.due_at
    LIMIT 1
    FOR UPDATE SKIP LOCKED;
    IF v_repo IS NULL THEN
        RETURN;
    END IF;

    INSERT INTO aveloxis_ops.worker_history
        (repo_id, repo_git, driver, worker_name, worker_pid, backend_type)
    SELECT v_repo, r.repo_git, p_driver, p_worker, pg_backend_pid(),
           (SELECT a.backend_type FROM pg_stat_activity a WHERE a.pid = pg_backend_pid())
    FROM aveloxis_data.repos r WHERE r.repo_id = v_repo
    RETURNING worker_history.history_id INTO v_hist;

    UPDATE aveloxis_ops.collection_queue q
    SET status = 'collecting', locked_by = p_worker, locked_pid = pg_backend_pid(),
        locked_backend_start = (SELECT a.backend_start FROM pg_stat_activity a
                                WHERE a.pid = pg_backend_pid()),
        locked_at = now(), last_attempt_at = now(), history_id = v_hist
    WHERE q.repo_id = v_repo;

    UPDATE aveloxis_ops.collection_status s SET core_status = 'Collecting'
    WHERE s.repo_id = v_repo;

    -- The incremental window starts at the last run whose API phase succeeded, even if
    -- that run's facade failed: a repo with a failing clone is not refetched in full.
    RETURN QUERY
    SELECT r.repo_id, r.repo_git, r.repo_owner, r.repo_name, q.force_full_collect,
           coalesce(s.core_data_last_collected, q.last_collected), v_hist
    FROM aveloxis_data.repos r JOIN aveloxis_ops.collection_queue q USING (repo_id)
    LEFT JOIN aveloxis_ops.collection_status s USING (repo_id)
    WHERE r.repo_id = v_repo;
END;
$$;

-- Refresh the heartbeat of a job this backend holds.
CREATE FUNCTION aveloxis_ops.heartbeat(p_repo_id bigint)
RETURNS boolean LANGUAGE sql AS $$
    UPDATE aveloxis_ops.collection_queue SET locked_at = now()
    WHERE repo_id = p_repo_id AND locked_pid = pg_backend_pid()
    RETURNING true;
$$;

-- Finish a job this backend holds. p_outcome: success | error | interrupted | dequeued.
--   success:     due again after the recollect interval, priority back to 100,
--                last_collected = job start, force_full_collect cleared;
--   error:       due again after the retry interval, error kept on the row;
--   interrupted: back to queued at once, due time unchanged (another worker may take it);
--   dequeued:    the repo is gone (404/410) or a duplicate: not collected again until
--                recollect() or prioritize().
CREATE FUNCTION aveloxis_ops.finish_job(p_repo_id bigint, p_history_id bigint, p_outcome text,
                                        p_error text, p_counts jsonb, p_http_stats jsonb,
                                        p_started_at timestamptz, p_next_due_seconds integer,
                                        p_was_full boolean DEFAULT true)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- A job recovered from this backend (its heartbeat timed out) is no longer ours: its
    -- queue row and its closed history row are left as the recovery wrote them.
    PERFORM 1 FROM aveloxis_ops.collection_queue q
    WHERE q.repo_id = p_repo_id AND q.locked_pid = pg_backend_pid()
      AND q.history_id = p_history_id
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE WARNING 'aveloxis: the job of repo_id % was recovered by another worker; its outcome (%) is not recorded',
            p_repo_id, p_outcome;
        RETURN;
    END IF;

    UPDATE aveloxis_ops.worker_history
    SET finished_at = now(), outcome = p_outcome, error = p_error,
        counts = coalesce(p_counts, '{}'), http_stats = p_http_stats,
        http_requests = (p_http_stats ->> 'requests')::bigint
    WHERE history_id = p_history_id;

    -- A core phase the run did not finish: Pending (interrupted), Standby (dequeued), Error.
    UPDATE aveloxis_ops.collection_status c
    SET core_status = CASE p_outcome WHEN 'interrupted' THEN 'Pending'
                                     WHEN 'dequeued' THEN 'Standby' ELSE 'Error' END
    WHERE c.repo_id = p_repo_id AND c.core_status = 'Collecting';

    UPDATE aveloxis_ops.collection_queue q
    SET status = CASE p_outcome WHEN 'dequeued' THEN 'dequeued' ELSE 'queued' END,
        locked_by = NULL, locked_pid = NULL, locked_backend_start = NULL, locked_at = NULL,
        history_id = NULL,
        priority = CASE p_outcome WHEN 'success' THEN 100 ELSE q.priority END,
        due_at = CASE p_outcome
                     WHEN 'interrupted' THEN q.due_at
                     ELSE now() + make_interval(secs => p_next_due_seconds) END,
        last_collected = CASE p_outcome WHEN 'success' THEN p_started_at
                                        ELSE q.last_collected END,
        -- a recollect() asked for during an incremental run still gets its full run
        force_full_collect = CASE WHEN p_outcome = 'success' AND p_was_full THEN false
                                  ELSE q.force_full_collect END,
        last_error = p_error,
        last_counts = CASE WHEN p_outcome IN ('success', 'error') THEN coalesce(p_counts, '{}')
                           ELSE q.last_counts END,
        last_duration_ms = (extract(epoch FROM now() - p_started_at) * 1000)::bigint,
        dequeued_reason = CASE p_outcome WHEN 'dequeued' THEN p_error END
    WHERE q.repo_id = p_repo_id AND q.locked_pid = pg_backend_pid();
END;
$$;

-- Per-phase status in Augur's vocabulary. A successful phase records the start of its job as
-- its data_last_collected: items updated while the job ran are picked up next time.
CREATE FUNCTION aveloxis_ops.set_phase_status(p_repo_id bigint, p_phase text, p_status text,
                                              p_job_started_at timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_phase = 'core' THEN
        UPDATE aveloxis_ops.collection_status
        SET core_status = p_status,
            core_data_last_collected = CASE WHEN p_status = 'Success' THEN p_job_started_at
                                            ELSE core_data_last_collected END
        WHERE repo_id = p_repo_id;
    ELSIF p_phase = 'facade' THEN
        UPDATE aveloxis_ops.collection_status
        SET facade_status = p_status,
            facade_data_last_collected = CASE WHEN p_status = 'Success' THEN p_job_started_at
                                              ELSE facade_data_last_collected END
        WHERE repo_id = p_repo_id;
    ELSE
        RAISE EXCEPTION 'unknown collection phase "%"', p_phase;
    END IF;
END;
$$;

-- Prelim's rename step, from the newest staged repo object: a different full_name means the
-- repository was renamed or transferred. Updates repo_git/owner/name, unless the new name is
-- already another repo of ours (then that one is returned and this row is a duplicate).
CREATE FUNCTION aveloxis_ops.apply_rename(p_repo_id bigint, OUT full_name text,
                                          OUT dup_repo_git text, OUT id bigint)
LANGUAGE plpgsql AS $$
DECLARE
    r jsonb;
    cur aveloxis_data.repos;
    new_git text;
BEGIN
    SELECT s.payload INTO r FROM aveloxis_ops.staging s
    WHERE s.repo_id = p_repo_id AND s.entity_type = 'repo'
    ORDER BY s.staging_id DESC LIMIT 1;
    SELECT * INTO cur FROM aveloxis_data.repos WHERE repo_id = p_repo_id;
    full_name := cur.repo_owner || '/' || cur.repo_name;
    id := CASE WHEN r ->> 'id' ~ '^[0-9]{1,18}$' THEN (r ->> 'id')::bigint END;
    -- only a well-formed owner/name from the API may change the stored URL
    IF r ->> 'full_name' IS NULL
       OR r ->> 'full_name' !~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,38}/[A-Za-z0-9._-]{1,100}$' THEN
        RETURN;
    END IF;
    full_name := r ->> 'full_name';
    new_git := 'https://github.com/' || full_name;
    IF new_git = cur.repo_git THEN
        RETURN;
    END IF;
    SELECT x.repo_git INTO dup_repo_git FROM aveloxis_data.repos x
    WHERE lower(x.repo_git) = lower(new_git) AND x.repo_id <> p_repo_id;
    IF dup_repo_git IS NOT NULL THEN
        RETURN;
    END IF;
    UPDATE aveloxis_data.repos
    SET repo_git = new_git, repo_owner = split_part(full_name, '/', 1),
        repo_name = split_part(full_name, '/', 2),
        repo_path = 'github.com/' || split_part(full_name, '/', 1)
    WHERE repo_id = p_repo_id;
END;
$$;
