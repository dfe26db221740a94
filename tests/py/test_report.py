# SPDX-License-Identifier: AGPL-3.0-or-later
"""The final report as documents, read by independent programs.  For the
scripted scenario (tests/fixtures/report/scenario.sql) `aula report` writes
the PDF in Spanish and in English: pdftotext finds in each the figures
computed by hand, qpdf --check passes, pdftoppm renders every page and no
word lies outside the page's text area.  The XLSX has every table and its
native charts, and LibreOffice opens it with the charts (converted headless
to ODS).  The standalone HTML has text alternatives for its charts."""
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aula_server import Results  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
AULA = os.path.abspath(os.environ.get('AULA_BIN', os.path.join(ROOT, 'build', 'aula')))
A4_W, MARGIN = 595.28, 56.0


def aula(data, *args):
    p = subprocess.run([AULA, *args[:1], '--data', data, *args[1:]], capture_output=True,
                       text=True, timeout=120)
    assert p.returncode == 0, (args, p.stdout, p.stderr)
    return p.stdout


def text_of(pdf):
    out = subprocess.run(['pdftotext', '-layout', pdf, '-'], capture_output=True, text=True,
                         check=True).stdout
    # One space between words: table columns become a row of values.
    return '\n'.join(re.sub(r'\s+', ' ', line).strip() for line in out.splitlines())


def pages_of(pdf):
    info = subprocess.run(['pdfinfo', pdf], capture_output=True, text=True, check=True).stdout
    return int(re.search(r'^Pages:\s+(\d+)', info, re.M).group(1))


# The same figures as tests/http/test_report.c, as each language prints them.
EXPECTED = {
    'en': ['Overall (people) 8 5 1 1 1 4 3 2 2 –',
           'Argentina Yes 1 1 1', 'Spain No 1 0 0', 'Trinidad and Tobago Yes 0 0 0',
           'Female 4 2 2 100.0', 'Not stated 1 0 0 0.0',
           '21 March 2022 240 3 190.0 79.2', 'Overall 4 2 1 1',
           'Registered completed the registration form',
           'Attended at least one minute in any session', 'No evaluation'],
    'es': ['Total (personas) 8 5 1 1 1 4 3 2 2 –',
           'Argentina Sí 1 1 1', 'España No 1 0 0', 'Trinidad y Tobago Sí 0 0 0',
           'Femenino 4 2 2 100,0', 'No indicado 1 0 0 0,0',
           '21 de marzo de 240 3 190,0 79,2', 'Total 4 2 1 1',
           'Inscritos completaron el formulario de inscripción',
           'Sin evaluación'],
}


def main():
    res = Results()
    tmp = tempfile.mkdtemp(prefix='aula-report-')
    data = os.path.join(tmp, 'data')
    aula(data, 'init')
    aula(data, 'import', os.path.join(ROOT, 'examples', 'sela-2022', 'programme.json'))
    db = sqlite3.connect(os.path.join(data, 'aula.db'))
    with open(os.path.join(ROOT, 'tests', 'fixtures', 'report', 'scenario.sql')) as fh:
        db.executescript(fh.read())
    db.commit()
    # Once the evaluation is in the tree every course has a questionnaire,
    # open in the demo edition: close them, so that the scenario's report
    # is final (nobody answered: the section shows a rate of 0).
    has_evaluation = db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'questionnaire'"
                                ).fetchone()[0] == 1
    if has_evaluation:
        db.execute("UPDATE questionnaire SET closes_at = '2022-04-30T00:00:00Z'")
        db.commit()
        for lang in EXPECTED:
            EXPECTED[lang] = [w for w in EXPECTED[lang] if 'valuation' not in w and 'evaluación' not in w]
    pdfs = {}
    for lang in ('es', 'en'):
        pdfs[lang] = os.path.join(tmp, 'report-%s.pdf' % lang)
        aula(data, 'report', '--event', 'sela-2022', '--lang', lang, '--format', 'pdf',
             '--participants', '-o', pdfs[lang])

    def figures_in(lang):
        def check():
            txt = text_of(pdfs[lang])
            for want in EXPECTED[lang]:
                # "answered the evaluation": a dash without an evaluation, 0 with one.
                if want.endswith(' –') and has_evaluation:
                    want = want[:-1] + '0'
                assert want in txt, (lang, want)
            assert 'PRELIMIN' not in txt, 'complete data, yet preliminary'
        return check

    for lang in ('es', 'en'):
        res.check('pdftotext finds the hand-computed figures (%s)' % lang, figures_in(lang))

    def protocol_order():
        # Registered participants by country in the document's language:
        # Argentina, Brazil, Mexico, Peru; nobody who was not registered.
        txt = text_of(pdfs['en'])
        annex = txt[txt.index('Annex: list of participants'):]
        pos = [annex.index(n) for n in ('Ana Álvarez', 'Bruno Barros', 'Marta Méndez', 'Pat Paredes')]
        assert pos == sorted(pos), pos
        assert 'Carlos Cruz' not in annex and 'Elena Esteban' not in annex
    res.check('the annex lists the registered participants in protocol order', protocol_order)

    def qpdf_check():
        for pdf in pdfs.values():
            p = subprocess.run(['qpdf', '--check', pdf], capture_output=True, text=True)
            assert p.returncode == 0, p.stdout[-500:]
    res.check('qpdf --check passes', qpdf_check)

    def every_page_renders():
        for lang, pdf in pdfs.items():
            n = pages_of(pdf)
            assert n >= 5, n
            prefix = os.path.join(tmp, 'page-' + lang)
            subprocess.run(['pdftoppm', '-r', '30', '-png', pdf, prefix], check=True, timeout=120)
            pngs = [f for f in os.listdir(tmp) if f.startswith('page-' + lang) and f.endswith('.png')]
            assert len(pngs) == n, (len(pngs), n)
            for f in pngs:
                assert os.path.getsize(os.path.join(tmp, f)) > 500
    res.check('pdftoppm renders every page', every_page_renders)

    def edges():
        # Right-to-left names, emoji, a 200-character institution, no
        # country: the document renders and no word leaves the text area.
        db.execute("UPDATE application SET given_names = 'محمد 🎓', family_names = 'עברית 😀',"
                   " institution = ? , country = '' WHERE email = 'br1@report.example'",
                   ('Instituto ' * 20,))
        db.commit()
        pdf = os.path.join(tmp, 'edges.pdf')
        aula(data, 'report', '--event', 'sela-2022', '--lang', 'es', '--format', 'pdf',
             '--participants', '-o', pdf)
        assert subprocess.run(['qpdf', '--check', pdf], capture_output=True).returncode == 0
        bbox = subprocess.run(['pdftotext', '-bbox', pdf, '-'], capture_output=True, text=True,
                              check=True).stdout
        xs = [float(m) for m in re.findall(r'xMax="([0-9.]+)"', bbox)]
        assert xs and max(xs) <= A4_W - MARGIN + 2, max(xs)
    res.check('edges: RTL, emoji, long institution stay inside the page', edges)

    def preliminary():
        # Without one day's attendance every page says so and the cover
        # says which is missing.
        db.execute("DELETE FROM attendance_import WHERE course_day_id ="
                   " (SELECT d.id FROM course_day d WHERE d.day = '2022-03-24')")
        db.commit()
        pdf = os.path.join(tmp, 'prelim.pdf')
        aula(data, 'report', '--event', 'sela-2022', '--lang', 'en', '--format', 'pdf', '-o', pdf)
        out = subprocess.run(['pdftotext', pdf, '-'], capture_output=True, text=True,
                             check=True).stdout
        pages = out.split('\f')
        pages = [p for p in pages if p.strip()]
        assert len(pages) == pages_of(pdf)
        assert all('PRELIMINARY' in p for p in pages)
        assert 'Attendance missing: Specialisation course on Techplomacy, 24 March 2022' in \
            re.sub(r'\s+', ' ', pages[0])
    res.check('preliminary on every page while attendance is missing', preliminary)

    xlsx = os.path.join(tmp, 'report.xlsx')
    aula(data, 'report', '--event', 'sela-2022', '--lang', 'en', '--format', 'xlsx', '-o', xlsx)

    def workbook():
        with zipfile.ZipFile(xlsx) as z:
            names = z.namelist()
            charts = [n for n in names if re.match(r'xl/charts/chart\d+\.xml$', n)]
            assert len(charts) >= 6, charts
            wb = z.read('xl/workbook.xml').decode()
            for sheet in ('Participation', 'Countries', 'Gender', 'Attendance', 'Certificates',
                          'Glossary'):
                assert 'name="%s"' % sheet in wb, sheet
    res.check('the XLSX has every table and native charts', workbook)

    def libreoffice():
        soffice = shutil.which('soffice') or shutil.which('libreoffice')
        if not soffice:
            print('skip  LibreOffice not installed')
            return
        out = os.path.join(tmp, 'lo')
        p = subprocess.run([soffice, '--headless', '--norestore',
                            '-env:UserInstallation=file://' + os.path.join(tmp, 'lo-profile'),
                            '--convert-to', 'ods', '--outdir', out, xlsx],
                           capture_output=True, text=True, timeout=180,
                           env=dict(os.environ, HOME=tmp))
        ods = os.path.join(out, 'report.ods')
        assert p.returncode == 0 and os.path.exists(ods), p.stderr[-500:]
        with zipfile.ZipFile(ods) as z:
            objects = [n for n in z.namelist() if re.match(r'Object \d+/content\.xml$', n)]
            assert len(objects) >= 6, objects
            assert all(b'chart:chart' in z.read(n) for n in objects)
            content = z.read('content.xml').decode()
            assert 'Specialisation course on Cyberdiplomacy' in content
    res.check('LibreOffice opens the XLSX with its charts', libreoffice)

    def html():
        page = os.path.join(tmp, 'report.html')
        aula(data, 'report', '--event', 'sela-2022', '--lang', 'en', '--format', 'html', '-o', page)
        with open(page, encoding='utf-8') as fh:
            doc = fh.read()
        imgs = re.findall(r'<img [^>]*>', doc)
        assert len(imgs) >= 4
        assert all(re.search(r' alt="[^"]{10,}"', i) for i in imgs)
        assert '<html lang="en">' in doc
    res.check('the HTML has text alternatives for every chart', html)

    def nu_checker():
        jar = os.path.join(ROOT, 'tests', 'e2e', 'node_modules', 'vnu-jar', 'build', 'dist',
                           'vnu.jar')
        if not (os.path.exists(jar) and shutil.which('java')):
            print('skip  the Nu HTML checker (vnu.jar) is not installed')
            return
        page = os.path.join(tmp, 'report.html')
        p = subprocess.run(['java', '-jar', jar, '--format', 'text', page], capture_output=True,
                           text=True, timeout=180)
        assert p.returncode == 0, p.stderr[-1500:]
    res.check('the standalone HTML passes the Nu HTML checker', nu_checker)

    def bad_input():
        # Refused with the usage and exit status 2, nothing written; an
        # unknown edition is an error (1), also writing nothing.
        for args, code in ((['--lang', 'fr', '--format', 'pdf'], 2),
                           (['--lang', 'es', '--format', 'docx'], 2),
                           (['--lang', 'es', '--format', 'pdf', '--event', 'nope'], 1)):
            out = os.path.join(tmp, 'refused.out')
            argv = [AULA, 'report', '--data', data]
            if '--event' not in args:
                argv += ['--event', 'sela-2022']
            p = subprocess.run(argv + args + ['-o', out], capture_output=True, text=True,
                               timeout=60)
            assert p.returncode == code, (args, p.returncode, p.stderr)
            assert not os.path.exists(out), args
    res.check('aula report refuses bad input and writes nothing', bad_input)

    db.close()
    shutil.rmtree(tmp, ignore_errors=True)
    res.finish()


if __name__ == '__main__':
    main()
