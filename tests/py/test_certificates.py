# SPDX-License-Identifier: AGPL-3.0-or-later
"""Certificates end to end: issued for the demo edition, checked with
independent tools (poppler's pdftotext, qpdf, zbarimg, python3-jwcrypto),
tampering detected offline, revocation and reissue visible to anyone."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aula_server import ROOT, AulaServer, Browser, Results, mail_link, sql  # noqa: E402

NAME_GIVEN = 'María José'
NAME_FAMILY = 'Núñez de la Concepción Pérez-Rodríguez'


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
    return sql(data, "SELECT en.id FROM enrolment en JOIN application a ON a.id = en.application_id"
               " WHERE a.email = ?", (email,))[0][0]


def main():
    res = Results()
    out_dir = os.path.join(ROOT, 'test-output')
    os.makedirs(out_dir, exist_ok=True)
    with AulaServer() as aula:
        data = aula.data
        en = register(data, 'maria@example.org', NAME_GIVEN, NAME_FAMILY, 'cyberdiplomacy')
        register(data, 'absent@example.org', 'Ausente', 'Sin Asistencia', 'cyberdiplomacy')
        admin = Browser(aula.origin).login('admin@example.org', 'admin-password-1')
        # Full attendance on both days, from Zoom reports.
        tmp = tempfile.mkdtemp(prefix='aula-cert-')
        for day in ('21', '22'):
            path = os.path.join(tmp, 'day%s.csv' % day)
            with open(path, 'w') as f:
                f.write('Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n')
                f.write('María,maria@example.org,03/%s/2022 08:55:00 AM,03/%s/2022 01:05:00 PM,250,No\n'
                        % (day, day))
            r = aula.run('attendance', 'import', '--data', data, '--event', 'sela-2022', '--course',
                         'cyberdiplomacy', '--date', '2022-03-%s' % day, path)
            assert r.returncode == 0, r.stderr
        state = {}

        def ineligible_is_refused_with_the_reason():
            absent = sql(data, "SELECT en.id FROM enrolment en JOIN application a ON"
                         " a.id = en.application_id WHERE a.email = 'absent@example.org'")[0][0]
            status, _, page = admin.post_confirmed('/admin/events/sela-2022/certificates/issue',
                                                   {'course': 'cyberdiplomacy', 'enrolment': absent})
            assert status == 409, status
            assert 'No cumple la regla de asistencia' in page
            assert sql(data, "SELECT count(*) FROM certificate")[0][0] == 0

        def bulk_issue_from_the_console():
            status, headers, _ = admin.post_confirmed('/admin/events/sela-2022/certificates/issue',
                                                      {'course': 'cyberdiplomacy'})
            assert status == 303, status
            assert '/admin/batches/' in headers['Location']
            rows = sql(data, "SELECT number FROM certificate WHERE enrolment_id = ?", (en,))
            assert len(rows) == 1
            state['number'] = rows[0][0]
            # The sequence, then 8 symbols of Crockford's base32 (40 random bits).
            assert re.fullmatch(r'SELA-2022-CYB-\d{4}-[0-9A-HJKMNP-TV-Z]{8}', state['number'])
            # Emailed with the PDF attached.
            att = sql(data, "SELECT attachment_name FROM outbox WHERE kind = 'certificate'")
            assert att == [(state['number'] + '.pdf',)], att

        def pdf_has_name_course_hours_and_is_sound():
            path = os.path.join(data, 'certificates', state['number'] + '.pdf')
            state['pdf'] = path
            text = subprocess.run(['pdftotext', path, '-'], capture_output=True, text=True).stdout
            flat = ' '.join(text.split())
            assert NAME_GIVEN + ' ' + NAME_FAMILY in flat, flat[:400]
            assert 'Curso de especialización en Ciberdiplomacia' in flat
            assert 'Specialisation course on Cyberdiplomacy' in flat
            assert '8 horas' in flat and '8 hours' in flat
            check = subprocess.run(['qpdf', '--check', path], capture_output=True, text=True)
            assert check.returncode == 0, check.stdout
            png = os.path.join(out_dir, 'certificate')
            subprocess.run(['pdftoppm', '-r', '150', '-png', '-singlefile', path, png], check=True)
            qr = subprocess.run(['zbarimg', '-q', '--raw', png + '.png'], capture_output=True, text=True)
            assert qr.stdout.strip() == aula.origin.replace('127.0.0.1', 'localhost') + '/verify/' + state['number'], qr.stdout

        def offline_verify_and_tampering():
            ok = aula.run('verify', '--data', data, state['pdf'])
            assert ok.returncode == 0 and 'VALID' in ok.stdout, ok.stdout
            raw = open(state['pdf'], 'rb').read()
            m = re.search(rb'aula-facts:([A-Za-z0-9_-]+)', raw)
            assert m
            import base64
            facts = base64.urlsafe_b64decode(m.group(1) + b'=' * (-len(m.group(1)) % 4))
            forged = facts.replace('"hours":8'.encode(), '"hours":9'.encode())
            assert forged != facts
            enc = base64.urlsafe_b64encode(forged).rstrip(b'=')
            bad = os.path.join(tmp, 'forged.pdf')
            open(bad, 'wb').write(raw.replace(m.group(1), enc))
            r = aula.run('verify', '--data', data, bad)
            assert r.returncode == 1 and 'TAMPERED' in r.stdout, r.stdout
            # One changed byte of the embedded facts is enough.
            one = bytearray(raw)
            i = m.start(1) + 10
            one[i] = ord('A') if one[i] != ord('A') else ord('B')
            bad1 = os.path.join(tmp, 'onebyte.pdf')
            open(bad1, 'wb').write(bytes(one))
            r = aula.run('verify', '--data', data, bad1)
            assert r.returncode != 0, r.stdout

        def public_verification_page_and_json():
            anyone = Browser(aula.origin)
            status, _, page = anyone.request('GET', '/verify/' + state['number'])
            assert status == 200 and 'Certificado válido' in page and NAME_FAMILY in page
            status, _, page = anyone.request('GET', '/verify/' + state['number'] + '?lang=en')
            assert 'Valid certificate' in page
            status, _, body = anyone.request('GET', '/verify/' + state['number'] + '?format=json')
            j = json.loads(body)
            assert j['is_valid'] is True and j['facts']['hours'] == 8
            status, _, page = Browser(aula.origin).request('GET', '/verify/NOPE-0000')
            assert status == 404 and 'No existe ningún certificado' in page
            # The sequential part alone finds nothing and asks for the whole code.
            seq = state['number'].rsplit('-', 1)[0]
            status, _, page = Browser(aula.origin).request('GET', '/verify/' + seq)
            assert status == 404 and 'código completo' in page and NAME_FAMILY not in page

        def open_badge_verifies_with_jwcrypto():
            person = Browser(aula.origin)
            person.post('/login', {'email': 'maria@example.org', 'password': ''})
            link = mail_link(data, 'signin.link')
            assert person.use_signin_link(link)[0] == 303
            status, _, me = person.request('GET', '/me')
            assert state['number'] + '.pdf' in me
            status, _, token = person.request('GET', '/certificates/%s.jwt' % state['number'])
            assert status == 200, status
            status, _, keys = Browser(aula.origin).request('GET', '/.well-known/aula-keys.json')
            jwk_path = os.path.join(tmp, 'key.json')
            open(jwk_path, 'w').write(json.dumps(json.loads(keys)['keys'][0]))
            r = subprocess.run(['/usr/bin/python3', os.path.join(ROOT, 'tests/py/check_jwt.py'),
                                token.strip(), jwk_path], capture_output=True, text=True)
            assert r.returncode == 0, r.stdout + r.stderr
            # Someone else cannot download it.
            other = Browser(aula.origin)
            assert other.request('GET', '/certificates/%s.pdf' % state['number'])[0] == 303

        def reissue_supersedes_and_revocation_shows():
            sql(data, "UPDATE application SET family_names = 'Núñez Pérez' WHERE email ="
                " 'maria@example.org'")
            # A reissue emails the person: its preview is confirmed first.
            status, _, page = admin.post_confirmed('/admin/events/sela-2022/certificates/revoke',
                                                   {'number': state['number'], 'action': 'reissue',
                                                    'reason': ''})
            assert status == 303, (status, page[:300])
            new = sql(data, "SELECT number FROM certificate WHERE status = 'valid'")[0][0]
            assert new != state['number']
            status, _, page = Browser(aula.origin).request('GET', '/verify/' + state['number'])
            assert 'reemplazado' in page and new in page
            r = aula.run('verify', '--data', data, state['pdf'])
            assert r.returncode == 3 and 'REVOKED' in r.stdout, r.stdout
            status, _, _ = admin.post('/admin/events/sela-2022/certificates/revoke',
                                      {'number': new, 'action': 'revoke', 'reason': 'Issued in error'})
            assert status == 303
            status, _, page = Browser(aula.origin).request('GET', '/verify/' + new + '?lang=en')
            assert 'Certificate revoked on' in page and 'Issued in error' in page
            assert sql(data, "SELECT count(*) FROM audit_log WHERE action IN"
                       " ('certificate.issue', 'certificate.reissue', 'certificate.revoke')")[0][0] == 3

        def api_lists_certificates():
            token = aula.run('token', 'create', '--data', data, 'admin@example.org').stdout.strip()
            status, _, body = Browser(aula.origin).request(
                'GET', '/api/v1/events/sela-2022/certificates',
                headers={'Authorization': 'Bearer ' + token})
            assert status == 200
            certs = json.loads(body)
            assert {c['status'] for c in certs} == {'superseded', 'revoked'}, certs
            assert all(c['pdf_url'].endswith('.pdf') for c in certs)

        res.check('an ineligible participant is refused with the reason', ineligible_is_refused_with_the_reason)
        res.check('bulk issuance from the console, emailed with the PDF', bulk_issue_from_the_console)
        res.check('PDF: name with accents, course, hours; qpdf; QR decodes', pdf_has_name_course_hours_and_is_sound)
        res.check('aula verify: valid, and tampered facts fail', offline_verify_and_tampering)
        res.check('/verify in both languages and as JSON', public_verification_page_and_json)
        res.check('Open Badges VC-JWT verifies with jwcrypto', open_badge_verifies_with_jwcrypto)
        res.check('reissue supersedes, revocation is shown', reissue_supersedes_and_revocation_shows)
        res.check('API lists certificates', api_lists_certificates)
        shutil.rmtree(tmp, ignore_errors=True)
    res.finish()


main()
