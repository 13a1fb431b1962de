-- aveloxis 0.1.0 install script, assembled by the Makefile from sql/install/*.sql.
\echo Use "CREATE EXTENSION aveloxis" to load this file. \quit

-- Three schemas, as in Aveloxis:
--   aveloxis       the SQL API a DBA calls (add_repo, add_key, prioritize, collect_now, ...)
--   aveloxis_data  collected data, Augur/Aveloxis table and column names
--   aveloxis_ops   operational state: queue, staging, status, keys, worker history
CREATE SCHEMA aveloxis;
CREATE SCHEMA aveloxis_data;
CREATE SCHEMA aveloxis_ops;
COMMENT ON SCHEMA aveloxis IS 'aveloxis: the SQL API (add_repo, add_key, prioritize, collect_now, queue)';
COMMENT ON SCHEMA aveloxis_data IS 'aveloxis: collected community-health data (Augur-compatible names)';
COMMENT ON SCHEMA aveloxis_ops IS 'aveloxis: queue, staging, collection status, API keys, worker history';

-- Per-database state of the extension. Server settings live in GUCs (aveloxis.*).
CREATE TABLE aveloxis_ops.config (
    key        text PRIMARY KEY,
    value      text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE aveloxis_ops.config IS
    'Per-database state of aveloxis (schema version, install time); server settings are GUCs';
INSERT INTO aveloxis_ops.config (key, value) VALUES
    ('schema_version', '0.1.0'),
    ('installed_at', now()::text);
