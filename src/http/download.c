/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Download helpers (see download.h). */
#include "download.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/escape.h"
#include "../docs/table_export.h"

const char *content_disposition(arena *a, const char *kind, const char *name)
{
    strbuf sb;
    sb_init(&sb, a);
    sb_printf(&sb, "%s; filename=\"", kind);
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        sb_putc(&sb, (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\' || *p == '/') ? '_'
                                                                                     : (char)*p);
    sb_puts(&sb, "\"; filename*=UTF-8''");
    esc_url_component(&sb, name);
    return sb_str(&sb);
}

void http_date(time_t t, char *out, size_t n)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    snprintf(out, n, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday,
             months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The digits at s (none is false): no sign or space, which strtoull would
 * take.  A number too big for 64 bits saturates: past any file's end. */
static bool range_number(const char *s, const char **end, uint64_t *v)
{
    uint64_t n = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++)
        n = n > (UINT64_MAX - (uint64_t)(*p - '0')) / 10 ? UINT64_MAX
                                                          : n * 10 + (uint64_t)(*p - '0');
    *end = p;
    *v = n;
    return p != s;
}

enum range_kind parse_range(const char *h, uint64_t size, uint64_t *from, uint64_t *len)
{
    /* RFC 9110 14.2: a header that is not valid is ignored (the whole file),
     * only a valid one that cannot be satisfied is 416.  The unit is
     * compared without regard to case. */
    if (!h || strncasecmp(h, "bytes=", 6) != 0 || strchr(h, ','))
        return RANGE_NONE;
    const char *s = h + 6, *end;
    uint64_t a, b;
    if (*s == '-') {
        if (!range_number(s + 1, &end, &b) || *end)
            return RANGE_NONE;
        if (b == 0 || size == 0)
            return RANGE_BAD;
        if (b > size)
            b = size;
        *from = size - b;
        *len = b;
        return RANGE_ONE;
    }
    if (!range_number(s, &end, &a) || *end != '-')
        return RANGE_NONE;
    const char *bstart = end + 1;
    if (*bstart && (!range_number(bstart, &end, &b) || *end || b < a))
        return RANGE_NONE;
    if (a >= size)
        return RANGE_BAD;
    if (!*bstart || b >= size)
        b = size - 1;
    *from = a;
    *len = b - a + 1;
    return RANGE_ONE;
}

bool send_xlsx(request *req, response *res, const char *tmp_dir, const char *sheet,
               json_t *headers, json_t *rows, const char *filename)
{
    char path[700];
    mkdir(tmp_dir, 0700);
    unsigned char raw[8];
    char hex[17];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    snprintf(path, sizeof path, "%s/export-%s.xlsx", tmp_dir, hex);
    bool ok = table_xlsx(path, sheet, headers, rows);
    char *bytes = NULL;
    size_t len = 0;
    FILE *fp = ok ? fopen(path, "rb") : NULL;
    if (fp) {
        struct stat st;
        if (fstat(fileno(fp), &st) == 0 && (bytes = arena_alloc(req->a, (size_t)st.st_size + 1)))
            len = fread(bytes, 1, (size_t)st.st_size, fp);
        fclose(fp);
    }
    unlink(path);
    if (!bytes || !len)
        return false;
    res_text(res, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bytes,
             len);
    res_header(res, "Content-Disposition", content_disposition(req->a, "attachment", filename));
    res->no_store = true;
    return true;
}
