/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The HTTP server: libmicrohttpd with a pool of worker threads, each
 * driving its own epoll set.  The application gives it a route table and a
 * few hooks; the server owns everything that is the same for every request:
 * body limits, language, CSRF, access checks, security headers, caching,
 * compression, ETags and the access log.
 *
 * It also defends itself: a request body is read only for a route that
 * takes one, after the access check, within the route's limit and a cap on
 * the memory all bodies in flight may hold; connections are capped per
 * client address; and a connection that has not sent a complete request
 * header in time is closed, however slowly it trickles. */
#ifndef AULA_SERVER_H
#define AULA_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http.h"

struct server_app {
    const struct route *routes;
    size_t nroutes;
    /* Fills req->user from a session cookie or bearer token. */
    void (*authenticate)(request *req);
    /* Renders an error page for status with a UI message key. */
    void (*error_page)(request *req, response *res, int status, const char *message_key);
    /* Whether the storage failed (busy) for this thread since the last call;
       clears it.  A request during which it did answers 503. */
    bool (*take_backend_failure)(void);
    /* The generation of the data public pages show (false: unknown, so no
       page is cached or served from the cache).  A cached page is served only
       while the generation read before it was rendered is still current. */
    bool (*page_generation)(int64_t *gen);
    /* Called once the server listens, before any request, with the address
       it listens on ("http://localhost:8080"). */
    void (*start)(const char *origin);
    /* The public address now ("https://..."): cookies are Secure when it is
       https. */
    const char *(*origin)(void);
};

struct server_config {
    const char *listen_addr; /* IPv4 or IPv6 literal */
    int port;                /* 0: an ephemeral port */
    unsigned threads;
    size_t max_body;         /* bytes; larger bodies get 413 (routes for signed-in people) */
    size_t max_public_body;  /* bytes; the same for routes anyone may use */
    size_t bodies_in_flight; /* bytes of bodies held at once by all requests; past it 503 */
    unsigned max_connections;         /* open connections in all */
    unsigned connections_per_address; /* open connections from one client address; 0: any */
    unsigned header_timeout; /* seconds to send a complete request header, trickle or not */
    size_t arena_limit;      /* bytes of memory one request may use */
    const char *origin;      /* public base URL, or NULL; said beside the listening address */
    const char *upload_dir;  /* temporary files of uploads (same file system as the store) */
    uint64_t max_upload;     /* bytes; larger uploads get 413 */
    int quiet;               /* no access log */
    const char *trusted_proxies; /* whose X-Forwarded-For is believed ("" none) */
};

/* Binds, starts the workers and serves until SIGTERM or SIGINT, then stops
 * accepting, lets requests in flight finish, and returns 0.  Returns 1 with
 * one line on stderr when it cannot start. */
int server_run(const struct server_config *cfg, const struct server_app *app);

#endif
