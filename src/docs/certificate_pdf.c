#include "certificate_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <qrencode.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

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

static const double NAVY[3] = {0.10, 0.16, 0.30};
static const double INK[3] = {0.12, 0.12, 0.12};
static const double GREY[3] = {0.36, 0.36, 0.38};

/* ---- per-thread pango state ---- */

struct renderer {
    PangoFontMap *fontmap;
    PangoContext *ctx;
};

static pthread_key_t renderer_key;
static pthread_once_t renderer_once = PTHREAD_ONCE_INIT;

static void renderer_free(void *p)
{
    struct renderer *r = p;
    if (!r)
        return;
    if (r->ctx)
        g_object_unref(r->ctx);
    if (r->fontmap)
        g_object_unref(r->fontmap);
    free(r);
}

static void renderer_key_init(void)
{
    pthread_key_create(&renderer_key, renderer_free);
}

static struct renderer *renderer_get(void)
{
    pthread_once(&renderer_once, renderer_key_init);
    struct renderer *r = pthread_getspecific(renderer_key);
    if (r)
        return r;
    r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->fontmap = pango_cairo_font_map_new();
    r->ctx = r->fontmap ? pango_font_map_create_context(r->fontmap) : NULL;
    if (!r->ctx) {
        renderer_free(r);
        return NULL;
    }
    /* Vector output: one unit is one point, no hinting, no rounding, so
     * that measuring and drawing agree exactly. */
    pango_cairo_context_set_resolution(r->ctx, 72.0);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(r->ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(r->ctx, FALSE);
    pango_context_set_language(r->ctx, pango_language_from_string("es"));
    pthread_setspecific(renderer_key, r);
    return r;
}

void cert_pdf_thread_cleanup(void)
{
    pthread_once(&renderer_once, renderer_key_init);
    renderer_free(pthread_getspecific(renderer_key));
    pthread_setspecific(renderer_key, NULL);
}

/* ---- the page as a plan: every element measured before anything is drawn ---- */

#define MAX_ITEMS 48
#define MAX_RULES 8

struct item {
    PangoLayout *l;
    double x, y; /* where pango_cairo_show_layout starts */
    const double *color;
};

struct rule {
    double x0, y0, x1, y1, width;
};

struct plan {
    struct renderer *r;
    struct item items[MAX_ITEMS];
    int nitems;
    struct rule rules[MAX_RULES];
    int nrules;
    QRcode *qr;
    char *err;
    size_t errlen;
    bool failed;
};

static void plan_free(struct plan *p)
{
    for (int i = 0; i < p->nitems; i++)
        g_object_unref(p->items[i].l);
    p->nitems = 0;
    if (p->qr)
        QRcode_free(p->qr);
    p->qr = NULL;
}

static void fail(struct plan *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct plan *p, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err, p->errlen, fmt, ap);
    va_end(ap);
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

enum { REGULAR = 0, BOLD = 1, ITALIC = 2 };

static PangoFontDescription *font(const char *family, int style, double size)
{
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family_static(fd, family);
    pango_font_description_set_weight(fd, style & BOLD ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(fd, style & ITALIC ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_font_description_set_size(fd, (int)(size * PANGO_SCALE + 0.5));
    return fd;
}

static void set_size(PangoLayout *l, const char *family, int style, double size)
{
    PangoFontDescription *fd = font(family, style, size);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
}

static void extents(PangoLayout *l, double *x, double *y, double *w, double *h)
{
    PangoRectangle lg;
    pango_layout_get_extents(l, NULL, &lg);
    if (x)
        *x = (double)lg.x / PANGO_SCALE;
    if (y)
        *y = (double)lg.y / PANGO_SCALE;
    if (w)
        *w = (double)lg.width / PANGO_SCALE;
    if (h)
        *h = (double)lg.height / PANGO_SCALE;
}

/* Fails the plan, naming the characters, when a layout holds glyphs that no
 * installed font has (pango would draw them as boxes). */
static void check_glyphs(struct plan *p, PangoLayout *l, const char *what)
{
    if (p->failed || pango_layout_get_unknown_glyphs_count(l) == 0)
        return;
    char list[160] = "";
    size_t used = 0;
    int shown = 0;
    gunichar seen[8];
    PangoLayoutIter *it = pango_layout_get_iter(l);
    do {
        PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
        if (!run)
            continue;
        for (int i = 0; i < run->glyphs->num_glyphs; i++) {
            PangoGlyph g = run->glyphs->glyphs[i].glyph;
            if (!(g & PANGO_GLYPH_UNKNOWN_FLAG) || g == PANGO_GLYPH_INVALID_INPUT)
                continue;
            gunichar c = g & ~PANGO_GLYPH_UNKNOWN_FLAG;
            bool dup = false;
            for (int k = 0; k < shown && k < 8; k++)
                dup |= seen[k] == c;
            if (dup || shown >= 8)
                continue;
            seen[shown++] = c;
            char u8[8] = "";
            /* Show the character itself only when it is printable. */
            if (g_unichar_isgraph(c) && g_unichar_type(c) != G_UNICODE_PRIVATE_USE)
                u8[g_unichar_to_utf8(c, u8)] = '\0';
            int n = snprintf(list + used, sizeof list - used, "%sU+%04X%s%s%s",
                             used ? ", " : "", (unsigned)c, *u8 ? " \"" : "", u8, *u8 ? "\"" : "");
            if (n > 0 && (size_t)n < sizeof list - used)
                used += (size_t)n;
        }
    } while (pango_layout_iter_next_run(it));
    pango_layout_iter_free(it);
    fail(p, "%s cannot be printed: no installed font has %s; install a font for this script "
            "(a fonts-noto-* package) or correct the text",
         what, *list ? list : "some of its characters");
}

/* A new layout of text in the given font, registered in the plan. */
static PangoLayout *layout(struct plan *p, const char *what, const char *text, const char *family,
                           int style, double size)
{
    if (p->failed)
        return NULL;
    if (p->nitems >= MAX_ITEMS) {
        fail(p, "too many text elements");
        return NULL;
    }
    if (!g_utf8_validate(text, -1, NULL)) {
        fail(p, "%s is not valid UTF-8", what);
        return NULL;
    }
    PangoLayout *l = pango_layout_new(p->r->ctx);
    set_size(l, family, style, size);
    /* No ligatures: a ligature glyph ("fi") has no single character code,
     * so cairo would embed a second subset of the font just for it. */
    PangoAttrList *al = pango_attr_list_new();
    pango_attr_list_insert(al, pango_attr_font_features_new("liga=0"));
    pango_layout_set_attributes(l, al);
    pango_attr_list_unref(al);
    pango_layout_set_text(l, text, -1);
    pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
    p->items[p->nitems++] = (struct item){.l = l, .color = INK};
    return l;
}

/* Sets the size at which l fits maxw on one line, from max down to min;
 * otherwise wraps it in at most maxlines balanced lines no higher than maxh,
 * from wrap_max down to wrap_min.  False when it fits in neither. */
static bool fit2(PangoLayout *l, const char *family, int style, double max, double min,
                 double wrap_max, double wrap_min, int maxlines, double maxw, double maxh)
{
    pango_layout_set_width(l, -1);
    set_size(l, family, style, max);
    double w, h;
    extents(l, NULL, NULL, &w, &h);
    if (w <= maxw && h <= maxh)
        return true;
    /* Unhinted text scales linearly: start from the estimate, then step. */
    double s = max * maxw / w;
    s = (double)(int)(s * 4) / 4;
    while (s >= min) {
        set_size(l, family, style, s);
        extents(l, NULL, NULL, &w, &h);
        if (w <= maxw && h <= maxh)
            return true;
        s -= 0.25;
    }
    if (maxlines < 2)
        return false;
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    for (s = wrap_max; s >= wrap_min; s -= 0.5) {
        set_size(l, family, style, s);
        pango_layout_set_width(l, (int)(maxw * PANGO_SCALE));
        extents(l, NULL, NULL, &w, &h);
        if (pango_layout_get_line_count(l) > maxlines || h > maxh)
            continue;
        /* Balance the lines: the narrowest width that needs no more lines. */
        int lines = pango_layout_get_line_count(l);
        double lo = maxw / lines, hi = maxw;
        for (int i = 0; i < 10 && hi - lo > 2; i++) {
            double mid = (lo + hi) / 2;
            pango_layout_set_width(l, (int)(mid * PANGO_SCALE));
            if (pango_layout_get_line_count(l) > lines)
                lo = mid;
            else
                hi = mid;
        }
        pango_layout_set_width(l, (int)(hi * PANGO_SCALE));
        return true;
    }
    return false;
}

/* fit2 with the same smallest size for one line and for wrapped lines. */
static bool fit(PangoLayout *l, const char *family, int style, double max, double min,
                double wrap_max, int maxlines, double maxw, double maxh)
{
    return fit2(l, family, style, max, min, wrap_max, min, maxlines, maxw, maxh);
}

/* Places l centred on cx with its top at y; returns the y below it. */
static double place(struct plan *p, PangoLayout *l, double cx, double y, const double *color)
{
    if (!l || p->failed)
        return y;
    double x0, y0, w, h;
    extents(l, &x0, &y0, &w, &h);
    struct item *it = &p->items[p->nitems - 1];
    for (int i = p->nitems - 1; i >= 0; i--)
        if (p->items[i].l == l) {
            it = &p->items[i];
            break;
        }
    it->x = cx - x0 - w / 2;
    it->y = y - y0;
    it->color = color;
    return y + h;
}

static void add_rule(struct plan *p, double x0, double y0, double x1, double y1, double width)
{
    if (p->nrules < MAX_RULES)
        p->rules[p->nrules++] = (struct rule){x0, y0, x1, y1, width};
}

/* A single-line text shrunk to fit maxw (never below min), centred at y. */
static double line(struct plan *p, const char *what, const char *text, const char *family,
                   int style, double size, double min, double cx, double y, double maxw,
                   const double *color)
{
    PangoLayout *l = layout(p, what, text, family, style, size);
    if (!l)
        return y;
    if (!fit(l, family, style, size, min, size, 2, maxw, size * 3))
        fail(p, "%s is too long to print", what);
    check_glyphs(p, l, what);
    return place(p, l, cx, y, color);
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

static void build(struct plan *p, const struct cert_document *d)
{
    const struct cert_facts *f = &d->facts;
    const double cx = PAGE_W / 2;
    double y = 48;

    if (!*nz(f->name)) {
        fail(p, "the certificate has no name");
        return;
    }
    if (!*nz(f->verify_url)) {
        fail(p, "the certificate has no verify URL");
        return;
    }

    /* Organiser at the top: Spanish in spaced small capitals (a font
     * feature: the text itself, and so what a PDF reader extracts, stays as
     * written), English below. */
    PangoLayout *l = layout(p, "the organiser", nz(d->organiser_es), SERIF, BOLD, 12.5);
    if (l) {
        PangoAttrList *al = pango_attr_list_copy(pango_layout_get_attributes(l));
        pango_attr_list_insert(al, pango_attr_font_features_new("smcp"));
        pango_attr_list_insert(al, pango_attr_letter_spacing_new((int)(1.0 * PANGO_SCALE)));
        pango_layout_set_attributes(l, al);
        pango_attr_list_unref(al);
        if (!fit(l, SERIF, BOLD, 12.5, 7, 9, 2, TEXT_W, 30))
            fail(p, "the organiser's name is too long to print");
        check_glyphs(p, l, "the organiser's name");
        y = place(p, l, cx, y, NAVY);
    }
    if (*nz(d->organiser_en) && strcmp(nz(d->organiser_en), nz(d->organiser_es)) != 0)
        y = line(p, "the organiser's name", d->organiser_en, SERIF, ITALIC, 10.5, 7, cx, y + 1,
                 TEXT_W, GREY);
    if (*nz(d->partners_es))
        y = line(p, "the partners", d->partners_es, SERIF, REGULAR, 9, 6.5, cx, y + 5, TEXT_W,
                 GREY);
    if (*nz(d->partners_en) && strcmp(nz(d->partners_en), nz(d->partners_es)) != 0)
        y = line(p, "the partners", d->partners_en, SERIF, ITALIC, 9, 6.5, cx,
                 y + (*nz(d->partners_es) ? 1 : 5), TEXT_W, GREY);
    y += 14;
    add_rule(p, cx - 40, y, cx + 40, y, 0.8);
    y += 12;

    /* Title. */
    l = layout(p, "the title", "Certificado / Certificate", SERIF, REGULAR, 30);
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
        y = place(p, l, cx, y, NAVY);
    }

    /* The middle block, measured first and centred between the title and
     * the signatures. */
    double top = y + 8;
    double bottom = d->nsignatories > 0 ? SIG_LINE_Y - 34 : PAGE_H - 110;
    int first = p->nitems, name_rule = -1;
    double my = 0;
    my = line(p, "the title", "se otorga a  /  is awarded to", SERIF, ITALIC, 12, 12, cx, my,
              TEXT_W, GREY);
    my += 10;

    /* The name: form of address in regular, the name in bold; shrinks,
     * then wraps to two lines, and never leaves its box. */
    char *full = *nz(f->form_of_address) ? strdup_printf("%s %s", f->form_of_address, f->name)
                                         : g_strdup(f->name);
    l = layout(p, "the name", full, SERIF, REGULAR, 30);
    if (l) {
        PangoAttrList *al = pango_attr_list_copy(pango_layout_get_attributes(l));
        PangoAttribute *a = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
        a->start_index = (guint)(strlen(full) - strlen(f->name));
        pango_attr_list_insert(al, a);
        pango_layout_set_attributes(l, al);
        pango_attr_list_unref(al);
        if (!fit2(l, SERIF, REGULAR, 30, 18, 22, 11, 2, TEXT_W, NAME_MAX_H))
            fail(p, "the name is too long to print in two lines (%ld characters)",
                 g_utf8_strlen(full, -1));
        check_glyphs(p, l, "the name");
        double w = 0;
        extents(l, NULL, NULL, &w, NULL);
        my = place(p, l, cx, my, INK);
        my += 8;
        double rw = w / 2 + 30 < 180 ? 180 : w / 2 + 30;
        if (rw > TEXT_W / 2)
            rw = TEXT_W / 2;
        name_rule = p->nrules;
        add_rule(p, cx - rw, my, cx + rw, my, 0.6); /* moved with the block below */
        my += 14;
    }
    g_free(full);

    /* Spanish. */
    my = line(p, "the text", "por haber participado en el curso", SERIF, REGULAR, 12, 12, cx, my,
              TEXT_W, INK);
    my += 2;
    l = layout(p, "the course (es)", nz(f->course_es), SERIF, BOLD, 17);
    if (l) {
        if (!fit2(l, SERIF, BOLD, 17, 13, 14, 9, 2, TEXT_W, 44))
            fail(p, "the course name (es) is too long to print");
        check_glyphs(p, l, "the course name (es)");
        my = place(p, l, cx, my, NAVY);
    }
    char *det = detail_line(f->edition_es, f->hours, "hora", "horas", f->dates_es);
    my = line(p, "the edition and dates (es)", det, SERIF, REGULAR, 12, 8, cx, my + 3, TEXT_W,
              INK);
    g_free(det);
    my += 14;

    /* English. */
    my = line(p, "the text", "for taking part in the course", SERIF, ITALIC, 11, 11, cx, my,
              TEXT_W, GREY);
    my += 2;
    l = layout(p, "the course (en)", nz(f->course_en), SERIF, ITALIC, 16);
    if (l) {
        if (!fit2(l, SERIF, ITALIC, 16, 12, 13, 8, 2, TEXT_W, 40))
            fail(p, "the course name (en) is too long to print");
        check_glyphs(p, l, "the course name (en)");
        my = place(p, l, cx, my, NAVY);
    }
    det = detail_line(f->edition_en, f->hours, "hour", "hours", f->dates_en);
    my = line(p, "the edition and dates (en)", det, SERIF, ITALIC, 11, 8, cx, my + 3, TEXT_W,
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
        fail(p, "the texts do not fit on the page");

    /* Signatories: a line to sign on, the name, the titles. */
    int n = d->nsignatories < 0 ? 0
                                : d->nsignatories > CERT_MAX_SIGNATORIES ? CERT_MAX_SIGNATORIES
                                                                         : d->nsignatories;
    for (int i = 0; i < n; i++) {
        double scx = cx + (i - (n - 1) / 2.0) * (SIG_COL_W + 20);
        add_rule(p, scx - SIG_COL_W / 2 + 20, SIG_LINE_Y, scx + SIG_COL_W / 2 - 20, SIG_LINE_Y,
                 0.5);
        double sy = SIG_LINE_Y + 4;
        sy = line(p, "a signatory's name", nz(d->signatories[i].name), SERIF, BOLD, 10, 7, scx,
                  sy, SIG_COL_W, INK);
        if (*nz(d->signatories[i].title_es))
            sy = line(p, "a signatory's title", d->signatories[i].title_es, SERIF, REGULAR, 8.5, 6,
                      scx, sy + 1, SIG_COL_W, INK);
        if (*nz(d->signatories[i].title_en) &&
            strcmp(nz(d->signatories[i].title_en), nz(d->signatories[i].title_es)) != 0)
            line(p, "a signatory's title", d->signatories[i].title_en, SERIF, ITALIC, 8.5, 6, scx,
                 sy, SIG_COL_W, GREY);
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
        l = layout(p, "the footer", foot[i], SERIF, REGULAR, 7.5);
        if (l) {
            pango_layout_set_alignment(l, PANGO_ALIGN_LEFT);
            if (!fit(l, SERIF, REGULAR, 7.5, 5, 7.5, 1, PAGE_W - 2 * BORDER_IN - QR_SIZE - 40, 20))
                fail(p, "the certificate number or verify URL is too long to print");
            check_glyphs(p, l, "the footer");
            double x0, y0;
            extents(l, &x0, &y0, NULL, NULL);
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
            fail(p, "cannot make a QR code of the verify URL: %s", strerror(errno));
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
        fail(&p, "cannot set up fonts");
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
    unsigned char *pdf;
    size_t n;
    if (!cert_pdf_render(d, &pdf, &n, err, errlen))
        return false;
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
        /* mkstemp makes the file 0600; a certificate is for handing out
         * (when this fails, it just stays private). */
        if (ok)
            (void)fchmod(fd, 0644);
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

/* ---- reading the facts back ---- */

/* Appends code point c as UTF-8. */
static void put_utf8(GString *s, uint32_t c)
{
    char u8[8];
    int n = g_unichar_to_utf8(c, u8);
    g_string_append_len(s, u8, n);
}

/* Parses the PDF string object starting at p (a literal "(…)" or a hex
 * "<…>" string) into its bytes, UTF-16BE with a byte order mark turned into
 * UTF-8.  NULL when it is not a well-formed string. */
static GString *pdf_string(const unsigned char *p, const unsigned char *end)
{
    GString *raw = g_string_new(NULL);
    if (p < end && *p == '(') {
        int depth = 1;
        p++;
        while (p < end) {
            unsigned char c = *p++;
            if (c == '\\') {
                if (p >= end)
                    break;
                c = *p++;
                switch (c) {
                case 'n': g_string_append_c(raw, '\n'); break;
                case 'r': g_string_append_c(raw, '\r'); break;
                case 't': g_string_append_c(raw, '\t'); break;
                case 'b': g_string_append_c(raw, '\b'); break;
                case 'f': g_string_append_c(raw, '\f'); break;
                case '\r': /* line continuation */
                    if (p < end && *p == '\n')
                        p++;
                    break;
                case '\n': break;
                default:
                    if (c >= '0' && c <= '7') {
                        int v = c - '0';
                        for (int i = 0; i < 2 && p < end && *p >= '0' && *p <= '7'; i++)
                            v = v * 8 + (*p++ - '0');
                        g_string_append_c(raw, (char)(v & 0xff));
                    } else {
                        g_string_append_c(raw, (char)c); /* \( \) \\ and unknown */
                    }
                }
                continue;
            }
            if (c == '(')
                depth++;
            else if (c == ')' && --depth == 0)
                goto decoded;
            g_string_append_c(raw, (char)c);
        }
        g_string_free(raw, TRUE);
        return NULL;
    } else if (p < end && *p == '<') {
        p++;
        int hi = -1;
        while (p < end && *p != '>') {
            unsigned char c = *p++;
            int v;
            if (c >= '0' && c <= '9')
                v = c - '0';
            else if (c >= 'a' && c <= 'f')
                v = c - 'a' + 10;
            else if (c >= 'A' && c <= 'F')
                v = c - 'A' + 10;
            else if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f')
                continue;
            else
                break;
            if (hi < 0) {
                hi = v;
            } else {
                g_string_append_c(raw, (char)(hi << 4 | v));
                hi = -1;
            }
        }
        if (p >= end || *p != '>') {
            g_string_free(raw, TRUE);
            return NULL;
        }
        if (hi >= 0)
            g_string_append_c(raw, (char)(hi << 4));
    } else {
        g_string_free(raw, TRUE);
        return NULL;
    }
decoded:
    if (raw->len >= 2 && (unsigned char)raw->str[0] == 0xfe &&
        (unsigned char)raw->str[1] == 0xff) {
        GString *u = g_string_new(NULL);
        const unsigned char *s = (const unsigned char *)raw->str;
        for (size_t i = 2; i + 1 < raw->len; i += 2) {
            uint32_t c = (uint32_t)s[i] << 8 | s[i + 1];
            if (c >= 0xd800 && c < 0xdc00 && i + 3 < raw->len) {
                uint32_t lo = (uint32_t)s[i + 2] << 8 | s[i + 3];
                if (lo >= 0xdc00 && lo < 0xe000) {
                    c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
                    i += 2;
                }
            }
            put_utf8(u, c);
        }
        g_string_free(raw, TRUE);
        return u;
    }
    return raw;
}

/* The value of token "name:" in a space-separated list, or NULL. */
static const char *token(const char *s, const char *name, size_t *len)
{
    size_t nl = strlen(name);
    for (const char *p = s; *p;) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        if ((size_t)(e - p) > nl && memcmp(p, name, nl) == 0) {
            *len = (size_t)(e - p) - nl;
            return p + nl;
        }
        p = e;
    }
    return NULL;
}

/* Takes the facts out of one Keywords value; false when it holds none. */
static bool parse_keywords(const char *kw, char **facts_json, char **signature, char *key_id17)
{
    size_t fl, sl, kl;
    const char *fb = token(kw, "aula-facts:", &fl);
    const char *sb = token(kw, "aula-sig:", &sl);
    const char *kb = token(kw, "aula-kid:", &kl);
    if (!fb || !sb || !kb || kl != CERT_KEY_ID_SIZE - 1 || sl == 0 || sl > 200)
        return false;
    size_t cap = fl * 3 / 4 + 1;
    unsigned char *facts = malloc(cap + 1);
    size_t n = 0;
    if (!facts || !cert_b64url_decode(fb, fl, facts, cap, &n) || memchr(facts, 0, n) ||
        !g_utf8_validate((const char *)facts, (gssize)n, NULL)) {
        free(facts);
        return false;
    }
    facts[n] = '\0';
    *facts_json = (char *)facts;
    *signature = strndup(sb, sl);
    memcpy(key_id17, kb, kl);
    key_id17[kl] = '\0';
    return *signature != NULL;
}

/* Looks through buf for Keywords entries holding our facts; the last one
 * wins, as a later (incremental) update would.  True when one was found. */
static bool scan_keywords(const unsigned char *buf, size_t len, char **facts_json,
                          char **signature, char *key_id17)
{
    static const char key[] = "/Keywords";
    const unsigned char *end = buf + len;
    bool found = false;
    for (const unsigned char *p = buf; p < end;) {
        p = memmem(p, (size_t)(end - p), key, sizeof key - 1);
        if (!p)
            break;
        p += sizeof key - 1;
        const unsigned char *v = p;
        while (v < end && (*v == ' ' || *v == '\n' || *v == '\r' || *v == '\t' || *v == '\f' ||
                           *v == '\0'))
            v++;
        GString *kw = pdf_string(v, end);
        if (!kw)
            continue;
        char *fj = NULL, *sig = NULL, kid[CERT_KEY_ID_SIZE];
        if (!memchr(kw->str, 0, kw->len) && parse_keywords(kw->str, &fj, &sig, kid)) {
            free(*facts_json);
            free(*signature);
            *facts_json = fj;
            *signature = sig;
            memcpy(key_id17, kid, CERT_KEY_ID_SIZE);
            found = true;
        }
        g_string_free(kw, TRUE);
    }
    return found;
}

/* Inflates the zlib stream at p (at most 16 MB out); NULL when it is not one. */
static GByteArray *inflate_stream(const unsigned char *p, size_t avail)
{
    z_stream z = {0};
    if (inflateInit(&z) != Z_OK)
        return NULL;
    GByteArray *out = g_byte_array_new();
    unsigned char chunk[16384];
    z.next_in = (unsigned char *)p;
    z.avail_in = avail > UINT_MAX ? UINT_MAX : (unsigned)avail;
    int rc;
    do {
        z.next_out = chunk;
        z.avail_out = sizeof chunk;
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END)
            break;
        g_byte_array_append(out, chunk, (guint)(sizeof chunk - z.avail_out));
    } while (rc == Z_OK && out->len < 16u << 20 && (z.avail_in > 0 || z.avail_out == 0));
    inflateEnd(&z);
    if (rc != Z_STREAM_END && rc != Z_OK) {
        g_byte_array_free(out, TRUE);
        return NULL;
    }
    return out;
}

/* Object streams (PDF 1.5): newer cairo versions, and programs that re-save
 * a PDF, may put the document information dictionary inside a compressed
 * stream of objects.  Inflates each /ObjStm and looks through it too. */
static bool scan_object_streams(const unsigned char *pdf, size_t len, char **facts_json,
                                char **signature, char *key_id17)
{
    static const char objstm[] = "/ObjStm", kw_stream[] = "stream";
    const unsigned char *end = pdf + len;
    bool found = false;
    for (const unsigned char *p = pdf; p < end;) {
        p = memmem(p, (size_t)(end - p), objstm, sizeof objstm - 1);
        if (!p)
            break;
        p += sizeof objstm - 1;
        /* The dictionary ends with ">>", then the keyword "stream" and an EOL. */
        const unsigned char *d = memmem(p, (size_t)(end - p), ">>", 2);
        const unsigned char *st = d ? memmem(d, (size_t)(end - d), kw_stream, 6) : NULL;
        if (!st || st - d > 64)
            continue;
        st += 6;
        if (st < end && *st == '\r')
            st++;
        if (st < end && *st == '\n')
            st++;
        GByteArray *data = inflate_stream(st, (size_t)(end - st));
        if (!data)
            continue;
        if (scan_keywords(data->data, data->len, facts_json, signature, key_id17))
            found = true;
        g_byte_array_free(data, TRUE);
    }
    return found;
}

bool cert_pdf_read_facts_mem(const unsigned char *pdf, size_t len, char **facts_json,
                             char **signature, char *key_id17, char *err, size_t errlen)
{
    *facts_json = NULL;
    *signature = NULL;
    /* Plain objects first (what cairo 1.16 writes); object streams only when
     * those hold nothing. */
    bool found = scan_keywords(pdf, len, facts_json, signature, key_id17) ||
                 scan_object_streams(pdf, len, facts_json, signature, key_id17);
    if (!found)
        snprintf(err, errlen, "no Aula certificate facts in this PDF");
    return found;
}

bool cert_pdf_read_facts(const char *path, char **facts_json, char **signature, char *key_id17,
                         char *err, size_t errlen)
{
    *facts_json = NULL;
    *signature = NULL;
    gchar *data = NULL;
    gsize len = 0;
    GError *ge = NULL;
    if (!g_file_get_contents(path, &data, &len, &ge)) {
        snprintf(err, errlen, "cannot read %s: %s", path, ge ? ge->message : "error");
        if (ge)
            g_error_free(ge);
        return false;
    }
    bool ok = cert_pdf_read_facts_mem((const unsigned char *)data, len, facts_json, signature,
                                      key_id17, err, errlen);
    g_free(data);
    return ok;
}
