-- SPDX-License-Identifier: AGPL-3.0-or-later
-- The evaluation of each course: its questionnaire and settings, personal
-- links, who answered, drafts and the answers.  Anonymity is a property of
-- the schema (see ARCHITECTURE.md, "Evaluation").

-- One questionnaire per course, created with the course.  definition is the
-- JSON of domain/evaluation.h; times are UTC.  customised: edited or
-- imported, so it travels with the programme (the ready one does not).
CREATE TABLE questionnaire (
    id INTEGER PRIMARY KEY,
    course_id INTEGER NOT NULL UNIQUE REFERENCES course(id) ON DELETE CASCADE,
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
    -- A named questionnaire's answers may be changed until closing.
    allow_edit INTEGER NOT NULL DEFAULT 0 CHECK (allow_edit IN (0, 1))
);

-- Personal links (a new one in every message): only the token's hash.
CREATE TABLE evaluation_link (
    token_hash TEXT PRIMARY KEY,
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaire(id) ON DELETE CASCADE,
    enrolment_id INTEGER NOT NULL REFERENCES enrolment(id) ON DELETE CASCADE
);
CREATE INDEX evaluation_link_enrolment ON evaluation_link(enrolment_id);

-- Who has answered: no time at all, keyed by the person (WITHOUT ROWID).
-- The row is written before the answer (with the invitation, or when the
-- form is first shown) and answering only turns answered from 0 to 1, an
-- update SQLite makes in place: neither a column nor the order in which
-- rows were written tells when somebody answered.
CREATE TABLE evaluation_respondent (
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaire(id) ON DELETE CASCADE,
    enrolment_id INTEGER NOT NULL REFERENCES enrolment(id) ON DELETE CASCADE,
    answered INTEGER NOT NULL DEFAULT 0 CHECK (answered IN (0, 1)),
    PRIMARY KEY (questionnaire_id, enrolment_id)
) WITHOUT ROWID;

-- Answers being written: the person's until sent, deleted (with
-- secure_delete) in the transaction that stores the answer.
CREATE TABLE evaluation_draft (
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaire(id) ON DELETE CASCADE,
    enrolment_id INTEGER NOT NULL REFERENCES enrolment(id) ON DELETE CASCADE,
    answers TEXT NOT NULL,
    PRIMARY KEY (questionnaire_id, enrolment_id)
) WITHOUT ROWID;

-- The answers.  id is random (not the order of arrival) and there is no
-- time; enrolment_id is set only for a named questionnaire.
CREATE TABLE evaluation_response (
    id INTEGER PRIMARY KEY,
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaire(id) ON DELETE CASCADE,
    enrolment_id INTEGER REFERENCES enrolment(id) ON DELETE SET NULL,
    answers TEXT NOT NULL
);
CREATE INDEX evaluation_response_questionnaire ON evaluation_response(questionnaire_id);

-- Invitations and reminders: at most once per questionnaire and offset
-- (offset 0 is the invitation), even across restarts.
CREATE TABLE evaluation_mailing (
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaire(id) ON DELETE CASCADE,
    offset_days INTEGER NOT NULL,
    queued_at TEXT NOT NULL,
    recipients INTEGER NOT NULL,
    PRIMARY KEY (questionnaire_id, offset_days)
);
