/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/escape.h"

enum node_kind { N_TEXT, N_VAR, N_PLAIN, N_RAW, N_URL, N_SECTION, N_INVERTED, N_PARTIAL, N_TR };

struct node {
    enum node_kind kind;
    char *s;     /* text, name, partial or key */
    size_t len;  /* length of text */
    struct node *children;
    size_t nchildren, cap;
};

struct tmpl {
    struct node root;
};

static void free_node(struct node *n)
{
    for (size_t i = 0; i < n->nchildren; i++)
        free_node(&n->children[i]);
    free(n->children);
    free(n->s);
}

void tmpl_free(tmpl *t)
{
    if (!t)
        return;
    free_node(&t->root);
    free(t);
}

static struct node *add_child(struct node *parent)
{
    if (parent->nchildren == parent->cap) {
        size_t cap = parent->cap ? parent->cap * 2 : 8;
        struct node *c = realloc(parent->children, cap * sizeof *c);
        if (!c)
            return NULL;
        parent->children = c;
        parent->cap = cap;
    }
    struct node *n = &parent->children[parent->nchildren++];
    memset(n, 0, sizeof *n);
    return n;
}

static char *trimmed(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    char *out = malloc(n + 1);
    if (out) {
        memcpy(out, s, n);
        out[n] = '\0';
    }
    return out;
}

static int line_of(const char *src, const char *p)
{
    int line = 1;
    for (; src < p; src++)
        if (*src == '\n')
            line++;
    return line;
}

enum { MAX_DEPTH = 32 };

tmpl *tmpl_parse(const char *src, size_t len, char *err, size_t errlen)
{
    tmpl *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    struct node *stack[MAX_DEPTH + 1];
    const char *opened_at[MAX_DEPTH + 1]; /* each open section's tag, for errors */
    int depth = 0;
    stack[0] = &t->root;
    const char *p = src, *end = src + len;
    while (p < end) {
        const char *open = NULL;
        for (const char *q = p; q + 1 < end; q++)
            if (q[0] == '{' && q[1] == '{') {
                open = q;
                break;
            }
        const char *text_end = open ? open : end;
        if (text_end > p) {
            struct node *n = add_child(stack[depth]);
            if (!n)
                goto oom;
            n->kind = N_TEXT;
            n->len = (size_t)(text_end - p);
            n->s = malloc(n->len + 1);
            if (!n->s)
                goto oom;
            memcpy(n->s, p, n->len);
            n->s[n->len] = '\0';
        }
        if (!open)
            break;
        int triple = open + 2 < end && open[2] == '{';
        const char *body = open + (triple ? 3 : 2);
        const char *close = NULL;
        const char *want = triple ? "}}}" : "}}";
        size_t wl = triple ? 3 : 2;
        for (const char *q = body; q + wl <= end; q++)
            if (memcmp(q, want, wl) == 0) {
                close = q;
                break;
            }
        if (!close) {
            snprintf(err, errlen, "line %d: unclosed tag", line_of(src, open));
            goto fail;
        }
        size_t blen = (size_t)(close - body);
        p = close + wl;
        if (triple) {
            struct node *n = add_child(stack[depth]);
            if (!n || !(n->s = trimmed(body, blen)))
                goto oom;
            n->kind = N_RAW;
            continue;
        }
        char sigil = blen ? body[0] : '\0';
        if (sigil == '!')
            continue;
        if (sigil == '/') {
            char *name = trimmed(body + 1, blen - 1);
            if (!name)
                goto oom;
            int ok = depth > 0 && strcmp(stack[depth]->s, name) == 0;
            free(name);
            if (!ok) {
                snprintf(err, errlen, "line %d: closing tag does not match an open section",
                         line_of(src, open));
                goto fail;
            }
            depth--;
            continue;
        }
        struct node *n = add_child(stack[depth]);
        if (!n)
            goto oom;
        const char *name = body;
        size_t nlen = blen;
        switch (sigil) {
        case '#': n->kind = N_SECTION; name++; nlen--; break;
        case '^': n->kind = N_INVERTED; name++; nlen--; break;
        case '>': n->kind = N_PARTIAL; name++; nlen--; break;
        case '&': n->kind = N_RAW; name++; nlen--; break;
        case '%': n->kind = N_URL; name++; nlen--; break;
        case '~': n->kind = N_PLAIN; name++; nlen--; break;
        default:
            if (blen > 2 && body[0] == 't' && body[1] == ':') {
                n->kind = N_TR;
                name += 2;
                nlen -= 2;
            } else {
                n->kind = N_VAR;
            }
        }
        if (!(n->s = trimmed(name, nlen)))
            goto oom;
        if (!n->s[0]) {
            snprintf(err, errlen, "line %d: empty tag", line_of(src, open));
            goto fail;
        }
        if (n->kind == N_SECTION || n->kind == N_INVERTED) {
            if (depth == MAX_DEPTH) {
                snprintf(err, errlen, "line %d: sections nested too deeply", line_of(src, open));
                goto fail;
            }
            /* The parent's child array may move when it grows, so the
             * stack holds the node only until a sibling is added; sections
             * are closed before their parent gets another child. */
            stack[++depth] = n;
            opened_at[depth] = open;
        }
    }
    if (depth != 0) {
        snprintf(err, errlen, "line %d: section \"%s\" is never closed",
                 line_of(src, opened_at[depth]), stack[depth]->s);
        goto fail;
    }
    return t;
oom:
    snprintf(err, errlen, "out of memory");
fail:
    tmpl_free(t);
    return NULL;
}

/* ---- rendering ---- */

struct ctx {
    json_t *stack[MAX_DEPTH * 2 + 2];
    int top;
    lang_t lang;
    tmpl_partial_fn partials;
    void *ud;
    int partial_depth;
    bool text; /* plain text output: nothing is escaped or marked */
};

static json_t *resolve(struct ctx *c, const char *name)
{
    if (strcmp(name, ".") == 0)
        return c->stack[c->top];
    const char *dot = strchr(name, '.');
    size_t first = dot ? (size_t)(dot - name) : strlen(name);
    char key[128];
    if (first >= sizeof key)
        return NULL;
    memcpy(key, name, first);
    key[first] = '\0';
    json_t *v = NULL;
    for (int i = c->top; i >= 0 && !v; i--)
        if (json_is_object(c->stack[i]))
            v = json_object_get(c->stack[i], key);
    while (v && dot) {
        const char *seg = dot + 1;
        dot = strchr(seg, '.');
        size_t l = dot ? (size_t)(dot - seg) : strlen(seg);
        if (l >= sizeof key)
            return NULL;
        memcpy(key, seg, l);
        key[l] = '\0';
        if (json_is_object(v)) {
            v = json_object_get(v, key);
        } else if (json_is_array(v) && key[0] >= '0' && key[0] <= '9') {
            v = json_array_get(v, strtoul(key, NULL, 10));
        } else {
            v = NULL;
        }
    }
    return v;
}

static int is_bilingual(json_t *v)
{
    if (!json_is_object(v) || json_object_size(v) == 0)
        return 0;
    const char *k;
    json_t *x;
    json_object_foreach(v, k, x) {
        if ((strcmp(k, "es") && strcmp(k, "en")) || !json_is_string(x))
            return 0;
    }
    return 1;
}

const char *bilingual_text(json_t *v, lang_t lang, int *fallback)
{
    *fallback = 0;
    if (json_is_string(v))
        return json_string_value(v);
    if (!is_bilingual(v))
        return NULL;
    const char *s = json_string_value(json_object_get(v, lang_code(lang)));
    if (s && *s)
        return s;
    *fallback = 1;
    return json_string_value(json_object_get(v, lang_code(lang == LANG_ES ? LANG_EN : LANG_ES)));
}

static int truthy(json_t *v)
{
    if (!v || json_is_null(v) || json_is_false(v))
        return 0;
    if (json_is_array(v))
        return json_array_size(v) > 0;
    if (json_is_string(v))
        return json_string_length(v) > 0;
    if (json_is_integer(v))
        return json_integer_value(v) != 0;
    return 1;
}

static void emit_value(struct ctx *c, json_t *v, enum node_kind kind, strbuf *out)
{
    char num[64];
    const char *s = NULL;
    int fallback = 0;
    if (json_is_integer(v)) {
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
        s = num;
    } else if (json_is_real(v)) {
        snprintf(num, sizeof num, "%g", json_real_value(v));
        s = num;
    } else {
        s = bilingual_text(v, c->lang, &fallback);
    }
    if (!s)
        return;
    if (kind == N_RAW || c->text) {
        sb_puts(out, s);
    } else if (kind == N_URL) {
        esc_url_component(out, s);
    } else if (fallback && kind != N_PLAIN) {
        sb_printf(out, "<span lang=\"%s\" class=\"fallback\">",
                  lang_code(c->lang == LANG_ES ? LANG_EN : LANG_ES));
        esc_html_text(out, s);
        sb_puts(out, "</span>");
    } else {
        esc_html_attr(out, s);
    }
}

static void render_nodes(struct ctx *c, const struct node *n, size_t count, strbuf *out);

static void push_render(struct ctx *c, json_t *v, const struct node *n, strbuf *out)
{
    if (c->top + 1 >= (int)(sizeof c->stack / sizeof c->stack[0]))
        return;
    c->stack[++c->top] = v;
    render_nodes(c, n->children, n->nchildren, out);
    c->top--;
}

static void render_nodes(struct ctx *c, const struct node *nodes, size_t count, strbuf *out)
{
    for (size_t i = 0; i < count; i++) {
        const struct node *n = &nodes[i];
        switch (n->kind) {
        case N_TEXT:
            sb_append(out, n->s, n->len);
            break;
        case N_VAR:
        case N_PLAIN:
        case N_RAW:
        case N_URL:
            emit_value(c, resolve(c, n->s), n->kind, out);
            break;
        case N_TR:
            if (c->text)
                sb_puts(out, tr(c->lang, n->s));
            else
                esc_html_attr(out, tr(c->lang, n->s));
            break;
        case N_SECTION: {
            json_t *v = resolve(c, n->s);
            if (!truthy(v))
                break;
            if (json_is_array(v)) {
                size_t idx;
                json_t *item;
                json_array_foreach(v, idx, item) push_render(c, item, n, out);
            } else if (json_is_object(v)) {
                push_render(c, v, n, out);
            } else {
                render_nodes(c, n->children, n->nchildren, out);
            }
            break;
        }
        case N_INVERTED:
            if (!truthy(resolve(c, n->s)))
                render_nodes(c, n->children, n->nchildren, out);
            break;
        case N_PARTIAL: {
            const tmpl *p = c->partials ? c->partials(n->s, c->ud) : NULL;
            if (p && c->partial_depth < MAX_DEPTH) {
                c->partial_depth++;
                render_nodes(c, p->root.children, p->root.nchildren, out);
                c->partial_depth--;
            }
            break;
        }
        }
    }
}

void tmpl_render(const tmpl *t, json_t *data, lang_t lang,
                 tmpl_partial_fn partials, void *ud, strbuf *out)
{
    struct ctx c = {.top = 0, .lang = lang, .partials = partials, .ud = ud};
    c.stack[0] = data;
    render_nodes(&c, t->root.children, t->root.nchildren, out);
}

void tmpl_render_text(const tmpl *t, json_t *data, lang_t lang,
                      tmpl_partial_fn partials, void *ud, strbuf *out)
{
    struct ctx c = {.top = 0, .lang = lang, .partials = partials, .ud = ud, .text = true};
    c.stack[0] = data;
    render_nodes(&c, t->root.children, t->root.nchildren, out);
}
