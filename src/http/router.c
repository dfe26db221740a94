/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "router.h"

#include <string.h>

/* Compares one pattern with one path, segment by segment; "{name}"
 * matches any non-empty segment.  Parameters are recorded only when
 * record is set, so a failed candidate leaves req untouched. */
static bool match(const char *pattern, const char *path, request *req, bool record)
{
    int np = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            if (!close)
                return false;
            const char *seg_end = strchr(s, '/');
            if (!seg_end)
                seg_end = s + strlen(s);
            if (seg_end == s || np == MAX_ROUTE_PARAMS)
                return false;
            if (record) {
                req->param_names[np] = arena_strndup(req->a, p + 1, (size_t)(close - p - 1));
                req->params[np] = arena_strndup(req->a, s, (size_t)(seg_end - s));
            }
            np++;
            p = close + 1;
            s = seg_end;
        } else if (*p == *s) {
            p++;
            s++;
        } else {
            return false;
        }
    }
    if (*p || *s)
        return false;
    if (record)
        req->nparams = np;
    return true;
}

enum route_match router_match(const struct route *table, size_t n, http_method method,
                              const char *path, request *req, const struct route **out)
{
    bool path_known = false;
    http_method want = method == HTTP_HEAD ? HTTP_GET : method;
    for (size_t i = 0; i < n; i++) {
        if (!match(table[i].pattern, path, req, false))
            continue;
        if (table[i].method != want) {
            path_known = true;
            continue;
        }
        match(table[i].pattern, path, req, true);
        *out = &table[i];
        return MATCH_FOUND;
    }
    return path_known ? MATCH_WRONG_METHOD : MATCH_NONE;
}
