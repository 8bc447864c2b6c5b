-- The 1:N face index (issue 11): the live template of every admitted registration, one row per template. The
-- shard grains load their rows from here when they activate (shard = bucket mod FaceIndex:Shards, bucket a stable
-- hash of the template id), so the index survives silo restarts and regroups when the shard count changes.
--
-- Face templates are biometric personal data: the template and everything that names its owner (number, identity
-- key, masked document, outlet, clerk) are one sealed value (AES-256-GCM under the data keys of 0060, see
-- RealName.Storage.Sealing); only the row key, the bucket and the model version are clear.
CREATE TABLE face_templates (
    template_id    text        PRIMARY KEY,
    bucket         integer     NOT NULL CHECK (bucket >= 0),
    model_version  text        NOT NULL,
    sealed         bytea       NOT NULL,
    stored_at      timestamptz NOT NULL DEFAULT now()
);

-- A cancelled or purged registration's template is deleted, not flagged: the grid must not keep a face it no
-- longer needs.
GRANT DELETE ON face_templates TO realname_app;
