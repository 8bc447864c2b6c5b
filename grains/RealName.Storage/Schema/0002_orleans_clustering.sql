-- 0002: cluster membership for Orleans.Clustering.AdoNet 10.4.x.
--
-- Model: one row per deployment (cluster id) in OrleansMembershipVersionTable
-- holding the table version, and one row per silo incarnation
-- (address, port, generation) in OrleansMembershipTable.
--
-- The version number is the ETag of the whole membership table: every
-- insert or update of a silo row must name the version it last read, and
-- succeeds only if nobody changed the table since; the version then goes up
-- by one. Silo row change and version bump happen together or not at all.
--
-- Keys registered (all required by the 10.4.x provider unless noted):
--   InsertMembershipVersionKey   @DeploymentId                         -> one int (1 created, 0 existed)
--   InsertMembershipKey          @DeploymentId @Address @Port @Generation @SiloName @HostName
--                                @Status @ProxyPort @StartTime @IAmAliveTime @Version
--                                                                       -> one int (1 ok, 0 conflict)
--   UpdateMembershipKey          @DeploymentId @Address @Port @Generation @Status @SuspectTimes
--                                @IAmAliveTime @Version                 -> one int (1 ok, 0 conflict)
--   UpdateIAmAlivetimeKey        @DeploymentId @Address @Port @Generation @IAmAliveTime (no result)
--   MembershipReadRowKey         @DeploymentId @Address @Port @Generation -> membership columns
--   MembershipReadAllKey         @DeploymentId                          -> membership columns
--   GatewaysQueryKey             @DeploymentId @Status                  -> Address ProxyPort Generation
--   DeleteMembershipTableEntriesKey  @DeploymentId                      (no result)
--   CleanupDefunctSiloEntriesKey @DeploymentId @IAmAliveTime             (no result)
--   CleanupDefunctSiloEntryKey   (optional; used instead of the previous key when present)
--                                @DeploymentId @Address @Port @Generation @StartTime
--                                @IAmAliveTime @SuspectTimes             (no result)
--
-- SiloStatus values used here: 3 = Active, 6 = Dead.

CREATE TABLE OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL,
    -- When the version last moved; informational only.
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0,

    CONSTRAINT PK_OrleansMembershipVersionTable PRIMARY KEY (DeploymentId)
);

CREATE TABLE OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL,
    -- IPv4 or IPv6 text form, as Orleans writes it.
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NOT NULL DEFAULT 0,
    -- Votes of other silos, Orleans-formatted "silo,time|silo,time".
    SuspectTimes varchar(8000)  NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,

    CONSTRAINT PK_OrleansMembershipTable PRIMARY KEY (DeploymentId, Address, Port, Generation),
    -- Removing a deployment removes its silos with it.
    CONSTRAINT FK_OrleansMembershipTable_Version FOREIGN KEY (DeploymentId)
        REFERENCES OrleansMembershipVersionTable (DeploymentId) ON DELETE CASCADE
);


-- Moves a deployment's table version on by one if it still is the version the
-- caller last read; false (nothing changed) for a stale or missing version.
CREATE FUNCTION orleans_membership_claim_version(p_deployment_id varchar, p_version integer)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE OrleansMembershipVersionTable
    SET    Version = Version + 1,
           Timestamp = now()
    WHERE  DeploymentId = p_deployment_id
      AND  Version = p_version
      AND  Version < 2147483647;
    RETURN FOUND;
END;
$$;


-- Adds a silo row under the version the caller last read. The version is
-- claimed first (so a stale caller changes nothing); if the silo row already
-- exists the error raised undoes the claim, as the function's exception block
-- rolls back everything done inside it.
CREATE FUNCTION orleans_membership_insert
(
    p_deployment_id varchar, p_address varchar, p_port integer, p_generation integer,
    p_silo_name varchar, p_host_name varchar, p_status integer, p_proxy_port integer,
    p_start_time timestamptz, p_i_am_alive timestamptz, p_version integer
)
RETURNS integer
LANGUAGE plpgsql
AS $$
BEGIN
    IF NOT orleans_membership_claim_version(p_deployment_id, p_version) THEN RETURN 0; END IF;

    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    VALUES
        (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name,
         p_status, COALESCE(p_proxy_port, 0), p_start_time, p_i_am_alive)
    ON CONFLICT ON CONSTRAINT PK_OrleansMembershipTable DO NOTHING;
    IF NOT FOUND THEN RAISE EXCEPTION 'membership row already present' USING ERRCODE = 'RN409'; END IF;
    RETURN 1;
EXCEPTION
    WHEN SQLSTATE 'RN409' THEN RETURN 0;
END;
$$;


-- Changes status, suspicions and heartbeat of one silo under the version the
-- caller last read; all or nothing, as the insert above.
CREATE FUNCTION orleans_membership_update
(
    p_deployment_id varchar, p_address varchar, p_port integer, p_generation integer,
    p_status integer, p_suspect_times varchar, p_i_am_alive timestamptz, p_version integer
)
RETURNS integer
LANGUAGE plpgsql
AS $$
BEGIN
    IF NOT orleans_membership_claim_version(p_deployment_id, p_version) THEN RETURN 0; END IF;

    UPDATE OrleansMembershipTable
    SET    Status       = p_status,
           SuspectTimes = p_suspect_times,
           -- A late or retried write must not move the heartbeat backwards.
           IAmAliveTime = GREATEST(IAmAliveTime, p_i_am_alive)
    WHERE  (DeploymentId, Address, Port, Generation) = (p_deployment_id, p_address, p_port, p_generation);
    IF NOT FOUND THEN RAISE EXCEPTION 'membership row missing' USING ERRCODE = 'RN409'; END IF;
    RETURN 1;
EXCEPTION
    WHEN SQLSTATE 'RN409' THEN RETURN 0;
END;
$$;


-- Creates the version row of a deployment if it is not there yet.
-- Returns 1 when this call created it, 0 when it existed.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipVersionKey', $$
WITH created AS (
    INSERT INTO OrleansMembershipVersionTable (DeploymentId)
    SELECT @DeploymentId
    WHERE @DeploymentId IS NOT NULL
    ON CONFLICT ON CONSTRAINT PK_OrleansMembershipVersionTable DO NOTHING
    RETURNING 1
)
SELECT count(*)::integer AS "Result" FROM created;
$$);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipKey', $$
SELECT orleans_membership_insert(
    @DeploymentId, @Address, @Port::integer, @Generation::integer,
    @SiloName, @HostName, @Status::integer, @ProxyPort::integer,
    @StartTime, @IAmAliveTime, @Version::integer) AS "Result";
$$);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateMembershipKey', $$
SELECT orleans_membership_update(
    @DeploymentId, @Address, @Port::integer, @Generation::integer,
    @Status::integer, @SuspectTimes, @IAmAliveTime, @Version::integer) AS "Result";
$$);

-- Heartbeat. Orleans does not check the outcome and does not pass a version:
-- liveness writes deliberately do not touch the table version.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateIAmAlivetimeKey', $$
UPDATE OrleansMembershipTable
SET    IAmAliveTime = GREATEST(IAmAliveTime, @IAmAliveTime)
WHERE  DeploymentId = @DeploymentId
  AND  Address      = @Address
  AND  Port         = @Port::integer
  AND  Generation   = @Generation::integer;
$$);

-- The silo rows of a deployment with the table version, one silo when an
-- address is given. The version row is the driving side of an outer join so
-- the version comes back even when the silo is unknown (Orleans then sees a
-- row whose StartTime is NULL and treats it as "no entry").
CREATE FUNCTION orleans_membership_rows(p_deployment_id varchar, p_address varchar, p_port integer, p_generation integer)
RETURNS TABLE ("DeploymentId" varchar, "Address" varchar, "Port" integer, "Generation" integer,
               "SiloName" varchar, "HostName" varchar, "Status" integer, "ProxyPort" integer,
               "SuspectTimes" varchar, "StartTime" timestamptz, "IAmAliveTime" timestamptz, "Version" integer)
LANGUAGE sql
STABLE
AS $$
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
           m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM   OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m
           ON  m.DeploymentId = v.DeploymentId
           AND (p_address IS NULL OR (m.Address, m.Port, m.Generation) = (p_address, p_port, p_generation))
    WHERE  v.DeploymentId = p_deployment_id;
$$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadRowKey', $$
SELECT * FROM orleans_membership_rows(@DeploymentId, @Address, @Port::integer, @Generation::integer);
$$);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadAllKey', $$
SELECT * FROM orleans_membership_rows(@DeploymentId, NULL, NULL, NULL);
$$);

-- Used by clients: silos in the given status (Orleans passes Active) that
-- accept client connections.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('GatewaysQueryKey', $$
SELECT Address    AS "Address",
       ProxyPort  AS "ProxyPort",
       Generation AS "Generation"
FROM   OrleansMembershipTable
WHERE  DeploymentId = @DeploymentId
  AND  Status       = @Status::integer
  AND  ProxyPort    > 0;
$$);

-- Drops a whole deployment; its silo rows go through the cascading key.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteMembershipTableEntriesKey', $$
DELETE FROM OrleansMembershipVersionTable
WHERE  DeploymentId = @DeploymentId;
$$);

-- Bulk pruning of dead silos older than the cutoff (@IAmAliveTime carries the
-- cutoff). 10.4.x only runs this when CleanupDefunctSiloEntryKey is absent,
-- but still requires the key to exist. Only Dead rows go; never live ones.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntriesKey', $$
DELETE FROM OrleansMembershipTable
WHERE  DeploymentId = @DeploymentId
  AND  Status       = 6
  AND  IAmAliveTime < @IAmAliveTime
  AND  StartTime    < @IAmAliveTime;
$$);

-- Per-row pruning: Orleans reads the table, decides in .NET which dead rows
-- are old enough, and hands back the values it saw. The row goes only if it
-- is still exactly what was read, so a row that changed meanwhile survives.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntryKey', $$
DELETE FROM OrleansMembershipTable
WHERE  DeploymentId = @DeploymentId
  AND  Address      = @Address
  AND  Port         = @Port::integer
  AND  Generation   = @Generation::integer
  AND  Status       = 6
  AND  StartTime    = @StartTime
  AND  IAmAliveTime = @IAmAliveTime
  AND  COALESCE(SuspectTimes, '') = COALESCE(@SuspectTimes, '');
$$);
