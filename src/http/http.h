/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Requests, responses and routes as the pages see them.
 *
 * A request owns an arena: every string in it, and everything a handler
 * allocates while answering, is released in one place when the request
 * completes (server.c). */
#ifndef AULA_HTTP_H
#define AULA_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/i18n.h"
#include "form.h"

typedef enum { HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_PUT, HTTP_DELETE, HTTP_OTHER } http_method;

/* Who may use a route, from least to most privileged. */
typedef enum {
    ACCESS_PUBLIC,
    ACCESS_PARTICIPANT, /* any signed-in person */
    ACCESS_TRAINER,
    ACCESS_COORDINATOR,
    ACCESS_ADMIN,
} access_level;

typedef enum { ROLE_NONE = 0, ROLE_PARTICIPANT, ROLE_TRAINER, ROLE_COORDINATOR, ROLE_ADMIN } role_t;

enum { MAX_ROUTE_PARAMS = 6, MAX_RESPONSE_HEADERS = 12 };

struct user {
    int64_t id;
    const char *email;
    role_t role;
};

/* A file received by a route declared R_UPLOAD: streamed to a temporary
 * file as it arrives, never held whole in memory. */
struct upload {
    bool present;             /* a part named "file" with a file name arrived */
    const char *tmp_path;     /* the temporary file; removed after the request
                                 unless the handler renamed it away */
    const char *file_name;    /* as the client sent it (UTF-8, untrusted) */
    const char *content_type; /* as the client sent it (untrusted) */
    uint64_t size;
    char sha256[65];          /* hex digest of the content */
};

typedef struct request request;
typedef struct response response;

struct request {
    arena *a;
    void *conn; /* the server's connection, for header lookups */
    http_method method;
    const char *path;
    lang_t lang;
    bool lang_from_query; /* ?lang= was given: remember it in a cookie */
    const char *param_names[MAX_ROUTE_PARAMS];
    const char *params[MAX_ROUTE_PARAMS];
    int nparams;
    struct user user;          /* id 0: nobody signed in */
    bool via_token;            /* authenticated by an API bearer token */
    const char *csrf;          /* this visitor's CSRF token, NULL until one exists */
    const char *body;
    size_t body_len;
    struct form_raw raw;       /* parsed body, for form_validate */
    struct form_values form;   /* the route's declared fields, validated */
    struct form_raw query_raw; /* query arguments, for req_query_form */
    struct upload upload;      /* R_UPLOAD routes */
    const struct route *route;
    bool secure;               /* the public address is https: cookies are Secure */
};

struct header {
    const char *name, *value;
};

struct response {
    int status;
    const char *content_type;
    const char *body;
    size_t len;
    struct header headers[MAX_RESPONSE_HEADERS];
    int nheaders;
    bool no_store; /* private data: never cached by browsers or proxies */
    /* A file answer (downloads): sent from the descriptor, which the server
     * closes when done.  body is then unused. */
    bool has_file;
    int file_fd;
    uint64_t file_offset, file_length;
};

typedef void (*handler_fn)(request *req, response *res);

/* Route flags. */
enum {
    R_CACHE = 1,   /* public page kept rendered in memory (see page_cache) */
    R_NO_CSRF = 2, /* a POST anyone may send without a session's CSRF token (checking a
                      certificate); requests with a bearer token skip the check anyway */
    R_API = 4,     /* errors as JSON, 401 instead of a sign-in redirect; bearer tokens are
                      accepted on every route (see authenticate), not only these */
    R_UPLOAD = 8,  /* multipart body with a file, streamed to disk (see upload.c) */
    R_SMALL_UPLOAD = 16, /* with R_UPLOAD: at most SMALL_UPLOAD_MAX, whatever max_upload says
                            (a file anyone may send to be checked, never kept) */
};
#define SMALL_UPLOAD_MAX (5u * 1024 * 1024)

struct route {
    http_method method;
    const char *pattern; /* "/events/{slug}/courses/{course}"; a parameter named
                            {token} is a secret, masked in the access log */
    handler_fn handler;
    access_level access;
    const struct form_spec *form; /* declared body fields, or NULL */
    int flags;
};

/* Lookups into the request (server.c). */
const char *req_header(const request *req, const char *name);
const char *req_cookie(const request *req, const char *name);
const char *req_query(const request *req, const char *name);
const char *req_param(const request *req, const char *name);

/* The client's IP address as text. */
const char *req_client_address(request *req);
/* Every query argument as given, in order (names and values decoded). */
const struct form_raw *req_query_all(request *req);
/* Validates the query string against declared fields, as forms are. */
void req_query_form(request *req, const struct form_spec *spec, struct form_values *out);

/* Response helpers (response.c).  Header names and values are kept by
 * pointer until the response is sent, after the handler returns: they must
 * be literals or live in the request's arena, never in a local buffer. */
void res_header(response *res, const char *name, const char *value);
void res_text(response *res, int status, const char *content_type, const char *body, size_t len);
/* A 303 to location, copied into the request's arena (so it may come from
 * a local buffer). */
void res_redirect(request *req, response *res, const char *location);
/* Answers with a whole file, sent from its descriptor.  With unlink_after,
 * the file is removed at once (the open descriptor keeps it readable).
 * False when it cannot be opened. */
bool res_file(response *res, const char *path, const char *content_type, bool unlink_after);
void res_json(request *req, response *res, int status, json_t *data);
void res_set_cookie(request *req, response *res, const char *name, const char *value,
                    int max_age_seconds, bool http_only);
/* This visitor's CSRF token for a form, creating it (and its cookie) on
 * first use. */
const char *csrf_token(request *req, response *res);

#endif
