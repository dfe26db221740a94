# SPDX-License-Identifier: AGPL-3.0-or-later
"""Formula-safe CSV also in a Spanish-locale spreadsheet (issue #11, finding 9).

A spreadsheet whose list separator is ';' (Spanish locale) splits the
applications CSV at every ';', so a name like "x;=1000+337;y" would give a
cell "=1000+337" of its own, computed.  The export is opened by
LibreOffice Calc headless with ';' and with ',' as separator, formulas
evaluated, and no cell may come out computed (1337, 2468, 3579).  Without
LibreOffice the Calc checks are skipped (printed as skipped, not counted)."""
import os
import re
import shutil
import sys
import tempfile
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aula_server import AulaServer, Browser, Results  # noqa: E402
from test_exports import LibreOffice  # noqa: E402

ADMIN_PASSWORD = 'admin-password-1'
HOSTILE = [
    {'email': 'semi@example.org', 'given': 'x;=1000+337;y', 'family': 'Punto y coma',
     'institution': 'Ministerio;=2000+468', 'position': 'Jefa,=3000+579'},
    {'email': 'space@example.org', 'given': 'Ana; =1000+337', 'family': 'Con espacio',
     'institution': 'Cancillería; "=2000+468"', 'position': 'Asesora, @SUM(3000;579)'},
]
COMPUTED = ('1337', '2468', '3579')


def apply(browser, person):
    status, _, page = browser.request('GET', '/events/sela-2022/apply')
    assert status == 200, status
    m = re.search(r'name="submission" value="([^"]+)"', page)
    assert m, 'no application form'
    status, _, page = browser.post('/events/sela-2022/apply', [
        ('submission', m.group(1)), ('form_of_address', 'minister'),
        ('given_names', person['given']), ('family_names', person['family']),
        ('gender', 'female'), ('country', 'CL'), ('institution_type', 'foreign_ministry'),
        ('institution', person['institution']), ('position', person['position']),
        ('email', person['email']), ('language', 'es'), ('courses', 'cyberdiplomacy'),
        ('consent', '1')])
    assert status == 303, (status, page[:300])


def download(browser, path):
    req = urllib.request.Request(browser.origin + path)
    try:
        with browser.opener.open(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def pieces(text):
    """The raw CSV cut at ; , and line breaks, as a naive reader would."""
    return re.split(r'[;,\r\n]', text)


def main():
    res = Results()
    skipped = []
    tmp = tempfile.mkdtemp(prefix='aula-hostile-')
    lo = LibreOffice(tmp)
    with AulaServer() as aula:
        admin = Browser(aula.origin).login('admin@example.org', ADMIN_PASSWORD)
        files = {}

        def candidates_apply():
            for person in HOSTILE:
                apply(Browser(aula.origin), person)

        def raw_pieces_never_start_a_formula():
            status, body = download(admin, '/admin/events/sela-2022/applications.csv')
            assert status == 200, status
            path = os.path.join(tmp, 'applications.csv')
            with open(path, 'wb') as fh:
                fh.write(body)
            files['csv'] = path
            text = body.decode('utf-8-sig')
            for p in pieces(text):
                lead = p.lstrip(' "')
                assert not lead[:1] or lead[0] not in '=+-@\t', 'piece %r starts a formula' % p
            assert '1000+337' in text and '2000+468' in text, 'the values are gone'

        def calc_with(separator):
            def check():
                assert 'csv' in files, 'no CSV download'
                # Separator, double quote, UTF-8, from line 1, formulas evaluated.
                infilter = ('Text - txt - csv (StarCalc):%d,34,76,1,,0,false,true,false,'
                            'false,false,-1,true' % separator)
                rows = lo.to_csv(files['csv'], infilter)
                cells = [c for r in rows for c in r]
                # A computed value, or an error only a formula can give.
                computed = [c for c in cells if c.strip() in COMPUTED or
                            re.match(r'(Err:\d+|#[A-Z]+[?!/0]*)$', c.strip())]
                assert not computed, 'cells computed as formulas: %r' % computed
                assert any('1000+337' in c for c in cells), 'the name is gone: %r' % rows[:3]
            return check

        res.check('candidates with ";=", ", @" and quoted formulas in their names apply',
                  candidates_apply)
        res.check('CSV: no piece between ; , or line breaks starts a formula',
                  raw_pieces_never_start_a_formula)
        if lo.bin:
            res.check('Calc with ";" as separator (Spanish locale) computes nothing',
                      calc_with(59))
            res.check('Calc with "," as separator computes nothing', calc_with(44))
        else:
            for name in ('Calc with ";"', 'Calc with ","'):
                skipped.append(name)
                print('skip  %s - LibreOffice (soffice) is not installed; install'
                      ' libreoffice-calc-nogui' % name)
    shutil.rmtree(tmp, ignore_errors=True)
    if skipped:
        print('%d skipped (not counted)' % len(skipped))
    res.finish()


if __name__ == '__main__':
    main()
