/* aula certificates issue, and aula verify FILE.pdf (offline). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../docs/certificate_pdf.h"
#include "../domain/certificate.h"
#include "../pages/pages.h"
#include "../pages/programme_view.h"
#include "../store/certificate_store.h"
#include "../store/db.h"
#include "../store/keys.h"
#include "cli.h"

static void set_origin(const struct config *c)
{
    if (*c->base_url)
        server_set_origin(c->base_url);
    else {
        char o[128];
        snprintf(o, sizeof o, "http://%s:%d",
                 strcmp(c->listen_addr, "127.0.0.1") == 0 ? "localhost" : c->listen_addr, c->port);
        server_set_origin(o);
    }
}

/* A progress bar on the terminal: "[#####     ] 12/40". */
static void progress(int done, int total)
{
    if (!isatty(STDERR_FILENO) && done != total)
        return;
    int width = 30, filled = total ? done * width / total : width;
    fprintf(stderr, "\r[");
    for (int i = 0; i < width; i++)
        fputc(i < filled ? '#' : ' ', stderr);
    fprintf(stderr, "] %d/%d", done, total);
    if (done == total)
        fputc('\n', stderr);
    fflush(stderr);
}

int cmd_certificates(struct config *c, int argc, char **argv)
{
    const char *event = NULL, *course = NULL;
    if (argc < 1 || strcmp(argv[0], "issue") != 0)
        goto usage;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--event") == 0 && i + 1 < argc)
            event = argv[++i];
        else if (strcmp(argv[i], "--course") == 0 && i + 1 < argc)
            course = argv[++i];
        else
            goto usage;
    }
    if (!event || !course)
        goto usage;
    if (!open_data_dir(c, false))
        return 1;
    pages_configure(c->data_dir);
    set_origin(c);
    arena *a = arena_new(1024u * 1024 * 1024);
    arena_set_current(a);
    request req = {.a = a, .lang = LANG_ES, .user = {.id = 0, .email = "cli", .role = ROLE_ADMIN}};
    int rc = 1;
    json_t *p = programme_view(event, 1);
    json_t *grid = p ? attendance_grid(&req, event, course) : NULL;
    if (!grid) {
        fprintf(stderr, "aula: no course \"%s\" in edition \"%s\"\n", course, event);
        goto out;
    }
    json_t *rows = json_object_get(grid, "rows");
    int total = 0, done = 0, issued = 0, failed = 0, skipped = 0;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) total++;
    progress(0, total);
    json_array_foreach(rows, i, r) {
        int64_t en = json_integer_value(json_object_get(r, "enrolment_id"));
        json_t *grant = eligibility_grant_of(en);
        bool ok = json_is_true(json_object_get(r, "met")) || grant;
        if (certificate_of_enrolment(en) || !ok) {
            skipped++;
        } else {
            char number[64], err[512];
            if (certificate_issue(&req, p, course, en,
                                  json_integer_value(json_object_get(r, "application_id")), NULL,
                                  NULL, number, sizeof number, err, sizeof err)) {
                issued++;
            } else {
                failed++;
                fprintf(stderr, "\naula: %s: %s\n", json_string_value(json_object_get(r, "name")), err);
            }
        }
        progress(++done, total);
    }
    printf("aula: %d issued, %d not eligible or issued already, %d failed\n", issued, skipped, failed);
    rc = failed ? 1 : 0;
out:
    arena_set_current(NULL);
    arena_free(a);
    db_close_all();
    return rc;
usage:
    fprintf(stderr, "usage: aula certificates issue [--data DIR] --event SLUG --course COURSE\n");
    return 2;
}

/* Exit status: 0 valid, 1 tampered or unreadable, 3 revoked or superseded. */
int cmd_verify(struct config *c, int argc, char **argv)
{
    if (argc != 1) {
        fprintf(stderr, "usage: aula verify [--data DIR] FILE.pdf\n");
        return 2;
    }
    char *facts = NULL, *sig = NULL, kid[CERT_KEY_ID_SIZE], err[512];
    if (!cert_pdf_read_facts(argv[0], &facts, &sig, kid, err, sizeof err)) {
        printf("%s: not an Aula certificate (%s)\n", argv[0], err);
        return 1;
    }
    unsigned char pk[32];
    if (!keys_load(c->data_dir, pk, NULL)) {
        fprintf(stderr, "aula: no public key in %s/keys\n", c->data_dir);
        free(facts);
        free(sig);
        return 2;
    }
    char mine[CERT_KEY_ID_SIZE];
    cert_key_id(pk, mine);
    int rc;
    if (strcmp(kid, mine) != 0 || !cert_verify(facts, sig, pk)) {
        printf("%s: TAMPERED: the facts do not match their signature\n", argv[0]);
        rc = 1;
    } else {
        json_error_t e;
        json_t *f = json_loads(facts, 0, &e);
        const char *number = json_string_value(json_object_get(f, "number"));
        json_t *cert = NULL;
        /* Revocations as of the last list this installation knows. */
        if (access(c->data_dir, F_OK) == 0 && open_data_dir(c, false))
            cert = certificate_by_number(number);
        const char *status = cert ? json_string_value(json_object_get(cert, "status")) : "valid";
        if (strcmp(status, "valid") == 0) {
            printf("%s: VALID: %s, %s %s, %s (%lld h), %s\n", argv[0], number,
                   json_string_value(json_object_get(f, "form_of_address")),
                   json_string_value(json_object_get(f, "name")),
                   json_string_value(json_object_get(f, "course_en")),
                   (long long)json_integer_value(json_object_get(f, "hours")),
                   json_string_value(json_object_get(f, "issued_on")));
            rc = 0;
        } else {
            printf("%s: REVOKED as of the last known list: %s %s%s%s\n", argv[0], number, status,
                   json_object_get(cert, "superseded_by") ? " by " : "",
                   json_string_value(json_object_get(cert, "superseded_by"))
                       ? json_string_value(json_object_get(cert, "superseded_by"))
                       : "");
            rc = 3;
        }
        json_decref(f);
        json_decref(cert);
        db_close_all();
    }
    free(facts);
    free(sig);
    return rc;
}
