/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "address.h"

#include <stdio.h>
#include <string.h>

/* The choices a candidate makes about themselves, as stored. */
const char *const forms_of_address[] = {"ambassador", "minister", "counsellor", "secretary",
                                        "attache", "dr", "prof", "mr", "ms", "mx", NULL};
const char *const genders[] = {"female", "male", "other", "undisclosed", NULL};
const char *const institution_types[] = {"foreign_ministry", "public_body", "academia",
                                         "international_organisation", "other", NULL};

const char *address_label(lang_t lang, const char *form, const char *gender)
{
    char key[64];
    const char *g = gender && strcmp(gender, "female") == 0 ? "f"
                    : gender && strcmp(gender, "male") == 0 ? "m"
                                                            : "x";
    snprintf(key, sizeof key, "address.%s.%s", form ? form : "", g);
    if (tr_has(lang, key))
        return tr(lang, key);
    snprintf(key, sizeof key, "address.%s", form ? form : "");
    return tr_has(lang, key) ? tr(lang, key) : "";
}

const char *full_name(arena *a, lang_t lang, json_t *application)
{
    const char *form = json_string_value(json_object_get(application, "form_of_address"));
    const char *gender = json_string_value(json_object_get(application, "gender"));
    const char *label = address_label(lang, form, gender);
    return arena_printf(a, "%s%s%s %s", label, *label ? " " : "",
                        json_string_value(json_object_get(application, "given_names")),
                        json_string_value(json_object_get(application, "family_names")));
}
