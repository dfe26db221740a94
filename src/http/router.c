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

/* The parameter names whose values are secrets. */
static bool secret_param(const char *name, size_t len)
{
    return len == 5 && memcmp(name, "token", 5) == 0;
}

/* Appends s[0..n) to out at *o, truncating. */
static void put(char *out, size_t outlen, size_t *o, const char *s, size_t n)
{
    while (n-- && *o + 1 < outlen)
        out[(*o)++] = *s++;
    out[*o] = '\0';
}

void router_mask_secrets(const struct route *table, size_t n, const char *path, char *out,
                         size_t outlen)
{
    if (!outlen)
        return;
    out[0] = '\0';
    if (!path)
        return;
    size_t o = 0;
    const char *s = path;
    /* Masking goes by the pattern up to each secret parameter only, so a
     * mistyped link ("/login/TOKEN/", "/login/TOKEN/x") that matches no
     * route is masked as well. */
    for (size_t i = 0; i < n; i++) {
        const char *p = table[i].pattern, *q = path;
        if (!strstr(p, "{token}"))
            continue;
        while (*p && *q) {
            if (*p == '{') {
                const char *close = strchr(p, '}');
                if (!close)
                    break;
                const char *seg_end = strchr(q, '/');
                if (!seg_end)
                    seg_end = q + strlen(q);
                if (seg_end == q)
                    break;
                if (secret_param(p + 1, (size_t)(close - p - 1))) {
                    put(out, outlen, &o, s, (size_t)(q - s));
                    put(out, outlen, &o, "***", 3);
                    s = seg_end;
                }
                p = close + 1;
                q = seg_end;
            } else if (*p == *q) {
                p++;
                q++;
            } else {
                break;
            }
        }
        if (s != path)
            break; /* a secret was masked: the first such route decides */
    }
    put(out, outlen, &o, s, strlen(s));
}
