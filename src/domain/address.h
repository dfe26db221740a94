/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* How to address a person: the form of address in their language, agreeing
 * in gender in Spanish ("Embajadora", "Embajador"), and the name with it. */
#ifndef AULA_ADDRESS_H
#define AULA_ADDRESS_H

#include <jansson.h>

#include "../base/arena.h"
#include "../base/i18n.h"

/* The choices a candidate makes about themselves (values as stored),
 * each list ending in NULL. */
extern const char *const forms_of_address[], *const genders[], *const institution_types[];

/* The label of form for gender in lang ("" when there is none). */
const char *address_label(lang_t lang, const char *form, const char *gender);
/* "Embajadora María Pérez": the form of address, given and family names of
 * an application (its JSON), in a. */
const char *full_name(arena *a, lang_t lang, json_t *application);

#endif
