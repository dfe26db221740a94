-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Delivery of the outbox, invitations with calendar updates, reminders.
ALTER TABLE outbox ADD COLUMN message_id TEXT;
ALTER TABLE outbox ADD COLUMN reply_to TEXT;
ALTER TABLE outbox ADD COLUMN batch TEXT;
ALTER TABLE outbox ADD COLUMN claimed_at TEXT;
CREATE INDEX outbox_batch ON outbox(batch);

-- Where participants join (until per-day meetings exist): shown only to
-- registered participants, never on public pages.
ALTER TABLE course ADD COLUMN meeting_url TEXT;

-- Minutes before each course day at which reminders go out.
ALTER TABLE edition ADD COLUMN reminder_offsets TEXT NOT NULL DEFAULT '1440,60';

-- One row per participant and course invited: the calendar UID stays, the
-- sequence grows with every schedule change sent.
CREATE TABLE invitation (
    enrolment_id INTEGER PRIMARY KEY REFERENCES enrolment(id) ON DELETE CASCADE,
    uid TEXT NOT NULL UNIQUE,
    sequence INTEGER NOT NULL,
    schedule TEXT NOT NULL,
    sent_at TEXT NOT NULL
);

-- A reminder is queued at most once per course day and offset: the row is
-- written in the same transaction as the messages.
CREATE TABLE reminder_sent (
    course_day_id INTEGER NOT NULL REFERENCES course_day(id) ON DELETE CASCADE,
    offset_minutes INTEGER NOT NULL,
    queued_at TEXT NOT NULL,
    PRIMARY KEY (course_day_id, offset_minutes)
);
