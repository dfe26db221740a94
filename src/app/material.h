/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Training material: uploading a file for an edition or one of its
 * courses (the console's form and the API), deleting it, and the list a
 * participant or a member of staff sees.  Content lives in DATA/files
 * under its SHA-256; the database holds what it is. */
#ifndef AULA_APP_MATERIAL_H
#define AULA_APP_MATERIAL_H

#include <jansson.h>

#include "app.h"

/* What the person acting may do with material, from their role: read what
 * their courses publish, manage the courses they teach, or manage all. */
enum material_role { MATERIAL_READER, MATERIAL_TRAINER, MATERIAL_MANAGER };

/* Whether role may manage the material of course (NULL: edition-wide). */
bool material_may_manage(const struct app_ctx *ctx, enum material_role role, const char *edition,
                         const char *course);

/* An uploaded file (already on disk at tmp_path, its hash computed) and
 * what it is.  Empty strings count as absent. */
struct material_upload {
    const char *edition, *course;        /* course NULL or "": edition-wide */
    int64_t session;                      /* 0: none */
    const char *title_es, *title_en, *description_es, *description_en;
    const char *visible_from;             /* YYYY-MM-DDTHH:MM in the edition's zone, or "" */
    const char *tmp_path, *file_name, *sha256;
    uint64_t size;
    bool present;                         /* a file came at all */
};

/* Keeps the file under its content address and records it; *id is the
 * new material's.  Refusals: APP_INVALID "materials.no_file",
 * "materials.no_title", "materials.bad_type" (the content is not a type
 * accepted), "materials.no_session"; APP_FORBIDDEN "materials.not_trainer";
 * APP_NOT_FOUND "error.no_course"; APP_BUSY "error.busy", "error.too_much". */
bool material_upload(const struct app_ctx *ctx, enum material_role role,
                     const struct material_upload *in, int64_t *id, struct app_err *err);

/* Deletes material id of edition (and its content when nothing else uses
 * it).  Refusals: APP_NOT_FOUND "error.not_found", APP_FORBIDDEN
 * "materials.not_trainer". */
bool material_remove(const struct app_ctx *ctx, enum material_role role, const char *edition,
                     int64_t id, struct app_err *err);

/* The material of course the person acting may see: all of it for staff
 * of the course (*staff set), what is visible now for its registered
 * participants.  NULL with APP_FORBIDDEN "materials.not_participant" for
 * anyone else. */
json_t *materials_of_course(const struct app_ctx *ctx, enum material_role role,
                            const char *edition, const char *course, bool *staff,
                            struct app_err *err);

/* Where content with this hash lives: DATA/files/ab/abcdef... */
const char *material_content_path(const struct app_ctx *ctx, const char *sha256);

#endif
