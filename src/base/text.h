/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Byte-level checks on text from outside: UTF-8, email addresses, slugs. */
#ifndef AULA_TEXT_H
#define AULA_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Well-formed UTF-8: no overlong forms, surrogates or values past U+10FFFF. */
bool utf8_valid(const char *s, size_t len);
/* A plain address: local@domain.tld, no spaces, quotes or brackets. */
bool email_valid(const char *s);
/* Lower-case letters, digits and inner hyphens, 1 to 64 characters. */
bool slug_valid(const char *s);

#endif
