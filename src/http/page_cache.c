/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "page_cache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A small open hash table; past MAX_ENTRIES it is simply emptied, which
 * bounds memory without bookkeeping for eviction order. */
enum { SLOTS = 2048, MAX_ENTRIES = 1024 };

struct slot {
    char *key;
    struct cached_page page;
};

static struct slot slots[SLOTS];
static size_t used;
static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;

static size_t hash(const char *s)
{
    size_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void release(struct slot *s)
{
    if (s->page.plain)
        MHD_destroy_response(s->page.plain);
    if (s->page.gzip)
        MHD_destroy_response(s->page.gzip);
    free(s->key);
    memset(s, 0, sizeof *s);
}

static void clear_locked(void)
{
    for (size_t i = 0; i < SLOTS; i++)
        if (slots[i].key)
            release(&slots[i]);
    used = 0;
}

void page_cache_init(void)
{
}

void page_cache_shutdown(void)
{
    pthread_rwlock_wrlock(&lock);
    clear_locked();
    pthread_rwlock_unlock(&lock);
}

/* MHD responses are reference counted and may be queued on many
 * connections at once; queueing takes a reference.  Doing it under the read
 * lock means an invalidation (which needs the write lock) can never destroy
 * a response between lookup and queueing. */
int page_cache_serve(const char *key, int64_t gen, struct MHD_Connection *conn, bool gzip_ok,
                     const char *if_none_match, size_t *bytes)
{
    int status = 0;
    pthread_rwlock_rdlock(&lock);
    for (size_t i = hash(key) % SLOTS, n = 0; n < SLOTS; i = (i + 1) % SLOTS, n++) {
        if (!slots[i].key)
            break;
        if (strcmp(slots[i].key, key) != 0)
            continue;
        struct cached_page *p = &slots[i].page;
        if (p->gen != gen)
            break; /* stale: rendered again, and replaced by page_cache_put */
        if (if_none_match && *p->etag && strstr(if_none_match, p->etag)) {
            struct MHD_Response *r = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
            if (r) {
                char etag[32];
                snprintf(etag, sizeof etag, "\"%s%s\"", p->etag, gzip_ok && p->gzip ? "-gz" : "");
                MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
                MHD_queue_response(conn, MHD_HTTP_NOT_MODIFIED, r);
                MHD_destroy_response(r);
            }
            status = 304;
            *bytes = 0;
        } else {
            struct MHD_Response *r = (gzip_ok && p->gzip) ? p->gzip : p->plain;
            MHD_queue_response(conn, MHD_HTTP_OK, r);
            status = 200;
            *bytes = r == p->gzip ? p->gzip_len : p->plain_len;
        }
        break;
    }
    pthread_rwlock_unlock(&lock);
    return status;
}

void page_cache_put(const char *key, struct cached_page *page)
{
    pthread_rwlock_wrlock(&lock);
    if (used >= MAX_ENTRIES)
        clear_locked();
    size_t i = hash(key) % SLOTS;
    while (slots[i].key && strcmp(slots[i].key, key) != 0)
        i = (i + 1) % SLOTS;
    if (slots[i].key) {
        release(&slots[i]);
        used--;
    }
    slots[i].key = strdup(key);
    if (slots[i].key) {
        slots[i].page = *page;
        used++;
    } else {
        MHD_destroy_response(page->plain);
        if (page->gzip)
            MHD_destroy_response(page->gzip);
    }
    pthread_rwlock_unlock(&lock);
}

void page_cache_invalidate(void)
{
    pthread_rwlock_wrlock(&lock);
    clear_locked();
    pthread_rwlock_unlock(&lock);
}
