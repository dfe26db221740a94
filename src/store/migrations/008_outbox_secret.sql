-- The secret part of a message (a sign-in link's or join link's token) is
-- kept apart from its text, which holds a mask instead, so that the console
-- never shows it; it is put back only when the message is delivered, and
-- forgotten once it is sent.
ALTER TABLE outbox ADD COLUMN secret TEXT;
