-- Signed checkpoints of the audit chain (AuditCheckpointSigner): every N events or M minutes the silo
-- signs (seq, hash of the row at seq, the previous checkpoint's seq, time) with an ECDSA P-256 key kept
-- outside the database. VerifyAuditChain checks each checkpoint against the chain with the public key,
-- so a tail recomputed or cut by whoever controls the database is found at the checkpoint.
CREATE TABLE audit_checkpoints (
    seq           bigint      PRIMARY KEY,
    hash          bytea       NOT NULL,
    previous_seq  bigint      NOT NULL,
    signed_at     timestamptz NOT NULL,
    key_id        text        NOT NULL,
    signature     bytea       NOT NULL
);

CREATE TRIGGER audit_checkpoints_append_only
    BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION audit_events_forbid_change();
