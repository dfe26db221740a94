/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Rendered public pages kept in memory, per path and language.
 *
 * An entry holds ready-made libmicrohttpd responses (plain and gzip) that
 * many connections can send at once, and the data generation read before it
 * was rendered: it is served only while the caller's current generation is
 * the same, so a change made by any process (an edit, `aula import`) is
 * never hidden by a page rendered before it.  page_cache_invalidate() drops
 * everything (memory back at once after a change). */
#ifndef AULA_PAGE_CACHE_H
#define AULA_PAGE_CACHE_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>

struct cached_page {
    struct MHD_Response *plain, *gzip;
    size_t plain_len, gzip_len;
    char etag[24]; /* the content hash both representations' ETags share */
    int64_t gen;   /* the data generation read before rendering */
};

void page_cache_init(void);
void page_cache_shutdown(void);
/* Queues the cached page for key on conn (the gzip one when gzip_ok; a 304
 * when if_none_match carries its ETag).  Returns the status sent, or 0 when
 * the page is not cached or was rendered at another generation than gen. */
int page_cache_serve(const char *key, int64_t gen, struct MHD_Connection *conn, bool gzip_ok,
                     const char *if_none_match, size_t *bytes);
/* Stores a page; the cache takes over the caller's references. */
void page_cache_put(const char *key, struct cached_page *page);
void page_cache_invalidate(void);

#endif
