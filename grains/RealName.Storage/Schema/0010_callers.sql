-- Callers of the gateway as data: a name, a role and a scope, authenticated by an API key (only its
-- SHA-256 is stored; keys are 32 random bytes, so an unsalted hash is enough) or by mutual-TLS client
-- certificates mapped to the caller by their SHA-256 thumbprint. Rows are written only by the caller
-- grain (which records CALLER_ISSUED / CALLER_REVOKED in the audit log); the gateway reads them.
-- A revoked caller keeps its row so its name is never reused and its history stays readable.
CREATE TABLE callers (
    name          text        PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
    role          text        NOT NULL CHECK (role IN ('RETAIL_TERMINAL', 'ONLINE_SALES', 'REVIEWER', 'RISK_OPERATOR', 'AUDITOR', 'ADMIN')),
    carrier_ids   text[]      NOT NULL DEFAULT '{}',
    outlet_ids    text[]      NOT NULL DEFAULT '{}',
    channel_kind  text        CHECK (channel_kind IN ('RETAIL', 'ONLINE')),
    device_ids    text[]      NOT NULL DEFAULT '{}',
    key_hash      bytea       NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    created_at    timestamptz NOT NULL,
    created_by    text        NOT NULL,
    revoked_at    timestamptz,
    revoked_by    text
);

CREATE TABLE caller_certificates (
    thumbprint    text        PRIMARY KEY CHECK (thumbprint ~ '^[0-9A-F]{64}$'),
    caller_name   text        NOT NULL REFERENCES callers (name),
    attached_at   timestamptz NOT NULL,
    attached_by   text        NOT NULL
);

CREATE INDEX caller_certificates_caller ON caller_certificates (caller_name);
