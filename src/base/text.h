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

/* Whether s holds a bidirectional embedding, override or isolate control
 * (U+202A..U+202E, U+2066..U+2069): they make text display in an order
 * other than the one it is stored in ("invoice\u202Efdp.exe" shows as
 * "invoiceexe.pdf"). */
bool text_has_bidi_control(const char *s);
/* Removes bidirectional controls from s in place (for text printed where
 * it cannot be refused any more, such as a name stored before they were);
 * returns s. */
char *text_drop_bidi(char *s);
/* Makes a file name safe to show and to put in an archive, in place (it
 * only shrinks): control characters (C0, DEL, C1), bidirectional controls,
 * '/' and '\\' each become '_'.  Returns s. */
char *file_name_neutralise(char *s);

#endif
