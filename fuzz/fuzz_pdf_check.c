/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* libFuzzer target: what /verify does with a file anyone uploads, on the
 * input as an exact-size buffer (no terminating NUL, so reading past the
 * end is caught): the document signature check against a fixed trusted
 * certificate, then reading the signed facts back.  The verdict must be one
 * of the known ones, with a detail, and "genuine" is impossible (nobody but
 * the key's holder can sign). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "docs/certificate_pdf.h"
#include "docs/pdf_sign.h"
#include "fuzz_check.h"

/* A self-signed P-256 certificate whose key was thrown away when it was
 * made. */
static const char TRUSTED[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBfzCCASWgAwIBAgIUeypBfYh60BVpKPF+MfCAcl0lyqswCgYIKoZIzj0EAwIw\n"
    "FTETMBEGA1UEAwwKRnV6eiB0cnVzdDAeFw0yNjEyMDIwNjE2NDNaFw0zNjExMjkw\n"
    "NjE2NDNaMBUxEzARBgNVBAMMCkZ1enogdHJ1c3QwWTATBgcqhkjOPQIBBggqhkjO\n"
    "PQMBBwNCAAQUErYW/IxZL89W5FLvQBeV6j7iA24I3v0andAIOjmPoyvAWPib6+kA\n"
    "4uHHglTBcMS92KtjKqJcHiGerRffB9X/o1MwUTAdBgNVHQ4EFgQUQHo3ow7/xKlh\n"
    "KlplBrANlrBQH7UwHwYDVR0jBBgwFoAUQHo3ow7/xKlhKlplBrANlrBQH7UwDwYD\n"
    "VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEA89VsxtUa1CMPg3NxO8cC\n"
    "eCNTON+mcdGvYvgJw+C2mW4CIH98YupdyaaRhjYQ0kLbY+LiYAK3xobhMqFtFV8X\n"
    "YC8C\n"
    "-----END CERTIFICATE-----\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *pdf = malloc(size ? size : 1);
    if (!pdf)
        return 0;
    memcpy(pdf, data, size);
    char detail[300] = "";
    enum pdf_check c = pdf_check_signature(pdf, size, TRUSTED, sizeof TRUSTED - 1, detail,
                                           sizeof detail);
    FUZZ_CHECK(c >= PDF_GENUINE && c <= PDF_NOT_OURS);
    FUZZ_CHECK(c != PDF_GENUINE);
    FUZZ_CHECK(detail[0] != '\0');
    char *facts = NULL, *sig = NULL, kid[CERT_KEY_ID_SIZE], err[200];
    if (cert_pdf_read_facts_mem(pdf, size, &facts, &sig, kid, err, sizeof err)) {
        FUZZ_CHECK(facts && sig && strlen(kid) == CERT_KEY_ID_SIZE - 1);
    }
    free(facts);
    free(sig);
    free(pdf);
    return 0;
}
