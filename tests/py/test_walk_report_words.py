# SPDX-License-Identifier: AGPL-3.0-or-later
"""The final report's PDF never cuts a word in two: its tables' columns
are as wide as their longest word (a smaller size when the table is wide),
where "Waitlisted" used to be drawn as "Waitliste-" over "d".  Checked by
reading the PDF's words back (pdftotext): each must be a word of the same
report as HTML, which has no column widths."""
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aula_server import AulaServer, Results  # noqa: E402


def norm(w):
    return w.strip('()%/:,.;«»“”"·–—•')


def words_of_html(path):
    with open(path, encoding='utf-8') as f:
        h = f.read()
    h = re.sub(r'<(style|script)[^>]*>.*?</\1>', ' ', h, flags=re.S)
    return set(norm(w) for w in html.unescape(re.sub(r'<[^>]+>', ' ', h)).split())


def words_of_pdf(path):
    out = subprocess.run(['pdftotext', path, '-'], capture_output=True, text=True,
                         check=True).stdout
    return set(norm(w) for w in out.split())


def main():
    res = Results()
    tmp = tempfile.mkdtemp(prefix='aula-walk-report-')
    try:
        with AulaServer() as aula:
            # Someone on the waiting list: the column is about them.
            def report(lang, fmt):
                out = os.path.join(tmp, 'report-%s.%s' % (lang, fmt))
                p = aula.run('report', '--data', aula.data, '--event', 'sela-2022', '--lang', lang,
                             '--format', fmt, '-o', out)
                assert p.returncode == 0, p
                return out

            for lang in ('en', 'es'):
                def no_word_cut(lang=lang):
                    pdf, page = report(lang, 'pdf'), report(lang, 'html')
                    known = words_of_html(page)
                    # Page numbers, the fingerprint and the date are the PDF's own.
                    extra = sorted(w for w in words_of_pdf(pdf) - known
                                   if w and not re.search(r'\d', w)
                                   and w not in ('Page', 'Página', 'No', 'Sin'))
                    assert not extra, 'pieces of words in the PDF: %r' % extra
                    # The check would see a cut: the column's word is there whole.
                    whole = 'Waitlisted' if lang == 'en' else 'Inscritos'
                    assert whole in words_of_pdf(pdf), whole
                res.check('no word of the %s report PDF is cut in two' % lang, no_word_cut)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    res.finish()


if __name__ == '__main__':
    main()
