/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "i18n.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct tr_entry {
    const char *key, *text;
};
/* Generated from the po/ catalogs, sorted by key. */
extern const struct tr_entry i18n_es[], i18n_en[];
extern const size_t i18n_es_count, i18n_en_count;

static int cmp(const void *k, const void *e)
{
    return strcmp(k, ((const struct tr_entry *)e)->key);
}

static const char *lookup(lang_t lang, const char *key)
{
    const struct tr_entry *t = lang == LANG_ES ? i18n_es : i18n_en;
    size_t n = lang == LANG_ES ? i18n_es_count : i18n_en_count;
    const struct tr_entry *e = bsearch(key, t, n, sizeof *t, cmp);
    return e ? e->text : NULL;
}

const char *tr(lang_t lang, const char *key)
{
    const char *s = lookup(lang, key);
    if (!s)
        s = lookup(lang == LANG_ES ? LANG_EN : LANG_ES, key);
    return s ? s : key;
}

int tr_has(lang_t lang, const char *key)
{
    return lookup(lang, key) != NULL;
}

const char *lang_code(lang_t lang)
{
    return lang == LANG_EN ? "en" : "es";
}

int lang_parse(const char *s)
{
    if (!s || strlen(s) < 2 || (s[2] && s[2] != '-' && s[2] != '_'))
        return -1;
    if (strncasecmp(s, "es", 2) == 0)
        return LANG_ES;
    if (strncasecmp(s, "en", 2) == 0)
        return LANG_EN;
    return -1;
}

lang_t lang_from_accept(const char *header, lang_t def)
{
    if (!header)
        return def;
    double best_q = 0;
    int best = -1;
    const char *p = header;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *tag = p;
        while (*p && *p != ',' && *p != ';' && *p != ' ')
            p++;
        size_t taglen = (size_t)(p - tag);
        double q = 1.0;
        while (*p && *p != ',') {
            if (*p == ';') {
                p++;
                while (*p == ' ')
                    p++;
                if (p[0] == 'q' && p[1] == '=')
                    q = strtod(p + 2, NULL);
            } else {
                p++;
            }
        }
        char buf[16];
        if (taglen > 0 && taglen < sizeof buf) {
            memcpy(buf, tag, taglen);
            buf[taglen] = '\0';
            int l = lang_parse(buf);
            if (l >= 0 && q > best_q) {
                best_q = q;
                best = l;
            }
        }
    }
    return best >= 0 ? (lang_t)best : def;
}
