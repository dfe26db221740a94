/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "keys.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool write_file(const char *path, const unsigned char *data, size_t n, mode_t mode,
                       char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
        return false;
    }
    bool ok = write(fd, data, n) == (ssize_t)n && fsync(fd) == 0;
    close(fd);
    if (!ok)
        snprintf(err, errlen, "cannot write %s", path);
    return ok;
}

bool keys_ensure(const char *data_dir, char *err, size_t errlen)
{
    char dir[600], sk_path[640], pk_path[640];
    snprintf(dir, sizeof dir, "%s/keys", data_dir);
    snprintf(sk_path, sizeof sk_path, "%s/signing.key", dir);
    snprintf(pk_path, sizeof pk_path, "%s/signing.pub", dir);
    if (access(sk_path, F_OK) == 0)
        return true;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
        return false;
    }
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(pk, sk);
    bool ok = write_file(sk_path, sk, sizeof sk, 0600, err, errlen) &&
              write_file(pk_path, pk, sizeof pk, 0644, err, errlen);
    sodium_memzero(sk, sizeof sk);
    return ok;
}

static bool read_exact(const char *path, unsigned char *buf, size_t n)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = read(fd, buf, n) == (ssize_t)n;
    close(fd);
    return ok;
}

bool keys_load(const char *data_dir, unsigned char pk[32], unsigned char sk[64])
{
    char path[640];
    snprintf(path, sizeof path, "%s/keys/signing.pub", data_dir);
    if (!read_exact(path, pk, crypto_sign_PUBLICKEYBYTES))
        return false;
    if (!sk)
        return true;
    snprintf(path, sizeof path, "%s/keys/signing.key", data_dir);
    return read_exact(path, sk, crypto_sign_SECRETKEYBYTES);
}
