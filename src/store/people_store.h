/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Staff accounts as the console manages them: adding administrators,
 * coordinators and trainers, changing their role, deactivating them, and
 * the single-use links with which a person sets their password.  Every
 * change is written to the audit log in the same transaction. */
#ifndef AULA_PEOPLE_STORE_H
#define AULA_PEOPLE_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "application_store.h"

enum staff_result {
    STAFF_OK,
    STAFF_EXISTS,     /* the address already belongs to a staff account */
    STAFF_NOT_FOUND,  /* no staff account with that id */
    STAFF_LAST_ADMIN, /* the change would leave no active administrator */
    STAFF_FAILED,     /* the database refused */
};

/* Every staff account, administrators first: [{id, email, role, active,
 * has_password, created_at}]. */
json_t *staff_list(void);
/* The staff account id (any state): {id, email, role, active}, or NULL. */
json_t *staff_get(int64_t id);

/* Adds a staff account (or makes a participant's account staff) and queues
 * the message "account.password" carrying a link whose SHA-256 is
 * token_hash, valid ttl_seconds. */
enum staff_result staff_add(const char *actor, const char *email, const char *role,
                            const char *token_hash, int ttl_seconds, message_fn msg, void *ud,
                            json_t *extra, int64_t *id_out);
enum staff_result staff_set_role(const char *actor, int64_t id, const char *role);
/* Deactivating ends the account's sessions and deletes its API tokens and
 * unused password links at once. */
enum staff_result staff_set_active(const char *actor, int64_t id, bool active);
/* A new set-password link for an active staff account (a lost password). */
enum staff_result staff_password_link(const char *actor, int64_t id, const char *token_hash,
                                      int ttl_seconds, message_fn msg, void *ud, json_t *extra);

enum password_link { PWLINK_OK, PWLINK_UNKNOWN, PWLINK_EXPIRED, PWLINK_USED };
/* Whether a set-password link can still be used. */
enum password_link password_link_peek(const char *token_hash);
/* Uses the link: sets the password hash, spends the link and every other
 * unused one of the account, and ends the account's sessions. */
enum password_link password_link_use(const char *token_hash, const char *password_hash);

#endif
