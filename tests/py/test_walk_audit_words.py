# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every action the programme writes to the audit log has a name in words in
both languages: the console's audit page shows audit.action.NAME, and an
action without one appeared as its internal name ("report.download")."""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def msgids(lang):
    with open(os.path.join(ROOT, 'po', lang + '.po'), encoding='utf-8') as f:
        return set(re.findall(r'^msgid "([^"]+)"', f.read(), re.M))


def call_args(src, start):
    """The top-level arguments of the call whose '(' is at start."""
    depth, args, cur, i, quote = 0, [], [], start, None
    while i < len(src):
        ch = src[i]
        if quote:
            cur.append(ch)
            if ch == '\\':
                cur.append(src[i + 1])
                i += 1
            elif ch == quote:
                quote = None
        elif ch in '"\'':
            quote = ch
            cur.append(ch)
        elif ch == '(':
            depth += 1
            if depth > 1:
                cur.append(ch)
        elif ch == ')':
            depth -= 1
            if depth == 0:
                args.append(''.join(cur))
                return args
            cur.append(ch)
        elif ch == ',' and depth == 1:
            args.append(''.join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    return args


def audited_actions():
    found = {}
    for dirpath, _, files in os.walk(os.path.join(ROOT, 'src')):
        for name in files:
            if not name.endswith('.c'):
                continue
            path = os.path.join(dirpath, name)
            with open(path, encoding='utf-8') as f:
                src = f.read()
            for m in re.finditer(r'(?<![A-Za-z0-9_])audit\s*\(', src):
                args = call_args(src, m.end() - 1)
                if len(args) < 2:
                    continue
                for lit in re.findall(r'"([a-z_]+(?:\.[a-z_]+)+)"', args[1]):
                    found.setdefault(lit, os.path.relpath(path, ROOT))
    return found


def main():
    passed = failed = 0
    es, en = msgids('es'), msgids('en')
    actions = audited_actions()
    # The scan itself must find the actions it is about.
    for known in ('report.download', 'certificate.issue', 'setting.set', 'decisions.bulk'):
        if known in actions:
            passed += 1
        else:
            failed += 1
            print('FAIL  the scan did not find the action', known)
    for action, where in sorted(actions.items()):
        key = 'audit.action.' + action
        missing = [lang for lang, ids in (('es', es), ('en', en)) if key not in ids]
        if missing:
            failed += 1
            print('FAIL  %s (%s) has no %s in %s' % (action, where, key, ' and '.join(
                'po/%s.po' % m for m in missing)))
        else:
            passed += 1
    print('%d passed, %d failed' % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
