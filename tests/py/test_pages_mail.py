# SPDX-License-Identifier: AGPL-3.0-or-later
"""Mail that looks like the institution: the sender's name is the
organisation's (in the recipient's language) at the configured address, the
acknowledgement repeats the email and the courses, a candidate accepted to two
courses gets one message naming both, and Spanish words agree with the gender
the applicant gave ("aceptada")."""
import email
import email.header
import email.policy
import email.utils
import os
import re
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aula_server import AulaServer, Browser, Results, sql  # noqa: E402
from smtp_sink import SmtpSink  # noqa: E402

ORG_ES = 'Sistema Económico Latinoamericano y del Caribe'
ORG_EN = 'Latin American and Caribbean Economic System'


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def sender(msg):
    """The From header's name and address, decoded as RFC 2047 says: the
    whitespace between two encoded-words is dropped (Python's newer parser
    keeps it, which a long, folded name shows)."""
    raw = dict(msg.raw_items())['From']
    header = str(email.header.make_header(email.header.decode_header(raw)))
    return email.utils.parseaddr(header)


def messages_to(sink, addr, pattern, n=1, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = []
        for env, raw in sink.messages():
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            if addr in env['rcpt_tos'] and re.search(pattern, str(msg['Subject'])):
                found.append(msg)
        if len(found) >= n:
            return found
        time.sleep(0.1)
    raise AssertionError('no message to %s with subject %r' % (addr, pattern))


def main():
    res = Results()
    tmp = tempfile.mkdtemp(prefix='aula-pages-mail-')
    port = free_port()
    env = {'AULA_SMTP_URL': 'smtp://127.0.0.1:%d' % port,
           'AULA_MAIL_FROM': 'aula@sela.example',  # an address without a name
           'AULA_MAIL_RETRY_BASE': '1', 'AULA_MAIL_RETRY_MAX': '2'}
    sinkdir = os.path.join(tmp, 'sink')
    os.makedirs(sinkdir)
    with SmtpSink(sinkdir, port=port) as sink, AulaServer(env=env) as aula:
        admin = Browser(aula.origin).login('admin@example.org', 'admin-password-1')
        ana = Browser(aula.origin)
        assert ana.apply('sela-2022', 'ana@example.org', 'Ana', 'Quispe',
                         ['cyberdiplomacy', 'techplomacy']) == 303
        bob = Browser(aula.origin)
        assert bob.apply('sela-2022', 'bob@example.org', 'Bob', 'Smith', ['techplomacy'],
                         language='en') == 303

        def sender_is_the_organisation():
            msg = messages_to(sink, 'ana@example.org', 'Hemos recibido su postulación')[0]
            assert sender(msg) == (ORG_ES, 'aula@sela.example'), sender(msg)
            msg = messages_to(sink, 'bob@example.org', 'We have received your application')[0]
            assert sender(msg) == (ORG_EN, 'aula@sela.example'), sender(msg)

        def acknowledgement_repeats_email_and_courses():
            msg = messages_to(sink, 'ana@example.org', 'Hemos recibido su postulación')[0]
            text = msg.get_body(('plain',)).get_content()
            assert 'ana@example.org' in text, text
            assert 'Curso de especialización en Ciberdiplomacia' in text, text
            assert 'Curso de especialización en Tecnodiplomacia' in text, text
            assert 'enlace personal' in text, text  # what happens next

        def one_acceptance_naming_both_courses():
            ids = [r[0] for r in sql(aula.data,
                   "SELECT en.id FROM enrolment en JOIN application a ON a.id = en.application_id"
                   " WHERE a.email = 'ana@example.org' ORDER BY en.id")]
            assert len(ids) == 2, ids
            status, _, _ = admin.post_confirmed('/admin/events/sela-2022/applications',
                                      [('enrolment', i) for i in ids] +
                                      [('decision', 'accepted'), ('message', '')])
            assert status == 303, status
            msg = messages_to(sink, 'ana@example.org', 'Ha sido aceptada')[0]
            time.sleep(1.5)  # a second message, if any, would have arrived
            n = sql(aula.data, "SELECT count(*) FROM outbox WHERE to_addr = 'ana@example.org'"
                    " AND kind = 'decision.accepted'")[0][0]
            assert n == 1, '%d acceptance messages' % n
            text = msg.get_body(('plain',)).get_content()
            assert 'Curso de especialización en Ciberdiplomacia' in text, text
            assert 'Curso de especialización en Tecnodiplomacia' in text, text
            assert 'ha sido aceptada en los siguientes cursos' in text, text
            assert 'aceptado/a' not in text and 'aceptado/a' not in str(msg['Subject']), text

        def a_man_is_aceptado():
            sql(aula.data, "UPDATE application SET gender = 'male', language = 'es'"
                " WHERE email = 'bob@example.org'")
            en = sql(aula.data, "SELECT en.id FROM enrolment en JOIN application a"
                     " ON a.id = en.application_id WHERE a.email = 'bob@example.org'")[0][0]
            status, _, _ = admin.post_confirmed('/admin/events/sela-2022/applications',
                                      {'enrolment': en, 'decision': 'accepted', 'message': ''})
            assert status == 303, status
            msg = messages_to(sink, 'bob@example.org', 'Ha sido aceptado:')[0]
            text = msg.get_body(('plain',)).get_content()
            assert 'ha sido aceptado en el Curso de especialización en Tecnodiplomacia' in text, text

        res.check('the sender is the organisation, at the configured address',
                  sender_is_the_organisation)
        res.check('the acknowledgement repeats the email, the courses and what is next',
                  acknowledgement_repeats_email_and_courses)
        res.check('accepted to two courses: one message naming both, "aceptada"',
                  one_acceptance_naming_both_courses)
        res.check('a man is "aceptado"', a_man_is_aceptado)
    res.finish()


if __name__ == '__main__':
    main()
