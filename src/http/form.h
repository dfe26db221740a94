/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Form bodies: parsing (urlencoded and multipart) and declared validation.
 *
 * Parsing turns a body into raw name/value pairs; validation checks them
 * against a declared list of fields, each with its validator, and produces
 * typed values.  Fields that are not declared are dropped there, so a
 * handler never sees input nobody declared. */
#ifndef AULA_FORM_H
#define AULA_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/arena.h"
#include "../base/text.h"

struct form_pair {
    const char *name;
    const char *value;   /* NUL-terminated; may contain no NUL (rejected) */
    size_t len;
    const char *filename;     /* multipart file parts only */
    const char *content_type; /* multipart parts only */
};

struct form_raw {
    struct form_pair *pairs;
    size_t n;
};

enum { FORM_MAX_PAIRS = 512 };

/* Parses application/x-www-form-urlencoded (also used for query strings).
 * Returns false for malformed percent-encoding or too many pairs. */
bool form_parse_urlencoded(arena *a, const char *body, size_t len, struct form_raw *out);
/* Parses multipart/form-data with the boundary from content_type.
 * Returns false when the structure is malformed. */
bool form_parse_multipart(arena *a, const char *content_type, const char *body,
                          size_t len, struct form_raw *out);

typedef enum {
    V_LINE,     /* one line of text: no control characters */
    V_TEXT,     /* multi-line text: newlines and tabs allowed */
    V_EMAIL,
    V_INT,      /* decimal integer within [min, max] */
    V_DATE,     /* YYYY-MM-DD */
    V_TIME,     /* HH:MM */
    V_DATETIME, /* YYYY-MM-DDTHH:MM (datetime-local) */
    V_SLUG,     /* a-z 0-9 and hyphens, starting with a letter or digit */
    V_BOOL,     /* a checkbox: present means true */
    V_CHOICE,   /* one of choices[] */
    V_TZ,       /* a zone of the tz database */
    V_URL,      /* http or https URL */
    V_PASSWORD, /* any characters but control ones, not trimmed */
    V_TOKEN,    /* opaque ASCII token (CSRF, ids): [A-Za-z0-9_-] */
} validator;

struct field_spec {
    const char *name;
    validator v;
    bool required;
    size_t max_len;               /* 0: the validator's default */
    long long min, max;           /* V_INT bounds */
    const char *const *choices;   /* V_CHOICE, NULL-terminated */
    bool multiple;                /* several values allowed, whatever the validator:
                                     each is checked, empty ones dropped (many) */
    bool repeated;                /* one value per row of a table form: every
                                     value kept in order, empty ones too, each
                                     with its own error (many, errors) */
};

struct form_spec {
    const struct field_spec *fields;
    size_t n;
};

#define FORM_SPEC(arr) {(arr), sizeof(arr) / sizeof((arr)[0])}

struct field_value {
    bool present;          /* given and valid */
    const char *s;         /* normalised text (trimmed), "" when absent; when
                              the field has an error, what was entered, for
                              showing the form again */
    long long i;           /* V_INT, V_BOOL */
    const char *error;     /* i18n key of the problem, NULL when fine */
    const char **many;     /* multiple: the chosen values; repeated: every
                              value in order, "" where left empty */
    size_t nmany;
    long long *ints;       /* repeated V_INT: the values of many */
    const char **errors;   /* repeated: the problem of each value, or NULL */
};

struct form_values {
    const struct form_spec *spec;
    struct field_value *v;
    bool ok; /* no field has an error */
};

/* Validates raw pairs against spec.  Never fails: problems are recorded
 * per field as i18n keys ("error.required", "error.email", ...). */
void form_validate(arena *a, const struct form_spec *spec, const struct form_raw *raw,
                   struct form_values *out);

/* Lookups by declared name (a name not in the spec is a programming error
 * and returns an empty value). */
const struct field_value *form_get(const struct form_values *f, const char *name);
const char *form_str(const struct form_values *f, const char *name);
long long form_int(const struct form_values *f, const char *name);
bool form_bool(const struct form_values *f, const char *name);

/* The value of name in raw pairs (first one), or NULL. */
const char *form_raw_get(const struct form_raw *raw, const char *name);


#endif
