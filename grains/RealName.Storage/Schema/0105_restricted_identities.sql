-- The identities that ever had a restriction (fraud suspects barred by a risk operator), one row each.
--
-- They lived in one grain's state (restriction-directory, key 0) as one sorted set: every identity restricted for
-- the first time rewrote the whole set, and every registration in the grid asked that single activation. Now a
-- first restriction is one insert, and the identities are spread over directory shards (`shard`, a stable hash of
-- the identity key) that each keep theirs in memory, read from here when they activate.
-- The identity key is the HMAC digest the grid keys identities by (never a document number in clear).
CREATE TABLE restricted_identities (
    identity_key  text        PRIMARY KEY CHECK (char_length(identity_key) <= 128),
    shard         smallint    NOT NULL CHECK (shard >= 0),
    registered_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX restricted_identities_by_shard ON restricted_identities (shard);
