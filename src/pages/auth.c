/* Signing in and out, and finding who is signed in.
 *
 * Staff sign in with a password (Argon2id, libsodium); the browser holds a
 * random 256-bit session token in an HttpOnly cookie and the database only
 * its SHA-256.  API clients send "Authorization: Bearer TOKEN" instead. */
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "../domain/signin_link.h"
#include "../http/rate_limit.h"
#include "../store/account_store.h"
#include "../store/application_store.h"
#include "pages.h"
#include "programme_view.h"

enum { SESSION_SECONDS = 12 * 3600, LINK_SECONDS = SIGNIN_LINK_SECONDS };

static const struct field_spec login_fields[] = {
    {.name = "email", .v = V_EMAIL, .required = true, .max_len = 254},
    {.name = "password", .v = V_PASSWORD, .max_len = 200},
    {.name = "next", .v = V_LINE, .max_len = 500},
};
const struct form_spec login_form = FORM_SPEC(login_fields);

static const char *sha256_hex(arena *a, const char *s)
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, (const unsigned char *)s, strlen(s));
    char *hex = arena_alloc(a, sizeof d * 2 + 1);
    if (hex)
        sodium_bin2hex(hex, sizeof d * 2 + 1, d, sizeof d);
    return hex;
}

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

/* Only paths on this site are followed after signing in. */
static const char *safe_next(const char *next, const char *fallback)
{
    if (next && next[0] == '/' && next[1] != '/' && next[1] != '\\' && !strchr(next, '\r') &&
        !strchr(next, '\n'))
        return next;
    return fallback;
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

/* With a password: staff sign in at once.  Without: a single-use link
 * valid for 30 minutes is queued to the address, and the page says the
 * same whether or not the address is known, so it tells nobody who has an
 * account. */
void page_login(request *req, response *res)
{
    const struct form_values *f = &req->form;
    const char *email = form_str(f, "email");
    const char *next = form_str(f, "next");
    if (!f->ok) {
        show_form(req, res, 422, email, next, "login.incomplete");
        return;
    }
    /* Per address: every attempt.  Per email: links asked for and wrong
     * passwords only, so staff who sign in often are never locked out,
     * while guessing a password or flooding an inbox is. */
    time_t now = time(NULL);
    const char *pw = form_str(f, "password");
    const char *email_key = arena_printf(req->a, "login-email:%s", email);
    if (!rate_allow(arena_printf(req->a, "login-ip:%s", req_client_address(req)), 30, 3600, now) ||
        (*pw ? !rate_peek(email_key, 5, 900, now) : !rate_allow(email_key, 5, 900, now))) {
        res_header(res, "Retry-After", "900");
        show_form(req, res, 429, email, next, "error.rate_limited");
        return;
    }
    struct account acc;
    bool found = account_by_email(req->a, email, &acc);
    if (!*pw) {
        if (found) {
            unsigned char raw[32];
            char token[64];
            randombytes_buf(raw, sizeof raw);
            sodium_bin2base64(token, sizeof token, raw, sizeof raw,
                              sodium_base64_VARIANT_URLSAFE_NO_PADDING);
            json_t *extra = json_pack("{s:s, s:s, s:s}", "email", acc.email, "language",
                                      lang_code(req->lang), "link",
                                      arena_printf(req->a, "%s/login/%s", server_origin(), token));
            if (!signin_token_create(acc.id, sha256_hex(req->a, token), safe_next(next, "/me"),
                                     LINK_SECONDS, aula_message, req, extra)) {
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
    /* Verify even when there is no such account, so that timing does not
     * tell which addresses exist. */
    static const char dummy[crypto_pwhash_STRBYTES] =
        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
        "9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ";
    bool has_pw = found && acc.password_hash;
    bool ok = crypto_pwhash_str_verify(has_pw ? acc.password_hash : dummy, pw, strlen(pw)) == 0;
    if (!has_pw || !ok) {
        rate_allow(email_key, 5, 900, now);
        show_form(req, res, 401, email, next, "login.wrong");
        return;
    }
    if (!start_session(req, res, acc.id, acc.email)) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    res_redirect(req, res, safe_next(next, strcmp(acc.role, "participant") ? "/admin" : "/me"));
}

/* A sign-in link from an email: used once, within 30 minutes. */
void page_login_link(request *req, response *res)
{
    const char *token = req_param(req, "token");
    int64_t account_id = 0;
    char next[512] = "";
    enum signin_result r = strlen(token) < 100
        ? signin_token_consume(sha256_hex(req->a, token), &account_id, next, sizeof next)
        : SIGNIN_UNKNOWN;
    if (r == SIGNIN_OK) {
        if (!start_session(req, res, account_id, "link")) {
            res_error(req, res, 503, "error.busy");
            return;
        }
        res_redirect(req, res, safe_next(next, "/me"));
        return;
    }
    json_t *data = json_object();
    const char *key = r == SIGNIN_EXPIRED ? "login.link_expired"
                      : r == SIGNIN_USED  ? "login.link_used"
                                          : "login.link_unknown";
    json_object_set_new(data, "page_title", bilingual_tr("login.link_problem"));
    json_object_set_new(data, "error", bilingual_tr(key));
    json_object_set_new(data, "csrf", json_string(csrf_token(req, res)));
    json_object_set_new(data, "next", json_string(next));
    json_object_set_new(data, "email", json_string(""));
    json_object_set_new(data, "link_problem", json_true());
    res_page(req, res, r == SIGNIN_UNKNOWN ? 404 : 410, "login", data);
    res->no_store = true;
}

void page_logout(request *req, response *res)
{
    const char *tok = req_cookie(req, "aula_session");
    if (tok && strlen(tok) < 200)
        session_delete(sha256_hex(req->a, tok));
    res_set_cookie(req, res, "aula_session", "", -1, true);
    res_redirect(req, res, "/");
}
