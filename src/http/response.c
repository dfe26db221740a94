/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <string.h>

#include "http.h"

void res_header(response *res, const char *name, const char *value)
{
    if (res->nheaders < MAX_RESPONSE_HEADERS) {
        res->headers[res->nheaders].name = name;
        res->headers[res->nheaders].value = value;
        res->nheaders++;
    }
}

void res_text(response *res, int status, const char *content_type, const char *body, size_t len)
{
    res->status = status;
    res->content_type = content_type;
    res->body = body;
    res->len = len;
}

void res_redirect(request *req, response *res, const char *location)
{
    location = arena_strdup(req->a, location);
    res->status = 303;
    res->content_type = "text/plain; charset=utf-8";
    res->body = "";
    res->len = 0;
    res_header(res, "Location", location);
}

void res_json(request *req, response *res, int status, json_t *data)
{
    char *s = json_dumps(data, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    /* json_dumps allocates through jansson, i.e. in the request arena. */
    res_text(res, status, "application/json; charset=utf-8", s ? s : "null", s ? strlen(s) : 4);
    (void)req;
}

void res_set_cookie(request *req, response *res, const char *name, const char *value,
                    int max_age_seconds, bool http_only)
{
    char age[48] = "";
    if (max_age_seconds > 0)
        snprintf(age, sizeof age, "; Max-Age=%d", max_age_seconds);
    else if (max_age_seconds < 0)
        snprintf(age, sizeof age, "; Max-Age=0");
    res_header(res, "Set-Cookie",
               arena_printf(req->a, "%s=%s; Path=/; SameSite=%s%s%s%s", name, value,
                            strcmp(name, "aula_csrf") == 0 ? "Strict" : "Lax", age,
                            http_only ? "; HttpOnly" : "", req->secure ? "; Secure" : ""));
}

bool res_file(response *res, const char *path, const char *content_type, bool unlink_after)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (unlink_after)
        unlink(path);
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0)
            close(fd);
        return false;
    }
    res->status = 200;
    res->content_type = content_type;
    res->has_file = true;
    res->file_fd = fd;
    res->file_offset = 0;
    res->file_length = (uint64_t)st.st_size;
    return true;
}
