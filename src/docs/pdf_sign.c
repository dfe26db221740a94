/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The PDF document signature: the incremental update we write, the CMS
 * OpenSSL makes, and the check of both (see pdf_sign.h). */
#include "pdf_sign.h"

#include <curl/curl.h>
#include <glib.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pdf_signer {
    EVP_PKEY *key;
    X509 *cert;
    STACK_OF(X509) *extra; /* the rest of the chain */
    size_t chain_der;      /* bytes of DER the chain takes in the CMS */
    char *tsa_url;
};

static void ossl_err(char *err, size_t errlen, const char *what)
{
    unsigned long e = ERR_get_error();
    char buf[256] = "";
    if (e)
        ERR_error_string_n(e, buf, sizeof buf);
    ERR_clear_error();
    snprintf(err, errlen, "%s%s%s", what, *buf ? ": " : "", buf);
}

struct pdf_signer *pdf_signer_new(const char *key_pem, size_t key_len, const char *chain_pem,
                                  size_t chain_len, char *err, size_t errlen)
{
    struct pdf_signer *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    BIO *kb = BIO_new_mem_buf(key_pem, (int)key_len);
    s->key = kb ? PEM_read_bio_PrivateKey(kb, NULL, NULL, NULL) : NULL;
    BIO_free(kb);
    if (!s->key) {
        ossl_err(err, errlen, "the signing key cannot be read");
        goto fail;
    }
    BIO *cb = BIO_new_mem_buf(chain_pem, (int)chain_len);
    s->extra = sk_X509_new_null();
    X509 *x;
    while (cb && s->extra && (x = PEM_read_bio_X509(cb, NULL, NULL, NULL))) {
        s->chain_der += (size_t)i2d_X509(x, NULL);
        if (!s->cert)
            s->cert = x;
        else if (!sk_X509_push(s->extra, x))
            X509_free(x);
    }
    BIO_free(cb);
    ERR_clear_error(); /* the end of the PEM list */
    if (!s->cert) {
        snprintf(err, errlen, "the signing certificate cannot be read");
        goto fail;
    }
    if (X509_check_private_key(s->cert, s->key) != 1) {
        ossl_err(err, errlen, "the signing key does not belong to its certificate");
        goto fail;
    }
    return s;
fail:
    pdf_signer_free(s);
    return NULL;
}

void pdf_signer_free(struct pdf_signer *s)
{
    if (!s)
        return;
    EVP_PKEY_free(s->key);
    X509_free(s->cert);
    sk_X509_pop_free(s->extra, X509_free);
    free(s->tsa_url);
    free(s);
}

void pdf_signer_set_timestamp_url(struct pdf_signer *s, const char *url)
{
    free(s->tsa_url);
    s->tsa_url = url && *url ? strdup(url) : NULL;
}

/* ---- reading what cairo wrote ---- */

static const unsigned char *find(const unsigned char *h, size_t hl, const char *needle)
{
    return memmem(h, hl, needle, strlen(needle));
}

static const unsigned char *rfind(const unsigned char *h, size_t hl, const char *needle)
{
    size_t nl = strlen(needle);
    if (hl < nl)
        return NULL;
    for (size_t i = hl - nl + 1; i-- > 0;)
        if (memcmp(h + i, needle, nl) == 0)
            return h + i;
    return NULL;
}

/* A non-negative integer at *p (before end), skipping blanks first; -1
 * when there is none.  Never reads at or past end: the buffers are files,
 * not C strings. */
static long long read_num(const unsigned char **p, const unsigned char *end)
{
    const unsigned char *q = *p;
    while (q < end && (*q == ' ' || *q == '\n' || *q == '\r' || *q == '\t'))
        q++;
    if (q >= end || *q < '0' || *q > '9')
        return -1;
    long long v = 0;
    while (q < end && *q >= '0' && *q <= '9') {
        if (v > 100000000000LL)
            return -1;
        v = v * 10 + (*q++ - '0');
    }
    *p = q;
    return v;
}

/* The integer after key in [p, end) ("/Size 33"), or -1. */
static long dict_int(const unsigned char *p, const unsigned char *end, const char *key)
{
    const unsigned char *k = find(p, (size_t)(end - p), key);
    if (!k)
        return -1;
    k += strlen(key);
    long long v = read_num(&k, end);
    return v > 100000000 ? -1 : (long)v;
}

struct xref {
    const unsigned char *pdf;
    size_t len;
    size_t table;   /* offset of "xref" */
    long size, root, info;
};

/* Offset of object n from the classic xref table, or 0. */
static size_t obj_offset(const struct xref *x, long n)
{
    const unsigned char *p = x->pdf + x->table + 4, *end = x->pdf + x->len;
    while (p < end && (*p == '\r' || *p == '\n' || *p == ' '))
        p++;
    while (p < end && *p >= '0' && *p <= '9') {
        long long first = read_num(&p, end), count = read_num(&p, end);
        while (p < end && (*p == '\r' || *p == '\n' || *p == ' '))
            p++;
        if (first < 0 || count < 0 || (size_t)(end - p) / 20 < (size_t)count)
            return 0;
        if (n >= first && n < first + count) {
            const unsigned char *ent = p + (n - first) * 20;
            long long off = read_num(&ent, end);
            if (off <= 0 || (size_t)off >= x->len || ent + 8 > end || ent[7] != 'n')
                return 0;
            return (size_t)off;
        }
        p += count * 20;
    }
    return 0;
}

/* The dictionary of object n: [*start, *stop) runs from its "<<" to just
 * before its final ">>". */
static bool obj_dict(const struct xref *x, long n, const unsigned char **start,
                     const unsigned char **stop)
{
    size_t off = obj_offset(x, n);
    if (!off)
        return false;
    const unsigned char *p = x->pdf + off, *end = x->pdf + x->len;
    const unsigned char *eo = find(p, (size_t)(end - p), "endobj");
    const unsigned char *open = eo ? find(p, (size_t)(eo - p), "<<") : NULL;
    const unsigned char *close = open ? rfind(open, (size_t)(eo - open), ">>") : NULL;
    if (!close || find(p, (size_t)(eo - p), "stream"))
        return false;
    *start = open;
    *stop = close;
    return true;
}

static bool read_xref(const unsigned char *pdf, size_t len, struct xref *x)
{
    memset(x, 0, sizeof *x);
    x->pdf = pdf;
    x->len = len;
    const unsigned char *sx = rfind(pdf, len, "startxref");
    if (!sx)
        return false;
    const unsigned char *q = sx + 9;
    long long table = read_num(&q, pdf + len);
    if (table < 0)
        return false;
    x->table = (size_t)table;
    if (x->table + 4 >= len || memcmp(pdf + x->table, "xref", 4) != 0)
        return false;
    const unsigned char *tr = find(pdf + x->table, len - x->table, "trailer");
    if (!tr)
        return false;
    x->size = dict_int(tr, pdf + len, "/Size");
    x->root = dict_int(tr, pdf + len, "/Root");
    x->info = dict_int(tr, pdf + len, "/Info");
    return x->size > 0 && x->root > 0;
}

/* ---- the CMS ---- */

struct grow {
    unsigned char *d;
    size_t n;
};

static size_t grow_cb(char *p, size_t size, size_t nmemb, void *ud)
{
    struct grow *g = ud;
    size_t n = size * nmemb;
    if (g->n + n > 1u << 20)
        return 0;
    unsigned char *nd = realloc(g->d, g->n + n);
    if (!nd)
        return 0;
    memcpy(nd + g->n, p, n);
    g->d = nd;
    g->n += n;
    return n;
}

/* Asks the RFC 3161 server for a token over the signature value and adds it
 * as the signer's unsigned attribute id-aa-timeStampToken. */
static bool add_timestamp(const struct pdf_signer *s, CMS_SignerInfo *si, char *err, size_t errlen)
{
    ASN1_OCTET_STRING *sigval = CMS_SignerInfo_get0_signature(si);
    unsigned char md[32];
    EVP_Digest(ASN1_STRING_get0_data(sigval), (size_t)ASN1_STRING_length(sigval), md, NULL,
               EVP_sha256(), NULL);
    bool ok = false;
    TS_REQ *req = TS_REQ_new();
    TS_MSG_IMPRINT *mi = TS_MSG_IMPRINT_new();
    X509_ALGOR *alg = X509_ALGOR_new();
    ASN1_INTEGER *nonce = ASN1_INTEGER_new();
    unsigned char *reqder = NULL;
    struct grow reply = {0};
    TS_RESP *resp = NULL;
    unsigned char *tokder = NULL;
    unsigned char nb[8];
    RAND_bytes(nb, sizeof nb);
    nb[0] &= 0x7f;
    BIGNUM *bn = BN_bin2bn(nb, sizeof nb, NULL);
    if (!req || !mi || !alg || !nonce || !bn || !BN_to_ASN1_INTEGER(bn, nonce) ||
        !X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, NULL) ||
        !TS_MSG_IMPRINT_set_algo(mi, alg) || !TS_MSG_IMPRINT_set_msg(mi, md, sizeof md) ||
        !TS_REQ_set_version(req, 1) || !TS_REQ_set_msg_imprint(req, mi) ||
        !TS_REQ_set_nonce(req, nonce) || !TS_REQ_set_cert_req(req, 1)) {
        ossl_err(err, errlen, "cannot make the timestamp request");
        goto out;
    }
    int reqlen = i2d_TS_REQ(req, &reqder);
    CURL *h = curl_easy_init();
    if (!h || reqlen <= 0) {
        snprintf(err, errlen, "cannot make the timestamp request");
        goto out;
    }
    struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/timestamp-query");
    curl_easy_setopt(h, CURLOPT_URL, s->tsa_url);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, reqder);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)reqlen);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, grow_cb);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &reply);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 15L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    curl_slist_free_all(hdr);
    if (rc != CURLE_OK || status != 200) {
        snprintf(err, errlen, "the timestamp server did not answer (%s, HTTP %ld)",
                 curl_easy_strerror(rc), status);
        goto out;
    }
    const unsigned char *rp = reply.d;
    resp = d2i_TS_RESP(NULL, &rp, (long)reply.n);
    TS_STATUS_INFO *ts_status = resp ? TS_RESP_get_status_info(resp) : NULL;
    long st = ts_status ? ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(ts_status)) : -1;
    PKCS7 *token = resp ? TS_RESP_get_token(resp) : NULL;
    TS_TST_INFO *info = resp ? TS_RESP_get_tst_info(resp) : NULL;
    if (!token || !info || (st != 0 && st != 1)) {
        snprintf(err, errlen, "the timestamp server refused the request");
        goto out;
    }
    /* The token must be over our signature and answer our nonce. */
    TS_MSG_IMPRINT *got = TS_TST_INFO_get_msg_imprint(info);
    ASN1_OCTET_STRING *gotmd = TS_MSG_IMPRINT_get_msg(got);
    const ASN1_INTEGER *gotnonce = TS_TST_INFO_get_nonce(info);
    if (ASN1_STRING_length(gotmd) != (int)sizeof md ||
        memcmp(ASN1_STRING_get0_data(gotmd), md, sizeof md) != 0 || !gotnonce ||
        ASN1_INTEGER_cmp(gotnonce, nonce) != 0) {
        snprintf(err, errlen, "the timestamp server answered another request");
        goto out;
    }
    int toklen = i2d_PKCS7(token, &tokder);
    if (toklen <= 0 || !CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken,
                                                      V_ASN1_SEQUENCE, tokder, toklen)) {
        ossl_err(err, errlen, "cannot add the timestamp");
        goto out;
    }
    ok = true;
out:
    OPENSSL_free(tokder);
    TS_RESP_free(resp);
    free(reply.d);
    OPENSSL_free(reqder);
    BN_free(bn);
    ASN1_INTEGER_free(nonce);
    X509_ALGOR_free(alg);
    TS_MSG_IMPRINT_free(mi);
    TS_REQ_free(req);
    return ok;
}

/* The DER of a detached CMS SignedData over data. */
static bool make_cms(const struct pdf_signer *s, const unsigned char *data, size_t n, time_t when,
                     unsigned char **der, int *derlen, char *err, size_t errlen)
{
    const int flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
    bool ok = false;
    BIO *in = BIO_new_mem_buf(data, (int)n);
    CMS_ContentInfo *cms = in ? CMS_sign(NULL, NULL, NULL, NULL, flags) : NULL;
    CMS_SignerInfo *si =
        cms ? CMS_add1_signer(cms, s->cert, s->key, EVP_sha256(), flags | CMS_CADES) : NULL;
    ASN1_TIME *t = X509_time_adj_ex(NULL, 0, 0, &when);
    if (!si || !t ||
        !CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, ASN1_STRING_type(t), t, -1)) {
        ossl_err(err, errlen, "cannot prepare the signature");
        goto out;
    }
    for (int i = 0; i < sk_X509_num(s->extra); i++)
        if (!CMS_add1_cert(cms, sk_X509_value(s->extra, i))) {
            ossl_err(err, errlen, "cannot add the certificate chain");
            goto out;
        }
    if (!CMS_final(cms, in, NULL, flags)) {
        ossl_err(err, errlen, "cannot sign");
        goto out;
    }
    if (s->tsa_url && !add_timestamp(s, si, err, errlen))
        goto out;
    *der = NULL;
    *derlen = i2d_CMS_ContentInfo(cms, der);
    if (*derlen <= 0) {
        ossl_err(err, errlen, "cannot encode the signature");
        goto out;
    }
    ok = true;
out:
    ASN1_TIME_free(t);
    CMS_ContentInfo_free(cms);
    BIO_free(in);
    return ok;
}

/* ---- the incremental update ---- */

#define BYTERANGE_W 40 /* room for "0 a b c]" and padding */

static void add_obj(GString *g, size_t *offs, int i, long num)
{
    offs[i] = g->len;
    g_string_append_printf(g, "%ld 0 obj\n", num);
}

bool pdf_sign(const struct pdf_signer *s, const unsigned char *pdf, size_t len, time_t when,
              unsigned char **out, size_t *outlen, char *err, size_t errlen)
{
    *out = NULL;
    *outlen = 0;
    struct xref x;
    const unsigned char *cat0, *cat1, *pages0, *pages1, *page0, *page1;
    if (len < 16 || memcmp(pdf, "%PDF-", 5) != 0 || !read_xref(pdf, len, &x) ||
        !obj_dict(&x, x.root, &cat0, &cat1)) {
        snprintf(err, errlen, "not a PDF this program can sign");
        return false;
    }
    long pages = dict_int(cat0, cat1, "/Pages");
    if (pages <= 0 || !obj_dict(&x, pages, &pages0, &pages1)) {
        snprintf(err, errlen, "the PDF has no page tree");
        return false;
    }
    const unsigned char *kids = find(pages0, (size_t)(pages1 - pages0), "/Kids");
    long page = kids ? dict_int(kids, pages1, "[") : -1;
    if (page <= 0 || !obj_dict(&x, page, &page0, &page1) ||
        find(page0, (size_t)(page1 - page0), "/Annots") ||
        find(cat0, (size_t)(cat1 - cat0), "/AcroForm")) {
        snprintf(err, errlen, "the PDF's page cannot take a signature field");
        return false;
    }
    const long sig = x.size, widget = x.size + 1;
    struct tm tm;
    gmtime_r(&when, &tm);
    char mdate[32];
    strftime(mdate, sizeof mdate, "D:%Y%m%d%H%M%SZ", &tm);

    /* Room for the CMS: the certificates, the signature and attributes, and
     * a timestamp token; made larger and signed again if it did not fit. */
    size_t reserve = s->chain_der + 1536 + (s->tsa_url ? 8192 : 0);
    for (int attempt = 0; attempt < 2; attempt++) {
        GString *g = g_string_sized_new(len + 2 * reserve + 2048);
        g_string_append_len(g, (const char *)pdf, (gssize)len);
        if (pdf[len - 1] != '\n')
            g_string_append_c(g, '\n');
        long nums[4] = {page, x.root, sig, widget};
        size_t offs[4];
        /* The signature dictionary. */
        add_obj(g, offs, 2, sig);
        g_string_append(g, "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached\n"
                           "   /ByteRange [");
        size_t br = g->len;
        g_string_append_printf(g, "%*s\n   /Contents <", BYTERANGE_W, "]");
        size_t c0 = g->len - 1;
        size_t zeros = g->len;
        g_string_set_size(g, g->len + 2 * reserve);
        memset(g->str + zeros, '0', 2 * reserve);
        g_string_append_printf(g, ">\n   /M (%s)\n>>\nendobj\n", mdate);
        size_t c1 = c0 + 2 * reserve + 2;
        /* An invisible signature field on the page. */
        add_obj(g, offs, 3, widget);
        g_string_append_printf(g, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1)\n"
                                  "   /V %ld 0 R /F 132 /Rect [ 0 0 0 0 ] /P %ld 0 R\n>>\nendobj\n",
                               sig, page);
        /* The page with its annotation, the Catalog with its form. */
        add_obj(g, offs, 0, page);
        g_string_append_len(g, (const char *)page0, page1 - page0);
        g_string_append_printf(g, "   /Annots [ %ld 0 R ]\n>>\nendobj\n", widget);
        add_obj(g, offs, 1, x.root);
        g_string_append_len(g, (const char *)cat0, cat1 - cat0);
        g_string_append_printf(g, "   /AcroForm << /Fields [ %ld 0 R ] /SigFlags 3 >>\n>>\nendobj\n",
                               widget);
        /* The cross-reference section of the update, by object number. */
        size_t xref = g->len;
        g_string_append(g, "xref\n");
        for (int pass = 0; pass < 4; pass++) {
            int best = -1;
            for (int i = 0; i < 4; i++)
                if ((best < 0 || nums[i] < nums[best]) && offs[i] != (size_t)-1)
                    best = i;
            g_string_append_printf(g, "%ld 1\n%010zu 00000 n \n", nums[best], offs[best]);
            offs[best] = (size_t)-1;
        }
        g_string_append_printf(g, "trailer\n<< /Size %ld\n   /Root %ld 0 R\n", widget + 1, x.root);
        if (x.info > 0)
            g_string_append_printf(g, "   /Info %ld 0 R\n", x.info);
        g_string_append_printf(g, "   /Prev %zu\n>>\nstartxref\n%zu\n%%%%EOF\n", x.table, xref);

        /* The byte range, then the signature over it. */
        char range[BYTERANGE_W + 8];
        int rl = snprintf(range, sizeof range, "0 %zu %zu %zu]", c0, c1, g->len - c1);
        memset(g->str + br, ' ', BYTERANGE_W);
        memcpy(g->str + br, range, (size_t)rl);
        size_t signed_len = c0 + (g->len - c1);
        unsigned char *data = malloc(signed_len);
        if (!data) {
            g_string_free(g, TRUE);
            snprintf(err, errlen, "out of memory");
            return false;
        }
        memcpy(data, g->str, c0);
        memcpy(data + c0, g->str + c1, g->len - c1);
        unsigned char *der;
        int derlen;
        bool ok = make_cms(s, data, signed_len, when, &der, &derlen, err, errlen);
        free(data);
        if (!ok) {
            g_string_free(g, TRUE);
            return false;
        }
        if ((size_t)derlen > reserve) {
            reserve = (size_t)derlen + 512;
            OPENSSL_free(der);
            g_string_free(g, TRUE);
            continue;
        }
        static const char hex[] = "0123456789abcdef";
        for (int i = 0; i < derlen; i++) {
            g->str[c0 + 1 + 2 * i] = hex[der[i] >> 4];
            g->str[c0 + 2 + 2 * i] = hex[der[i] & 15];
        }
        OPENSSL_free(der);
        *outlen = g->len;
        *out = (unsigned char *)g_string_free(g, FALSE);
        return true;
    }
    snprintf(err, errlen, "the signature does not fit its place");
    return false;
}

/* A certificate name on one line, in UTF-8 ("CN=…,O=…"). */
static void name_utf8(const X509_NAME *name, char *buf, size_t n)
{
    BIO *b = BIO_new(BIO_s_mem());
    buf[0] = '\0';
    if (b && X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
        char *d;
        long len = BIO_get_mem_data(b, &d);
        snprintf(buf, n, "%.*s", (int)len, d);
    }
    BIO_free(b);
}

/* ---- checking ---- */

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

enum pdf_check pdf_check_signature(const unsigned char *pdf, size_t len, const char *trusted_pem,
                                   size_t trusted_len, char *detail, size_t detlen)
{
#define VERDICT(v, ...) do { snprintf(detail, detlen, __VA_ARGS__); result = (v); goto out; } while (0)
    enum pdf_check result = PDF_DAMAGED;
    unsigned char *der = NULL, *data = NULL;
    CMS_ContentInfo *cms = NULL;
    BIO *in = NULL;
    STACK_OF(X509) *signers = NULL;
    if (len < 8 || memcmp(pdf, "%PDF-", 5) != 0)
        VERDICT(PDF_NOT_PDF, "not a PDF file");
    if (!rfind(pdf + len - (len < 1024 ? len : 1024), len < 1024 ? len : 1024, "%%EOF") ||
        !rfind(pdf, len, "startxref"))
        VERDICT(PDF_DAMAGED, "the PDF is damaged or cut short (no end of file marker)");
    const unsigned char *br = find(pdf, len, "/ByteRange");
    if (!br)
        VERDICT(PDF_UNSIGNED, "the PDF has no document signature");
    if (find(br + 10, len - (size_t)(br + 10 - pdf), "/ByteRange"))
        VERDICT(PDF_SEVERAL, "the PDF has more than one signature");
    const unsigned char *p = br + 10, *end = pdf + len;
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r'))
        p++;
    long long r[4] = {-1, -1, -1, -1};
    if (p < end && *p == '[') {
        p++;
        for (int i = 0; i < 4; i++)
            if ((r[i] = read_num(&p, end)) < 0)
                break;
    }
    if (r[3] < 0)
        VERDICT(PDF_DAMAGED, "the signature's byte range cannot be read");
    if (r[0] != 0 || r[1] < 16 || r[2] <= r[1] + 2 || (size_t)r[2] > len || (size_t)r[3] > len ||
        pdf[r[1]] != '<' || pdf[r[2] - 1] != '>')
        VERDICT(PDF_DAMAGED, "the signature's byte range does not fit the file");
    if ((size_t)(r[2] + r[3]) > len)
        VERDICT(PDF_DAMAGED, "the PDF is cut short: it ends before its signed range");
    if ((size_t)(r[2] + r[3]) < len)
        VERDICT(PDF_APPENDED, "modified: %llu bytes were added after the signed range (an "
                "incremental update)", (unsigned long long)(len - (size_t)(r[2] + r[3])));
    size_t hexlen = r[2] - r[1] - 2;
    der = malloc(hexlen / 2 + 1);
    if (!der)
        VERDICT(PDF_DAMAGED, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i + 1 < hexlen; i += 2) {
        int hi = hexval(pdf[r[1] + 1 + i]), lo = hexval(pdf[r[1] + 2 + i]);
        if (hi < 0 || lo < 0)
            VERDICT(PDF_CHANGED, "the signature's contents are not a hex string");
        der[n++] = (unsigned char)(hi << 4 | lo);
    }
    const unsigned char *dp = der;
    cms = d2i_CMS_ContentInfo(NULL, &dp, (long)n);
    if (!cms || OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed)
        VERDICT(PDF_CHANGED, "the signature's contents are not a CMS signature");
    size_t dl = r[1] + r[3];
    data = malloc(dl ? dl : 1);
    if (!data)
        VERDICT(PDF_DAMAGED, "out of memory");
    memcpy(data, pdf, r[1]);
    memcpy(data + r[1], pdf + r[2], r[3]);
    in = BIO_new_mem_buf(data, (int)dl);
    if (!in || CMS_verify(cms, NULL, NULL, in, NULL, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) != 1)
        VERDICT(PDF_CHANGED, "the document signature does not match the file's bytes");
    signers = CMS_get0_signers(cms);
    if (sk_X509_num(signers) != 1)
        VERDICT(PDF_SEVERAL, "the signature has more than one signer");
    X509 *signer = sk_X509_value(signers, 0);
    BIO *tb = BIO_new_mem_buf(trusted_pem, (int)trusted_len);
    X509 *t;
    bool ours = false;
    while (tb && !ours && (t = PEM_read_bio_X509(tb, NULL, NULL, NULL))) {
        ours = X509_cmp(t, signer) == 0;
        X509_free(t);
    }
    BIO_free(tb);
    if (!ours) {
        char name[256];
        name_utf8(X509_get_subject_name(signer), name, sizeof name);
        VERDICT(PDF_NOT_OURS, "signed by %s, not by this installation", name);
    }
    VERDICT(PDF_GENUINE, "the document signature covers the whole file and is valid");
out:
    ERR_clear_error();
    sk_X509_free(signers);
    BIO_free(in);
    CMS_ContentInfo_free(cms);
    free(data);
    free(der);
    return result;
#undef VERDICT
}
