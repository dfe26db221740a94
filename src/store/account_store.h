/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Accounts, sign-in sessions, API tokens and the audit log. */
#ifndef AULA_ACCOUNT_STORE_H
#define AULA_ACCOUNT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"

struct account {
    int64_t id;
    const char *email;
    const char *role; /* "participant", "trainer", "coordinator", "admin" */
    const char *password_hash;
};

/* Creates an account or, when the email exists, sets its role and (when
 * given) its password hash, and makes it active again.  Returns the id,
 * or 0 on failure. */
int64_t account_upsert(const char *email, const char *role, const char *password_hash);
/* Finds an active account by email (case-insensitive); strings in a. */
bool account_by_email(arena *a, const char *email, struct account *out);

/* Sessions and tokens are looked up by the SHA-256 of the secret the
 * browser or client holds, so a copy of the database reveals none. */
bool session_create(int64_t account_id, const char *token_hash, int ttl_seconds);
bool session_account(arena *a, const char *token_hash, struct account *out);
void session_delete(const char *token_hash);
bool api_token_create(int64_t account_id, const char *token_hash);
bool api_token_account(arena *a, const char *token_hash, struct account *out);

/* Records who did what to which thing; detail may be NULL. */
bool audit(const char *actor, const char *action, const char *subject, const char *detail);

/* The latest entries of the audit log, newest first. */
#include <jansson.h>
json_t *audit_recent(int limit);

#endif
