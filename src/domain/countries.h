/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Countries: the ISO 3166-1 alpha-2 codes with their names in Spanish and
 * English.
 *
 * Storing the code and looking the name up here in the request's language
 * keeps country names out of data files, where they would drift between
 * editions and languages.  The table is fixed at build time (no I/O). */
#ifndef AULA_COUNTRIES_H
#define AULA_COUNTRIES_H

#include <stddef.h>

struct country {
    const char *code;    /* ISO 3166-1 alpha-2, upper case */
    const char *name_es; /* common name, Latin American Spanish, UTF-8 */
    const char *name_en; /* common name, English, UTF-8 */
};

/* All countries, sorted by code. */
extern const struct country countries[];
extern const size_t country_count;

/* The country with this alpha-2 code (upper case), or NULL. */
const struct country *country_by_code(const char *code);

/* Member states of the Latin American and Caribbean Economic System (SELA),
 * as ISO codes: the default set of participating countries. */
extern const char *const sela_member_states[]; /* NULL-terminated */

#endif
