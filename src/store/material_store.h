/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Training material: metadata in the database, content in files named by
 * their SHA-256 under DATA/files/. */
#ifndef AULA_MATERIAL_STORE_H
#define AULA_MATERIAL_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct material_input {
    const char *edition_slug, *course_slug; /* course may be NULL: edition-wide */
    int64_t session_id;                     /* 0: none */
    const char *title_es, *title_en, *description_es, *description_en;
    const char *file_name, *content_type, *sha256, *visible_from, *created_by;
    uint64_t size;
};

enum material_result { MATERIAL_OK, MATERIAL_NO_COURSE, MATERIAL_NO_SESSION, MATERIAL_ERROR };
enum material_result material_add(const struct material_input *in, int64_t *id);
/* One material with its edition and course slugs, or NULL. */
json_t *material_load(int64_t id);
/* Materials of an edition (course NULL: all of them), newest last.  With
 * visible_only, those whose visibility date has not come are left out. */
json_t *materials_list(const char *edition_slug, const char *course_slug, bool visible_only);
bool material_delete(int64_t id, char *sha256_out);
/* How many materials still use this content (to delete the file when none). */
int material_uses(const char *sha256);

/* Whether account may see the material of course: registered participant
 * (course NULL: of any course of the edition). */
bool participant_of(int64_t account_id, const char *edition_slug, const char *course_slug);
/* Whether a trainer account teaches the course (a person of the edition
 * with that account email is one of the course's trainers). */
bool trainer_of(const char *email, const char *edition_slug, const char *course_slug);

#endif
