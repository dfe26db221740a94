/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "config.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../http/proxies.h"

void config_defaults(struct config *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->data_dir, sizeof c->data_dir, "./aula-data");
    snprintf(c->listen_addr, sizeof c->listen_addr, "127.0.0.1");
    c->port = 8080;
    c->threads = 4;
    c->max_body = 10 * 1024 * 1024;
    c->max_public_body = 256 * 1024;
    c->bodies_in_flight = 64 * 1024 * 1024;
    c->max_connections = 4096;
    c->connections_per_address = 64;
    c->header_timeout = 10;
    c->max_upload = 1024ull * 1024 * 1024;
    c->mail_workers = 2;
    c->mail_max_attempts = 20;
    c->mail_retry_base = 30;
    c->mail_retry_max = 600;
    c->reminder_tick = 20;
}

bool config_set_listen(struct config *c, const char *s)
{
    const char *colon = strrchr(s, ':');
    if (!colon)
        return false;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || end == colon + 1 || port < 0 || port > 65535)
        return false;
    size_t alen = (size_t)(colon - s);
    if (alen >= 2 && s[0] == '[' && s[alen - 1] == ']') {
        s++;
        alen -= 2;
    }
    if (alen >= sizeof c->listen_addr)
        return false;
    if (alen == 0)
        snprintf(c->listen_addr, sizeof c->listen_addr, "127.0.0.1");
    else
        snprintf(c->listen_addr, sizeof c->listen_addr, "%.*s", (int)alen, s);
    c->port = (int)port;
    return true;
}

#define SET(field, v) snprintf(c->field, sizeof c->field, "%s", v)

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
    struct config *c = user;
    if (strcmp(section, "server") == 0 || section[0] == '\0') {
        if (strcmp(name, "listen") == 0)
            return config_set_listen(c, value);
        if (strcmp(name, "threads") == 0) {
            long n = strtol(value, NULL, 10);
            if (n < 1 || n > 256)
                return 0;
            c->threads = (unsigned)n;
            return 1;
        }
        if (strcmp(name, "max_body_mb") == 0) {
            long n = strtol(value, NULL, 10);
            if (n < 1 || n > 4096)
                return 0;
            c->max_body = (size_t)n * 1024 * 1024;
            return 1;
        }
        if (strcmp(name, "max_public_body_kb") == 0) {
            long n = strtol(value, NULL, 10);
            if (n < 1 || n > 1024 * 1024)
                return 0;
            c->max_public_body = (size_t)n * 1024;
            return 1;
        }
        if (strcmp(name, "bodies_in_flight_mb") == 0) {
            long n = strtol(value, NULL, 10);
            if (n < 1 || n > 1024 * 1024)
                return 0;
            c->bodies_in_flight = (size_t)n * 1024 * 1024;
            return 1;
        }
        if (strcmp(name, "max_connections") == 0) {
            long n = strtol(value, NULL, 10);
            if (n < 16 || n > 1000000)
                return 0;
            c->max_connections = (unsigned)n;
            return 1;
        }
        if (strcmp(name, "connections_per_address") == 0) {
            long n = strtol(value, NULL, 10);
            if (n < 0 || n > 1000000)
                return 0;
            c->connections_per_address = (unsigned)n;
            return 1;
        }
        if (strcmp(name, "header_timeout_seconds") == 0) {
            long n = strtol(value, NULL, 10);
            if (n < 1 || n > 3600)
                return 0;
            c->header_timeout = (unsigned)n;
            return 1;
        }
        if (strcmp(name, "request_memory_mb") == 0) {
            long n = strtol(value, NULL, 10);
            if (n < 1 || n > 64 * 1024)
                return 0;
            c->request_memory = (size_t)n * 1024 * 1024;
            return 1;
        }
        if (strcmp(name, "max_upload_mb") == 0) {
            long n = strtol(value, NULL, 10);
            if (n < 1 || n > 1024 * 1024)
                return 0;
            c->max_upload = (uint64_t)n * 1024 * 1024;
            return 1;
        }
        if (strcmp(name, "access_log") == 0) {
            c->quiet = strcmp(value, "off") == 0;
            return strcmp(value, "off") == 0 || strcmp(value, "on") == 0;
        }
        if (strcmp(name, "base_url") == 0)
            return SET(base_url, value), 1;
        if (strcmp(name, "trusted_proxies") == 0)
            return strlen(value) < sizeof c->trusted_proxies && proxies_valid(value)
                       ? (SET(trusted_proxies, value), 1) : 0;
    } else if (strcmp(section, "mail") == 0) {
        if (strcmp(name, "smtp_url") == 0)
            return SET(smtp_url, value), 1;
        if (strcmp(name, "smtp_user") == 0)
            return SET(smtp_user, value), 1;
        if (strcmp(name, "smtp_password") == 0)
            return SET(smtp_password, value), 1;
        if (strcmp(name, "from") == 0)
            return SET(mail_from, value), 1;
        long n = strtol(value, NULL, 10);
        if (strcmp(name, "workers") == 0)
            return (n >= 1 && n <= 16) ? (c->mail_workers = (int)n, 1) : 0;
        if (strcmp(name, "max_attempts") == 0)
            return (n >= 1 && n <= 1000) ? (c->mail_max_attempts = (int)n, 1) : 0;
        if (strcmp(name, "retry_base_seconds") == 0)
            return (n >= 1 && n <= 86400) ? (c->mail_retry_base = n, 1) : 0;
        if (strcmp(name, "retry_max_seconds") == 0)
            return (n >= 1 && n <= 86400) ? (c->mail_retry_max = n, 1) : 0;
    } else if (strcmp(section, "certificates") == 0) {
        if (strcmp(name, "timestamp_url") == 0) {
            if (*value && strncmp(value, "http://", 7) != 0 && strncmp(value, "https://", 8) != 0)
                return 0;
            return SET(timestamp_url, value), 1;
        }
    }
    return 1; /* unknown keys are left for later versions */
}

bool config_load_file(struct config *c, char *err, size_t errlen)
{
    char path[600];
    if (c->config_file[0]) {
        /* Named on purpose (a packaged install's /etc/aula/aula.ini), so
         * a missing file is an error rather than silent defaults. */
        snprintf(path, sizeof path, "%s", c->config_file);
    } else {
        snprintf(path, sizeof path, "%s/aula.ini", c->data_dir);
        if (access(path, F_OK) != 0)
            return true;
    }
    int rc = ini_parse(path, on_entry, c);
    if (rc != 0) {
        if (rc > 0)
            snprintf(err, errlen, "%s line %d: invalid setting", path, rc);
        else
            snprintf(err, errlen, "cannot read %s", path);
        return false;
    }
    return true;
}

void config_from_env(struct config *c)
{
    const char *v;
    if ((v = getenv("AULA_LISTEN")) && *v)
        config_set_listen(c, v);
    if ((v = getenv("AULA_BASE_URL")) && *v)
        SET(base_url, v);
    if ((v = getenv("AULA_TRUSTED_PROXIES")) && strlen(v) < sizeof c->trusted_proxies)
        SET(trusted_proxies, v);
    if ((v = getenv("AULA_TIMESTAMP_URL")) && *v)
        SET(timestamp_url, v);
    if ((v = getenv("AULA_SMTP_URL")) && *v)
        SET(smtp_url, v);
    if ((v = getenv("AULA_SMTP_USER")) && *v)
        SET(smtp_user, v);
    if ((v = getenv("AULA_SMTP_PASSWORD")) && *v)
        SET(smtp_password, v);
    if ((v = getenv("AULA_MAIL_FROM")) && *v)
        SET(mail_from, v);
    if ((v = getenv("AULA_MAIL_WORKERS")) && atoi(v) >= 1 && atoi(v) <= 16)
        c->mail_workers = atoi(v);
    if ((v = getenv("AULA_MAIL_RETRY_BASE")) && atol(v) >= 1)
        c->mail_retry_base = atol(v);
    if ((v = getenv("AULA_MAIL_RETRY_MAX")) && atol(v) >= 1)
        c->mail_retry_max = atol(v);
    if ((v = getenv("AULA_MAX_UPLOAD_MB")) && atol(v) >= 1)
        c->max_upload = (uint64_t)atol(v) * 1024 * 1024;
    if ((v = getenv("AULA_REMINDER_TICK")) && atoi(v) >= 1 && atoi(v) <= 3600)
        c->reminder_tick = atoi(v);
    if ((v = getenv("AULA_MAIL_MAX_ATTEMPTS")) && atoi(v) >= 1)
        c->mail_max_attempts = atoi(v);
}
