/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "name_match.h"

#include <stdbool.h>
#include <string.h>

/* Folds of U+00C0..U+017F: one letter each, '*' for the few that become two
 * letters (see fold_pair), ' ' for the two symbols × and ÷. */
static const char latin_fold[] =
    "aaaaaa*ceeeeiiii" "dnooooo ouuuuy**"   /* U+00C0 */
    "aaaaaa*ceeeeiiii" "dnooooo ouuuuy*y"   /* U+00E0 */
    "aaaaaaccccccccdd" "ddeeeeeeeeeegggg"   /* U+0100 */
    "gggghhhhiiiiiiii" "ii**jjkkklllllll"   /* U+0120 */
    "lllnnnnnnnnnoooo" "oo**rrrrrrssssss"   /* U+0140 */
    "ssttttttuuuuuuuu" "uuuuwwyyyzzzzzzs";  /* U+0160 */

static const char *fold_pair(unsigned cp)
{
    switch (cp) {
    case 0xc6: case 0xe6: return "ae";
    case 0xde: case 0xfe: return "th";
    case 0xdf: return "ss";
    case 0x132: case 0x133: return "ij";
    case 0x152: case 0x153: return "oe";
    default: return "";
    }
}

/* Decodes one UTF-8 sequence; malformed bytes are skipped one at a time
 * and give 0xFFFD. */
static unsigned decode(const unsigned char **pp)
{
    const unsigned char *p = *pp;
    unsigned c = p[0];
    size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3
             : (c & 0xf8) == 0xf0 ? 4 : 0;
    if (n == 0) {
        *pp = p + 1;
        return 0xfffd;
    }
    unsigned cp = n == 1 ? c : n == 2 ? (c & 0x1f) : n == 3 ? (c & 0x0f) : (c & 0x07);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80) {
            *pp = p + 1;
            return 0xfffd;
        }
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    *pp = p + n;
    return cp;
}

struct out {
    char *buf;
    size_t n, len;
    bool space; /* a space is pending before the next letter */
    bool full;
};

static void put(struct out *o, const char *s, size_t len)
{
    if (o->full)
        return;
    size_t need = len + (o->space && o->len > 0 ? 1 : 0);
    if (o->len + need + 1 > o->n) {
        o->full = true;
        return;
    }
    if (o->space && o->len > 0)
        o->buf[o->len++] = ' ';
    o->space = false;
    memcpy(o->buf + o->len, s, len);
    o->len += len;
}

static void put_cp(struct out *o, unsigned cp)
{
    char b[4];
    size_t len;
    if (cp < 0x800) {
        b[0] = (char)(0xc0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3f));
        len = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xe0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        b[2] = (char)(0x80 | (cp & 0x3f));
        len = 3;
    } else {
        b[0] = (char)(0xf0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        b[3] = (char)(0x80 | (cp & 0x3f));
        len = 4;
    }
    put(o, b, len);
}

void name_normalise(const char *in, char *out, size_t n)
{
    if (n == 0)
        return;
    struct out o = {out, n, 0, false, false};
    const unsigned char *p = (const unsigned char *)(in ? in : "");
    while (*p && !o.full) {
        unsigned cp = decode(&p);
        if (cp < 0x80) {
            char c = (char)cp;
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                put(&o, &c, 1);
            else if (c != '\'' && c != '`')
                o.space = true;
        } else if (cp >= 0xc0 && cp <= 0x17f) {
            char c = latin_fold[cp - 0xc0];
            if (c == '*') {
                const char *two = fold_pair(cp);
                put(&o, two, strlen(two));
            } else if (c == ' ') {
                o.space = true;
            } else {
                put(&o, &c, 1);
            }
        } else if (cp == 0x218 || cp == 0x219) {
            put(&o, "s", 1);
        } else if (cp == 0x21a || cp == 0x21b) {
            put(&o, "t", 1);
        } else if (cp == 0xb4 || cp == 0x2bc || cp == 0x2018 || cp == 0x2019 ||
                   (cp >= 0x300 && cp <= 0x36f) || cp == 0xfeff || cp == 0x200b) {
            /* apostrophes, combining accents, invisible marks: dropped */
        } else if (cp < 0xc0 || (cp >= 0x2000 && cp <= 0x206f) || cp == 0x3000 ||
                   cp == 0xfffd) {
            o.space = true;
        } else if (cp >= 0x391 && cp <= 0x3a9) {
            put_cp(&o, cp + 0x20); /* Greek capitals */
        } else if (cp >= 0x410 && cp <= 0x42f) {
            put_cp(&o, cp + 0x20); /* Cyrillic capitals */
        } else if (cp >= 0x400 && cp <= 0x40f) {
            put_cp(&o, cp + 0x50);
        } else {
            put_cp(&o, cp);
        }
    }
    out[o.len] = '\0';
}

enum { MAX_TOKENS = 16, NAME_MAX_BYTES = 512 };

static size_t tokens(char *s, const char *tok[], size_t len[])
{
    size_t k = 0;
    char *p = s;
    while (*p && k < MAX_TOKENS) {
        char *sp = strchr(p, ' ');
        tok[k] = p;
        len[k] = sp ? (size_t)(sp - p) : strlen(p);
        k++;
        if (!sp)
            break;
        p = sp + 1;
    }
    return k;
}

/* One substitution, insertion or deletion apart (byte-wise). */
static bool one_edit(const char *a, size_t la, const char *b, size_t lb)
{
    if (la > lb)
        return one_edit(b, lb, a, la);
    if (lb - la > 1)
        return false;
    size_t i = 0;
    while (i < la && a[i] == b[i])
        i++;
    if (la == lb)
        return i < la && memcmp(a + i + 1, b + i + 1, la - i - 1) == 0;
    return memcmp(a + i, b + i + 1, la - i) == 0;
}

/* Weight of a token pair, in tenths. */
static int pair_weight(const char *a, size_t la, const char *b, size_t lb)
{
    if (la == lb && memcmp(a, b, la) == 0)
        return 10;
    size_t shorter = la < lb ? la : lb;
    if (memcmp(a, b, shorter) == 0)
        return shorter >= 3 ? 8 : 6;
    if (shorter >= 5 && one_edit(a, la, b, lb))
        return 8;
    return 0;
}

int name_similarity(const char *a, const char *b)
{
    char na[NAME_MAX_BYTES], nb[NAME_MAX_BYTES];
    name_normalise(a, na, sizeof na);
    name_normalise(b, nb, sizeof nb);
    if (!na[0] || !nb[0])
        return 0;
    if (strcmp(na, nb) == 0)
        return 100;
    const char *ta[MAX_TOKENS], *tb[MAX_TOKENS];
    size_t la[MAX_TOKENS], lb[MAX_TOKENS];
    size_t ka = tokens(na, ta, la), kb = tokens(nb, tb, lb);

    int w[MAX_TOKENS][MAX_TOKENS];
    for (size_t i = 0; i < ka; i++)
        for (size_t j = 0; j < kb; j++)
            w[i][j] = pair_weight(ta[i], la[i], tb[j], lb[j]);
    bool used_a[MAX_TOKENS] = {false}, used_b[MAX_TOKENS] = {false};
    int matched = 0; /* tenths */
    for (;;) {
        int best = 0;
        size_t bi = 0, bj = 0;
        for (size_t i = 0; i < ka; i++)
            for (size_t j = 0; j < kb; j++)
                if (!used_a[i] && !used_b[j] && w[i][j] > best) {
                    best = w[i][j];
                    bi = i;
                    bj = j;
                }
        if (best == 0)
            break;
        used_a[bi] = used_b[bj] = true;
        matched += best;
    }
    double m = matched / 10.0;
    double k = (double)(ka < kb ? ka : kb);
    double coverage = m / k, dice = 2.0 * m / (double)(ka + kb);
    double score = 100.0 * coverage * coverage * (0.6 + 0.4 * dice);
    int s = (int)(score + 0.5);
    return s > 100 ? 100 : s < 0 ? 0 : s;
}
