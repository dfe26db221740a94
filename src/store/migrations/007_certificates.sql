-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Certificates: the signed facts as issued, their status over time, and
-- eligibility granted by an administrator.
CREATE TABLE certificate (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    enrolment_id INTEGER NOT NULL REFERENCES enrolment(id) ON DELETE RESTRICT,
    facts TEXT NOT NULL,            -- canonical JSON, exactly the signed bytes
    signature TEXT NOT NULL,
    key_id TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'revoked', 'superseded')),
    issued_at TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    revoked_at TEXT,
    revoke_reason TEXT,
    superseded_by TEXT
);
CREATE INDEX certificate_enrolment ON certificate(enrolment_id, status);

CREATE TABLE eligibility_grant (
    enrolment_id INTEGER PRIMARY KEY REFERENCES enrolment(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    granted_by TEXT NOT NULL,
    granted_at TEXT NOT NULL
);

-- Who signs an edition's certificates, in order.
CREATE TABLE signatory (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES edition(id) ON DELETE CASCADE,
    sort_order INTEGER NOT NULL,
    name TEXT NOT NULL,
    title_es TEXT, title_en TEXT
);

-- A file attached to a message (the certificate PDF), read when sent.
ALTER TABLE outbox ADD COLUMN attachment_path TEXT;
ALTER TABLE outbox ADD COLUMN attachment_name TEXT;
ALTER TABLE outbox ADD COLUMN attachment_type TEXT;
