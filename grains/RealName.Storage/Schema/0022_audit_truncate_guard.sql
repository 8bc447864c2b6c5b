-- TRUNCATE skips row triggers, so the append-only tables get a statement trigger for it too. Only the
-- tables' owner (who runs migrations, not the grid) can disable these triggers.
CREATE TRIGGER audit_events_no_truncate
    BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_forbid_change();

CREATE TRIGGER audit_checkpoints_no_truncate
    BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_forbid_change();
