-- MirtLab LIS database, PostgreSQL: least-privilege roles.
--
-- Run once per LIS database, before MirtLab's first start, as a superuser (or a role with CREATEROLE that owns
-- the database):
--     psql -v ON_ERROR_STOP=1 -d <lis database> -f grants.sql
-- It is idempotent: running it again changes nothing. Set passwords afterwards, interactively, so they never sit
-- in a file:  \password mirtlab_owner   and   \password mirtlab_service
-- and allow the two logins in pg_hba.conf (scram-sha-256) from the MirtLab host only.
--
-- Roles:
--   mirtlab_owner       owns the "mirtlab" schema and its tables; the only role that runs DDL. MirtLab uses it
--                       only for schema migrations, through Lis:MigrationConnectionString.
--   mirtlab_service     the service's runtime login (Lis:ConnectionString): SELECT, INSERT, UPDATE on the
--                       mirtlab_* tables (SELECT also answers the delta check's lookup of a patient's previous
--                       result). No DELETE, no TRUNCATE, no DDL: it cannot remove a delivered result.
--   mirtlab_lis_reader  SELECT only; grant it to the LIS's own login (GRANT mirtlab_lis_reader TO lis_login).
--
-- The runtime login also needs TEMPORARY on the database (large batches are COPYed into a temporary staging
-- table); PostgreSQL grants it to PUBLIC by default, and it is granted explicitly below in case a DBA revoked it.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mirtlab_owner') THEN
        CREATE ROLE mirtlab_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mirtlab_service') THEN
        CREATE ROLE mirtlab_service LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mirtlab_lis_reader') THEN
        CREATE ROLE mirtlab_lis_reader NOLOGIN;
    END IF;
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO mirtlab_owner, mirtlab_service', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO mirtlab_lis_reader', current_database());
END
$$;

CREATE SCHEMA IF NOT EXISTS mirtlab AUTHORIZATION mirtlab_owner;
REVOKE ALL ON SCHEMA mirtlab FROM PUBLIC;
GRANT USAGE ON SCHEMA mirtlab TO mirtlab_service, mirtlab_lis_reader;

-- MirtLab creates its tables unqualified: they land in the first schema of the search path.
ALTER ROLE mirtlab_owner SET search_path = mirtlab;
ALTER ROLE mirtlab_service SET search_path = mirtlab;

-- Tables the owner creates later (every migration) get these rights automatically...
ALTER DEFAULT PRIVILEGES FOR ROLE mirtlab_owner IN SCHEMA mirtlab GRANT SELECT, INSERT, UPDATE ON TABLES TO mirtlab_service;
ALTER DEFAULT PRIVILEGES FOR ROLE mirtlab_owner IN SCHEMA mirtlab GRANT SELECT ON TABLES TO mirtlab_lis_reader;

-- ...and tables that already exist get them now (when this script runs after a migration).
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA mirtlab TO mirtlab_service;
GRANT SELECT ON ALL TABLES IN SCHEMA mirtlab TO mirtlab_lis_reader;
REVOKE DELETE, TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA mirtlab FROM mirtlab_service, mirtlab_lis_reader;
