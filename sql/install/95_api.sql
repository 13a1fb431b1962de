-- The SQL API (schema aveloxis). Functions that write are SECURITY DEFINER with a fixed
-- search_path, not executable by PUBLIC; the README shows the GRANTs for an admin role.

CREATE FUNCTION aveloxis.platform_uuid(platform_id integer, user_id bigint)
RETURNS uuid LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'aveloxis_platform_uuid';
COMMENT ON FUNCTION aveloxis.platform_uuid(integer, bigint) IS
    'Augur-compatible contributor id of a platform user (1 GitHub, 2 GitLab)';

CREATE FUNCTION aveloxis.parse_repo_url(url text, OUT repo_git text, OUT owner text,
                                        OUT name text, OUT host text)
RETURNS record LANGUAGE C STABLE STRICT
AS 'MODULE_PATHNAME', 'aveloxis_parse_repo_url';
COMMENT ON FUNCTION aveloxis.parse_repo_url(text) IS
    'Checks a repository URL (form, platform, aveloxis.allowed_hosts) and normalises it';

-- Add a repository (idempotent): returns its repo_id and queues it for collection.
CREATE FUNCTION aveloxis.add_repo(url text, priority integer DEFAULT 100,
                                  repo_group text DEFAULT NULL)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    u record;
    v_group_id bigint;
    v_repo_id bigint;
BEGIN
    IF url IS NULL THEN
        RAISE EXCEPTION 'repository URL must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF priority IS NULL OR priority < 0 THEN
        RAISE EXCEPTION 'priority must be a number >= 0 (lower runs first), not %', priority
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF repo_group IS NOT NULL AND btrim(repo_group) = '' THEN
        RAISE EXCEPTION 'repo_group must not be empty (NULL means the default group)'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT * INTO u FROM aveloxis.parse_repo_url(url);

    SELECT r.repo_id INTO v_repo_id FROM aveloxis_data.repos r
    WHERE lower(r.repo_git) = lower(u.repo_git);
    IF v_repo_id IS NULL THEN
        INSERT INTO aveloxis_data.repo_groups (rg_name, rg_description)
        VALUES (coalesce(repo_group, 'default'),
                CASE WHEN repo_group IS NULL THEN 'Repositories added without a group' ELSE '' END)
        ON CONFLICT (rg_name) DO NOTHING;
        SELECT g.repo_group_id INTO v_group_id FROM aveloxis_data.repo_groups g
        WHERE g.rg_name = coalesce(repo_group, 'default');

        INSERT INTO aveloxis_data.repos
            (repo_group_id, platform_id, repo_git, repo_name, repo_owner, repo_path)
        VALUES (v_group_id, 1, u.repo_git, u.name, u.owner, u.host || '/' || u.owner)
        ON CONFLICT ((lower(repo_git))) DO NOTHING
        RETURNING repo_id INTO v_repo_id;
        IF v_repo_id IS NULL THEN  -- added concurrently
            SELECT r.repo_id INTO v_repo_id FROM aveloxis_data.repos r
            WHERE lower(r.repo_git) = lower(u.repo_git);
        END IF;
    END IF;
    PERFORM aveloxis_ops.enqueue(v_repo_id, priority);
    RETURN v_repo_id;
END;
$$;
COMMENT ON FUNCTION aveloxis.add_repo(text, integer, text) IS
    'Adds a GitHub repository to collect (idempotent) and returns its repo_id';

-- Add an API token. The token is a secret: it is never echoed, logged or made readable.
CREATE FUNCTION aveloxis.add_key(token text, platform text DEFAULT 'github')
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_platform smallint;
    v_key_id bigint;
BEGIN
    v_platform := CASE lower(platform) WHEN 'github' THEN 1 WHEN 'gitlab' THEN 2 END;
    IF v_platform IS NULL THEN
        -- the value is not echoed: with the arguments swapped it would be the token
        RAISE EXCEPTION 'unknown platform: use ''github'' or ''gitlab'' (add_key(token, platform))'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF token IS NULL OR length(token) < 10 OR length(token) > 255 OR token !~ '^[\x21-\x7e]+$' THEN
        RAISE EXCEPTION 'not an API token: expected 10 to 255 printable ASCII characters without spaces'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    INSERT INTO aveloxis_ops.worker_oauth (platform_id, token) VALUES (v_platform, token)
    ON CONFLICT (platform_id, token) DO UPDATE SET invalid_at = NULL
    RETURNING key_id INTO v_key_id;
    RETURN v_key_id;
END;
$$;
COMMENT ON FUNCTION aveloxis.add_key(text, text) IS
    'Stores an API token for the collectors; returns its key_id (tokens are never shown)';

CREATE FUNCTION aveloxis_ops.repo_id_of(url text)
RETURNS bigint LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_repo_id bigint;
BEGIN
    SELECT r.repo_id INTO v_repo_id FROM aveloxis_data.repos r
    WHERE lower(r.repo_git) = lower((aveloxis.parse_repo_url(url)).repo_git);
    IF v_repo_id IS NULL THEN
        RAISE EXCEPTION 'repository % is not in aveloxis: add it with aveloxis.add_repo()', url
            USING ERRCODE = 'no_data_found';
    END IF;
    RETURN v_repo_id;
END;
$$;

-- Collect this repository next: priority 0, due now. A running job is left alone.
CREATE FUNCTION aveloxis.prioritize(repo_id bigint)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_status text;
BEGIN
    SELECT q.status INTO v_status FROM aveloxis_ops.collection_queue q
    WHERE q.repo_id = prioritize.repo_id FOR UPDATE;
    IF v_status IS NULL THEN
        RAISE EXCEPTION 'repo_id % is not in the aveloxis queue', prioritize.repo_id
            USING ERRCODE = 'no_data_found';
    ELSIF v_status = 'collecting' THEN
        RAISE NOTICE 'repo_id % is being collected now; left alone', prioritize.repo_id;
        RETURN;
    END IF;
    UPDATE aveloxis_ops.collection_queue q
    SET priority = 0, due_at = now(), status = 'queued', dequeued_reason = NULL
    WHERE q.repo_id = prioritize.repo_id;
END;
$$;

CREATE FUNCTION aveloxis.prioritize(url text)
RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT aveloxis.prioritize(aveloxis_ops.repo_id_of(url)) $$;

-- Force a full (not incremental) collection at the next run, due now.
CREATE FUNCTION aveloxis.recollect(url text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_repo_id bigint := aveloxis_ops.repo_id_of(url);
BEGIN
    UPDATE aveloxis_ops.collection_queue q
    SET force_full_collect = true,
        due_at = CASE WHEN q.status = 'collecting' THEN q.due_at ELSE now() END,
        status = CASE WHEN q.status = 'collecting' THEN 'collecting' ELSE 'queued' END,
        dequeued_reason = CASE WHEN q.status = 'collecting' THEN q.dequeued_reason END
    WHERE q.repo_id = v_repo_id;
END;
$$;

CREATE FUNCTION aveloxis.start_workers()
RETURNS integer LANGUAGE C VOLATILE
AS 'MODULE_PATHNAME', 'aveloxis_start_workers';
COMMENT ON FUNCTION aveloxis.start_workers() IS
    'Starts the launcher and collectors for this database (when aveloxis is not preloaded); returns the launcher PID';

CREATE PROCEDURE aveloxis.collect_now(url text)
LANGUAGE C AS 'MODULE_PATHNAME', 'aveloxis_collect_now';
COMMENT ON PROCEDURE aveloxis.collect_now(text) IS
    'Runs the whole pipeline for one repository in this session (CALL, superuser)';

-- Each repository's place in the queue and the outcome of its last run.
CREATE VIEW aveloxis.queue AS
SELECT r.repo_id, r.repo_git, g.rg_name AS repo_group, q.status, q.priority, q.due_at,
       q.locked_by, q.locked_pid, q.locked_at AS heartbeat_at, q.last_collected,
       q.last_attempt_at, q.last_duration_ms, q.last_error, q.force_full_collect,
       q.dequeued_reason, s.core_status, s.facade_status, r.repo_archived,
       (q.last_counts ->> 'issues')::bigint AS issues,
       (q.last_counts ->> 'pull_requests')::bigint AS pull_requests,
       (q.last_counts ->> 'messages')::bigint AS messages,
       (q.last_counts ->> 'releases')::bigint AS releases,
       (q.last_counts ->> 'commits')::bigint AS commits
FROM aveloxis_data.repos r
JOIN aveloxis_ops.collection_queue q USING (repo_id)
JOIN aveloxis_data.repo_groups g USING (repo_group_id)
LEFT JOIN aveloxis_ops.collection_status s USING (repo_id);
COMMENT ON VIEW aveloxis.queue IS 'Queue state, due time, last error and row counts per repository';

-- Privileges: nothing that writes or reads keys is open to PUBLIC.
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA aveloxis_ops FROM PUBLIC;
REVOKE ALL ON ALL PROCEDURES IN SCHEMA aveloxis FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION aveloxis.add_repo(text, integer, text), aveloxis.add_key(text, text),
    aveloxis.prioritize(bigint), aveloxis.prioritize(text), aveloxis.recollect(text),
    aveloxis.start_workers() FROM PUBLIC;
