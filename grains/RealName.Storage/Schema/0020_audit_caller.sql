-- Every audit event records the authenticated caller (the credential's name, or 'system' for work the
-- grid started itself), next to the clerk and device the request claimed.
--
-- hash_version names the canonical form a row's hash covers (AuditChain.Canonical): 1 for rows written
-- before this script (no caller), 2 for rows written after it (caller included). Old rows stay
-- verifiable; a new row cannot pass as an old one, because version 2's form starts with its version.
ALTER TABLE audit_events ADD COLUMN caller text;
ALTER TABLE audit_events ADD COLUMN hash_version smallint NOT NULL DEFAULT 1 CHECK (hash_version IN (1, 2));
ALTER TABLE audit_events ADD CONSTRAINT audit_events_caller_from_v2 CHECK (hash_version = 1 OR caller IS NOT NULL);
