/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Training material: upload in the console (streamed to disk), delivery
 * to the participants of the course only, with ranges so video seeks. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "../app/material.h"
#include "../app/courses.h"
#include "../base/escape.h"
#include "../base/log.h"
#include "../base/timeutil.h"
#include "../http/download.h"
#include "../store/account_store.h"
#include "../store/material_store.h"
#include "../store/programme_store.h"
#include "../view/template.h"
#include "page_ctx.h"
#include "../app/app.h"
#include "materials.h"
#include "render.h"
#include "programme_view.h"

/* ---- what a file is ---- */

static bool is_video(const char *ct)
{
    return strncmp(ct, "video/", 6) == 0;
}

/* Where content with this hash lives: DATA/files/ab/abcdef... */
static const char *content_path(arena *a, const char *sha256)
{
    return arena_printf(a, "%s/files/%.2s/%s", app_config()->data_dir, sha256, sha256);
}

/* ---- access ---- */

static enum material_role material_role_of(request *req);

static bool is_staff_for(request *req, const char *edition, const char *course)
{
    struct app_ctx ctx = page_ctx(req);
    return material_may_manage(&ctx, material_role_of(req), edition, course);
}

/* Whether the signed-in person may read this material now. */
static bool may_read(request *req, json_t *m)
{
    const char *edition = json_string_value(json_object_get(m, "edition"));
    const char *course = json_string_value(json_object_get(m, "course"));
    if (is_staff_for(req, edition, course))
        return true;
    if (!participant_of(req->user.id, edition, course))
        return false;
    const char *from = json_string_value(json_object_get(m, "visible_from"));
    char now[32];
    format_utc_iso(time(NULL), now, sizeof now);
    return !from || strcmp(from, now) <= 0;
}

/* ---- listing ---- */

static const char *size_label(arena *a, json_int_t size)
{
    /* Whole numbers without a decimal ("1 GB", "10 MB", "2.5 MB"). */
    if (size >= 1024 * 1024 * 1024 && size % (1024 * 1024 * 1024) == 0)
        return arena_printf(a, "%lld GB", (long long)(size / (1024 * 1024 * 1024)));
    if (size >= 1024 * 1024 && size % (1024 * 1024) == 0)
        return arena_printf(a, "%lld MB", (long long)(size / (1024 * 1024)));
    if (size >= 1024 * 1024)
        return arena_printf(a, "%.1f MB", (double)size / (1024.0 * 1024.0));
    if (size >= 1024)
        return arena_printf(a, "%.0f kB", (double)size / 1024.0);
    return arena_printf(a, "%lld B", (long long)size);
}

/* The kind of a file as a word people know ("PDF document"), not its
 * internal content type ("application/pdf"): the key of its label. */
static const char *kind_key(const char *ct)
{
    static const struct { const char *type, *key; } kinds[] = {
        {"application/pdf", "materials.kind.pdf"},
        {"application/msword", "materials.kind.word"},
        {"application/vnd.openxmlformats-officedocument.wordprocessingml", "materials.kind.word"},
        {"application/vnd.oasis.opendocument.text", "materials.kind.word"},
        {"application/vnd.ms-powerpoint", "materials.kind.presentation"},
        {"application/vnd.openxmlformats-officedocument.presentationml", "materials.kind.presentation"},
        {"application/vnd.oasis.opendocument.presentation", "materials.kind.presentation"},
        {"application/vnd.ms-excel", "materials.kind.spreadsheet"},
        {"application/vnd.openxmlformats-officedocument.spreadsheetml", "materials.kind.spreadsheet"},
        {"application/vnd.oasis.opendocument.spreadsheet", "materials.kind.spreadsheet"},
        {"text/csv", "materials.kind.spreadsheet"},
        {"image/", "materials.kind.image"},
        {"video/", "materials.kind.video"},
        {"audio/", "materials.kind.audio"},
    };
    for (size_t i = 0; ct && i < sizeof kinds / sizeof kinds[0]; i++)
        if (strncmp(ct, kinds[i].type, strlen(kinds[i].type)) == 0)
            return kinds[i].key;
    return "materials.kind.file";
}

/* Adds what pages and the API show: URLs, size label, kind of player. */
static void decorate(request *req, json_t *list)
{
    size_t i;
    json_t *m;
    json_array_foreach(list, i, m) {
        json_int_t id = json_integer_value(json_object_get(m, "id"));
        const char *ct = json_string_value(json_object_get(m, "content_type"));
        const char *fname = json_string_value(json_object_get(m, "file_name"));
        char *shown = fname ? arena_strdup(req->a, fname) : NULL;
        if (shown)
            json_object_set_new(m, "file_name", json_string(file_name_neutralise(shown)));
        json_object_set_new(m, "url", json_sprintf("/materials/%lld", (long long)id));
        json_object_set_new(m, "download_url",
                            json_sprintf("%s/materials/%lld", app_origin(), (long long)id));
        json_object_set_new(m, "size_label", json_string(size_label(
            req->a, json_integer_value(json_object_get(m, "size")))));
        json_object_set_new(m, "kind_label", bilingual_tr(kind_key(ct)));
        if (is_video(ct))
            json_object_set_new(m, "is_video", json_true());
        else if (strncmp(ct, "audio/", 6) == 0)
            json_object_set_new(m, "is_audio", json_true());
        json_object_del(m, "sha256");
    }
}

/* Materials of one course visible to the participant (edition-wide ones too). */
json_t *materials_for_participant(request *req, const char *edition, const char *course)
{
    struct app_ctx ctx = page_ctx(req);
    struct app_err err;
    json_t *list = materials_of_course(&ctx, MATERIAL_READER, edition, course, NULL, &err);
    if (!list)
        return json_array();
    decorate(req, list);
    return list;
}

/* GET /events/{slug}/courses/{course}/materials: the course's material, for
 * its participants and staff. */
void page_course_materials(request *req, response *res)
{
    const char *slug = req_param(req, "slug"), *course = req_param(req, "course");
    struct app_ctx ctx = page_ctx(req);
    struct app_err err;
    json_t *list = materials_of_course(&ctx, material_role_of(req), slug, course, NULL, &err);
    if (!list) {
        res_error(req, res, page_status_of(err.kind), err.key);
        return;
    }
    json_t *p = programme_view(slug, 0);
    json_t *c = programme_course(p, course);
    if (!c) {
        res_error(req, res, 404, "error.no_course");
        return;
    }
    decorate(req, list);
    json_object_set(p, "course", c);
    json_object_set_new(p, "materials", list);
    json_object_set_new(p, "zip_url", json_sprintf("/events/%s/courses/%s/materials.zip", slug, course));
    json_object_set(p, "page_title", json_object_get(c, "title"));
    res_page(req, res, 200, "materials", p);
    res->no_store = true;
}

/* ---- delivery ---- */

/* GET /materials/{id} */
void page_material_download(request *req, response *res)
{
    char *end;
    long long id = strtoll(req_param(req, "id"), &end, 10);
    json_t *m = (*end || id <= 0) ? NULL : material_load(id);
    if (!m) {
        res_error(req, res, 404, "error.not_found");
        return;
    }
    if (!may_read(req, m)) {
        res_error(req, res, 403, "materials.not_participant");
        return;
    }
    const char *sha = json_string_value(json_object_get(m, "sha256"));
    const char *ct = json_string_value(json_object_get(m, "content_type"));
    uint64_t size = (uint64_t)json_integer_value(json_object_get(m, "size"));
    char etag[40], modified[40];
    snprintf(etag, sizeof etag, "\"%.32s\"", sha);
    time_t created;
    if (!parse_utc_iso(json_string_value(json_object_get(m, "created_at")), &created))
        created = 0;
    http_date(created, modified, sizeof modified);
    res_header(res, "ETag", arena_strdup(req->a, etag));
    res_header(res, "Last-Modified", arena_strdup(req->a, modified));
    res_header(res, "Accept-Ranges", "bytes");
    res_header(res, "Cache-Control", "private, max-age=0, must-revalidate");
    const char *inm = req_header(req, "If-None-Match");
    const char *ims = req_header(req, "If-Modified-Since");
    if ((inm && strstr(inm, etag)) || (!inm && ims && strcmp(ims, modified) == 0)) {
        res_text(res, 304, NULL, "", 0);
        return;
    }
    int fd = open(content_path(req->a, sha), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        log_error("material %lld: content file missing", id);
        res_error(req, res, 500, "error.not_found");
        return;
    }
    /* Names stored before they were neutralised at upload are made safe
     * here too: the saved file must be called what it shows. */
    char *fname = arena_strdup(req->a, json_string_value(json_object_get(m, "file_name")));
    res_header(res, "Content-Disposition",
               content_disposition(req->a, is_video(ct) || strncmp(ct, "audio/", 6) == 0 ||
                                               strcmp(ct, "application/pdf") == 0
                                           ? "inline" : "attachment",
                                   fname ? file_name_neutralise(fname) : "file"));
    uint64_t from = 0, len = size;
    enum range_kind rk = parse_range(req_header(req, "Range"), size, &from, &len);
    if (rk == RANGE_BAD) {
        close(fd);
        res_header(res, "Content-Range", arena_printf(req->a, "bytes */%llu",
                                                      (unsigned long long)size));
        res_text(res, 416, "text/plain; charset=utf-8", "", 0);
        return;
    }
    res->status = rk == RANGE_ONE ? 206 : 200;
    if (rk == RANGE_ONE)
        res_header(res, "Content-Range",
                   arena_printf(req->a, "bytes %llu-%llu/%llu", (unsigned long long)from,
                                (unsigned long long)(from + len - 1), (unsigned long long)size));
    res->content_type = ct;
    res->has_file = true;
    res->file_fd = fd;
    res->file_offset = from;
    res->file_length = len;
    res->no_store = false;
}

/* GET /events/{slug}/courses/{course}/materials.zip: everything the
 * participant may read, in one archive (stored, not recompressed: video
 * and office files are compressed already). */
void page_materials_zip(request *req, response *res)
{
    const char *slug = req_param(req, "slug"), *course = req_param(req, "course");
    bool staff = is_staff_for(req, slug, course);
    if (!staff && !participant_of(req->user.id, slug, course)) {
        res_error(req, res, 403, "materials.not_participant");
        return;
    }
    json_t *list = materials_list(slug, course, !staff);
    if (!json_array_size(list)) {
        res_error(req, res, 404, "materials.none");
        return;
    }
    const char *dir = arena_printf(req->a, "%s/tmp", app_config()->data_dir);
    mkdir(dir, 0700);
    const char *path = arena_printf(req->a, "%s/zip-%d-%ld.zip", dir, (int)getpid(),
                                    (long)random());
    int err = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!z) {
        res_error(req, res, 500, "error.export");
        return;
    }
    size_t i;
    json_t *m;
    json_array_foreach(list, i, m) {
        const char *sha = json_string_value(json_object_get(m, "sha256"));
        /* Names inside the archive are numbered, so two materials with the
         * same file name cannot collide, and no path can be smuggled in. */
        char *safe = arena_printf(req->a, "%02zu-%s", i + 1,
                                  json_string_value(json_object_get(m, "file_name")));
        const char *file = content_path(req->a, sha);
        /* A name is made safe, never a reason to leave the file out; a file
         * that cannot be added fails the whole archive rather than
         * vanishing from it. */
        zip_source_t *src = safe && file ? zip_source_file(z, file, 0, -1) : NULL;
        zip_int64_t idx = src ? zip_file_add(z, file_name_neutralise(safe), src,
                                             ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0 || access(file, R_OK) != 0) {
            log_error("materials.zip: material %lld cannot be added: %s",
                      (long long)json_integer_value(json_object_get(m, "id")), zip_strerror(z));
            if (idx < 0)
                zip_source_free(src);
            zip_discard(z);
            unlink(path);
            res_error(req, res, 500, "error.export");
            return;
        }
        zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
    }
    if (zip_close(z) != 0) {
        zip_discard(z);
        unlink(path);
        res_error(req, res, 500, "error.export");
        return;
    }
    if (!res_file(res, path, "application/zip", true)) {
        res_error(req, res, 500, "error.export");
        return;
    }
    res->no_store = true;
    res_header(res, "Content-Disposition",
               content_disposition(req->a, "attachment",
                                   arena_printf(req->a, "%s-%s.zip", slug, course)));
}

/* ---- upload ---- */

static const struct field_spec upload_fields[] = {
    {.name = "course", .v = V_SLUG},
    {.name = "session", .v = V_INT, .min = 0, .max = INT64_MAX},
    {.name = "title_es", .v = V_LINE, .max_len = 200},
    {.name = "title_en", .v = V_LINE, .max_len = 200},
    {.name = "description_es", .v = V_TEXT, .max_len = 2000},
    {.name = "description_en", .v = V_TEXT, .max_len = 2000},
    {.name = "visible_from", .v = V_DATETIME},
};
const struct form_spec material_form = FORM_SPEC(upload_fields);

/* The role's part in material (see app/material.h). */
static enum material_role material_role_of(request *req)
{
    return req->user.role >= ROLE_COORDINATOR ? MATERIAL_MANAGER
           : req->user.role == ROLE_TRAINER  ? MATERIAL_TRAINER
                                              : MATERIAL_READER;
}

/* The shared part of the console and API uploads: the operation called
 * with the request's file; returns the new id or 0 with *status and *key
 * set. */
static int64_t store_upload(request *req, const char *slug, const char *course,
                            const struct form_values *f, int *status, const char **key)
{
    *status = 422;
    if (!f->ok) {
        *key = "error.form";
        return 0;
    }
    struct material_upload in = {
        .edition = slug, .course = course, .session = form_int(f, "session"),
        .title_es = form_str(f, "title_es"), .title_en = form_str(f, "title_en"),
        .description_es = form_str(f, "description_es"),
        .description_en = form_str(f, "description_en"),
        .visible_from = form_str(f, "visible_from"),
        .tmp_path = req->upload.tmp_path, .file_name = req->upload.file_name,
        .sha256 = req->upload.sha256, .size = req->upload.size, .present = req->upload.present,
    };
    struct app_ctx ctx = page_ctx(req);
    struct app_err err;
    int64_t id = 0;
    if (material_upload(&ctx, material_role_of(req), &in, &id, &err))
        return id;
    /* Content of a type not accepted is 415, whatever else is wrong with it. */
    *status = strcmp(err.key, "materials.bad_type") == 0 ? 415 : page_status_of(err.kind);
    *key = err.key;
    return 0;
}

static void show_admin(request *req, response *res, int status, const char *error_key,
                       const struct form_values *f)
{
    const char *slug = req_param(req, "slug");
    json_t *p = programme_load(slug, true);
    if (!p) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    json_t *all = materials_list(slug, NULL, false), *list = all;
    if (req->user.role < ROLE_COORDINATOR) {
        /* A trainer sees the material of the courses they teach, not the
         * whole edition's. */
        list = json_array();
        size_t i;
        json_t *m;
        json_array_foreach(all, i, m) {
            if (is_staff_for(req, slug, json_string_value(json_object_get(m, "course"))))
                json_array_append(list, m);
        }
    }
    decorate(req, list);
    /* Each material's course by its title, not its slug. */
    size_t ci;
    json_t *m, *c;
    json_array_foreach(list, ci, m) {
        const char *course = json_string_value(json_object_get(m, "course"));
        if ((c = programme_course(p, course)))
            json_object_set(m, "course_title", json_object_get(c, "title"));
    }
    json_object_set_new(p, "materials", list);
    json_object_set_new(p, "csrf", json_string(csrf_token(req, res)));
    json_object_set_new(p, "page_title", bilingual_tr("materials.admin_title"));
    json_object_set_new(p, "limit_label", json_string(size_label(req->a, (json_int_t)app_config()->max_upload)));
    if (error_key)
        json_object_set_new(p, "error", bilingual_tr(error_key));
    if (f && f->spec) {
        json_t *kept = json_object();
        for (size_t i = 0; i < f->spec->n; i++)
            json_object_set_new(kept, f->spec->fields[i].name, json_string(f->v[i].s ? f->v[i].s : ""));
        json_object_set_new(p, "kept", kept);
    }
    if (req_query(req, "saved"))
        json_object_set_new(p, "saved", json_true());
    res_page(req, res, status, "admin_materials", p);
    res->no_store = true;
}

void admin_materials(request *req, response *res)
{
    show_admin(req, res, 200, NULL, NULL);
}

void admin_material_upload(request *req, response *res)
{
    const char *slug = req_param(req, "slug");
    const struct form_values *f = &req->form;
    int status;
    const char *key;
    int64_t id = store_upload(req, slug, form_str(f, "course"), f, &status, &key);
    if (!id) {
        show_admin(req, res, status, key, f);
        return;
    }
    res_redirect(req, res, arena_printf(req->a, "/admin/events/%s/materials?saved=1", slug));
}

static const struct field_spec delete_fields[] = {
    {.name = "id", .v = V_INT, .required = true, .min = 1, .max = INT64_MAX},
};
const struct form_spec material_delete_form = FORM_SPEC(delete_fields);

void admin_material_delete(request *req, response *res)
{
    struct app_ctx ctx = page_ctx(req);
    struct app_err err;
    if (!material_remove(&ctx, material_role_of(req), req_param(req, "slug"),
                         req->form.ok ? form_int(&req->form, "id") : 0, &err)) {
        res_error(req, res, page_status_of(err.kind), err.key);
        return;
    }
    res_redirect(req, res, arena_printf(req->a, "/admin/events/%s/materials", req_param(req, "slug")));
}

/* ---- API ---- */

void api_material_upload(request *req, response *res)
{
    const char *slug = req_param(req, "slug"), *course = req_param(req, "course");
    int status;
    const char *key;
    int64_t id = store_upload(req, slug, course, &req->form, &status, &key);
    if (!id) {
        res_error(req, res, status, key);
        return;
    }
    json_t *m = material_load(id);
    json_t *list = json_array();
    json_array_append(list, m);
    decorate(req, list);
    res_json(req, res, 201, m);
    res_header(res, "Location", json_string_value(json_object_get(m, "download_url")));
}

void api_materials(request *req, response *res)
{
    const char *slug = req_param(req, "slug"), *course = req_param(req, "course");
    struct app_ctx ctx = page_ctx(req);
    struct app_err err;
    json_t *list = materials_of_course(&ctx, material_role_of(req), slug, course, NULL, &err);
    if (!list) {
        res_error(req, res, page_status_of(err.kind), err.key);
        return;
    }
    decorate(req, list);
    res_json(req, res, 200, list);
    res->no_store = true;
}
