# SPDX-License-Identifier: AGPL-3.0-or-later
"""Certificate PDFs signed as documents, checked with tools that owe Aula
nothing: poppler's pdfsig (the signature and whether it covers the whole
file), qpdf (the structure of the incremental update) and the openssl
command (the CMS over the byte range, parsed by this script).  A changed
byte, an appended update and a re-saved copy must all fail."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aula_server import AulaServer, Results, sql  # noqa: E402


def register(data, email, given, family, course):
    sql(data, "INSERT INTO account (email, role, created_at) VALUES (?, 'participant', 'x')", (email,))
    sql(data, "INSERT INTO application (edition_id, account_id, email, form_of_address, given_names,"
        " family_names, gender, country, institution_type, institution, position, language,"
        " consent_at, submission_key, created_at) SELECT e.id, a.id, a.email, 'ambassador', ?, ?,"
        " 'female', 'VE', 'foreign_ministry', 'MPPRE', 'Embajadora', 'es', 'x', ?, 'x'"
        " FROM edition e, account a WHERE e.slug = 'sela-2022' AND a.email = ?",
        (given, family, 'k-' + email, email))
    sql(data, "INSERT INTO enrolment (application_id, course_id, status, status_at) SELECT ap.id,"
        " c.id, 'registered', 'x' FROM application ap, course c WHERE ap.email = ? AND c.slug = ?",
        (email, course))


TSA_CNF = """[ req ]
distinguished_name = dn
[ dn ]
[ ext ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = ./serial
signer_cert = ./tsa.crt
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
certs = ./tsa.crt
other_policies = 1.2.3.4.2
"""


def local_tsa(directory):
    """An RFC 3161 server on loopback made of `openssl ts -reply`; returns
    (url, list of requests seen, server)."""
    import http.server
    import threading
    with open(os.path.join(directory, 'tsa.cnf'), 'w') as f:
        f.write(TSA_CNF)
    with open(os.path.join(directory, 'serial'), 'w') as f:
        f.write('01\n')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt',
                    'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'tsa.key', '-out', 'tsa.crt',
                    '-days', '2', '-subj', '/CN=Test TSA', '-config', 'tsa.cnf', '-extensions',
                    'ext'], cwd=directory, check=True, capture_output=True)
    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the standard library's name
            body = self.rfile.read(int(self.headers['Content-Length']))
            seen.append((self.headers['Content-Type'], body))
            q = os.path.join(directory, 'q.tsq')
            r = os.path.join(directory, 'r.tsr')
            open(q, 'wb').write(body)
            subprocess.run(['openssl', 'ts', '-reply', '-config', 'tsa.cnf', '-queryfile', q,
                            '-out', r], cwd=directory, check=True, capture_output=True)
            reply = open(r, 'rb').read()
            self.send_response(200)
            self.send_header('Content-Type', 'application/timestamp-reply')
            self.send_header('Content-Length', str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(('127.0.0.1', 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return 'http://127.0.0.1:%d/tsa' % server.server_address[1], seen, server


def pdfsig(path):
    r = subprocess.run(['pdfsig', path], capture_output=True, text=True)
    return r.stdout + r.stderr


def pdfsig_valid(path):
    out = pdfsig(path)
    return ('Signature Validation: Signature is Valid.' in out and 'Total document signed' in out
            and 'Not total document signed' not in out), out


def byte_range(raw):
    m = re.search(rb'/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]', raw)
    assert m, 'no /ByteRange'
    return [int(x) for x in m.groups()]


def main():
    res = Results()
    tmp = tempfile.mkdtemp(prefix='aula-pdfsig-')
    with AulaServer() as aula:
        data = aula.data
        register(data, 'maria@example.org', 'María José', 'Núñez', 'cyberdiplomacy')
        for day in ('21', '22'):
            path = os.path.join(tmp, 'day%s.csv' % day)
            with open(path, 'w') as f:
                f.write('Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n')
                f.write('María,maria@example.org,03/%s/2022 08:55:00 AM,03/%s/2022 01:05:00 PM,250,No\n'
                        % (day, day))
            r = aula.run('attendance', 'import', '--data', data, '--event', 'sela-2022', '--course',
                         'cyberdiplomacy', '--date', '2022-03-%s' % day, path)
            assert r.returncode == 0, r.stderr
        r = aula.run('certificates', 'issue', '--data', data, '--event', 'sela-2022', '--course',
                     'cyberdiplomacy')
        assert r.returncode == 0, r.stdout + r.stderr
        number = sql(data, "SELECT number FROM certificate")[0][0]
        pdf = os.path.join(data, 'certificates', number + '.pdf')
        raw = open(pdf, 'rb').read()

        def pdfsig_says_valid_over_the_whole_file():
            ok, out = pdfsig_valid(pdf)
            assert ok, out
            assert 'adbe.pkcs7.detached' in out, out
            assert 'Sistema Económico Latinoamericano' in out, out

        def qpdf_checks_the_update():
            r = subprocess.run(['qpdf', '--check', pdf], capture_output=True, text=True)
            assert r.returncode == 0, r.stdout + r.stderr
            assert 'No syntax or stream encoding errors' in r.stdout, r.stdout
            # The signature field is in the form qpdf reads.
            r = subprocess.run(['qpdf', '--json', '--json-key=acroform', pdf], capture_output=True,
                               text=True)
            assert r.returncode == 0, r.stderr
            assert '"fieldtype": "/Sig"' in r.stdout, r.stdout[:600]

        def openssl_verifies_the_cms_over_the_byte_range():
            a, b, c, d = byte_range(raw)
            assert a == 0 and c + d == len(raw), (a, b, c, d, len(raw))
            contents = raw[b:c]
            assert contents[:1] == b'<' and contents[-1:] == b'>'
            der = bytes.fromhex(contents[1:-1].decode())
            sig = os.path.join(tmp, 'sig.der')
            signed = os.path.join(tmp, 'signed.bin')
            open(sig, 'wb').write(der.rstrip(b'\0'))
            open(signed, 'wb').write(raw[a:a + b] + raw[c:c + d])
            r = subprocess.run(['openssl', 'cms', '-verify', '-binary', '-inform', 'DER', '-in', sig,
                                '-content', signed, '-noverify', '-out', os.devnull],
                               capture_output=True, text=True)
            assert r.returncode == 0 and 'Verification successful' in r.stderr, r.stderr
            r = subprocess.run(['openssl', 'cms', '-cmsout', '-print', '-inform', 'DER', '-in', sig],
                               capture_output=True, text=True)
            assert 'signingTime' in r.stdout, r.stdout[:400]
            assert 'id-smime-aa-signingCertificateV2' in r.stdout, r.stdout[:400]
            assert 'ecdsa-with-SHA256' in r.stdout, r.stdout[:400]
            # One changed signed byte and the same CMS no longer verifies.
            changed = bytearray(raw[a:a + b] + raw[c:c + d])
            changed[100] ^= 1
            open(signed, 'wb').write(bytes(changed))
            r = subprocess.run(['openssl', 'cms', '-verify', '-binary', '-inform', 'DER', '-in', sig,
                                '-content', signed, '-noverify', '-out', os.devnull],
                               capture_output=True, text=True)
            assert r.returncode != 0, r.stderr

        def changed_appended_and_resaved_copies_fail():
            a, b, c, d = byte_range(raw)
            for name, at in (('start', 7), ('content', raw.index(b'stream\n') + 60),
                             ('metadata', raw.index(b'/Title (') + 9), ('trailer', raw.rindex(b'trailer') + 3)):
                bad = bytearray(raw)
                bad[at] = ord('A') if bad[at] != ord('A') else ord('B')
                path = os.path.join(tmp, 'bad-%s.pdf' % name)
                open(path, 'wb').write(bytes(bad))
                ok, out = pdfsig_valid(path)
                assert not ok, (name, out)
                r = aula.run('verify', '--data', data, path)
                assert r.returncode == 1 and 'TAMPERED' in r.stdout, (name, r.stdout)
            # qpdf rewrites the file: the same page, not the issued document.
            resaved = os.path.join(tmp, 'resaved.pdf')
            subprocess.run(['qpdf', pdf, resaved], check=True)
            r = aula.run('verify', '--data', data, resaved)
            assert r.returncode == 1 and 'VALID:' not in r.stdout, r.stdout
            # An incremental update appended by qpdf.
            appended = os.path.join(tmp, 'appended.pdf')
            with open(appended, 'wb') as f:
                f.write(raw + b'1 0 obj\n<< >>\nendobj\nxref\n1 1\n0000000000 00000 n \n'
                        b'trailer\n<< /Size 2 /Prev %d >>\nstartxref\n%d\n%%%%EOF\n' % (c, len(raw)))
            r = aula.run('verify', '--data', data, appended)
            assert r.returncode == 1 and 'MODIFIED' in r.stdout, r.stdout
            out = pdfsig(appended)
            assert 'Not total document signed' in out or 'Signature is Valid' not in out, out
            r = aula.run('verify', '--data', data, pdf)
            assert r.returncode == 0 and 'VALID:' in r.stdout, r.stdout

        def published_certificate_is_the_signer():
            status, headers, body = aula.get('/.well-known/aula-signing.pem')
            assert status == 200 and b'BEGIN CERTIFICATE' in body
            a, b, c, d = byte_range(raw)
            der = bytes.fromhex(raw[b + 1:c - 1].decode()).rstrip(b'\0')
            sig = os.path.join(tmp, 'sig2.der')
            open(sig, 'wb').write(der)
            r = subprocess.run(['openssl', 'pkcs7', '-inform', 'DER', '-in', sig, '-print_certs'],
                               capture_output=True, text=True)
            signer = re.search(r'-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----', r.stdout,
                               re.S)
            assert signer and signer.group(0).encode() in body, r.stdout[:300]

        res.check('pdfsig: valid, whole document, ECDSA, in the organisation\'s name',
                  pdfsig_says_valid_over_the_whole_file)
        res.check('qpdf --check: the incremental update and the signature field',
                  qpdf_checks_the_update)
        res.check('openssl cms: the signature over the byte range, signing time, ESS',
                  openssl_verifies_the_cms_over_the_byte_range)
        res.check('changed bytes, an appended update and a re-saved copy fail',
                  changed_appended_and_resaved_copies_fail)
        res.check('the published certificate is the one that signed',
                  published_certificate_is_the_signer)

        def timestamp_from_a_local_server_when_configured():
            # Off by default: the first certificate carries no token.
            assert bytes.fromhex('2a864886f70d010910020e').hex().encode() not in raw
            tsa_dir = os.path.join(tmp, 'tsa')
            os.makedirs(tsa_dir)
            url, seen, server = local_tsa(tsa_dir)
            try:
                register(data, 'ana@example.org', 'Ana', 'Sello', 'techplomacy')
                sql(data, "INSERT INTO eligibility_grant (enrolment_id, reason, granted_by,"
                    " granted_at) SELECT en.id, 'test', 'test', 'x' FROM enrolment en JOIN"
                    " application a ON a.id = en.application_id WHERE a.email = 'ana@example.org'")
                env = dict(aula.env, AULA_TIMESTAMP_URL=url)
                r = subprocess.run([aula.binary, 'certificates', 'issue', '--data', data, '--event',
                                    'sela-2022', '--course', 'techplomacy'], capture_output=True,
                                   text=True, timeout=120, env=env)
                assert r.returncode == 0, r.stdout + r.stderr
            finally:
                server.shutdown()
            assert len(seen) == 1 and seen[0][0] == 'application/timestamp-query', seen
            number2 = sql(data, "SELECT c.number FROM certificate c JOIN enrolment en ON"
                          " en.id = c.enrolment_id JOIN application a ON a.id = en.application_id"
                          " WHERE a.email = 'ana@example.org'")[0][0]
            pdf2 = os.path.join(data, 'certificates', number2 + '.pdf')
            raw2 = open(pdf2, 'rb').read()
            ok, out = pdfsig_valid(pdf2)
            assert ok, out
            a, b, c, d = byte_range(raw2)
            der = bytes.fromhex(raw2[b + 1:c - 1].decode()).rstrip(b'\0')
            sig = os.path.join(tmp, 'sig3.der')
            open(sig, 'wb').write(der)
            r = subprocess.run(['openssl', 'cms', '-cmsout', '-print', '-inform', 'DER', '-in', sig],
                               capture_output=True, text=True)
            assert 'id-smime-aa-timeStampToken' in r.stdout, r.stdout[-600:]
            assert 'Test TSA' in r.stdout, r.stdout[-600:]
            r = aula.run('verify', '--data', data, pdf2)
            assert r.returncode == 0 and 'VALID:' in r.stdout, r.stdout

        res.check('an RFC 3161 timestamp from a local openssl ts server, only when configured',
                  timestamp_from_a_local_server_when_configured)
    shutil.rmtree(tmp, ignore_errors=True)
    res.finish()


main()
