/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "smtp.h"

#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "mime.h"

struct upload {
    const char *p;
    size_t left;
};

static size_t read_cb(char *buf, size_t size, size_t nitems, void *userdata)
{
    struct upload *u = userdata;
    size_t n = size * nitems;
    if (n > u->left)
        n = u->left;
    memcpy(buf, u->p, n);
    u->p += n;
    u->left -= n;
    return n;
}

/* The server's replies, as seen through the debug callback, up to the QUIT
 * libcurl sends after a failure too (its "221 Bye" says nothing). */
struct replies {
    char last[512];  /* the last reply line */
    int last_code;   /* its code, 0 when it did not start with one */
    char refusal[512]; /* the last 4xx or 5xx line */
    bool quit;
};

static int reply_code(const char *s, size_t n)
{
    if (n < 3 || s[0] < '1' || s[0] > '5' || s[1] < '0' || s[1] > '9' || s[2] < '0' ||
        s[2] > '9')
        return 0;
    if (n > 3 && s[3] != ' ' && s[3] != '-' && s[3] != '\r' && s[3] != '\n')
        return 0;
    return (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
}

static int debug_cb(CURL *h, curl_infotype type, char *data, size_t size, void *userdata)
{
    (void)h;
    struct replies *r = userdata;
    if (type == CURLINFO_HEADER_OUT && size >= 4 && strncmp(data, "QUIT", 4) == 0)
        r->quit = true;
    if (type != CURLINFO_HEADER_IN || r->quit)
        return 0;
    /* One call may carry several lines of a multi-line reply. */
    size_t i = 0;
    while (i < size) {
        size_t j = i;
        while (j < size && data[j] != '\n')
            j++;
        size_t end = j;
        while (end > i && (data[end - 1] == '\r' || data[end - 1] == '\n'))
            end--;
        if (end > i) {
            size_t n = end - i;
            if (n >= sizeof r->last)
                n = sizeof r->last - 1;
            for (size_t k = 0; k < n; k++) {
                unsigned char c = (unsigned char)data[i + k];
                r->last[k] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
            }
            r->last[n] = '\0';
            r->last_code = reply_code(r->last, n);
            if (r->last_code >= 400)
                memcpy(r->refusal, r->last, n + 1);
        }
        i = j + 1;
    }
    return 0;
}

static void set_err(char *err, size_t errlen, const char *msg)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", msg);
}

enum smtp_result smtp_send(const struct smtp_config *c, const char *from_addr, const char *to_addr,
                           const char *message, size_t len, char *err, size_t errlen)
{
    set_err(err, errlen, "");
    if (!c || !c->url || !*c->url || !message) {
        set_err(err, errlen, "no SMTP URL or message");
        return SMTP_PERMANENT;
    }
    if (!mail_addr_ok(from_addr) || !mail_addr_ok(to_addr)) {
        set_err(err, errlen, "invalid envelope address");
        return SMTP_PERMANENT;
    }

    CURL *h = curl_easy_init();
    if (!h) {
        set_err(err, errlen, "curl_easy_init failed");
        return SMTP_TEMPORARY;
    }
    char from[300], to[300];
    snprintf(from, sizeof from, "<%s>", from_addr);
    snprintf(to, sizeof to, "<%s>", to_addr);
    struct curl_slist *rcpt = curl_slist_append(NULL, to);
    if (!rcpt) {
        curl_easy_cleanup(h);
        set_err(err, errlen, "out of memory");
        return SMTP_TEMPORARY;
    }

    struct upload up = {message, len};
    struct replies rep = {.last = "", .last_code = 0, .refusal = "", .quit = false};
    char curl_err[CURL_ERROR_SIZE] = "";

    curl_easy_setopt(h, CURLOPT_URL, c->url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(h, CURLOPT_READDATA, &up);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
    if (c->user && *c->user) {
        curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, c->password ? c->password : "");
    }
    curl_easy_setopt(h, CURLOPT_TIMEOUT, c->timeout_seconds > 0 ? c->timeout_seconds : 60L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);
    /* The debug callback sees the server's replies; it only runs when
     * verbose, and with it set libcurl prints nothing itself. */
    curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, debug_cb);
    curl_easy_setopt(h, CURLOPT_DEBUGDATA, &rep);
    curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);

    CURLcode rc = curl_easy_perform(h);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(h);

    if (rc == CURLE_OK)
        return SMTP_SENT;

    /* The last thing the server said before QUIT decides: a 5xx refusal
     * will be refused again; a 4xx, a dropped connection, a timeout or a TLS
     * failure (the last reply then being a 2xx or 3xx, or none) may not. */
    int last = rep.last_code ? rep.last_code : (int)code;
    if (last >= 400 && rep.refusal[0]) {
        set_err(err, errlen, rep.refusal);
    } else if (last >= 400 && last < 600) {
        char buf[CURL_ERROR_SIZE + 32];
        snprintf(buf, sizeof buf, "%d %s", last, curl_err[0] ? curl_err : curl_easy_strerror(rc));
        set_err(err, errlen, buf);
    } else {
        set_err(err, errlen, curl_err[0] ? curl_err : curl_easy_strerror(rc));
    }
    return (last >= 500 && last < 600) ? SMTP_PERMANENT : SMTP_TEMPORARY;
}
