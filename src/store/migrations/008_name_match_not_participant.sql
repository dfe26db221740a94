-- SPDX-License-Identifier: AGPL-3.0-or-later
-- A row of a Zoom report can be confirmed as "not a participant" (a guest,
-- an interpreter, staff): name_match.application_id becomes optional, NULL
-- meaning that decision.  SQLite cannot relax a column constraint in
-- place, so the table is rebuilt.
CREATE TABLE name_match_new (
    edition_id INTEGER NOT NULL REFERENCES edition(id) ON DELETE CASCADE,
    name_key TEXT NOT NULL,
    application_id INTEGER REFERENCES application(id) ON DELETE CASCADE,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (edition_id, name_key)
);
INSERT INTO name_match_new (edition_id, name_key, application_id, decided_by, decided_at)
    SELECT edition_id, name_key, application_id, decided_by, decided_at FROM name_match;
DROP TABLE name_match;
ALTER TABLE name_match_new RENAME TO name_match;
