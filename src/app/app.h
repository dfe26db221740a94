/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The programme's operations (src/app/): each written once and called by
 * the pages, the command line and the background workers alike.  An
 * operation takes an explicit context and its validated inputs and returns
 * whether it succeeded, with a message key when it did not; it never sees
 * HTTP (no file here includes a header of src/http/ or src/pages/).
 *
 * Arrows: cli, pages, mail workers -> app -> store, domain, docs, mail, view
 * -> base. */
#ifndef AULA_APP_H
#define AULA_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "../base/arena.h"
#include "../base/i18n.h"

/* What the installation is: set once at start-up (aula serve, or a command
 * of the command line) and read by operations through their context. */
struct app_config {
    const char *data_dir;   /* certificates, keys, temporary files */
    const char *base_url;   /* public address for links, NULL if unknown */
    uint64_t max_upload;    /* largest material file accepted, bytes */
    const char *timestamp_url; /* RFC 3161 server for document signatures, or NULL */
};

/* Who acts, in which language, when, and with which memory. */
struct app_ctx {
    arena *a;                      /* everything an operation returns lives here */
    lang_t lang;                   /* of the person acting (messages, errors) */
    int64_t actor_id;              /* account id; 0 for the system or the command line */
    const char *actor;             /* for the audit log: an email, "cli", "system" */
    time_t now;                    /* the operation's clock */
    const struct app_config *cfg;
    /* The public address links in messages and certificates start with, as
     * it stands when the operation starts (an administrator can change it
     * in the console meanwhile); NULL: cfg->base_url (see app_origin). */
    const char *origin;
};

/* Why an operation failed: the caller picks the HTTP status or exit code
 * from kind, and shows key (a message catalog key) in the person's
 * language; detail adds a fact that needs no translation (a line number, a
 * file name), or is empty. */
typedef enum {
    APP_OK = 0,
    APP_INVALID,   /* the input breaks a rule: 400/422, exit 1 */
    APP_NOT_FOUND, /* what it names does not exist: 404 */
    APP_CONFLICT,  /* the state changed meanwhile or forbids it: 409 */
    APP_BUSY,      /* the database stayed busy: 503, try again */
    APP_FAILED,    /* anything else (disk, signing): 500 */
    APP_FORBIDDEN, /* the person acting may not do this: 403 */
} app_status;

struct app_err {
    app_status kind;
    const char *key;
    char detail[256];
};

/* Fills err and returns false, so that an operation can `return app_fail(...)`. */
bool app_fail(struct app_err *err, app_status kind, const char *key, const char *detail_fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The installation's configuration (app_configure at start-up). */
void app_configure(const struct app_config *cfg);
const struct app_config *app_config(void);

/* The public address links and cookies use ("https://aula.example.org"):
 * the configuration's base_url, else the address an administrator stored in
 * the console, else the address the server listens on. */
const char *app_origin(void);
/* At start-up, after app_configure: the listening address as the last
 * resort, and the stored address read from the database when the
 * configuration names none. */
void app_origin_start(const char *listen_origin);
/* The address an administrator chose in the console (never called when the
 * configuration sets one: the console does not offer it then). */
void app_set_public_origin(const char *origin);

/* A context for the command line and the workers: the system acting. */
struct app_ctx app_ctx_system(arena *a, lang_t lang, const char *actor);

#endif
