-- MirtLab LIS database, SQL Server: least-privilege principals.
--
-- Run once per LIS database, before MirtLab's first start, in that database, as a member of db_owner (and
-- securityadmin for the logins). It is idempotent: running it again changes nothing.
--
--   mirtlab_owner     owns the "mirtlab" schema's objects and is the only principal that runs DDL. MirtLab uses
--                     it only for schema migrations, through Lis:MigrationConnectionString.
--   mirtlab_service   the service's runtime login (Lis:ConnectionString): SELECT, INSERT, UPDATE on the schema
--                     (SELECT also answers the delta check's lookup of a patient's previous result).
--                     No DELETE, no DDL: it cannot remove a delivered result. Large batches go through a #temp
--                     staging table, which needs no permission in SQL Server.
--   mirtlab_lis_reader  a role with SELECT only; add the LIS's own user to it.
--
-- Logins are server-level; create them first (passwords typed by the DBA, never stored in a file), e.g.
--   CREATE LOGIN mirtlab_owner   WITH PASSWORD = '<typed by the DBA>', CHECK_POLICY = ON;
--   CREATE LOGIN mirtlab_service WITH PASSWORD = '<typed by the DBA>', CHECK_POLICY = ON;
-- or map Windows/Entra accounts instead of SQL logins.
--
-- Microsoft.Data.SqlClient 2.1.4 (the version MirtLab can use today) is affected by CVE-2024-0056: set the server
-- to force encryption and reach it only over a trusted network until the client is upgraded.

SET XACT_ABORT ON;
BEGIN TRANSACTION;

IF SCHEMA_ID(N'mirtlab') IS NULL
    EXEC (N'CREATE SCHEMA mirtlab AUTHORIZATION dbo');

IF DATABASE_PRINCIPAL_ID(N'mirtlab_owner') IS NULL
    CREATE USER mirtlab_owner FOR LOGIN mirtlab_owner WITH DEFAULT_SCHEMA = mirtlab;
IF DATABASE_PRINCIPAL_ID(N'mirtlab_service') IS NULL
    CREATE USER mirtlab_service FOR LOGIN mirtlab_service WITH DEFAULT_SCHEMA = mirtlab;
IF DATABASE_PRINCIPAL_ID(N'mirtlab_lis_reader') IS NULL
    CREATE ROLE mirtlab_lis_reader;

-- MirtLab creates its tables unqualified: they land in each user's default schema, "mirtlab".
ALTER USER mirtlab_owner WITH DEFAULT_SCHEMA = mirtlab;
ALTER USER mirtlab_service WITH DEFAULT_SCHEMA = mirtlab;

-- The owner may create tables and indexes in the mirtlab schema only.
GRANT CREATE TABLE TO mirtlab_owner;
GRANT ALTER, SELECT, INSERT, UPDATE, DELETE, REFERENCES ON SCHEMA::mirtlab TO mirtlab_owner;

-- Schema-level grants cover the tables that exist and every table a later migration adds.
GRANT SELECT, INSERT, UPDATE ON SCHEMA::mirtlab TO mirtlab_service;
DENY DELETE, ALTER, CONTROL, TAKE OWNERSHIP ON SCHEMA::mirtlab TO mirtlab_service;
GRANT SELECT ON SCHEMA::mirtlab TO mirtlab_lis_reader;
DENY INSERT, UPDATE, DELETE, ALTER ON SCHEMA::mirtlab TO mirtlab_lis_reader;

COMMIT;
