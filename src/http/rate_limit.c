/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "rate_limit.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

/* A fixed table of buckets addressed by a hash of the key: a collision
 * makes two keys share a counter, which errs on the side of limiting.
 * No allocation, bounded memory whatever the traffic. */
enum { BUCKETS = 4096 };

struct bucket {
    uint64_t hash;
    time_t window_start;
    int count;
};

static struct bucket buckets[BUCKETS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

bool rate_allow(const char *key, int limit, int window_seconds, time_t now)
{
    uint64_t h = hash(key);
    pthread_mutex_lock(&lock);
    struct bucket *b = &buckets[h % BUCKETS];
    if (b->hash != h || now - b->window_start >= window_seconds) {
        b->hash = h;
        b->window_start = now;
        b->count = 0;
    }
    bool ok = b->count < limit;
    if (ok)
        b->count++;
    pthread_mutex_unlock(&lock);
    return ok;
}

bool rate_peek(const char *key, int limit, int window_seconds, time_t now)
{
    uint64_t h = hash(key);
    pthread_mutex_lock(&lock);
    struct bucket *b = &buckets[h % BUCKETS];
    bool ok = b->hash != h || now - b->window_start >= window_seconds || b->count < limit;
    pthread_mutex_unlock(&lock);
    return ok;
}

void rate_reset(void)
{
    pthread_mutex_lock(&lock);
    memset(buckets, 0, sizeof buckets);
    pthread_mutex_unlock(&lock);
}
