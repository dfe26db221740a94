/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A growable, always NUL-terminated string that knows its length.
 *
 * With an arena, the buffer lives in it (requests); with NULL it uses
 * malloc and the owner calls sb_release() (command-line tools, caches).
 * A failed allocation sets `failed` and later appends do nothing, so code
 * that builds a page checks once at the end instead of after every call. */
#ifndef AULA_STRBUF_H
#define AULA_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

typedef struct {
    arena *a;
    char *p;
    size_t len, cap;
    bool failed;
} strbuf;

void sb_init(strbuf *sb, arena *a);
void sb_append(strbuf *sb, const char *s, size_t n);
void sb_puts(strbuf *sb, const char *s);
void sb_putc(strbuf *sb, char c);
void sb_printf(strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sb_vprintf(strbuf *sb, const char *fmt, va_list ap);
/* The contents, never NULL ("" when empty or failed; len is then 0). */
const char *sb_str(const strbuf *sb);
void sb_release(strbuf *sb);

#endif
