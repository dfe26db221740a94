/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "rate_limit.h"

#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <string.h>

/* A fixed table of counters, no allocation, bounded memory whatever the
 * traffic.  Each slot holds a keyed 128-bit BLAKE2b digest of its key, so
 * two keys never share a slot by accident and nobody can craft keys that
 * crowd out another's (the hash key is random per process).  A key looks
 * for itself in a short run of slots; a slot is only taken over once its
 * own window has ended, so a live count is never reset by other keys.
 * When every slot of the run is live (a flood of distinct keys), the newcomer
 * counts in a shared overflow counter: sharing only adds events, which errs
 * on the side of limiting. */
enum { SLOTS = 65536, PROBE = 32, OVERFLOW = 1024, ID_BYTES = 16 };

struct slot {
    unsigned char id[ID_BYTES];
    time_t window_start, last;
    int window, count;
    bool used;
};

static struct slot slots[SLOTS];
static struct slot overflow[OVERFLOW];
static unsigned char hash_key[crypto_generichash_KEYBYTES];
static bool keyed;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* The digest of the key with ASCII letters folded to lower case: addresses
 * are found case-insensitively, so "Ana@X" and "ana@x" are one key. */
static void key_id(const char *key, unsigned char id[ID_BYTES])
{
    if (!keyed) {
        if (sodium_init() < 0)
            memset(hash_key, 0x5a, sizeof hash_key); /* still a working table */
        else
            randombytes_buf(hash_key, sizeof hash_key);
        keyed = true;
    }
    crypto_generichash_state st;
    crypto_generichash_init(&st, hash_key, sizeof hash_key, ID_BYTES);
    unsigned char buf[256];
    size_t n = 0;
    for (const char *p = key; *p; p++) {
        char c = *p;
        buf[n++] = (unsigned char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        if (n == sizeof buf) {
            crypto_generichash_update(&st, buf, n);
            n = 0;
        }
    }
    crypto_generichash_update(&st, buf, n);
    crypto_generichash_final(&st, id, ID_BYTES);
}

static bool expired(const struct slot *s, time_t now)
{
    return now - s->window_start >= s->window;
}

static void start(struct slot *s, const unsigned char *id, int window, time_t now)
{
    if (id)
        memcpy(s->id, id, ID_BYTES);
    s->used = true;
    s->window = window;
    s->window_start = now;
    s->last = 0;
    s->count = 0;
}

/* The counter of key (lock held).  With create false, NULL when the key has
 * no live counter.  The caller's window applies to a counter it starts. */
static struct slot *find(const char *key, int window, time_t now, bool create)
{
    unsigned char id[ID_BYTES];
    key_id(key, id);
    uint64_t h;
    memcpy(&h, id, sizeof h);
    struct slot *free_slot = NULL;
    for (int i = 0; i < PROBE; i++) {
        struct slot *s = &slots[(h + (uint64_t)i) % SLOTS];
        if (s->used && memcmp(s->id, id, ID_BYTES) == 0) {
            if (expired(s, now))
                start(s, NULL, window, now);
            return s;
        }
        if (!free_slot && (!s->used || expired(s, now)))
            free_slot = s;
    }
    if (!create)
        return NULL;
    if (free_slot) {
        start(free_slot, id, window, now);
        return free_slot;
    }
    struct slot *o = &overflow[(h >> 32) % OVERFLOW];
    if (!o->used || now - o->window_start >= window)
        start(o, id, window, now);
    return o;
}

bool rate_allow(const char *key, int limit, int window_seconds, time_t now)
{
    pthread_mutex_lock(&lock);
    struct slot *s = find(key, window_seconds, now, true);
    bool ok = s->count < limit;
    if (ok) {
        s->count++;
        s->last = now;
    }
    pthread_mutex_unlock(&lock);
    return ok;
}

bool rate_peek(const char *key, int limit, int window_seconds, time_t now)
{
    pthread_mutex_lock(&lock);
    struct slot *s = find(key, window_seconds, now, false);
    bool ok = !s || s->count < limit;
    pthread_mutex_unlock(&lock);
    return ok;
}

void rate_record(const char *key, int window_seconds, time_t now)
{
    pthread_mutex_lock(&lock);
    struct slot *s = find(key, window_seconds, now, true);
    if (s->count < INT32_MAX)
        s->count++;
    s->last = now;
    pthread_mutex_unlock(&lock);
}

int rate_backoff(const char *key, int free_events, int window_seconds, int max_wait, time_t now)
{
    pthread_mutex_lock(&lock);
    struct slot *s = find(key, window_seconds, now, false);
    int wait = 0;
    if (s && s->count >= free_events) {
        /* 1, 2, 4, ... seconds after the last event, up to max_wait. */
        int over = s->count - free_events;
        long delay = over >= 30 ? max_wait : 1L << over;
        if (delay > max_wait)
            delay = max_wait;
        long left = (long)(s->last + delay - now);
        wait = left > 0 ? (int)left : 0;
    }
    pthread_mutex_unlock(&lock);
    return wait;
}

void rate_reset(void)
{
    pthread_mutex_lock(&lock);
    memset(slots, 0, sizeof slots);
    memset(overflow, 0, sizeof overflow);
    pthread_mutex_unlock(&lock);
}
