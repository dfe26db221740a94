-- SPDX-License-Identifier: AGPL-3.0-or-later
-- The programme: organisations, editions, courses, days, time blocks,
-- sessions, topics, people and institutions.  Every text a visitor reads
-- has a Spanish and an English column; NULL means "not written yet".
CREATE TABLE organisation (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name_es TEXT, name_en TEXT,
    short_name TEXT,
    website TEXT
);

CREATE TABLE edition (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisation(id),
    slug TEXT NOT NULL UNIQUE,
    title_es TEXT, title_en TEXT,
    subtitle_es TEXT, subtitle_en TEXT,
    time_zone TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    applications_open TEXT,
    applications_close TEXT,
    languages TEXT NOT NULL DEFAULT 'es,en',
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
    platform TEXT,
    introduction_es TEXT, introduction_en TEXT,
    justification_es TEXT, justification_en TEXT,
    audience_es TEXT, audience_en TEXT,
    contact_name TEXT,
    contact_position_es TEXT, contact_position_en TEXT,
    contact_organisation_es TEXT, contact_organisation_en TEXT,
    contact_email TEXT
);

CREATE TABLE contact_phone (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES edition(id) ON DELETE CASCADE,
    sort_order INTEGER NOT NULL,
    phone TEXT NOT NULL
);

CREATE TABLE objective (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES edition(id) ON DELETE CASCADE,
    sort_order INTEGER NOT NULL,
    text_es TEXT, text_en TEXT
);

CREATE TABLE practical_item (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES edition(id) ON DELETE CASCADE,
    sort_order INTEGER NOT NULL,
    item_key TEXT NOT NULL,
    label_es TEXT, label_en TEXT,
    body_es TEXT, body_en TEXT
);

CREATE TABLE person (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES edition(id) ON DELETE CASCADE,
    sort_order INTEGER NOT NULL,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    honorific_es TEXT, honorific_en TEXT,
    position_es TEXT, position_en TEXT,
    bio_es TEXT, bio_en TEXT,
    UNIQUE (edition_id, slug)
);

CREATE TABLE institution (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES edition(id) ON DELETE CASCADE,
    sort_order INTEGER NOT NULL,
    slug TEXT NOT NULL,
    name_es TEXT, name_en TEXT,
    short_name TEXT,
    role TEXT NOT NULL CHECK (role IN ('organiser', 'partner', 'sponsor')),
    url TEXT,
    UNIQUE (edition_id, slug)
);

CREATE TABLE course (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES edition(id) ON DELETE CASCADE,
    sort_order INTEGER NOT NULL,
    slug TEXT NOT NULL,
    title_es TEXT, title_en TEXT,
    summary_es TEXT, summary_en TEXT,
    hours INTEGER NOT NULL,
    capacity INTEGER NOT NULL,
    UNIQUE (edition_id, slug)
);

CREATE TABLE course_trainer (
    course_id INTEGER NOT NULL REFERENCES course(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    sort_order INTEGER NOT NULL,
    PRIMARY KEY (course_id, person_id)
);

CREATE TABLE course_day (
    id INTEGER PRIMARY KEY,
    course_id INTEGER NOT NULL REFERENCES course(id) ON DELETE CASCADE,
    sort_order INTEGER NOT NULL,
    day TEXT NOT NULL,
    UNIQUE (course_id, day)
);

-- start_utc/end_utc are derived from the local times and the edition's
-- zone when stored, so that pages and calendars never convert again.
CREATE TABLE time_block (
    id INTEGER PRIMARY KEY,
    day_id INTEGER NOT NULL REFERENCES course_day(id) ON DELETE CASCADE,
    sort_order INTEGER NOT NULL,
    start_local TEXT NOT NULL,
    end_local TEXT NOT NULL,
    start_utc TEXT NOT NULL DEFAULT '',
    end_utc TEXT NOT NULL DEFAULT ''
);

CREATE TABLE programme_session (
    id INTEGER PRIMARY KEY,
    block_id INTEGER NOT NULL REFERENCES time_block(id) ON DELETE CASCADE,
    sort_order INTEGER NOT NULL,
    number INTEGER,
    kind TEXT NOT NULL CHECK (kind IN ('welcome', 'session', 'break', 'closing')),
    title_es TEXT, title_en TEXT
);

CREATE TABLE topic (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES programme_session(id) ON DELETE CASCADE,
    sort_order INTEGER NOT NULL,
    text_es TEXT, text_en TEXT
);

CREATE TABLE session_person (
    session_id INTEGER NOT NULL REFERENCES programme_session(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    sort_order INTEGER NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('speaker', 'moderator', 'trainer')),
    PRIMARY KEY (session_id, person_id, role)
);

CREATE INDEX course_edition ON course(edition_id, sort_order);
CREATE INDEX day_course ON course_day(course_id, sort_order);
CREATE INDEX block_day ON time_block(day_id, sort_order);
CREATE INDEX session_block ON programme_session(block_id, sort_order);
CREATE INDEX topic_session ON topic(session_id, sort_order);
