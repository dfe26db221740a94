#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every source file starts with the licence's SPDX line (after a shebang).

    tools/spdx.py          list the files without it; last line "N passed, N failed"
    tools/spdx.py --fix    insert the line at the top of those files, nothing else

Sources are the tracked C, shell, Python, JavaScript, SQL and meson files
under src/, tests/, fuzz/, bench/, tools/ and scripts/ (seed corpora and
fixtures are data, not sources).
"""
import os
import subprocess
import sys

TAG = 'SPDX-License-Identifier: AGPL-3.0-or-later'
DIRS = ['src', 'tests', 'fuzz', 'bench', 'tools', 'scripts']
DATA = ('fuzz/corpus/', 'tests/fixtures/')
COMMENT = {'.c': '/* %s */', '.h': '/* %s */', '.sh': '# %s', '.py': '# %s',
           '.mjs': '// %s', '.js': '// %s', '.sql': '-- %s', '.build': '# %s'}


def sources(root):
    out = subprocess.run(['git', 'ls-files', '-z', '--'] + DIRS, cwd=root,
                         stdout=subprocess.PIPE, check=True).stdout.decode()
    for path in out.split('\0'):
        ext = os.path.splitext(path)[1]
        if path and not path.startswith(DATA) and ext in COMMENT:
            if ext != '.build' or os.path.basename(path) == 'meson.build':
                yield path, COMMENT[ext] % TAG


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
    fix = '--fix' in sys.argv[1:]
    missing = []
    for path, line in sources(root):
        full = os.path.join(root, path)
        if not os.path.isfile(full):
            continue
        with open(full, 'rb') as f:
            lines = f.read().split(b'\n')
        if any(TAG.encode() in l for l in lines[:2]):
            continue
        missing.append(path)
        if fix:
            lines.insert(1 if lines[0].startswith(b'#!') else 0, line.encode())
            with open(full, 'wb') as f:
                f.write(b'\n'.join(lines))
    for path in missing:
        print(('added the SPDX line to ' if fix else 'no SPDX line: ') + path)
    if fix:
        print('%d files changed' % len(missing))
        return 0
    if missing:
        print('(tools/spdx.py --fix adds them)')
    print('%d passed, %d failed' % (0 if missing else 1, 1 if missing else 0))
    return 1 if missing else 0


if __name__ == '__main__':
    sys.exit(main())
