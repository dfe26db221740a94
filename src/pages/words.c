/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "words.h"

#include <stdio.h>
#include <string.h>

#include "../base/timeutil.h"
#include "programme_view.h"

json_t *word_of(request *req, const char *prefix, const char *value)
{
    if (!value)
        return json_string("");
    const char *key = arena_printf(req->a, "%s.%s", prefix, value);
    if (key && tr_has(LANG_ES, key) && tr_has(LANG_EN, key))
        return bilingual_tr(key);
    return json_string(value);
}

json_t *when_of(const char *iso)
{
    time_t t;
    int y, m, d;
    if (iso && strlen(iso) == 10 && parse_date(iso, &y, &m, &d)) {
        /* A day alone ("2026-12-02", a certificate's date of issue). */
        char es[96], en[96];
        format_date_long(LANG_ES, y, m, d, es, sizeof es);
        format_date_long(LANG_EN, y, m, d, en, sizeof en);
        return json_pack("{s:s, s:s}", "es", es, "en", en);
    }
    if (!iso || !parse_utc_iso(iso, &t))
        return json_string(iso ? iso : "");
    struct tm tm;
    gmtime_r(&t, &tm);
    char es[96], en[96], out_es[128], out_en[128];
    format_date_long(LANG_ES, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, es, sizeof es);
    format_date_long(LANG_EN, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, en, sizeof en);
    snprintf(out_es, sizeof out_es, "%s, %02d:%02d", es, tm.tm_hour, tm.tm_min);
    snprintf(out_en, sizeof out_en, "%s, %02d:%02d", en, tm.tm_hour, tm.tm_min);
    return json_pack("{s:s, s:s}", "es", out_es, "en", out_en);
}
