-- SPDX-License-Identifier: AGPL-3.0-or-later
-- The comments (answers to an evaluation's free-text questions) the
-- coordinator chose to quote in the final report.  A choice names one
-- answer to one question and the SHA-256 of its text as chosen: the report
-- quotes the text as written, and only while it is still that text.  No
-- time and no person: choosing says nothing about who answered or when.
CREATE TABLE report_quote (
    response_id INTEGER NOT NULL REFERENCES evaluation_response(id) ON DELETE CASCADE,
    question_key TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    PRIMARY KEY (response_id, question_key)
) WITHOUT ROWID;
