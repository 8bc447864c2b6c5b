-- 0004: reminders for Orleans.Reminders.AdoNet 10.4.x.
--
-- One row per (service, grain, reminder name). Version is the reminder ETag:
-- it starts at 0 and goes up on every upsert; deletes must name it.
-- GrainHash is the grain uniform hash Orleans computes, stored as a signed
-- 32-bit int; silos own ranges of it and read their reminders by range.
--
-- Keys registered:
--   UpsertReminderRowKey   @ServiceId @GrainId @ReminderName @StartTime @Period @GrainHash -> Version
--   ReadReminderRowsKey    @ServiceId @GrainId                -> reminder columns
--   ReadReminderRowKey     @ServiceId @GrainId @ReminderName  -> reminder columns
--   ReadRangeRows1Key      @ServiceId @BeginHash @EndHash     -> reminder columns (begin < end)
--   ReadRangeRows2Key      @ServiceId @BeginHash @EndHash     -> reminder columns (wrapping range)
--   DeleteReminderRowKey   @ServiceId @GrainId @ReminderName @Version -> one int (1 deleted, 0 not)
--   DeleteReminderRowsKey  @ServiceId                         (no result)
-- Reminder columns: GrainId, ReminderName, StartTime, Period (bigint ms), Version.

CREATE TABLE OrleansRemindersTable
(
    ServiceId    varchar(150)   NOT NULL,
    -- GrainId.ToString(), e.g. "type/key".
    GrainId      varchar(512)   NOT NULL,
    ReminderName varchar(150)   NOT NULL,
    StartTime    timestamptz(3) NOT NULL,
    -- Milliseconds. Orleans reads it back as a 64-bit integer.
    Period       bigint         NOT NULL,
    GrainHash    integer        NOT NULL,
    Version      integer        NOT NULL,

    CONSTRAINT PK_OrleansRemindersTable PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- Range reads by owning silo.
CREATE INDEX IX_OrleansRemindersTable_Hash ON OrleansRemindersTable (ServiceId, GrainHash);


-- A reminder as Orleans reads it: its columns under the names the provider looks up.
CREATE VIEW OrleansReminderRows AS
SELECT ServiceId, GrainHash,
       GrainId AS "GrainId", ReminderName AS "ReminderName", StartTime AS "StartTime", Period AS "Period", Version AS "Version"
FROM   OrleansRemindersTable;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpsertReminderRowKey', $$
INSERT INTO OrleansRemindersTable AS r
    (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES
    (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period::bigint, @GrainHash::integer, 0)
ON CONFLICT ON CONSTRAINT PK_OrleansRemindersTable DO UPDATE
SET StartTime = EXCLUDED.StartTime,
    Period    = EXCLUDED.Period,
    GrainHash = EXCLUDED.GrainHash,
    Version   = r.Version + 1
RETURNING r.Version AS "Version";
$$);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowsKey', $$
SELECT "GrainId", "ReminderName", "StartTime", "Period", "Version"
FROM   OrleansReminderRows
WHERE  ServiceId = @ServiceId
  AND  "GrainId" = @GrainId;
$$);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowKey', $$
SELECT "GrainId", "ReminderName", "StartTime", "Period", "Version"
FROM   OrleansReminderRows
WHERE  ServiceId      = @ServiceId
  AND  "GrainId"      = @GrainId
  AND  "ReminderName" = @ReminderName;
$$);

-- Orleans picks this one when (int)begin < (int)end: the range (begin, end].
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows1Key', $$
SELECT "GrainId", "ReminderName", "StartTime", "Period", "Version"
FROM   OrleansReminderRows
WHERE  ServiceId = @ServiceId
  AND  GrainHash > @BeginHash::integer
  AND  GrainHash <= @EndHash::integer;
$$);

-- Otherwise the range wraps around the ring: above begin or up to end.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows2Key', $$
SELECT "GrainId", "ReminderName", "StartTime", "Period", "Version"
FROM   OrleansReminderRows
WHERE  ServiceId = @ServiceId
  AND  (GrainHash > @BeginHash::integer OR GrainHash <= @EndHash::integer);
$$);

-- Deletes only the version the caller holds; returns 1 if a row went, else 0.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowKey', $$
WITH removed AS (
    DELETE FROM OrleansRemindersTable
    WHERE  ServiceId    = @ServiceId
      AND  GrainId      = @GrainId
      AND  ReminderName = @ReminderName
      AND  Version      = @Version::integer
    RETURNING 1
)
SELECT count(*)::integer AS "Result" FROM removed;
$$);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowsKey', $$
DELETE FROM OrleansRemindersTable
WHERE  ServiceId = @ServiceId;
$$);
