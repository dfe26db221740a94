#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The layers' arrows point one way (ARCHITECTURE.md): each source file of
src/ is checked against the rules of its folder, and every violation is
printed with its file and line.

    test_layers.py [ROOT]    ROOT: the source tree (default: this checkout)

The rules:
  - src/cli/ and src/mail/ include no header of src/pages/ and never use
    `request` (the HTTP layer's request) as a type: they call operations;
  - src/app/ includes no header of src/http/ or src/pages/;
  - src/base/ includes nothing above it (only its own headers);
  - src/domain/, src/docs/ and src/store/ include nothing of src/http/,
    src/pages/, src/app/ or src/cli/.

One check per file and rule; the last line is "N passed, N failed".
"""
import os
import re
import sys

ALL_ABOVE_BASE = ('docs', 'domain', 'store', 'mail', 'http', 'view', 'pages', 'app', 'cli')

# folder -> [(rule name, folders it may not include, whether `request` is banned)]
RULES = {
    'cli': [('no pages header', ('pages',), False), ('no request type', (), True)],
    'mail': [('no http or pages header', ('http', 'pages'), False), ('no request type', (), True)],
    'view': [('no http, pages, app or cli header', ('http', 'pages', 'app', 'cli'), False)],
    'app': [('no http or pages header', ('http', 'pages'), False)],
    'base': [('nothing above base', ALL_ABOVE_BASE, False)],
    'domain': [('no http, pages, app or cli header', ('http', 'pages', 'app', 'cli'), False)],
    'docs': [('no http, pages, app or cli header', ('http', 'pages', 'app', 'cli'), False)],
    'store': [('no http, pages, app or cli header', ('http', 'pages', 'app', 'cli'), False)],
}

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
# `request` used as a type: "request *req", "request req = ...",
# "struct request", "(request *)", "const request *".
REQUEST_TYPE = re.compile(r'\bstruct\s+request\b|\brequest\s*\*|\brequest\s+[A-Za-z_]\w*\s*[=;,)\[]')


def strip_comments_and_strings(text):
    """Comments and string literals blanked (newlines kept for line numbers);
    #include lines are read separately, before this."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r'[^\n]', ' ', text[i:j]))
            i = j
        elif text.startswith('//', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i))
            i = j
        elif c == '"' or c == "'":
            j = i + 1
            while j < n and text[j] != c and text[j] != '\n':
                j += 2 if text[j] == '\\' else 1
            j = min(j + 1, n)
            out.append(c + ' ' * max(0, j - i - 2) + (c if j - i >= 2 else ''))
            i = j
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def layer_of_include(src, path, name):
    """The folder of src/ that an #include "name" in file path names, or
    None for a system or same-folder header that is not under src/."""
    here = os.path.dirname(path)
    candidates = [os.path.normpath(os.path.join(base, name)) for base in (here, src)]
    full = next((c for c in candidates if os.path.exists(c)), candidates[0])
    rel = os.path.relpath(full, src)
    if rel.startswith('..'):
        return None
    parts = rel.split(os.sep)
    return parts[0] if len(parts) > 1 else None


def check_file(src, path, layer, rules):
    with open(path, encoding='utf-8', errors='replace') as f:
        text = f.read()
    lines = text.split('\n')
    code_lines = strip_comments_and_strings(text).split('\n')
    rel = os.path.relpath(path, os.path.dirname(src))
    results = []
    for name, banned, no_request in rules:
        bad = []
        if banned:
            for no, line in enumerate(lines, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                target = layer_of_include(src, path, m.group(1))
                if target in banned and target != layer:
                    bad.append('%s:%d: %s includes "%s"' % (rel, no, name, m.group(1)))
        if no_request:
            for no, line in enumerate(code_lines, 1):
                if line.lstrip().startswith('#'):
                    continue
                if REQUEST_TYPE.search(line):
                    bad.append('%s:%d: %s: %s' % (rel, no, name, lines[no - 1].strip()))
        results.append((rel, name, bad))
    return results


def scan(root, quiet=False):
    """Checks the tree at root: (passed, failed, lines printed)."""
    src = os.path.join(root, 'src')
    passed = failed = 0
    out = []
    for layer in sorted(RULES):
        folder = os.path.join(src, layer)
        if not os.path.isdir(folder):
            continue
        for dirpath, _, files in os.walk(folder):
            for fn in sorted(files):
                if not fn.endswith(('.c', '.h')):
                    continue
                for rel, name, bad in check_file(src, os.path.join(dirpath, fn), layer,
                                                 RULES[layer]):
                    if bad:
                        failed += 1
                        out += ['FAIL ' + b for b in bad]
                    else:
                        passed += 1
    return passed, failed, out


def catches_wrong_arrows():
    """The checker itself: a made-up tree with one wrong arrow per rule
    fails each of them, and the same tree without them passes."""
    import tempfile
    bad = {
        'src/app/op.c': '#include "../http/http.h"\n',
        'src/cli/cmd.c': 'static void f(void) { request *req = 0; (void)req; }\n',
        'src/mail/m.c': '#include "../pages/pages.h"\n',
        'src/domain/d.c': '#include "../app/app.h"\n',
        'src/base/b.c': '#include "../store/db.h"\n',
        'src/view/v.c': '#include "../http/http.h"\n',
    }
    with tempfile.TemporaryDirectory() as root:
        for d in ('app', 'cli', 'mail', 'domain', 'base', 'view', 'http', 'pages', 'store'):
            os.makedirs(os.path.join(root, 'src', d))
        for h in ('http/http.h', 'pages/pages.h', 'app/app.h', 'store/db.h'):
            open(os.path.join(root, 'src', h), 'w').close()
        for path, text in bad.items():
            with open(os.path.join(root, path), 'w') as f:
                f.write(text)
        _, failed, _ = scan(root)
        if failed != len(bad):
            return 'the made-up tree with %d wrong arrows fails %d checks' % (len(bad), failed)
        for path in bad:  # comments and strings are not arrows
            with open(os.path.join(root, path), 'w') as f:
                f.write('/* request *req; */ static const char *s = "request *x";\n')
        _, failed, _ = scan(root)
        if failed:
            return 'the made-up tree without wrong arrows fails %d checks' % failed
    return None


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else \
        os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    passed, failed, out = scan(root)
    for line in out:
        print(line)
    problem = catches_wrong_arrows()
    if problem:
        print('FAIL the checker: ' + problem)
        failed += 1
    else:
        passed += 1
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
