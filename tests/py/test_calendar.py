# SPDX-License-Identifier: AGPL-3.0-or-later
"""The calendar feeds load in a standard iCalendar parser (python3-icalendar)
and place each session at the right instant."""
import datetime
import sys
import os

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aula_server import AulaServer, Results  # noqa: E402

import icalendar  # noqa: E402

UTC = datetime.timezone.utc


def events(cal):
    return sorted((c for c in cal.walk('VEVENT')), key=lambda e: e.decoded('DTSTART'))


def main():
    res = Results()
    with AulaServer() as aula:
        status, headers, body = aula.get('/events/sela-2022/calendar.ics')
        cal = icalendar.Calendar.from_ical(body)
        evs = events(cal)

        def first_session_at_nine_caracas():
            start = evs[0].decoded('DTSTART')
            assert start.tzinfo is not None, 'DTSTART must carry a zone'
            assert start.astimezone(UTC) == datetime.datetime(2022, 3, 21, 13, 0, tzinfo=UTC), start
            assert str(evs[0]['DTSTART'].params.get('TZID')) == 'America/Caracas'
            assert 'Welcome session' in str(evs[0]['SUMMARY']) or 'bienvenida' in str(evs[0]['SUMMARY'])

        def every_block_is_an_event():
            # Cyberdiplomacy: 2 blocks on day 1, 1 on day 2; Techplomacy: 1 + 1.
            assert len(evs) == 5, len(evs)
            last = evs[-1]
            assert last.decoded('DTEND').astimezone(UTC) == datetime.datetime(2022, 3, 24, 17, 0, tzinfo=UTC)

        def uids_are_stable_and_unique():
            uids = [str(e['UID']) for e in evs]
            assert len(set(uids)) == len(uids)
            _, _, again = aula.get('/events/sela-2022/calendar.ics')
            uids2 = [str(e['UID']) for e in events(icalendar.Calendar.from_ical(again))]
            assert uids == uids2

        def timezone_is_caracas_minus_four():
            tzs = list(cal.walk('VTIMEZONE'))
            assert len(tzs) == 1 and str(tzs[0]['TZID']) == 'America/Caracas'
            std = tzs[0].walk('STANDARD')[0]
            assert std.decoded('TZOFFSETTO') == datetime.timedelta(hours=-4)

        def english_course_feed():
            _, _, b = aula.get('/events/sela-2022/courses/techplomacy/calendar.ics?lang=en')
            c = icalendar.Calendar.from_ical(b)
            es = events(c)
            assert len(es) == 2
            assert 'Technology and geopolitics' in str(es[0]['SUMMARY'])
            assert 'Hegemony in international industrial standards' in str(es[0]['DESCRIPTION'])
            assert es[0].decoded('DTSTART').astimezone(UTC) == datetime.datetime(2022, 3, 23, 13, 0, tzinfo=UTC)

        def content_type_and_methods():
            assert headers.get('Content-Type', '').startswith('text/calendar')
            assert str(cal['METHOD']) == 'PUBLISH'
            assert all('DTSTAMP' in e for e in evs)

        res.check('first session at 09:00 Caracas (13:00 UTC)', first_session_at_nine_caracas)
        res.check('one event per time block', every_block_is_an_event)
        res.check('stable, unique UIDs', uids_are_stable_and_unique)
        res.check('VTIMEZONE America/Caracas UTC-4', timezone_is_caracas_minus_four)
        res.check('course feed in English', english_course_feed)
        res.check('content type, METHOD, DTSTAMP', content_type_and_methods)
    res.finish()


main()
