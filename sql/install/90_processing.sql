-- Processing: staged JSONB pages -> relational tables, set-based, one batch of staging rows
-- per call, in dependency order (repo, releases, contributors, issues, pulls, issue_comments).
-- Users found anywhere in a batch are upserted first, so every reference resolves.
-- Duplicate objects inside a batch (an item that moved between pages) are reduced to the
-- most recently updated copy with DISTINCT ON, so they never fail the batch.

CREATE FUNCTION aveloxis_ops.gh_time(p text)
RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
    SELECT nullif(p, '')::timestamptz
$$;

-- GitHub's issue list returns pull requests too. An item is a PR when its pull_request object
-- has a non-null url or html_url: 2012-era answers put an all-null pull_request object on
-- every plain issue, so the key's presence proves nothing.
CREATE FUNCTION aveloxis_ops.is_pull_request(p_item jsonb)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_typeof(p_item -> 'pull_request') = 'object'
       AND (p_item -> 'pull_request' ->> 'url' IS NOT NULL
            OR p_item -> 'pull_request' ->> 'html_url' IS NOT NULL)
$$;

-- The contributor id of a GitHub user object (NULL for a deleted "ghost" user: JSON null).
CREATE FUNCTION aveloxis_ops.gh_user_uuid(p_user jsonb)
RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN jsonb_typeof(p_user) = 'object' AND p_user ->> 'id' IS NOT NULL
                THEN aveloxis.platform_uuid(1, (p_user ->> 'id')::bigint) END
$$;

-- Items of a batch of staging rows: the elements of array pages, or the object itself.
CREATE FUNCTION aveloxis_ops.staged_items(p_ids bigint[])
RETURNS TABLE (staging_id bigint, entity_type text, item jsonb, ord bigint)
LANGUAGE sql STABLE AS $$
    SELECT s.staging_id, s.entity_type, e.item, e.ord
    FROM aveloxis_ops.staging s
    CROSS JOIN LATERAL (
        SELECT a.item, a.ord FROM jsonb_array_elements(
            CASE jsonb_typeof(s.payload) WHEN 'array' THEN s.payload ELSE '[]' END)
            WITH ORDINALITY AS a(item, ord)
        UNION ALL
        SELECT s.payload, 1 WHERE jsonb_typeof(s.payload) = 'object'
    ) e
    WHERE s.staging_id = ANY (p_ids) AND jsonb_typeof(e.item) = 'object'
$$;

-- Every user object referenced by a batch, one per user id.
CREATE FUNCTION aveloxis_ops.staged_users(p_ids bigint[])
RETURNS TABLE (user_id bigint, usr jsonb)
LANGUAGE sql STABLE AS $$
    SELECT DISTINCT ON ((u ->> 'id')::bigint) (u ->> 'id')::bigint, u
    FROM aveloxis_ops.staged_items(p_ids) i
    CROSS JOIN LATERAL (
        SELECT i.item WHERE i.entity_type = 'contributors'
        UNION ALL SELECT i.item -> 'owner' WHERE i.entity_type = 'repo'
        UNION ALL SELECT i.item -> 'user'
        UNION ALL SELECT i.item -> 'author'
        UNION ALL SELECT i.item -> 'assignee'
        UNION ALL SELECT i.item -> 'closed_by'
        UNION ALL SELECT i.item -> 'merged_by'
        UNION ALL SELECT jsonb_array_elements(CASE jsonb_typeof(i.item -> 'assignees')
                                              WHEN 'array' THEN i.item -> 'assignees' ELSE '[]' END)
        UNION ALL SELECT jsonb_array_elements(
                            CASE jsonb_typeof(i.item -> 'requested_reviewers')
                            WHEN 'array' THEN i.item -> 'requested_reviewers' ELSE '[]' END)
    ) AS x(u)
    WHERE jsonb_typeof(u) = 'object' AND u ? 'login' AND u ->> 'id' IS NOT NULL
    ORDER BY (u ->> 'id')::bigint, (u ? 'node_id') DESC
$$;

CREATE FUNCTION aveloxis_ops.process_users(p_ids bigint[])
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    INSERT INTO aveloxis_data.contributors AS c
        (cntrb_id, cntrb_login, cntrb_type, gh_user_id, gh_login, gh_url, gh_html_url,
         gh_node_id, gh_avatar_url, gh_gravatar_id, gh_type, gh_site_admin)
    SELECT aveloxis.platform_uuid(1, user_id), usr ->> 'login', usr ->> 'type', user_id,
           usr ->> 'login', usr ->> 'url', usr ->> 'html_url', usr ->> 'node_id',
           usr ->> 'avatar_url', usr ->> 'gravatar_id', usr ->> 'type', usr ->> 'site_admin'
    FROM aveloxis_ops.staged_users(p_ids)
    ON CONFLICT (cntrb_id) DO UPDATE
    SET cntrb_login = EXCLUDED.cntrb_login, gh_login = EXCLUDED.gh_login,
        cntrb_type = coalesce(EXCLUDED.cntrb_type, c.cntrb_type),
        gh_type = coalesce(EXCLUDED.gh_type, c.gh_type),
        gh_url = EXCLUDED.gh_url, gh_html_url = coalesce(EXCLUDED.gh_html_url, c.gh_html_url),
        gh_node_id = coalesce(EXCLUDED.gh_node_id, c.gh_node_id),
        gh_avatar_url = EXCLUDED.gh_avatar_url,
        gh_site_admin = coalesce(EXCLUDED.gh_site_admin, c.gh_site_admin),
        data_collection_date = now();
    GET DIAGNOSTICS n = ROW_COUNT;

    INSERT INTO aveloxis_data.contributor_identities AS ci
        (cntrb_id, platform_id, platform_user_id, login, avatar_url, profile_url, node_id,
         user_type, is_admin)
    SELECT aveloxis.platform_uuid(1, user_id), 1, user_id, usr ->> 'login',
           usr ->> 'avatar_url', usr ->> 'html_url', usr ->> 'node_id', usr ->> 'type',
           coalesce((usr ->> 'site_admin')::boolean, false)
    FROM aveloxis_ops.staged_users(p_ids)
    ON CONFLICT (platform_id, platform_user_id) DO UPDATE
    SET login = EXCLUDED.login, avatar_url = EXCLUDED.avatar_url,
        profile_url = coalesce(EXCLUDED.profile_url, ci.profile_url),
        node_id = coalesce(EXCLUDED.node_id, ci.node_id),
        user_type = coalesce(EXCLUDED.user_type, ci.user_type),
        data_collection_date = now();
    RETURN n;
END;
$$;

CREATE FUNCTION aveloxis_ops.process_repo(p_repo_id bigint, p_ids bigint[])
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    r jsonb;
BEGIN
    -- the newest staged repo object wins
    SELECT i.item INTO r FROM aveloxis_ops.staged_items(p_ids) i ORDER BY i.staging_id DESC LIMIT 1;
    IF r IS NULL THEN
        RETURN 0;
    END IF;
    UPDATE aveloxis_data.repos
    SET platform_repo_id = (r ->> 'id')::bigint,
        repo_description = r ->> 'description',
        primary_language = r ->> 'language',
        forked_from = r -> 'parent' ->> 'full_name',
        repo_archived = coalesce((r ->> 'archived')::boolean, false),
        default_branch = coalesce(r ->> 'default_branch', default_branch),
        clone_url = r ->> 'clone_url',
        created_at = aveloxis_ops.gh_time(r ->> 'created_at'),
        updated_at = aveloxis_ops.gh_time(r ->> 'updated_at'),
        data_source = 'GitHub API', data_collection_date = now()
    WHERE repo_id = p_repo_id;

    INSERT INTO aveloxis_data.repo_info_history
    SELECT ri.*, now() FROM aveloxis_data.repo_info ri WHERE ri.repo_id = p_repo_id;
    DELETE FROM aveloxis_data.repo_info WHERE repo_id = p_repo_id;
    -- 2012-era objects have forks/watchers (= stars) instead of forks_count/stargazers_count.
    INSERT INTO aveloxis_data.repo_info
        (repo_id, last_updated, issues_enabled, prs_enabled, wiki_enabled, pages_enabled,
         fork_count, star_count, watcher_count, open_issues, default_branch, license,
         repo_size_kb)
    VALUES (p_repo_id, aveloxis_ops.gh_time(r ->> 'pushed_at'),
            r ->> 'has_issues', 'true', r ->> 'has_wiki', r ->> 'has_pages',
            coalesce((r ->> 'forks_count')::integer, (r ->> 'forks')::integer),
            coalesce((r ->> 'stargazers_count')::integer, (r ->> 'watchers')::integer),
            (r ->> 'subscribers_count')::integer,
            coalesce((r ->> 'open_issues_count')::integer, (r ->> 'open_issues')::integer),
            r ->> 'default_branch',
            coalesce(r -> 'license' ->> 'spdx_id', r -> 'license' ->> 'name'),
            (r ->> 'size')::bigint);
    RETURN 1;
END;
$$;

CREATE FUNCTION aveloxis_ops.process_releases(p_repo_id bigint, p_ids bigint[])
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    INSERT INTO aveloxis_data.releases AS rl
        (release_id, repo_id, release_name, release_description, release_author,
         release_tag_name, release_url, created_at, published_at, updated_at, is_draft,
         is_prerelease)
    SELECT DISTINCT ON (i.item ->> 'id')
           i.item ->> 'id', p_repo_id, i.item ->> 'name', i.item ->> 'body',
           i.item -> 'author' ->> 'login', i.item ->> 'tag_name', i.item ->> 'html_url',
           aveloxis_ops.gh_time(i.item ->> 'created_at'),
           aveloxis_ops.gh_time(i.item ->> 'published_at'),
           coalesce(aveloxis_ops.gh_time(i.item ->> 'updated_at'),
                    aveloxis_ops.gh_time(i.item ->> 'published_at')),
           (i.item ->> 'draft')::boolean, (i.item ->> 'prerelease')::boolean
    FROM aveloxis_ops.staged_items(p_ids) i
    WHERE i.item ->> 'id' IS NOT NULL
    ORDER BY i.item ->> 'id', i.staging_id DESC, i.ord
    ON CONFLICT (repo_id, release_id) DO UPDATE
    SET release_name = EXCLUDED.release_name, release_description = EXCLUDED.release_description,
        release_author = EXCLUDED.release_author, release_tag_name = EXCLUDED.release_tag_name,
        release_url = EXCLUDED.release_url, published_at = EXCLUDED.published_at,
        updated_at = EXCLUDED.updated_at, is_draft = EXCLUDED.is_draft,
        is_prerelease = EXCLUDED.is_prerelease, data_collection_date = now();
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END;
$$;

-- A JSON value as an array: JSON null or a missing key become [].
CREATE FUNCTION aveloxis_ops.arr(p jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN jsonb_typeof(p) = 'array' THEN p ELSE '[]'::jsonb END
$$;

-- Assignees of an issue or PR: the assignees array; 2012-era objects only have assignee.
CREATE FUNCTION aveloxis_ops.assignee_list(p_item jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN jsonb_typeof(p_item -> 'assignees') = 'array' THEN p_item -> 'assignees'
                WHEN jsonb_typeof(p_item -> 'assignee') = 'object'
                    THEN jsonb_build_array(p_item -> 'assignee')
                ELSE '[]'::jsonb END
$$;

-- The newest copy of each numbered item of a batch.
--   p_want: 'issue' (issue-list items that are not PRs), 'pr' (issue-list items that are PRs),
--           'any' (every item, for pulls-list pages)
CREATE FUNCTION aveloxis_ops.latest_by_number(p_ids bigint[], p_want text)
RETURNS TABLE (number integer, item jsonb, updated timestamptz)
LANGUAGE sql STABLE AS $$
    SELECT DISTINCT ON ((i.item ->> 'number')::integer)
           (i.item ->> 'number')::integer, i.item, aveloxis_ops.gh_time(i.item ->> 'updated_at')
    FROM aveloxis_ops.staged_items(p_ids) i
    WHERE i.item ->> 'number' IS NOT NULL
      AND (p_want = 'any' OR aveloxis_ops.is_pull_request(i.item) = (p_want = 'pr'))
    ORDER BY (i.item ->> 'number')::integer,
             aveloxis_ops.gh_time(i.item ->> 'updated_at') DESC NULLS LAST,
             i.staging_id DESC, i.ord
$$;

-- Session-local scratch tables of the processing functions, emptied at every commit.
CREATE FUNCTION aveloxis_ops.ensure_scratch_tables()
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF to_regclass('pg_temp.aveloxis_current_items') IS NULL THEN
        CREATE TEMP TABLE aveloxis_current_items (parent_id bigint, item jsonb)
            ON COMMIT DELETE ROWS;
        CREATE TEMP TABLE aveloxis_current_messages
            (msg_id bigint, parent_number integer, src_id bigint, node_id text)
            ON COMMIT DELETE ROWS;
    END IF;
    TRUNCATE aveloxis_current_items, aveloxis_current_messages;
END;
$$;

-- Replace the labels and assignees of the issues whose stored row came from this batch.
CREATE FUNCTION aveloxis_ops.process_issue_children(p_repo_id bigint, p_ids bigint[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM aveloxis_ops.ensure_scratch_tables();
    INSERT INTO aveloxis_current_items
    SELECT t.issue_id, l.item
    FROM aveloxis_ops.latest_by_number(p_ids, 'issue') l
    JOIN aveloxis_data.issues t ON t.repo_id = p_repo_id AND t.issue_number = l.number
    WHERE t.updated_at IS NOT DISTINCT FROM l.updated;

    DELETE FROM aveloxis_data.issue_labels x USING aveloxis_current_items c
    WHERE x.issue_id = c.parent_id
      AND x.label_text NOT IN (SELECT lb ->> 'name'
                               FROM jsonb_array_elements(aveloxis_ops.arr(c.item -> 'labels')) lb);
    INSERT INTO aveloxis_data.issue_labels AS x
        (issue_id, repo_id, platform_label_id, node_id, label_text, label_description, label_color)
    SELECT DISTINCT ON (c.parent_id, lb ->> 'name')
           c.parent_id, p_repo_id, (lb ->> 'id')::bigint, lb ->> 'node_id', lb ->> 'name',
           lb ->> 'description', lb ->> 'color'
    FROM aveloxis_current_items c,
         jsonb_array_elements(aveloxis_ops.arr(c.item -> 'labels')) lb
    WHERE lb ->> 'name' IS NOT NULL
    ORDER BY c.parent_id, lb ->> 'name'
    ON CONFLICT (issue_id, label_text) DO UPDATE
    SET platform_label_id = EXCLUDED.platform_label_id, node_id = EXCLUDED.node_id,
        label_description = EXCLUDED.label_description, label_color = EXCLUDED.label_color;

    DELETE FROM aveloxis_data.issue_assignees x USING aveloxis_current_items c
    WHERE x.issue_id = c.parent_id
      AND x.platform_assignee_id NOT IN (
          SELECT (a ->> 'id')::bigint
          FROM jsonb_array_elements(aveloxis_ops.assignee_list(c.item)) a
          WHERE a ->> 'id' IS NOT NULL);
    INSERT INTO aveloxis_data.issue_assignees
        (issue_id, repo_id, cntrb_id, platform_assignee_id, platform_node_id)
    SELECT DISTINCT ON (c.parent_id, (a ->> 'id')::bigint)
           c.parent_id, p_repo_id, aveloxis_ops.gh_user_uuid(a), (a ->> 'id')::bigint,
           a ->> 'node_id'
    FROM aveloxis_current_items c, jsonb_array_elements(aveloxis_ops.assignee_list(c.item)) a
    WHERE a ->> 'id' IS NOT NULL
    ORDER BY c.parent_id, (a ->> 'id')::bigint
    ON CONFLICT (issue_id, platform_assignee_id) DO NOTHING;
END;
$$;

-- Same for pull requests; p_want as in latest_by_number ('pr' or 'any').
CREATE FUNCTION aveloxis_ops.process_pr_children(p_repo_id bigint, p_ids bigint[], p_want text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM aveloxis_ops.ensure_scratch_tables();
    INSERT INTO aveloxis_current_items
    SELECT t.pull_request_id, l.item
    FROM aveloxis_ops.latest_by_number(p_ids, p_want) l
    JOIN aveloxis_data.pull_requests t ON t.repo_id = p_repo_id AND t.pr_number = l.number
    WHERE t.updated_at IS NOT DISTINCT FROM l.updated;

    DELETE FROM aveloxis_data.pull_request_labels x USING aveloxis_current_items c
    WHERE x.pull_request_id = c.parent_id
      AND x.label_name NOT IN (SELECT lb ->> 'name'
                               FROM jsonb_array_elements(aveloxis_ops.arr(c.item -> 'labels')) lb);
    INSERT INTO aveloxis_data.pull_request_labels
        (pull_request_id, repo_id, platform_label_id, node_id, label_name, label_description,
         label_color, is_default)
    SELECT DISTINCT ON (c.parent_id, lb ->> 'name')
           c.parent_id, p_repo_id, (lb ->> 'id')::bigint, lb ->> 'node_id', lb ->> 'name',
           lb ->> 'description', lb ->> 'color', (lb ->> 'default')::boolean
    FROM aveloxis_current_items c,
         jsonb_array_elements(aveloxis_ops.arr(c.item -> 'labels')) lb
    WHERE lb ->> 'name' IS NOT NULL
    ORDER BY c.parent_id, lb ->> 'name'
    ON CONFLICT (pull_request_id, label_name) DO UPDATE
    SET platform_label_id = EXCLUDED.platform_label_id, node_id = EXCLUDED.node_id,
        label_description = EXCLUDED.label_description, label_color = EXCLUDED.label_color,
        is_default = EXCLUDED.is_default;

    DELETE FROM aveloxis_data.pull_request_assignees x USING aveloxis_current_items c
    WHERE x.pull_request_id = c.parent_id
      AND x.platform_assignee_id NOT IN (
          SELECT (a ->> 'id')::bigint
          FROM jsonb_array_elements(aveloxis_ops.assignee_list(c.item)) a
          WHERE a ->> 'id' IS NOT NULL);
    INSERT INTO aveloxis_data.pull_request_assignees
        (pull_request_id, repo_id, cntrb_id, platform_assignee_id)
    SELECT DISTINCT ON (c.parent_id, (a ->> 'id')::bigint)
           c.parent_id, p_repo_id, aveloxis_ops.gh_user_uuid(a), (a ->> 'id')::bigint
    FROM aveloxis_current_items c, jsonb_array_elements(aveloxis_ops.assignee_list(c.item)) a
    WHERE a ->> 'id' IS NOT NULL
    ORDER BY c.parent_id, (a ->> 'id')::bigint
    ON CONFLICT (pull_request_id, platform_assignee_id) DO NOTHING;
END;
$$;

-- Issue-list pages: plain issues, and PR items (number, title, state, dates, author, labels,
-- assignees: enough to create or update the pull_requests row before the pulls list is read).
CREATE FUNCTION aveloxis_ops.process_issues(p_repo_id bigint, p_ids bigint[])
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    n_issues integer;
    n_prs integer;
BEGIN
    INSERT INTO aveloxis_data.issues AS t
        (repo_id, platform_issue_id, issue_number, node_id, issue_title, issue_body, issue_state,
         issue_url, html_url, reporter_id, closed_by_id, created_at, updated_at, closed_at,
         comment_count, author_association)
    SELECT p_repo_id, (l.item ->> 'id')::bigint, l.number, l.item ->> 'node_id',
           l.item ->> 'title', l.item ->> 'body', l.item ->> 'state', l.item ->> 'url',
           l.item ->> 'html_url', aveloxis_ops.gh_user_uuid(l.item -> 'user'),
           aveloxis_ops.gh_user_uuid(l.item -> 'closed_by'),
           aveloxis_ops.gh_time(l.item ->> 'created_at'), l.updated,
           aveloxis_ops.gh_time(l.item ->> 'closed_at'), (l.item ->> 'comments')::integer,
           l.item ->> 'author_association'
    FROM aveloxis_ops.latest_by_number(p_ids, 'issue') l
    ON CONFLICT (repo_id, issue_number) DO UPDATE
    SET platform_issue_id = EXCLUDED.platform_issue_id, node_id = EXCLUDED.node_id,
        issue_title = EXCLUDED.issue_title, issue_body = EXCLUDED.issue_body,
        issue_state = EXCLUDED.issue_state, issue_url = EXCLUDED.issue_url,
        html_url = EXCLUDED.html_url, reporter_id = EXCLUDED.reporter_id,
        closed_by_id = coalesce(EXCLUDED.closed_by_id, t.closed_by_id),
        created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
        closed_at = EXCLUDED.closed_at, comment_count = EXCLUDED.comment_count,
        author_association = EXCLUDED.author_association, data_collection_date = now()
    WHERE t.updated_at IS NULL OR EXCLUDED.updated_at IS NULL
       OR EXCLUDED.updated_at >= t.updated_at;
    GET DIAGNOSTICS n_issues = ROW_COUNT;
    PERFORM aveloxis_ops.process_issue_children(p_repo_id, p_ids);

    INSERT INTO aveloxis_data.pull_requests AS t
        (repo_id, platform_issue_id, pr_number, pr_url, pr_html_url, pr_diff_url, pr_title,
         pr_body, pr_state, pr_locked, created_at, updated_at, closed_at, author_id,
         author_association)
    SELECT p_repo_id, (l.item ->> 'id')::bigint, l.number, l.item -> 'pull_request' ->> 'url',
           l.item -> 'pull_request' ->> 'html_url', l.item -> 'pull_request' ->> 'diff_url',
           l.item ->> 'title', l.item ->> 'body', l.item ->> 'state',
           (l.item ->> 'locked')::boolean, aveloxis_ops.gh_time(l.item ->> 'created_at'),
           l.updated, aveloxis_ops.gh_time(l.item ->> 'closed_at'),
           aveloxis_ops.gh_user_uuid(l.item -> 'user'), l.item ->> 'author_association'
    FROM aveloxis_ops.latest_by_number(p_ids, 'pr') l
    ON CONFLICT (repo_id, pr_number) DO UPDATE
    SET platform_issue_id = EXCLUDED.platform_issue_id,
        pr_url = coalesce(t.pr_url, EXCLUDED.pr_url),
        pr_html_url = coalesce(EXCLUDED.pr_html_url, t.pr_html_url),
        pr_diff_url = coalesce(EXCLUDED.pr_diff_url, t.pr_diff_url),
        pr_title = EXCLUDED.pr_title, pr_body = EXCLUDED.pr_body, pr_state = EXCLUDED.pr_state,
        pr_locked = coalesce(EXCLUDED.pr_locked, t.pr_locked),
        created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
        closed_at = EXCLUDED.closed_at, author_id = EXCLUDED.author_id,
        author_association = coalesce(EXCLUDED.author_association, t.author_association),
        data_collection_date = now()
    WHERE t.updated_at IS NULL OR EXCLUDED.updated_at IS NULL
       OR EXCLUDED.updated_at >= t.updated_at;
    GET DIAGNOSTICS n_prs = ROW_COUNT;
    PERFORM aveloxis_ops.process_pr_children(p_repo_id, p_ids, 'pr');
    RETURN n_issues + n_prs;
END;
$$;

-- Pulls-list pages. Fields only the pulls list has are always taken; fields the issue list
-- also carries are taken when this copy is at least as recent as the stored one.
CREATE FUNCTION aveloxis_ops.process_pulls(p_repo_id bigint, p_ids bigint[])
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    INSERT INTO aveloxis_data.pull_requests AS t
        (repo_id, platform_pr_id, node_id, pr_number, pr_url, pr_html_url, pr_diff_url,
         pr_title, pr_body, pr_state, pr_locked, pr_draft, created_at, updated_at, closed_at,
         merged_at, merge_commit_sha, author_id, author_association, head_ref, head_sha,
         base_ref, base_sha, seen_in_pulls_list)
    SELECT p_repo_id, (l.item ->> 'id')::bigint, l.item ->> 'node_id', l.number,
           l.item ->> 'url', l.item ->> 'html_url', l.item ->> 'diff_url', l.item ->> 'title',
           l.item ->> 'body', l.item ->> 'state', (l.item ->> 'locked')::boolean,
           (l.item ->> 'draft')::boolean, aveloxis_ops.gh_time(l.item ->> 'created_at'),
           l.updated, aveloxis_ops.gh_time(l.item ->> 'closed_at'),
           aveloxis_ops.gh_time(l.item ->> 'merged_at'), l.item ->> 'merge_commit_sha',
           aveloxis_ops.gh_user_uuid(l.item -> 'user'), l.item ->> 'author_association',
           l.item -> 'head' ->> 'ref', l.item -> 'head' ->> 'sha',
           l.item -> 'base' ->> 'ref', l.item -> 'base' ->> 'sha', true
    FROM aveloxis_ops.latest_by_number(p_ids, 'any') l
    ON CONFLICT (repo_id, pr_number) DO UPDATE
    SET platform_pr_id = EXCLUDED.platform_pr_id, node_id = EXCLUDED.node_id,
        pr_url = EXCLUDED.pr_url, pr_diff_url = EXCLUDED.pr_diff_url,
        pr_draft = EXCLUDED.pr_draft, merged_at = EXCLUDED.merged_at,
        merge_commit_sha = EXCLUDED.merge_commit_sha, head_ref = EXCLUDED.head_ref,
        head_sha = EXCLUDED.head_sha, base_ref = EXCLUDED.base_ref, base_sha = EXCLUDED.base_sha,
        seen_in_pulls_list = true, data_collection_date = now(),
        pr_html_url = coalesce(EXCLUDED.pr_html_url, t.pr_html_url),
        pr_title = CASE WHEN t.updated_at IS NULL OR EXCLUDED.updated_at >= t.updated_at
                        THEN EXCLUDED.pr_title ELSE t.pr_title END,
        pr_body = CASE WHEN t.updated_at IS NULL OR EXCLUDED.updated_at >= t.updated_at
                       THEN EXCLUDED.pr_body ELSE t.pr_body END,
        pr_state = CASE WHEN t.updated_at IS NULL OR EXCLUDED.updated_at >= t.updated_at
                        THEN EXCLUDED.pr_state ELSE t.pr_state END,
        pr_locked = CASE WHEN t.updated_at IS NULL OR EXCLUDED.updated_at >= t.updated_at
                         THEN EXCLUDED.pr_locked ELSE t.pr_locked END,
        closed_at = CASE WHEN t.updated_at IS NULL OR EXCLUDED.updated_at >= t.updated_at
                         THEN EXCLUDED.closed_at ELSE t.closed_at END,
        author_id = coalesce(EXCLUDED.author_id, t.author_id),
        author_association = coalesce(EXCLUDED.author_association, t.author_association),
        created_at = EXCLUDED.created_at,
        updated_at = greatest(EXCLUDED.updated_at, t.updated_at);
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM aveloxis_ops.process_pr_children(p_repo_id, p_ids, 'any');
    RETURN n;
END;
$$;

-- Issue-list comments (repo-wide /issues/comments covers issues and PR conversations): one
-- message each, tied to its issue or pull request by the number at the end of issue_url.
CREATE FUNCTION aveloxis_ops.process_issue_comments(p_repo_id bigint, p_ids bigint[])
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    PERFORM aveloxis_ops.ensure_scratch_tables();

    WITH latest AS (
        SELECT DISTINCT ON ((i.item ->> 'id')::bigint) i.item
        FROM aveloxis_ops.staged_items(p_ids) i
        WHERE i.item ->> 'id' IS NOT NULL
        ORDER BY (i.item ->> 'id')::bigint,
                 aveloxis_ops.gh_time(i.item ->> 'updated_at') DESC NULLS LAST,
                 i.staging_id DESC, i.ord
    ), upserted AS (
        INSERT INTO aveloxis_data.messages AS m
            (repo_id, platform_msg_id, platform_id, node_id, msg_text, msg_timestamp,
             msg_updated_at, msg_html_url, author_association, cntrb_id)
        SELECT p_repo_id, (item ->> 'id')::bigint, 1, item ->> 'node_id', item ->> 'body',
               aveloxis_ops.gh_time(item ->> 'created_at'),
               aveloxis_ops.gh_time(item ->> 'updated_at'), item ->> 'html_url',
               item ->> 'author_association', aveloxis_ops.gh_user_uuid(item -> 'user')
        FROM latest
        ON CONFLICT (platform_msg_id, platform_id) DO UPDATE
        SET repo_id = EXCLUDED.repo_id, node_id = EXCLUDED.node_id, msg_text = EXCLUDED.msg_text,
            msg_updated_at = EXCLUDED.msg_updated_at, msg_html_url = EXCLUDED.msg_html_url,
            author_association = EXCLUDED.author_association, cntrb_id = EXCLUDED.cntrb_id,
            data_collection_date = now()
        RETURNING m.msg_id, m.platform_msg_id
    )
    INSERT INTO aveloxis_current_messages
    SELECT u.msg_id, substring(l.item ->> 'issue_url' FROM '/issues/([0-9]+)$')::integer,
           u.platform_msg_id, l.item ->> 'node_id'
    FROM upserted u JOIN latest l ON (l.item ->> 'id')::bigint = u.platform_msg_id;
    GET DIAGNOSTICS n = ROW_COUNT;

    INSERT INTO aveloxis_data.issue_message_ref
        (issue_id, repo_id, msg_id, platform_src_id, platform_node_id)
    SELECT i.issue_id, p_repo_id, c.msg_id, c.src_id, c.node_id
    FROM aveloxis_current_messages c
    JOIN aveloxis_data.issues i ON i.repo_id = p_repo_id AND i.issue_number = c.parent_number
    ON CONFLICT (issue_id, msg_id) DO NOTHING;

    INSERT INTO aveloxis_data.pull_request_message_ref
        (pull_request_id, repo_id, msg_id, platform_src_id, platform_node_id)
    SELECT p.pull_request_id, p_repo_id, c.msg_id, c.src_id, c.node_id
    FROM aveloxis_current_messages c
    JOIN aveloxis_data.pull_requests p ON p.repo_id = p_repo_id AND p.pr_number = c.parent_number
    ON CONFLICT (pull_request_id, msg_id) DO NOTHING;
    RETURN n;
END;
$$;

-- Process up to p_limit unprocessed staging rows of one entity type of a repo, oldest first,
-- and mark them processed in the same transaction. Returns the number of staging rows taken.
-- JIT is off: these are many short statements over one batch, and JIT compilation (set off
-- by the scratch tables' missing statistics) cost more than the statements themselves.
CREATE FUNCTION aveloxis_ops.process_staged(p_repo_id bigint, p_entity text, p_limit integer)
RETURNS integer LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    ids bigint[];
BEGIN
    SELECT array_agg(s.staging_id ORDER BY s.staging_id) INTO ids
    FROM (SELECT st.staging_id FROM aveloxis_ops.staging st
          WHERE st.repo_id = p_repo_id AND st.entity_type = p_entity AND NOT st.processed
            AND st.error IS NULL
          ORDER BY st.staging_id LIMIT p_limit FOR UPDATE) s;
    IF ids IS NULL THEN
        RETURN 0;
    END IF;

    PERFORM aveloxis_ops.process_users(ids);
    CASE p_entity
        WHEN 'repo' THEN PERFORM aveloxis_ops.process_repo(p_repo_id, ids);
        WHEN 'releases' THEN PERFORM aveloxis_ops.process_releases(p_repo_id, ids);
        WHEN 'contributors' THEN NULL;   -- the users themselves, upserted above
        WHEN 'issues' THEN PERFORM aveloxis_ops.process_issues(p_repo_id, ids);
        WHEN 'pulls' THEN PERFORM aveloxis_ops.process_pulls(p_repo_id, ids);
        WHEN 'issue_comments' THEN PERFORM aveloxis_ops.process_issue_comments(p_repo_id, ids);
        ELSE RAISE EXCEPTION 'unknown staging entity type "%"', p_entity;
    END CASE;

    UPDATE aveloxis_ops.staging SET processed = true, processed_at = now()
    WHERE staging_id = ANY (ids);
    RETURN cardinality(ids);
END;
$$;

-- Called when the page process_staged would take next failed on its own (a field of an
-- unexpected type, say). A page of several items is split into one staging row per item, so
-- only the item at fault will fail; a single item is set aside (error set: kept for
-- inspection, skipped from then on). Returns NULL after a split, else what was set aside.
CREATE FUNCTION aveloxis_ops.split_or_set_aside_next_page(p_repo_id bigint, p_entity text,
                                                        p_error text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    r aveloxis_ops.staging;
BEGIN
    SELECT * INTO r FROM aveloxis_ops.staging st
    WHERE st.repo_id = p_repo_id AND st.entity_type = p_entity
      AND NOT st.processed AND st.error IS NULL
    ORDER BY st.staging_id LIMIT 1
    FOR UPDATE;
    IF r.staging_id IS NULL THEN
        RETURN NULL;
    END IF;
    IF jsonb_typeof(r.payload) = 'array' AND jsonb_array_length(r.payload) > 1 THEN
        INSERT INTO aveloxis_ops.staging
            (repo_id, platform_id, entity_type, page_url, payload, created_at)
        SELECT r.repo_id, r.platform_id, r.entity_type,
               coalesce(r.page_url, '') || ' item ' || e.ord, jsonb_build_array(e.item),
               r.created_at
        FROM jsonb_array_elements(r.payload) WITH ORDINALITY AS e(item, ord);
        UPDATE aveloxis_ops.staging
        SET processed = true, processed_at = now(), error = 'split into single items: ' || p_error
        WHERE staging_id = r.staging_id;
        RETURN NULL;
    END IF;
    UPDATE aveloxis_ops.staging SET error = p_error WHERE staging_id = r.staging_id;
    RETURN coalesce(r.page_url, 'staging row ' || r.staging_id);
END;
$$;

-- Row counts of a repo's collected data: what the queue and worker_history report.
CREATE FUNCTION aveloxis_ops.repo_counts(p_repo_id bigint)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'issues', (SELECT count(*) FROM aveloxis_data.issues WHERE repo_id = p_repo_id),
        'pull_requests',
            (SELECT count(*) FROM aveloxis_data.pull_requests WHERE repo_id = p_repo_id),
        'messages', (SELECT count(*) FROM aveloxis_data.messages WHERE repo_id = p_repo_id),
        'releases', (SELECT count(*) FROM aveloxis_data.releases WHERE repo_id = p_repo_id),
        'commits', (SELECT count(*) FROM aveloxis_data.commit_messages WHERE repo_id = p_repo_id),
        'commit_rows', (SELECT count(*) FROM aveloxis_data.commits WHERE repo_id = p_repo_id))
$$;
