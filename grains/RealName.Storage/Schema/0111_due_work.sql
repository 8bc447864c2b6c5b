-- Due work of the subscriber grains (issue 12): the periodic re-review, the re-review deadline and the retention
-- purge of each number, one row per (number, kind), swept by a fixed number of sweeper grains.
--
-- They were Orleans reminders, one per number and kind, which every silo keeps in memory with its own timer
-- (about 440 bytes each) and reads again whenever the membership changes: 44 GB across the cluster for a carrier
-- with 100 million numbers. A row costs memory only while it is due and being swept.
--
-- The number is personal data and is never stored in clear here: key_digest is HMAC-SHA256 of the grain key under
-- a key derived from Sealing:MasterKey (so it cannot be matched against guessed numbers), and grain_key is the
-- grain key sealed like grain state (AES-256-GCM under the data keys of 0060; `realname keys rotate` re-seals it),
-- which the sweeper opens to call the grain. The partition is the digest's first byte modulo the sweeper count
-- (DueWorkStore.Partitions); changing that count needs
--   UPDATE due_work SET partition = get_byte(key_digest, 0) % <new count>;
-- while the grid is stopped.
CREATE TABLE due_work (
    key_digest  bytea       NOT NULL CHECK (octet_length(key_digest) = 32),
    kind        text        NOT NULL CHECK (char_length(kind) <= 32),
    partition   smallint    NOT NULL CHECK (partition >= 0),
    due_at      timestamptz NOT NULL,
    grain_key   bytea       NOT NULL,
    PRIMARY KEY (key_digest, kind)
);

-- A sweeper reads its partition's due rows oldest first.
CREATE INDEX due_work_sweep ON due_work (partition, due_at);

-- The grain deletes its row when the work is done for good (0023 grants SELECT, INSERT, UPDATE on every table).
GRANT DELETE ON due_work TO realname_app;
