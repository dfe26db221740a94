/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Signing in and out, and finding who is signed in.
 *
 * Staff sign in with a password (Argon2id, libsodium) and never by link;
 * participants by a single-use emailed link.  The browser holds a
 * random 256-bit session token in an HttpOnly cookie and the database only
 * its SHA-256.  API clients send "Authorization: Bearer TOKEN" instead. */
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "../base/digest.h"
#include "../domain/signin_link.h"
#include "../http/local_path.h"
#include "../http/rate_limit.h"
#include "../store/account_store.h"
#include "../store/application_store.h"
#include "../app/app.h"
#include "auth.h"
#include "messages.h"
#include "render.h"
#include "programme_view.h"

enum { SESSION_SECONDS = 12 * 3600, LINK_SECONDS = SIGNIN_LINK_SECONDS };

static const struct field_spec login_fields[] = {
    {.name = "email", .v = V_EMAIL, .required = true, .max_len = 254},
    {.name = "password", .v = V_PASSWORD, .max_len = 200},
    {.name = "next", .v = V_LINE, .max_len = 500},
};
const struct form_spec login_form = FORM_SPEC(login_fields);

static role_t role_of(const char *s)
{
    if (!s)
        return ROLE_NONE;
    if (strcmp(s, "admin") == 0) return ROLE_ADMIN;
    if (strcmp(s, "coordinator") == 0) return ROLE_COORDINATOR;
    if (strcmp(s, "trainer") == 0) return ROLE_TRAINER;
    if (strcmp(s, "participant") == 0) return ROLE_PARTICIPANT;
    return ROLE_NONE;
}

void authenticate(request *req)
{
    struct account acc;
    const char *auth = req_header(req, "Authorization");
    if (auth && strncmp(auth, "Bearer ", 7) == 0 && strlen(auth + 7) < 200) {
        if (api_token_account(req->a, sha256_hex(req->a, auth + 7), &acc)) {
            req->user = (struct user){acc.id, acc.email, role_of(acc.role)};
            req->via_token = true;
        }
        return;
    }
    const char *tok = req_cookie(req, "aula_session");
    if (tok && strlen(tok) < 200 && session_account(req->a, sha256_hex(req->a, tok), &acc))
        req->user = (struct user){acc.id, acc.email, role_of(acc.role)};
}

static bool start_session(request *req, response *res, int64_t account_id, const char *email)
{
    unsigned char raw[32];
    char token[64];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(token, sizeof token, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    if (!session_create(account_id, sha256_hex(req->a, token), SESSION_SECONDS))
        return false;
    audit(email, "session.start", email, NULL);
    res_set_cookie(req, res, "aula_session", arena_strdup(req->a, token), SESSION_SECONDS, true);
    return true;
}

static void show_form(request *req, response *res, int status, const char *email,
                      const char *next, const char *error_key)
{
    json_t *data = json_object();
    json_object_set_new(data, "page_title", bilingual_tr("login.title"));
    json_object_set_new(data, "email", json_string(email ? email : ""));
    json_object_set_new(data, "next", json_string(next ? next : ""));
    json_object_set_new(data, "csrf", json_string(csrf_token(req, res)));
    if (error_key)
        json_object_set_new(data, "error", bilingual_tr(error_key));
    res_page(req, res, status, "login", data);
    res->no_store = true;
}

void page_login_form(request *req, response *res)
{
    const char *next = req_query(req, "next");
    show_form(req, res, 200, "", next && strlen(next) < 500 ? next : "", NULL);
}

static bool is_staff(const struct account *acc)
{
    return strcmp(acc->role, "participant") != 0;
}

/* Limits on signing in.  Failures are counted per client and per account
 * separately, so that one client's failures can never keep the right
 * password from another client out:
 *  - a client (address) may fail or ask for links 30 times an hour;
 *  - a client may fail 5 times in 15 minutes on one account;
 *  - an account with 10 failures in 15 minutes, from however many clients,
 *    is slowed (1, 2, 4 ... up to 30 s between tries), never locked.
 * One client alone stays under the account's threshold, so only a spread
 * guessing attack slows an account, and then only by seconds. */
enum {
    CLIENT_LIMIT = 30, CLIENT_WINDOW = 3600,
    PAIR_LIMIT = 5, PAIR_WINDOW = 900,
    ACCOUNT_FREE = 10, ACCOUNT_WINDOW = 900, ACCOUNT_MAX_WAIT = 30,
    LINK_LIMIT = 5, LINK_WINDOW = 900,
};

static void refuse(request *req, response *res, int seconds, const char *email, const char *next)
{
    res_header(res, "Retry-After", arena_printf(req->a, "%d", seconds));
    show_form(req, res, 429, email, next, "error.rate_limited");
}

/* With a password: staff (and participants who have one) sign in at once.
 * Without: participants get a single-use link valid for 30 minutes, staff
 * a note to use their password; the page says the same whether or not the
 * address is known, so it tells nobody who has an account. */
void page_login(request *req, response *res)
{
    const struct form_values *f = &req->form;
    const char *email = form_str(f, "email");
    const char *next = form_str(f, "next");
    if (!f->ok) {
        show_form(req, res, 422, email, next, "login.incomplete");
        return;
    }
    time_t now = time(NULL);
    const char *pw = form_str(f, "password");
    const char *client = req_client_address(req);
    /* The limiter folds case, as accounts are found case-insensitively. */
    const char *client_key = arena_printf(req->a, "login-client:%s", client);
    const char *pair_key = arena_printf(req->a, "login-pair:%s|%s", client, email);
    const char *account_key = arena_printf(req->a, "login-account:%s", email);
    const char *link_key = arena_printf(req->a, "login-link:%s", email);
    if (!rate_peek(client_key, CLIENT_LIMIT, CLIENT_WINDOW, now)) {
        refuse(req, res, CLIENT_WINDOW, email, next);
        return;
    }
    struct account acc;
    if (!*pw) {
        /* Links asked for count against the client and the address (no
         * flooding of an inbox), never against signing in with a password. */
        if (!rate_allow(link_key, LINK_LIMIT, LINK_WINDOW, now)) {
            refuse(req, res, LINK_WINDOW, email, next);
            return;
        }
        rate_allow(client_key, CLIENT_LIMIT, CLIENT_WINDOW, now);
        if (account_by_email(req->a, email, &acc)) {
            bool ok;
            if (is_staff(&acc)) {
                /* Staff sign in with their password only: no link exists
                 * that someone reading a mailbox or the outbox could use. */
                ok = signin_staff_notice(aula_message, req,
                                         json_pack("{s:s, s:s, s:s}", "email", acc.email,
                                                   "language", lang_code(req->lang), "login_url",
                                                   arena_printf(req->a, "%s/login", app_origin())));
            } else {
                unsigned char raw[32];
                char token[64];
                randombytes_buf(raw, sizeof raw);
                sodium_bin2base64(token, sizeof token, raw, sizeof raw,
                                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
                /* "secret": the outbox keeps the token apart from the text. */
                json_t *extra = json_pack("{s:s, s:s, s:s, s:s}", "email", acc.email, "language",
                                          lang_code(req->lang), "link",
                                          arena_printf(req->a, "%s/login/%s", app_origin(), token),
                                          "secret", token);
                ok = signin_token_create(acc.id, sha256_hex(req->a, token), local_path_or(next, "/me"),
                                         LINK_SECONDS, aula_message, req, extra);
            }
            if (!ok) {
                res_error(req, res, 503, "error.busy");
                return;
            }
        }
        json_t *data = json_object();
        json_object_set_new(data, "page_title", bilingual_tr("login.sent_title"));
        json_object_set_new(data, "email", json_string(email));
        res_page(req, res, 200, "login_sent", data);
        res->no_store = true;
        return;
    }
    if (!rate_peek(pair_key, PAIR_LIMIT, PAIR_WINDOW, now)) {
        refuse(req, res, PAIR_WINDOW, email, next);
        return;
    }
    int wait = rate_backoff(account_key, ACCOUNT_FREE, ACCOUNT_WINDOW, ACCOUNT_MAX_WAIT, now);
    if (wait > 0) {
        refuse(req, res, wait, email, next);
        return;
    }
    bool found = account_by_email(req->a, email, &acc);
    /* Verify even when there is no such account, so that timing does not
     * tell which addresses exist. */
    static const char dummy[crypto_pwhash_STRBYTES] =
        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
        "9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ";
    bool has_pw = found && acc.password_hash;
    bool ok = crypto_pwhash_str_verify(has_pw ? acc.password_hash : dummy, pw, strlen(pw)) == 0;
    if (!has_pw || !ok) {
        rate_allow(client_key, CLIENT_LIMIT, CLIENT_WINDOW, now);
        rate_allow(pair_key, PAIR_LIMIT, PAIR_WINDOW, now);
        rate_record(account_key, ACCOUNT_WINDOW, now);
        show_form(req, res, 401, email, next, "login.wrong");
        return;
    }
    if (!start_session(req, res, acc.id, acc.email)) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    res_redirect(req, res, local_path_or(next, is_staff(&acc) ? "/admin" : "/me"));
}

/* Tokens are URL-safe base64 of 32 bytes; anything else is no token. */
static bool token_ok(const char *t)
{
    size_t n = t ? strlen(t) : 0;
    return n >= 16 && n < 100 && strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                           "0123456789-_") == n;
}

static void link_problem(request *req, response *res, enum signin_result r, const char *next)
{
    json_t *data = json_object();
    const char *key = r == SIGNIN_EXPIRED ? "login.link_expired"
                      : r == SIGNIN_USED  ? "login.link_used"
                      : r == SIGNIN_STAFF ? "login.link_staff"
                                          : "login.link_unknown";
    json_object_set_new(data, "page_title", bilingual_tr("login.link_problem"));
    json_object_set_new(data, "error", bilingual_tr(key));
    json_object_set_new(data, "csrf", json_string(csrf_token(req, res)));
    json_object_set_new(data, "next", json_string(next));
    json_object_set_new(data, "email", json_string(""));
    json_object_set_new(data, "link_problem", json_true());
    res_page(req, res, r == SIGNIN_UNKNOWN ? 404 : r == SIGNIN_STAFF ? 403 : 410, "login", data);
    res->no_store = true;
}

/* A sign-in link from an email opens a page with a button: only that POST
 * uses the link, so mail scanners that fetch links do not spend it. */
void page_login_link(request *req, response *res)
{
    const char *token = req_param(req, "token");
    char next[512] = "";
    enum signin_result r = token_ok(token) ? signin_token_peek(sha256_hex(req->a, token), next,
                                                               sizeof next)
                                           : SIGNIN_UNKNOWN;
    if (r != SIGNIN_OK) {
        link_problem(req, res, r, next);
        return;
    }
    json_t *data = json_object();
    json_object_set_new(data, "page_title", bilingual_tr("login.title"));
    json_object_set_new(data, "token", json_string(token));
    json_object_set_new(data, "csrf", json_string(csrf_token(req, res)));
    res_page(req, res, 200, "login_link", data);
    res->no_store = true;
}

/* The button: used once, within 30 minutes, by a participant only. */
void page_login_link_use(request *req, response *res)
{
    const char *token = req_param(req, "token");
    int64_t account_id = 0;
    char next[512] = "";
    enum signin_result r = token_ok(token)
        ? signin_token_consume(sha256_hex(req->a, token), &account_id, next, sizeof next)
        : SIGNIN_UNKNOWN;
    if (r != SIGNIN_OK) {
        link_problem(req, res, r, next);
        return;
    }
    if (!start_session(req, res, account_id, "link")) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    res_redirect(req, res, local_path_or(next, "/me"));
}

void page_logout(request *req, response *res)
{
    const char *tok = req_cookie(req, "aula_session");
    if (tok && strlen(tok) < 200)
        session_delete(sha256_hex(req->a, tok));
    res_set_cookie(req, res, "aula_session", "", -1, true);
    res_redirect(req, res, "/");
}
