-- pg_regress tests of the aveloxis SQL API, run as a superuser in contrib_regression (no
-- background worker ever works in this database, so the queue only changes when we change it).
-- Results must not depend on ports, PIDs or times: times are compared, never printed, and the
-- own backend's PID is masked as <own pid>.
CREATE EXTENSION aveloxis;
-- the host allow-list of the test environment includes the API fake's port: fix it here
SET aveloxis.allowed_hosts = 'github.com,gitlab.com';
-- PL/pgSQL line numbers in CONTEXT lines are not part of the API
\set SHOW_CONTEXT never

------------------------------------------------------------------------------------------
-- platform_uuid: the test vectors of REFERENCE.md section 2, checked against the literal.
------------------------------------------------------------------------------------------
SELECT platform, user_id, aveloxis.platform_uuid(platform, user_id) AS cntrb_id,
       aveloxis.platform_uuid(platform, user_id) = expected::uuid AS matches_reference
FROM (VALUES (1, 1::bigint, '01000000-0100-0000-0000-000000000000'),
             (1, 12345, '01000030-3900-0000-0000-000000000000'),
             (1, 29740296, '0101c5cd-0800-0000-0000-000000000000'),
             (2, 1, '02000000-0100-0000-0000-000000000000'),
             (1, 4294967296, '01000000-0100-0000-0000-000000000001'),
             (1, -1, '01ffffff-ffff-ffff-ff00-000000000001')) AS v(platform, user_id, expected)
ORDER BY platform, user_id;
-- the edges of the 32-bit layout (0 and 2^32-1) and of bigint; platform 0 and 255 fit a byte
SELECT aveloxis.platform_uuid(1, 0) AS user_0,
       aveloxis.platform_uuid(1, 4294967295) AS user_2_32_minus_1,
       aveloxis.platform_uuid(1, 9223372036854775807) AS bigint_max;
SELECT aveloxis.platform_uuid(0, 1) AS platform_0, aveloxis.platform_uuid(255, 1) AS platform_255;
-- the marker byte keeps k*2^32 apart from k (Aveloxis without it would give the same id)
SELECT aveloxis.platform_uuid(1, 12345 * 4294967296::bigint) <> aveloxis.platform_uuid(1, 12345)
    AS large_id_differs;
-- the platform must fit in byte 0
SELECT aveloxis.platform_uuid(256, 1);
SELECT aveloxis.platform_uuid(-1, 1);
-- STRICT: NULL in, NULL out
SELECT aveloxis.platform_uuid(NULL, 1) IS NULL AS null_platform,
       aveloxis.platform_uuid(1, NULL) IS NULL AS null_user;

------------------------------------------------------------------------------------------
-- parse_repo_url: accepted forms are normalised to https://github.com/owner/name, the case
-- of owner and name kept.
------------------------------------------------------------------------------------------
SELECT v.url, p.*
FROM (VALUES ('https://github.com/chaoss/augur'),
             ('https://github.com/chaoss/augur.git'),
             ('https://github.com/chaoss/augur/'),
             ('https://github.com/chaoss/augur.git/'),
             ('https://github.com/chaoss/augur.GIT'),
             ('http://github.com/chaoss/augur'),
             ('https://www.github.com/chaoss/augur'),
             ('HTTPS://GitHub.COM/openframeworks/openFrameworks'),
             ('https://github.com/oss-aspen/8Knot'),
             ('https://github.com/my_emu/repo.name-with_chars'),
             ('  https://github.com/chaoss/augur  ')) AS v(url),
     LATERAL aveloxis.parse_repo_url(v.url) AS p;
-- STRICT: NULL in, NULL out
SELECT (aveloxis.parse_repo_url(NULL)).repo_git IS NULL AS null_url;

-- Rejected forms: each error names the problem and quotes the URL.
-- not a URL at all
SELECT * FROM aveloxis.parse_repo_url('');
SELECT * FROM aveloxis.parse_repo_url('github.com/chaoss/augur');
SELECT * FROM aveloxis.parse_repo_url('git@github.com:chaoss/augur.git');
SELECT * FROM aveloxis.parse_repo_url('https://github.com/chaoss/augur and more');
SELECT * FROM aveloxis.parse_repo_url(E'https://github.com/chaoss/au\tgur');
-- other schemes
SELECT * FROM aveloxis.parse_repo_url('ftp://github.com/chaoss/augur');
SELECT * FROM aveloxis.parse_repo_url('ssh://git@github.com/chaoss/augur.git');
-- GitLab is recognised but not supported yet
SELECT * FROM aveloxis.parse_repo_url('https://gitlab.com/gitlab-org/gitlab');
SELECT * FROM aveloxis.parse_repo_url('https://gitlab.example.org/group/project');
-- other hosts, including look-alikes
SELECT * FROM aveloxis.parse_repo_url('https://bitbucket.org/chaoss/augur');
SELECT * FROM aveloxis.parse_repo_url('https://github.com.evil.example/chaoss/augur');
SELECT * FROM aveloxis.parse_repo_url('https://gist.github.com/chaoss/augur');
-- the API host is not a repository URL
SELECT * FROM aveloxis.parse_repo_url('https://api.github.com/repos/chaoss/augur');
-- no owner/repository path, or only an owner
SELECT * FROM aveloxis.parse_repo_url('https://github.com');
SELECT * FROM aveloxis.parse_repo_url('https://github.com/');
SELECT * FROM aveloxis.parse_repo_url('https://github.com/chaoss');
SELECT * FROM aveloxis.parse_repo_url('https://github.com//augur');
-- extra path after owner/repository
SELECT * FROM aveloxis.parse_repo_url('https://github.com/chaoss/augur/issues/1');
SELECT * FROM aveloxis.parse_repo_url('https://github.com/chaoss/augur/tree/main');
-- credentials: refused, and never repeated in the message (masked as ***)
SELECT * FROM aveloxis.parse_repo_url('https://x-access-token:ghp_SECRETSECRET@github.com/chaoss/augur');
SELECT * FROM aveloxis.parse_repo_url('https://ghp_SECRETSECRET@github.com/chaoss/augur');
SELECT * FROM aveloxis.parse_repo_url('https://github.com@evil.example/chaoss/augur');
-- a port, a query string, a fragment
SELECT * FROM aveloxis.parse_repo_url('https://github.com:443/chaoss/augur');
SELECT * FROM aveloxis.parse_repo_url('https://github.com/chaoss/augur?tab=readme');
SELECT * FROM aveloxis.parse_repo_url('https://github.com/chaoss/augur#readme');
-- bad owners: leading/trailing/double hyphen, other characters, longer than 39
SELECT * FROM aveloxis.parse_repo_url('https://github.com/-chaoss/augur');
SELECT * FROM aveloxis.parse_repo_url('https://github.com/chaoss-/augur');
SELECT * FROM aveloxis.parse_repo_url('https://github.com/cha--oss/augur');
SELECT * FROM aveloxis.parse_repo_url('https://github.com/cha.oss/augur');
SELECT * FROM aveloxis.parse_repo_url('https://github.com/' || repeat('a', 40) || '/augur');
SELECT length((aveloxis.parse_repo_url('https://github.com/' || repeat('a', 39) || '/augur')).owner)
    AS owner_of_39_accepted;
-- bad repository names: other characters, '.', '..', only '.git', longer than 100
SELECT * FROM aveloxis.parse_repo_url('https://github.com/chaoss/au%20gur');
SELECT * FROM aveloxis.parse_repo_url('https://github.com/chaoss/au$gur');
SELECT * FROM aveloxis.parse_repo_url('https://github.com/chaoss/..');
SELECT * FROM aveloxis.parse_repo_url('https://github.com/chaoss/.');
SELECT * FROM aveloxis.parse_repo_url('https://github.com/chaoss/.git');
SELECT * FROM aveloxis.parse_repo_url('https://github.com/chaoss/' || repeat('r', 101));
SELECT length((aveloxis.parse_repo_url('https://github.com/chaoss/' || repeat('r', 100))).name)
    AS name_of_100_accepted;
-- a long URL is cut in the message (at most 200 bytes of it are quoted, then "...")
SELECT * FROM aveloxis.parse_repo_url('https://github.com/chaoss/augur?' || repeat('q', 300));

------------------------------------------------------------------------------------------
-- aveloxis.allowed_hosts: a parsed URL must also be on the allow-list.
------------------------------------------------------------------------------------------
SET aveloxis.allowed_hosts = 'gitlab.com';
SELECT * FROM aveloxis.parse_repo_url('https://github.com/chaoss/augur');
SELECT aveloxis.add_repo('https://github.com/chaoss/augur');
-- nothing allowed
SET aveloxis.allowed_hosts = '';
SELECT * FROM aveloxis.parse_repo_url('https://github.com/chaoss/augur');
-- a subdomain entry does not allow its parent; a mere suffix is no subdomain
SET aveloxis.allowed_hosts = 'api.github.com,hub.com';
SELECT * FROM aveloxis.parse_repo_url('https://github.com/chaoss/augur');
-- a port entry matches that port only (https means 443)
SET aveloxis.allowed_hosts = 'github.com:8443';
SELECT * FROM aveloxis.parse_repo_url('https://github.com/chaoss/augur');
SET aveloxis.allowed_hosts = 'github.com:443';
SELECT repo_git FROM aveloxis.parse_repo_url('https://github.com/chaoss/augur');
-- entries are trimmed and compared case-insensitively; www.github.com is checked as github.com
SET aveloxis.allowed_hosts = ' gitlab.com , GitHub.com ';
SELECT repo_git FROM aveloxis.parse_repo_url('https://www.github.com/chaoss/augur');
SET aveloxis.allowed_hosts = 'github.com,gitlab.com';

------------------------------------------------------------------------------------------
-- add_repo
------------------------------------------------------------------------------------------
-- empty at first; the 'default' group does not exist until it is needed
SELECT (SELECT count(*) FROM aveloxis_data.repos) AS repos,
       (SELECT count(*) FROM aveloxis_data.repo_groups) AS repo_groups,
       (SELECT count(*) FROM aveloxis_ops.collection_queue) AS queue_rows;
-- a new repository gets an id, a queue row and a status row; no group -> 'default'
SELECT aveloxis.add_repo('https://github.com/chaoss/augur') AS repo_id;
SELECT rg_name, rg_description FROM aveloxis_data.repo_groups ORDER BY rg_name;
-- the same repository in other spellings: the same id, still one row everywhere
SELECT v.url, aveloxis.add_repo(v.url) AS repo_id
FROM (VALUES ('https://github.com/chaoss/augur'),
             ('https://github.com/CHAOSS/Augur'),
             ('https://github.com/chaoss/augur.git'),
             ('https://github.com/chaoss/augur/'),
             ('http://www.github.com/chaoss/augur.git/')) AS v(url);
SELECT r.repo_id, r.repo_git, r.repo_owner, r.repo_name, r.repo_path, r.platform_id, g.rg_name
FROM aveloxis_data.repos r JOIN aveloxis_data.repo_groups g USING (repo_group_id)
ORDER BY r.repo_id;
SELECT (SELECT count(*) FROM aveloxis_data.repos) AS repos,
       (SELECT count(*) FROM aveloxis_ops.collection_queue) AS queue_rows,
       (SELECT count(*) FROM aveloxis_ops.collection_status) AS status_rows;

-- refused input inserts nothing anywhere
CREATE TEMP TABLE counts_before AS
SELECT (SELECT count(*) FROM aveloxis_data.repos) AS repos,
       (SELECT count(*) FROM aveloxis_data.repo_groups) AS repo_groups,
       (SELECT count(*) FROM aveloxis_ops.collection_queue) AS queue_rows,
       (SELECT count(*) FROM aveloxis_ops.collection_status) AS status_rows;
SELECT aveloxis.add_repo('https://github.com/chaoss');
SELECT aveloxis.add_repo('https://gitlab.com/gitlab-org/gitlab', 100, 'GitLab group');
SELECT aveloxis.add_repo('https://token:ghp_SECRETSECRET@github.com/chaoss/new-repo');
-- negative or NULL priority
SELECT aveloxis.add_repo('https://github.com/chaoss/new-repo', -1);
SELECT aveloxis.add_repo('https://github.com/chaoss/new-repo', NULL);
-- an empty (or blank) group name; NULL means the default group
SELECT aveloxis.add_repo('https://github.com/chaoss/new-repo', 100, '');
SELECT aveloxis.add_repo('https://github.com/chaoss/new-repo', 100, '   ');
SELECT (SELECT count(*) FROM aveloxis_data.repos) AS repos,
       (SELECT count(*) FROM aveloxis_data.repo_groups) AS repo_groups,
       (SELECT count(*) FROM aveloxis_ops.collection_queue) AS queue_rows,
       (SELECT count(*) FROM aveloxis_ops.collection_status) AS status_rows
EXCEPT SELECT * FROM counts_before;  -- no row: nothing changed

-- priority: given on the first add; a re-add keeps the lower value
SELECT aveloxis.add_repo('https://github.com/oss-aspen/8Knot', 50) AS repo_id;
SELECT aveloxis.add_repo('https://github.com/oss-aspen/8knot', 80) AS repo_id;
SELECT priority FROM aveloxis_ops.collection_queue WHERE repo_id = 2;  -- 50 (not 80)
SELECT aveloxis.add_repo('https://github.com/oss-aspen/8Knot.git') AS repo_id;
SELECT priority FROM aveloxis_ops.collection_queue WHERE repo_id = 2;  -- 50 (not the default 100)
SELECT aveloxis.add_repo('https://github.com/oss-aspen/8Knot', 10) AS repo_id;
SELECT priority FROM aveloxis_ops.collection_queue WHERE repo_id = 2;  -- 10

-- a named group is created on demand and shared; NULL group stays 'default'
SELECT aveloxis.add_repo('https://github.com/chaoss/grimoirelab', 100, 'CHAOSS') AS repo_id;
SELECT aveloxis.add_repo('https://github.com/chaoss/wg-evolution', 100, 'CHAOSS') AS repo_id;
-- re-adding an existing repository with another group neither moves it nor creates the group
SELECT aveloxis.add_repo('https://github.com/chaoss/augur', 100, 'Elsewhere') AS repo_id;
SELECT r.repo_id, r.repo_git, g.rg_name
FROM aveloxis_data.repos r JOIN aveloxis_data.repo_groups g USING (repo_group_id)
ORDER BY r.repo_id;
SELECT rg_name, rg_description FROM aveloxis_data.repo_groups ORDER BY rg_name;

------------------------------------------------------------------------------------------
-- The aveloxis.queue view and prioritize / recollect
------------------------------------------------------------------------------------------
-- a new repository: queued, due now, never collected, nothing counted yet
\x on
SELECT repo_id, repo_git, repo_group, status, priority, due_at <= now() AS due_now, locked_by,
       locked_pid, heartbeat_at, last_collected, last_attempt_at, last_duration_ms, last_error,
       force_full_collect, dequeued_reason, core_status, facade_status, repo_archived,
       issues, pull_requests, messages, releases, commits
FROM aveloxis.queue WHERE repo_id = 3;
\x off
SELECT repo_id, repo_git, repo_group, status, priority, due_at <= now() AS due_now
FROM aveloxis.queue ORDER BY repo_id;

-- prioritize(url): priority 0, due now (the row was due tomorrow, as after a run)
UPDATE aveloxis_ops.collection_queue SET due_at = now() + interval '1 day' WHERE repo_id = 1;
SELECT aveloxis.prioritize('https://github.com/CHAOSS/augur.git');
SELECT repo_id, status, priority, due_at <= now() AS due_now FROM aveloxis.queue WHERE repo_id = 1;
-- prioritize(repo_id): the same
UPDATE aveloxis_ops.collection_queue SET due_at = now() + interval '1 day' WHERE repo_id = 3;
SELECT aveloxis.prioritize(3);
SELECT repo_id, status, priority, due_at <= now() AS due_now FROM aveloxis.queue WHERE repo_id = 3;
-- unknown repositories, and a URL that is not one
SELECT aveloxis.prioritize('https://github.com/nobody/nothing');
SELECT aveloxis.prioritize(999999);
SELECT aveloxis.prioritize('github.com/chaoss/augur');

-- recollect(url): full collection at the next run, due now; priority unchanged
UPDATE aveloxis_ops.collection_queue SET due_at = now() + interval '1 day' WHERE repo_id = 2;
SELECT aveloxis.recollect('https://github.com/OSS-Aspen/8knot/');
SELECT repo_id, status, priority, force_full_collect, due_at <= now() AS due_now
FROM aveloxis.queue WHERE repo_id = 2;
SELECT aveloxis.recollect('https://github.com/nobody/nothing');

-- a running job ('collecting', held by this backend) is left alone
UPDATE aveloxis_ops.collection_queue
SET status = 'collecting', locked_by = 'simulated collector', locked_pid = pg_backend_pid(),
    locked_backend_start = (SELECT backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()),
    locked_at = now(), due_at = now() + interval '1 day'
WHERE repo_id = 4;
-- (the CHECK constraint: 'collecting' requires a locked_pid, and only 'collecting' has one)
\set VERBOSITY terse
UPDATE aveloxis_ops.collection_queue SET status = 'collecting' WHERE repo_id = 3;
UPDATE aveloxis_ops.collection_queue SET locked_pid = 1 WHERE repo_id = 3;
\set VERBOSITY default
SELECT aveloxis.prioritize(4);
SELECT aveloxis.prioritize('https://github.com/chaoss/wg-evolution');
SELECT repo_id, status, priority, due_at > now() AS still_due_later, locked_by,
       locked_pid = pg_backend_pid() AS held_by_me
FROM aveloxis.queue WHERE repo_id = 4;
-- add_repo on a running job may lower its priority but does not touch the job
SELECT aveloxis.add_repo('https://github.com/chaoss/wg-evolution', 5) AS repo_id;
-- recollect on a running job: full collection next time, the job itself untouched
SELECT aveloxis.recollect('https://github.com/chaoss/wg-evolution');
SELECT repo_id, status, priority, force_full_collect, due_at > now() AS still_due_later,
       locked_by, locked_pid = pg_backend_pid() AS held_by_me
FROM aveloxis.queue WHERE repo_id = 4;

------------------------------------------------------------------------------------------
-- aveloxis_ops.recover_stale_jobs(timeout_s): jobs whose holder is gone go back to queued,
-- a live holder's job is never taken, even when its heartbeat is older than the timeout
-- (the holder is then asked to stop; this session is never signalled by itself).
------------------------------------------------------------------------------------------
-- repo 3: held by PID 999999, which is no backend
UPDATE aveloxis_ops.collection_queue
SET status = 'collecting', locked_by = 'simulated collector', locked_pid = 999999,
    locked_backend_start = now() - interval '1 minute', locked_at = now()
WHERE repo_id = 3;
-- repo 2: this backend's PID, but another backend start (the PID was reused)
UPDATE aveloxis_ops.collection_queue
SET status = 'collecting', locked_by = 'simulated collector', locked_pid = pg_backend_pid(),
    locked_backend_start = (SELECT backend_start - interval '1 hour' FROM pg_stat_activity
                            WHERE pid = pg_backend_pid()),
    locked_at = now()
WHERE repo_id = 2;
-- repo 4 (held by this live backend, fresh heartbeat) stays; 2 and 3 are recovered
SELECT * FROM aveloxis_ops.recover_stale_jobs(3600) AS recovered ORDER BY 1;
SELECT repo_id, status, locked_by, replace(locked_pid::text, pg_backend_pid()::text, '<own pid>')
       AS locked_pid, heartbeat_at IS NOT NULL AS has_heartbeat,
       replace(last_error, pg_backend_pid()::text, '<own pid>') AS last_error
FROM aveloxis.queue WHERE repo_id IN (2, 3, 4) ORDER BY repo_id;
-- again: nothing more to recover
SELECT count(*) AS recovered FROM aveloxis_ops.recover_stale_jobs(3600);
-- the same live job, with its heartbeat older than the timeout (0 s here), is still not taken
SELECT * FROM aveloxis_ops.recover_stale_jobs(0) AS recovered;
SELECT repo_id, status, locked_by, locked_pid = pg_backend_pid() AS held_by_this_session,
       heartbeat_at IS NOT NULL AS has_heartbeat
FROM aveloxis.queue WHERE repo_id = 4;
-- a lock taken before the server started is stale even with a long timeout
UPDATE aveloxis_ops.collection_queue
SET status = 'collecting', locked_by = 'simulated collector', locked_pid = pg_backend_pid(),
    locked_backend_start = (SELECT backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()),
    locked_at = pg_postmaster_start_time() - interval '1 second'
WHERE repo_id = 4;
SELECT * FROM aveloxis_ops.recover_stale_jobs(3600) AS recovered;

------------------------------------------------------------------------------------------
-- claim_job / finish_job
------------------------------------------------------------------------------------------
-- set up: every job queued and due next year, except
--   repo 1: priority 50, due an hour ago, force_full_collect
--   repo 2: priority 10, due a minute ago
--   repo 3: priority 10, due two minutes ago, force_full_collect
--   repo 4: priority 0, due in an hour (not due)
UPDATE aveloxis_ops.collection_queue
SET status = 'queued', locked_by = NULL, locked_pid = NULL, locked_backend_start = NULL,
    locked_at = NULL, last_error = NULL, priority = 100, due_at = now() + interval '1 year',
    force_full_collect = false;
UPDATE aveloxis_ops.collection_queue SET priority = 50, due_at = now() - interval '1 hour',
    force_full_collect = true WHERE repo_id = 1;
UPDATE aveloxis_ops.collection_queue SET priority = 10, due_at = now() - interval '1 minute'
WHERE repo_id = 2;
UPDATE aveloxis_ops.collection_queue SET priority = 10, due_at = now() - interval '2 minutes',
    force_full_collect = true WHERE repo_id = 3;
UPDATE aveloxis_ops.collection_queue SET priority = 0, due_at = now() + interval '1 hour'
WHERE repo_id = 4;

-- claims come by (priority, due_at) among due jobs: 3, then 2, then 1, then none
CREATE TEMP TABLE claims AS
SELECT 1 AS n, * FROM aveloxis_ops.claim_job('collector 1', 'background worker');
INSERT INTO claims SELECT 2, * FROM aveloxis_ops.claim_job('collector 2', 'background worker');
INSERT INTO claims SELECT 3, * FROM aveloxis_ops.claim_job('collector 1', 'background worker');
SELECT count(*) AS claimed FROM aveloxis_ops.claim_job('collector 2', 'background worker');
-- with a repo_id, that job is claimed whatever its due time (as collect_now does)
INSERT INTO claims SELECT 4, * FROM aveloxis_ops.claim_job('collect_now', 'collect_now', 4);
-- a job already running is not claimed again
SELECT count(*) AS claimed FROM aveloxis_ops.claim_job('collect_now', 'collect_now', 4);
SELECT n, repo_id, repo_git, repo_owner, repo_name, force_full, last_collected,
       history_id IS NOT NULL AS has_history
FROM claims ORDER BY n;
-- the claimed rows: collecting, held by this backend, heartbeat and attempt time set
SELECT q.repo_id, q.status, q.locked_by, q.locked_pid = pg_backend_pid() AS locked_pid_is_mine,
       q.locked_backend_start = a.backend_start AS backend_start_is_mine,
       q.locked_at BETWEEN now() - interval '5 minutes' AND now() AS heartbeat_set,
       q.last_attempt_at = q.locked_at AS attempt_is_claim_time,
       q.history_id = c.history_id AS history_linked, s.core_status
FROM aveloxis_ops.collection_queue q
JOIN claims c USING (repo_id)
JOIN aveloxis_ops.collection_status s USING (repo_id)
JOIN pg_stat_activity a ON a.pid = pg_backend_pid()
ORDER BY q.repo_id;
-- one open worker_history row per claim
SELECT h.repo_id, h.repo_git, h.driver, h.worker_name, h.worker_pid = pg_backend_pid() AS pid_is_mine,
       h.backend_type, h.finished_at, h.outcome, h.counts
FROM aveloxis_ops.worker_history h JOIN claims c USING (history_id)
ORDER BY h.repo_id;

-- heartbeat refreshes locked_at of a job this backend holds, and only such a job
UPDATE aveloxis_ops.collection_queue SET locked_at = now() - interval '1 minute' WHERE repo_id = 3;
SELECT aveloxis_ops.heartbeat(3) AS refreshed, aveloxis_ops.heartbeat(99) AS refreshed_unknown;
SELECT locked_at > now() - interval '30 seconds' AS heartbeat_refreshed
FROM aveloxis_ops.collection_queue WHERE repo_id = 3;

-- success (repo 3): queued, priority 100, due after the interval (1 day here), last_collected
-- = start of the run, force_full_collect cleared, counts and duration recorded
SELECT now() - interval '90 seconds' AS started_at \gset
SELECT aveloxis_ops.finish_job(3, (SELECT history_id FROM claims WHERE repo_id = 3), 'success',
    NULL, '{"issues": 3, "pull_requests": 2, "messages": 5, "releases": 1, "commits": 7}',
    '{"requests": 12}', :'started_at', 86400);
SELECT repo_id, status, priority, locked_by, locked_pid, heartbeat_at, force_full_collect,
       last_error, last_collected = :'started_at'::timestamptz AS last_collected_is_start,
       due_at BETWEEN now() + interval '1 day' - interval '5 minutes'
                  AND now() + interval '1 day' AS due_in_a_day,
       last_duration_ms BETWEEN 90000 AND 390000 AS duration_recorded,
       issues, pull_requests, messages, releases, commits
FROM aveloxis.queue WHERE repo_id = 3;
SELECT locked_backend_start, history_id FROM aveloxis_ops.collection_queue WHERE repo_id = 3;

-- error (repo 1): due after the retry interval (600 s here), priority and force_full_collect
-- kept, the error recorded, last_collected unchanged
SELECT aveloxis_ops.finish_job(1, (SELECT history_id FROM claims WHERE repo_id = 1), 'error',
    'HTTP 502 from GitHub after 5 attempts', '{"issues": 1}', '{"requests": 6}',
    :'started_at', 600);
SELECT repo_id, status, priority, locked_pid, force_full_collect, last_error, last_collected,
       due_at BETWEEN now() + interval '600 seconds' - interval '5 minutes'
                  AND now() + interval '600 seconds' AS due_in_10_min,
       issues, pull_requests
FROM aveloxis.queue WHERE repo_id = 1;

-- interrupted (repo 2): back to queued at once with its due time unchanged
SELECT aveloxis_ops.finish_job(2, (SELECT history_id FROM claims WHERE repo_id = 2), 'interrupted',
    'server shutting down', NULL, NULL, :'started_at', 86400);
SELECT repo_id, status, priority, locked_pid, last_error, due_at < now() AS still_due, issues
FROM aveloxis.queue WHERE repo_id = 2;

-- the holder of repo 4's job disappears: recovery closes its history row as interrupted
UPDATE aveloxis_ops.collection_queue SET locked_pid = 999999 WHERE repo_id = 4;
SELECT * FROM aveloxis_ops.recover_stale_jobs(3600) AS recovered;
SELECT repo_id, status, locked_pid, last_error FROM aveloxis.queue WHERE repo_id = 4;

-- worker_history: outcome, error, counts and request count of each run
SELECT h.repo_id, h.outcome, h.finished_at IS NOT NULL AS finished,
       replace(h.error, pg_backend_pid()::text, '<own pid>') AS error, h.counts, h.http_requests
FROM aveloxis_ops.worker_history h JOIN claims c USING (history_id)
ORDER BY h.repo_id;

-- dequeued (repo 2, e.g. 404): not claimed again until prioritize() or recollect()
INSERT INTO claims SELECT 5, * FROM aveloxis_ops.claim_job('collector 1', 'background worker');
SELECT n, repo_id FROM claims WHERE n = 5;
SELECT aveloxis_ops.finish_job(2, (SELECT history_id FROM claims WHERE n = 5), 'dequeued',
    'repository not found (HTTP 404)', NULL, NULL, :'started_at', 86400);
SELECT repo_id, status, dequeued_reason, last_error FROM aveloxis.queue WHERE repo_id = 2;
UPDATE aveloxis_ops.collection_queue SET due_at = now() - interval '1 day' WHERE repo_id = 2;
SELECT count(*) AS claimed FROM aveloxis_ops.claim_job('collector 1', 'background worker', 2);
SELECT aveloxis.prioritize(2);
SELECT repo_id, status, priority, dequeued_reason, due_at <= now() AS due_now
FROM aveloxis.queue WHERE repo_id = 2;

------------------------------------------------------------------------------------------
-- add_key: the token is a secret and never appears in a message
------------------------------------------------------------------------------------------
SELECT aveloxis.add_key('ghp_TESTTOKEN0000000000000000000000000001') AS key_id;
SELECT aveloxis.add_key('glpat-TESTTOKEN00000000001', 'gitlab') AS key_id;
-- the same token again: the same key id (platform name case-insensitive)
SELECT aveloxis.add_key('ghp_TESTTOKEN0000000000000000000000000001', 'GitHub') AS key_id;
-- the same token for the other platform is another key
SELECT aveloxis.add_key('ghp_TESTTOKEN0000000000000000000000000001', 'gitlab') NOT IN (1, 2)
    AS another_key;
-- not tokens: too short, with a space, too long, not printable ASCII, NULL
SELECT aveloxis.add_key('ghp_short');
SELECT aveloxis.add_key('ghp_TESTTOKEN 000000000000000000000002');
SELECT aveloxis.add_key(repeat('t', 256));
SELECT aveloxis.add_key('ghp_TESTTOKEN0000000000é');
SELECT aveloxis.add_key(NULL);
-- unknown platform
SELECT aveloxis.add_key('ghp_TESTTOKEN0000000000000000000000000003', 'bitbucket');
-- the messages of refused tokens do not contain the token (nor its distinctive part)
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['SECRET123', 'ghp_SPACE SECRET_0000000000',
                             'ghp_SECRET_' || repeat('0', 250)] LOOP
        BEGIN
            PERFORM aveloxis.add_key(t);
            RAISE NOTICE 'token accepted?!';
        EXCEPTION WHEN invalid_parameter_value THEN
            RAISE NOTICE 'refused (%), token in message: %, "SECRET" in message: %', SQLSTATE,
                strpos(SQLERRM, t) > 0, strpos(SQLERRM, 'SECRET') > 0;
        END;
    END LOOP;
END;
$$;
-- one GitHub key and two GitLab keys, all usable
SELECT p.platform_name, count(*) AS keys, count(k.invalid_at) AS invalid
FROM aveloxis_ops.worker_oauth k JOIN aveloxis_data.platforms p USING (platform_id)
GROUP BY p.platform_name ORDER BY p.platform_name;
-- the token is stored as given (for GitHub and for GitLab)
SELECT count(*) AS stored FROM aveloxis_ops.worker_oauth
WHERE token = 'ghp_TESTTOKEN0000000000000000000000000001';
-- re-adding a key marked invalid (answered 401) makes it usable again
UPDATE aveloxis_ops.worker_oauth SET invalid_at = now() WHERE key_id = 1;
SELECT aveloxis.add_key('ghp_TESTTOKEN0000000000000000000000000001') AS key_id;
SELECT key_id, invalid_at FROM aveloxis_ops.worker_oauth WHERE key_id = 1;

------------------------------------------------------------------------------------------
-- collect_now: a procedure that commits, so only CALL outside a transaction block works.
-- (Only refusals are tested here: a real run is covered by the integration tests.)
------------------------------------------------------------------------------------------
BEGIN;
CALL aveloxis.collect_now('https://github.com/chaoss/augur');
ROLLBACK;
-- not a procedure call at all
SELECT aveloxis.collect_now('https://github.com/chaoss/augur');
-- outside a transaction block the URL is checked before anything is done
CALL aveloxis.collect_now('https://github.com/chaoss');
CALL aveloxis.collect_now('https://gitlab.com/gitlab-org/gitlab');
CALL aveloxis.collect_now(NULL);
SELECT count(*) AS repos FROM aveloxis_data.repos;  -- still 4

DROP EXTENSION aveloxis CASCADE;
