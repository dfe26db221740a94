# SPDX-License-Identifier: AGPL-3.0-or-later
"""Evaluation invitations and reminders through the outbox and a real SMTP
server (aiosmtpd): the invitation when the questionnaire opens, reminders
only to those who have not answered, never to staff, at most twice, and
never twice for one offset, even across restarts."""
import datetime
import email
import email.policy
import os
import re
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aula_server import AulaServer, Browser, Results, sql  # noqa: E402
from test_mail import add_registered, free_port, wait_for  # noqa: E402
from smtp_sink import SmtpSink  # noqa: E402

VALID = {'q.objectives': '5', 'q.relevance': '4', 'q.material': '4', 'q.pace': '3',
         'q.organisation': '5', 'q.usefulness': '4', 'q.trainers.mario-torres-jarrin': '5',
         'q.trainers.shaun-riordan': '4', 'q.knowledge.before': '2', 'q.knowledge.after': '4',
         'q.apply': '4', 'q.recommend': '9', 'action': 'send'}


def iso(dt):
    return dt.strftime('%Y-%m-%dT%H:%M:%SZ')


def main():
    res = Results()
    tmp = tempfile.mkdtemp(prefix='aula-evrem-')
    port = free_port()
    env = {'AULA_SMTP_URL': 'smtp://127.0.0.1:%d' % port, 'AULA_REMINDER_TICK': '1',
           'AULA_MAIL_RETRY_BASE': '1'}
    data = os.path.join(tmp, 'data')
    os.makedirs(os.path.join(tmp, 'sink'), exist_ok=True)
    with SmtpSink(os.path.join(tmp, 'sink'), port=port) as sink:
        aula = AulaServer(env=env, data=data).__enter__()
        add_registered(data, 3, course='techplomacy', prefix='evr')
        # A trainer registered on the course as a participant: staff is never asked.
        add_registered(data, 1, course='techplomacy', prefix='staff')
        sql(data, "UPDATE account SET role = 'trainer' WHERE email LIKE 'staff%'")
        # The demo's evaluation opened in 2022, too long ago to invite anyone by
        # itself: make it open now.
        sql(data, "UPDATE questionnaire SET opens_at = ? WHERE course_id ="
                  " (SELECT id FROM course WHERE slug = 'techplomacy')",
            (iso(datetime.datetime.now(datetime.timezone.utc)),))

        def to(kind):
            return sorted(a for (a,) in sql(data, "SELECT to_addr FROM outbox WHERE kind = ?",
                                            (kind,)))

        def delivered(prefix, subject_part):
            out = []
            for env_, raw in sink.messages():
                m = email.message_from_bytes(raw, policy=email.policy.default)
                if env_['rcpt_tos'][0].startswith(prefix) and subject_part in m['subject']:
                    out.append((env_['rcpt_tos'][0], m))
            return out

        def invitations_when_open():
            # The evaluation is open: the invitations go out.
            wait_for(lambda: len(delivered('evr', 'opini')) >= 3, timeout=30,
                     what='three invitations')
            assert to('evaluation_invitation') == ['evr0000@example.org', 'evr0001@example.org',
                                                   'evr0002@example.org'], to('evaluation_invitation')
            assert not delivered('staff', ''), 'staff was invited'

        def one_answers_by_link():
            _, m = [x for x in delivered('evr0000', 'opini')][0]
            body = m.get_body(('plain',)).get_content()
            link = re.search(r'https?://\S+(/evaluation/\S+)', body).group(1)
            b = Browser(aula.origin)
            status, _, page = b.request('GET', link)
            assert status == 200 and 'q.objectives' in page, status
            status, _, page = b.post(link, VALID)
            assert status == 200 and 'eval-done' in page, status
            n = sql(data, "SELECT count(*) FROM evaluation_response")[0][0]
            assert n == 1, n

        def shift(days_open, last_days):
            """Moves the opening (and the last message) back in time."""
            now = datetime.datetime.now(datetime.timezone.utc)
            sql(data, "UPDATE questionnaire SET opens_at = ? WHERE course_id ="
                      " (SELECT id FROM course WHERE slug = 'techplomacy')",
                (iso(now - datetime.timedelta(days=days_open)),))
            sql(data, "UPDATE evaluation_mailing SET queued_at = ?",
                (iso(now - datetime.timedelta(days=last_days)),))

        def first_reminder_only_to_non_respondents():
            aula.stop()
            shift(3, 3)
            aula.start()
            wait_for(lambda: len(to('evaluation_reminder')) >= 2, timeout=30, what='reminders')
            time.sleep(2)
            assert to('evaluation_reminder') == ['evr0001@example.org', 'evr0002@example.org'], \
                to('evaluation_reminder')
            wait_for(lambda: len(delivered('evr', 'Recordatorio')) == 2, timeout=30,
                     what='reminders delivered')
            offsets = [o for (o,) in sql(data, "SELECT offset_days FROM evaluation_mailing"
                                               " WHERE offset_days <> 0 AND recipients > 0")]
            assert offsets == [2], offsets

        def never_twice_across_a_restart():
            for _ in range(2):
                aula.stop()
                aula.start()
                time.sleep(3)
            assert len(to('evaluation_reminder')) == 2, to('evaluation_reminder')

        def second_reminder_then_no_more():
            aula.stop()
            shift(8, 5)
            aula.start()
            wait_for(lambda: len(to('evaluation_reminder')) >= 4, timeout=30, what='second reminder')
            # A third reminder day is configured and due: two is the limit.
            aula.stop()
            sql(data, "UPDATE questionnaire SET reminder_days = '2,7,9'")
            shift(12, 3)
            aula.start()
            time.sleep(4)
            got = to('evaluation_reminder')
            assert got == ['evr0001@example.org'] * 2 + ['evr0002@example.org'] * 2, got
            assert not delivered('staff', ''), 'staff was reminded'
            assert not [a for a in got if a.startswith('evr0000')], 'a respondent was reminded'

        res.check('invitations when the questionnaire opens, never to staff', invitations_when_open)
        res.check('a participant answers from the emailed link', one_answers_by_link)
        res.check('the first reminder reaches only those who have not answered',
                  first_reminder_only_to_non_respondents)
        res.check('no reminder twice for one offset, even after restarts',
                  never_twice_across_a_restart)
        res.check('a second reminder, and never a third', second_reminder_then_no_more)
        aula.__exit__(None, None, None)
    shutil.rmtree(tmp, ignore_errors=True)
    res.finish()


main()
