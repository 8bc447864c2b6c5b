-- The IoT cards each enterprise holds under its approval (domain rule 7), one row per card.
--
-- They lived in the enterprise grain's state as one set, so every card issued rewrote the whole set: an
-- enterprise with a million cards (meters, vehicles, trackers) wrote megabytes per registration. Here a card
-- taken is one insert and a card released one delete; the grain keeps only the count in memory, read back
-- from this table when it activates.
CREATE TABLE enterprise_iot_cards (
    credit_code   text        NOT NULL CHECK (char_length(credit_code) <= 64),
    phone_number  text        NOT NULL CHECK (char_length(phone_number) <= 32),
    reserved_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (credit_code, phone_number)
);

-- A cancelled or rejected card gives its place back.
GRANT DELETE ON enterprise_iot_cards TO realname_app;
