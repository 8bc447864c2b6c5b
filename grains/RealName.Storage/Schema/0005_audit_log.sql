-- Append-only audit log: every decision and state change of the grid, hash-chained.
--
-- seq is assigned by the writer from audit_chain_head inside the same transaction, so the chain has no
-- gaps and a single writer at a time extends it (the head row is the lock). hash = SHA-256 over
-- prev_hash and the event's canonical form (see AuditLog.Canonical), so changing, deleting or
-- reordering any row breaks every later link.
CREATE TABLE audit_events (
    seq            bigint      PRIMARY KEY,
    event_id       uuid        NOT NULL UNIQUE,
    occurred_at    timestamptz NOT NULL,
    event_type     text        NOT NULL,
    phone_number   text,
    identity_key   text,
    carrier_id     text,
    channel_kind   text,
    region         text,
    outlet_id      text,
    clerk_id       text,
    device_id      text,
    card_type      text,
    decision       text,
    face_compared  boolean     NOT NULL DEFAULT false,
    face_decision  text,
    face_score     double precision,
    model_version  text,
    reasons        text[]      NOT NULL DEFAULT '{}',
    actor          text        NOT NULL,
    status_after   text,
    details        text,
    prev_hash      bytea       NOT NULL,
    hash           bytea       NOT NULL
);

CREATE TABLE audit_chain_head (
    id        smallint PRIMARY KEY CHECK (id = 1),
    seq       bigint   NOT NULL,
    hash      bytea    NOT NULL
);

-- The chain starts from 32 zero bytes.
INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, decode(repeat('00', 32), 'hex'));

-- Append-only: the grid's role may insert, never update or delete. (A superuser can still tamper;
-- the hash chain is what detects it.)
CREATE FUNCTION audit_events_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END
$$;

CREATE TRIGGER audit_events_append_only
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_forbid_change();

-- Look-ups by number (TraceNumber) and by identity.
CREATE INDEX audit_events_phone ON audit_events (phone_number, seq) WHERE phone_number IS NOT NULL;
CREATE INDEX audit_events_identity ON audit_events (identity_key, seq) WHERE identity_key IS NOT NULL;
CREATE INDEX audit_events_time ON audit_events (occurred_at);
