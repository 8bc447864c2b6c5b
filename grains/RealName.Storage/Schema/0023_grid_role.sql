-- The grid's least-privilege role. Migrations run as the tables' owner; the silos and gateways log in
-- as a role that is a member of realname_app (scripts/postgres.sh creates realname_grid for the private
-- instance), which is neither owner nor superuser: it may append to the audit log but never change,
-- delete or truncate it, and it cannot disable triggers (that needs ownership).
--
-- Roles are per server, so the role is created once and later databases only grant to it.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'realname_app') THEN
        CREATE ROLE realname_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    -- Another database's migration created it at the same moment.
    NULL;
END
$$;

GRANT USAGE ON SCHEMA public TO realname_app;

-- Every table, those that exist (including any a later-numbered script already made in an existing
-- database) and those later scripts create: read, add and change rows. DELETE only where granted below,
-- TRUNCATE never.
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO realname_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE ON TABLES TO realname_app;

-- Orleans removes membership rows, grain state and reminders; its queries are the owner's to change.
GRANT DELETE ON OrleansMembershipVersionTable, OrleansMembershipTable, OrleansStorage, OrleansRemindersTable TO realname_app;
REVOKE INSERT, UPDATE ON OrleansQuery FROM realname_app;

-- Append-only: the audit log and its checkpoints are only ever added to (their triggers refuse changes
-- even to the owner). A later append-only table revokes UPDATE the same way. The head row is moved by
-- every append (the chain and the signed checkpoints tell a moved head from the real one).
REVOKE UPDATE ON audit_events, audit_checkpoints FROM realname_app;

-- The migrations' journal is the owner's.
REVOKE ALL ON schemaversions FROM realname_app;
