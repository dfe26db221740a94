/* The HTTP server: libmicrohttpd with a pool of worker threads, each
 * driving its own epoll set.  The application gives it a route table and a
 * few hooks; the server owns everything that is the same for every request:
 * body limits, language, CSRF, access checks, security headers, caching,
 * compression, ETags and the access log. */
#ifndef AULA_SERVER_H
#define AULA_SERVER_H

#include <stddef.h>

#include "http.h"

struct server_app {
    const struct route *routes;
    size_t nroutes;
    /* Fills req->user from a session cookie or bearer token. */
    void (*authenticate)(request *req);
    /* Renders an error page for status with a UI message key. */
    void (*error_page)(request *req, response *res, int status, const char *message_key);
};

struct server_config {
    const char *listen_addr; /* IPv4 or IPv6 literal */
    int port;                /* 0: an ephemeral port */
    unsigned threads;
    size_t max_body;         /* bytes; larger bodies get 413 */
    size_t arena_limit;      /* bytes of memory one request may use */
    const char *origin;      /* public base URL; derived from the address when NULL */
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
