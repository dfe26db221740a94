/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Inside the Zoom reader: what zoom_report.c (reading a file) shares with
 * zoom_day.c (keeping the session's day).  Not for other modules. */
#ifndef AULA_ZOOM_PARSE_H
#define AULA_ZOOM_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/arena.h"
#include "../base/i18n.h"
#include "zoom_report.h"

/* Messages are written in both languages side by side: ES_EN() picks one
 * of two string literals, and the compiler checks both as formats against
 * zoom_errf's arguments (so the two take the same arguments, in the same order).
 * Column names are named as Zoom's English export writes them (its
 * documentation's), with the Spanish ones where it helps.  Spanish
 * sentences quote the file's values in « ».  The refusals about the
 * session's day use the po catalogs (zoom.*). */
#define ES_EN(lang, es, en) ((lang) == LANG_EN ? (en) : (es))

/* Formats a message into err (when there is one). */
void zoom_errf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "Not enough memory to read the file." in lang. */
const char *zoom_no_memory(lang_t lang);
/* Empties out and returns false. */
bool zoom_fail(struct zoom_report *out);
/* Reads a whole report (every day in it); date (y, m, d) decides how
 * ambiguous dates read unless force_day_first, which takes the day-first
 * reading.  False with a message in err. */
bool zoom_parse_file(arena *a, const char *data, size_t len, const char *tz, const int *date,
                     bool force_day_first, lang_t lang, struct zoom_report *out, char *err,
                     size_t errlen);

/* zoom_encoding.c: the first line (from 1) that is not valid UTF-8, or the
 * number of lines plus one when all are. */
int zoom_bad_utf8_line(const char *data, size_t len);
/* Converts len bytes of text in encoding from to UTF-8, into a malloc'd
 * buffer of *outlen bytes plus a NUL; NULL when the bytes are not text of
 * that encoding (or memory ran out: *nomem is then set). */
char *zoom_to_utf8(const char *from, const char *data, size_t len, size_t *outlen, bool *nomem);

#endif
