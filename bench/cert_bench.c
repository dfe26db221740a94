/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* cert_bench [N] [THREADS] [OUTDIR]: renders, signs and writes N certificate
 * PDFs (1000) with THREADS threads (2), each thread with its own cairo
 * context, and the same N pages drawn with bare cairo as the reference.
 * A benchmark to read, never a test: it fails only when it cannot run.
 *
 * aula:       facts -> canonical JSON -> Ed25519 -> pango layout (fit, glyph
 *             check) -> QR code -> PDF with metadata -> PDF document signature
 *             -> file (cert_pdf_write_signed)
 * unsigned:   the same without the document signature (cert_pdf_write)
 * bare cairo: the same texts at the same places with cairo's toy text API
 *             (Noto Serif regular, bold, italic as the real page; no shaping,
 *             no fallback, no small capitals), the same
 *             frame and rules, no QR, no signature, no metadata -> file
 *
 * Both write one PDF file per certificate into OUTDIR (a temporary directory
 * by default, removed at the end).  Prints wall time, per-certificate time
 * and the ratio aula / bare cairo. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "docs/certificate_pdf.h"
#include "docs/pdf_sign.h"
#include "store/pdf_keys.h"
#include "domain/certificate.h"

static const char *const NAMES[] = {
    "María José Núñez de la Concepción Altagracia Pérez-Rodríguez",
    "Juan Pérez",
    "Ana Lucía Fernández Gómez",
    "Jean-Baptiste Côté",
    "Ηλέκτρα Παπαδοπούλου",
    "Анна Сергеевна Иванова",
    "Kwame Nkrumah Mensah",
    "Guðrún Ósk Þórðardóttir",
};
static const char *const FORMS[] = {"Embajadora", "", "Licenciada", "Sr.", "", "Dra.", "", ""};

static unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
static char key_id[CERT_KEY_ID_SIZE];
static const char *outdir;
static int total, nthreads;
static int range_start, range_end; /* the certificates of the current run */

struct job {
    int index;
    int mode; /* 0 aula without the document signature, 1 bare cairo, 2 aula signed */
    int failures;
    char err[256];
    size_t bytes;
};

static void facts_for(int i, struct cert_facts *f, char *number, char *url)
{
    int k = i % (int)(sizeof NAMES / sizeof *NAMES);
    sprintf(number, "SELA-2022-CYB-%04d-7KQ4X9PM", i + 1); /* as issued: with its code */
    sprintf(url, "https://aula.example.org/verify/%s", number);
    *f = (struct cert_facts){
        .number = number,
        .name = NAMES[k],
        .form_of_address = FORMS[k],
        .course_es = "Ciberseguridad y diplomacia digital",
        .course_en = "Cybersecurity and digital diplomacy",
        .edition_es = "Edición 2022",
        .edition_en = "2022 edition",
        .hours = 16,
        .dates_es = "21–22 de marzo de 2022",
        .dates_en = "21–22 March 2022",
        .issued_on = "2022-03-22",
        .verify_url = url,
    };
}

static const char ORG_ES[] = "Sistema Económico Latinoamericano y del Caribe (SELA)";
static const char ORG_EN[] = "Latin American and Caribbean Economic System (SELA)";
static const char PARTNERS_ES[] = "Con la Corporación Andina de Fomento (CAF) y la CEPAL";
static const char PARTNERS_EN[] = "With the Development Bank of Latin America (CAF) and ECLAC";

static void fill_signatories(struct cert_document *d)
{
    d->nsignatories = 2;
    d->signatories[0].name = "Clarems Endara";
    d->signatories[0].title_es = "Secretario Permanente";
    d->signatories[0].title_en = "Permanent Secretary";
    d->signatories[1].name = "Julio César Gómez";
    d->signatories[1].title_es = "Director de Relaciones para la Integración";
    d->signatories[1].title_en = "Director of Relations for Integration";
}

static struct pdf_signer *signer; /* the document signature (ECDSA P-256), shared */

static bool one_aula(int i, struct job *j, bool sign_document)
{
    char number[32], url[128], sig[CERT_SIG_B64_SIZE], path[512];
    struct cert_document d = {0};
    facts_for(i, &d.facts, number, url);
    char *canonical = cert_facts_canonical(&d.facts);
    if (!canonical || !cert_sign_canonical(canonical, sk, sig, sizeof sig)) {
        snprintf(j->err, sizeof j->err, "cannot sign");
        free(canonical);
        return false;
    }
    d.organiser_es = ORG_ES;
    d.organiser_en = ORG_EN;
    d.partners_es = PARTNERS_ES;
    d.partners_en = PARTNERS_EN;
    fill_signatories(&d);
    d.facts_json = canonical;
    d.signature = sig;
    d.key_id = key_id;
    snprintf(path, sizeof path, "%s/%s%s.pdf", outdir, sign_document ? "" : "unsigned-", number);
    char sha[65];
    bool ok = sign_document ? cert_pdf_write_signed(path, &d, signer, 1647907200, sha, j->err,
                                                    sizeof j->err)
                            : cert_pdf_write(path, &d, j->err, sizeof j->err);
    free(canonical);
    struct stat st;
    if (ok && stat(path, &st) == 0)
        j->bytes += (size_t)st.st_size;
    return ok;
}

/* ---- the reference: the same page with cairo's toy text API ---- */

static double centred(cairo_t *cr, const char *family, int bold, int italic, double size,
                      double maxw, const char *text, double y)
{
    cairo_select_font_face(cr, family, italic ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_text_extents_t e;
    cairo_text_extents(cr, text, &e);
    if (e.x_advance > maxw) { /* shrink to fit, as the real one does */
        cairo_set_font_size(cr, size * maxw / e.x_advance);
        cairo_text_extents(cr, text, &e);
    }
    cairo_move_to(cr, 841.89 / 2 - e.x_advance / 2, y + size);
    cairo_show_text(cr, text);
    return y + size * 1.36;
}

static bool one_bare(int i, struct job *j)
{
    char number[32], url[128], path[512], buf[512];
    struct cert_facts f;
    facts_for(i, &f, number, url);
    snprintf(path, sizeof path, "%s/bare-%s.pdf", outdir, number);
    const double W = 841.89, H = 595.28;
    cairo_surface_t *s = cairo_pdf_surface_create(path, W, H);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0.10, 0.16, 0.30);
    cairo_set_line_width(cr, 1.4);
    cairo_rectangle(cr, 20, 20, W - 40, H - 40);
    cairo_stroke(cr);
    cairo_set_line_width(cr, 0.4);
    cairo_rectangle(cr, 25, 25, W - 50, H - 50);
    cairo_stroke(cr);

    double y = 48;
    y = centred(cr, "Noto Serif", 1, 0, 12.5, 700, ORG_ES, y);
    y = centred(cr, "Noto Serif", 0, 1, 10.5, 700, ORG_EN, y + 1);
    y = centred(cr, "Noto Serif", 0, 0, 9, 700, PARTNERS_ES, y + 5);
    y = centred(cr, "Noto Serif", 0, 1, 9, 700, PARTNERS_EN, y + 1);
    y += 14;
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, W / 2 - 40, y);
    cairo_line_to(cr, W / 2 + 40, y);
    cairo_stroke(cr);
    y = centred(cr, "Noto Serif", 0, 0, 30, 700, "Certificado / Certificate", y + 12);
    y = centred(cr, "Noto Serif", 0, 1, 12, 700, "se otorga a  /  is awarded to", y + 20);
    snprintf(buf, sizeof buf, "%s%s%s", f.form_of_address, *f.form_of_address ? " " : "", f.name);
    cairo_set_source_rgb(cr, 0.12, 0.12, 0.12);
    y = centred(cr, "Noto Serif", 1, 0, 30, 700, buf, y + 10);
    cairo_set_line_width(cr, 0.6);
    cairo_move_to(cr, W / 2 - 200, y + 8);
    cairo_line_to(cr, W / 2 + 200, y + 8);
    cairo_stroke(cr);
    y = centred(cr, "Noto Serif", 0, 0, 12, 700, "por haber participado en el curso", y + 22);
    y = centred(cr, "Noto Serif", 1, 0, 17, 700, f.course_es, y + 2);
    snprintf(buf, sizeof buf, "%s  ·  %d horas  ·  %s", f.edition_es, f.hours, f.dates_es);
    y = centred(cr, "Noto Serif", 0, 0, 12, 700, buf, y + 3);
    y = centred(cr, "Noto Serif", 0, 1, 11, 700, "for taking part in the course", y + 14);
    y = centred(cr, "Noto Serif", 0, 1, 16, 700, f.course_en, y + 2);
    snprintf(buf, sizeof buf, "%s  ·  %d hours  ·  %s", f.edition_en, f.hours, f.dates_en);
    centred(cr, "Noto Serif", 0, 1, 11, 700, buf, y + 3);

    /* Two signatories (the text centred on the page column by column). */
    struct cert_document d = {0};
    fill_signatories(&d);
    for (int k = 0; k < d.nsignatories; k++) {
        double cx = W / 2 + (k - 0.5) * 230;
        cairo_set_line_width(cr, 0.5);
        cairo_move_to(cr, cx - 85, 448);
        cairo_line_to(cr, cx + 85, 448);
        cairo_stroke(cr);
        const char *lines[3] = {d.signatories[k].name, d.signatories[k].title_es,
                                d.signatories[k].title_en};
        double sy = 452;
        for (int m = 0; m < 3; m++) {
            cairo_select_font_face(cr, "Noto Serif",
                                   m == 2 ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
                                   m ? CAIRO_FONT_WEIGHT_NORMAL : CAIRO_FONT_WEIGHT_BOLD);
            cairo_set_font_size(cr, m ? 8.5 : 10);
            cairo_text_extents_t e;
            cairo_text_extents(cr, lines[m], &e);
            cairo_move_to(cr, cx - e.x_advance / 2, sy + (m ? 8 : 10));
            cairo_show_text(cr, lines[m]);
            sy += m ? 11 : 14;
        }
    }
    /* Footer. */
    cairo_select_font_face(cr, "Noto Serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 7.5);
    double fy = H - 25 - 14 - 3 * 11.5 + 7.5;
    snprintf(buf, sizeof buf, "N.º de certificado / Certificate no.  %s", number);
    cairo_move_to(cr, 39, fy);
    cairo_show_text(cr, buf);
    snprintf(buf, sizeof buf, "Emitido el / Issued on  22 de marzo de 2022  /  22 March 2022");
    cairo_move_to(cr, 39, fy + 11.5);
    cairo_show_text(cr, buf);
    snprintf(buf, sizeof buf, "Verificación / Verification  %s", url);
    cairo_move_to(cr, 39, fy + 23);
    cairo_show_text(cr, buf);

    cairo_show_page(cr);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(j->err, sizeof j->err, "cairo: %s", cairo_status_to_string(st));
        return false;
    }
    struct stat sb;
    if (stat(path, &sb) == 0)
        j->bytes += (size_t)sb.st_size;
    return true;
}

static void *worker(void *arg)
{
    struct job *j = arg;
    for (int i = range_start + j->index; i < range_end; i += nthreads)
        if (!(j->mode == 1 ? one_bare(i, j) : one_aula(i, j, j->mode == 2)))
            j->failures++;
    cert_pdf_thread_cleanup();
    return NULL;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

struct result {
    double wall, cpu;
    size_t bytes;
};

/* Runs certificates [start, end) in mode; adds times and bytes to r. */
static bool run(int mode, int start, int end, struct result *r)
{
    range_start = start;
    range_end = end;
    pthread_t th[64];
    struct job jobs[64];
    double t0 = now(), c0 = cpu_seconds();
    for (int t = 0; t < nthreads; t++) {
        jobs[t] = (struct job){.index = t, .mode = mode};
        pthread_create(&th[t], NULL, worker, &jobs[t]);
    }
    bool ok = true;
    for (int t = 0; t < nthreads; t++) {
        pthread_join(th[t], NULL);
        if (jobs[t].failures) {
            fprintf(stderr, "cert_bench: %d failures: %s\n", jobs[t].failures, jobs[t].err);
            ok = false;
        }
        r->bytes += jobs[t].bytes;
    }
    r->wall += now() - t0;
    r->cpu += cpu_seconds() - c0;
    return ok;
}

int main(int argc, char **argv)
{
    total = argc > 1 ? atoi(argv[1]) : 1000;
    nthreads = argc > 2 ? atoi(argv[2]) : 2;
    if (total < 1 || nthreads < 1 || nthreads > 64) {
        fprintf(stderr, "usage: cert_bench [N] [THREADS 1-64] [OUTDIR]\n");
        return 2;
    }
    char tmpl[] = "/tmp/aula-cert-bench.XXXXXX";
    bool own_dir = argc <= 3;
    if (own_dir) {
        if (!mkdtemp(tmpl)) {
            perror("cert_bench: mkdtemp");
            return 1;
        }
        outdir = tmpl;
    } else {
        outdir = argv[3];
        if (mkdir(outdir, 0755) != 0 && errno != EEXIST) {
            perror("cert_bench: mkdir");
            return 1;
        }
    }
    if (sodium_init() < 0)
        return 1;
    json_arena_init(); /* jansson's allocator as in the aula binary */
    crypto_sign_keypair(pk, sk);
    cert_key_id(pk, key_id);
    char keys_dir[600], kid[PDF_KEY_ID_LEN + 1], err[300];
    snprintf(keys_dir, sizeof keys_dir, "%s/signing", outdir);
    mkdir(keys_dir, 0700);
    if (!pdf_keys_ensure(keys_dir, "Sistema Económico Latinoamericano y del Caribe", err,
                         sizeof err) ||
        !(signer = pdf_keys_signer(keys_dir, kid, err, sizeof err))) {
        fprintf(stderr, "cert_bench: %s\n", err);
        return 1;
    }

    /* Warm-up of both (fontconfig's cache, page faults), not counted.
     * Then both in alternating rounds, so that a change in what else the
     * machine does weighs on both alike. */
    struct result warm = {0}, aula = {0}, bare = {0}, unsigned_aula = {0};
    if (!run(1, 0, 2 * nthreads, &warm) || !run(0, 0, 2 * nthreads, &warm) ||
        !run(2, 0, 2 * nthreads, &warm))
        return 1;
    int rounds = total >= 500 ? 10 : 1;
    bool ok = true;
    for (int r = 0; r < rounds && ok; r++) {
        int a = (int)((long)total * r / rounds), b = (int)((long)total * (r + 1) / rounds);
        ok = run(1, a, b, &bare) && run(0, a, b, &unsigned_aula) && run(2, a, b, &aula);
    }

    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    printf("cert_bench: %d certificates, %d threads, %ld cores, %d alternating rounds, files in %s\n",
           total, nthreads, cores, rounds, own_dir ? "a temporary directory" : outdir);
    printf("  aula:       %.2f s wall, %.2f ms per certificate, %.2f ms CPU each, %zu KB each"
           " (pango + QR + Ed25519 + metadata + PDF document signature)\n",
           aula.wall, 1000 * aula.wall / total, 1000 * aula.cpu / total,
           aula.bytes / (size_t)total / 1024);
    printf("  unsigned:   %.2f s wall, %.2f ms per certificate, %.2f ms CPU each, %zu KB each"
           " (the same without the PDF document signature)\n",
           unsigned_aula.wall, 1000 * unsigned_aula.wall / total,
           1000 * unsigned_aula.cpu / total, unsigned_aula.bytes / (size_t)total / 1024);
    printf("  ratio signed / unsigned rendering: %.2f (wall), %.2f (CPU)\n",
           aula.wall / unsigned_aula.wall, aula.cpu / unsigned_aula.cpu);
    printf("  bare cairo: %.2f s wall, %.2f ms per certificate, %.2f ms CPU each, %zu KB each"
           " (toy text API only)\n",
           bare.wall, 1000 * bare.wall / total, 1000 * bare.cpu / total,
           bare.bytes / (size_t)total / 1024);
    printf("  ratio aula / bare cairo: %.2f (wall), %.2f (CPU)\n", aula.wall / bare.wall,
           aula.cpu / bare.cpu);
    double projected = aula.cpu / total * 1000 / (nthreads < cores ? nthreads : cores);
    printf("  goal 1000 in under 5 s on 2 cores: measured %.2f s per 1000 -> %s;"
           " CPU-bound (idle cores) %.2f s per 1000\n",
           aula.wall * 1000 / total, aula.wall * 1000 / total < 5 ? "met" : "NOT met", projected);

    pdf_signer_free(signer);
    if (own_dir) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpl);
        if (system(cmd) != 0)
            fprintf(stderr, "cert_bench: could not remove %s\n", tmpl);
    }
    return ok ? 0 : 1;
}
