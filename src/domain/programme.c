/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "programme.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../base/timeutil.h"
#include "../base/text.h"
#include "evaluation.h"

const char *const programme_session_kinds[] = {"welcome", "session", "break", "closing", NULL};
const char *const programme_person_roles[] = {"speaker", "moderator", "trainer", NULL};
const char *const programme_institution_roles[] = {"organiser", "partner", "sponsor", NULL};
const char *const programme_statuses[] = {"draft", "published", "archived", NULL};

struct check {
    char path[512];
    size_t len;
    char *out_path;
    size_t out_pathlen;
    char *msg;
    size_t msglen;
    bool failed;
};

/* Paths are built by appending a segment before descending and cutting it
 * off afterwards, so the current path is always the one being checked. */
static size_t push(struct check *c, const char *fmt, ...)
{
    size_t saved = c->len;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(c->path + c->len, sizeof c->path - c->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        c->len = c->len + (size_t)n < sizeof c->path ? c->len + (size_t)n : sizeof c->path - 1;
    return saved;
}

static void pop(struct check *c, size_t saved)
{
    c->len = saved;
    c->path[saved] = '\0';
}

static bool fail(struct check *c, const char *fmt, ...)
{
    if (c->failed)
        return false;
    c->failed = true;
    snprintf(c->out_path, c->out_pathlen, "%s", c->path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->msg, c->msglen, fmt, ap);
    va_end(ap);
    return false;
}

static bool only_keys(struct check *c, json_t *obj, const char *const *keys)
{
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v) {
        bool known = false;
        for (const char *const *p = keys; *p; p++)
            if (strcmp(*p, k) == 0)
                known = true;
        if (!known) {
            size_t s = push(c, ".%s", k);
            fail(c, "unknown field \"%s\"", k);
            pop(c, s);
            return false;
        }
    }
    return true;
}

static bool good_string(json_t *v, size_t max)
{
    return json_is_string(v) && json_string_length(v) <= max &&
           strlen(json_string_value(v)) == json_string_length(v) &&
           utf8_valid(json_string_value(v), json_string_length(v));
}

/* A required or optional field of obj; calls fn with the path extended. */
typedef bool (*field_fn)(struct check *c, json_t *v, const void *arg);

static bool field(struct check *c, json_t *obj, const char *name, bool required, field_fn fn,
                  const void *arg)
{
    json_t *v = json_object_get(obj, name);
    size_t s = push(c, ".%s", name);
    bool ok;
    if (!v)
        ok = required ? fail(c, "missing required field") : true;
    else if (json_is_null(v))
        ok = required ? fail(c, "must not be null") : true;
    else
        ok = fn(c, v, arg);
    pop(c, s);
    return ok;
}

static bool is_text(struct check *c, json_t *v, const void *arg)
{
    (void)arg;
    if (!json_is_object(v))
        return fail(c, "expected an object with \"es\" and/or \"en\" text");
    static const char *const keys[] = {"es", "en", NULL};
    if (!only_keys(c, v, keys))
        return false;
    int present = 0;
    for (int i = 0; keys[i]; i++) {
        json_t *s = json_object_get(v, keys[i]);
        if (!s)
            continue;
        size_t p = push(c, ".%s", keys[i]);
        if (!good_string(s, 20000) || json_string_length(s) == 0) {
            fail(c, "expected non-empty UTF-8 text of at most 20000 bytes");
            pop(c, p);
            return false;
        }
        pop(c, p);
        present++;
    }
    return present ? true : fail(c, "needs at least one of \"es\" and \"en\"");
}

static bool is_line(struct check *c, json_t *v, const void *arg)
{
    (void)arg;
    if (!good_string(v, 500) || json_string_length(v) == 0)
        return fail(c, "expected a non-empty string of at most 500 bytes");
    for (const char *p = json_string_value(v); *p; p++)
        if ((unsigned char)*p < 0x20)
            return fail(c, "must be a single line");
    return true;
}

static bool is_slug(struct check *c, json_t *v, const void *arg)
{
    (void)arg;
    if (!json_is_string(v) || !slug_valid(json_string_value(v)))
        return fail(c, "expected a slug: lower-case letters, digits and hyphens");
    return true;
}

static bool is_date(struct check *c, json_t *v, const void *arg)
{
    (void)arg;
    int y, m, d;
    if (!json_is_string(v) || !parse_date(json_string_value(v), &y, &m, &d))
        return fail(c, "expected a date as YYYY-MM-DD");
    return true;
}

static bool is_hhmm(struct check *c, json_t *v, const void *arg)
{
    (void)arg;
    int h, m;
    if (!json_is_string(v) || !parse_hhmm(json_string_value(v), &h, &m))
        return fail(c, "expected a time as HH:MM");
    return true;
}

static bool is_datetime(struct check *c, json_t *v, const void *arg)
{
    (void)arg;
    int y, mo, d, h, mi;
    if (!json_is_string(v) || !parse_datetime_local(json_string_value(v), &y, &mo, &d, &h, &mi))
        return fail(c, "expected a local date and time as YYYY-MM-DDTHH:MM");
    return true;
}

static bool is_tz(struct check *c, json_t *v, const void *arg)
{
    (void)arg;
    if (!json_is_string(v) || !tz_valid(json_string_value(v)))
        return fail(c, "expected a time zone of the tz database, such as America/Caracas");
    return true;
}

static bool is_email(struct check *c, json_t *v, const void *arg)
{
    (void)arg;
    if (!json_is_string(v) || !email_valid(json_string_value(v)))
        return fail(c, "expected an email address");
    return true;
}

static bool is_url(struct check *c, json_t *v, const void *arg)
{
    (void)arg;
    const char *s = json_string_value(v);
    if (!s || (strncmp(s, "http://", 7) && strncmp(s, "https://", 8)) || strpbrk(s, " \"<>"))
        return fail(c, "expected an http or https URL");
    return true;
}

static bool is_choice(struct check *c, json_t *v, const void *arg)
{
    const char *const *choices = arg;
    const char *s = json_string_value(v);
    if (s)
        for (const char *const *p = choices; *p; p++)
            if (strcmp(*p, s) == 0)
                return true;
    char list[200] = "";
    for (const char *const *p = choices; *p; p++) {
        strncat(list, *p, sizeof list - strlen(list) - 1);
        if (p[1])
            strncat(list, ", ", sizeof list - strlen(list) - 1);
    }
    return fail(c, "expected one of: %s", list);
}

struct int_range {
    long long min, max;
};

static bool is_int(struct check *c, json_t *v, const void *arg)
{
    const struct int_range *r = arg;
    if (!json_is_integer(v) || json_integer_value(v) < r->min || json_integer_value(v) > r->max)
        return fail(c, "expected a whole number from %lld to %lld", r->min, r->max);
    return true;
}

/* Calls fn on every item of an array field. */
static bool each(struct check *c, json_t *arr, field_fn fn, const void *arg, size_t max)
{
    if (!json_is_array(arr))
        return fail(c, "expected an array");
    if (json_array_size(arr) > max)
        return fail(c, "at most %zu items", max);
    size_t i;
    json_t *item;
    json_array_foreach(arr, i, item) {
        size_t s = push(c, "[%zu]", i);
        bool ok = fn(c, item, arg);
        pop(c, s);
        if (!ok)
            return false;
    }
    return true;
}

struct list_arg {
    field_fn fn;
    const void *arg;
    size_t max;
};

static bool is_list(struct check *c, json_t *v, const void *arg)
{
    const struct list_arg *l = arg;
    return each(c, v, l->fn, l->arg, l->max);
}

static bool expect_object(struct check *c, json_t *v, const char *const *keys)
{
    if (!json_is_object(v))
        return fail(c, "expected an object");
    return only_keys(c, v, keys);
}

/* ---- the document ---- */

static bool is_practical(struct check *c, json_t *v, const void *arg)
{
    (void)arg;
    static const char *const keys[] = {"key", "label", "body", NULL};
    return expect_object(c, v, keys) && field(c, v, "key", true, is_slug, NULL) &&
           field(c, v, "label", true, is_text, NULL) && field(c, v, "body", true, is_text, NULL);
}

static bool is_contact(struct check *c, json_t *v, const void *arg)
{
    (void)arg;
    static const char *const keys[] = {"name", "position", "organisation", "phones", "email", NULL};
    static const struct list_arg phones = {is_line, NULL, 10};
    return expect_object(c, v, keys) && field(c, v, "name", true, is_line, NULL) &&
           field(c, v, "position", false, is_text, NULL) &&
           field(c, v, "organisation", false, is_text, NULL) &&
           field(c, v, "phones", false, is_list, &phones) &&
           field(c, v, "email", false, is_email, NULL);
}

static bool is_person(struct check *c, json_t *v, const void *arg)
{
    (void)arg;
    static const char *const keys[] = {"slug", "name", "honorific", "position", "bio", NULL};
    return expect_object(c, v, keys) && field(c, v, "slug", true, is_slug, NULL) &&
           field(c, v, "name", true, is_line, NULL) &&
           field(c, v, "honorific", false, is_text, NULL) &&
           field(c, v, "position", false, is_text, NULL) && field(c, v, "bio", false, is_text, NULL);
}

static bool is_institution(struct check *c, json_t *v, const void *arg)
{
    (void)arg;
    static const char *const keys[] = {"slug", "name", "short_name", "role", "url", NULL};
    return expect_object(c, v, keys) && field(c, v, "slug", true, is_slug, NULL) &&
           field(c, v, "name", true, is_text, NULL) &&
           field(c, v, "short_name", false, is_line, NULL) &&
           field(c, v, "role", true, is_choice, programme_institution_roles) &&
           field(c, v, "url", false, is_url, NULL);
}

/* Who signs the edition's certificates. */
static bool is_signatory(struct check *c, json_t *v, const void *arg)
{
    (void)arg;
    static const char *const keys[] = {"name", "title", NULL};
    return expect_object(c, v, keys) && field(c, v, "name", true, is_line, NULL) &&
           field(c, v, "title", false, is_text, NULL);
}

/* People references are checked against the edition's people list. */
static bool known_person(struct check *c, json_t *v, const void *arg)
{
    json_t *people = (json_t *)arg;
    if (!json_is_string(v))
        return fail(c, "expected a person's slug");
    size_t i;
    json_t *p;
    json_array_foreach(people, i, p) {
        if (json_equal(json_object_get(p, "slug"), v))
            return true;
    }
    return fail(c, "no person with slug \"%s\" in edition.people", json_string_value(v));
}

static bool is_session_person(struct check *c, json_t *v, const void *arg)
{
    static const char *const keys[] = {"person", "role", NULL};
    return expect_object(c, v, keys) && field(c, v, "person", true, known_person, arg) &&
           field(c, v, "role", true, is_choice, programme_person_roles);
}

static bool is_session(struct check *c, json_t *v, const void *people)
{
    static const char *const keys[] = {"number", "kind", "title", "topics", "people", NULL};
    static const struct int_range number = {0, 999};
    static const struct list_arg topics = {is_text, NULL, 100};
    struct list_arg persons = {is_session_person, people, 50};
    return expect_object(c, v, keys) && field(c, v, "number", false, is_int, &number) &&
           field(c, v, "kind", true, is_choice, programme_session_kinds) &&
           field(c, v, "title", true, is_text, NULL) &&
           field(c, v, "topics", true, is_list, &topics) &&
           field(c, v, "people", true, is_list, &persons);
}

static bool is_block(struct check *c, json_t *v, const void *people)
{
    static const char *const keys[] = {"start", "end", "sessions", NULL};
    struct list_arg sessions = {is_session, people, 50};
    if (!expect_object(c, v, keys) || !field(c, v, "start", true, is_hhmm, NULL) ||
        !field(c, v, "end", true, is_hhmm, NULL) ||
        !field(c, v, "sessions", true, is_list, &sessions))
        return false;
    if (strcmp(json_string_value(json_object_get(v, "start")),
               json_string_value(json_object_get(v, "end"))) >= 0) {
        size_t s = push(c, ".end");
        fail(c, "the block must end after it starts");
        pop(c, s);
        return false;
    }
    return true;
}

static bool is_day(struct check *c, json_t *v, const void *people)
{
    static const char *const keys[] = {"date", "blocks", NULL};
    struct list_arg blocks = {is_block, people, 50};
    return expect_object(c, v, keys) && field(c, v, "date", true, is_date, NULL) &&
           field(c, v, "blocks", true, is_list, &blocks);
}

/* A course's evaluation (domain/evaluation.c knows its shape). */
static bool is_evaluation(struct check *c, json_t *v, const void *arg)
{
    (void)arg;
    char where[200], msg[200];
    if (evaluation_validate_settings(v, where, sizeof where, msg, sizeof msg))
        return true;
    size_t s = push(c, "%s", where + 1); /* where starts with "$" */
    fail(c, "%s", msg);
    pop(c, s);
    return false;
}

static bool is_course(struct check *c, json_t *v, const void *people)
{
    static const char *const keys[] = {"slug", "title", "summary", "hours", "capacity",
                                       "trainers", "days", "evaluation", NULL};
    static const struct int_range hours = {1, 1000}, capacity = {1, 100000};
    struct list_arg trainers = {known_person, people, 50};
    struct list_arg days = {is_day, people, 366};
    return expect_object(c, v, keys) && field(c, v, "slug", true, is_slug, NULL) &&
           field(c, v, "title", true, is_text, NULL) &&
           field(c, v, "summary", false, is_text, NULL) &&
           field(c, v, "hours", true, is_int, &hours) &&
           field(c, v, "capacity", true, is_int, &capacity) &&
           field(c, v, "trainers", true, is_list, &trainers) &&
           field(c, v, "days", true, is_list, &days) &&
           field(c, v, "evaluation", false, is_evaluation, NULL);
}

/* Slugs must be unique within a list. */
static bool unique_slugs(struct check *c, json_t *list, const char *name)
{
    size_t i, j;
    json_t *a, *b;
    json_array_foreach(list, i, a) {
        for (j = 0; j < i; j++) {
            b = json_array_get(list, j);
            if (json_equal(json_object_get(a, "slug"), json_object_get(b, "slug"))) {
                size_t s = push(c, ".%s[%zu].slug", name, i);
                fail(c, "duplicate slug \"%s\"", json_string_value(json_object_get(a, "slug")));
                pop(c, s);
                return false;
            }
        }
    }
    return true;
}

static bool is_edition(struct check *c, json_t *v, const void *arg)
{
    (void)arg;
    static const char *const keys[] = {
        "slug", "title", "subtitle", "time_zone", "starts_on", "ends_on", "applications_open",
        "applications_close", "languages", "status", "platform", "introduction",
        "justification", "audience", "objectives", "practical", "contact", "people",
        "institutions", "signatories", "courses", "evaluation", NULL};
    static const char *const langs[] = {"es", "en", NULL};
    static const struct list_arg languages = {is_choice, langs, 2};
    static const struct list_arg objectives = {is_text, NULL, 50};
    static const struct list_arg practical = {is_practical, NULL, 50};
    static const struct list_arg people = {is_person, NULL, 500};
    static const struct list_arg institutions = {is_institution, NULL, 100};
    static const struct list_arg signatories = {is_signatory, NULL, 3};
    if (!expect_object(c, v, keys) || !field(c, v, "slug", true, is_slug, NULL) ||
        !field(c, v, "title", true, is_text, NULL) ||
        !field(c, v, "subtitle", false, is_text, NULL) ||
        !field(c, v, "time_zone", true, is_tz, NULL) ||
        !field(c, v, "starts_on", true, is_date, NULL) ||
        !field(c, v, "ends_on", true, is_date, NULL) ||
        !field(c, v, "applications_open", false, is_datetime, NULL) ||
        !field(c, v, "applications_close", false, is_datetime, NULL) ||
        !field(c, v, "languages", true, is_list, &languages) ||
        !field(c, v, "status", true, is_choice, programme_statuses) ||
        !field(c, v, "platform", false, is_line, NULL) ||
        !field(c, v, "introduction", false, is_text, NULL) ||
        !field(c, v, "justification", false, is_text, NULL) ||
        !field(c, v, "audience", false, is_text, NULL) ||
        !field(c, v, "objectives", true, is_list, &objectives) ||
        !field(c, v, "practical", true, is_list, &practical) ||
        !field(c, v, "contact", false, is_contact, NULL) ||
        !field(c, v, "people", true, is_list, &people) ||
        !field(c, v, "institutions", true, is_list, &institutions) ||
        !field(c, v, "signatories", false, is_list, &signatories))
        return false;
    json_t *plist = json_object_get(v, "people");
    struct list_arg courses = {is_course, plist, 50};
    /* The questionnaire for the whole edition, shaped as a course's. */
    if (!field(c, v, "courses", true, is_list, &courses) ||
        !field(c, v, "evaluation", false, is_evaluation, NULL))
        return false;
    if (!unique_slugs(c, plist, "people") ||
        !unique_slugs(c, json_object_get(v, "institutions"), "institutions") ||
        !unique_slugs(c, json_object_get(v, "courses"), "courses"))
        return false;
    if (strcmp(json_string_value(json_object_get(v, "starts_on")),
               json_string_value(json_object_get(v, "ends_on"))) > 0) {
        size_t s = push(c, ".ends_on");
        fail(c, "the edition must not end before it starts");
        pop(c, s);
        return false;
    }
    return true;
}

static bool is_organisation(struct check *c, json_t *v, const void *arg)
{
    (void)arg;
    static const char *const keys[] = {"slug", "name", "short_name", "website", NULL};
    return expect_object(c, v, keys) && field(c, v, "slug", true, is_slug, NULL) &&
           field(c, v, "name", true, is_text, NULL) &&
           field(c, v, "short_name", false, is_line, NULL) &&
           field(c, v, "website", false, is_url, NULL);
}

static bool is_format(struct check *c, json_t *v, const void *arg)
{
    (void)arg;
    if (!json_is_string(v) || strcmp(json_string_value(v), PROGRAMME_FORMAT) != 0)
        return fail(c, "expected \"%s\"", PROGRAMME_FORMAT);
    return true;
}

bool programme_validate(json_t *root, char *path, size_t pathlen, char *msg, size_t msglen)
{
    struct check c = {.out_path = path, .out_pathlen = pathlen, .msg = msg, .msglen = msglen};
    push(&c, "$");
    static const char *const keys[] = {"format", "organisation", "edition", NULL};
    if (!json_is_object(root))
        return fail(&c, "expected an object");
    return only_keys(&c, root, keys) && field(&c, root, "format", true, is_format, NULL) &&
           field(&c, root, "organisation", true, is_organisation, NULL) &&
           field(&c, root, "edition", true, is_edition, NULL);
}
