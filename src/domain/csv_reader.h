/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* RFC 4180 CSV records read one at a time: quoted fields, doubled quotes,
 * commas and line breaks inside quotes; line ends CRLF, LF or CR.  Fields
 * are unescaped in place into a caller's buffer and trimmed of spaces and
 * tabs.  Physical line numbers are kept so messages can name the line.
 * Internal to src/domain (the Zoom report parser); no allocation, no I/O. */
#ifndef AULA_CSV_READER_H
#define AULA_CSV_READER_H

#include <stddef.h>

/* Fields of a record beyond this many are read and dropped. */
enum { CSV_MAX_FIELDS = 512 };

/* Reads RFC 4180 records one at a time.  The fields of the current record
 * are unescaped, NUL-terminated and trimmed into buf, which holds len + 2
 * bytes: a record's fields never take more than its raw bytes plus one. */
struct csv {
    const char *base, *p, *end;
    int line;     /* physical line at p */
    char *buf;
    const char *f[CSV_MAX_FIELDS];
    size_t nf;    /* fields kept; later ones are read and dropped */
    int rec_line; /* first physical line of the current record */
    size_t rec_off;
    char sep;     /* field separator: ',' (the default), ';' or '\t' */
};

/* Starts reading the len bytes at base with ',' between fields; buf holds
 * at least len + 2 bytes.  Set c->sep afterwards for another separator. */
void csv_init(struct csv *c, const char *base, size_t len, char *buf);

/* Steps *data past a UTF-8 byte order mark, if it starts with one. */
void csv_skip_bom(const char **data, size_t *len);

/* Reads the next record into c->f and c->nf: 1 when a record was read, 0 at
 * the end, -1 for a quote never closed. */
int csv_next(struct csv *c);

/* Field i of the current record, "" when the record has no such field. */
const char *csv_field(const struct csv *c, int i);

/* How many fields of the current record are not empty. */
size_t csv_nonempty(const struct csv *c);

/* Reads again the record starting at byte off of base (to quote it in a
 * message), with separator sep, into c and buf; c->nf is 0 when nothing
 * could be read. */
void csv_reread(const char *base, size_t len, size_t off, char sep, struct csv *c, char *buf);

#endif
