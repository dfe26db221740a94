/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "digest.h"

#include <sodium.h>
#include <string.h>

void sha256_hex_of(const void *data, size_t n, char out[SHA256_HEX_SIZE])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, (const unsigned char *)(n ? data : ""), n);
    sodium_bin2hex(out, SHA256_HEX_SIZE, d, sizeof d);
}

const char *sha256_hex(arena *a, const char *s)
{
    char *hex = arena_alloc(a, SHA256_HEX_SIZE);
    if (hex)
        sha256_hex_of(s, strlen(s), hex);
    return hex;
}
