-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Personal join links count their visits instead of keeping a row per
-- visit (anyone holding a link could otherwise grow the database without
-- bound): how many, the first and the last.
ALTER TABLE join_link ADD COLUMN visits INTEGER NOT NULL DEFAULT 0;
ALTER TABLE join_link ADD COLUMN first_visit_at TEXT;
ALTER TABLE join_link ADD COLUMN last_visit_at TEXT;
UPDATE join_link SET
    visits = (SELECT count(*) FROM join_click c WHERE c.token = join_link.token),
    first_visit_at = (SELECT min(at) FROM join_click c WHERE c.token = join_link.token),
    last_visit_at = (SELECT max(at) FROM join_click c WHERE c.token = join_link.token);
DROP TABLE join_click;

-- A link belongs to a registered participant: links of enrolments that
-- were withdrawn or rejected before links were revoked with them are
-- revoked now.
UPDATE join_link SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
WHERE revoked_at IS NULL
  AND enrolment_id IN (SELECT id FROM enrolment WHERE status <> 'registered');
