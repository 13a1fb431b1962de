-- pg_regress tests of the privileges of the aveloxis SQL API: nothing that writes, runs the
-- collectors or reads API keys is open to PUBLIC, and the GRANTs an operator gives (the block
-- below, copied into the README) are enough for an admin role and an analyst role.
CREATE EXTENSION aveloxis;
SET aveloxis.allowed_hosts = 'github.com,gitlab.com';
-- PL/pgSQL line numbers in CONTEXT lines are not part of the API
\set SHOW_CONTEXT never

-- roles left behind by an interrupted earlier run (roles outlive the test database)
SET client_min_messages = warning;
DROP ROLE IF EXISTS avx_admin;
DROP ROLE IF EXISTS avx_analyst;
RESET client_min_messages;
CREATE ROLE avx_admin NOLOGIN;
CREATE ROLE avx_analyst NOLOGIN;

------------------------------------------------------------------------------------------
-- The privileges as installed
------------------------------------------------------------------------------------------
-- no schema of the extension is usable by PUBLIC
SELECT nspname, has_schema_privilege('public', oid, 'USAGE') AS public_usage
FROM pg_namespace WHERE nspname IN ('aveloxis', 'aveloxis_data', 'aveloxis_ops') ORDER BY 1;
-- the API: only the pure helpers are executable by PUBLIC; every SECURITY DEFINER function
-- has a fixed search_path
SELECT p.proname, pg_get_function_identity_arguments(p.oid) AS args, p.prokind,
       has_function_privilege('public', p.oid, 'EXECUTE') AS public_execute,
       p.prosecdef AS security_definer,
       coalesce(array_to_string(p.proconfig, ', '), '') AS settings
FROM pg_proc p
WHERE p.pronamespace = 'aveloxis'::regnamespace
ORDER BY 1, 2;
-- nothing in aveloxis_ops is executable by PUBLIC
SELECT count(*) AS public_ops_functions FROM pg_proc p
WHERE p.pronamespace = 'aveloxis_ops'::regnamespace
  AND has_function_privilege('public', p.oid, 'EXECUTE');
-- no SECURITY DEFINER function of the extension lacks a fixed search_path
SELECT p.oid::regprocedure AS definer_without_search_path
FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                               AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'aveloxis'
WHERE p.prosecdef
  AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%');
-- the API keys are readable by no one but superusers
SELECT has_table_privilege('public', 'aveloxis_ops.worker_oauth', 'SELECT') AS public_select_keys,
       has_table_privilege('avx_admin', 'aveloxis_ops.worker_oauth', 'SELECT') AS admin_select_keys;

------------------------------------------------------------------------------------------
-- A role with only PUBLIC's privileges (the analyst before any GRANT) can do nothing.
------------------------------------------------------------------------------------------
SET ROLE avx_analyst;
SELECT aveloxis.add_repo('https://github.com/chaoss/augur');
SELECT aveloxis.add_key('ghp_TESTTOKEN0000000000000000000000000001');
SELECT aveloxis.prioritize(1);
SELECT aveloxis.prioritize('https://github.com/chaoss/augur');
SELECT aveloxis.recollect('https://github.com/chaoss/augur');
SELECT aveloxis.start_workers();
CALL aveloxis.collect_now('https://github.com/chaoss/augur');
SELECT * FROM aveloxis.queue;
SELECT token FROM aveloxis_ops.worker_oauth;
SELECT count(*) FROM aveloxis_data.issues;
RESET ROLE;

-- Even with USAGE on the schemas (as when an operator opens aveloxis for platform_uuid), the
-- functions themselves refuse: their EXECUTE is revoked from PUBLIC.
GRANT USAGE ON SCHEMA aveloxis, aveloxis_ops TO avx_analyst;
SET ROLE avx_analyst;
SELECT aveloxis.platform_uuid(1, 1);  -- pure helpers are fine
SELECT repo_git FROM aveloxis.parse_repo_url('https://github.com/chaoss/augur');
SELECT aveloxis.add_repo('https://github.com/chaoss/augur');
SELECT aveloxis.add_key('ghp_TESTTOKEN0000000000000000000000000001');
SELECT aveloxis.prioritize(1);
SELECT aveloxis.prioritize('https://github.com/chaoss/augur');
SELECT aveloxis.recollect('https://github.com/chaoss/augur');
SELECT aveloxis.start_workers();
CALL aveloxis.collect_now('https://github.com/chaoss/augur');
SELECT * FROM aveloxis.queue;
SELECT token FROM aveloxis_ops.worker_oauth;
-- nor can the queue be driven through the internal functions
SELECT aveloxis_ops.enqueue(1, 0);
SELECT * FROM aveloxis_ops.claim_job('x', 'collect_now');
SELECT * FROM aveloxis_ops.recover_stale_jobs(0);
RESET ROLE;
REVOKE USAGE ON SCHEMA aveloxis, aveloxis_ops FROM avx_analyst;

------------------------------------------------------------------------------------------
-- The GRANTs an operator gives (this block is copied into the README).
------------------------------------------------------------------------------------------
-- avx_admin: chooses what is collected and stores API keys (never reads them back)
GRANT USAGE ON SCHEMA aveloxis TO avx_admin;
GRANT EXECUTE ON FUNCTION aveloxis.add_repo(text, integer, text),
                          aveloxis.add_key(text, text),
                          aveloxis.prioritize(bigint),
                          aveloxis.prioritize(text),
                          aveloxis.recollect(text)
    TO avx_admin;
GRANT SELECT ON aveloxis.queue TO avx_admin;
-- avx_analyst: reads the collected data
GRANT USAGE ON SCHEMA aveloxis_data TO avx_analyst;
GRANT SELECT ON ALL TABLES IN SCHEMA aveloxis_data TO avx_analyst;
------------------------------------------------------------------------------------------

-- The admin can add repositories and keys, steer the queue and watch it ...
SET ROLE avx_admin;
SELECT aveloxis.add_repo('https://github.com/chaoss/augur') AS repo_id;
SELECT aveloxis.add_repo('https://github.com/oss-aspen/8Knot', 50, 'CHAOSS') AS repo_id;
SELECT aveloxis.add_key('ghp_TESTTOKEN0000000000000000000000000001') AS key_id;
SELECT aveloxis.add_key('ghp_TESTTOKEN0000000000000000000000000001') AS key_id;  -- same key
SELECT aveloxis.prioritize('https://github.com/oss-aspen/8Knot');
SELECT aveloxis.prioritize(1);
SELECT aveloxis.recollect('https://github.com/chaoss/augur');
SELECT repo_id, repo_git, repo_group, status, priority, force_full_collect, due_at <= now() AS due_now
FROM aveloxis.queue ORDER BY repo_id;
-- ... the URL checks and the host allow-list apply to it, and it cannot widen the list
SELECT aveloxis.add_repo('https://bitbucket.org/chaoss/augur');
SET aveloxis.allowed_hosts = 'github.com,evil.example';
-- ... but it cannot read the keys (nor anything else in aveloxis_ops), nor the data tables
SELECT token FROM aveloxis_ops.worker_oauth;
SELECT count(*) FROM aveloxis_ops.worker_oauth;
SELECT aveloxis_ops.enqueue(1, 0);
SELECT count(*) FROM aveloxis_data.repos;
-- ... nor start the collectors, nor collect in its own session
SELECT aveloxis.start_workers();
CALL aveloxis.collect_now('https://github.com/chaoss/augur');
RESET ROLE;

-- collect_now refuses a non-superuser even with EXECUTE on it (it uses the stored API keys)
GRANT EXECUTE ON PROCEDURE aveloxis.collect_now(text) TO avx_admin;
SET ROLE avx_admin;
CALL aveloxis.collect_now('https://github.com/chaoss/augur');
RESET ROLE;
REVOKE EXECUTE ON PROCEDURE aveloxis.collect_now(text) FROM avx_admin;

-- The analyst reads the data, and nothing else
SET ROLE avx_analyst;
SELECT count(*) AS issues FROM aveloxis_data.issues;
SELECT r.repo_id, r.repo_git, g.rg_name
FROM aveloxis_data.repos r JOIN aveloxis_data.repo_groups g USING (repo_group_id)
ORDER BY r.repo_id;
SELECT aveloxis.add_repo('https://github.com/chaoss/grimoirelab');
SELECT * FROM aveloxis.queue;
SELECT token FROM aveloxis_ops.worker_oauth;
INSERT INTO aveloxis_data.repo_groups (rg_name) VALUES ('written by the analyst');
RESET ROLE;

-- the superuser sees what the admin did: one key, no token ever shown here
SELECT key_id, platform_id, invalid_at FROM aveloxis_ops.worker_oauth ORDER BY key_id;

-- clean up: the roles are cluster-wide and outlive the test database
DROP OWNED BY avx_admin, avx_analyst;  -- revokes every privilege granted to them here
DROP ROLE avx_admin;
DROP ROLE avx_analyst;
DROP EXTENSION aveloxis CASCADE;
-- the schema aveloxis is a member of the extension: it went with it
SELECT count(*) AS aveloxis_schemas_left FROM pg_namespace WHERE nspname LIKE 'aveloxis%';
