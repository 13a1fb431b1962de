-- Helpers for the pgTAP tests, created in a test database (never part of the extension).
CREATE SCHEMA IF NOT EXISTS avx_test;

-- Polls a boolean query until it is true or the deadline passes; every poll sees what other
-- sessions (the background workers) committed, since each statement takes a new snapshot.
CREATE OR REPLACE FUNCTION avx_test.wait_until(p_query text, p_timeout_s numeric)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    deadline timestamptz := clock_timestamp() + make_interval(secs => p_timeout_s);
    done boolean;
BEGIN
    LOOP
        EXECUTE p_query INTO done;
        IF done THEN
            RETURN true;
        END IF;
        IF clock_timestamp() > deadline THEN
            RETURN false;
        END IF;
        PERFORM pg_sleep(0.1);
    END LOOP;
END;
$$;

-- Expected values computed by the test driver from the fixture files or from git.
CREATE TABLE IF NOT EXISTS avx_test.expected (key text PRIMARY KEY, value bigint NOT NULL);
CREATE OR REPLACE FUNCTION avx_test.expect(p_key text)
RETURNS bigint LANGUAGE plpgsql STABLE AS $$
DECLARE
    v bigint;
BEGIN
    SELECT value INTO v FROM avx_test.expected WHERE key = p_key;
    IF v IS NULL THEN
        RAISE EXCEPTION 'no expected value "%" was loaded by the test driver', p_key;
    END IF;
    RETURN v;
END;
$$;
