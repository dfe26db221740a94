/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "arena.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Blocks are chained; a request that needs more than one block gets a new
 * one at least twice as large as the last, so the chain stays short. */
struct block {
    struct block *next;
    size_t size, used;
    max_align_t data[];
};

struct arena {
    struct block *head;
    size_t limit, total;
    bool exhausted;
    bool reserve_used;
};

enum { FIRST_BLOCK = 16 * 1024 };

arena *arena_new(size_t limit)
{
    arena *a = calloc(1, sizeof *a);
    if (a)
        a->limit = limit;
    return a;
}

void arena_free(arena *a)
{
    if (!a)
        return;
    struct block *b = a->head;
    while (b) {
        struct block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

void *arena_alloc(arena *a, size_t n)
{
    const size_t align = sizeof(max_align_t);
    /* A request larger than the whole limit can never be met.  Refusing it
     * first also keeps the rounding and the doubling below from wrapping
     * around (SIZE_MAX used to round to a tiny block). */
    if (n > a->limit || n > SIZE_MAX / 4) {
        a->exhausted = true;
        return NULL;
    }
    n = (n + align - 1) & ~(align - 1);
    if (n == 0)
        n = align;
    struct block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = b ? b->size * 2 : FIRST_BLOCK;
        while (size < n)
            size *= 2;
        if (a->total + size > a->limit) {
            /* Fall back to what is left (at most a first block's worth, at
             * least n) before giving up, so that many small allocations
             * near the limit do not each cost a malloc. */
            size_t left = a->total < a->limit ? a->limit - a->total : 0;
            size = left < FIRST_BLOCK ? left : FIRST_BLOCK;
            if (size < n)
                size = n;
            if (a->total + size > a->limit) {
                a->exhausted = true;
                return NULL;
            }
        }
        struct block *nb = malloc(sizeof *nb + size);
        if (!nb) {
            a->exhausted = true;
            return NULL;
        }
        nb->size = size;
        nb->used = 0;
        nb->next = a->head;
        a->head = nb;
        a->total += size;
        b = nb;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    return p;
}

void *arena_zalloc(arena *a, size_t n)
{
    void *p = arena_alloc(a, n);
    if (p)
        memset(p, 0, n);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(arena *a, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return NULL;
    char *p = arena_alloc(a, (size_t)n + 1);
    if (p)
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

size_t arena_used(const arena *a)
{
    return a->total;
}

bool arena_exhausted(const arena *a)
{
    return a->exhausted;
}

void arena_use_reserve(arena *a)
{
    if (a->reserve_used)
        return;
    a->reserve_used = true;
    a->limit += ARENA_RESERVE;
}

static _Thread_local arena *current;

void arena_set_current(arena *a)
{
    current = a;
}

arena *arena_current(void)
{
    return current;
}

/* jansson frees through the same hook; a value allocated in an arena is
 * released with the arena, so its free is a no-op.  Values allocated with no
 * arena set carry a one-word header marking them as malloc'd. */
#define MALLOC_TAG ((uintptr_t)0x6d616c6cu)
#define ARENA_TAG ((uintptr_t)0x6172656eu)

static void *json_alloc(size_t n)
{
    uintptr_t *p;
    if (current) {
        p = arena_alloc(current, n + sizeof(max_align_t));
        if (!p)
            return NULL;
        p[0] = ARENA_TAG;
    } else {
        p = malloc(n + sizeof(max_align_t));
        if (!p)
            return NULL;
        p[0] = MALLOC_TAG;
    }
    return (char *)p + sizeof(max_align_t);
}

static void json_release(void *ptr)
{
    if (!ptr)
        return;
    uintptr_t *p = (uintptr_t *)((char *)ptr - sizeof(max_align_t));
    if (p[0] == MALLOC_TAG)
        free(p);
}

void json_arena_init(void)
{
    json_set_alloc_funcs(json_alloc, json_release);
}

char *json_dumps_malloc(const json_t *v, size_t flags)
{
    char *s = json_dumps(v, flags);
    if (!s)
        return NULL;
    char *copy = strdup(s);
    /* Freed by whichever allocator jansson is set to use. */
    json_free_t release;
    json_get_alloc_funcs(NULL, &release);
    release(s);
    return copy;
}
