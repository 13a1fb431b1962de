-- pg_dump leaves out the contents of an extension's tables unless they are marked as
-- configuration tables. Everything aveloxis collects or schedules is data the user owns, so
-- every table is dumped (with its sequence positions), except the rows this script itself
-- inserts (the platforms, the config rows), which CREATE EXTENSION recreates on restore.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN
        SELECT c.oid, c.relname, n.nspname, c.relkind
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN ('aveloxis_data', 'aveloxis_ops') AND c.relkind IN ('r', 'S')
    LOOP
        IF t.relkind = 'S' THEN
            PERFORM pg_catalog.pg_extension_config_dump(t.oid::regclass, '');
        ELSIF t.nspname = 'aveloxis_data' AND t.relname = 'platforms' THEN
            PERFORM pg_catalog.pg_extension_config_dump(t.oid::regclass, 'WHERE platform_id > 3');
        ELSIF t.nspname = 'aveloxis_ops' AND t.relname = 'config' THEN
            PERFORM pg_catalog.pg_extension_config_dump(
                t.oid::regclass, 'WHERE key NOT IN (''schema_version'', ''installed_at'')');
        ELSE
            PERFORM pg_catalog.pg_extension_config_dump(t.oid::regclass, '');
        END IF;
    END LOOP;
END;
$$;
