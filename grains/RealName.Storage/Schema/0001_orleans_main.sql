-- 0001: the catalogue of SQL statements the Orleans ADO.NET providers run.
--
-- The Orleans providers (clustering, grain persistence, reminders; 10.4.x) do not
-- carry any SQL of their own. At start-up each provider reads every row of this
-- table ("SELECT QueryKey, QueryText FROM OrleansQuery") and from then on runs
-- the text stored under a fixed key, binding its own named parameters
-- (@DeploymentId, @GrainIdHash, ...). So the contract between Orleans and this
-- database is:
--   * the key names (QueryKey) the provider looks up,
--   * the parameter names each statement may use,
--   * the column names and types of what each statement returns.
-- Everything behind that (table layout, indexes, helper functions) is ours.
--
-- The later scripts (0002..0004) each add their tables and register their keys
-- here. Applied once by DbUp, inside one transaction per script.
-- Dollar quoting in these scripts is always the bare double-dollar form,
-- never a named tag, because DbUp would read a named tag as a variable.

CREATE TABLE OrleansQuery
(
    -- Key the provider asks for, e.g. InsertMembershipKey.
    QueryKey  varchar(64) NOT NULL,
    -- The statement text; Npgsql rewrites the @Name placeholders.
    QueryText text        NOT NULL,

    CONSTRAINT PK_OrleansQuery PRIMARY KEY (QueryKey)
);

COMMENT ON TABLE OrleansQuery IS
    'Statements run by the Orleans ADO.NET providers, looked up by key at silo start-up.';
