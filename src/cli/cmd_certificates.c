/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* aula certificates issue, and aula verify FILE.pdf (offline). */
#include <glib.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../app/certificates.h"
#include "../app/attendance.h"
#include "../app/programme_view.h"
#include "../base/digest.h"
#include "../docs/certificate_pdf.h"
#include "../domain/certificate.h"
#include "../store/certificate_store.h"
#include "../store/settings_store.h"
#include "../view/views.h"
#include "../store/db.h"
#include "../store/keys.h"
#include "../store/pdf_keys.h"
#include "cli.h"

/* As aula serve: the configuration's base_url, else the public address set
 * in the console, else the listening address. */
static void set_origin(const struct config *c)
{
    char o[128];
    snprintf(o, sizeof o, "http://%s:%d",
             strcmp(c->listen_addr, "127.0.0.1") == 0 ? "localhost" : c->listen_addr, c->port);
    app_origin_start(o);
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

/* Each row issued or not: the progress bar, and why not on a line. */
struct issue_progress {
    int done, total, issued, failed;
};

static void issued_one(void *ud, json_t *row, const struct app_err *err)
{
    struct issue_progress *p = ud;
    if (err) {
        p->failed++;
        fprintf(stderr, "\naula: %s: %s%s%s\n", json_string_value(json_object_get(row, "name")),
                tr(LANG_EN, err->key), *err->detail ? ": " : "", err->detail);
    } else {
        p->issued++;
    }
    progress(++p->done, p->total);
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
    /* The certificate's email is drawn from its template (before, the
     * command line had none loaded, and its certificates went unmailed). */
    char verr[256];
    if (!views_init(verr, sizeof verr)) {
        fprintf(stderr, "aula: %s\n", verr);
        db_close_all();
        return 1;
    }
    set_origin(c);
    arena *a = arena_new(1024u * 1024 * 1024);
    arena_set_current(a);
    struct app_ctx ctx = app_ctx_system(a, LANG_ES, "cli");
    ctx.origin = app_origin();
    int rc = 1;
    json_t *p = programme_view(event, 1);
    json_t *grid = p ? attendance_grid_of(&ctx, event, course, NULL) : NULL;
    if (!grid) {
        fprintf(stderr, "aula: no course \"%s\" in edition \"%s\"\n", course, event);
        goto out;
    }
    json_t *rows = json_object_get(grid, "rows"), *due = json_array();
    int skipped = 0;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        json_t *grant;
        if (certificate_of_enrolment(json_integer_value(json_object_get(r, "enrolment_id"))) ||
            !app_certificate_eligible(r, &grant))
            skipped++;
        else
            json_array_append(due, r);
    }
    struct issue_progress pr = {.done = skipped, .total = (int)json_array_size(rows)};
    progress(pr.done, pr.total);
    app_certificates_issue(&ctx, p, course, due, NULL, issued_one, &pr);
    int issued = pr.issued, failed = pr.failed;
    printf("aula: %d issued, %d not eligible or issued already, %d failed\n", issued, skipped, failed);
    rc = failed ? 1 : 0;
out:
    arena_set_current(NULL);
    arena_free(a);
    views_free();
    db_close_all();
    return rc;
usage:
    fprintf(stderr, "usage: aula certificates issue [--data DIR] --event SLUG --course COURSE\n");
    return 2;
}

/* Exit status: 0 valid; 1 tampered, modified, not ours or unreadable; 3
 * revoked or superseded.  Each check says what it found, in order: the
 * document signature over the file's bytes, the signed facts, the file as
 * issued, the certificate's status. */
int cmd_verify(struct config *c, int argc, char **argv)
{
    if (argc != 1) {
        fprintf(stderr, "usage: aula verify [--data DIR] FILE.pdf\n");
        return 2;
    }
    const char *file = argv[0];
    gchar *pdf = NULL;
    gsize len = 0;
    GError *ge = NULL;
    if (!g_file_get_contents(file, &pdf, &len, &ge)) {
        printf("%s: UNREADABLE: %s\n", file, ge ? ge->message : "cannot read the file");
        if (ge)
            g_error_free(ge);
        return 1;
    }
    unsigned char pk[32];
    size_t tl = 0;
    char *trusted = pdf_keys_all_pem(c->data_dir, &tl);
    if (!keys_load(c->data_dir, pk, NULL) || !trusted) {
        fprintf(stderr, "aula: no public keys in %s/keys\n", c->data_dir);
        g_free(pdf);
        free(trusted);
        return 2;
    }
    char detail[400];
    enum pdf_check check =
        pdf_check_signature((const unsigned char *)pdf, len, trusted, tl, detail, sizeof detail);
    free(trusted);
    char *facts = NULL, *sig = NULL, kid[CERT_KEY_ID_SIZE], err[512];
    bool have_facts = check != PDF_NOT_PDF &&
                      cert_pdf_read_facts_mem((const unsigned char *)pdf, len, &facts, &sig, kid,
                                              err, sizeof err);
    char mine[CERT_KEY_ID_SIZE];
    cert_key_id(pk, mine);
    bool facts_ok = have_facts && strcmp(kid, mine) == 0 && cert_verify(facts, sig, pk);
    char sha[SHA256_HEX_SIZE];
    sha256_hex_of(pdf, len, sha);
    g_free(pdf);

    json_error_t e;
    json_t *f = facts_ok ? json_loads(facts, 0, &e) : NULL;
    const char *number = json_string_value(json_object_get(f, "number"));
    json_t *cert = NULL;
    /* Revocations and hashes as of the last list this installation knows. */
    bool db = access(c->data_dir, F_OK) == 0 && open_data_dir(c, false);
    if (db && number)
        cert = certificate_by_number(number);
    const char *issued_sha = json_string_value(json_object_get(cert, "pdf_sha256"));
    int rc = 1;
    switch (check) {
    case PDF_NOT_PDF: printf("%s: NOT A PDF: %s\n", file, detail); goto out;
    case PDF_DAMAGED: printf("%s: DAMAGED: %s\n", file, detail); goto out;
    case PDF_SEVERAL: printf("%s: TAMPERED: %s\n", file, detail); goto out;
    case PDF_APPENDED: printf("%s: MODIFIED: %s\n", file, detail); goto out;
    case PDF_CHANGED: printf("%s: TAMPERED: %s\n", file, detail); goto out;
    case PDF_NOT_OURS: printf("%s: NOT OURS: %s\n", file, detail); goto out;
    case PDF_UNSIGNED:
        /* Certificates issued before PDFs were signed carry only signed
         * facts; anything else without a document signature is refused. */
        if (!(facts_ok && cert && !issued_sha)) {
            printf("%s: %s: %s\n", file, have_facts ? "TAMPERED" : "NOT OURS", detail);
            goto out;
        }
        printf("%s: note: issued before document signatures; only its facts are signed\n", file);
        break;
    case PDF_GENUINE: break;
    }
    if (!have_facts) {
        printf("%s: TAMPERED: the document signature is ours but the signed facts are missing (%s)\n",
               file, err);
        goto out;
    }
    if (!facts_ok) {
        printf("%s: TAMPERED: the facts do not match their signature\n", file);
        goto out;
    }
    if (issued_sha && strcmp(issued_sha, sha) != 0) {
        printf("%s: TAMPERED: not the file as issued (its SHA-256 differs from the one recorded)\n",
               file);
        goto out;
    }
    const char *status = cert ? json_string_value(json_object_get(cert, "status")) : "valid";
    if (strcmp(status, "valid") == 0) {
        printf("%s: VALID: %s, %s %s, %s (%lld h), %s\n", file, number,
               json_string_value(json_object_get(f, "form_of_address")),
               json_string_value(json_object_get(f, "name")),
               json_string_value(json_object_get(f, "course_en")),
               (long long)json_integer_value(json_object_get(f, "hours")),
               json_string_value(json_object_get(f, "issued_on")));
        rc = 0;
    } else {
        printf("%s: REVOKED as of the last known list: %s %s%s%s\n", file, number, status,
               json_object_get(cert, "superseded_by") ? " by " : "",
               json_string_value(json_object_get(cert, "superseded_by"))
                   ? json_string_value(json_object_get(cert, "superseded_by"))
                   : "");
        rc = 3;
    }
out:
    json_decref(f);
    json_decref(cert);
    if (db)
        db_close_all();
    free(facts);
    free(sig);
    return rc;
}

/* aula keys import FILE.p12 */
int cmd_keys(struct config *c, int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[0], "import") != 0) {
        fprintf(stderr, "usage: aula keys import [--data DIR] FILE.p12\n");
        return 2;
    }
    char password[512] = "";
    const char *env = getenv("AULA_P12_PASSWORD");
    if (env) {
        snprintf(password, sizeof password, "%s", env);
    } else if (fgets(password, sizeof password, stdin)) {
        password[strcspn(password, "\r\n")] = '\0';
    }
    if (!open_data_dir(c, false))
        return 1;
    char id[PDF_KEY_ID_LEN + 1], err[700];
    bool ok = pdf_keys_import_p12(c->data_dir, argv[1], password, id, err, sizeof err);
    sodium_memzero(password, sizeof password);
    db_close_all();
    if (!ok) {
        fprintf(stderr, "aula: %s\n", err);
        return 1;
    }
    printf("aula: certificate %s installed; certificate PDFs are signed with it from now on\n", id);
    return 0;
}
