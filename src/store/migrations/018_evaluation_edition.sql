-- SPDX-License-Identifier: AGPL-3.0-or-later
-- A questionnaire for a whole edition, besides those of its courses: a
-- questionnaire belongs to one course or (edition_id) to one edition, which
-- has at most one.  SQLite cannot drop the NOT NULL of course_id in place:
-- the table is rebuilt (db_migrate turns foreign keys off meanwhile, so the
-- answers that refer to it stay, and checks them before committing).
CREATE TABLE questionnaire_new (
    id INTEGER PRIMARY KEY,
    course_id INTEGER UNIQUE REFERENCES course(id) ON DELETE CASCADE,
    edition_id INTEGER UNIQUE REFERENCES edition(id) ON DELETE CASCADE,
    definition TEXT NOT NULL,
    opens_at TEXT NOT NULL,
    closes_at TEXT NOT NULL,
    anonymous INTEGER NOT NULL DEFAULT 1 CHECK (anonymous IN (0, 1)),
    audience TEXT NOT NULL DEFAULT 'registered' CHECK (audience IN ('registered', 'attended')),
    reminder_days TEXT NOT NULL DEFAULT '2,7',
    low_mean REAL NOT NULL DEFAULT 3.0,
    low_mean_min_answers INTEGER NOT NULL DEFAULT 5,
    min_group INTEGER NOT NULL DEFAULT 5,
    customised INTEGER NOT NULL DEFAULT 0,
    allow_edit INTEGER NOT NULL DEFAULT 0 CHECK (allow_edit IN (0, 1)),
    breakdown TEXT NOT NULL DEFAULT 'country'
        CHECK (breakdown IN ('none', 'country', 'gender', 'institution_type')),
    CHECK ((course_id IS NULL) <> (edition_id IS NULL))
);
INSERT INTO questionnaire_new (id, course_id, edition_id, definition, opens_at, closes_at,
    anonymous, audience, reminder_days, low_mean, low_mean_min_answers, min_group, customised,
    allow_edit, breakdown)
SELECT id, course_id, NULL, definition, opens_at, closes_at, anonymous, audience,
    reminder_days, low_mean, low_mean_min_answers, min_group, customised, allow_edit, breakdown
FROM questionnaire;
DROP TABLE questionnaire;
ALTER TABLE questionnaire_new RENAME TO questionnaire;
