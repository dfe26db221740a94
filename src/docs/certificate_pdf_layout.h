/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Internal to the certificate PDF writer: the page as a plan, every text
 * element measured and fitted before anything is drawn.
 * certificate_pdf_layout.c keeps the per-thread pango state and the text
 * tools (make, fit, check and place a layout); certificate_pdf.c decides
 * what goes where on the page, draws the plan and writes the file. */
#ifndef AULA_CERTIFICATE_PDF_LAYOUT_H
#define AULA_CERTIFICATE_PDF_LAYOUT_H

#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdbool.h>
#include <stddef.h>

/* The palette.  Static in the header: the colours are only read through
 * the pointers an item holds, never compared. */
static const double NAVY[3] = {0.10, 0.16, 0.30};
static const double INK[3] = {0.12, 0.12, 0.12};
static const double GREY[3] = {0.36, 0.36, 0.38};

enum { REGULAR = 0, BOLD = 1, ITALIC = 2 };

#define MAX_ITEMS 48
#define MAX_RULES 8

/* The calling thread's pango font map and context. */
struct renderer;

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

/* The calling thread's renderer, created on first use; NULL when pango
 * cannot be set up. */
struct renderer *renderer_get(void);

void plan_free(struct plan *p);
/* Fails the plan with a message in p->err; the first failure wins. */
void plan_fail(struct plan *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void layout_extents(PangoLayout *l, double *x, double *y, double *w, double *h);
bool layout_fit2(PangoLayout *l, const char *family, int style, double max, double min,
                 double wrap_max, double wrap_min, int maxlines, double maxw, double maxh);
bool layout_fit(PangoLayout *l, const char *family, int style, double max, double min,
                double wrap_max, int maxlines, double maxw, double maxh);

void plan_check_glyphs(struct plan *p, PangoLayout *l, const char *what);
PangoLayout *plan_layout(struct plan *p, const char *what, const char *text, const char *family,
                         int style, double size);
double plan_place(struct plan *p, PangoLayout *l, double cx, double y, const double *color);
void plan_add_rule(struct plan *p, double x0, double y0, double x1, double y1, double width);
double plan_line(struct plan *p, const char *what, const char *text, const char *family,
                 int style, double size, double min, double cx, double y, double maxw,
                 const double *color);

#endif
