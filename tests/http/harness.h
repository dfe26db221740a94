/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Black-box test harness: runs the real aula binary (AULA_BIN) in a
 * temporary data directory and talks to it over real HTTP with libcurl. */
#ifndef AULA_TEST_HARNESS_H
#define AULA_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct served {
    pid_t pid;
    int port;
    char origin[64];
    char data[256];
};

struct http_response {
    long status;
    char *headers; /* all header lines, as received */
    char *body;
    size_t body_len;
};

/* A new empty temporary directory (path into buf). */
void temp_dir(char *buf, size_t n);
/* Removes a directory tree. */
void remove_tree(const char *path);
/* The source tree (AULA_SOURCE), for example files. */
const char *source_path(const char *rel, char *buf, size_t n);

/* Runs `aula ARGS...` (NULL-terminated) with stdin from input (may be
 * NULL); captures stdout+stderr into out (may be NULL).  Returns the exit
 * status, or -1 when it did not exit normally. */
int run_aula(const char *input, char *out, size_t outlen, ...);

/* Initialises a data dir with the SELA 2022 programme and an admin
 * (admin@example.org / admin-password-1), a trainer
 * (trainer@example.org / trainer-password-1) and a coordinator
 * (coordinator@example.org / coordinator-password-1). */
void prepare_demo(const char *data);

/* Starts `aula serve` on an ephemeral port; false when it did not report
 * its address within 10 seconds. */
bool serve_start(struct served *s, const char *data);
/* Sends SIGTERM and waits up to timeout_ms; returns the exit status, or
 * -1 when it did not exit in time (it is then killed). */
int serve_stop(struct served *s, int timeout_ms);

/* One HTTP request.  headers is a NULL-terminated list of "Name: value"
 * lines (may be NULL); body may be NULL.  Redirects are not followed. */
bool http(const char *method, const char *url, const char *const *headers, const char *body,
          size_t body_len, struct http_response *r);
void http_free(struct http_response *r);
/* The value of header name in r (case-insensitive), copied into buf. */
bool header_value(const struct http_response *r, const char *name, char *buf, size_t n);
/* The value of cookie name set by r ("Set-Cookie: name=value; ..."). */
bool set_cookie_value(const struct http_response *r, const char *name, char *buf, size_t n);

/* GETs /login to obtain a CSRF cookie: cookie gets "aula_csrf=...", token the value. */
bool csrf_pair(const struct served *s, char *cookie, size_t n, char *token, size_t tn);
/* Signs in with a password; cookies receives a whole "Cookie: ..." header
 * with the session and CSRF cookies, token the CSRF token. */
bool sign_in(const struct served *s, const char *email, const char *password, char *cookies,
             size_t n, char *token, size_t tn);
/* POSTs an urlencoded body with the given extra header (cookies). */
bool post_form(const struct served *s, const char *header, const char *path, const char *body,
               struct http_response *r);
/* A GET of path on s. */
bool get_path(const struct served *s, const char *path, const char *const *headers,
              struct http_response *r);

/* Runs SQL on the server's database file; the first column of the first
 * row goes to out (may be NULL). */
void db_query(const char *data_dir, const char *sql, char *out, size_t n);
/* Adds a participant registered for course (account, application,
 * enrolment) straight to the database. */
void add_registered_participant(const char *data_dir, const char *email, const char *course);
/* The path of the link (marker, e.g. "/login/" or "/j/", and the token
 * after it) in the last message of kind to email, as delivered: read from
 * DATA/mail/ID.eml, waiting up to 10 s for the server's delivery workers
 * (the outbox itself holds only the masked text). */
bool mail_link(const char *data_dir, const char *email, const char *kind, const char *marker,
               char *path, size_t n);
/* Opens a sign-in link (GET: a page with a button) and presses the button
 * (POST with the CSRF token; cookie is "aula_csrf=..."); true with the new
 * session in session when it signed in.  r holds the last response; the
 * caller frees it. */
bool use_signin_link(const struct served *s, const char *path, const char *cookie,
                     const char *token, char *session, size_t sn, struct http_response *r);
/* Signs in by the emailed link (read from the delivered mail); cookies receives a
 * whole "Cookie: ..." header, token the CSRF token. */
bool sign_in_by_link(const struct served *s, const char *data_dir, const char *email,
                     char *cookies, size_t n, char *token, size_t tn);

/* The confirmation form of a bulk action's preview page (the form with
 * class "bulk-confirm"): its action into action, its fields (with csrf)
 * urlencoded into body.  False when the page has none. */
bool confirm_form(const char *html, char *action, size_t an, char *body, size_t bn);
/* POSTs body to path (a bulk action's first step), then submits the
 * confirmation the preview shows; r is the confirmation's response (or the
 * preview's when it has no confirmation form; false then). */
bool post_confirmed(const struct served *s, const char *header, const char *path,
                    const char *body, struct http_response *r);

/* The setup most groups of tests share: libcurl started, a new temporary
 * data directory with the demo in it (prepare_demo). */
void demo_setup(char *data_dir, size_t n);
/* And its end: the server stopped, the directory removed, libcurl cleaned
 * up.  Returns the server's exit status (serve_stop). */
int demo_teardown(struct served *s, const char *data_dir);
/* Signs in as the demo's administrator (sign_in). */
bool sign_in_admin(const struct served *s, char *cookies, size_t n, char *token, size_t tn);
/* The number the query sql answers with (its first column), 0 for none. */
long db_count(const char *data_dir, const char *sql);
/* The id of the day date (YYYY-MM-DD) of course, 0 when it has none. */
long db_course_day(const char *data_dir, const char *course, const char *date);

#endif
