/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The console's Zoom import goes through a preview: an upload answers
 * 200 with a summary and a form whose hidden field "preview" holds the
 * token of the kept report; POST .../attendance/confirm with it imports
 * (decision=import) or drops it (decision=cancel).  Helpers for the HTTP
 * tests that import reports. */
#ifndef AULA_TEST_IMPORT_PREVIEW_H
#define AULA_TEST_IMPORT_PREVIEW_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

/* The preview token on a preview page, copied into buf; false when the
 * page has none. */
static inline bool preview_token(const struct http_response *r, char *buf, size_t n)
{
    const char *mark = "name=\"preview\" value=\"";
    const char *p = r->body ? strstr(r->body, mark) : NULL;
    if (!p)
        return false;
    p += strlen(mark);
    size_t len = strcspn(p, "\"");
    if (!len || len >= n)
        return false;
    memcpy(buf, p, len);
    buf[len] = '\0';
    return true;
}

/* Posts the confirmation form of edition slug with token and decision,
 * as the person of cookies (a "Cookie: ..." header) with their CSRF
 * token; extra is one more header or NULL.  Returns the status. */
static inline long confirm_preview(const struct served *s, const char *slug, const char *cookies,
                                   const char *csrf, const char *token, const char *decision,
                                   const char *extra, struct http_response *r)
{
    char url[512], body[400];
    snprintf(url, sizeof url, "%s/admin/events/%s/attendance/confirm", s->origin, slug);
    snprintf(body, sizeof body, "csrf=%s&preview=%s&decision=%s", csrf, token, decision);
    const char *h[] = {cookies, "Content-Type: application/x-www-form-urlencoded", extra, NULL};
    if (!http("POST", url, h, body, strlen(body), r))
        return -1;
    return r->status;
}

/* What the attendance tables hold, in short: every import's id, day and
 * row count.  A preview must leave it unchanged. */
static inline void import_fingerprint(const char *data_dir, char *buf, size_t n)
{
    db_query(data_dir,
             "SELECT coalesce(group_concat(i.id || ':' || i.course_day_id || ':' ||"
             " (SELECT count(*) FROM attendance_row r WHERE r.import_id = i.id), ','), '-')"
             " FROM attendance_import i",
             buf, n);
}

/* After an upload answered r: when it is a preview (200 with a token),
 * checks that the attendance tables still hold what before says
 * (import_fingerprint() taken before the upload), frees r and confirms the
 * import, leaving the confirmation's answer in r; returns its status.  Any
 * refusal (4xx, 5xx) is returned as it is; a redirection (an import
 * without a preview) gives -4, a 200 without a token -2, and a preview
 * that changed the tables -3. */
static inline long confirm_upload(const struct served *s, const char *data_dir, const char *before,
                                  const char *slug, const char *cookies, const char *csrf,
                                  const char *extra, struct http_response *r)
{
    if (r->status >= 300 && r->status < 400)
        return -4; /* saved (or sent elsewhere) without a preview */
    if (r->status != 200)
        return r->status;
    char token[128], now[4096];
    if (!preview_token(r, token, sizeof token))
        return -2;
    import_fingerprint(data_dir, now, sizeof now);
    if (strcmp(now, before) != 0)
        return -3;
    http_free(r);
    return confirm_preview(s, slug, cookies, csrf, token, "import", extra, r);
}

#endif
