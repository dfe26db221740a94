/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "pdf_keys.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <pthread.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void ossl_err(char *err, size_t errlen, const char *what)
{
    unsigned long e = ERR_get_error();
    char buf[256] = "";
    if (e)
        ERR_error_string_n(e, buf, sizeof buf);
    ERR_clear_error();
    snprintf(err, errlen, "%s%s%s", what, *buf ? ": " : "", buf);
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

static void dir_of(const char *data_dir, char *buf, size_t n)
{
    snprintf(buf, n, "%s/keys/pdf", data_dir);
}

/* Writes a file whole through a temporary name, with mode. */
static bool put_file(const char *path, const void *data, size_t n, mode_t mode, char *err,
                     size_t errlen)
{
    char tmp[700];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
        return false;
    }
    bool ok = write(fd, data, n) == (ssize_t)n && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (ok)
        ok = rename(tmp, path) == 0;
    if (!ok) {
        unlink(tmp);
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
    }
    return ok;
}

static bool current_id(const char *data_dir, char *id17)
{
    char d[600], path[640];
    dir_of(data_dir, d, sizeof d);
    snprintf(path, sizeof path, "%s/current", d);
    FILE *f = fopen(path, "re");
    if (!f)
        return false;
    bool ok = fgets(id17, PDF_KEY_ID_LEN + 1, f) && strlen(id17) == PDF_KEY_ID_LEN &&
              strspn(id17, "0123456789abcdef") == PDF_KEY_ID_LEN;
    fclose(f);
    return ok;
}

static void cert_id(X509 *x, char *id17)
{
    unsigned char md[32];
    unsigned int n = 0;
    X509_digest(x, EVP_sha256(), md, &n);
    for (int i = 0; i < PDF_KEY_ID_LEN / 2; i++)
        sprintf(id17 + 2 * i, "%02x", md[i]);
}

/* Stores key and chain under the chain's first certificate's ID and makes
 * it current. */
static bool install(const char *data_dir, EVP_PKEY *key, X509 *cert, STACK_OF(X509) *extra,
                    bool self, char *id17, char *err, size_t errlen)
{
    char d[600], path[700];
    snprintf(d, sizeof d, "%s/keys", data_dir);
    mkdir(d, 0700);
    dir_of(data_dir, d, sizeof d);
    if (mkdir(d, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create %s: %s", d, strerror(errno));
        return false;
    }
    cert_id(cert, id17);
    BIO *kb = BIO_new(BIO_s_mem()), *cb = BIO_new(BIO_s_mem());
    bool ok = kb && cb && PEM_write_bio_PrivateKey(kb, key, NULL, NULL, 0, NULL, NULL) &&
              PEM_write_bio_X509(cb, cert);
    for (int i = 0; ok && i < sk_X509_num(extra); i++)
        ok = PEM_write_bio_X509(cb, sk_X509_value(extra, i));
    if (!ok) {
        ossl_err(err, errlen, "cannot encode the key");
    } else {
        char *kd, *cd;
        long kn = BIO_get_mem_data(kb, &kd), cn = BIO_get_mem_data(cb, &cd);
        snprintf(path, sizeof path, "%s/%s.key", d, id17);
        ok = put_file(path, kd, (size_t)kn, 0600, err, errlen);
        snprintf(path, sizeof path, "%s/%s.pem", d, id17);
        ok = ok && put_file(path, cd, (size_t)cn, 0600, err, errlen);
        snprintf(path, sizeof path, "%s/%s.self", d, id17);
        if (ok && self)
            ok = put_file(path, "", 0, 0600, err, errlen);
        snprintf(path, sizeof path, "%s/current", d);
        char line[PDF_KEY_ID_LEN + 2];
        snprintf(line, sizeof line, "%s\n", id17);
        ok = ok && put_file(path, line, strlen(line), 0600, err, errlen);
    }
    BIO_free(kb);
    BIO_free(cb);
    return ok;
}

static bool add_ext(X509 *x, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    bool ok = e && X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
    return ok;
}

static bool make_self_signed(const char *data_dir, const char *org, char *id17, char *err,
                             size_t errlen)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *x = X509_new();
    ASN1_INTEGER *serial = ASN1_INTEGER_new();
    BIGNUM *bn = BN_new();
    X509_NAME *name = X509_NAME_new();
    bool ok = key && x && serial && bn && name && BN_rand(bn, 120, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) &&
              BN_to_ASN1_INTEGER(bn, serial) && X509_set_version(x, 2) &&
              X509_set_serialNumber(x, serial) &&
              X509_gmtime_adj(X509_getm_notBefore(x), -3600) &&
              X509_gmtime_adj(X509_getm_notAfter(x), 10L * 366 * 24 * 3600) &&
              X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)org,
                                         -1, -1, 0) &&
              X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, (const unsigned char *)org, -1,
                                         -1, 0) &&
              X509_set_subject_name(x, name) && X509_set_issuer_name(x, name) &&
              X509_set_pubkey(x, key) &&
              add_ext(x, NID_basic_constraints, "critical,CA:FALSE") &&
              add_ext(x, NID_key_usage, "critical,digitalSignature,nonRepudiation") &&
              add_ext(x, NID_subject_key_identifier, "hash") &&
              X509_sign(x, key, EVP_sha256()) > 0;
    if (!ok)
        ossl_err(err, errlen, "cannot make the signing certificate");
    else
        ok = install(data_dir, key, x, NULL, true, id17, err, errlen);
    X509_NAME_free(name);
    BN_free(bn);
    ASN1_INTEGER_free(serial);
    X509_free(x);
    EVP_PKEY_free(key);
    return ok;
}

static char *slurp(const char *path, size_t *len)
{
    gchar *d = NULL;
    gsize n = 0;
    if (!g_file_get_contents(path, &d, &n, NULL))
        return NULL;
    char *out = malloc(n + 1);
    if (out) {
        memcpy(out, d, n);
        out[n] = '\0';
        *len = n;
    }
    g_free(d);
    return out;
}

/* The organisation named in the current self-made certificate ("" when
 * it was imported). */
static bool current_self_org(const char *data_dir, const char *id, char *org, size_t n)
{
    char d[600], path[700];
    dir_of(data_dir, d, sizeof d);
    snprintf(path, sizeof path, "%s/%s.self", d, id);
    org[0] = '\0';
    if (access(path, F_OK) != 0)
        return false;
    snprintf(path, sizeof path, "%s/%s.pem", d, id);
    size_t len;
    char *pem = slurp(path, &len);
    BIO *b = pem ? BIO_new_mem_buf(pem, (int)len) : NULL;
    X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
    if (x)
        X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_organizationName, org, (int)n);
    X509_free(x);
    BIO_free(b);
    free(pem);
    return true;
}

/* X.509 names hold at most 64 characters (RFC 5280 ub-common-name):
 * longer organisation names are cut at a character boundary. */
static void fit_name(const char *org, char *out, size_t n)
{
    const char *end = org;
    for (int chars = 0; *end && chars < 64; chars++)
        end = g_utf8_next_char(end);
    size_t len = (size_t)(end - org) < n - 1 ? (size_t)(end - org) : n - 1;
    memcpy(out, org, len);
    out[len] = '\0';
    g_strchomp(out);
}

bool pdf_keys_ensure(const char *data_dir, const char *org_name, char *err, size_t errlen)
{
    char org[256] = "";
    if (org_name && g_utf8_validate(org_name, -1, NULL))
        fit_name(org_name, org, sizeof org);
    /* Certificates issued from several console requests at once make at
     * most one new identity. */
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    char id[PDF_KEY_ID_LEN + 1], have[256];
    bool named = *org, ok = true;
    pthread_mutex_lock(&lock);
    if (!current_id(data_dir, id) ||
        (named && current_self_org(data_dir, id, have, sizeof have) && strcmp(have, org) != 0))
        ok = make_self_signed(data_dir, named ? org : "Aula", id, err, errlen);
    pthread_mutex_unlock(&lock);
    return ok;
}

struct pdf_signer *pdf_keys_signer(const char *data_dir, char *id17, char *err, size_t errlen)
{
    char d[600], path[700];
    if (!current_id(data_dir, id17)) {
        snprintf(err, errlen, "no document signing certificate (run aula init)");
        return NULL;
    }
    dir_of(data_dir, d, sizeof d);
    size_t kn = 0, cn = 0;
    snprintf(path, sizeof path, "%s/%s.key", d, id17);
    char *key = slurp(path, &kn);
    snprintf(path, sizeof path, "%s/%s.pem", d, id17);
    char *chain = slurp(path, &cn);
    struct pdf_signer *s = NULL;
    if (!key || !chain)
        snprintf(err, errlen, "the document signing key %s cannot be read", id17);
    else
        s = pdf_signer_new(key, kn, chain, cn, err, errlen);
    if (key) {
        OPENSSL_cleanse(key, kn);
        free(key);
    }
    free(chain);
    return s;
}

/* Files exported by older tools (and Windows) are encrypted with RC2 or
 * 3DES, which OpenSSL 3 keeps in its "legacy" provider: tried only when
 * the default algorithms could not open the file. */
static bool parse_legacy(PKCS12 *p12, const char *password, EVP_PKEY **key, X509 **cert,
                         STACK_OF(X509) **ca)
{
    static OSSL_PROVIDER *legacy, *deflt;
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&lock);
    if (!legacy) {
        legacy = OSSL_PROVIDER_load(NULL, "legacy");
        if (legacy && !deflt)
            deflt = OSSL_PROVIDER_load(NULL, "default"); /* loading one unloads the implicit default */
    }
    pthread_mutex_unlock(&lock);
    ERR_clear_error();
    return legacy && PKCS12_parse(p12, password, key, cert, ca);
}

bool pdf_keys_import_p12(const char *data_dir, const char *p12_path, const char *password,
                         char *id17, char *err, size_t errlen)
{
    FILE *f = fopen(p12_path, "rbe");
    if (!f) {
        snprintf(err, errlen, "cannot read %s: %s", p12_path, strerror(errno));
        return false;
    }
    PKCS12 *p12 = d2i_PKCS12_fp(f, NULL);
    fclose(f);
    EVP_PKEY *key = NULL;
    X509 *cert = NULL;
    STACK_OF(X509) *ca = NULL;
    bool ok = false;
    if (!p12) {
        ossl_err(err, errlen, "not a PKCS#12 file");
    } else if (!PKCS12_parse(p12, password ? password : "", &key, &cert, &ca) &&
               !parse_legacy(p12, password ? password : "", &key, &cert, &ca)) {
        ossl_err(err, errlen, "cannot open the PKCS#12 file (wrong password?)");
    } else if (!key || !cert) {
        snprintf(err, errlen, "the PKCS#12 file holds no key with its certificate");
    } else if (X509_check_private_key(cert, key) != 1) {
        ossl_err(err, errlen, "the key does not belong to the certificate");
    } else {
        int bits = EVP_PKEY_get_bits(key);
        int type = EVP_PKEY_get_base_id(key);
        if (!((type == EVP_PKEY_RSA && bits >= 2048) || (type == EVP_PKEY_EC && bits >= 256)))
            snprintf(err, errlen, "the key is neither RSA of 2048 bits or more nor ECDSA");
        else
            ok = install(data_dir, key, cert, ca, false, id17, err, errlen);
    }
    sk_X509_pop_free(ca, X509_free);
    X509_free(cert);
    EVP_PKEY_free(key);
    PKCS12_free(p12);
    return ok;
}

bool pdf_keys_describe(const char *data_dir, char *subject, size_t n, long long *not_after)
{
    char err[300], id[PDF_KEY_ID_LEN + 1];
    struct pdf_signer *s = pdf_keys_signer(data_dir, id, err, sizeof err);
    if (!s)
        return false;
    pdf_signer_free(s); /* the key and certificate belong together */
    char d[600], path[700];
    dir_of(data_dir, d, sizeof d);
    snprintf(path, sizeof path, "%s/%s.pem", d, id);
    size_t len;
    char *pem = slurp(path, &len);
    BIO *b = pem ? BIO_new_mem_buf(pem, (int)len) : NULL;
    X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
    bool ok = false;
    struct tm tm;
    if (x && ASN1_TIME_to_tm(X509_get0_notAfter(x), &tm)) {
        name_utf8(X509_get_subject_name(x), subject, n);
        *not_after = (long long)timegm(&tm);
        ok = true;
    }
    X509_free(x);
    BIO_free(b);
    free(pem);
    return ok;
}

char *pdf_keys_all_pem(const char *data_dir, size_t *len)
{
    char d[600], path[900], id[PDF_KEY_ID_LEN + 1];
    dir_of(data_dir, d, sizeof d);
    *len = 0;
    GString *g = g_string_new(NULL);
    bool have_current = current_id(data_dir, id);
    if (have_current) {
        snprintf(path, sizeof path, "%s/%s.pem", d, id);
        size_t n;
        char *pem = slurp(path, &n);
        if (pem)
            g_string_append_len(g, pem, (gssize)n);
        free(pem);
    }
    DIR *dir = opendir(d);
    struct dirent *e;
    while (dir && (e = readdir(dir))) {
        size_t nl = strlen(e->d_name);
        if (nl != PDF_KEY_ID_LEN + 4 || strcmp(e->d_name + PDF_KEY_ID_LEN, ".pem") != 0 ||
            (have_current && strncmp(e->d_name, id, PDF_KEY_ID_LEN) == 0))
            continue;
        snprintf(path, sizeof path, "%s/%s", d, e->d_name);
        size_t n;
        char *pem = slurp(path, &n);
        if (pem)
            g_string_append_len(g, pem, (gssize)n);
        free(pem);
    }
    if (dir)
        closedir(dir);
    if (!g->len) {
        g_string_free(g, TRUE);
        return NULL;
    }
    *len = g->len;
    char *out = malloc(g->len + 1);
    if (out)
        memcpy(out, g->str, g->len + 1);
    g_string_free(g, TRUE);
    return out;
}
