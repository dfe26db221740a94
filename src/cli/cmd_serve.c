/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* aula serve: open the data directory and run the web server. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>

#include "../http/server.h"
#include "../mail/delivery.h"
#include "../store/db.h"
#include "../store/certificate_store.h"
#include "../store/keys.h"
#include "../store/pdf_keys.h"
#include "../view/views.h"
#include "cli.h"

int cmd_serve(struct config *c, int argc, char **argv)
{
    if (argc > 0) {
        fprintf(stderr, "aula serve: unexpected argument \"%s\"\n", argv[0]);
        return 2;
    }
    char err[700];
    if (!views_init(err, sizeof err)) {
        fprintf(stderr, "aula: %s\n", err);
        return 1;
    }
    if (!open_data_dir(c, true))
        return 1;
    /* Installations from before document signatures get their signing
     * certificate here, in the organisation's name. */
    char org[256];
    certificate_issuer_name(org, sizeof org);
    if (!keys_ensure(c->data_dir, err, sizeof err) ||
        !pdf_keys_ensure(c->data_dir, org, err, sizeof err)) {
        fprintf(stderr, "aula: %s\n", err);
        return 1;
    }
    static char upload_dir[600];
    snprintf(upload_dir, sizeof upload_dir, "%s/tmp", c->data_dir);
    struct server_config sc = {
        .listen_addr = c->listen_addr,
        .port = c->port,
        .threads = c->threads,
        .max_body = c->max_body,
        .max_public_body = c->max_public_body,
        .bodies_in_flight = c->bodies_in_flight,
        .max_connections = c->max_connections,
        .connections_per_address = c->connections_per_address,
        .header_timeout = c->header_timeout,
        .arena_limit = c->request_memory ? c->request_memory : c->max_body * 4 + 64 * 1024 * 1024,
        .origin = c->base_url,
        .upload_dir = upload_dir,
        .max_upload = c->max_upload,
        .quiet = c->quiet,
        .trusted_proxies = c->trusted_proxies,
    };
    /* Signals go to the thread that waits for them in server_run: block
     * them before any thread starts, as threads inherit the mask. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    configure_delivery(c, true);
    if (!delivery_start())
        return 1;
    int rc = server_run(&sc, &aula_app);
    delivery_stop();
    db_close_all();
    views_free();
    return rc;
}
