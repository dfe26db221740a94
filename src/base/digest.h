/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* SHA-256 written as hex, the form in which Aula keeps the hashes of
 * links and tokens and shows those of files (libsodium does the hashing). */
#ifndef AULA_DIGEST_H
#define AULA_DIGEST_H

#include <stddef.h>

#include "arena.h"

/* 64 lower-case hex digits and the terminating NUL. */
#define SHA256_HEX_SIZE 65

/* The SHA-256 of the n bytes at data, as hex into out. */
void sha256_hex_of(const void *data, size_t n, char out[SHA256_HEX_SIZE]);

/* The SHA-256 of the string s, as hex in a; NULL when a is exhausted. */
const char *sha256_hex(arena *a, const char *s);

#endif
