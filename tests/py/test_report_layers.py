# SPDX-License-Identifier: AGPL-3.0-or-later
"""The final report's code keeps to its layers: the operation (src/app/)
sees no HTTP and no page, `aula report` calls that operation without
building a request, and the document's code is split by responsibility (the
charts apart from the PDF, HTML and XLSX writers), no file of it over 900
lines.  Reads the sources only."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aula_server import Results  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def read(rel):
    with open(os.path.join(ROOT, rel), encoding='utf-8') as f:
        return f.read()


def includes(rel):
    return re.findall(r'^#include\s+"([^"]+)"', read(rel), re.M)


def app_sees_no_http_or_pages():
    for name in sorted(os.listdir(os.path.join(ROOT, 'src/app'))):
        if name.startswith('report') and name.endswith(('.c', '.h')):
            bad = [i for i in includes('src/app/' + name) if 'http/' in i or 'pages/' in i]
            assert not bad, (name, bad)
            assert not re.search(r'\brequest\b\s*\*', read('src/app/' + name)), name


def cli_calls_the_operation():
    src = read('src/cli/cmd_report.c')
    bad = [i for i in includes('src/cli/cmd_report.c') if 'pages/' in i or 'http/' in i]
    assert not bad, bad
    assert not re.search(r'\brequest\s+\w+\s*=', src), 'builds a request'
    assert 'app_report(' in src and 'app_report_write(' in src


def pages_call_the_same_operation():
    src = read('src/pages/report.c')
    assert 'app_report(' in src and 'app_report_write(' in src
    assert 'report_figures(' not in src, 'the page computes figures itself'


def document_split_by_responsibility():
    charts = read('src/docs/report_chart.c')
    for writer in ('cairo_pdf_surface_create', 'workbook_new', 'esc_html'):
        assert writer not in charts, writer
    for rel, own in (('src/docs/report_pdf.c', 'cairo_pdf_surface_create'),
                     ('src/docs/report_xlsx.c', 'workbook_new'),
                     ('src/docs/report_html.c', 'esc_html')):
        src = read(rel)
        assert own in src, rel
        assert 'void report_chart_draw(' not in src and 'chart_data(' not in src, rel
    for name in os.listdir(os.path.join(ROOT, 'src/docs')):
        if name.startswith('report') and name.endswith('.c'):
            n = read('src/docs/' + name).count('\n')
            assert n <= 900, (name, n)


r = Results()
r.check('src/app/report*: no HTTP or page header, no request', app_sees_no_http_or_pages)
r.check('aula report calls the operation, builds no request', cli_calls_the_operation)
r.check('the console and API call the same operation', pages_call_the_same_operation)
r.check('the document: charts apart from each writer, files under 900 lines',
        document_split_by_responsibility)
r.finish()
