-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Training material: files stored by content hash under DATA/files/, the
-- rest here.  A material belongs to an edition and, optionally, to one of
-- its courses and one of that course's sessions.
CREATE TABLE material (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES edition(id) ON DELETE CASCADE,
    course_id INTEGER REFERENCES course(id) ON DELETE CASCADE,
    session_id INTEGER REFERENCES programme_session(id) ON DELETE SET NULL,
    title_es TEXT, title_en TEXT,
    description_es TEXT, description_en TEXT,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    visible_from TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX material_course ON material(edition_id, course_id);

-- Staff accounts linked to the people of a programme, so trainers can
-- manage the material of their own courses.
ALTER TABLE person ADD COLUMN account_email TEXT;
