-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Virtual sessions and attendance.

-- The meeting of each course day.  Shown only to the course's registered
-- participants (on /me and in their invitation), never on public pages.
CREATE TABLE meeting (
    course_day_id INTEGER PRIMARY KEY REFERENCES course_day(id) ON DELETE CASCADE,
    platform TEXT NOT NULL DEFAULT 'zoom',
    join_url TEXT NOT NULL,
    meeting_id TEXT,
    passcode TEXT
);

-- One personal join link per participant and course in force at a time
-- (revoked ones stay, so their clicks are kept and they can be told apart
-- from links that never existed); every click is kept.
CREATE TABLE join_link (
    token TEXT PRIMARY KEY,
    enrolment_id INTEGER NOT NULL REFERENCES enrolment(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX join_link_enrolment ON join_link(enrolment_id, revoked_at);
CREATE TABLE join_click (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL REFERENCES join_link(token) ON DELETE CASCADE,
    at TEXT NOT NULL
);

-- A Zoom report imported for a course day; importing again replaces it.
CREATE TABLE attendance_import (
    id INTEGER PRIMARY KEY,
    course_day_id INTEGER NOT NULL UNIQUE REFERENCES course_day(id) ON DELETE CASCADE,
    file_name TEXT,
    time_zone TEXT NOT NULL,
    shape TEXT NOT NULL,
    rows INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL
);
CREATE TABLE attendance_row (
    id INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL REFERENCES attendance_import(id) ON DELETE CASCADE,
    line INTEGER NOT NULL,
    name TEXT,
    original_name TEXT,
    email TEXT,
    join_utc INTEGER NOT NULL,
    leave_utc INTEGER NOT NULL,
    waiting_room INTEGER NOT NULL,
    guest INTEGER NOT NULL
);
CREATE INDEX attendance_row_import ON attendance_row(import_id, email);

-- A display name confirmed by an administrator as a participant: used for
-- rows without a matching email, in every later import of the edition.
CREATE TABLE name_match (
    edition_id INTEGER NOT NULL REFERENCES edition(id) ON DELETE CASCADE,
    name_key TEXT NOT NULL,
    application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (edition_id, name_key)
);

-- Minutes set by an administrator for a participant and day, with a reason.
CREATE TABLE attendance_override (
    enrolment_id INTEGER NOT NULL REFERENCES enrolment(id) ON DELETE CASCADE,
    course_day_id INTEGER NOT NULL REFERENCES course_day(id) ON DELETE CASCADE,
    minutes INTEGER NOT NULL,
    reason TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL,
    PRIMARY KEY (enrolment_id, course_day_id)
);

-- The certificate's attendance rule per course.
ALTER TABLE course ADD COLUMN rule_percent INTEGER NOT NULL DEFAULT 75;
ALTER TABLE course ADD COLUMN rule_min_day_percent INTEGER NOT NULL DEFAULT 0;
