-- openFrameworks, collected by a background worker (the repo was added, and committed, by
-- the driver script). Expected values: avx_test.expected, computed from the fixture files.
\set QUIET on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
\set url 'https://github.com/openframeworks/openFrameworks'
SELECT plan(24);

SELECT ok(avx_test.wait_until(
    $$SELECT EXISTS (SELECT 1 FROM aveloxis_ops.worker_history
                     WHERE repo_git = 'https://github.com/openframeworks/openFrameworks'
                       AND finished_at IS NOT NULL)$$, 120),
    'a collection job for openFrameworks finished within 120 s');

SELECT is(outcome, 'success', 'the job succeeded') FROM aveloxis_ops.worker_history
WHERE repo_git = :'url' ORDER BY history_id LIMIT 1;
SELECT is(driver, 'background worker', 'the job was run by a background worker')
FROM aveloxis_ops.worker_history WHERE repo_git = :'url' ORDER BY history_id LIMIT 1;
SELECT is(backend_type, 'aveloxis collector', 'the worker''s backend_type is aveloxis collector')
FROM aveloxis_ops.worker_history WHERE repo_git = :'url' ORDER BY history_id LIMIT 1;
SELECT isnt(worker_pid, pg_backend_pid(), 'the job did not run in this session')
FROM aveloxis_ops.worker_history WHERE repo_git = :'url' ORDER BY history_id LIMIT 1;

SELECT is(count(*), avx_test.expect('of.issues'), 'issues: as many as plain issues in the file')
FROM aveloxis_data.issues;
SELECT is(count(*), avx_test.expect('of.pull_requests'), 'pull requests: the PR items of the issue list')
FROM aveloxis_data.pull_requests;
SELECT is((SELECT count(*) FROM aveloxis_data.issues WHERE issue_state = 'open')
          + (SELECT count(*) FROM aveloxis_data.pull_requests WHERE pr_state = 'open'),
          avx_test.expect('of.issues_open') + avx_test.expect('of.pull_requests_open'),
          'open issues and PRs together (338 in repo.json)');
SELECT is(count(*), avx_test.expect('of.issue_labels'), 'issue-label rows') FROM aveloxis_data.issue_labels;
SELECT is(count(*), avx_test.expect('of.pr_labels'), 'pull-request-label rows (none in the data)')
FROM aveloxis_data.pull_request_labels;
SELECT is(count(DISTINCT issue_id), avx_test.expect('of.issues_with_assignee'), 'issues with an assignee')
FROM aveloxis_data.issue_assignees;
SELECT is(count(DISTINCT pull_request_id), avx_test.expect('of.prs_with_assignee'), 'PRs with an assignee')
FROM aveloxis_data.pull_request_assignees;
SELECT is(count(*), avx_test.expect('of.contributors'), 'contributors: every distinct user of the data')
FROM aveloxis_data.contributors;
SELECT cmp_ok(count(*), '>=', 182::bigint, 'at least 182 contributors') FROM aveloxis_data.contributors;
SELECT is(count(*), 0::bigint, 'no messages (the recording has no comments)') FROM aveloxis_data.messages;
SELECT is(count(*), 0::bigint, 'no releases (the recording has none)') FROM aveloxis_data.releases;
SELECT is(count(*), 0::bigint, 'no issue row is a pull request')
FROM aveloxis_data.issues i JOIN aveloxis_data.pull_requests p
  ON p.repo_id = i.repo_id AND p.pr_number = i.issue_number;
SELECT is(star_count::bigint, avx_test.expect('of.repo_stars'), 'repo_info stars from repo.json')
FROM aveloxis_data.repo_info;
SELECT is(platform_repo_id, avx_test.expect('of.repo_id'), 'platform repository id from repo.json')
FROM aveloxis_data.repos;
SELECT is(count(*), avx_test.expect('of.git_commits'), 'commits: one message row per commit git lists')
FROM aveloxis_data.commit_messages;
SELECT is(count(*) FILTER (WHERE cmt_filename = '(no files)'), avx_test.expect('of.git_merges'),
          'merge commits have one (no files) row') FROM aveloxis_data.commits
WHERE cmt_commit_hash IN (SELECT cmt_hash FROM aveloxis_data.commit_messages);
SELECT is(count(*), 0::bigint, 'every staged page was processed')
FROM aveloxis_ops.staging WHERE NOT processed;
SELECT results_eq(
    $$SELECT status, last_error IS NULL, due_at > now() + interval '23 hours',
             (last_counts ->> 'issues')::bigint FROM aveloxis_ops.collection_queue$$,
    $$VALUES ('queued'::text, true, true, avx_test.expect('of.issues'))$$,
    'queue row: back to queued, no error, due again in a day, counts recorded');
SELECT results_eq(
    $$SELECT core_status, facade_status FROM aveloxis_ops.collection_status$$,
    $$VALUES ('Success'::text, 'Success'::text)$$, 'collection_status: core and facade Success');

SELECT * FROM finish();
