-- Raw face images of a registration, kept only when Evidence:KeepImages is on (off by default: the grid
-- keeps face templates, not photos). Rows reference the registration's audit event.
CREATE TABLE registration_evidence (
    event_id    uuid        NOT NULL,
    person      text        NOT NULL,
    image_kind  text        NOT NULL CHECK (image_kind IN ('portrait', 'live')),
    image       bytea       NOT NULL,
    stored_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, person, image_kind)
);
