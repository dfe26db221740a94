/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Confirmed bulk actions, each done once: the confirmation form carries a
 * random token that the first submission claims. */
#ifndef AULA_BULK_STORE_H
#define AULA_BULK_STORE_H

#include <stdbool.h>
#include <stddef.h>

enum bulk_claim {
    BULK_NEW,   /* first use: go ahead, then bulk_finish */
    BULK_DONE,  /* used before: result holds where it led ("" if still running) */
    BULK_ERROR,
};

/* Claims token for an action of kind by actor.  Two submissions racing
 * each other: exactly one gets BULK_NEW. */
enum bulk_claim bulk_claim(const char *token, const char *kind, const char *actor, char *result,
                           size_t n);
/* Records where the action led, for later submissions of the same form. */
bool bulk_finish(const char *token, const char *result);

#endif
