-- Data keys of the envelope encryption that seals personal data at rest (grain state, evidence images).
-- Each data key is stored only wrapped (AES-GCM) by the master key, which lives in configuration / a
-- secret store, never here. A sealed value names its data key, so old keys stay readable while
-- `realname keys rotate` re-seals records under the newest key; the newest key that is not retired seals.
CREATE TABLE data_keys (
    key_id         uuid        PRIMARY KEY,
    master_key_id  text        NOT NULL,
    wrapped_key    bytea       NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    retired_at     timestamptz
);
