-- Facade rows compared with the git CLI's output loaded by the driver script.
\set QUIET on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(10);

SELECT ok(avx_test.wait_until(
    $$SELECT count(*) = (SELECT count(*) FROM aveloxis_data.repos)
      FROM aveloxis_ops.worker_history WHERE finished_at IS NOT NULL$$, 120),
    'the facade jobs finished within 120 s');

CREATE TEMP VIEW stored AS
SELECT CASE r.repo_name WHEN 'full' THEN 'full' ELSE 'self' END AS prefix, c.*
FROM aveloxis_data.commits c JOIN aveloxis_data.repos r USING (repo_id);

SELECT set_eq(
    $$SELECT prefix, cmt_commit_hash, cmt_filename, cmt_added, cmt_removed FROM stored WHERE prefix = 'full'$$,
    $$SELECT prefix, hash, path, added, removed FROM avx_test.git_files WHERE prefix = 'full'$$,
    'synthetic history: one row per (commit, file) with git''s added/removed, NULL for binary');
SELECT set_eq(
    $$SELECT prefix, cmt_commit_hash, cmt_filename, cmt_added, cmt_removed FROM stored WHERE prefix = 'self'$$,
    $$SELECT prefix, hash, path, added, removed FROM avx_test.git_files
      WHERE prefix = 'self' AND EXISTS (SELECT 1 FROM aveloxis_data.repos WHERE repo_name = 'openFrameworks')$$,
    'this project''s own history: the same rows as git log --numstat');
SELECT set_eq(
    $$SELECT DISTINCT prefix, cmt_commit_hash, cmt_author_name, cmt_author_raw_email,
             extract(epoch FROM cmt_author_timestamp)::bigint AS author_epoch, cmt_committer_name,
             cmt_committer_raw_email, extract(epoch FROM cmt_committer_timestamp)::bigint AS committer_epoch
      FROM stored WHERE prefix = 'full'$$,
    $$SELECT prefix, hash, author_name, author_email, author_epoch, committer_name,
             committer_email, committer_epoch FROM avx_test.git_commits WHERE prefix = 'full'$$,
    'synthetic history: author and committer names, e-mails and times as git prints them');
SELECT set_eq(
    $$SELECT c.cmt_commit_hash AS child, p.cmt_commit_hash AS parent
      FROM aveloxis_data.commit_parents cp
      JOIN aveloxis_data.commits c ON c.cmt_id = cp.cmt_id
      JOIN aveloxis_data.commits p ON p.cmt_id = cp.parent_id
      JOIN aveloxis_data.repos r ON r.repo_id = c.repo_id WHERE r.repo_name = 'full'$$,
    $$SELECT hash, unnest(string_to_array(nullif(parents, ''), ' '))
      FROM avx_test.git_commits WHERE prefix = 'full'$$,
    'synthetic history: parent links as git lists them (the merge has two)');
SELECT is(count(*), (SELECT count(*) FROM avx_test.git_commits WHERE prefix = 'full'),
          'synthetic history: one commit message per commit')
FROM aveloxis_data.commit_messages m JOIN aveloxis_data.repos r USING (repo_id) WHERE r.repo_name = 'full';
SELECT is(cmt_msg, E'Edit a.txt, add a binary file\n\nSecond paragraph of the message.\n',
          'a multi-paragraph message is stored whole (as git log %B)')
FROM aveloxis_data.commit_messages WHERE cmt_msg LIKE 'Edit a.txt%';
SELECT is(cmt_author_email, '12345+zoe@users.noreply.github.com',
          'author e-mail lower-cased and trimmed') FROM stored
WHERE cmt_author_name = 'Zoë Ñandú' LIMIT 1;
SELECT matches(cmt_author_date, '^2024-01-02 10:00:00 \+0200$', 'cmt_author_date keeps the author''s offset (git %ai)')
FROM stored WHERE prefix = 'full' AND cmt_author_name = 'Ada Lovelace' LIMIT 1;
SELECT is(facade_status, 'Success', 'facade status Success')
FROM aveloxis_ops.collection_status s JOIN aveloxis_data.repos r USING (repo_id) WHERE r.repo_name = 'full';

SELECT * FROM finish();
