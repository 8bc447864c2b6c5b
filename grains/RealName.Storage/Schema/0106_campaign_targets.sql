-- The numbers a re-review campaign works through, one row per number in the order it takes them.
--
-- They lived in the campaign grain's state as one array, and the state is written after every batch of 20: a
-- campaign over a whole outlet's or a province's numbers rewrote every number it had (megabytes) four times a
-- second, so its cost grew with the square of its size. Here the targets are written once when it starts, a batch
-- reads its 20 rows by position, and the rows are deleted when the campaign completes (its counts stay in the state).
-- The number is personal data: it is stored sealed like grain state (AES-256-GCM under the data keys of 0060, with
-- its key id; `realname keys rotate` re-seals it), never in clear.
CREATE TABLE campaign_targets (
    campaign_id  text    NOT NULL CHECK (char_length(campaign_id) <= 64),
    position     integer NOT NULL CHECK (position >= 0),
    sealed_number bytea  NOT NULL CHECK (octet_length(sealed_number) <= 256),
    PRIMARY KEY (campaign_id, position)
);

-- A completed campaign's targets are removed; a campaign started again after a crash replaces its own.
GRANT DELETE ON campaign_targets TO realname_app;
