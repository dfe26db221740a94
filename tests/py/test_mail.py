# SPDX-License-Identifier: AGPL-3.0-or-later
"""Mail end to end: Aula delivers to a real SMTP server on loopback
(aiosmtpd), messages parse as MIME with accented names intact, invitations
carry calendar requests that python3-icalendar reads, schedule changes send
updates, and neither an SMTP outage nor kill -9 loses or floods messages."""
import collections
import datetime
import email
import email.policy
import os
import re
import signal
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aula_server import AulaServer, Browser, Results, sql  # noqa: E402
from smtp_sink import SmtpSink  # noqa: E402

import icalendar  # noqa: E402

UTC = datetime.timezone.utc
WORKERS = 2


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def parse(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


def by_subject(sink, pattern, n=1, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [(env, parse(raw)) for env, raw in sink.messages()
                 if re.search(pattern, str(parse(raw)['Subject']))]
        if len(found) >= n:
            return found
        time.sleep(0.1)
    raise AssertionError('no message with subject %r' % pattern)


def wait_for(fn, timeout=30, what='condition', interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if fn():
            return
        time.sleep(interval)
    raise AssertionError('timed out waiting for ' + what)


def add_registered(data, n, course='cyberdiplomacy', prefix='p'):
    """n registered participants of course, written straight to the database."""
    now = '2026-01-01T00:00:00Z'
    eid = sql(data, "SELECT id FROM edition WHERE slug = 'sela-2022'")[0][0]
    cid = sql(data, "SELECT id FROM course WHERE slug = ?", (course,))[0][0]
    import sqlite3
    con = sqlite3.connect(os.path.join(data, 'aula.db'), timeout=10)
    for i in range(n):
        addr = '%s%04d@example.org' % (prefix, i)
        acc = con.execute("INSERT INTO account (email, role, created_at) VALUES (?, 'participant', ?)"
                          " RETURNING id", (addr, now)).fetchone()[0]
        app = con.execute(
            "INSERT INTO application (edition_id, account_id, email, form_of_address, given_names,"
            " family_names, gender, country, institution_type, institution, position, language,"
            " consent_at, submission_key, created_at, time_zone, registered_at)"
            " VALUES (?, ?, ?, 'ms', 'Ñandú', ?, 'female', 'VE', 'academia', 'U', 'P', 'es', ?, ?, ?,"
            " 'America/Bogota', ?) RETURNING id",
            (eid, acc, addr, 'Participante %d' % i, now, 'k-' + addr, now, now)).fetchone()[0]
        con.execute("INSERT INTO enrolment (application_id, course_id, status, status_at)"
                    " VALUES (?, ?, 'registered', ?)", (app, cid, now))
    con.commit()
    con.close()


def send_invitations(admin, course):
    status, headers, _ = admin.post_confirmed('/admin/events/sela-2022/courses/%s/invitations' % course, {})
    assert status == 303, status
    return headers['Location']


def main():
    res = Results()
    tmp = tempfile.mkdtemp(prefix='aula-mail-')
    port = free_port()
    env = {'AULA_SMTP_URL': 'smtp://127.0.0.1:%d' % port,
           'AULA_MAIL_FROM': 'Secretaría Permanente del SELA <aula@sela.example>',
           'AULA_MAIL_RETRY_BASE': '1', 'AULA_MAIL_RETRY_MAX': '2',
           'AULA_MAIL_WORKERS': str(WORKERS)}
    sinkdir = os.path.join(tmp, 'sink')
    os.makedirs(sinkdir)
    with SmtpSink(sinkdir, refuse=['nobody@example.org'], port=port) as sink, \
            AulaServer(env=env) as aula:
        admin = Browser(aula.origin).login('admin@example.org', 'admin-password-1')
        person = Browser(aula.origin)
        assert person.apply('sela-2022', 'jose@example.org', 'José', 'Pérez Ñúñez',
                            ['cyberdiplomacy']) == 303

        def received_message_is_sound_mime():
            env_, msg = by_subject(sink, 'Hemos recibido su postulación')[0]
            assert env_['rcpt_tos'] == ['jose@example.org']
            assert msg['To'].addresses[0].display_name == 'José Pérez Ñúñez'
            assert msg['From'].addresses[0].display_name == 'Secretaría Permanente del SELA'
            assert msg['Reply-To'].addresses[0].addr_spec == 'sduran@sela.org'
            assert msg['Message-ID'] and msg['Date']
            assert not msg.defects
            text = msg.get_body(('plain',)).get_content()
            html = msg.get_body(('html',)).get_content()
            assert 'Embajadora José Pérez Ñúñez' in text
            assert 'Ciberdiplomacia' in html
            raw = sink.messages()[0][1]
            assert all(len(line) <= 998 for line in raw.split(b'\r\n'))

        def acceptance_carries_the_registration_link():
            app = sql(aula.data, "SELECT id FROM application WHERE email = 'jose@example.org'")[0][0]
            en = sql(aula.data, "SELECT id FROM enrolment WHERE application_id = ?", (app,))[0][0]
            status, _, _ = admin.post_confirmed('/admin/events/sela-2022/applications',
                                                {'enrolment': en, 'decision': 'accepted',
                                                 'message': ''})
            assert status == 303, status
            _, msg = by_subject(sink, 'Ha sido aceptad[oa]')[0]
            assert '/me/applications/%d/register' % app in msg.get_body(('plain',)).get_content()

        def invitation_has_a_calendar_request():
            # Register through the emailed sign-in link, then invite.
            person.post('/login', {'email': 'jose@example.org', 'password': ''})
            _, msg = by_subject(sink, 'iniciar sesión')[0]
            link = re.search(r'(/login/\S+)', msg.get_body(('plain',)).get_content()).group(1)
            status, headers = person.use_signin_link(link)
            assert status == 303 and headers.get('Location') == '/me', headers
            app = sql(aula.data, "SELECT id FROM application WHERE email = 'jose@example.org'")[0][0]
            en = sql(aula.data, "SELECT id FROM enrolment WHERE application_id = ?", (app,))[0][0]
            status, _, page = person.post('/me/applications/%d/register' % app,
                                          [('confirm', en), ('city', 'Caracas'),
                                           ('time_zone', 'America/Caracas')])
            assert status == 303, (status, page[:300])
            progress = send_invitations(admin, 'cyberdiplomacy')
            _, inv = by_subject(sink, 'Invitación')[0]
            # The bulk sending's progress page, and its JSON for the progress bar.
            status, _, page = admin.request('GET', progress)
            assert status == 200 and '<progress' in page, status
            import json
            wait_for(lambda: json.loads(admin.request('GET', progress + '?format=json')[2])['finished'],
                     what='batch finished')
            p = json.loads(admin.request('GET', progress + '?format=json')[2])
            assert p['total'] == 1 and p['sent'] == 1 and p['percent'] == 100, p
            assert inv.get_content_type() == 'multipart/mixed'
            parts = [p for p in inv.walk() if p.get_content_type() == 'text/calendar']
            assert len(parts) == 2, len(parts)
            assert parts[0].get_param('method') == 'REQUEST'
            cal = icalendar.Calendar.from_ical(parts[0].get_content())
            assert str(cal['METHOD']) == 'REQUEST'
            ev = cal.walk('VEVENT')[0]
            start = ev.decoded('DTSTART')
            assert start.astimezone(UTC) == datetime.datetime(2022, 3, 21, 13, 0, tzinfo=UTC), start
            assert str(ev['DTSTART'].params['TZID']) == 'America/Caracas'
            assert ev.decoded('DTEND').astimezone(UTC) == datetime.datetime(2022, 3, 21, 17, 0, tzinfo=UTC)
            assert ev['RRULE']['COUNT'] == [2]
            assert str(ev['ATTENDEE']) == 'mailto:jose@example.org'
            assert 'sduran@sela.org' in str(ev['ORGANIZER'])
            assert int(ev['SEQUENCE']) == 0
            invitation_has_a_calendar_request.uid = str(ev['UID'])

        def schedule_change_sends_an_update():
            block = sql(aula.data,
                        "SELECT b.id FROM time_block b JOIN course_day d ON d.id = b.day_id"
                        " JOIN course c ON c.id = d.course_id WHERE c.slug = 'cyberdiplomacy'"
                        " ORDER BY d.day, b.start_local LIMIT 1")[0][0]
            status, _, page = admin.post('/admin/block/%d/edit' % block,
                                         {'start_local': '08:30', 'end_local': '09:15'})
            assert status == 303, (status, page[:400])
            # The edition's page says the invitations are out of date; the
            # updates go out from a preview, once confirmed.
            _, _, page = admin.request('GET', '/admin/events/sela-2022')
            assert '/admin/events/sela-2022/invitation-updates' in page
            time.sleep(1.5)
            assert not [1 for _, raw in sink.messages() if 'Cambio de horario' in
                        str(parse(raw)['Subject'])], 'an update went out unconfirmed'
            status, _, page = admin.request('GET', '/admin/events/sela-2022/invitation-updates')
            assert status == 200 and 'Cambio de horario' in page, status
            status, headers, _ = admin.post_confirmed('/admin/events/sela-2022/invitation-updates', {})
            assert status == 303 and '/admin/batches/' in headers['Location'], status
            _, upd = by_subject(sink, 'Cambio de horario')[0]
            cal = icalendar.Calendar.from_ical(
                [p for p in upd.walk() if p.get_content_type() == 'text/calendar'][0].get_content())
            ev = cal.walk('VEVENT')[0]
            assert str(ev['UID']) == invitation_has_a_calendar_request.uid
            assert int(ev['SEQUENCE']) == 1
            assert ev.decoded('DTSTART').astimezone(UTC) == datetime.datetime(2022, 3, 21, 12, 30, tzinfo=UTC)
            # Sent once, not again on an unrelated change.
            admin.post('/admin/block/%d/edit' % block, {'start_local': '08:30', 'end_local': '09:15'})
            status, _, page = admin.post_confirmed('/admin/events/sela-2022/invitation-updates', {})
            assert status == 200 and 'No hay invitaciones que actualizar' in page, status
            time.sleep(1.5)
            assert len(by_subject(sink, 'Cambio de horario')) == 1

        def refused_address_is_failed_with_reply():
            assert Browser(aula.origin).apply('sela-2022', 'nobody@example.org', 'No', 'Body',
                                              ['techplomacy']) == 303
            wait_for(lambda: sql(aula.data, "SELECT status FROM outbox WHERE to_addr ="
                                 " 'nobody@example.org'")[0][0] == 'failed', what='failure')
            err = sql(aula.data, "SELECT last_error FROM outbox WHERE to_addr = 'nobody@example.org'")[0][0]
            assert '550' in err, err
            # The console shows it with a resend button.
            _, _, page = admin.request('GET', '/admin/outbox')
            assert 'nobody@example.org' in page and 'action="/admin/outbox/resend"' in page

        res.check('application received: MIME, accents, Reply-To, HTML', received_message_is_sound_mime)
        res.check('acceptance carries the registration link', acceptance_carries_the_registration_link)
        res.check('invitation with calendar request (icalendar)', invitation_has_a_calendar_request)
        res.check('schedule change: same UID, SEQUENCE 1, once', schedule_change_sends_an_update)
        res.check('refused address: failed with the 550 reply', refused_address_is_failed_with_reply)

        def smtp_outage_loses_nothing():
            add_registered(aula.data, 30, course='techplomacy', prefix='outage')
            sink.__exit__(None, None, None)          # the SMTP server goes down
            send_invitations(admin, 'techplomacy')
            wait_for(lambda: sql(aula.data, "SELECT count(*) FROM outbox WHERE to_addr LIKE"
                                 " 'outage%' AND attempts >= 2")[0][0] >= 5, what='retries')
            assert sql(aula.data, "SELECT count(*) FROM outbox WHERE to_addr LIKE 'outage%'"
                       " AND status = 'failed'")[0][0] == 0
            sink.__enter__()                           # and comes back
            wait_for(lambda: sql(aula.data, "SELECT count(*) FROM outbox WHERE to_addr LIKE"
                                 " 'outage%' AND status = 'sent'")[0][0] == 30, timeout=60,
                     what='delivery after the outage')
            got = collections.Counter(env_['rcpt_tos'][0] for env_, _ in sink.messages()
                                      if env_['rcpt_tos'][0].startswith('outage'))
            assert len(got) == 30 and set(got.values()) == {1}, got

        res.check('SMTP down mid-batch, then back: every message once', smtp_outage_loses_nothing)

    # kill -9 during a bulk sending of 500 invitations.
    def kill9_mid_bulk_loses_nothing():
        port2 = free_port()
        env2 = dict(env, AULA_SMTP_URL='smtp://127.0.0.1:%d' % port2)
        sink2dir = os.path.join(tmp, 'sink2')
        os.makedirs(sink2dir)
        data = tempfile.mkdtemp(prefix='aula-kill-')
        with SmtpSink(sink2dir, port=port2) as sink2:
            aula2 = AulaServer(env=env2, data=data).__enter__()
            add_registered(data, 500, prefix='bulk')
            admin2 = Browser(aula2.origin).login('admin@example.org', 'admin-password-1')
            send_invitations(admin2, 'cyberdiplomacy')
            wait_for(lambda: len(sink2.messages()) >= 40, timeout=60, what='first deliveries',
                     interval=0.01)
            aula2.stop(signal.SIGKILL)
            before = len(sink2.messages())
            assert before < 500, 'everything was sent before the kill; the test proves nothing'
            aula2.start()
            wait_for(lambda: sql(data, "SELECT count(*) FROM outbox WHERE status IN"
                                 " ('queued', 'sending')")[0][0] == 0, timeout=120, what='drain')
            got = collections.Counter(env_['rcpt_tos'][0] for env_, _ in sink2.messages())
            aula2.__exit__(None, None, None)
        import shutil
        shutil.rmtree(data, ignore_errors=True)
        assert len(got) == 500, len(got)
        dupes = sum(v - 1 for v in got.values())
        print('   kill -9 after %d of 500 delivered; duplicates: %d (workers: %d)' % (before, dupes, WORKERS))
        assert dupes <= WORKERS, dupes

    res.check('kill -9 during a 500-message bulk send', kill9_mid_bulk_loses_nothing)
    import shutil
    shutil.rmtree(tmp, ignore_errors=True)
    res.finish()


if __name__ == "__main__":
    main()
