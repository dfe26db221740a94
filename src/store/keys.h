/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The certificate signing key pair, kept as files in the data directory:
 * keys/signing.key (secret, mode 0600) and keys/signing.pub. */
#ifndef AULA_KEYS_H
#define AULA_KEYS_H

#include <stdbool.h>
#include <stddef.h>

/* Creates the key pair unless it exists.  False with a message on failure. */
bool keys_ensure(const char *data_dir, char *err, size_t errlen);

/* Reads the key pair (sk may be NULL to read only the public key). */
bool keys_load(const char *data_dir, unsigned char pk[32], unsigned char sk[64]);

#endif
