/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The certificate as a PDF: one A4 landscape page, Spanish first and English
 * below, drawn with cairo and pango (Noto Serif; Noto Naskh Arabic, DejaVu
 * Serif and any other installed font as fontconfig fallback) with a QR code
 * (libqrencode) that encodes the verify URL.
 *
 * The signed facts travel inside the file, in the Keywords entry of the PDF
 * document information dictionary, as three space-separated ASCII tokens:
 *
 *   aula-facts:<base64url(canonical facts JSON)> aula-sig:<signature> aula-kid:<key id>
 *
 * (base64url without padding; the signature is cert_sign's).  cairo 1.16
 * writes an ASCII value as a PDF literal string "(…)" in a plain object, so
 * the tokens appear verbatim in the file.  cert_pdf_read_facts also accepts
 * escaped literal and hex (UTF-16BE) strings and dictionaries inside
 * compressed object streams (newer cairo, qpdf and other programs that
 * re-save a PDF write those); the last entry found wins.  The file is
 * deterministic: the same document gives the same bytes (CreationDate is
 * the issue date at 00:00:00Z).
 *
 * The page: a double frame; the organiser at the top (Spanish in small
 * capitals, English in italics) with the partners; "Certificado /
 * Certificate"; "se otorga a / is awarded to"; form of address and name
 * (30 pt, shrinking to 18 pt on one line, then two balanced lines from
 * 22 pt down to 11 pt, never wider than 700 pt); the course, edition, hours
 * and dates in Spanish, then the same in English; up to three signatories;
 * number, issue date and verify URL bottom left; the QR code bottom right.
 * Noto Serif regular, bold and italic only, without ligatures: each face
 * and each extra subset costs cairo a font embedding per file.
 *
 * Rendering is thread-safe: each thread keeps its own pango font map and
 * context (created on first use, released at thread exit or by
 * cert_pdf_thread_cleanup). */
#ifndef AULA_CERTIFICATE_PDF_H
#define AULA_CERTIFICATE_PDF_H

#include <stdbool.h>
#include <stddef.h>

#include "../domain/certificate.h"

#define CERT_MAX_SIGNATORIES 3

struct cert_document {
    struct cert_facts facts;
    const char *organiser_es, *organiser_en; /* "Sistema Económico Latinoamericano y del Caribe (SELA)" */
    const char *partners_es, *partners_en;   /* one line each, may be "" */
    struct {
        const char *name, *title_es, *title_en;
    } signatories[CERT_MAX_SIGNATORIES];
    int nsignatories;
    const char *facts_json; /* canonical facts, embedded in the PDF metadata */
    const char *signature;  /* base64url, embedded in the PDF metadata */
    const char *key_id;
    /* The organisation's logo as PNG or JPEG bytes, drawn in the top left
     * corner within LOGO_BOX points; NULL for none. */
    const unsigned char *logo;
    size_t logo_len;
};

/* Writes the certificate to path (through a temporary file in the same
 * directory, renamed when complete).  False with a message in err, and no
 * file written, when a text holds a character no installed font can draw
 * (names in any script render correctly or fail loudly at issue time, never
 * as boxes), when the name cannot fit in two lines, or on I/O errors. */
bool cert_pdf_write(const char *path, const struct cert_document *d, char *err, size_t errlen);
/* The same, with a document signature over the whole file (pdf_sign.h)
 * made with signer at `when`; sha256_hex65 receives the SHA-256 of the
 * file as written (hex), which is what issuing records. */
struct pdf_signer;
bool cert_pdf_write_signed(const char *path, const struct cert_document *d,
                           const struct pdf_signer *signer, long long when, char *sha256_hex65,
                           char *err, size_t errlen);
/* The same PDF in memory: *out is malloc'd, *outlen its length. */
bool cert_pdf_render(const struct cert_document *d, unsigned char **out, size_t *outlen,
                     char *err, size_t errlen);

/* Reads back the embedded canonical facts (malloc'd), signature (malloc'd)
 * and key id (17 bytes) from a PDF written by cert_pdf_write.  It only
 * extracts: checking the signature is cert_verify's job. */
bool cert_pdf_read_facts(const char *path, char **facts_json, char **signature, char *key_id17,
                         char *err, size_t errlen);
bool cert_pdf_read_facts_mem(const unsigned char *pdf, size_t len, char **facts_json,
                             char **signature, char *key_id17, char *err, size_t errlen);

/* Releases the calling thread's font map and pango context now (they are
 * also released when the thread exits).  Optional. */
void cert_pdf_thread_cleanup(void);

#endif
