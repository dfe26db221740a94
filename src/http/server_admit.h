/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Inside the server (server.c, server_admit.c), not for other modules.
 * server.c dispatches requests and assembles responses; server_admit.c
 * keeps the deadlines of headers and bodies and admits a body before it is
 * read. */
#ifndef AULA_SERVER_ADMIT_H
#define AULA_SERVER_ADMIT_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "server.h"

/* Per-connection state, kept across libmicrohttpd's calls for one request
 * and released in request_completed. */
struct conn_ctx {
    request req;
    response res;
    struct timespec started;
    int refuse;        /* 413 or 503: the body is drained, then refused */
    bool checked;      /* route found and access checked before the body */
    size_t body_limit; /* this route's limit */
    size_t body_cap;
    size_t reserved;   /* bytes of the bodies-in-flight budget this body holds */
    char *body;        /* malloc'd: released as soon as the request completes */
    int status;
    size_t bytes;
    char method[8];
    struct upload_state *upload; /* R_UPLOAD routes, while the body streams in */
    bool answered;               /* a response was queued before the body ended */
    int64_t cache_gen;           /* data generation read before rendering a cached page */
    bool backend_failed;         /* the storage failed while admitting the body */
};

/* server_admit.c */
/* The configuration and application served (server_run, before starting). */
void admission_configure(const struct server_config *cfg, const struct server_app *app);
/* libmicrohttpd's connection notifications: a connection's header deadline. */
void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                   enum MHD_ConnectionNotificationCode toe);
/* Sets the connection's deadline (0: none while a request is answered). */
void watch_set(struct MHD_Connection *conn, int64_t deadline_ms);
/* The header of the next request is due header_timeout from now (0: no
 * deadline configured). */
int64_t header_deadline(void);
/* Closes the connections whose header is overdue (the main thread, once a
 * second). */
void sweep_late_headers(void);
/* Whether the request announces a body: its length when known (*known),
 * or chunked. */
bool announces_body(struct MHD_Connection *conn, uint64_t *length, bool *known);
/* Decides, before the body is read, whether it is taken (see server_admit.c). */
void admit_body(struct conn_ctx *c, uint64_t length, bool known);
/* Appends a piece of the body: 0, or the status to refuse the request with
 * once the rest has been drained. */
int body_append(struct conn_ctx *c, const char *data, size_t n);
/* Gives back the body's memory (refused: the rest is only drained). */
void body_drop(struct conn_ctx *c);
/* Gives back n bytes of the bodies-in-flight budget. */
void budget_give(size_t n);

/* server.c */
void pick_language(request *req);
void read_csrf(request *req);
bool access_allowed(request *req, response *res, const struct route *route);
/* Queues the response (cache_key: store it in the page cache). */
void send_response(struct conn_ctx *c, const char *cache_key);
/* Answers now, before the body is read. */
void answer_early(struct conn_ctx *c, int status, const char *key);

#endif
