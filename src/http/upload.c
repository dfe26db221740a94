/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "upload.h"

#include "../base/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MAX_FIELDS_BYTES = 256 * 1024 };

struct upload_state {
    request *req;
    struct MHD_PostProcessor *pp;
    int fd;
    char tmp_path[700];
    bool tmp_exists, file_done;
    uint64_t max, size;
    size_t field_bytes;
    crypto_hash_sha256_state sha;
    enum upload_end status;
    /* Form fields arrive in pieces: the one being filled is the last pair. */
    struct form_pair *pairs;
    size_t npairs, cap;
    strbuf current;
    const char *current_key;
};

static bool add_field_piece(struct upload_state *u, const char *key, const char *data, uint64_t off,
                            size_t size)
{
    if (u->field_bytes + size > MAX_FIELDS_BYTES) {
        u->status = UPLOAD_TOO_LARGE;
        return false;
    }
    u->field_bytes += size;
    /* A piece at offset 0 starts a field, even one with the same name as the field before
       (two fields named alike are two values, not one joined value). */
    if (off == 0 || !u->current_key || strcmp(u->current_key, key) != 0 || !u->npairs) {
        if (u->npairs == u->cap) {
            size_t nc = u->cap ? u->cap * 2 : 16;
            if (nc > FORM_MAX_PAIRS)
                return false;
            struct form_pair *np = arena_alloc(u->req->a, nc * sizeof *np);
            if (!np)
                return false;
            if (u->npairs)
                memcpy(np, u->pairs, u->npairs * sizeof *np);
            u->pairs = np;
            u->cap = nc;
        }
        u->current_key = arena_strdup(u->req->a, key);
        sb_init(&u->current, u->req->a);
        u->pairs[u->npairs++] = (struct form_pair){.name = u->current_key, .value = ""};
    }
    sb_append(&u->current, data, size);
    struct form_pair *p = &u->pairs[u->npairs - 1];
    p->value = sb_str(&u->current);
    p->len = u->current.len;
    return !u->current.failed;
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size)
{
    (void)kind;
    (void)transfer_encoding;
    struct upload_state *u = cls;
    request *req = u->req;
    if (filename && strcmp(key, "file") == 0) {
        if (u->file_done || u->fd < 0)
            return MHD_NO; /* one file per upload */
        if (!req->upload.present) {
            req->upload.present = true;
            req->upload.file_name = arena_strdup(req->a, filename);
            req->upload.content_type = content_type ? arena_strdup(req->a, content_type) : NULL;
        }
        if (!size)
            return MHD_YES;
        if (u->size + size > u->max) {
            u->status = UPLOAD_TOO_LARGE;
            return MHD_NO;
        }
        ssize_t w = write(u->fd, data, size);
        if (w != (ssize_t)size) {
            u->status = UPLOAD_IO_ERROR;
            return MHD_NO;
        }
        crypto_hash_sha256_update(&u->sha, (const unsigned char *)data, size);
        u->size += size;
        return MHD_YES;
    }
    if (filename)
        return MHD_YES; /* other file parts are not read */
    return add_field_piece(u, key, data, off, size) ? MHD_YES : MHD_NO;
}

struct upload_state *upload_begin(request *req, struct MHD_Connection *conn, const char *dir,
                                  uint64_t max_bytes)
{
    struct upload_state *u = arena_zalloc(req->a, sizeof *u);
    if (!u)
        return NULL;
    u->req = req;
    u->max = max_bytes;
    u->fd = -1;
    u->pp = MHD_create_post_processor(conn, 64 * 1024, on_part, u);
    if (!u->pp)
        return NULL;
    mkdir(dir, 0700);
    unsigned char raw[12];
    char hex[25];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    snprintf(u->tmp_path, sizeof u->tmp_path, "%s/upload-%s.part", dir, hex);
    /* The file is created up front; its name never comes from the client. */
    u->fd = open(u->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (u->fd < 0) {
        MHD_destroy_post_processor(u->pp);
        return NULL;
    }
    u->tmp_exists = true;
    crypto_hash_sha256_init(&u->sha);
    return u;
}

bool upload_feed(struct upload_state *u, const char *data, size_t n)
{
    if (u->status != UPLOAD_OK)
        return false;
    if (MHD_post_process(u->pp, data, n) != MHD_YES) {
        if (u->status == UPLOAD_OK)
            u->status = UPLOAD_MALFORMED;
        return false;
    }
    return true;
}

enum upload_end upload_finish(struct upload_state *u, request *req)
{
    if (u->pp) {
        MHD_destroy_post_processor(u->pp);
        u->pp = NULL;
    }
    if (u->fd >= 0) {
        if (fsync(u->fd) != 0 && u->status == UPLOAD_OK)
            u->status = UPLOAD_IO_ERROR;
        close(u->fd);
        u->fd = -1;
    }
    u->file_done = true;
    if (u->status != UPLOAD_OK)
        return u->status;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&u->sha, digest);
    sodium_bin2hex(req->upload.sha256, sizeof req->upload.sha256, digest, sizeof digest);
    req->upload.size = u->size;
    req->upload.tmp_path = arena_strdup(req->a, u->tmp_path);
    /* No file part at all is the handler's to refuse ("choose a file");
     * only a name that could not be copied is out of memory. */
    if (!req->upload.tmp_path || (req->upload.present && !req->upload.file_name))
        return UPLOAD_IO_ERROR; /* out of memory: a 503, the file removed */
    req->raw.pairs = u->pairs;
    req->raw.n = u->npairs;
    return UPLOAD_OK;
}

void upload_release(struct upload_state *u)
{
    if (!u)
        return;
    if (u->pp) {
        MHD_destroy_post_processor(u->pp);
        u->pp = NULL;
    }
    if (u->fd >= 0) {
        close(u->fd);
        u->fd = -1;
    }
    /* Gone already when the handler kept the file (renamed it away). */
    if (u->tmp_exists)
        unlink(u->tmp_path);
    u->tmp_exists = false;
}
