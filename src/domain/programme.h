/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The programme file: what a valid edition looks like.
 *
 * examples/sela-2022/programme.json is the reference.  Validation is pure
 * (no I/O): it walks the whole document and reports the first fault with
 * its JSON path ("$.edition.courses[1].days[0].blocks[0].start"), so that
 * an import either loads everything or nothing. */
#ifndef AULA_PROGRAMME_H
#define AULA_PROGRAMME_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define PROGRAMME_FORMAT "aula-programme/1"

/* True when root is a valid programme; otherwise path and message say
 * where and what. */
bool programme_validate(json_t *root, char *path, size_t pathlen, char *msg, size_t msglen);

/* Session kinds and roles a person can have on a session. */
extern const char *const programme_session_kinds[];
extern const char *const programme_person_roles[];
extern const char *const programme_institution_roles[];
extern const char *const programme_statuses[];

#endif
