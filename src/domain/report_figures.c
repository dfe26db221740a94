/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "report_figures.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../base/digest.h"
#include "countries.h"

const char *const report_glossary_keys[] = {
    "report.gloss.applied",  "report.gloss.accepted", "report.gloss.waitlisted",
    "report.gloss.rejected", "report.gloss.withdrawn", "report.gloss.registered",
    "report.gloss.attended", "report.gloss.met_rule", "report.gloss.certified",
    "report.gloss.answered", "report.gloss.country",  "report.gloss.present",
    "report.gloss.mean_minutes", "report.gloss.share", "report.gloss.reissued",
    "report.gloss.nps", NULL};

static const char *const gender_keys[] = {"female", "male", "other", "undisclosed", NULL};
static const char *const itype_keys[] = {"foreign_ministry", "public_body", "academia",
                                         "international_organisation", "other", NULL};
static const char *const language_keys[] = {"es", "en", NULL};

/* The funnel's stages, in order. */
static const char *const stages[] = {"applied",    "accepted", "waitlisted", "rejected",
                                     "withdrawn",  "registered", "attended", "met_rule",
                                     "certified", NULL};

double report_percent(long n, long d)
{
    if (d <= 0)
        return 0.0;
    /* Rounded half up on tenths, in integers, so the same counts always
     * print the same way. */
    long long t = ((long long)n * 1000 * 2 + d) / (2LL * d);
    return (double)t / 10.0;
}

static const char *str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static json_int_t num(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static void bump(json_t *o, const char *k)
{
    json_object_set_new(o, k, json_integer(num(o, k) + 1));
}

static const char *key_in(const char *v, const char *const *keys, const char *otherwise)
{
    for (const char *const *k = keys; *k; k++)
        if (strcmp(*k, v) == 0)
            return *k;
    return otherwise;
}

/* A person (one application) across the courses they applied to. */
struct person {
    json_t *row; /* one of their enrolment rows, for the person's facts */
    int best;    /* rank of the most advanced status */
    bool registered, attended, met, certified;
};

/* Ranks of statuses for the overall funnel: a person counts once, at the
 * most advanced status any of their courses reached. */
static int status_rank(const char *s)
{
    static const char *const order[] = {"rejected", "withdrawn", "submitted", "waitlisted",
                                        "accepted", "registered", NULL};
    for (int i = 0; order[i]; i++)
        if (strcmp(order[i], s) == 0)
            return i;
    return -1;
}

static json_t *new_funnel(void)
{
    json_t *f = json_object();
    for (const char *const *s = stages; *s; s++)
        json_object_set_new(f, *s, json_integer(0));
    json_object_set_new(f, "answered", json_null());
    return f;
}

static void count_status(json_t *f, const char *status)
{
    bump(f, "applied");
    if (strcmp(status, "accepted") == 0 || strcmp(status, "registered") == 0)
        bump(f, "accepted");
    if (strcmp(status, "registered") == 0)
        bump(f, "registered");
    if (strcmp(status, "waitlisted") == 0 || strcmp(status, "rejected") == 0 ||
        strcmp(status, "withdrawn") == 0)
        bump(f, status);
}

static json_t *breakdown(const char *const *keys)
{
    json_t *a = json_array();
    for (const char *const *k = keys; *k; k++)
        json_array_append_new(a, json_pack("{s:s, s:i, s:i, s:i, s:f}", "key", *k, "applied", 0,
                                           "registered", 0, "certified", 0,
                                           "certified_percent", 0.0));
    return a;
}

static void breakdown_add(json_t *b, const char *key, const struct person *p)
{
    size_t i;
    json_t *e;
    json_array_foreach(b, i, e) {
        if (strcmp(str(e, "key"), key) != 0)
            continue;
        bump(e, "applied");
        if (p->registered)
            bump(e, "registered");
        if (p->certified)
            bump(e, "certified");
        return;
    }
}

static void breakdown_shares(json_t *b)
{
    size_t i;
    json_t *e;
    json_array_foreach(b, i, e)
        json_object_set_new(e, "certified_percent",
                            json_real(report_percent((long)num(e, "certified"),
                                                     (long)num(e, "registered"))));
}

static int country_cmp(const void *x, const void *y)
{
    json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
    const char *ka[] = {"applied", "registered", "certified"};
    for (int i = 0; i < 3; i++) {
        json_int_t d = num(b, ka[i]) - num(a, ka[i]);
        if (d)
            return d > 0 ? 1 : -1;
    }
    /* "Not stated" (no code) goes last among equals. */
    const char *ca = str(a, "code"), *cb = str(b, "code");
    if (!*ca || !*cb)
        return !*ca - !*cb;
    return strcmp(ca, cb);
}

/* ---- protocol order ---- */

struct proto {
    json_t *p;
    const char *country_name;
    int rank;
};

/* Case-insensitive comparison of UTF-8 text by bytes after folding ASCII:
 * good enough for ordering names within one country; ties keep input
 * order thanks to the index comparison below. */
static int fold_cmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y + 32);
        if (x != y || !x)
            return (int)x - (int)y;
    }
}

static int proto_cmp(const void *x, const void *y)
{
    const struct proto *a = x, *b = y;
    /* People without a country come after every country. */
    if (!*a->country_name != !*b->country_name)
        return *a->country_name ? -1 : 1;
    int c = fold_cmp(a->country_name, b->country_name);
    if (c)
        return c;
    if (a->rank != b->rank)
        return a->rank - b->rank;
    c = fold_cmp(str(a->p, "family_names"), str(b->p, "family_names"));
    if (c)
        return c;
    c = fold_cmp(str(a->p, "given_names"), str(b->p, "given_names"));
    if (c)
        return c;
    return (int)(num(a->p, "index") - num(b->p, "index"));
}

static json_t *protocol_order(json_t *people, bool english)
{
    size_t n = json_array_size(people);
    json_t *order = json_array();
    struct proto *v = calloc(n ? n : 1, sizeof *v);
    if (!v)
        return order;
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_array_get(people, i);
        const struct country *c = country_by_code(str(p, "country"));
        v[i] = (struct proto){p, c ? (english ? c->name_en : c->name_es) : "",
                              (int)num(p, "rank")};
    }
    qsort(v, n, sizeof *v, proto_cmp);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(order, json_integer(num(v[i].p, "index")));
    free(v);
    return order;
}

/* ---- general information from the programme ---- */

static void add_person(json_t *list, json_t *seen, json_t *people, const char *slug)
{
    if (json_object_get(seen, slug))
        return;
    size_t i;
    json_t *p;
    json_array_foreach(people, i, p) {
        if (strcmp(str(p, "slug"), slug) == 0) {
            json_object_set_new(seen, slug, json_true());
            json_array_append_new(list, json_pack("{s:s, s:O?, s:O?}", "name", str(p, "name"),
                "honorific", json_object_get(p, "honorific"), "position",
                json_object_get(p, "position")));
            return;
        }
    }
}

static json_t *general(json_t *edition, json_t **programme_out)
{
    json_t *people = json_object_get(edition, "people");
    json_t *courses = json_array(), *officials = json_array(), *moderators = json_array();
    json_t *seen_off = json_object(), *seen_mod = json_object();
    json_t *programme = json_array();
    size_t i, j, k, l, m;
    json_t *c, *d, *b, *s, *sp;
    long hours = 0;
    json_array_foreach(json_object_get(edition, "courses"), i, c) {
        json_t *trainers = json_array(), *seen_tr = json_object(), *days = json_array();
        json_t *tslug;
        json_array_foreach(json_object_get(c, "trainers"), j, tslug)
            add_person(trainers, seen_tr, people, json_string_value(tslug));
        long sessions = 0;
        json_array_foreach(json_object_get(c, "days"), j, d) {
            json_t *blocks = json_array();
            json_array_foreach(json_object_get(d, "blocks"), k, b) {
                json_t *titles = json_array();
                json_array_foreach(json_object_get(b, "sessions"), l, s) {
                    if (strcmp(str(s, "kind"), "session") == 0)
                        sessions++;
                    json_array_append_new(titles, json_pack("{s:O?}", "title",
                                                            json_object_get(s, "title")));
                    json_array_foreach(json_object_get(s, "people"), m, sp) {
                        const char *role = str(sp, "role"), *who = str(sp, "person");
                        if (strcmp(role, "trainer") == 0)
                            add_person(trainers, seen_tr, people, who);
                        else if (strcmp(role, "moderator") == 0)
                            add_person(moderators, seen_mod, people, who);
                        else
                            add_person(officials, seen_off, people, who);
                    }
                }
                json_array_append_new(blocks, json_pack("{s:s, s:s, s:o}", "start",
                    str(b, "start"), "end", str(b, "end"), "sessions", titles));
            }
            json_array_append_new(days, json_pack("{s:s, s:o}", "date", str(d, "date"),
                                                  "blocks", blocks));
        }
        json_decref(seen_tr);
        hours += (long)num(c, "hours");
        json_array_append_new(courses, json_pack("{s:s, s:O?, s:I, s:I, s:o, s:I}", "slug",
            str(c, "slug"), "title", json_object_get(c, "title"), "hours", num(c, "hours"),
            "capacity", num(c, "capacity"), "trainers", trainers, "sessions",
            (json_int_t)sessions));
        json_array_append_new(programme, json_pack("{s:s, s:O?, s:o}", "course",
            str(c, "slug"), "title", json_object_get(c, "title"), "days", days));
    }
    json_decref(seen_off);
    json_decref(seen_mod);
    *programme_out = programme;
    return json_pack("{s:s, s:s, s:s, s:O?, s:o, s:I, s:o, s:o}", "starts_on",
        str(edition, "starts_on"), "ends_on", str(edition, "ends_on"), "platform",
        str(edition, "platform"), "languages", json_object_get(edition, "languages"),
        "courses", courses, "hours", (json_int_t)hours, "officials", officials, "moderators",
        moderators);
}

/* ---- the figures ---- */

json_t *report_figures(json_t *input)
{
    json_t *prog = json_object_get(input, "programme");
    json_t *edition = json_object_get(prog, "edition");
    json_t *org = json_object_get(prog, "organisation");
    json_t *enrolments = json_object_get(input, "enrolments");
    json_t *grids = json_object_get(input, "attendance");
    json_t *certs = json_object_get(input, "certificates");
    json_t *eval = json_object_get(input, "evaluation");
    json_t *address_order = json_object_get(input, "address_order");
    size_t ne = json_array_size(enrolments);

    /* Per enrolment: attended, met the rule, certified. */
    json_t *flags = json_object();
    size_t i, j;
    json_t *e, *g, *r;
    char key[32];
    const char *cslug;
    json_object_foreach(grids, cslug, g) {
        json_array_foreach(json_object_get(g, "rows"), i, r) {
            snprintf(key, sizeof key, "%lld", (long long)num(r, "enrolment_id"));
            json_object_set_new(flags, key, json_pack("{s:b, s:b}", "attended",
                num(r, "minutes") > 0, "met", json_is_true(json_object_get(r, "met"))));
        }
    }
    json_t *cert_totals = json_pack("{s:i, s:i, s:i, s:i}", "issued", 0, "valid", 0, "revoked",
                                    0, "reissued", 0);
    json_t *cert_by_course = json_object();
    json_array_foreach(certs, i, e) {
        const char *st = str(e, "status");
        bump(cert_totals, "issued");
        const char *course = str(e, "course");
        json_t *cc = json_object_get(cert_by_course, course);
        if (!cc) {
            cc = json_pack("{s:i, s:i, s:i, s:i}", "issued", 0, "valid", 0, "revoked", 0,
                           "reissued", 0);
            json_object_set_new(cert_by_course, course, cc);
        }
        bump(cc, "issued");
        const char *k = strcmp(st, "valid") == 0 ? "valid"
                        : strcmp(st, "revoked") == 0 ? "revoked" : "reissued";
        bump(cert_totals, k);
        bump(cc, k);
        if (strcmp(st, "valid") == 0) {
            snprintf(key, sizeof key, "%lld", (long long)num(e, "enrolment_id"));
            json_t *f = json_object_get(flags, key);
            if (!f)
                json_object_set_new(flags, key, f = json_object());
            json_object_set_new(f, "certified", json_true());
        }
    }

    /* Funnel per course, and people. */
    json_t *by_course = json_object(), *course_order = json_array();
    json_t *c;
    json_array_foreach(json_object_get(edition, "courses"), i, c) {
        json_t *f = new_funnel();
        json_object_set_new(f, "course", json_string(str(c, "slug")));
        json_object_set(f, "title", json_object_get(c, "title"));
        json_object_set_new(by_course, str(c, "slug"), f);
        json_array_append_new(course_order, json_string(str(c, "slug")));
    }
    json_t *person_index = json_object();
    struct person *people = calloc(ne ? ne : 1, sizeof *people);
    size_t np = 0;
    if (!people)
        return NULL;
    json_array_foreach(enrolments, i, e) {
        const char *status = str(e, "status");
        json_t *f = json_object_get(by_course, str(e, "course"));
        snprintf(key, sizeof key, "%lld", (long long)num(e, "enrolment_id"));
        json_t *fl = json_object_get(flags, key);
        bool reg = strcmp(status, "registered") == 0;
        bool att = reg && json_is_true(json_object_get(fl, "attended"));
        bool met = reg && json_is_true(json_object_get(fl, "met"));
        bool cer = json_is_true(json_object_get(fl, "certified"));
        if (f) {
            count_status(f, status);
            if (att)
                bump(f, "attended");
            if (met)
                bump(f, "met_rule");
            if (cer)
                bump(f, "certified");
        }
        snprintf(key, sizeof key, "%lld", (long long)num(e, "application_id"));
        json_t *pi = json_object_get(person_index, key);
        struct person *p;
        if (pi) {
            p = &people[json_integer_value(pi)];
        } else {
            json_object_set_new(person_index, key, json_integer((json_int_t)np));
            p = &people[np++];
            p->row = e;
            p->best = -1;
        }
        int rank = status_rank(status);
        if (rank > p->best)
            p->best = rank;
        p->registered |= reg;
        p->attended |= att;
        p->met |= met;
        p->certified |= cer;
    }
    static const char *const rank_status[] = {"rejected", "withdrawn", "submitted",
                                              "waitlisted", "accepted", "registered"};
    json_t *overall = new_funnel();
    json_t *countries_seen = json_object();
    json_t *genders = breakdown(gender_keys), *itypes = breakdown(itype_keys);
    json_t *langs = breakdown(language_keys);
    json_t *participants = json_array();
    for (size_t x = 0; x < np; x++) {
        struct person *p = &people[x];
        count_status(overall, p->best >= 0 ? rank_status[p->best] : "submitted");
        if (p->attended)
            bump(overall, "attended");
        if (p->met)
            bump(overall, "met_rule");
        if (p->certified)
            bump(overall, "certified");
        const char *cc = str(p->row, "country");
        if (!country_by_code(cc))
            cc = "";
        json_t *ce = json_object_get(countries_seen, cc);
        if (!ce) {
            ce = json_pack("{s:i, s:i, s:i}", "applied", 0, "registered", 0, "certified", 0);
            json_object_set_new(countries_seen, cc, ce);
        }
        bump(ce, "applied");
        if (p->registered)
            bump(ce, "registered");
        if (p->certified)
            bump(ce, "certified");
        breakdown_add(genders, key_in(str(p->row, "gender"), gender_keys, "undisclosed"), p);
        breakdown_add(itypes, key_in(str(p->row, "institution_type"), itype_keys, "other"), p);
        breakdown_add(langs, key_in(str(p->row, "language"), language_keys, "es"), p);
        if (p->registered) {
            int rk = 1000;
            json_t *a;
            json_array_foreach(address_order, j, a)
                if (strcmp(json_string_value(a), str(p->row, "form_of_address")) == 0)
                    rk = (int)j;
            json_array_append_new(participants, json_pack(
                "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:i}", "index",
                (json_int_t)json_array_size(participants), "form_of_address",
                str(p->row, "form_of_address"), "gender", str(p->row, "gender"), "given_names",
                str(p->row, "given_names"), "family_names", str(p->row, "family_names"),
                "position", str(p->row, "position"), "institution", str(p->row, "institution"),
                "country", cc, "institution_type", str(p->row, "institution_type"), "certified",
                p->certified, "rank", rk));
        }
    }
    free(people);
    breakdown_shares(genders);
    breakdown_shares(itypes);
    breakdown_shares(langs);

    /* Every member state, then any other country someone came from. */
    json_t *members = json_object_get(input, "members");
    json_t *m;
    json_array_foreach(members, i, m) {
        if (!json_object_get(countries_seen, json_string_value(m)))
            json_object_set_new(countries_seen, json_string_value(m),
                                json_pack("{s:i, s:i, s:i}", "applied", 0, "registered", 0,
                                          "certified", 0));
    }
    size_t nc = json_object_size(countries_seen);
    json_t **cv = calloc(nc ? nc : 1, sizeof *cv);
    const char *code;
    json_t *ce;
    size_t ci = 0;
    json_object_foreach(countries_seen, code, ce) {
        bool member = false;
        json_array_foreach(members, i, m) member |= strcmp(json_string_value(m), code) == 0;
        const struct country *cn = country_by_code(code);
        json_object_set_new(ce, "code", json_string(code));
        json_object_set_new(ce, "member", json_boolean(member));
        json_object_set_new(ce, "name", cn ? json_pack("{s:s, s:s}", "es", cn->name_es, "en",
                                                       cn->name_en)
                                           : json_null());
        if (cv)
            cv[ci++] = ce;
    }
    json_t *countries = json_array();
    if (cv) {
        qsort(cv, ci, sizeof *cv, country_cmp);
        for (size_t x = 0; x < ci; x++)
            json_array_append(countries, cv[x]);
        free(cv);
    }
    long members_present = 0;
    json_array_foreach(countries, i, ce)
        members_present += json_is_true(json_object_get(ce, "member")) && num(ce, "registered") > 0;

    /* Attendance per course day, and the distribution against the rule. */
    json_t *attendance = json_array(), *missing = json_array();
    json_t *cs;
    json_array_foreach(course_order, i, cs) {
        const char *slug = json_string_value(cs);
        g = json_object_get(grids, slug);
        json_t *days = json_object_get(g, "days"), *rows = json_object_get(g, "rows");
        json_t *sessions = json_array();
        json_t *d;
        json_array_foreach(days, j, d) {
            long present = 0, sum = 0, sched = (long)num(d, "scheduled");
            bool imported = json_is_object(json_object_get(d, "import"));
            json_array_foreach(rows, ci, r) {
                long mins = (long)num(json_array_get(json_object_get(r, "days"), j), "minutes");
                if (mins > 0) {
                    present++;
                    sum += mins;
                }
            }
            if (!imported)
                json_array_append_new(missing, json_pack("{s:s, s:s, s:s}", "what", "attendance",
                                                         "course", slug, "date", str(d, "date")));
            json_array_append_new(sessions, json_pack("{s:s, s:I, s:b, s:I, s:f, s:f}", "date",
                str(d, "date"), "scheduled", (json_int_t)sched, "imported", imported, "present",
                (json_int_t)present, "mean_minutes", present ? report_percent(sum, present * 100)
                                                             : 0.0,
                "share", report_percent(sum, present * sched)));
        }
        /* Bands of the share of the course attended; the rule's band edge
         * is reported separately as met / not met. */
        static const int edges[] = {0, 1, 25, 50, 75, 100};
        static const char *const labels[] = {"0", "1-24", "25-49", "50-74", "75-99", "100"};
        long band[6] = {0}, met = 0, total = 0;
        json_array_foreach(rows, ci, r) {
            long pc = (long)num(r, "percent");
            int b = 0;
            for (int x = 0; x < 6; x++)
                if (pc >= edges[x])
                    b = x;
            band[b]++;
            total++;
            met += json_is_true(json_object_get(r, "met"));
        }
        json_t *dist = json_array();
        for (int x = 0; x < 6; x++)
            json_array_append_new(dist, json_pack("{s:s, s:I}", "band", labels[x], "count",
                                                  (json_int_t)band[x]));
        json_t *f = json_object_get(by_course, slug);
        json_array_append_new(attendance, json_pack("{s:s, s:O?, s:I, s:I, s:o, s:o, s:I, s:I}",
            "course", slug, "title", json_object_get(f, "title"), "rule_percent",
            g ? num(g, "rule_percent") : 75, "scheduled", num(g, "scheduled"), "sessions",
            sessions, "distribution", dist, "met", (json_int_t)met, "not_met",
            (json_int_t)(total - met)));
    }

    /* Evaluation: what the evaluation module gives, or nothing yet. */
    json_t *evaluation;
    if (json_is_object(eval)) {
        json_t *ecs = json_array(), *ec;
        long asked = 0, answered = 0;
        json_array_foreach(json_object_get(eval, "courses"), i, ec) {
            long a = (long)num(ec, "asked"), n = (long)num(ec, "answered");
            asked += a;
            answered += n;
            json_t *f = json_object_get(by_course, str(ec, "course"));
            if (f)
                json_object_set_new(f, "answered", json_integer(n));
            if (json_is_true(json_object_get(ec, "open")))
                json_array_append_new(missing, json_pack("{s:s, s:s}", "what", "evaluation",
                                                         "course", str(ec, "course")));
            json_array_append_new(ecs, json_pack("{s:s, s:O?, s:I, s:I, s:f, s:b, s:O?, s:O?}",
                "course", str(ec, "course"), "title",
                f ? json_object_get(f, "title") : json_object_get(ec, "title"), "asked",
                (json_int_t)a, "answered", (json_int_t)n, "rate", report_percent(n, a), "open",
                json_is_true(json_object_get(ec, "open")), "stats", json_object_get(ec, "stats"),
                "quotes", json_object_get(ec, "quotes")));
        }
        json_object_set_new(overall, "answered", json_integer(answered));
        evaluation = json_pack("{s:b, s:I, s:I, s:I, s:f, s:o}", "available", 1, "min_group",
                               num(eval, "min_group") ? num(eval, "min_group") : 5, "asked",
                               (json_int_t)asked, "answered", (json_int_t)answered, "rate",
                               report_percent(answered, asked), "courses", ecs);
    } else {
        evaluation = json_pack("{s:b}", "available", 0);
    }

    json_t *funnel_courses = json_array();
    json_array_foreach(course_order, i, cs)
        json_array_append(funnel_courses, json_object_get(by_course, json_string_value(cs)));

    json_t *programme = NULL;
    json_t *info = general(edition, &programme);
    json_t *out = json_pack(
        "{s:s, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:b, s:o, s:o, s:{s:o, s:o}, s:o, s:I, s:o,"
        " s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:o, s:o}}",
        "edition", str(edition, "slug"), "organisation", json_object_get(org, "name"),
        "organisation_short", json_object_get(org, "short_name"), "title",
        json_object_get(edition, "title"), "subtitle", json_object_get(edition, "subtitle"),
        "introduction", json_object_get(edition, "introduction"), "objectives",
        json_object_get(edition, "objectives"), "preliminary", json_array_size(missing) > 0,
        "missing", missing, "general", info, "funnel", "overall", overall, "courses",
        funnel_courses, "countries", countries, "member_states_present",
        (json_int_t)members_present, "gender", genders, "institution_types", itypes,
        "languages", langs, "attendance", attendance, "certificates", cert_totals,
        "certificates_by_course", cert_by_course, "evaluation", evaluation, "programme",
        programme, "participants", participants, "protocol_order", "es",
        protocol_order(participants, false), "en", protocol_order(participants, true));
    json_decref(flags);
    json_decref(by_course);
    json_decref(course_order);
    json_decref(person_index);
    json_decref(countries_seen);
    return out;
}

void report_fingerprint(json_t *figures, char out[65])
{
    json_t *copy = json_deep_copy(figures);
    json_object_del(copy, "generated_at");
    json_object_del(copy, "fingerprint");
    /* json_dumpb into our own buffer: json_dumps would allocate with
     * jansson's allocator, which is the request arena in the server. */
    size_t flags = JSON_SORT_KEYS | JSON_COMPACT | JSON_REAL_PRECISION(12);
    size_t n = json_dumpb(copy, NULL, 0, flags);
    char *s = malloc(n ? n : 1);
    if (s)
        n = json_dumpb(copy, s, n, flags);
    sha256_hex_of(s ? s : "", s ? n : 0, out);
    free(s);
    json_decref(copy);
}
