-- SPDX-License-Identifier: AGPL-3.0-or-later
-- The secret part of a message (a sign-in link's or join link's token) is
-- kept apart from its text, which holds a mask instead, so that the console
-- never shows it; it is put back only when the message is delivered, and
-- forgotten once it is sent.
ALTER TABLE outbox ADD COLUMN secret TEXT;

-- Messages queued before this: take the token out of their text too.  A
-- sign-in link's token is the 43 characters after "/login/"; a join link's
-- is the recipient's own, found in the join_link table.
UPDATE outbox SET secret = substr(body_text, instr(body_text, '/login/') + 7, 43)
 WHERE kind = 'signin.link' AND instr(body_text, '/login/') > 0;
UPDATE outbox SET secret = (SELECT j.token FROM join_link j
                             WHERE instr(outbox.body_text, '/j/' || j.token) > 0 LIMIT 1)
 WHERE secret IS NULL AND instr(body_text, '/j/') > 0;
UPDATE outbox SET subject = replace(subject, secret, '••••••••'),
                  body_text = replace(body_text, secret, '••••••••'),
                  body_html = replace(body_html, secret, '••••••••')
 WHERE secret IS NOT NULL AND length(secret) >= 16;
UPDATE outbox SET secret = NULL WHERE status = 'sent' OR length(secret) < 16;
