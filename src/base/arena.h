/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Per-request memory: a bump allocator released in one call.
 *
 * Everything a request needs (parsed input, query results, the rendered
 * page) is carved out of one arena that the HTTP layer frees when the
 * request completes, so handlers never call free() and cannot leak.  Each
 * arena has a byte limit: past it allocations fail, arena_exhausted() turns
 * true and the request is answered with an error instead of growing without
 * bound. */
#ifndef AULA_ARENA_H
#define AULA_ARENA_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

typedef struct arena arena;

arena *arena_new(size_t limit);
void arena_free(arena *a);

/* Returns NULL (and marks the arena exhausted) past the limit. */
void *arena_alloc(arena *a, size_t n);
void *arena_zalloc(arena *a, size_t n);
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap);

size_t arena_used(const arena *a);
/* True once any allocation was refused; it stays true for the arena's
 * life, so whatever the handler went on to produce, the server answers the
 * request with an error (503) instead. */
bool arena_exhausted(const arena *a);

/* An exhausted request still needs a little memory to say so.  This grants
 * a one-time reserve of ARENA_RESERVE bytes beyond the limit for the error
 * page; the arena stays marked exhausted.  Further calls add nothing. */
enum { ARENA_RESERVE = 256 * 1024 };
void arena_use_reserve(arena *a);

/* The arena jansson allocates from on this thread (see json_arena_init).
 * While one is set, json values live and die with it. */
void arena_set_current(arena *a);
arena *arena_current(void);

/* Routes jansson's allocations to the current thread's arena when one is
 * set, and to malloc otherwise.  Call once at start-up. */
void json_arena_init(void);

/* json_dumps() into plain malloc'd memory (free() it), whatever allocator
 * jansson is using; NULL on failure. */
char *json_dumps_malloc(const json_t *v, size_t flags);

#endif
