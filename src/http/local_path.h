/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Where a visitor may be sent back to after signing in: only a path on
 * this site, whatever the "next" parameter says. */
#ifndef AULA_LOCAL_PATH_H
#define AULA_LOCAL_PATH_H

#include <stdbool.h>

/* Whether next is a path on this site ("/me", "/admin/outbox?x=1").
 * Refused: anything not starting with one "/" ("//host" and "/\host" are
 * other hosts to a browser, "https:", "javascript:" other schemes), and
 * any control character or space, which browsers drop or a header would
 * split on ("/\t/host" is "//host" to a browser). */
bool local_path_ok(const char *next);

/* next when local_path_ok(next), otherwise fallback. */
const char *local_path_or(const char *next, const char *fallback);

#endif
