/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The console's settings (administrators only): the public address links
 * in messages and certificates use, and the organisation's logo.
 *
 * The public address: the configuration's base_url (aula.ini or
 * AULA_BASE_URL) wins; without one, the address an administrator stores
 * here; without either, the address Aula listens on, which for a server on
 * this machine is "localhost" and useless in an email.  The console then
 * says so on every page of people who send mail or issue certificates.
 *
 * The logo: PNG or JPEG only (an SVG can carry scripts), decided from the
 * bytes by libmagic, at most 1 MB, stored in the database (so a backup
 * holds it) and served at /logo with its own type. */
#include <cairo.h>
#include <fcntl.h>
#include <magic.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/log.h"
#include "../docs/logo_image.h"
#include "../http/page_cache.h"
#include "../store/settings_store.h"
#include "../app/app.h"
#include "render.h"
#include "settings.h"
#include "programme_view.h"

enum { LOGO_MAX_BYTES = 1024 * 1024, LOGO_MAX_SIDE = LOGO_IMAGE_MAX_SIDE, ADDRESS_MAX = 120 };

bool public_address_missing(void)
{
    const char *o = app_origin();
    const char *host = strstr(o, "://");
    host = host ? host + 3 : o;
    size_t n = strcspn(host, "/");
    return (n >= 9 && strncmp(host, "localhost", 9) == 0 && (n == 9 || host[9] == ':')) ||
           strncmp(host, "127.", 4) == 0 || strncmp(host, "[::1]", 5) == 0 ||
           strncmp(host, "0.0.0.0", 7) == 0 || strncmp(host, "[::]", 4) == 0 || n == 0;
}

static const struct field_spec address_fields[] = {
    {.name = "base_url", .v = V_URL, .required = true, .max_len = ADDRESS_MAX},
};
const struct form_spec settings_address_form = FORM_SPEC(address_fields);

static const struct field_spec organisation_fields[] = {
    {.name = "name_es", .v = V_LINE, .required = true, .max_len = 200},
    {.name = "name_en", .v = V_LINE, .max_len = 200},
    {.name = "short_name", .v = V_LINE, .max_len = 40},
};
const struct form_spec settings_organisation_form = FORM_SPEC(organisation_fields);

static void show(request *req, response *res, int status, const char *notice_key,
                 const char *error_key, const char *kept_address)
{
    json_t *data = json_object();
    json_object_set_new(data, "page_title", bilingual_tr("settings.title"));
    json_object_set_new(data, "csrf", json_string(csrf_token(req, res)));
    json_object_set_new(data, "address", json_string(app_origin()));
    json_object_set_new(data, "address_missing", json_boolean(public_address_missing()));
    json_object_set_new(data, "address_configured", json_boolean(app_config()->base_url != NULL));
    json_object_set_new(data, "kept_address",
                        json_string(kept_address ? kept_address
                                    : public_address_missing() ? "" : app_origin()));
    const char *es = "", *en = "", *short_name = "";
    organisation_get(req->a, &es, &en, &short_name);
    json_object_set_new(data, "org", json_pack("{s:s, s:s, s:s}", "name_es", es, "name_en", en,
                                               "short_name", short_name));
    struct site_file logo;
    if (site_file_get(req->a, "logo", false, &logo))
        json_object_set_new(data, "logo_url",
                            json_sprintf("/logo?v=%.12s", logo.sha256));
    json_object_set_new(data, "logo_limit", json_string("1 MB"));
    if (notice_key)
        json_object_set_new(data, "notice", bilingual_tr(notice_key));
    if (error_key)
        json_object_set_new(data, "error", bilingual_tr(error_key));
    res_page(req, res, status, "admin_settings", data);
    res->no_store = true;
}

void admin_settings(request *req, response *res)
{
    const char *done = req_query(req, "done");
    const char *key = NULL;
    if (done && strcmp(done, "address") == 0) key = "settings.address_saved";
    else if (done && strcmp(done, "logo") == 0) key = "settings.logo_saved";
    else if (done && strcmp(done, "logo_removed") == 0) key = "settings.logo_removed";
    else if (done && strcmp(done, "organisation") == 0) key = "settings.organisation_saved";
    show(req, res, 200, key, NULL, NULL);
}

/* An origin: http(s)://host[:port], nothing after it but one "/". */
static const char *origin_of(arena *a, const char *url)
{
    const char *rest = strncmp(url, "https://", 8) == 0 ? url + 8
                       : strncmp(url, "http://", 7) == 0 ? url + 7 : NULL;
    if (!rest || !*rest)
        return NULL;
    size_t n = strcspn(rest, "/?#@ \\");
    if (rest[n] && !(rest[n] == '/' && rest[n + 1] == '\0'))
        return NULL;
    return arena_strndup(a, url, (size_t)(rest - url) + n);
}

void admin_settings_address(request *req, response *res)
{
    if (app_config()->base_url) {
        show(req, res, 409, NULL, "settings.address_in_config", NULL);
        return;
    }
    const struct form_values *f = &req->form;
    const char *origin = f->ok ? origin_of(req->a, form_str(f, "base_url")) : NULL;
    if (!origin) {
        show(req, res, 422, NULL, "settings.address_bad", form_str(f, "base_url"));
        return;
    }
    if (!setting_set(req->user.email, "base_url", origin, NULL)) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    app_set_public_origin(origin);
    res_redirect(req, res, "/admin/settings?done=address");
}

/* The organisation's name, in the header, page titles, mail's sender name
 * and certificates. */
void admin_settings_organisation(request *req, response *res)
{
    const struct form_values *f = &req->form;
    if (!f->ok) {
        show(req, res, 422, NULL, "settings.organisation_missing", NULL);
        return;
    }
    if (!organisation_set(req->user.email, form_str(f, "name_es"), form_str(f, "name_en"),
                          form_str(f, "short_name"))) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    page_cache_invalidate();
    res_redirect(req, res, "/admin/settings?done=organisation");
}

/* One libmagic handle per thread, closed when the thread ends (a handle
 * left to a thread-local pointer would leak at every worker's exit). */
static pthread_key_t magic_key;
static pthread_once_t magic_once = PTHREAD_ONCE_INIT;

static void magic_free(void *m)
{
    magic_close(m);
}

static void magic_key_init(void)
{
    pthread_key_create(&magic_key, magic_free);
}

/* image/png or image/jpeg from the file's bytes, else NULL. */
static const char *image_type(const char *path)
{
    pthread_once(&magic_once, magic_key_init);
    magic_t magic = pthread_getspecific(magic_key);
    if (!magic) {
        magic = magic_open(MAGIC_MIME_TYPE);
        if (!magic || magic_load(magic, NULL) != 0) {
            log_error("libmagic: %s", magic ? magic_error(magic) : "cannot start");
            if (magic)
                magic_close(magic);
            return NULL;
        }
        pthread_setspecific(magic_key, magic);
    }
    const char *t = magic_file(magic, path);
    if (t && strcmp(t, "image/png") == 0)
        return "image/png";
    if (t && strcmp(t, "image/jpeg") == 0)
        return "image/jpeg";
    return NULL;
}

/* Whether the PNG or JPEG can be drawn (on certificates), and it is of a
 * sane size. */
static bool logo_drawable(const unsigned char *data, size_t len)
{
    cairo_surface_t *s = logo_surface(data, len);
    bool ok = s && cairo_image_surface_get_width(s) <= LOGO_MAX_SIDE &&
              cairo_image_surface_get_height(s) <= LOGO_MAX_SIDE;
    if (s)
        cairo_surface_destroy(s);
    return ok;
}

void admin_settings_logo(request *req, response *res)
{
    const struct upload *u = &req->upload;
    if (!u->present || u->size == 0) {
        show(req, res, 422, NULL, "settings.logo_missing", NULL);
        return;
    }
    if (u->size > LOGO_MAX_BYTES) {
        show(req, res, 413, NULL, "settings.logo_too_large", NULL);
        return;
    }
    const char *type = image_type(u->tmp_path);
    if (!type) {
        show(req, res, 415, NULL, "settings.logo_type", NULL);
        return;
    }
    unsigned char *bytes = arena_alloc(req->a, (size_t)u->size);
    int fd = bytes ? open(u->tmp_path, O_RDONLY | O_CLOEXEC) : -1;
    size_t got = 0;
    if (fd >= 0) {
        ssize_t n;
        while (got < u->size && (n = read(fd, bytes + got, (size_t)u->size - got)) > 0)
            got += (size_t)n;
        close(fd);
    }
    if (got != u->size) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    if (!logo_drawable(bytes, got)) {
        show(req, res, 422, NULL, "settings.logo_broken", NULL);
        return;
    }
    struct site_file f = {.content_type = type, .sha256 = u->sha256, .data = bytes, .len = got};
    if (!site_file_set(req->user.email, "logo", &f)) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    page_cache_invalidate();
    res_redirect(req, res, "/admin/settings?done=logo");
}

void admin_settings_logo_delete(request *req, response *res)
{
    if (!site_file_set(req->user.email, "logo", NULL)) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    page_cache_invalidate();
    res_redirect(req, res, "/admin/settings?done=logo_removed");
}

void page_logo(request *req, response *res)
{
    struct site_file logo;
    if (!site_file_get(req->a, "logo", true, &logo)) {
        res_error(req, res, 404, "error.not_found");
        return;
    }
    res_header(res, "Cache-Control", "public, max-age=3600");
    res_text(res, 200, logo.content_type, (const char *)logo.data, logo.len);
}
