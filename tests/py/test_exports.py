# SPDX-License-Identifier: AGPL-3.0-or-later
"""The applications export (CSV and XLSX) opens right in a real spreadsheet
program: accented names come out intact and a name that looks like a formula
("=1+2") stays text instead of being computed.  The files are read twice:
with Python's own csv/zipfile parsers, and by LibreOffice Calc headless
(libreoffice-calc-nogui), which converts them to UTF-8 CSV the way Calc reads
them, formulas evaluated.  Without LibreOffice those two checks are skipped
(printed as skipped, not counted)."""
import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aula_server import AulaServer, Browser, Results  # noqa: E402

ADMIN_PASSWORD = 'admin-password-1'
XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
NS = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}

ACCENTED = {'email': 'maria.jose.nunez@cancilleria.example', 'given': 'María José',
            'family': 'Núñez Peña', 'institution': 'Cancillería de Perú', 'country': 'PE'}
FORMULA = {'email': 'formula@example.org', 'given': '=1+2', 'family': 'Cálculo Ibáñez',
           'institution': 'Ministerio de Economía, Finanzas y "Comercio"', 'country': 'CO'}


def apply(browser, person):
    """Submits the public application form as the person (one course)."""
    status, _, page = browser.request('GET', '/events/sela-2022/apply')
    assert status == 200, status
    m = re.search(r'name="submission" value="([^"]+)"', page)
    assert m, 'no application form'
    status, _, page = browser.post('/events/sela-2022/apply', [
        ('submission', m.group(1)), ('form_of_address', 'minister'),
        ('given_names', person['given']), ('family_names', person['family']),
        ('gender', 'female'), ('country', person['country']),
        ('institution_type', 'foreign_ministry'), ('institution', person['institution']),
        ('position', 'Ministra Consejera'), ('email', person['email']), ('language', 'es'),
        ('courses', 'cyberdiplomacy'), ('consent', '1')])
    assert status == 303, (status, page[:300])


def download(browser, path):
    """GET as the signed-in browser, keeping the body as bytes."""
    req = urllib.request.Request(browser.origin + path)
    try:
        with browser.opener.open(req, timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def table(rows):
    """Header row and the data rows as dicts keyed by the header."""
    header = rows[0]
    return header, [dict(zip(header, r)) for r in rows[1:] if any(r)]


def row_of(rows, email):
    found = [r for r in rows if r.get('Correo electrónico institucional') == email]
    assert len(found) == 1, 'rows for %s: %d of %d' % (email, len(found), len(rows))
    return found[0]


def check_people(rows, formula_cell_ok):
    a = row_of(rows, ACCENTED['email'])
    assert a['Nombres'] == 'María José', a['Nombres']
    assert a['Apellidos'] == 'Núñez Peña', a['Apellidos']
    assert a['Institución'] == 'Cancillería de Perú', a['Institución']
    assert a['País'] == 'Perú', a['País']
    f = row_of(rows, FORMULA['email'])
    assert f['Apellidos'] == FORMULA['family'], f['Apellidos']
    assert f['Institución'] == FORMULA['institution'], f['Institución']
    cell = f['Nombres']
    assert cell != '3', 'the given name "=1+2" was computed as a formula: %r' % cell
    assert formula_cell_ok(cell), 'given name "=1+2" came out as %r' % cell


def csv_text_cell(cell):
    # The CSV protects formula-like values with a leading apostrophe (the
    # usual defence); what matters is that "=1+2" is still there, as text.
    return cell in ('=1+2', "'=1+2")


class LibreOffice:
    """soffice --headless --convert-to csv, with its own throwaway profile."""

    def __init__(self, tmp):
        self.bin = shutil.which('soffice') or shutil.which('libreoffice')
        self.tmp = tmp
        self.profile = 'file://' + os.path.join(tmp, 'lo-profile')

    def to_csv(self, path, infilter=None):
        out = os.path.join(self.tmp, 'lo-out')
        os.makedirs(out, exist_ok=True)
        args = [self.bin, '--headless', '--norestore', '-env:UserInstallation=' + self.profile]
        if infilter:
            args.append('--infilter=' + infilter)
        # Comma, double quote, UTF-8 (76); formulas exported as their values.
        args += ['--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76', '--outdir', out, path]
        p = subprocess.run(args, capture_output=True, text=True, timeout=180,
                           env=dict(os.environ, HOME=self.tmp))
        result = os.path.join(out, os.path.splitext(os.path.basename(path))[0] + '.csv')
        assert p.returncode == 0 and os.path.exists(result), \
            'soffice failed (%d): %s %s' % (p.returncode, p.stdout[-500:], p.stderr[-500:])
        with open(result, 'rb') as fh:
            data = fh.read()
        os.remove(result)
        return list(csv.reader(io.StringIO(data.decode('utf-8'), newline='')))


def main():
    res = Results()
    skipped = []
    tmp = tempfile.mkdtemp(prefix='aula-exports-')
    lo = LibreOffice(tmp)
    with AulaServer() as aula:
        admin = Browser(aula.origin).login('admin@example.org', ADMIN_PASSWORD)
        files = {}

        def candidates_apply():
            apply(Browser(aula.origin), ACCENTED)
            apply(Browser(aula.origin), FORMULA)

        def csv_download():
            status, headers, body = download(admin, '/admin/events/sela-2022/applications.csv')
            assert status == 200, status
            assert headers.get('Content-Type') == 'text/csv; charset=utf-8', headers.get('Content-Type')
            assert 'attachment' in headers.get('Content-Disposition', ''), headers
            assert body.startswith(b'\xef\xbb\xbf'), 'no UTF-8 byte order mark: %r' % body[:10]
            text = body[3:].decode('utf-8')  # strict: fails on anything but UTF-8
            header, rows = table(list(csv.reader(io.StringIO(text, newline=''))))
            assert len(rows) == 2, rows
            check_people(rows, csv_text_cell)
            path = os.path.join(tmp, 'sela-2022-applications.csv')
            with open(path, 'wb') as fh:
                fh.write(body)
            files['csv'] = path

        def xlsx_download():
            status, headers, body = download(admin, '/admin/events/sela-2022/applications.xlsx')
            assert status == 200, status
            assert headers.get('Content-Type') == XLSX_TYPE, headers.get('Content-Type')
            path = os.path.join(tmp, 'sela-2022-applications.xlsx')
            with open(path, 'wb') as fh:
                fh.write(body)
            files['xlsx'] = path
            # Read the sheet's XML: every cell a string, none a formula.
            with zipfile.ZipFile(path) as z:
                assert z.testzip() is None
                shared = [''.join(t.text or '' for t in si.iter('{%s}t' % NS['m']))
                          for si in ET.fromstring(z.read('xl/sharedStrings.xml')).findall('m:si', NS)]
                sheet = ET.fromstring(z.read('xl/worksheets/sheet1.xml'))
            assert not sheet.findall('.//m:f', NS), 'the sheet contains formulas'
            rows = []
            for r in sheet.findall('.//m:sheetData/m:row', NS):
                cells = []
                for c in r.findall('m:c', NS):
                    assert c.get('t') in ('s', 'inlineStr', 'str'), \
                        'cell %s has type %r' % (c.get('r'), c.get('t'))
                    v = c.find('m:v', NS)
                    cells.append(shared[int(v.text)] if c.get('t') == 's' else
                                 ''.join(t.text or '' for t in c.iter('{%s}t' % NS['m'])))
                rows.append(cells)
            header, rows = table(rows)
            assert len(rows) == 2, rows
            check_people(rows, lambda cell: cell == '=1+2')

        def csv_in_libreoffice():
            assert 'csv' in files, 'no CSV download'
            # Comma, double quote, UTF-8, from line 1; quoted fields not forced
            # to text, special numbers detected, and formulas evaluated (token
            # 13): Calc reads it as a person opening the file would.
            infilter = 'Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1,true'
            header, rows = table(lo.to_csv(files['csv'], infilter))
            assert header[:3] == ['N.º', 'Curso', 'Estado'], header
            check_people(rows, csv_text_cell)

        def xlsx_in_libreoffice():
            assert 'xlsx' in files, 'no XLSX download'
            header, rows = table(lo.to_csv(files['xlsx']))
            assert header[:3] == ['N.º', 'Curso', 'Estado'], header
            check_people(rows, lambda cell: cell == '=1+2')

        res.check('two candidates apply: "María José Núñez Peña" and "=1+2"', candidates_apply)
        res.check('CSV: UTF-8 with BOM, accents intact, "=1+2" kept as text (Python csv)',
                  csv_download)
        res.check('XLSX: accents intact, every cell a string, no formula (zipfile + XML)',
                  xlsx_download)
        if lo.bin:
            res.check('CSV in LibreOffice Calc: accents intact, "=1+2" is text, not 3',
                      csv_in_libreoffice)
            res.check('XLSX in LibreOffice Calc: accents intact, "=1+2" is text, not 3',
                      xlsx_in_libreoffice)
        else:
            for name in ('CSV in LibreOffice Calc', 'XLSX in LibreOffice Calc'):
                skipped.append(name)
                print('skip  %s - LibreOffice (soffice) is not installed; install'
                      ' libreoffice-calc-nogui' % name)
    shutil.rmtree(tmp, ignore_errors=True)
    if skipped:
        print('%d skipped (not counted)' % len(skipped))
    res.finish()


if __name__ == '__main__':
    main()
