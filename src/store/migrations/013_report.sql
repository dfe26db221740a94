-- SPDX-License-Identifier: AGPL-3.0-or-later
-- The final report's texts, written by a coordinator in both languages and
-- kept as drafts until the report is generated: the document reference,
-- the summary of the proceedings, conclusions and recommendations.
CREATE TABLE report_text (
    edition_id INTEGER NOT NULL REFERENCES edition(id) ON DELETE CASCADE,
    key TEXT NOT NULL CHECK (key IN ('reference', 'summary', 'conclusions', 'recommendations')),
    body_es TEXT,
    body_en TEXT,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (edition_id, key)
);
