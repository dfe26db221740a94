/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Checking that the SMTP server answers, without sending anything. */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "smtp.h"

struct last_reply {
    char line[256];
    bool quit; /* QUIT sent: its "221 Bye" says nothing */
};

/* The server's reply lines, seen through the debug callback (libcurl
 * prints nothing itself when one is set); the last one is kept. */
static int debug_cb(CURL *h, curl_infotype type, char *data, size_t size, void *userdata)
{
    (void)h;
    struct last_reply *r = userdata;
    if (type == CURLINFO_HEADER_OUT && size >= 4 && strncmp(data, "QUIT", 4) == 0)
        r->quit = true;
    if (type != CURLINFO_HEADER_IN || r->quit)
        return 0;
    size_t n = size < sizeof r->line ? size : sizeof r->line - 1;
    size_t k = 0;
    for (size_t i = 0; i < n && data[i] != '\r' && data[i] != '\n'; i++) {
        unsigned char ch = (unsigned char)data[i];
        r->line[k++] = (ch < 0x20 || ch == 0x7f) ? ' ' : (char)ch;
    }
    r->line[k] = '\0';
    return 0;
}

/* NOOP's answer arrives as "body"; it is not needed beyond its code. */
static size_t discard(char *p, size_t size, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return size * n;
}

bool smtp_probe(const struct smtp_config *c, char *reply, size_t replylen)
{
    snprintf(reply, replylen, "%s", "");
    if (!c || !c->url || !*c->url) {
        snprintf(reply, replylen, "no SMTP URL");
        return false;
    }
    CURL *h = curl_easy_init();
    if (!h) {
        snprintf(reply, replylen, "curl_easy_init failed");
        return false;
    }
    struct last_reply last = {.line = "", .quit = false};
    char curl_err[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(h, CURLOPT_URL, c->url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    /* Without a recipient or an upload libcurl sends the custom command
     * after EHLO (and AUTH), then QUIT. */
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "NOOP");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    if (c->user && *c->user) {
        curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, c->password ? c->password : "");
    }
    curl_easy_setopt(h, CURLOPT_TIMEOUT, c->timeout_seconds > 0 ? c->timeout_seconds : 20L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);
    curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, debug_cb);
    curl_easy_setopt(h, CURLOPT_DEBUGDATA, &last);
    curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
    CURLcode rc = curl_easy_perform(h);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_cleanup(h);
    bool ok = rc == CURLE_OK && code >= 200 && code < 300;
    if (ok)
        snprintf(reply, replylen, "%ld", code);
    else if (last.line[0] && code >= 400)
        snprintf(reply, replylen, "%s", last.line);
    else
        snprintf(reply, replylen, "%s", curl_err[0] ? curl_err : curl_easy_strerror(rc));
    return ok;
}
