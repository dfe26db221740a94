/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "harness.h"

#include <curl/curl.h>
#include <sqlite3.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *aula_bin(void)
{
    const char *b = getenv("AULA_BIN");
    return b ? b : "build/aula";
}

const char *source_path(const char *rel, char *buf, size_t n)
{
    const char *src = getenv("AULA_SOURCE");
    snprintf(buf, n, "%s/%s", src ? src : ".", rel);
    return buf;
}

void temp_dir(char *buf, size_t n)
{
    snprintf(buf, n, "/tmp/aula-test-XXXXXX");
    if (!mkdtemp(buf))
        abort();
}

void remove_tree(const char *path)
{
    if (strncmp(path, "/tmp/aula-test-", 15) != 0)
        return; /* never anything else */
    pid_t pid = fork();
    if (pid == 0) {
        execlp("rm", "rm", "-rf", path, (char *)NULL);
        _exit(127);
    }
    waitpid(pid, NULL, 0);
}

int run_aula(const char *input, char *out, size_t outlen, ...)
{
    const char *argv[32];
    int argc = 0;
    argv[argc++] = aula_bin();
    va_list ap;
    va_start(ap, outlen);
    const char *a;
    while ((a = va_arg(ap, const char *)) && argc < 31)
        argv[argc++] = a;
    va_end(ap);
    argv[argc] = NULL;

    int in[2], o[2];
    if (pipe(in) || pipe(o))
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(o[1], 1);
        dup2(o[1], 2);
        close(in[1]);
        close(o[0]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(in[0]);
    close(o[1]);
    if (input && write(in[1], input, strlen(input)) < 0)
        perror("write");
    close(in[1]);
    size_t len = 0;
    char sink[4096];
    for (;;) {
        char *dst = out && len + 1 < outlen ? out + len : sink;
        size_t room = out && len + 1 < outlen ? outlen - len - 1 : sizeof sink;
        ssize_t r = read(o[0], dst, room);
        if (r <= 0)
            break;
        if (dst != sink)
            len += (size_t)r;
    }
    if (out && outlen)
        out[len] = '\0';
    close(o[0]);
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void prepare_demo(const char *data)
{
    char file[512], out[4096];
    if (run_aula(NULL, out, sizeof out, "init", "--data", data, NULL) != 0 ||
        run_aula(NULL, out, sizeof out, "import", "--data", data,
                 source_path("examples/sela-2022/programme.json", file, sizeof file), NULL) != 0 ||
        run_aula("admin-password-1\n", out, sizeof out, "user", "add", "--data", data, "--role",
                 "admin", "admin@example.org", NULL) != 0 ||
        run_aula("trainer-password-1\n", out, sizeof out, "user", "add", "--data", data,
                 "--role", "trainer", "trainer@example.org", NULL) != 0 ||
        run_aula("coordinator-password-1\n", out, sizeof out, "user", "add", "--data", data,
                 "--role", "coordinator", "coordinator@example.org", NULL) != 0) {
        fprintf(stderr, "prepare_demo failed: %s\n", out);
        abort();
    }
}

/* The end of a server's log on stderr, for a test that failed. */
static void print_serve_log(const char *data)
{
    char path[400];
    snprintf(path, sizeof path, "%s/serve.log", data);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, size > 6000 ? size - 6000 : 0, SEEK_SET);
    char buf[6001];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    fprintf(stderr, "--- end of %s ---\n%s\n---\n", path, buf);
}

bool serve_start(struct served *s, const char *data)
{
    snprintf(s->data, sizeof s->data, "%s", data);
    int o[2];
    if (pipe(o))
        return false;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(o[1], 1);
        int devnull = open("/dev/null", O_WRONLY);
        char logpath[300];
        snprintf(logpath, sizeof logpath, "%s/serve.log", data);
        int log = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0644);
        dup2(log >= 0 ? log : devnull, 2);
        close(o[0]);
        execl(aula_bin(), aula_bin(), "serve", "--data", data, "--listen", "127.0.0.1:0",
              (char *)NULL);
        _exit(127);
    }
    close(o[1]);
    s->pid = pid;
    char buf[256];
    size_t len = 0;
    struct pollfd p = {.fd = o[0], .events = POLLIN};
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        int left = 10000 - (int)((now.tv_sec - start.tv_sec) * 1000 +
                                 (now.tv_nsec - start.tv_nsec) / 1000000);
        if (left <= 0 || poll(&p, 1, left) <= 0)
            break;
        ssize_t r = read(o[0], buf + len, sizeof buf - len - 1);
        if (r <= 0)
            break;
        len += (size_t)r;
        buf[len] = '\0';
        char *u = strstr(buf, "listening on http://");
        if (u && strchr(u, '\n')) {
            char *colon = strrchr(u, ':');
            s->port = atoi(colon + 1);
            snprintf(s->origin, sizeof s->origin, "http://127.0.0.1:%d", s->port);
            close(o[0]);
            return s->port > 0;
        }
    }
    close(o[0]);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    /* Why it did not start (a sanitizer's report, a refused setting): the
     * data directory is removed by the teardown, so say it now. */
    print_serve_log(data);
    return false;
}

int serve_stop(struct served *s, int timeout_ms)
{
    kill(s->pid, SIGTERM);
    for (int waited = 0; waited < timeout_ms; waited += 20) {
        int status;
        pid_t r = waitpid(s->pid, &status, WNOHANG);
        if (r == s->pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        usleep(20000);
    }
    kill(s->pid, SIGKILL);
    waitpid(s->pid, NULL, 0);
    return -1;
}

struct buf {
    char *p;
    size_t len;
};

static size_t collect(char *data, size_t size, size_t n, void *ud)
{
    struct buf *b = ud;
    size_t add = size * n;
    char *np = realloc(b->p, b->len + add + 1);
    if (!np)
        return 0;
    memcpy(np + b->len, data, add);
    b->p = np;
    b->len += add;
    b->p[b->len] = '\0';
    return add;
}

bool http(const char *method, const char *url, const char *const *headers, const char *body,
          size_t body_len, struct http_response *r)
{
    memset(r, 0, sizeof *r);
    CURL *c = curl_easy_init();
    if (!c)
        return false;
    struct buf hb = {0}, bb = {0};
    struct curl_slist *list = NULL;
    for (const char *const *h = headers; h && *h; h++)
        list = curl_slist_append(list, *h);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &hb);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &bb);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    CURLcode rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    curl_slist_free_all(list);
    curl_easy_cleanup(c);
    r->headers = hb.p ? hb.p : strdup("");
    r->body = bb.p ? bb.p : strdup("");
    r->body_len = bb.len;
    /* A server that answers early (413) may close while the body is still
     * being sent; what counts is the status it gave. */
    return rc == CURLE_OK || r->status > 0;
}

void http_free(struct http_response *r)
{
    free(r->headers);
    free(r->body);
    memset(r, 0, sizeof *r);
}

bool header_value(const struct http_response *r, const char *name, char *buf, size_t n)
{
    size_t nl = strlen(name);
    for (const char *line = r->headers; line && *line;) {
        const char *eol = strstr(line, "\r\n");
        if (!eol)
            break;
        if ((size_t)(eol - line) > nl && strncasecmp(line, name, nl) == 0 && line[nl] == ':') {
            const char *v = line + nl + 1;
            while (*v == ' ')
                v++;
            snprintf(buf, n, "%.*s", (int)(eol - v), v);
            return true;
        }
        line = eol + 2;
    }
    return false;
}

bool set_cookie_value(const struct http_response *r, const char *name, char *buf, size_t n)
{
    size_t nl = strlen(name);
    for (const char *line = r->headers; line && *line;) {
        const char *eol = strstr(line, "\r\n");
        if (!eol)
            break;
        if (strncasecmp(line, "Set-Cookie: ", 12) == 0 && strncmp(line + 12, name, nl) == 0 &&
            line[12 + nl] == '=') {
            const char *v = line + 12 + nl + 1;
            const char *end = v;
            while (end < eol && *end != ';')
                end++;
            snprintf(buf, n, "%.*s", (int)(end - v), v);
            return true;
        }
        line = eol + 2;
    }
    return false;
}

bool get_path(const struct served *s, const char *path, const char *const *headers,
              struct http_response *r)
{
    char u[1024];
    snprintf(u, sizeof u, "%s%s", s->origin, path);
    return http("GET", u, headers, NULL, 0, r);
}

bool csrf_pair(const struct served *s, char *cookie, size_t n, char *token, size_t tn)
{
    struct http_response r;
    if (!get_path(s, "/login", NULL, &r))
        return false;
    bool ok = set_cookie_value(&r, "aula_csrf", token, tn);
    snprintf(cookie, n, "aula_csrf=%s", token);
    http_free(&r);
    return ok;
}

bool post_form(const struct served *s, const char *header, const char *path, const char *body,
               struct http_response *r)
{
    char u[1024];
    snprintf(u, sizeof u, "%s%s", s->origin, path);
    const char *h[] = {header, "Content-Type: application/x-www-form-urlencoded", NULL};
    return http("POST", u, h, body, strlen(body), r);
}

bool sign_in(const struct served *s, const char *email, const char *password, char *cookies,
             size_t n, char *token, size_t tn)
{
    char csrf_cookie[128], body[512], hdr[200], session[128];
    if (!csrf_pair(s, csrf_cookie, sizeof csrf_cookie, token, tn))
        return false;
    snprintf(body, sizeof body, "csrf=%s&email=%s&password=%s&next=%%2Fadmin", token, email,
             password);
    snprintf(hdr, sizeof hdr, "Cookie: %s", csrf_cookie);
    struct http_response r;
    bool ok = post_form(s, hdr, "/login", body, &r) && r.status == 303 &&
              set_cookie_value(&r, "aula_session", session, sizeof session);
    http_free(&r);
    snprintf(cookies, n, "Cookie: %s; aula_session=%s", csrf_cookie, session);
    return ok;
}

void db_query(const char *data_dir, const char *sql, char *out, size_t n)
{
    char path[300];
    snprintf(path, sizeof path, "%s/aula.db", data_dir);
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        abort();
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "SQL error: %s in %s\n", sqlite3_errmsg(db), sql);
        abort();
    }
    if (out && n)
        out[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW && out && sqlite3_column_text(st, 0))
        snprintf(out, n, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

void add_registered_participant(const char *data_dir, const char *email, const char *course)
{
    char q[1200];
    snprintf(q, sizeof q, "INSERT INTO account (email, role, created_at) VALUES ('%s',"
             " 'participant', '2026-01-01T00:00:00Z') ON CONFLICT DO NOTHING", email);
    db_query(data_dir, q, NULL, 0);
    snprintf(q, sizeof q,
             "INSERT INTO application (edition_id, account_id, email, form_of_address, given_names,"
             " family_names, gender, country, institution_type, institution, position, language,"
             " consent_at, submission_key, created_at) SELECT e.id, a.id, a.email, 'ms', 'Test',"
             " 'Participant', 'female', 'VE', 'academia', 'U', 'P', 'es', '2026-01-01T00:00:00Z',"
             " 'k-%s', '2026-01-01T00:00:00Z' FROM edition e, account a WHERE e.slug = 'sela-2022'"
             " AND a.email = '%s'", email, email);
    db_query(data_dir, q, NULL, 0);
    snprintf(q, sizeof q,
             "INSERT INTO enrolment (application_id, course_id, status, status_at) SELECT ap.id,"
             " c.id, 'registered', '2026-01-01T00:00:00Z' FROM application ap, course c"
             " WHERE ap.email = '%s' AND c.slug = '%s'", email, course);
    db_query(data_dir, q, NULL, 0);
}

/* Decodes quoted-printable in place (soft line breaks and =XX). */
static void qp_decode(char *s)
{
    char *o = s;
    for (char *p = s; *p;) {
        if (p[0] == '=' && p[1] == '\r' && p[2] == '\n') {
            p += 3;
        } else if (p[0] == '=' && p[1] == '\n') {
            p += 2;
        } else if (p[0] == '=' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
            char hex[3] = {p[1], p[2], 0};
            *o++ = (char)strtol(hex, NULL, 16);
            p += 3;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
}

bool mail_link(const char *data_dir, const char *email, const char *kind, const char *marker,
               char *path, size_t n)
{
    char q[400], id[32] = "";
    snprintf(q, sizeof q, "SELECT id FROM outbox WHERE kind = '%s' AND to_addr = '%s'"
             " ORDER BY id DESC LIMIT 1", kind, email);
    db_query(data_dir, q, id, sizeof id);
    if (!*id)
        return false;
    char file[400];
    snprintf(file, sizeof file, "%s/mail/%06lld.eml", data_dir, atoll(id));
    /* Delivery runs in the server's workers: wait for the file. */
    FILE *f = NULL;
    for (int i = 0; i < 200 && !(f = fopen(file, "rb")); i++)
        usleep(50 * 1000);
    if (!f)
        return false;
    static char buf[1 << 20];
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[len] = '\0';
    qp_decode(buf);
    const char *l = strstr(buf, marker);
    if (!l)
        return false;
    size_t k = strlen(marker);
    k += strspn(l + k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    snprintf(path, n, "%.*s", (int)k, l);
    return true;
}

bool use_signin_link(const struct served *s, const char *path, const char *cookie,
                     const char *token, char *session, size_t sn, struct http_response *r)
{
    char hdr[300], body[200];
    snprintf(hdr, sizeof hdr, "Cookie: %s", cookie);
    const char *h[] = {hdr, NULL};
    if (!get_path(s, path, h, r))
        return false;
    bool page = r->status == 200 && strstr(r->body, "method=\"post\"");
    if (!page)
        return false;
    http_free(r);
    snprintf(body, sizeof body, "csrf=%s", token);
    if (!post_form(s, hdr, path, body, r))
        return false;
    return r->status == 303 && set_cookie_value(r, "aula_session", session, sn);
}

bool sign_in_by_link(const struct served *s, const char *data_dir, const char *email,
                     char *cookies, size_t n, char *token, size_t tn)
{
    char cookie[200], body[300], hdr[220], session[128];
    if (!csrf_pair(s, cookie, sizeof cookie, token, tn))
        return false;
    snprintf(hdr, sizeof hdr, "Cookie: %s", cookie);
    const char *at = strchr(email, '@');
    snprintf(body, sizeof body, "csrf=%s&email=%.*s%%40%s&password=", token, (int)(at - email),
             email, at + 1);
    struct http_response r;
    if (!post_form(s, hdr, "/login", body, &r))
        return false;
    http_free(&r);
    char path[200];
    if (!mail_link(data_dir, email, "signin.link", "/login/", path, sizeof path))
        return false;
    bool ok = use_signin_link(s, path, cookie, token, session, sizeof session, &r);
    http_free(&r);
    snprintf(cookies, n, "Cookie: %s; aula_session=%s", cookie, session);
    return ok;
}

/* HTML attribute text back to plain text (the entities escape.c writes). */
static void unescape_attr(const char *in, size_t len, char *out, size_t n)
{
    static const struct { const char *e; char c; } ents[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''},
        {"&#x27;", '\''}, {"&#34;", '"'}};
    size_t j = 0;
    for (size_t i = 0; i < len && j + 1 < n;) {
        bool done = false;
        for (size_t k = 0; k < sizeof ents / sizeof ents[0] && !done; k++) {
            size_t el = strlen(ents[k].e);
            if (i + el <= len && strncmp(in + i, ents[k].e, el) == 0) {
                out[j++] = ents[k].c;
                i += el;
                done = true;
            }
        }
        if (!done)
            out[j++] = in[i++];
    }
    out[j] = '\0';
}

static const char *attr_of(const char *tag, const char *end, const char *name, size_t *len)
{
    char pat[40];
    snprintf(pat, sizeof pat, " %s=\"", name);
    const char *p = strstr(tag, pat);
    if (!p || p > end)
        return NULL;
    p += strlen(pat);
    const char *q = strchr(p, '"');
    *len = q ? (size_t)(q - p) : 0;
    return p;
}

bool confirm_form(const char *html, char *action, size_t an, char *body, size_t bn)
{
    const char *form = html ? strstr(html, "class=\"bulk-confirm\"") : NULL;
    if (!form)
        return false;
    while (form > html && *form != '<')
        form--;
    const char *tag_end = strchr(form, '>'), *close = strstr(form, "</form>");
    size_t len;
    const char *a = attr_of(form, tag_end, "action", &len);
    if (!a || !close)
        return false;
    unescape_attr(a, len, action, an);
    size_t used = 0;
    body[0] = '\0';
    for (const char *in = strstr(form, "<input"); in && in < close; in = strstr(in + 1, "<input")) {
        const char *e = strchr(in, '>');
        size_t nl, vl;
        const char *nm = attr_of(in, e, "name", &nl), *v = attr_of(in, e, "value", &vl);
        if (!nm || !v)
            continue;
        char name[64], value[2048];
        unescape_attr(nm, nl, name, sizeof name);
        unescape_attr(v, vl, value, sizeof value);
        char *enc = curl_easy_escape(NULL, value, 0);
        used += (size_t)snprintf(body + used, used < bn ? bn - used : 0, "%s%s=%s",
                                 used ? "&" : "", name, enc ? enc : "");
        curl_free(enc);
    }
    return used < bn;
}

bool post_confirmed(const struct served *s, const char *header, const char *path,
                    const char *body, struct http_response *r)
{
    if (!post_form(s, header, path, body, r))
        return false;
    static char action[1024], confirm[65536];
    if (r->status != 200 || !confirm_form(r->body, action, sizeof action, confirm, sizeof confirm))
        return false;
    http_free(r);
    return post_form(s, header, action, confirm, r);
}

void demo_setup(char *data_dir, size_t n)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    temp_dir(data_dir, n);
    prepare_demo(data_dir);
}

int demo_teardown(struct served *s, const char *data_dir)
{
    int rc = serve_stop(s, 5000);
    if (rc != 0)
        print_serve_log(data_dir);
    remove_tree(data_dir);
    curl_global_cleanup();
    return rc;
}

bool sign_in_admin(const struct served *s, char *cookies, size_t n, char *token, size_t tn)
{
    return sign_in(s, "admin%40example.org", "admin-password-1", cookies, n, token, tn);
}

long db_count(const char *data_dir, const char *sql)
{
    char out[64] = "";
    db_query(data_dir, sql, out, sizeof out);
    return atol(out);
}

long db_course_day(const char *data_dir, const char *course, const char *date)
{
    char q[300];
    snprintf(q, sizeof q, "SELECT d.id FROM course_day d JOIN course c ON c.id = d.course_id"
             " WHERE c.slug = '%s' AND d.day = '%s'", course, date);
    return db_count(data_dir, q);
}
