-- Facade storage: a batch of commits from the libgit2 walk, as one JSON array:
--   [{"hash", "parents": [..], "author_name", "author_email", "author_date",
--     "author_ts", "committer_name", "committer_email", "committer_date", "committer_ts",
--     "message", "files": [{"path", "added", "removed"}]}]
-- Commits arrive parents first, so parent links of a batch resolve against rows already
-- stored. A commit's rows, message and parent links go in one transaction: the message row
-- marks the commit as complete, and complete commits are skipped on the next run.
CREATE FUNCTION aveloxis_ops.store_commits(p_repo_id bigint, p_batch jsonb)
RETURNS integer LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    n integer;
BEGIN
    INSERT INTO aveloxis_data.commits
        (repo_id, cmt_commit_hash, cmt_author_name, cmt_author_raw_email, cmt_author_email,
         cmt_author_date, cmt_committer_name, cmt_committer_raw_email, cmt_committer_email,
         cmt_committer_date, cmt_added, cmt_removed, cmt_filename, cmt_author_timestamp,
         cmt_committer_timestamp)
    SELECT p_repo_id, c ->> 'hash', c ->> 'author_name', c ->> 'author_email',
           lower(btrim(c ->> 'author_email')), c ->> 'author_date', c ->> 'committer_name',
           c ->> 'committer_email', lower(btrim(c ->> 'committer_email')),
           c ->> 'committer_date',
           CASE WHEN f IS NULL THEN 0 ELSE (f ->> 'added')::integer END,
           CASE WHEN f IS NULL THEN 0 ELSE (f ->> 'removed')::integer END,
           coalesce(f ->> 'path', '(no files)'),
           (c ->> 'author_ts')::timestamptz, (c ->> 'committer_ts')::timestamptz
    FROM jsonb_array_elements(p_batch) c
    LEFT JOIN LATERAL jsonb_array_elements(aveloxis_ops.arr(c -> 'files')) f ON true
    ON CONFLICT (repo_id, cmt_commit_hash, cmt_filename) DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;

    INSERT INTO aveloxis_data.commit_messages (repo_id, cmt_msg, cmt_hash)
    SELECT p_repo_id, c ->> 'message', c ->> 'hash'
    FROM jsonb_array_elements(p_batch) c
    ON CONFLICT (repo_id, cmt_hash) DO UPDATE SET cmt_msg = EXCLUDED.cmt_msg;

    INSERT INTO aveloxis_data.commit_parents (cmt_id, parent_id)
    SELECT child.cmt_id, parent.cmt_id
    FROM jsonb_array_elements(p_batch) c
    CROSS JOIN LATERAL jsonb_array_elements_text(aveloxis_ops.arr(c -> 'parents')) ph
    CROSS JOIN LATERAL (SELECT min(x.cmt_id) AS cmt_id FROM aveloxis_data.commits x
                        WHERE x.repo_id = p_repo_id AND x.cmt_commit_hash = c ->> 'hash') child
    CROSS JOIN LATERAL (SELECT min(x.cmt_id) AS cmt_id FROM aveloxis_data.commits x
                        WHERE x.repo_id = p_repo_id AND x.cmt_commit_hash = ph) parent
    WHERE child.cmt_id IS NOT NULL AND parent.cmt_id IS NOT NULL
    ON CONFLICT DO NOTHING;
    RETURN n;
END;
$$;
