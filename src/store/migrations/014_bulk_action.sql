-- SPDX-License-Identifier: AGPL-3.0-or-later
-- One row per confirmed bulk action (decisions, invitations, certificates):
-- the confirmation form carries a random token, and a second submission of
-- the same form finds its row and does nothing again.  result is where the
-- first one led (a batch, a page).
CREATE TABLE bulk_action (
    token TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    result TEXT,
    created_at TEXT NOT NULL
);
