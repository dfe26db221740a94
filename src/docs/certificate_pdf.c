/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The certificate's page: what goes where, drawing the plan with cairo
 * and writing the PDF.  Text measuring and fitting is in
 * certificate_pdf_layout.c, reading the facts back in certificate_pdf_read.c. */
#include "certificate_pdf.h"
#include "certificate_pdf_layout.h"
#include "logo_image.h"
#include "pdf_sign.h"
#include "../base/digest.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <fcntl.h>
#include <qrencode.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef AULA_VERSION
#define AULA_VERSION "dev"
#endif

/* ---- page geometry, in PDF points (1/72 in) ---- */

#define PAGE_W 841.89 /* A4 landscape */
#define PAGE_H 595.28
#define BORDER_OUT 20.0   /* outer frame line, from the page edge */
#define BORDER_IN 25.0    /* inner frame line */
#define TEXT_W 700.0      /* widest text block (name, course) */
#define NAME_MAX_H 68.0   /* the name never takes more height than this */
#define QR_SIZE 66.0      /* the QR code with its quiet zone */
#define QR_QUIET 4        /* modules of quiet zone on each side */
#define SIG_COL_W 210.0   /* one signatory's column */
#define SIG_LINE_Y 448.0  /* the signature lines */

/* Families in order; fontconfig falls back to any installed font that has
 * a character none of these has (Greek, Cyrillic, Tibetan... in Noto). */
#define SERIF "Noto Serif,Noto Naskh Arabic,DejaVu Serif"

/* ---- strings and dates ---- */

static const char *nz(const char *s)
{
    return s ? s : "";
}

static char *strdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *strdup_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return s;
}

static const char *const MONTHS_ES[] = {"enero", "febrero", "marzo", "abril", "mayo", "junio",
                                        "julio", "agosto", "septiembre", "octubre", "noviembre",
                                        "diciembre"};
static const char *const MONTHS_EN[] = {"January", "February", "March", "April", "May", "June",
                                        "July", "August", "September", "October", "November",
                                        "December"};

/* "22 de marzo de 2022" and "22 March 2022" from 2022-03-22; the date as
 * it is when it is not one. */
static void format_date(const char *iso, char *es, size_t esn, char *en, size_t enn)
{
    int y, m, d, used = 0;
    if (sscanf(nz(iso), "%4d-%2d-%2d%n", &y, &m, &d, &used) == 3 && used == 10 && m >= 1 &&
        m <= 12 && d >= 1 && d <= 31) {
        snprintf(es, esn, "%d de %s de %d", d, MONTHS_ES[m - 1], y);
        snprintf(en, enn, "%d %s %d", d, MONTHS_EN[m - 1], y);
    } else {
        snprintf(es, esn, "%s", nz(iso));
        snprintf(en, enn, "%s", nz(iso));
    }
}

/* "edition · 16 horas · dates", leaving out what is empty. */
static char *detail_line(const char *edition, int hours, const char *unit1, const char *unitn,
                         const char *dates)
{
    GString *s = g_string_new(NULL);
    if (*nz(edition))
        g_string_append(s, edition);
    if (hours > 0)
        g_string_append_printf(s, "%s%d %s", s->len ? "  ·  " : "", hours,
                               hours == 1 ? unit1 : unitn);
    if (*nz(dates))
        g_string_append_printf(s, "%s%s", s->len ? "  ·  " : "", dates);
    return g_string_free(s, FALSE);
}

static bool b64url_token(const char *s, size_t minlen, size_t maxlen)
{
    size_t n = strlen(nz(s));
    if (n < minlen || n > maxlen)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

/* ---- the page ---- */

static void build(struct plan *p, const struct cert_document *d)
{
    const struct cert_facts *f = &d->facts;
    const double cx = PAGE_W / 2;
    double y = 48;

    if (!*nz(f->name)) {
        plan_fail(p, "the certificate has no name");
        return;
    }
    if (!*nz(f->verify_url)) {
        plan_fail(p, "the certificate has no verify URL");
        return;
    }

    /* Organiser at the top: Spanish in spaced small capitals (a font
     * feature: the text itself, and so what a PDF reader extracts, stays as
     * written), English below. */
    PangoLayout *l = plan_layout(p, "the organiser", nz(d->organiser_es), SERIF, BOLD, 12.5);
    if (l) {
        PangoAttrList *al = pango_attr_list_copy(pango_layout_get_attributes(l));
        pango_attr_list_insert(al, pango_attr_font_features_new("smcp"));
        pango_attr_list_insert(al, pango_attr_letter_spacing_new((int)(1.0 * PANGO_SCALE)));
        pango_layout_set_attributes(l, al);
        pango_attr_list_unref(al);
        if (!layout_fit(l, SERIF, BOLD, 12.5, 7, 9, 2, TEXT_W, 30))
            plan_fail(p, "the organiser's name is too long to print");
        plan_check_glyphs(p, l, "the organiser's name");
        y = plan_place(p, l, cx, y, NAVY);
    }
    if (*nz(d->organiser_en) && strcmp(nz(d->organiser_en), nz(d->organiser_es)) != 0)
        y = plan_line(p, "the organiser's name", d->organiser_en, SERIF, ITALIC, 10.5, 7, cx, y + 1,
                      TEXT_W, GREY);
    if (*nz(d->partners_es))
        y = plan_line(p, "the partners", d->partners_es, SERIF, REGULAR, 9, 6.5, cx, y + 5, TEXT_W,
                      GREY);
    if (*nz(d->partners_en) && strcmp(nz(d->partners_en), nz(d->partners_es)) != 0)
        y = plan_line(p, "the partners", d->partners_en, SERIF, ITALIC, 9, 6.5, cx,
                      y + (*nz(d->partners_es) ? 1 : 5), TEXT_W, GREY);
    y += 14;
    plan_add_rule(p, cx - 40, y, cx + 40, y, 0.8);
    y += 12;

    /* Title. */
    l = plan_layout(p, "the title", "Certificado / Certificate", SERIF, REGULAR, 30);
    if (l) {
        PangoAttrList *al = pango_attr_list_copy(pango_layout_get_attributes(l));
        PangoAttribute *a = pango_attr_style_new(PANGO_STYLE_ITALIC);
        a->start_index = (guint)strlen("Certificado ");
        pango_attr_list_insert(al, a);
        a = pango_attr_foreground_new(0x5c5c, 0x5c5c, 0x6161);
        a->start_index = (guint)strlen("Certificado ");
        pango_attr_list_insert(al, a);
        a = pango_attr_size_new(24 * PANGO_SCALE);
        a->start_index = (guint)strlen("Certificado ");
        pango_attr_list_insert(al, a);
        pango_layout_set_attributes(l, al);
        pango_attr_list_unref(al);
        y = plan_place(p, l, cx, y, NAVY);
    }

    /* The middle block, measured first and centred between the title and
     * the signatures. */
    double top = y + 8;
    double bottom = d->nsignatories > 0 ? SIG_LINE_Y - 34 : PAGE_H - 110;
    int first = p->nitems, name_rule = -1;
    double my = 0;
    my = plan_line(p, "the title", "se otorga a  /  is awarded to", SERIF, ITALIC, 12, 12, cx, my,
                   TEXT_W, GREY);
    my += 10;

    /* The name: form of address in regular, the name in bold; shrinks,
     * then wraps to two lines, and never leaves its box. */
    char *full = *nz(f->form_of_address) ? strdup_printf("%s %s", f->form_of_address, f->name)
                                         : g_strdup(f->name);
    l = plan_layout(p, "the name", full, SERIF, REGULAR, 30);
    if (l) {
        PangoAttrList *al = pango_attr_list_copy(pango_layout_get_attributes(l));
        PangoAttribute *a = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
        a->start_index = (guint)(strlen(full) - strlen(f->name));
        pango_attr_list_insert(al, a);
        pango_layout_set_attributes(l, al);
        pango_attr_list_unref(al);
        if (!layout_fit2(l, SERIF, REGULAR, 30, 18, 22, 11, 2, TEXT_W, NAME_MAX_H))
            plan_fail(p, "the name is too long to print in two lines (%ld characters)",
                      g_utf8_strlen(full, -1));
        plan_check_glyphs(p, l, "the name");
        double w = 0;
        layout_extents(l, NULL, NULL, &w, NULL);
        my = plan_place(p, l, cx, my, INK);
        my += 8;
        double rw = w / 2 + 30 < 180 ? 180 : w / 2 + 30;
        if (rw > TEXT_W / 2)
            rw = TEXT_W / 2;
        name_rule = p->nrules;
        plan_add_rule(p, cx - rw, my, cx + rw, my, 0.6); /* moved with the block below */
        my += 14;
    }
    g_free(full);

    /* Spanish. */
    my = plan_line(p, "the text", "por haber participado en el curso", SERIF, REGULAR, 12, 12, cx,
                   my, TEXT_W, INK);
    my += 2;
    l = plan_layout(p, "the course (es)", nz(f->course_es), SERIF, BOLD, 17);
    if (l) {
        if (!layout_fit2(l, SERIF, BOLD, 17, 13, 14, 9, 2, TEXT_W, 44))
            plan_fail(p, "the course name (es) is too long to print");
        plan_check_glyphs(p, l, "the course name (es)");
        my = plan_place(p, l, cx, my, NAVY);
    }
    char *det = detail_line(f->edition_es, f->hours, "hora", "horas", f->dates_es);
    my = plan_line(p, "the edition and dates (es)", det, SERIF, REGULAR, 12, 8, cx, my + 3, TEXT_W,
                   INK);
    g_free(det);
    my += 14;

    /* English. */
    my = plan_line(p, "the text", "for taking part in the course", SERIF, ITALIC, 11, 11, cx, my,
                   TEXT_W, GREY);
    my += 2;
    l = plan_layout(p, "the course (en)", nz(f->course_en), SERIF, ITALIC, 16);
    if (l) {
        if (!layout_fit2(l, SERIF, ITALIC, 16, 12, 13, 8, 2, TEXT_W, 40))
            plan_fail(p, "the course name (en) is too long to print");
        plan_check_glyphs(p, l, "the course name (en)");
        my = plan_place(p, l, cx, my, NAVY);
    }
    det = detail_line(f->edition_en, f->hours, "hour", "hours", f->dates_en);
    my = plan_line(p, "the edition and dates (en)", det, SERIF, ITALIC, 11, 8, cx, my + 3, TEXT_W,
                   GREY);
    g_free(det);

    /* Shift the block into place. */
    double shift = top + ((bottom - top) - my) / 2;
    if (shift < top)
        shift = top;
    for (int i = first; i < p->nitems; i++)
        p->items[i].y += shift;
    if (name_rule >= 0 && name_rule < p->nrules) {
        struct rule *r = &p->rules[name_rule];
        r->y0 = r->y1 = r->y0 + shift;
    }
    if (!p->failed && shift + my > bottom + 24)
        plan_fail(p, "the texts do not fit on the page");

    /* Signatories: a line to sign on, the name, the titles. */
    int n = d->nsignatories < 0 ? 0
                                : d->nsignatories > CERT_MAX_SIGNATORIES ? CERT_MAX_SIGNATORIES
                                                                         : d->nsignatories;
    for (int i = 0; i < n; i++) {
        double scx = cx + (i - (n - 1) / 2.0) * (SIG_COL_W + 20);
        plan_add_rule(p, scx - SIG_COL_W / 2 + 20, SIG_LINE_Y, scx + SIG_COL_W / 2 - 20, SIG_LINE_Y,
                      0.5);
        double sy = SIG_LINE_Y + 4;
        sy = plan_line(p, "a signatory's name", nz(d->signatories[i].name), SERIF, BOLD, 10, 7, scx,
                       sy, SIG_COL_W, INK);
        if (*nz(d->signatories[i].title_es))
            sy = plan_line(p, "a signatory's title", d->signatories[i].title_es, SERIF, REGULAR,
                           8.5, 6, scx, sy + 1, SIG_COL_W, INK);
        if (*nz(d->signatories[i].title_en) &&
            strcmp(nz(d->signatories[i].title_en), nz(d->signatories[i].title_es)) != 0)
            plan_line(p, "a signatory's title", d->signatories[i].title_en, SERIF, ITALIC, 8.5, 6,
                      scx, sy, SIG_COL_W, GREY);
    }

    /* Footer, left: number, issue date, where to verify. */
    char date_es[64], date_en[64];
    format_date(f->issued_on, date_es, sizeof date_es, date_en, sizeof date_en);
    char *foot[3] = {
        strdup_printf("N.º de certificado / Certificate no.  %s", nz(f->number)),
        strdup_printf("Emitido el / Issued on  %s  /  %s", date_es, date_en),
        strdup_printf("Verificación / Verification  %s", f->verify_url),
    };
    double fy = PAGE_H - BORDER_IN - 14 - 3 * 11.5;
    for (int i = 0; i < 3; i++) {
        l = plan_layout(p, "the footer", foot[i], SERIF, REGULAR, 7.5);
        if (l) {
            pango_layout_set_alignment(l, PANGO_ALIGN_LEFT);
            if (!layout_fit(l, SERIF, REGULAR, 7.5, 5, 7.5, 1,
                            PAGE_W - 2 * BORDER_IN - QR_SIZE - 40, 20))
                plan_fail(p, "the certificate number or verify URL is too long to print");
            plan_check_glyphs(p, l, "the footer");
            double x0, y0;
            layout_extents(l, &x0, &y0, NULL, NULL);
            p->items[p->nitems - 1].x = BORDER_IN + 14 - x0;
            p->items[p->nitems - 1].y = fy - y0;
            p->items[p->nitems - 1].color = GREY;
        }
        fy += 11.5;
        g_free(foot[i]);
    }

    /* QR code, bottom right. */
    if (!p->failed) {
        p->qr = QRcode_encodeString(f->verify_url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
        if (!p->qr)
            plan_fail(p, "cannot make a QR code of the verify URL: %s", strerror(errno));
    }
}

static void draw(cairo_t *cr, const struct plan *p)
{
    /* White page, double frame. */
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, NAVY[0], NAVY[1], NAVY[2]);
    cairo_set_line_width(cr, 1.4);
    cairo_rectangle(cr, BORDER_OUT, BORDER_OUT, PAGE_W - 2 * BORDER_OUT, PAGE_H - 2 * BORDER_OUT);
    cairo_stroke(cr);
    cairo_set_line_width(cr, 0.4);
    cairo_rectangle(cr, BORDER_IN, BORDER_IN, PAGE_W - 2 * BORDER_IN, PAGE_H - 2 * BORDER_IN);
    cairo_stroke(cr);

    for (int i = 0; i < p->nrules; i++) {
        const struct rule *r = &p->rules[i];
        cairo_set_line_width(cr, r->width);
        cairo_move_to(cr, r->x0, r->y0);
        cairo_line_to(cr, r->x1, r->y1);
        cairo_stroke(cr);
    }

    for (int i = 0; i < p->nitems; i++) {
        const struct item *it = &p->items[i];
        cairo_set_source_rgb(cr, it->color[0], it->color[1], it->color[2]);
        cairo_move_to(cr, it->x, it->y);
        pango_cairo_show_layout(cr, it->l);
    }

    if (p->qr) {
        /* Dark modules as one path of horizontal runs, on white with a quiet
         * zone of QR_QUIET modules. */
        int w = p->qr->width;
        double m = QR_SIZE / (w + 2 * QR_QUIET);
        double x0 = PAGE_W - BORDER_IN - 8 - QR_SIZE, y0 = PAGE_H - BORDER_IN - 8 - QR_SIZE;
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_rectangle(cr, x0, y0, QR_SIZE, QR_SIZE);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        for (int row = 0; row < w; row++) {
            const unsigned char *d = p->qr->data + row * w;
            for (int col = 0; col < w;) {
                if (!(d[col] & 1)) {
                    col++;
                    continue;
                }
                int start = col;
                while (col < w && (d[col] & 1))
                    col++;
                cairo_rectangle(cr, x0 + (QR_QUIET + start) * m, y0 + (QR_QUIET + row) * m,
                                (col - start) * m, m);
            }
        }
        cairo_fill(cr);
    }
}

/* The organisation's logo, scaled to fit LOGO_BOX points in the top left
 * corner inside the frame; an image that cannot be read is left out (the
 * console checked it when it was uploaded).  A JPEG is embedded as is. */
#define LOGO_BOX 56.0

static void draw_logo(cairo_t *cr, const struct cert_document *d)
{
    if (!d->logo || !d->logo_len)
        return;
    cairo_surface_t *img = logo_surface(d->logo, d->logo_len);
    if (!img)
        return;
    int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    if (w > 0 && h > 0) {
        double scale = LOGO_BOX / (w > h ? w : h);
        cairo_save(cr);
        cairo_translate(cr, BORDER_IN + 12, BORDER_IN + 12);
        cairo_scale(cr, scale, scale);
        cairo_set_source_surface(cr, img, 0, 0);
        cairo_paint(cr);
        cairo_restore(cr);
    }
    cairo_surface_destroy(img);
}

/* ---- output ---- */

struct membuf {
    unsigned char *data;
    size_t len, cap;
    bool oom;
};

static cairo_status_t mem_write(void *closure, const unsigned char *data, unsigned int n)
{
    struct membuf *b = closure;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 64 * 1024;
        while (cap < b->len + n)
            cap *= 2;
        unsigned char *nd = realloc(b->data, cap);
        if (!nd) {
            b->oom = true;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        b->data = nd;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, n);
    b->len += n;
    return CAIRO_STATUS_SUCCESS;
}

bool cert_pdf_render(const struct cert_document *d, unsigned char **out, size_t *outlen,
                     char *err, size_t errlen)
{
    *out = NULL;
    *outlen = 0;
    struct plan p = {.err = err, .errlen = errlen};
    if (errlen)
        err[0] = '\0';

    /* The metadata first: nothing to draw without signed facts. */
    if (!*nz(d->facts_json) || !b64url_token(d->signature, 1, 200) ||
        !b64url_token(d->key_id, CERT_KEY_ID_SIZE - 1, CERT_KEY_ID_SIZE - 1)) {
        snprintf(err, errlen, "the certificate needs its signed facts, signature and key id");
        return false;
    }
    size_t fn = strlen(d->facts_json);
    size_t bn = sodium_base64_ENCODED_LEN(fn, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *keywords = malloc(bn + strlen(d->signature) + strlen(d->key_id) + 64);
    if (!keywords) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    char *k = stpcpy(keywords, "aula-facts:");
    cert_b64url(k, bn, d->facts_json, fn);
    k += strlen(k);
    sprintf(k, " aula-sig:%s aula-kid:%s", d->signature, d->key_id);

    p.r = renderer_get();
    if (!p.r)
        plan_fail(&p, "cannot set up fonts");
    else
        build(&p, d);
    if (p.failed) {
        plan_free(&p);
        free(keywords);
        return false;
    }

    struct membuf b = {0};
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(mem_write, &b, PAGE_W, PAGE_H);
    char title[200], create_date[40];
    snprintf(title, sizeof title, "Certificado / Certificate %s", nz(d->facts.number));
    snprintf(create_date, sizeof create_date, "%.10sT00:00:00Z", nz(d->facts.issued_on));
    char *subject = strdup_printf("%s — %s / %s", nz(d->facts.name), nz(d->facts.course_es),
                                  nz(d->facts.course_en));
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, nz(d->organiser_es));
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, subject);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_KEYWORDS, keywords);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "Aula " AULA_VERSION);
    if (strlen(nz(d->facts.issued_on)) == 10)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, create_date);
    g_free(subject);
    free(keywords);

    cairo_t *cr = cairo_create(s);
    draw(cr, &p);
    draw_logo(cr, d);
    cairo_show_page(cr);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    plan_free(&p);
    if (st != CAIRO_STATUS_SUCCESS || b.oom) {
        snprintf(err, errlen, "cannot draw the certificate: %s",
                 b.oom ? "out of memory" : cairo_status_to_string(st));
        free(b.data);
        return false;
    }
    *out = b.data;
    *outlen = b.len;
    return true;
}

bool cert_pdf_write(const char *path, const struct cert_document *d, char *err, size_t errlen)
{
    return cert_pdf_write_signed(path, d, NULL, 0, NULL, err, errlen);
}

bool cert_pdf_write_signed(const char *path, const struct cert_document *d,
                           const struct pdf_signer *signer, long long when, char *sha256_hex65,
                           char *err, size_t errlen)
{
    unsigned char *pdf;
    size_t n;
    if (!cert_pdf_render(d, &pdf, &n, err, errlen))
        return false;
    if (signer) {
        unsigned char *signed_pdf;
        size_t sn;
        bool ok = pdf_sign(signer, pdf, n, (time_t)when, &signed_pdf, &sn, err, errlen);
        free(pdf);
        if (!ok)
            return false;
        pdf = signed_pdf;
        n = sn;
    }
    if (sha256_hex65)
        sha256_hex_of(pdf, n, sha256_hex65);
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 8);
    if (!tmp) {
        free(pdf);
        snprintf(err, errlen, "out of memory");
        return false;
    }
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".XXXXXX", 8);
    int fd = mkostemp(tmp, O_CLOEXEC);
    bool ok = fd >= 0;
    if (!ok)
        snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
    size_t done = 0;
    while (ok && done < n) {
        ssize_t w = write(fd, pdf + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
            ok = false;
            break;
        }
        done += (size_t)w;
    }
    if (fd >= 0) {
        /* mkstemp makes the file 0600, and it stays so: a certificate
         * carries a person's name and is handed out by the server only. */
        if (close(fd) != 0 && ok) {
            snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
            ok = false;
        }
        if (ok && rename(tmp, path) != 0) {
            snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
            ok = false;
        }
        if (!ok)
            unlink(tmp);
    }
    free(tmp);
    free(pdf);
    return ok;
}
