/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Training material (see material.h): upload, delete, the list of a course. */
#include "material.h"

#include <magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/log.h"
#include "../base/text.h"
#include "../base/timeutil.h"
#include "../store/account_store.h"
#include "../store/material_store.h"
#include "../store/programme_store.h"

/* Types accepted, decided from the content (libmagic), never the name. */
static const char *const accepted_types[] = {
    "application/pdf", "text/plain", "text/csv", "text/markdown",
    "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "video/mp4", "video/webm", "audio/mpeg", "audio/ogg", "audio/mp4", "audio/x-m4a",
    "audio/webm", "audio/wav", "audio/x-wav", "video/quicktime", NULL};

static _Thread_local magic_t magic;

/* The content type of a file from its bytes, or NULL when it is not one
 * we accept. */
static const char *sniff(arena *a, const char *path)
{
    if (!magic) {
        magic = magic_open(MAGIC_MIME_TYPE);
        if (!magic || magic_load(magic, NULL) != 0) {
            log_error("libmagic: %s", magic ? magic_error(magic) : "cannot start");
            return NULL;
        }
    }
    const char *t = magic_file(magic, path);
    if (!t)
        return NULL;
    /* WebM audio-only files are reported as video/webm; both are fine. */
    for (const char *const *p = accepted_types; *p; p++)
        if (strcmp(*p, t) == 0)
            return arena_strdup(a, t);
    return NULL;
}

const char *material_content_path(const struct app_ctx *ctx, const char *sha256)
{
    return arena_printf(ctx->a, "%s/files/%.2s/%s", ctx->cfg->data_dir, sha256, sha256);
}

/* Moves the uploaded temporary file to its content address (or leaves it
 * when the same content is already stored: the caller removes it). */
static bool keep_file(const struct app_ctx *ctx, const char *tmp_path, const char *sha256)
{
    const char *dir = arena_printf(ctx->a, "%s/files", ctx->cfg->data_dir);
    mkdir(dir, 0700);
    dir = arena_printf(ctx->a, "%s/files/%.2s", ctx->cfg->data_dir, sha256);
    mkdir(dir, 0700);
    const char *dest = material_content_path(ctx, sha256);
    if (!dest)
        return false;
    if (access(dest, F_OK) == 0)
        return true;
    return rename(tmp_path, dest) == 0;
}

bool material_may_manage(const struct app_ctx *ctx, enum material_role role, const char *edition,
                         const char *course)
{
    if (role == MATERIAL_MANAGER)
        return true;
    return role == MATERIAL_TRAINER && course && *course && ctx->actor &&
           trainer_of(ctx->actor, edition, course);
}

static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

/* What the browser called the file, shown as text only: its last path
 * component, valid UTF-8, control and direction characters as '_' (so
 * "invoice\u202Efdp.exe" reads as it is). */
static const char *shown_name(arena *a, const char *file_name)
{
    if (!file_name)
        return "file";
    const char *slash = strrchr(file_name, '/');
    if (slash)
        file_name = slash + 1;
    slash = strrchr(file_name, '\\');
    if (slash)
        file_name = slash + 1;
    if (!*file_name || !utf8_valid(file_name, strlen(file_name)))
        file_name = "file";
    char *clean = arena_strdup(a, file_name);
    return clean ? file_name_neutralise(clean) : "file";
}

bool material_upload(const struct app_ctx *ctx, enum material_role role,
                     const struct material_upload *in, int64_t *id, struct app_err *err)
{
    *id = 0;
    if (!in->present || in->size == 0 || !in->tmp_path || !in->sha256)
        return app_fail(err, APP_INVALID, "materials.no_file", NULL);
    if (!nonempty(in->title_es) && !nonempty(in->title_en))
        return app_fail(err, APP_INVALID, "materials.no_title", NULL);
    const char *course = nonempty(in->course);
    if (!material_may_manage(ctx, role, in->edition, course))
        return app_fail(err, APP_FORBIDDEN, "materials.not_trainer", NULL);
    const char *ct = sniff(ctx->a, in->tmp_path);
    if (!ct)
        return app_fail(err, APP_INVALID, "materials.bad_type", NULL);
    /* The visibility date is entered in the edition's time zone. */
    const char *visible = NULL;
    if (nonempty(in->visible_from)) {
        json_t *p = programme_load(in->edition, false);
        int y, mo, d, h, mi;
        time_t t;
        if (p && parse_datetime_local(in->visible_from, &y, &mo, &d, &h, &mi) &&
            local_to_utc(json_string_value(json_object_get(json_object_get(p, "edition"), "time_zone")),
                         y, mo, d, h, mi, &t)) {
            char *buf = arena_alloc(ctx->a, 32);
            /* Saving without the date would publish the file at once. */
            if (!buf)
                return app_fail(err, APP_BUSY, "error.too_much", NULL);
            format_utc_iso(t, buf, 32);
            visible = buf;
        }
    }
    if (!keep_file(ctx, in->tmp_path, in->sha256))
        return app_fail(err, APP_BUSY, "error.busy", NULL);
    const char *file_name = shown_name(ctx->a, in->file_name);
    struct material_input m = {
        .edition_slug = in->edition, .course_slug = course,
        .session_id = in->session,
        .title_es = nonempty(in->title_es), .title_en = nonempty(in->title_en),
        .description_es = nonempty(in->description_es),
        .description_en = nonempty(in->description_en),
        .file_name = file_name, .content_type = ct, .sha256 = in->sha256,
        .visible_from = visible, .created_by = ctx->actor, .size = in->size,
    };
    switch (material_add(&m, id)) {
    case MATERIAL_OK:
        audit(ctx->actor, "material.upload",
              arena_printf(ctx->a, "material:%lld", (long long)*id), file_name);
        return true;
    case MATERIAL_NO_COURSE:
        app_fail(err, APP_NOT_FOUND, "error.no_course", NULL);
        break;
    case MATERIAL_NO_SESSION:
        app_fail(err, APP_INVALID, "materials.no_session", NULL);
        break;
    case MATERIAL_ERROR:
        app_fail(err, APP_BUSY, "error.busy", NULL);
        break;
    }
    /* Content nobody refers to is removed again. */
    if (material_uses(in->sha256) == 0)
        unlink(material_content_path(ctx, in->sha256));
    *id = 0;
    return false;
}

bool material_remove(const struct app_ctx *ctx, enum material_role role, const char *edition,
                     int64_t id, struct app_err *err)
{
    json_t *m = id > 0 ? material_load(id) : NULL;
    const char *of = json_string_value(json_object_get(m, "edition"));
    if (!m || !of || strcmp(of, edition) != 0)
        return app_fail(err, APP_NOT_FOUND, "error.not_found", NULL);
    if (!material_may_manage(ctx, role, edition, json_string_value(json_object_get(m, "course"))))
        return app_fail(err, APP_FORBIDDEN, "materials.not_trainer", NULL);
    char sha[65];
    if (material_delete(id, sha) && material_uses(sha) == 0)
        unlink(material_content_path(ctx, sha));
    audit(ctx->actor, "material.delete", arena_printf(ctx->a, "material:%lld", (long long)id), NULL);
    return true;
}

json_t *materials_of_course(const struct app_ctx *ctx, enum material_role role,
                            const char *edition, const char *course, bool *staff,
                            struct app_err *err)
{
    bool manages = material_may_manage(ctx, role, edition, course);
    if (staff)
        *staff = manages;
    if (!manages && !participant_of(ctx->actor_id, edition, course)) {
        app_fail(err, APP_FORBIDDEN, "materials.not_participant", NULL);
        return NULL;
    }
    return materials_list(edition, course, !manages);
}
