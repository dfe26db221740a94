/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The final report as HTML: the console's preview and the standalone page,
 * charts inline as SVG images with their text alternatives. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/escape.h"
#include "report_doc.h"
#include "report_doc_parts.h"

/* ---- HTML preview ---- */

static void html_cell(strbuf *out, json_t *v, lang_t lang, bool header, bool first)
{
    char *txt = report_cell_text(v, lang);
    bool num = json_is_number(v);
    if (header)
        sb_puts(out, "<th scope=\"col\">");
    else if (first)
        sb_puts(out, "<th scope=\"row\">");
    else
        sb_puts(out, num ? "<td class=\"num\">" : "<td>");
    esc_html_text(out, txt);
    sb_puts(out, header || first ? "</th>" : "</td>");
    g_free(txt);
}

static void html_paragraphs(strbuf *out, const char *text)
{
    const char *p = text;
    while (*p) {
        const char *e = strstr(p, "\n\n");
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char *part = g_strndup(p, n);
        sb_puts(out, "<p>");
        esc_html_text(out, part);
        sb_puts(out, "</p>\n");
        g_free(part);
        p += n;
        while (*p == '\n')
            p++;
    }
}

void report_html(json_t *blocks, json_t *figures, lang_t lang, strbuf *out)
{
    size_t i, j, k;
    json_t *b, *it, *row, *v;
    bool open = false;
    if (json_is_true(json_object_get(figures, "preliminary"))) {
        sb_puts(out, "<p class=\"notice\" role=\"status\"><strong>");
        esc_html_text(out, T(lang, "report.preliminary"));
        sb_puts(out, "</strong></p>\n");
    }
    sb_puts(out, "<section class=\"report-cover\">\n");
    json_array_foreach(blocks, i, b) {
        const char *kind = fstr(b, "k");
        if (strcmp(kind, "h1") == 0) {
            sb_puts(out, open ? "</section>\n" : "</section>\n");
            sb_printf(out, "<section aria-labelledby=\"r-%s\"><h2 id=\"r-%s\">", fstr(b, "id"), fstr(b, "id"));
            esc_html_text(out, fstr(b, "text"));
            sb_puts(out, "</h2>\n");
            open = true;
        } else if (strcmp(kind, "title") == 0) {
            /* The page around it has the document's one h1. */
            sb_puts(out, "<p><strong>");
            esc_html_text(out, fstr(b, "text"));
            sb_puts(out, "</strong></p>\n");
        } else if (strcmp(kind, "h2") == 0) {
            sb_puts(out, "<h3>");
            esc_html_text(out, fstr(b, "text"));
            sb_puts(out, "</h3>\n");
        } else if (strcmp(kind, "org") == 0 || strcmp(kind, "subtitle") == 0 || strcmp(kind, "p") == 0) {
            html_paragraphs(out, fstr(b, "text"));
        } else if (strcmp(kind, "list") == 0 || strcmp(kind, "notice") == 0) {
            if (strcmp(kind, "notice") == 0) {
                sb_puts(out, "<p><strong>");
                esc_html_text(out, fstr(b, "text"));
                sb_puts(out, "</strong></p>\n");
            }
            if (json_array_size(json_object_get(b, "items")) == 0)
                continue;
            sb_puts(out, "<ul>\n");
            json_array_foreach(json_object_get(b, "items"), j, it) {
                sb_puts(out, "<li>");
                esc_html_text(out, json_string_value(it));
                sb_puts(out, "</li>\n");
            }
            sb_puts(out, "</ul>\n");
        } else if (strcmp(kind, "table") == 0) {
            sb_puts(out, "<div class=\"table-scroll\"><table class=\"data\"><caption>");
            esc_html_text(out, fstr(b, "caption"));
            sb_puts(out, "</caption>\n<thead><tr>");
            json_array_foreach(json_object_get(b, "headers"), j, v) html_cell(out, v, lang, true, false);
            sb_puts(out, "</tr></thead>\n<tbody>\n");
            json_array_foreach(json_object_get(b, "rows"), j, row) {
                sb_puts(out, "<tr>");
                json_array_foreach(row, k, v) html_cell(out, v, lang, false, k == 0);
                sb_puts(out, "</tr>\n");
            }
            sb_puts(out, "</tbody></table></div>\n");
        } else if (strcmp(kind, "chart") == 0) {
            strbuf svg;
            sb_init(&svg, NULL);
            json_t *data = json_object_get(b, "data");
            report_chart_svg_data(data, lang, &svg);
            size_t n = sodium_base64_encoded_len(svg.len, sodium_base64_VARIANT_ORIGINAL);
            char *b64 = malloc(n);
            if (b64) {
                sodium_bin2base64(b64, n, (const unsigned char *)sb_str(&svg), svg.len,
                                  sodium_base64_VARIANT_ORIGINAL);
                sb_puts(out, "<figure class=\"chart\"><img src=\"data:image/svg+xml;base64,");
                sb_puts(out, b64);
                sb_printf(out, "\" width=\"%d\" height=\"%d\" alt=\"", (int)CHART_W,
                          (int)report_chart_height(data));
                esc_html_attr(out, fstr(b, "alt"));
                sb_puts(out, "\"><figcaption>");
                esc_html_text(out, fstr(b, "title"));
                sb_puts(out, "</figcaption></figure>\n");
                free(b64);
            }
            sb_release(&svg);
        }
    }
    sb_puts(out, "</section>\n");
    report_release_fonts();
}
