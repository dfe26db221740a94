/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Settings: built-in defaults, then aula.ini in the data directory (or the
 * file named by --config or AULA_CONFIG), then the environment, then
 * command-line flags, each overriding the last. */
#ifndef AULA_CONFIG_H
#define AULA_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct config {
    char data_dir[512];
    char config_file[512]; /* empty: DATA_DIR/aula.ini when it exists */
    char listen_addr[64];
    int port;
    unsigned threads;
    size_t max_body;
    size_t max_public_body;   /* bodies of forms anyone may send */
    size_t bodies_in_flight;  /* memory all request bodies may hold at once */
    unsigned max_connections, connections_per_address; /* 0 per address: no limit */
    unsigned header_timeout;  /* seconds */
    uint64_t max_upload;
    size_t request_memory; /* bytes one request may use; 0: from max_body */
    char base_url[256];
    bool quiet;
    char trusted_proxies[512]; /* addresses whose X-Forwarded-For is believed */
    /* [mail] */
    char smtp_url[256], smtp_user[128], smtp_password[128], mail_from[256];
    int mail_workers, mail_max_attempts;
    long mail_retry_base, mail_retry_max;
    int reminder_tick; /* seconds between looks for due reminders */
    /* [certificates] */
    char timestamp_url[256]; /* RFC 3161 server; "" for none (the default) */
};

void config_defaults(struct config *c);
/* Reads config_file, which must exist, or else DATA_DIR/aula.ini when it
 * exists; false with a message on a missing or malformed file. */
bool config_load_file(struct config *c, char *err, size_t errlen);
void config_from_env(struct config *c);
/* "ADDR:PORT", "[v6]:PORT" or ":PORT" into the config. */
bool config_set_listen(struct config *c, const char *s);

#endif
