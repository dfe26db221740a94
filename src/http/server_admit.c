/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What the server does before it dispatches a request: the deadlines a
 * connection's header and body must meet, and the admission of a body
 * (route, access, size limit, CSRF cookie and the memory all bodies in
 * flight share) before a byte of it is read.  See server_admit.h. */
#include "server_admit.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "../base/log.h"
#include "router.h"
#include "upload.h"

static const struct server_config *config;
static const struct server_app *app;

void admission_configure(const struct server_config *cfg, const struct server_app *application)
{
    config = cfg;
    app = application;
}

/* ---- memory held by bodies in flight ---- */

/* Bytes reserved by every body being received or handled.  A body
 * reserves what it holds as it arrives (doubling), not what it announces,
 * so a client that announces much and sends little holds little; one that
 * no longer fits is refused with 503 and its memory given back at once. */
static atomic_size_t bodies_reserved;

static bool budget_take(size_t n)
{
    size_t cur = atomic_load(&bodies_reserved);
    do {
        if (n > config->bodies_in_flight || cur > config->bodies_in_flight - n)
            return false;
    } while (!atomic_compare_exchange_weak(&bodies_reserved, &cur, cur + n));
    return true;
}

void budget_give(size_t n)
{
    if (n)
        atomic_fetch_sub(&bodies_reserved, n);
}

/* ---- deadlines for request headers ---- */

/* libmicrohttpd's connection timeout restarts with every byte received, so
 * a client trickling a header one byte at a time would hold its connection
 * for ever.  Each connection therefore carries its own deadline: it must
 * deliver a complete request header within header_timeout of opening or
 * of its previous answer.  The main thread looks once a second and shuts
 * down the sockets of the late ones; libmicrohttpd then sees them close.
 * Entries leave the list (under the lock) before libmicrohttpd closes the
 * descriptor, so a shut-down descriptor is always still that connection's. */
struct conn_watch {
    struct conn_watch *prev, *next;
    int fd;
    _Atomic int64_t deadline_ms; /* 0: a request is being answered */
};

static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
static struct conn_watch *watch_head;

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static struct conn_watch *watch_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

/* The header of the next request is due header_timeout from now; 0 stops
 * the clock while a request is answered. */
int64_t header_deadline(void)
{
    return config->header_timeout ? now_ms() + (int64_t)config->header_timeout * 1000 : 0;
}

/* A body held in memory must arrive at BODY_MIN_RATE bytes a second at
 * least (after the header's allowance), so that a slow sender cannot hold
 * its share of the memory for bodies for long.  Uploads stream to disk and
 * have no such deadline. */
enum { BODY_MIN_RATE = 32 * 1024 };

int64_t body_deadline(size_t length)
{
    return config->header_timeout
               ? now_ms() + (int64_t)config->header_timeout * 1000 +
                     (int64_t)(length / BODY_MIN_RATE) * 1000
               : 0;
}

/* Sets the connection's deadline (0: none while a request is answered). */
void watch_set(struct MHD_Connection *conn, int64_t deadline_ms)
{
    struct conn_watch *w = watch_of(conn);
    if (w)
        atomic_store(&w->deadline_ms, deadline_ms);
}

void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    (void)cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        struct conn_watch *w = calloc(1, sizeof *w);
        if (!w || !ci) {
            free(w);
            return; /* not watched: libmicrohttpd's own timeout still applies */
        }
        w->fd = ci->connect_fd;
        atomic_store(&w->deadline_ms, header_deadline());
        pthread_mutex_lock(&watch_lock);
        w->next = watch_head;
        if (watch_head)
            watch_head->prev = w;
        watch_head = w;
        pthread_mutex_unlock(&watch_lock);
        *socket_context = w;
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        struct conn_watch *w = *socket_context;
        if (!w)
            return;
        pthread_mutex_lock(&watch_lock);
        if (w->prev)
            w->prev->next = w->next;
        else
            watch_head = w->next;
        if (w->next)
            w->next->prev = w->prev;
        pthread_mutex_unlock(&watch_lock);
        free(w);
        *socket_context = NULL;
    }
}

/* Closes the connections whose header is overdue. */
void sweep_late_headers(void)
{
    int64_t now = now_ms();
    unsigned closed = 0;
    pthread_mutex_lock(&watch_lock);
    for (struct conn_watch *w = watch_head; w; w = w->next) {
        int64_t d = atomic_load(&w->deadline_ms);
        if (d && now > d) {
            shutdown(w->fd, SHUT_RDWR);
            atomic_store(&w->deadline_ms, 0);
            closed++;
        }
    }
    pthread_mutex_unlock(&watch_lock);
    if (closed && !config->quiet)
        log_info("closed %u connection%s that sent no complete request in %u s", closed,
                 closed == 1 ? "" : "s", config->header_timeout);
}

/* ---- admitting a body ---- */

/* The largest body a route takes: none for routes that take none, a small
 * one for forms anyone may send, max_body for signed-in people's forms.
 * Uploads stream to disk and have their own limit. */
static size_t body_limit_of(const struct route *route)
{
    if (route->method != HTTP_POST && route->method != HTTP_PUT)
        return 0;
    return route->access == ACCESS_PUBLIC ? config->max_public_body : config->max_body;
}

/* Whether the request announces a body: its length when known (*known),
 * or chunked. */
bool announces_body(struct MHD_Connection *conn, uint64_t *length, bool *known)
{
    const char *te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_TRANSFER_ENCODING);
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_CONTENT_LENGTH);
    *known = false;
    *length = 0;
    if (te)
        return true;
    if (!cl)
        return false;
    *length = strtoull(cl, NULL, 10); /* libmicrohttpd has refused malformed ones */
    *known = true;
    return *length > 0;
}

/* Everything that can refuse a request with a body is decided before a
 * byte of the body is accepted: whether the path and method exist, who is
 * asking and whether they may, the route's size limit, the CSRF cookie,
 * and room in the memory all bodies in flight share.  Uploads then stream
 * to disk; other bodies are held in memory as they arrive, against a
 * deadline that grows with their length. */
void admit_body(struct conn_ctx *c, uint64_t length, bool known)
{
    request *req = &c->req;
    const struct route *route = NULL;
    enum route_match m =
        router_match(app->routes, app->nroutes, req->method, req->path, req, &route);
    arena_set_current(req->a);
    pick_language(req);
    if (m == MATCH_NONE) {
        answer_early(c, 404, "error.not_found");
    } else if (m == MATCH_WRONG_METHOD) {
        answer_early(c, 405, "error.method");
    } else {
        req->route = route;
        read_csrf(req);
        if (app->take_backend_failure)
            app->take_backend_failure(); /* what earlier requests of this thread left */
        app->authenticate(req);
        /* Kept with the connection: this thread serves others before the body ends. */
        c->backend_failed = app->take_backend_failure && app->take_backend_failure();
        c->checked = true;
        c->body_limit = body_limit_of(route);
        if (!access_allowed(req, &c->res, route)) {
            send_response(c, NULL);
            c->answered = true;
        } else if (route->flags & R_UPLOAD) {
            uint64_t max = (route->flags & R_SMALL_UPLOAD) && config->max_upload > SMALL_UPLOAD_MAX
                               ? SMALL_UPLOAD_MAX
                               : config->max_upload;
            if (known && length > max + 64 * 1024)
                answer_early(c, 413, "error.upload_too_large");
            else if (!(c->upload = upload_begin(req, req->conn, config->upload_dir, max)))
                answer_early(c, 400, "error.not_multipart");
        } else if (known && length > c->body_limit) {
            answer_early(c, 413, "error.too_large");
        } else if (!(route->flags & R_NO_CSRF) && !req->via_token && !req->csrf) {
            answer_early(c, 403, "error.csrf"); /* the form's token could never match */
        } else {
            if (known)
                c->body_limit = (size_t)length; /* libmicrohttpd delivers no more */
            /* Room for the first piece, or come back later. */
            size_t first = c->body_limit < 16383 ? c->body_limit + 1 : 16384;
            if (!budget_take(first)) {
                answer_early(c, 503, "error.busy");
            } else {
                budget_give(first);
                watch_set(req->conn, body_deadline(c->body_limit));
            }
        }
    }
    arena_set_current(NULL);
}

/* Gives back the body's memory (refused: the rest is only drained). */
void body_drop(struct conn_ctx *c)
{
    free(c->body);
    c->body = NULL;
    c->body_cap = 0;
    c->req.body_len = 0;
    budget_give(c->reserved);
    c->reserved = 0;
}

/* Appends a piece of the body.  Returns 0, or the status to refuse the
 * request with once the rest has been drained. */
int body_append(struct conn_ctx *c, const char *data, size_t n)
{
    size_t len = c->req.body_len;
    if (n > c->body_limit || len > c->body_limit - n)
        return 413;
    if (len + n + 1 > c->body_cap) {
        size_t cap = c->body_cap ? c->body_cap * 2 : 16384;
        while (cap < len + n + 1)
            cap *= 2;
        if (cap > c->body_limit + 1)
            cap = c->body_limit + 1;
        if (!budget_take(cap - c->reserved))
            return 503;
        char *nb = realloc(c->body, cap);
        if (!nb) {
            budget_give(cap - c->reserved);
            return 503;
        }
        c->reserved = cap;
        c->body = nb;
        c->body_cap = cap;
    }
    memcpy(c->body + len, data, n);
    c->req.body_len = len + n;
    c->body[c->req.body_len] = '\0';
    return 0;
}
