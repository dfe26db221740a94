-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Applications, course enrolments with their statuses, sign-in links,
-- and the outbox of messages to send.
CREATE TABLE application (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES edition(id) ON DELETE RESTRICT,
    account_id INTEGER NOT NULL REFERENCES account(id),
    email TEXT NOT NULL,
    form_of_address TEXT NOT NULL,
    given_names TEXT NOT NULL,
    family_names TEXT NOT NULL,
    gender TEXT NOT NULL,
    country TEXT NOT NULL,
    institution_type TEXT NOT NULL,
    institution TEXT NOT NULL,
    position TEXT NOT NULL,
    phone TEXT,
    language TEXT NOT NULL CHECK (language IN ('es', 'en')),
    motivation TEXT,
    consent_at TEXT NOT NULL,
    submission_key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    city TEXT,
    time_zone TEXT,
    accessibility TEXT,
    recording_consent INTEGER,
    registered_at TEXT,
    UNIQUE (edition_id, email)
);

-- One row per course applied for.  waitlisted_at orders the waiting list.
CREATE TABLE enrolment (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
    course_id INTEGER NOT NULL REFERENCES course(id) ON DELETE RESTRICT,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'accepted', 'waitlisted', 'rejected',
                                           'registered', 'withdrawn')),
    status_at TEXT NOT NULL,
    waitlisted_at TEXT,
    UNIQUE (application_id, course_id)
);
CREATE INDEX enrolment_course ON enrolment(course_id, status);

CREATE TABLE signin_token (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    next_path TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

-- Every message is written here in the same transaction as the change
-- that causes it; the mail worker delivers it later.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    to_addr TEXT NOT NULL,
    to_name TEXT,
    language TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT,
    calendar TEXT,
    application_id INTEGER REFERENCES application(id) ON DELETE SET NULL,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error TEXT,
    sent_at TEXT
);
CREATE INDEX outbox_status ON outbox(status, next_attempt_at);
