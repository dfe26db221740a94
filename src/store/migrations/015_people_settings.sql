-- SPDX-License-Identifier: AGPL-3.0-or-later
-- People in the console: accounts can be deactivated (their sessions and
-- tokens stop working), new staff set their password through a single-use
-- emailed link, and a few settings an administrator changes in the console
-- (the public address, the organisation's logo).
ALTER TABLE account ADD COLUMN active INTEGER NOT NULL DEFAULT 1;

CREATE TABLE password_token (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

CREATE TABLE site_setting (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Small files an administrator uploads in the console (the logo), kept in
-- the database so that a backup holds them.
CREATE TABLE site_file (
    name TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    updated_at TEXT NOT NULL
);
