/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "admin_entities.h"

#include <string.h>

#include "../domain/programme.h"

#define TEXT2(base, req, multi)                                                 \
    {.name = base "_es", .v = (multi) ? V_TEXT : V_LINE, .required = (req)},   \
    {.name = base "_en", .v = (multi) ? V_TEXT : V_LINE}

static const char *const edition_cols[] = {
    "slug", "title_es", "title_en", "subtitle_es", "subtitle_en", "time_zone", "starts_on",
    "ends_on", "applications_open", "applications_close", "status", "platform",
    "introduction_es", "introduction_en", "justification_es", "justification_en",
    "audience_es", "audience_en", "contact_name", "contact_email", "reminder_offsets", NULL};
static const struct field_spec edition_fields[] = {
    {.name = "slug", .v = V_SLUG, .required = true},
    TEXT2("title", true, false),
    TEXT2("subtitle", false, false),
    {.name = "time_zone", .v = V_TZ, .required = true},
    {.name = "starts_on", .v = V_DATE, .required = true},
    {.name = "ends_on", .v = V_DATE, .required = true},
    {.name = "applications_open", .v = V_DATETIME},
    {.name = "applications_close", .v = V_DATETIME},
    {.name = "status", .v = V_CHOICE, .required = true, .choices = programme_statuses},
    {.name = "platform", .v = V_LINE},
    TEXT2("introduction", false, true),
    TEXT2("justification", false, true),
    TEXT2("audience", false, true),
    {.name = "contact_name", .v = V_LINE},
    {.name = "contact_email", .v = V_EMAIL},
    {.name = "reminder_offsets", .v = V_LINE, .required = true, .max_len = 60},
};

static const char *const course_cols[] = {"slug", "title_es", "title_en", "summary_es",
                                          "summary_en", "hours", "capacity", "meeting_url",
                                          "rule_percent", "rule_min_day_percent", NULL};
static const struct field_spec course_fields[] = {
    {.name = "slug", .v = V_SLUG, .required = true},
    TEXT2("title", true, false),
    TEXT2("summary", false, true),
    {.name = "hours", .v = V_INT, .required = true, .min = 1, .max = 1000},
    {.name = "capacity", .v = V_INT, .required = true, .min = 1, .max = 100000},
    {.name = "meeting_url", .v = V_URL},
    {.name = "rule_percent", .v = V_INT, .required = true, .min = 0, .max = 100},
    {.name = "rule_min_day_percent", .v = V_INT, .required = true, .min = 0, .max = 100},
};

static const char *const day_cols[] = {"day", NULL};
static const struct field_spec day_fields[] = {
    {.name = "day", .v = V_DATE, .required = true},
};

static const char *const block_cols[] = {"start_local", "end_local", NULL};
static const struct field_spec block_fields[] = {
    {.name = "start_local", .v = V_TIME, .required = true},
    {.name = "end_local", .v = V_TIME, .required = true},
};

static const char *const session_cols[] = {"number", "kind", "title_es", "title_en", NULL};
static const struct field_spec session_fields[] = {
    {.name = "number", .v = V_INT, .min = 0, .max = 999},
    {.name = "kind", .v = V_CHOICE, .required = true, .choices = programme_session_kinds},
    TEXT2("title", true, false),
};

static const char *const topic_cols[] = {"text_es", "text_en", NULL};
static const struct field_spec topic_fields[] = {
    TEXT2("text", true, false),
};

static const char *const person_cols[] = {"slug", "name", "honorific_es", "honorific_en",
                                          "position_es", "position_en", "bio_es", "bio_en",
                                          "account_email", NULL};
static const struct field_spec person_fields[] = {
    {.name = "slug", .v = V_SLUG, .required = true},
    {.name = "name", .v = V_LINE, .required = true},
    TEXT2("honorific", false, false),
    TEXT2("position", false, false),
    TEXT2("bio", false, true),
    {.name = "account_email", .v = V_EMAIL},
};

static const char *const institution_cols[] = {"slug", "name_es", "name_en", "short_name",
                                               "role", "url", NULL};
static const struct field_spec institution_fields[] = {
    {.name = "slug", .v = V_SLUG, .required = true},
    TEXT2("name", true, false),
    {.name = "short_name", .v = V_LINE},
    {.name = "role", .v = V_CHOICE, .required = true, .choices = programme_institution_roles},
    {.name = "url", .v = V_URL},
};

static const char *const signatory_cols[] = {"name", "title_es", "title_en", NULL};
static const struct field_spec signatory_fields[] = {
    {.name = "name", .v = V_LINE, .required = true},
    TEXT2("title", false, false),
};

#define ENTITY(k, tbl, pcol, pkind, cols, fields) \
    {{k, tbl, pcol, cols}, pkind, FORM_SPEC(fields)}

static const struct admin_entity entities[] = {
    ENTITY("edition", "edition", "organisation_id", NULL, edition_cols, edition_fields),
    ENTITY("course", "course", "edition_id", "edition", course_cols, course_fields),
    ENTITY("day", "course_day", "course_id", "course", day_cols, day_fields),
    ENTITY("block", "time_block", "day_id", "day", block_cols, block_fields),
    ENTITY("session", "programme_session", "block_id", "block", session_cols, session_fields),
    ENTITY("topic", "topic", "session_id", "session", topic_cols, topic_fields),
    ENTITY("person", "person", "edition_id", "edition", person_cols, person_fields),
    ENTITY("institution", "institution", "edition_id", "edition", institution_cols,
           institution_fields),
    ENTITY("signatory", "signatory", "edition_id", "edition", signatory_cols, signatory_fields),
};

const struct admin_entity *admin_entity(const char *kind)
{
    for (size_t i = 0; kind && i < sizeof entities / sizeof entities[0]; i++)
        if (strcmp(entities[i].def.kind, kind) == 0)
            return &entities[i];
    return NULL;
}
