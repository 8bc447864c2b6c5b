-- Retention (domain rule 9): the personal fields of audit rows are purged at the end of retention while the
-- hash chain stays verifiable.
--
-- Hash version 3 (AuditChain.Canonical) covers a row's personal fields (phone_number, identity_key and the
-- new personal_details) only through personal_digest = SHA-256(personal_salt || the fields), with a random
-- salt per row. A purge sets the personal fields and the salt to NULL and keeps the digest: the chain still
-- verifies, and without the salt the digest cannot be matched against guessed numbers. Rows of versions 1
-- and 2 hash the fields themselves and cannot be purged without breaking the chain.
ALTER TABLE audit_events ADD COLUMN personal_details text;
ALTER TABLE audit_events ADD COLUMN personal_salt bytea;
ALTER TABLE audit_events ADD COLUMN personal_digest bytea;
ALTER TABLE audit_events DROP CONSTRAINT audit_events_hash_version_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_hash_version_check CHECK (hash_version IN (1, 2, 3));
ALTER TABLE audit_events ADD CONSTRAINT audit_events_personal_v3 CHECK (
    (hash_version = 3 OR (personal_details IS NULL AND personal_salt IS NULL AND personal_digest IS NULL))
    AND (personal_salt IS NULL OR personal_digest IS NOT NULL));

-- Still append-only, with one exception: the purge of a version-3 row's personal fields and salt (all of
-- them at once, nothing else). DELETE and every other UPDATE are refused as before, for every role including
-- the owner (the trigger keeps its name, so disabling it is still the one way around it).
CREATE FUNCTION audit_events_append_or_purge_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    personal CONSTANT text[] := ARRAY['phone_number', 'identity_key', 'personal_details', 'personal_salt'];
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.hash_version = 3 AND OLD.personal_digest IS NOT NULL
       AND NEW.phone_number IS NULL AND NEW.identity_key IS NULL AND NEW.personal_details IS NULL AND NEW.personal_salt IS NULL
       AND (to_jsonb(NEW) - personal) = (to_jsonb(OLD) - personal) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only (only the personal fields of a version-3 row may be purged)';
END
$$;

DROP TRIGGER audit_events_append_only ON audit_events;
CREATE TRIGGER audit_events_append_only
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_or_purge_only();

-- The grid may clear exactly those columns (the trigger checks the rest), and delete kept evidence images
-- when their review no longer needs them or the number's retention ends.
GRANT UPDATE (phone_number, identity_key, personal_details, personal_salt) ON audit_events TO realname_app;
GRANT DELETE ON registration_evidence TO realname_app;
