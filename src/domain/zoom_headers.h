/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The column names of Zoom's reports (zoom_headers.c): which column of a
 * header row plays which role, in every report shape and interface
 * language Aula reads, and the yes values of their cells.  Internal to the
 * Zoom reader (zoom_report.c). */
#ifndef AULA_ZOOM_HEADERS_H
#define AULA_ZOOM_HEADERS_H

#include <stdbool.h>
#include <stddef.h>

#include "csv_reader.h"

enum role {
    R_NAME, R_EMAIL, R_JOIN, R_LEAVE, R_GUEST, R_WAITING, R_STATUS, R_ATTENDED,
    R_TOTAL, R_TOPIC, R_MEETING_ID, R_WEBINAR_ID, R_ID, R_HOST, R_START, R_USAGE, R_COUNT
};

/* The columns Aula needs, as messages name them (the others NULL). */
extern const char *const zoom_role_label[R_COUNT];

/* Where each role's column is in a header row (-1: absent). */
struct cols {
    int at[R_COUNT];
    const char *lang; /* interface language told by the names, or NULL */
};

/* The columns of the header row c. */
void zoom_map_header(const struct csv *c, struct cols *m);

static inline bool has(const struct cols *m, enum role r)
{
    return m->at[r] >= 0;
}

/* The comparison form of a header cell (lower case, accents removed, ...;
 * see zoom_headers.c); false when it is too long to be one. */
bool zoom_header_key(const char *s, char *out, size_t n);

/* Yes in the interface languages: Yes, Y, Sí, Sim, Oui, Да, はい (and
 * true, 1 from the API).  Anything else, empty included, is no. */
bool zoom_yes(const char *s);

/* The separator of the file's header row: ',', ';' or a tab, whichever
 * reveals a known header row within the first 64 rows (',' when none
 * does); buf is csv_init's scratch. */
char zoom_detect_separator(const char *data, size_t len, char *buf);

#endif
