/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* User-visible strings in Spanish and English.
 *
 * The catalogs are po/es.po and po/en.po, turned into sorted tables at
 * build time (tools/po2c.py).  msgids are stable keys such as "nav.agenda";
 * the English file holds the English text. */
#ifndef AULA_I18N_H
#define AULA_I18N_H

typedef enum { LANG_ES = 0, LANG_EN = 1, LANG_COUNT } lang_t;

/* The translation of key in lang; the other language's when this one lacks
 * it; the key itself when neither has it (a visible bug, never a crash). */
const char *tr(lang_t lang, const char *key);
/* True when the catalog of lang defines key. */
int tr_has(lang_t lang, const char *key);

const char *lang_code(lang_t lang);
/* "es" or "en" (any case, optionally with a region: "en-GB") to a language;
 * -1 for anything else. */
int lang_parse(const char *s);
/* The first supported language in an Accept-Language header, honouring
 * q-values; def when none is supported. */
lang_t lang_from_accept(const char *header, lang_t def);

#endif
