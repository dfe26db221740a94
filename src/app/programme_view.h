/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The data public pages (and the operations) show for an edition, built from
 * the stored programme.  It stays bilingual ({"es":..,"en":..} texts), so
 * the same value renders as the Spanish page, the English page and the
 * JSON answer; only labels derived here (dates, time-zone names) are added. */
#ifndef AULA_PROGRAMME_VIEW_H
#define AULA_PROGRAMME_VIEW_H

#include <jansson.h>

/* The view of edition slug, or NULL when it does not exist or is not
 * published (unless drafts is set). */
json_t *programme_view(const char *slug, int drafts);

/* Finding and walking courses: courses.h. */
#include "courses.h"

/* {"es": tr(es, key), "en": tr(en, key)}. */
json_t *bilingual_tr(const char *key);

/* "21 de marzo de 2022" / "21 March 2022" for YYYY-MM-DD, bilingual. */
json_t *date_label(const char *date);
/* "21–24 de marzo de 2022" / "21–24 March 2022", bilingual. */
json_t *range_label(const char *from, const char *to);

#endif
