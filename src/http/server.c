/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The HTTP server's pipeline: it dispatches requests to their handlers and
 * assembles the responses (security headers, compression, ETags, the page
 * cache, the access log).  The deadlines of headers and bodies and the
 * admission of a body before it is read are in server_admit.c. */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "../base/escape.h"
#include "../base/log.h"
#include "page_cache.h"
#include "proxies.h"
#include "upload.h"
#include "router.h"
#include "server_admit.h"

static const struct server_config *config;
static const struct server_app *app;

/* libmicrohttpd's messages (one per refused connection, among others), at
 * most a few a second so that a flood cannot fill the log. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static time_t second;
    static unsigned printed, dropped;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = '\0';
    pthread_mutex_lock(&lock);
    time_t now = time(NULL);
    unsigned was_dropped = 0;
    if (now != second) {
        second = now;
        printed = 0;
        was_dropped = dropped;
        dropped = 0;
    }
    bool print = printed < 5;
    if (print)
        printed++;
    else
        dropped++;
    pthread_mutex_unlock(&lock);
    if (was_dropped)
        log_info("libmicrohttpd: %u more messages not shown", was_dropped);
    if (print)
        log_info("libmicrohttpd: %s", msg);
}

/* ---- lookups ---- */

const char *req_header(const request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(const request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

const char *req_query(const request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_param(const request *req, const char *name)
{
    for (int i = 0; i < req->nparams; i++)
        if (strcmp(req->param_names[i], name) == 0)
            return req->params[i];
    return NULL;
}

static enum MHD_Result last_value(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    (void)kind;
    if (strcasecmp(key, "X-Forwarded-For") == 0)
        *(const char **)cls = value;
    return MHD_YES;
}

/* The peer's address, or the client's as told by a trusted proxy (the last
 * X-Forwarded-For header, which is the one the nearest proxy wrote). */
const char *req_client_address(request *req)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char *buf = arena_alloc(req->a, INET6_ADDRSTRLEN);
    if (!ci || !ci->client_addr || !buf)
        return "unknown";
    const char *xff = NULL;
    MHD_get_connection_values(req->conn, MHD_HEADER_KIND, last_value, &xff);
    if (!proxies_client(ci->client_addr, xff, buf, INET6_ADDRSTRLEN))
        return "unknown";
    return buf;
}

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    (void)kind;
    request *req = cls;
    struct form_raw *raw = &req->query_raw;
    if (raw->n >= FORM_MAX_PAIRS)
        return MHD_NO;
    if (raw->n % 16 == 0) {
        struct form_pair *np = arena_alloc(req->a, (raw->n + 16) * sizeof *np);
        if (!np)
            return MHD_NO;
        if (raw->n)
            memcpy(np, raw->pairs, raw->n * sizeof *np);
        raw->pairs = np;
    }
    const char *v = value ? value : "";
    raw->pairs[raw->n++] = (struct form_pair){.name = key, .value = v, .len = strlen(v)};
    return MHD_YES;
}

const struct form_raw *req_query_all(request *req)
{
    req->query_raw.n = 0;
    if (req->conn)
        MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, collect_arg, req);
    return &req->query_raw;
}

void req_query_form(request *req, const struct form_spec *spec, struct form_values *out)
{
    req->query_raw.n = 0;
    MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, collect_arg, req);
    form_validate(req->a, spec, &req->query_raw, out);
}

/* ---- response assembly ---- */

static const char *CSP =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

static void security_headers(struct MHD_Response *r)
{
    MHD_add_response_header(r, "Content-Security-Policy", CSP);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
}

static bool compressible(const char *ct)
{
    return ct && (strncmp(ct, "text/", 5) == 0 || strncmp(ct, "application/json", 16) == 0 ||
                  strncmp(ct, "application/javascript", 22) == 0 ||
                  strncmp(ct, "image/svg", 9) == 0);
}

static bool accepts_gzip(const request *req)
{
    const char *ae = req_header(req, MHD_HTTP_HEADER_ACCEPT_ENCODING);
    return ae && strstr(ae, "gzip") && !strstr(ae, "gzip;q=0");
}

/* gzip of body into a malloc'd buffer (the caller frees), or NULL. */
static char *gzip_body(const char *body, size_t len, size_t *outlen)
{
    z_stream z = {0};
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    size_t cap = deflateBound(&z, len);
    char *out = malloc(cap);
    if (!out) {
        deflateEnd(&z);
        return NULL;
    }
    z.next_in = (Bytef *)body;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    *outlen = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

static void etag_of(const char *body, size_t len, char out[24])
{
    unsigned char h[8];
    crypto_generichash(h, sizeof h, (const unsigned char *)body, len, NULL, 0);
    out[0] = '"';
    sodium_bin2hex(out + 1, 17, h, sizeof h);
    out[17] = '"';
    out[18] = '\0';
}

static struct MHD_Response *make_response(const response *res, const char *body, size_t len,
                                          enum MHD_ResponseMemoryMode mode)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, mode);
    if (!r)
        return NULL;
    security_headers(r);
    if (res->content_type)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, res->content_type);
    for (int i = 0; i < res->nheaders; i++)
        MHD_add_response_header(r, res->headers[i].name, res->headers[i].value);
    return r;
}

/* Sends res; for cacheable pages also stores it in the page cache. */
void send_response(struct conn_ctx *c, const char *cache_key)
{
    request *req = &c->req;
    response *res = &c->res;
    if (res->has_file) {
        /* Downloads go straight from the file (sendfile where possible);
         * libmicrohttpd closes the descriptor when done. */
        struct MHD_Response *r = MHD_create_response_from_fd_at_offset64(
            res->file_length, res->file_fd, res->file_offset);
        if (!r) {
            close(res->file_fd);
            return;
        }
        security_headers(r);
        if (res->content_type)
            MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, res->content_type);
        for (int i = 0; i < res->nheaders; i++)
            MHD_add_response_header(r, res->headers[i].name, res->headers[i].value);
        MHD_queue_response(req->conn, (unsigned)res->status, r);
        MHD_destroy_response(r);
        c->status = res->status;
        c->bytes = (size_t)res->file_length;
        return;
    }
    const char *body = res->body ? res->body : "";
    size_t len = res->body ? res->len : 0;
    /* A strong ETag per representation: the gzip copy's differs from the
     * plain one's (RFC 9110 8.8.3); If-None-Match is matched on the hash
     * both share. */
    char etag[24] = "", gz_etag[28] = "", hash[17] = "";
    bool get_ok = (req->method == HTTP_GET || req->method == HTTP_HEAD) && res->status == 200;
    bool want_gz = compressible(res->content_type) && len > 512;

    if (res->no_store)
        res_header(res, "Cache-Control", "no-store");
    if (get_ok && !res->no_store) {
        etag_of(body, len, etag);
        memcpy(hash, etag + 1, 16);
        snprintf(gz_etag, sizeof gz_etag, "\"%s-gz\"", hash);
        const char *inm = req_header(req, MHD_HTTP_HEADER_IF_NONE_MATCH);
        if (inm && strstr(inm, hash)) {
            /* A 304 still carries the response's own headers, such as the
             * language cookie chosen with ?lang=. */
            response r304 = {.status = 304};
            for (int i = 0; i < res->nheaders; i++)
                res_header(&r304, res->headers[i].name, res->headers[i].value);
            res_header(&r304, MHD_HTTP_HEADER_ETAG, want_gz && accepts_gzip(req) ? gz_etag : etag);
            struct MHD_Response *r = make_response(&r304, "", 0, MHD_RESPMEM_PERSISTENT);
            MHD_queue_response(req->conn, 304, r);
            MHD_destroy_response(r);
            c->status = 304;
            return;
        }
    }

    size_t gzlen = 0;
    char *gz = NULL;
    if (want_gz) {
        /* Pages also depend on the language, which comes from the query,
         * the lang cookie or Accept-Language. */
        res_header(res, MHD_HTTP_HEADER_VARY,
                   res->content_type && strncmp(res->content_type, "text/html", 9) == 0
                       ? "Accept-Encoding, Accept-Language, Cookie"
                       : "Accept-Encoding");
        if (accepts_gzip(req) || cache_key)
            gz = gzip_body(body, len, &gzlen);
    }

    if (cache_key) {
        /* Kept responses outlive the request: their bytes are copied. */
        struct cached_page page = {0};
        page.plain = make_response(res, body, len, MHD_RESPMEM_MUST_COPY);
        page.plain_len = len;
        if (page.plain && *etag)
            MHD_add_response_header(page.plain, MHD_HTTP_HEADER_ETAG, etag);
        if (gz) {
            page.gzip = make_response(res, gz, gzlen, MHD_RESPMEM_MUST_COPY);
            page.gzip_len = gzlen;
            if (page.gzip) {
                MHD_add_response_header(page.gzip, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
                if (*etag)
                    MHD_add_response_header(page.gzip, MHD_HTTP_HEADER_ETAG, gz_etag);
            }
        }
        memcpy(page.etag, hash, sizeof hash);
        free(gz);
        if (!page.plain)
            return;
        bool use_gz = page.gzip && accepts_gzip(req);
        MHD_queue_response(req->conn, 200, use_gz ? page.gzip : page.plain);
        c->bytes = use_gz ? page.gzip_len : len;
        c->status = 200;
        page.gen = c->cache_gen;
        page_cache_put(cache_key, &page);
        return;
    }

    struct MHD_Response *r;
    if (gz && accepts_gzip(req)) {
        r = make_response(res, gz, gzlen, MHD_RESPMEM_MUST_FREE);
        if (r) {
            MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
            if (*etag)
                MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, gz_etag);
        } else {
            free(gz);
        }
        c->bytes = gzlen;
    } else {
        free(gz);
        /* The body lives in the request's arena, which is released only
         * after the response has been sent (request_completed). */
        r = make_response(res, body, len, MHD_RESPMEM_PERSISTENT);
        if (r && *etag)
            MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
        c->bytes = len;
    }
    if (!r)
        return;
    MHD_queue_response(req->conn, (unsigned)res->status, r);
    MHD_destroy_response(r);
    c->status = res->status;
}

/* ---- the request pipeline ---- */

static http_method method_of(const char *m)
{
    if (strcmp(m, "GET") == 0) return HTTP_GET;
    if (strcmp(m, "HEAD") == 0) return HTTP_HEAD;
    if (strcmp(m, "POST") == 0) return HTTP_POST;
    if (strcmp(m, "PUT") == 0) return HTTP_PUT;
    if (strcmp(m, "DELETE") == 0) return HTTP_DELETE;
    return HTTP_OTHER;
}

void pick_language(request *req)
{
    int l = lang_parse(req_query(req, "lang"));
    if (l >= 0) {
        req->lang = (lang_t)l;
        req->lang_from_query = true;
        return;
    }
    l = lang_parse(req_cookie(req, "lang"));
    if (l >= 0) {
        req->lang = (lang_t)l;
        return;
    }
    req->lang = lang_from_accept(req_header(req, MHD_HTTP_HEADER_ACCEPT_LANGUAGE), LANG_ES);
}

static bool csrf_token_ok(const char *s)
{
    if (!s || strlen(s) != 43)
        return false;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
              (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
            return false;
    return true;
}

/* Double-submit CSRF protection: every visitor who is shown a form carries
 * a random token in a SameSite cookie, every form repeats it in a hidden
 * field, and a POST is accepted only when the two agree.  The cookie is
 * set only when a page asks for a token (csrf_token), so plain pages and
 * cached ones carry no cookie. */
void read_csrf(request *req)
{
    const char *cookie = req_cookie(req, "aula_csrf");
    req->csrf = csrf_token_ok(cookie) ? arena_strdup(req->a, cookie) : NULL;
}

const char *csrf_token(request *req, response *res)
{
    if (req->csrf)
        return req->csrf;
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    char *tok = arena_alloc(req->a, 64);
    if (!tok)
        return "";
    sodium_bin2base64(tok, 64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    req->csrf = tok;
    res_set_cookie(req, res, "aula_csrf", tok, 0, true);
    return tok;
}

static bool parse_body(request *req)
{
    req->raw.n = 0;
    if (!req->body_len)
        return true;
    const char *ct = req_header(req, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (ct && strncasecmp(ct, "multipart/form-data", 19) == 0)
        return form_parse_multipart(req->a, ct, req->body, req->body_len, &req->raw);
    if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0)
        return form_parse_urlencoded(req->a, req->body, req->body_len, &req->raw);
    return true; /* JSON and other bodies are read by their handlers */
}

/* Whether the visitor may use route; otherwise res holds the refusal: a
 * sign-in redirect, 401 for the API, 403 for too low a role. */
bool access_allowed(request *req, response *res, const struct route *route)
{
    if (route->access <= ACCESS_PUBLIC)
        return true;
    if (req->user.id == 0) {
        if (route->flags & R_API) {
            app->error_page(req, res, 401, "error.unauthorised");
        } else {
            strbuf loc;
            sb_init(&loc, req->a);
            sb_puts(&loc, "/login?next=");
            esc_url_component(&loc, req->path);
            res_redirect(req, res, sb_str(&loc));
        }
        return false;
    }
    if ((int)req->user.role < (int)route->access) {
        app->error_page(req, res, 403, "error.forbidden");
        return false;
    }
    return true;
}

static void dispatch(struct conn_ctx *c)
{
    request *req = &c->req;
    response *res = &c->res;
    res->status = 200;
    pick_language(req);
    if (app->take_backend_failure && !c->checked)
        app->take_backend_failure(); /* what earlier requests of this thread left */

    const struct route *route = NULL;
    enum route_match m = router_match(app->routes, app->nroutes, req->method, req->path,
                                      req, &route);
    if (m == MATCH_NONE) {
        app->error_page(req, res, 404, "error.not_found");
        return;
    }
    if (m == MATCH_WRONG_METHOD) {
        app->error_page(req, res, 405, "error.method");
        return;
    }
    req->route = route;

    /* Public pages without query strings (other than lang) come from the
     * page cache when they have been rendered before. */
    const char *cache_key = NULL;
    if ((route->flags & R_CACHE) && req->method != HTTP_POST) {
        cache_key = arena_printf(req->a, "%s|%s", req->path, lang_code(req->lang));
        int n = MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, NULL, NULL);
        if (n > (req->lang_from_query ? 1 : 0))
            cache_key = NULL;
        if (req->lang_from_query)
            cache_key = NULL; /* the answer must also set the language cookie */
        const char *accept = req_header(req, MHD_HTTP_HEADER_ACCEPT);
        if (accept && strncmp(accept, "application/json", 16) == 0)
            cache_key = NULL; /* the same data as JSON is not the cached page */
        /* Read before rendering: a change committed after this read makes the
           page stored below stale at once, whenever the render read its data. */
        if (cache_key && (!app->page_generation || !app->page_generation(&c->cache_gen)))
            cache_key = NULL;
        if (cache_key) {
            int st = page_cache_serve(cache_key, c->cache_gen, req->conn, accepts_gzip(req),
                                      req_header(req, MHD_HTTP_HEADER_IF_NONE_MATCH), &c->bytes);
            if (st) {
                c->status = st;
                res->status = -1; /* already sent */
                return;
            }
        }
    }
    if (req->lang_from_query)
        res_set_cookie(req, res, "lang", lang_code(req->lang), 365 * 24 * 3600, true);

    if (!cache_key && !c->checked) {
        read_csrf(req);
        app->authenticate(req);
    }

    if (!c->checked && !access_allowed(req, res, route))
        return;

    if (req->method == HTTP_POST) {
        if (!(route->flags & R_UPLOAD) && !parse_body(req)) {
            app->error_page(req, res, 400, "error.malformed_body");
            return;
        }
        if (!(route->flags & R_NO_CSRF) && !req->via_token) {
            const char *sent = form_raw_get(&req->raw, "csrf");
            if (!sent || !req->csrf || strcmp(sent, req->csrf) != 0) {
                app->error_page(req, res, 403, "error.csrf");
                return;
            }
        }
        if (route->form)
            form_validate(req->a, route->form, &req->raw, &req->form);
    }
    route->handler(req, res);
    if (arena_exhausted(req->a)) {
        res->nheaders = 0;
        app->error_page(req, res, 503, "error.too_much");
    } else if (app->take_backend_failure &&
               (app->take_backend_failure() || c->backend_failed)) {
        /* A read that failed looks like "no rows": never show that page. */
        res->nheaders = 0;
        app->error_page(req, res, 503, "error.busy");
        res_header(res, "Retry-After", "5");
    }
    if (cache_key && res->status == 200)
        send_response(c, cache_key), res->status = -1;
}

/* Answers now, before the body is read.  libmicrohttpd then closes the
 * connection instead of reading the body it did not want. */
void answer_early(struct conn_ctx *c, int status, const char *key)
{
    c->res.status = status;
    app->error_page(&c->req, &c->res, status, key);
    if (status == 503)
        res_header(&c->res, "Retry-After", "5");
    send_response(c, NULL);
    c->answered = true;
}

static void finish_upload(struct conn_ctx *c)
{
    switch (upload_finish(c->upload, &c->req)) {
    case UPLOAD_OK:
        c->req.body = "";
        dispatch(c);
        if (c->res.status > 0)
            send_response(c, NULL);
        break;
    case UPLOAD_TOO_LARGE:
        answer_early(c, 413, "error.upload_too_large");
        break;
    case UPLOAD_MALFORMED:
        answer_early(c, 400, "error.malformed_body");
        break;
    case UPLOAD_IO_ERROR:
        answer_early(c, 503, "error.busy");
        break;
    }
    upload_release(c->upload);
    c->upload = NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)cls;
    (void)version;
    struct conn_ctx *c = *con_cls;
    if (!c) {
        /* The header is complete: its deadline no longer applies. */
        watch_set(conn, 0);
        c = calloc(1, sizeof *c);
        if (!c)
            return MHD_NO;
        c->req.a = arena_new(config->arena_limit);
        if (!c->req.a) {
            free(c);
            return MHD_NO;
        }
        clock_gettime(CLOCK_MONOTONIC, &c->started);
        c->req.conn = conn;
        /* Cookies are Secure when the public address is https (it can
         * change while the server runs: the console sets it). */
        c->req.secure = app->origin && strncmp(app->origin(), "https:", 6) == 0;
        c->req.method = method_of(method);
        snprintf(c->method, sizeof c->method, "%s", method);
        c->req.path = arena_strdup(c->req.a, url);
        *con_cls = c;
        uint64_t length;
        bool known;
        if (c->req.path && announces_body(conn, &length, &known))
            admit_body(c, length, known);
        return MHD_YES;
    }
    arena_set_current(c->req.a);
    if (c->answered) {
        *upload_data_size = 0; /* refused already: drain */
        arena_set_current(NULL);
        return MHD_YES;
    }
    if (c->upload) {
        if (*upload_data_size) {
            upload_feed(c->upload, upload_data, *upload_data_size);
            *upload_data_size = 0;
            arena_set_current(NULL);
            return MHD_YES;
        }
        finish_upload(c);
        arena_set_current(NULL);
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!c->refuse && (c->refuse = body_append(c, upload_data, *upload_data_size)))
            body_drop(c);
        *upload_data_size = 0;
        arena_set_current(NULL);
        return MHD_YES;
    }
    watch_set(conn, 0); /* the whole body is in */
    c->req.body = c->body ? c->body : "";
    if (c->refuse) {
        pick_language(&c->req);
        c->res.status = c->refuse;
        app->error_page(&c->req, &c->res, c->refuse,
                        c->refuse == 413 ? "error.too_large" : "error.busy");
        if (c->refuse == 503)
            res_header(&c->res, "Retry-After", "5");
    } else {
        dispatch(c);
    }
    if (c->res.status > 0)
        send_response(c, NULL);
    arena_set_current(NULL);
    return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    struct conn_ctx *c = *con_cls;
    /* The connection may carry another request: its header is now due. */
    if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
        watch_set(conn, header_deadline());
    if (!c)
        return;
    if (!config->quiet) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        double ms = (double)(now.tv_sec - c->started.tv_sec) * 1e3 +
                    (double)(now.tv_nsec - c->started.tv_nsec) / 1e6;
        char path[512];
        router_mask_secrets(app->routes, app->nroutes, c->req.path, path, sizeof path);
        log_access(c->method, path, c->status, c->bytes, ms);
    }
    upload_release(c->upload); /* an interrupted upload leaves nothing */
    free(c->body);
    budget_give(c->reserved);
    arena_free(c->req.a);
    free(c);
    *con_cls = NULL;
}

/* Binds the listening socket ourselves so that a taken port or a bad
 * address gives one clear line. */
static int open_listener(const char *addr, int port, int *bound_port)
{
    struct sockaddr_storage ss = {0};
    socklen_t sl;
    int family;
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, addr, &v4->sin_addr) == 1) {
        family = AF_INET;
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        sl = sizeof *v4;
    } else if (inet_pton(AF_INET6, addr, &v6->sin6_addr) == 1) {
        family = AF_INET6;
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        sl = sizeof *v6;
    } else {
        log_error("cannot listen on \"%s\": not an IP address", addr);
        return -1;
    }
    int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        log_error("cannot create a socket: %s", strerror(errno));
        return -1;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&ss, sl) != 0) {
        log_error("cannot listen on %s:%d: %s", addr, port,
                  errno == EADDRINUSE ? "the port is already in use" : strerror(errno));
        close(fd);
        return -1;
    }
    if (listen(fd, 512) != 0) {
        log_error("cannot listen on %s:%d: %s", addr, port, strerror(errno));
        close(fd);
        return -1;
    }
    getsockname(fd, (struct sockaddr *)&ss, &sl);
    *bound_port = ntohs(family == AF_INET ? v4->sin_port : v6->sin6_port);
    return fd;
}

/* Each connection is a descriptor: make sure the limit on open files
 * lets max_connections through, as far as the hard limit allows. */
static void raise_file_limit(unsigned max_connections)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return;
    rlim_t want = (rlim_t)max_connections + 256; /* database, files, mail */
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        if (rl.rlim_cur < want)
            log_info("open files are limited to %llu (ulimit -n): fewer than %u connections "
                     "can be open at once",
                     (unsigned long long)rl.rlim_cur, max_connections);
    }
}

int server_run(const struct server_config *cfg, const struct server_app *application)
{
    config = cfg;
    app = application;
    admission_configure(cfg, application);
    if (!proxies_configure(cfg->trusted_proxies)) {
        fprintf(stderr, "aula: trusted_proxies: expected addresses such as 127.0.0.1, ::1\n");
        return 1;
    }
    int port = 0;
    int fd = open_listener(cfg->listen_addr, cfg->port, &port);
    if (fd < 0)
        return 1;
    /* The address it listens on, the last resort for links (the public
     * address, when configured, wins: see app_origin). */
    char origin[128];
    if (strchr(cfg->listen_addr, ':'))
        snprintf(origin, sizeof origin, "http://[%s]:%d", cfg->listen_addr, port);
    else
        snprintf(origin, sizeof origin, "http://%s:%d",
                 strcmp(cfg->listen_addr, "127.0.0.1") == 0 ? "localhost" : cfg->listen_addr,
                 port);

    /* Workers inherit this mask, so the signals reach only sigwait below. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (app->start)
        app->start(origin);
    raise_file_limit(cfg->max_connections);
    if (cfg->bodies_in_flight <= cfg->max_body)
        log_info("bodies_in_flight is not above max_body: the largest bodies will be refused");
    page_cache_init();
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0, NULL, NULL,
        on_request, NULL,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, /* first, so that it gets every message */
        MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, 60u,
        MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->connections_per_address,
        MHD_OPTION_END);
    if (!d) {
        log_error("cannot start the HTTP server on %s:%d", cfg->listen_addr, port);
        close(fd);
        return 1;
    }
    /* The listening line last, alone: scripts read the address from it. */
    if (cfg->origin && *cfg->origin && strcmp(cfg->origin, origin) != 0)
        printf("aula: public address %s\n", cfg->origin);
    printf("aula: listening on %s\n", origin);
    fflush(stdout);

    /* Wait for a signal, looking for overdue headers once a second. */
    int sig = 0;
    struct timespec tick = {.tv_sec = 1};
    while ((sig = sigtimedwait(&set, NULL, &tick)) < 0)
        sweep_late_headers();
    log_info("received %s: finishing requests in flight", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    /* Stop accepting first; the listening socket comes back to us to
     * close.  Stopping then waits for the requests in flight. */
    MHD_socket listener = MHD_quiesce_daemon(d);
    MHD_stop_daemon(d);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
    page_cache_shutdown();
    return 0;
}
