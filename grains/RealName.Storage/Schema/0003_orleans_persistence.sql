-- 0003: grain state for Orleans.Persistence.AdoNet 10.4.x (AdoNetGrainStorage).
--
-- Identity of a stored state: service id + grain type + grain id. Orleans
-- passes the grain id split into two 64-bit numbers (GrainIdN0, GrainIdN1,
-- used for Guid and integer keys) plus an optional string part
-- (GrainIdExtensionString: the string key, or the key extension), and also
-- two 32-bit hashes it computes itself (GrainIdHash, GrainTypeHash). The
-- hashes make the lookup index narrow; the full values settle collisions.
--
-- Concurrency: Version is the ETag. Orleans sends the version it last read
-- (@GrainStateVersion, NULL when it believes no row exists) and judges the
-- returned number: if it equals what it sent, or is empty (NULL), the write
-- lost a race and Orleans raises InconsistentStateException. Therefore every
-- write-type statement here returns exactly one row: the new version on
-- success, otherwise the version it was given (NULL stays NULL).
--
-- Keys registered:
--   ReadFromStorageKey  @GrainIdHash @GrainIdN0 @GrainIdN1 @GrainTypeHash @GrainTypeString
--                       @GrainIdExtensionString @ServiceId
--                       -> PayloadBinary, Version (no row when never written)
--   WriteToStorageKey   same + @GrainStateVersion @PayloadBinary -> NewGrainStateVersion
--   ClearStorageKey     same as read + @GrainStateVersion -> one value (new version)
--   DeleteStorageKey    same as clear; only used with DeleteStateOnClear = true
--                       -> one value (old version + 1 on success)
-- The provider in 10.4.x reads and writes the binary payload only, so no
-- JSON/XML payload columns are kept.

CREATE TABLE OrleansStorage
(
    GrainIdHash            integer        NOT NULL,
    GrainIdN0              bigint         NOT NULL,
    GrainIdN1              bigint         NOT NULL,
    GrainTypeHash          integer        NOT NULL,
    GrainTypeString        varchar(512)   NOT NULL,
    GrainIdExtensionString varchar(512)   NULL,
    ServiceId              varchar(150)   NOT NULL,
    -- NULL after a clear (the row and its version live on).
    PayloadBinary          bytea          NULL,
    -- Informational: last time the row was written.
    ModifiedOn             timestamptz(3) NOT NULL DEFAULT now(),
    Version                integer        NOT NULL,

    -- One row per grain state. The hashes lead so the index is also the
    -- lookup path. NULLS NOT DISTINCT (PostgreSQL 15+) makes two rows with no
    -- extension string collide, which is what stops two racing first writes
    -- from both inserting.
    CONSTRAINT UQ_OrleansStorage_Grain UNIQUE NULLS NOT DISTINCT
        (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, ServiceId,
         GrainTypeString, GrainIdExtensionString)
);


-- Write with optimistic concurrency.
--   known version  -> update only if the stored version still equals it.
--   NULL version   -> insert only if no row exists yet.
CREATE FUNCTION orleans_storage_write
(
    p_grain_id_hash integer, p_grain_id_n0 bigint, p_grain_id_n1 bigint, p_grain_type_hash integer,
    p_grain_type varchar, p_grain_id_ext varchar, p_service_id varchar, p_version integer,
    p_payload          bytea
)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    v_new integer;
BEGIN
    IF p_version IS NULL THEN
        INSERT INTO OrleansStorage
            (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
             GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
        VALUES
            (p_grain_id_hash, p_grain_id_n0, p_grain_id_n1, p_grain_type_hash, p_grain_type,
             p_grain_id_ext, p_service_id, p_payload, now(), 1)
        ON CONFLICT ON CONSTRAINT UQ_OrleansStorage_Grain DO NOTHING
        RETURNING Version INTO v_new;

        -- NULL here (row already there) tells Orleans the write was refused.
        RETURN v_new;
    END IF;

    UPDATE OrleansStorage
    SET    PayloadBinary = p_payload,
           ModifiedOn    = now(),
           Version       = Version + 1
    WHERE  (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, ServiceId, GrainTypeString)
         = (p_grain_id_hash, p_grain_type_hash, p_grain_id_n0, p_grain_id_n1, p_service_id, p_grain_type)
      AND  GrainIdExtensionString IS NOT DISTINCT FROM p_grain_id_ext
      AND  Version       = p_version
    RETURNING Version INTO v_new;

    -- Unchanged version back means "stale ETag" to Orleans.
    RETURN COALESCE(v_new, p_version);
END;
$$;


-- Clear: keep the row, drop the payload, move the version on. Keeping the
-- row keeps the version sequence, so an old ETag can never match again.
CREATE FUNCTION orleans_storage_clear
(
    p_grain_id_hash integer, p_grain_id_n0 bigint, p_grain_id_n1 bigint, p_grain_type_hash integer,
    p_grain_type varchar, p_grain_id_ext varchar, p_service_id varchar, p_version integer
)
RETURNS integer
LANGUAGE sql
AS $$
    -- A write of no payload under the version read; with no version there is no row to clear (NULL: refused).
    SELECT CASE WHEN p_version IS NULL THEN NULL
                ELSE orleans_storage_write(p_grain_id_hash, p_grain_id_n0, p_grain_id_n1, p_grain_type_hash,
                                           p_grain_type, p_grain_id_ext, p_service_id, p_version, NULL) END;
$$;


-- Delete (DeleteStateOnClear = true): remove the row when the version still
-- matches. Orleans resets its ETag to NULL afterwards, so the next write is
-- an insert. Success must return something other than the version sent.
CREATE FUNCTION orleans_storage_delete
(
    p_grain_id_hash integer, p_grain_id_n0 bigint, p_grain_id_n1 bigint, p_grain_type_hash integer,
    p_grain_type varchar, p_grain_id_ext varchar, p_service_id varchar, p_version integer
)
RETURNS integer
LANGUAGE plpgsql
AS $$
BEGIN
    DELETE FROM OrleansStorage
    WHERE  (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, ServiceId, GrainTypeString)
         = (p_grain_id_hash, p_grain_type_hash, p_grain_id_n0, p_grain_id_n1, p_service_id, p_grain_type)
      AND  GrainIdExtensionString IS NOT DISTINCT FROM p_grain_id_ext
      AND  Version       = p_version;

    IF FOUND THEN
        RETURN p_version + 1;
    END IF;
    RETURN p_version;
END;
$$;


INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', $$
SELECT PayloadBinary AS "PayloadBinary",
       Version       AS "Version"
FROM   OrleansStorage
WHERE  (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, ServiceId, GrainTypeString)
     = (@GrainIdHash::integer, @GrainTypeHash::integer, @GrainIdN0::bigint, @GrainIdN1::bigint, @ServiceId, @GrainTypeString)
  AND  GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString::varchar;
$$);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', $$
SELECT orleans_storage_write(
    @GrainIdHash::integer, @GrainIdN0::bigint, @GrainIdN1::bigint,
    @GrainTypeHash::integer, @GrainTypeString, @GrainIdExtensionString::varchar,
    @ServiceId, @GrainStateVersion::integer, @PayloadBinary::bytea) AS "NewGrainStateVersion";
$$);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', $$
SELECT orleans_storage_clear(
    @GrainIdHash::integer, @GrainIdN0::bigint, @GrainIdN1::bigint,
    @GrainTypeHash::integer, @GrainTypeString, @GrainIdExtensionString::varchar,
    @ServiceId, @GrainStateVersion::integer) AS "NewGrainStateVersion";
$$);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteStorageKey', $$
SELECT orleans_storage_delete(
    @GrainIdHash::integer, @GrainIdN0::bigint, @GrainIdN1::bigint,
    @GrainTypeHash::integer, @GrainTypeString, @GrainIdExtensionString::varchar,
    @ServiceId, @GrainStateVersion::integer) AS "NewGrainStateVersion";
$$);
