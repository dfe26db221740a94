# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reminders go out before each course day at the edition's offsets, once:
a restart does not send them again."""
import datetime
import os
import sys
import tempfile
import time
import zoneinfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aula_server import AulaServer, Browser, Results, sql  # noqa: E402
from test_mail import add_registered, free_port, wait_for  # noqa: E402
from smtp_sink import SmtpSink  # noqa: E402


def main():
    res = Results()
    tmp = tempfile.mkdtemp(prefix='aula-remind-')
    port = free_port()
    env = {'AULA_SMTP_URL': 'smtp://127.0.0.1:%d' % port, 'AULA_REMINDER_TICK': '1',
           'AULA_MAIL_RETRY_BASE': '1'}
    data = os.path.join(tmp, 'data')
    with SmtpSink(os.path.join(tmp, 'sink'), port=port) as sink:
        os.makedirs(os.path.join(tmp, 'sink'), exist_ok=True)
        aula = AulaServer(env=env, data=data).__enter__()
        add_registered(data, 3, course='techplomacy', prefix='remind')
        admin = Browser(aula.origin).login('admin@example.org', 'admin-password-1')
        # Move the course's first day to start 30 minutes from now, Caracas time.
        caracas = zoneinfo.ZoneInfo('America/Caracas')
        start = (datetime.datetime.now(caracas) + datetime.timedelta(minutes=30)).replace(
            second=0, microsecond=0)
        if start.hour == 23 and start.minute > 50:  # keep a block inside one day
            start = start.replace(minute=50)
        end = min(start + datetime.timedelta(minutes=60), start.replace(hour=23, minute=59))
        day = sql(data, "SELECT d.id FROM course_day d JOIN course c ON c.id = d.course_id"
                  " WHERE c.slug = 'techplomacy' ORDER BY d.day LIMIT 1")[0][0]
        blocks = sql(data, "SELECT id FROM time_block WHERE day_id = ?", (day,))
        status, _, _ = admin.post('/admin/day/%d/edit' % day, {'day': start.strftime('%Y-%m-%d')})
        assert status == 303, status
        for (b,) in blocks:
            status, _, _ = admin.post('/admin/block/%d/edit' % b, {
                'start_local': start.strftime('%H:%M'),
                'end_local': end.strftime('%H:%M')})
            assert status == 303, status

        def reminders_sent_at_both_offsets():
            wait_for(lambda: len([m for m in sink.messages()
                                  if m[0]['rcpt_tos'][0].startswith('remind')]) >= 6,
                     timeout=30, what='reminders')
            kinds = sql(data, "SELECT to_addr, count(*) FROM outbox WHERE kind = 'reminder'"
                        " GROUP BY to_addr")
            assert len(kinds) == 3 and all(n == 2 for _, n in kinds), kinds
            offsets = sorted(o for (o,) in sql(data, "SELECT offset_minutes FROM reminder_sent"))
            assert offsets == [60, 1440], offsets

        def never_twice_across_a_restart():
            aula.stop()
            aula.start()
            time.sleep(4)
            n = sql(data, "SELECT count(*) FROM outbox WHERE kind = 'reminder'")[0][0]
            assert n == 6, n

        res.check('reminders 24 h and 1 h before the day', reminders_sent_at_both_offsets)
        res.check('no reminder twice, even after a restart', never_twice_across_a_restart)
        aula.__exit__(None, None, None)
    import shutil
    shutil.rmtree(tmp, ignore_errors=True)
    res.finish()


main()
