-- The synthetic dataset, collected by the background workers in pages of 5.
\set QUIET on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(37);

SELECT ok(avx_test.wait_until(
    $$SELECT count(*) = 6 FROM aveloxis_ops.worker_history WHERE finished_at IS NOT NULL$$, 120),
    'all six jobs finished within 120 s');

CREATE TEMP VIEW full_repo AS
SELECT repo_id FROM aveloxis_data.repos WHERE repo_git = 'https://github.com/aveloxis-test/full';

-- aveloxis-test/full
SELECT is(count(*), avx_test.expect('full.issues'), 'full: issues')
FROM aveloxis_data.issues WHERE repo_id = (SELECT repo_id FROM full_repo);
SELECT is(count(*), avx_test.expect('full.pull_requests'),
          'full: pull requests = union of issue-list PR items and the pulls list')
FROM aveloxis_data.pull_requests WHERE repo_id = (SELECT repo_id FROM full_repo);
SELECT is(count(*) FILTER (WHERE pr_state = 'open'), avx_test.expect('full.pull_requests_open'),
          'full: open PRs, by the most recently updated copy')
FROM aveloxis_data.pull_requests WHERE repo_id = (SELECT repo_id FROM full_repo);
SELECT ok(EXISTS (SELECT 1 FROM aveloxis_data.pull_requests WHERE pr_number = 13 AND seen_in_pulls_list),
          'full: PR #13, only in the pulls list, is stored');
SELECT is(count(*), 2::bigint, 'full: PRs #10 and #12 share an id in the data and are both stored')
FROM aveloxis_data.pull_requests WHERE pr_number IN (10, 12);
SELECT is(count(*) FILTER (WHERE merged_at IS NOT NULL),
          (SELECT count(*) FROM aveloxis_data.pull_requests p WHERE p.seen_in_pulls_list
             AND p.merge_commit_sha IS NOT NULL AND p.merged_at IS NOT NULL),
          'full: merged_at and merge_commit_sha come together from the pulls list')
FROM aveloxis_data.pull_requests WHERE repo_id = (SELECT repo_id FROM full_repo);
SELECT is(count(*), avx_test.expect('full.issue_labels'), 'full: issue-label rows')
FROM aveloxis_data.issue_labels WHERE repo_id = (SELECT repo_id FROM full_repo);
SELECT is(count(*), avx_test.expect('full.pr_labels'), 'full: PR-label rows')
FROM aveloxis_data.pull_request_labels WHERE repo_id = (SELECT repo_id FROM full_repo);
SELECT is(count(*), avx_test.expect('full.issue_assignees'), 'full: issue-assignee rows')
FROM aveloxis_data.issue_assignees WHERE repo_id = (SELECT repo_id FROM full_repo);
SELECT is(count(*), avx_test.expect('full.pr_assignees'), 'full: PR-assignee rows')
FROM aveloxis_data.pull_request_assignees WHERE repo_id = (SELECT repo_id FROM full_repo);
SELECT is(count(*), avx_test.expect('full.messages'),
          'full: messages = distinct comment ids (one is listed twice)')
FROM aveloxis_data.messages WHERE repo_id = (SELECT repo_id FROM full_repo);
SELECT is(count(*), avx_test.expect('full.issue_messages'), 'full: messages tied to issues')
FROM aveloxis_data.issue_message_ref WHERE repo_id = (SELECT repo_id FROM full_repo);
SELECT is(count(*), avx_test.expect('full.pr_messages'), 'full: messages tied to PRs')
FROM aveloxis_data.pull_request_message_ref WHERE repo_id = (SELECT repo_id FROM full_repo);
SELECT cmp_ok(count(*), '>=', avx_test.expect('full.comment_pages'),
              'full: the comment listing was read in several pages')
FROM aveloxis_ops.staging WHERE entity_type = 'issue_comments' AND repo_id = (SELECT repo_id FROM full_repo);
SELECT is(count(*), avx_test.expect('full.releases'), 'full: releases')
FROM aveloxis_data.releases WHERE repo_id = (SELECT repo_id FROM full_repo);
SELECT is(issue_body, (SELECT value FROM avx_test.expected_text WHERE key = 'issue4_body'),
          'full: a \u0000 escape is stored with the NUL removed')
FROM aveloxis_data.issues WHERE repo_id = (SELECT repo_id FROM full_repo) AND issue_number = 4;
SELECT is(issue_title, (SELECT value FROM avx_test.expected_text WHERE key = 'issue5_title'),
          'full: an escaped backslash before u0000 is text and is kept')
FROM aveloxis_data.issues WHERE repo_id = (SELECT repo_id FROM full_repo) AND issue_number = 5;
SELECT is(count(*) FILTER (WHERE reporter_id IS NULL), avx_test.expect('full.issues_null_reporter'),
          'full: an issue by a deleted (null) user has no reporter')
FROM aveloxis_data.issues WHERE repo_id = (SELECT repo_id FROM full_repo);
SELECT ok(EXISTS (SELECT 1 FROM aveloxis_data.issues WHERE issue_number = 11
                  AND repo_id = (SELECT repo_id FROM full_repo)),
          'full: an item with an all-null pull_request object is an issue');
SELECT is(outcome, 'success', 'full: the job succeeded (API and facade)')
FROM aveloxis_ops.worker_history WHERE repo_git = 'https://github.com/aveloxis-test/full';

-- aveloxis-test/badutf8: invalid UTF-8 is sanitised, not fatal
SELECT is(count(*), avx_test.expect('badutf8.issues'), 'badutf8: both issues stored')
FROM aveloxis_data.issues i JOIN aveloxis_data.repos r USING (repo_id)
WHERE r.repo_git = 'https://github.com/aveloxis-test/badutf8';
SELECT ok(position(U&'\FFFD' IN issue_title) > 0, 'badutf8: invalid bytes became U+FFFD')
FROM aveloxis_data.issues i JOIN aveloxis_data.repos r USING (repo_id)
WHERE r.repo_git = 'https://github.com/aveloxis-test/badutf8' AND issue_number = 1;

-- aveloxis-test/badtype: an item with a wrongly typed field is set aside, the others land
SELECT is(count(*), avx_test.expect('badtype.storable_issues'), 'badtype: the storable issues landed')
FROM aveloxis_data.issues i JOIN aveloxis_data.repos r USING (repo_id)
WHERE r.repo_git = 'https://github.com/aveloxis-test/badtype';
SELECT is(count(*), 1::bigint, 'badtype: exactly one staged item is set aside, with its error')
FROM aveloxis_ops.staging s JOIN aveloxis_data.repos r USING (repo_id)
WHERE r.repo_git = 'https://github.com/aveloxis-test/badtype' AND NOT s.processed
  AND s.error LIKE '%invalid input syntax for type integer%';
SELECT matches(last_error, 'set aside', 'badtype: the job''s error says an item was set aside')
FROM aveloxis.queue WHERE repo_git = 'https://github.com/aveloxis-test/badtype';
SELECT is(core_status, 'Success',
          'badtype: a set-aside item is a warning; the API phase succeeds (stays incremental)')
FROM aveloxis.queue WHERE repo_git = 'https://github.com/aveloxis-test/badtype';

-- aveloxis-test/empty: a repo object and nothing else
SELECT results_eq(
    $$SELECT outcome, (counts ->> 'issues')::int, (counts ->> 'pull_requests')::int
      FROM aveloxis_ops.worker_history WHERE repo_git = 'https://github.com/aveloxis-test/empty'$$,
    $$VALUES ('error'::text, 0, 0)$$,
    'empty: no rows; the job reports the failed clone (no mirror)');
SELECT ok(EXISTS (SELECT 1 FROM aveloxis_data.repo_info ri JOIN aveloxis_data.repos r USING (repo_id)
                  WHERE r.repo_git = 'https://github.com/aveloxis-test/empty'),
          'empty: repo_info stored');

-- a renamed repository: the old name answers 301
SELECT is(repo_git, 'https://github.com/octokit-fixture-org/rename-repository-newname',
          'rename: repo_git follows the 301 to the new name')
FROM aveloxis_data.repos WHERE repo_name LIKE 'rename-repository%';
SELECT is(count(*), 1::bigint, 'rename: still one repository row')
FROM aveloxis_data.repos WHERE repo_name LIKE 'rename-repository%';

-- a repository that answers 404
SELECT results_eq(
    $$SELECT q.status, r.repo_archived FROM aveloxis_ops.collection_queue q
      JOIN aveloxis_data.repos r USING (repo_id)
      WHERE r.repo_git = 'https://github.com/aveloxis-test/does-not-exist'$$,
    $$VALUES ('dequeued'::text, true)$$, '404: dequeued and marked archived');
SELECT matches(dequeued_reason, 'HTTP 404', '404: the reason names the status')
FROM aveloxis.queue WHERE repo_git = 'https://github.com/aveloxis-test/does-not-exist';

-- the contributors listing
SELECT is(count(*), (SELECT count(*) FROM avx_test.listed_contributors),
          'full: every user of the contributors listing is a contributor')
FROM aveloxis_data.contributors WHERE gh_user_id IN (SELECT user_id FROM avx_test.listed_contributors);
SELECT is(count(*), (SELECT count(*) FROM avx_test.listed_contributors),
          'full: ... with a GitHub identity row')
FROM aveloxis_data.contributor_identities
WHERE platform_id = 1 AND platform_user_id IN (SELECT user_id FROM avx_test.listed_contributors);

-- contributors are keyed by platform id; none is duplicated
SELECT is(count(*), count(DISTINCT gh_user_id), 'one contributor row per GitHub user id')
FROM aveloxis_data.contributors;
SELECT is(count(*), 0::bigint, 'every contributor id is platform_uuid(1, user id)')
FROM aveloxis_data.contributors WHERE cntrb_id <> aveloxis.platform_uuid(1, gh_user_id);

SELECT * FROM finish();
