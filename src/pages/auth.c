/* Signing in and out, and finding who is signed in.
 *
 * Staff sign in with a password (Argon2id, libsodium); the browser holds a
 * random 256-bit session token in an HttpOnly cookie and the database only
 * its SHA-256.  API clients send "Authorization: Bearer TOKEN" instead. */
#include <sodium.h>
#include <string.h>

#include "../store/account_store.h"
#include "pages.h"
#include "programme_view.h"

enum { SESSION_SECONDS = 12 * 3600 };

static const struct field_spec login_fields[] = {
    {.name = "email", .v = V_EMAIL, .required = true, .max_len = 254},
    {.name = "password", .v = V_PASSWORD, .required = true, .max_len = 200},
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
static const char *safe_next(const char *next)
{
    if (next && next[0] == '/' && next[1] != '/' && next[1] != '\\' && !strchr(next, '\r') &&
        !strchr(next, '\n'))
        return next;
    return "/admin";
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

void page_login(request *req, response *res)
{
    const struct form_values *f = &req->form;
    const char *email = form_str(f, "email");
    const char *next = form_str(f, "next");
    if (!f->ok) {
        show_form(req, res, 422, email, next, "login.incomplete");
        return;
    }
    struct account acc;
    const char *pw = form_str(f, "password");
    bool found = account_by_email(req->a, email, &acc) && acc.password_hash;
    /* Verify even when there is no such account, so that timing does not
     * tell which addresses exist. */
    static const char dummy[crypto_pwhash_STRBYTES] =
        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
        "9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ";
    bool ok = crypto_pwhash_str_verify(found ? acc.password_hash : dummy, pw, strlen(pw)) == 0;
    if (!found || !ok) {
        show_form(req, res, 401, email, next, "login.wrong");
        return;
    }
    unsigned char raw[32];
    char token[64];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(token, sizeof token, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    if (!session_create(acc.id, sha256_hex(req->a, token), SESSION_SECONDS)) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    audit(acc.email, "session.start", acc.email, NULL);
    res_set_cookie(req, res, "aula_session", arena_strdup(req->a, token), SESSION_SECONDS, true);
    res_redirect(res, safe_next(next));
}

void page_logout(request *req, response *res)
{
    const char *tok = req_cookie(req, "aula_session");
    if (tok && strlen(tok) < 200)
        session_delete(sha256_hex(req->a, tok));
    res_set_cookie(req, res, "aula_session", "", -1, true);
    res_redirect(res, "/");
}
