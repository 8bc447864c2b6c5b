-- Pending manual-review cases (domain rule 2), one row per case.
--
-- They lived in the review shard grain's state as one list per carrier and province, so every case opened or
-- decided rewrote (serialised, sealed and stored) all the pending cases of its province: a province with tens of
-- thousands of cases at a peak wrote megabytes per registration. Here a case opened is one insert, a decided case
-- one delete, and a reviewer's page one indexed read in the listing order (created_at, then case_id byte order).
--
-- A case names its subscriber (phone number, faces, channel): the whole case is one sealed value (AES-256-GCM under
-- the data keys of 0060, see RealName.Storage.Sealing, re-sealed by `realname keys rotate`); only the shard key,
-- the case id (carrier and province, and a random id) and the creation time are clear. Keys and ids are built from
-- the channel's carrier and province, which the contract already bounds (64 characters each).
CREATE TABLE review_cases (
    shard_key   text COLLATE "C" NOT NULL,
    case_id     text COLLATE "C" NOT NULL,
    created_at  timestamptz      NOT NULL,
    sealed      bytea            NOT NULL,
    PRIMARY KEY (shard_key, case_id)
);

CREATE INDEX review_cases_oldest_first ON review_cases (shard_key, created_at, case_id);

-- A decided case leaves the queue.
GRANT DELETE ON review_cases TO realname_app;
