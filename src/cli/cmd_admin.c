/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Commands that set up and look after a data directory. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/digest.h"
#include "../base/text.h"
#include "../store/account_store.h"
#include "../store/db.h"
#include "../store/certificate_store.h"
#include "../store/keys.h"
#include "../store/pdf_keys.h"
#include "cli.h"

static bool mkdirs(const char *path)
{
    char buf[600];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST)
                return false;
            *p = '/';
        }
    }
    /* The data directory itself is private (see datadir.c). */
    return mkdir(buf, 0700) == 0 || errno == EEXIST;
}

bool open_data_dir(const struct config *c, bool create)
{
    struct stat st;
    if (stat(c->data_dir, &st) != 0) {
        if (!create) {
            fprintf(stderr, "aula: data directory %s does not exist; run aula init\n", c->data_dir);
            return false;
        }
        if (!mkdirs(c->data_dir)) {
            fprintf(stderr, "aula: cannot create data directory %s: %s\n", c->data_dir,
                    strerror(errno));
            return false;
        }
    } else if (!S_ISDIR(st.st_mode)) {
        fprintf(stderr, "aula: %s is not a directory\n", c->data_dir);
        return false;
    }
    if (access(c->data_dir, W_OK | X_OK) != 0) {
        fprintf(stderr, "aula: data directory %s is not writable\n", c->data_dir);
        return false;
    }
    char path[600], err[700];
    if (!data_dir_lock(c->data_dir, false, err, sizeof err)) {
        fprintf(stderr, "aula: %s\n", err);
        return false;
    }
    /* Before the database is opened: SQLite gives its -wal and -shm the
     * database file's mode. */
    struct data_dir_report report;
    data_dir_walk(c->data_dir, true, &report);
    snprintf(path, sizeof path, "%s/aula.db", c->data_dir);
    db_configure(path);
    if (!db_migrate(err, sizeof err)) {
        fprintf(stderr, "aula: %s\n", err);
        return false;
    }
    return true;
}

int cmd_init(struct config *c, int argc, char **argv)
{
    (void)argv;
    if (argc > 0) {
        fprintf(stderr, "aula init: unexpected argument \"%s\"\n", argv[0]);
        return 2;
    }
    if (!open_data_dir(c, true))
        return 1;
    char err[700], org[256];
    certificate_issuer_name(org, sizeof org);
    if (!keys_ensure(c->data_dir, err, sizeof err) ||
        !pdf_keys_ensure(c->data_dir, org, err, sizeof err)) {
        fprintf(stderr, "aula: %s\n", err);
        return 1;
    }
    printf("aula: data directory %s is ready\n", c->data_dir);
    db_close_all();
    return 0;
}

int cmd_backup(struct config *c, int argc, char **argv)
{
    if (argc != 1) {
        fprintf(stderr, "usage: aula backup [--data DIR] FILE\n");
        return 2;
    }
    if (access(argv[0], F_OK) == 0) {
        fprintf(stderr, "aula: %s already exists; choose a new file name\n", argv[0]);
        return 1;
    }
    if (!open_data_dir(c, false))
        return 1;
    char err[700];
    bool ok = db_backup(argv[0], err, sizeof err);
    db_close_all();
    if (!ok) {
        fprintf(stderr, "aula: %s\n", err);
        unlink(argv[0]);
        return 1;
    }
    printf("aula: database copied to %s\n", argv[0]);
    return 0;
}

/* Reads a password from standard input (first line), or generates one when
 * standard input is a terminal: staff then change nothing by hand. */
static bool read_password(char *buf, size_t n, bool *generated)
{
    *generated = false;
    if (!isatty(STDIN_FILENO)) {
        if (!fgets(buf, (int)n, stdin))
            return false;
        buf[strcspn(buf, "\r\n")] = '\0';
        return strlen(buf) >= 10;
    }
    unsigned char raw[12];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(buf, n, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    *generated = true;
    return true;
}

int cmd_user(struct config *c, int argc, char **argv)
{
    const char *role = NULL, *email = NULL;
    if (argc < 1 || strcmp(argv[0], "add") != 0)
        goto usage;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
            role = argv[++i];
        else if (!email && argv[i][0] != '-')
            email = argv[i];
        else
            goto usage;
    }
    if (!role || !email)
        goto usage;
    if (strcmp(role, "admin") && strcmp(role, "coordinator") && strcmp(role, "trainer")) {
        fprintf(stderr, "aula: --role must be admin, coordinator or trainer\n");
        return 2;
    }
    if (!email_valid(email)) {
        fprintf(stderr, "aula: \"%s\" is not an email address\n", email);
        return 2;
    }
    char password[256];
    bool generated;
    if (!read_password(password, sizeof password, &generated)) {
        fprintf(stderr, "aula: the password on standard input must have at least 10 characters\n");
        return 2;
    }
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        fprintf(stderr, "aula: not enough memory to hash the password\n");
        return 1;
    }
    if (!open_data_dir(c, true))
        return 1;
    int64_t id = account_upsert(email, role, hash);
    if (id)
        audit("cli", "account.set", email, role);
    db_close_all();
    if (!id) {
        fprintf(stderr, "aula: cannot store the account\n");
        return 1;
    }
    printf("aula: %s is now %s%s\n", email, strcmp(role, "admin") == 0 ? "an " : "a ", role);
    if (generated)
        printf("password: %s\n", password);
    sodium_memzero(password, sizeof password);
    return 0;
usage:
    fprintf(stderr, "usage: aula user add [--data DIR] --role admin|coordinator|trainer EMAIL\n");
    return 2;
}

int cmd_token(struct config *c, int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[0], "create") != 0) {
        fprintf(stderr, "usage: aula token create [--data DIR] EMAIL\n");
        return 2;
    }
    if (!open_data_dir(c, false))
        return 1;
    arena *a = arena_new(1 << 20);
    struct account acc;
    int rc = 1;
    if (!account_by_email(a, argv[1], &acc)) {
        fprintf(stderr, "aula: no account for %s; create it with aula user add\n", argv[1]);
    } else {
        unsigned char raw[32];
        char token[64], hex[SHA256_HEX_SIZE];
        randombytes_buf(raw, sizeof raw);
        sodium_bin2base64(token, sizeof token, raw, sizeof raw,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        sha256_hex_of(token, strlen(token), hex);
        if (api_token_create(acc.id, hex)) {
            audit("cli", "token.create", acc.email, NULL);
            printf("%s\n", token);
            rc = 0;
        } else {
            fprintf(stderr, "aula: cannot store the token\n");
        }
    }
    arena_free(a);
    db_close_all();
    return rc;
}
