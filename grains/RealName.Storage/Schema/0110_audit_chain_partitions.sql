-- The audit chain in partitions (AuditChain:Partitions), so appends about different subjects do not wait
-- on one head lock. An event belongs to the partition a stable hash of its subject (the phone number, else
-- the identity key) names, so the events of one subject stay in one chain, in order. Each partition is a
-- chain of its own: chain_seq counts 1, 2, 3 ... within it, prev_hash links to the row before in it, and
-- the hash covers chain_seq (AuditChain.ComputeHash); each has its own head row and signed checkpoints.
--
-- seq stays the table's key and the one order of the whole log (reports and exports sort by it): it is
-- drawn from a sequence while the partition's head is locked, so the events of one subject keep their
-- order; across partitions it may have gaps (a rolled-back append) and is no longer the chain position.
--
-- Rows written before this script are partition 0 at chain_seq = seq: their hashes covered seq, which
-- is their position, so they verify unchanged, and partition 0 continues from the old head.
CREATE SEQUENCE audit_events_seq;
SELECT setval('audit_events_seq', coalesce((SELECT max(seq) FROM audit_events), 0) + 1, false);
ALTER TABLE audit_events ALTER COLUMN seq SET DEFAULT nextval('audit_events_seq');
ALTER SEQUENCE audit_events_seq OWNED BY audit_events.seq;

ALTER TABLE audit_events ADD COLUMN chain_partition smallint NOT NULL DEFAULT 0;
ALTER TABLE audit_events ADD COLUMN chain_seq bigint;
ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only;
UPDATE audit_events SET chain_seq = seq;
ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only;
ALTER TABLE audit_events ALTER COLUMN chain_seq SET NOT NULL;
ALTER TABLE audit_events ALTER COLUMN chain_partition DROP DEFAULT;
CREATE UNIQUE INDEX audit_events_chain ON audit_events (chain_partition, chain_seq);

-- One head per partition; all 256 a configuration may name exist from the start (an empty chain starts
-- from 32 zero bytes), so appends never create heads and a missing head is a tampered database.
CREATE TABLE audit_chain_heads (
    chain_partition smallint PRIMARY KEY CHECK (chain_partition BETWEEN 0 AND 255),
    seq             bigint   NOT NULL,
    hash            bytea    NOT NULL
);
INSERT INTO audit_chain_heads (chain_partition, seq, hash) SELECT 0, seq, hash FROM audit_chain_head;
INSERT INTO audit_chain_heads (chain_partition, seq, hash)
    SELECT p, 0, decode(repeat('00', 32), 'hex') FROM generate_series(1, 255) AS p;
DROP TABLE audit_chain_head;

-- Checkpoints per partition: seq and previous_seq are chain positions within it.
ALTER TABLE audit_checkpoints ADD COLUMN chain_partition smallint NOT NULL DEFAULT 0;
ALTER TABLE audit_checkpoints DROP CONSTRAINT audit_checkpoints_pkey;
ALTER TABLE audit_checkpoints ADD PRIMARY KEY (chain_partition, seq);
ALTER TABLE audit_checkpoints ALTER COLUMN chain_partition DROP DEFAULT;

-- The grid moves the heads (default privileges grant SELECT, INSERT, UPDATE on the new table) and draws seq.
GRANT USAGE ON SEQUENCE audit_events_seq TO realname_app;
