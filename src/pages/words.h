/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Words for stored values, so that console pages never show a raw one
 * ("sent", "valid", "account.add", "2026-12-02T06:36:00Z"). */
#ifndef AULA_WORDS_H
#define AULA_WORDS_H

#include <jansson.h>

#include "../http/http.h"

/* The catalog's words for PREFIX.VALUE ({es, en}); a value the catalog
 * does not know is given as it is. */
json_t *word_of(request *req, const char *prefix, const char *value);
/* An instant stored as "YYYY-MM-DDTHH:MM:SSZ" written out in each
 * language ("2 de diciembre de 2026, 06:36"), a day "YYYY-MM-DD" without
 * the time; other text as it is. */
json_t *when_of(const char *iso_utc);

#endif
