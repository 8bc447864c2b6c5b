-- Indexes for the auditors' reports (grains/RealName.Storage/Reports, docs/auditing.md).
--
-- Reports group events of a period by time bucket and one registration fact; the period predicate uses
-- audit_events_time (0005). These serve the per-outlet and per-clerk drill-downs, the fraud look-ups
-- and the campaign target selection, which filter on one column and a time range.
CREATE INDEX audit_events_outlet_time ON audit_events (outlet_id, occurred_at) WHERE outlet_id IS NOT NULL;
CREATE INDEX audit_events_clerk_time ON audit_events (clerk_id, occurred_at) WHERE clerk_id IS NOT NULL;
CREATE INDEX audit_events_type_time ON audit_events (event_type, occurred_at);
