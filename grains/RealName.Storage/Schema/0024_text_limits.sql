-- 0024: the audit log refuses over-long text itself, not only through the gateway's checks.
--
-- The contract bounds every string a request carries ((realname.v1.max_length) in proto/); these are the
-- same bounds where request text lands in the immutable audit log, so no path around the gateway (a
-- tool, a future front end, a bug) can write a megabyte into a row that can never be deleted.
-- NOT VALID: rows written before this script are not re-checked (the log is append-only); every new
-- row is.

ALTER TABLE audit_events
    ADD CONSTRAINT audit_events_channel_lengths CHECK (
        char_length(carrier_id) <= 64 AND char_length(region) <= 64 AND char_length(outlet_id) <= 64
        AND char_length(clerk_id) <= 64 AND char_length(device_id) <= 64 AND char_length(channel_kind) <= 64) NOT VALID,
    ADD CONSTRAINT audit_events_subject_lengths CHECK (
        char_length(phone_number) <= 32 AND char_length(identity_key) <= 128
        AND char_length(actor) <= 128 AND char_length(caller) <= 128) NOT VALID,
    ADD CONSTRAINT audit_events_outcome_lengths CHECK (
        char_length(event_type) <= 64 AND char_length(decision) <= 64 AND char_length(face_decision) <= 64
        AND char_length(card_type) <= 64 AND char_length(status_after) <= 64 AND char_length(model_version) <= 256) NOT VALID,
    ADD CONSTRAINT audit_events_reason_lengths CHECK (
        cardinality(reasons) <= 64 AND char_length(array_to_string(reasons, '')) <= 4096) NOT VALID,
    ADD CONSTRAINT audit_events_details_length CHECK (char_length(details) <= 16384) NOT VALID;

ALTER TABLE registration_evidence
    ADD CONSTRAINT registration_evidence_person_length CHECK (char_length(person) <= 32) NOT VALID;
