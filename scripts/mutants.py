#!/usr/bin/python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""make mutants: mutation testing of the rules people rely on.

No mutation tool for C is packaged by Debian, and PyPI (universalmutator,
mull's wrappers) cannot be reached from here, so this is the smallest honest
one: it reads each file's syntax tree with libclang (Debian's python3-clang),
makes one small slip at a time at the places the tree shows (a comparison
turned round or moved by one, && for ||, + for -, a ! dropped, a condition
negated, a constant changed, true for false, a call or an assignment left
out, a break or continue dropped), rebuilds only what that file feeds, and
runs the tests that hold that file, fastest first, each with a time bound.
A slip that a test notices is "killed"; one that every test lets through
"survived".  A slip that does not compile (warnings are errors here) is
"stillborn", and one that compiles to the very same machine code as the
original is "identical" (the compiler proved it equivalent): neither counts
in the score.  tests/mutants-survivors.txt explains the survivors known to
be equivalent or harmless; the report marks the others as NEW.

    scripts/mutants.py [--jobs N] [--budget SECONDS] [--only TEXT,...] [--list]

Works on copies of the tree under build-mutants/, never on the sources.
Ends with "Score: K killed of N (P %)" and the list of survivors."""
import argparse
import hashlib
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, 'build-mutants')

# What is mutated, and which tests hold it (unit tests first: they are the
# fast ones).  functions limits a file to those function bodies; region
# limits a function further to the lines from one text anchor to another.
TARGETS = [
    {'file': 'src/domain/enrolment.c', 'tests': ['unit_domain_rules', 'http_rules_held',
                                                 'http_applications']},
    {'file': 'src/domain/retry.c', 'tests': ['unit_domain_rules']},
    {'file': 'src/domain/signin_link.c', 'tests': ['unit_domain_rules', 'http_rules_held']},
    {'file': 'src/base/escape.c', 'tests': ['unit_escape', 'unit_escape_edges', 'unit_template']},
    {'file': 'src/http/router.c', 'tests': ['unit_router', 'http_server']},
    # The access checks of every request and of uploads.
    {'file': 'src/http/server.c', 'functions': ['dispatch'],
     'region': ('if (route->access > ACCESS_PUBLIC) {', 'if (req->method == HTTP_POST) {'),
     'tests': ['http_rules_held', 'http_materials', 'http_applications', 'http_server']},
    {'file': 'src/http/server.c', 'functions': ['begin_upload'],
     'tests': ['http_rules_held', 'http_materials', 'http_server']},
    # Byte ranges of downloads, and the status changes as the store applies them.
    {'file': 'src/pages/materials.c', 'functions': ['parse_range'],
     'tests': ['http_rules_held', 'http_materials']},
    {'file': 'src/store/application_store.c', 'functions': ['decide_locked', 'promote_waiting'],
     'tests': ['http_rules_held', 'http_applications']},
    {'file': 'src/domain/attendance.c', 'tests': ['unit_attendance', 'unit_domain_rules',
                                                  'http_attendance',
                                                  'http_rules_held']},
    {'file': 'src/domain/certificate.c', 'tests': ['unit_certificate', 'http_certificate_verify']},
    {'file': 'src/domain/credential_jwt.c', 'tests': ['unit_certificate']},
    {'file': 'src/domain/csv_reader.c', 'tests': ['unit_zoom_report', 'http_attendance']},
    {'file': 'src/domain/zoom_dates.c', 'tests': ['unit_zoom_report', 'http_attendance']},
    {'file': 'src/domain/zoom_report.c', 'tests': ['unit_zoom_report', 'http_attendance',
                                                   'http_rules_held']},
    {'file': 'src/domain/name_match.c', 'tests': ['unit_attendance', 'http_attendance']},
    {'file': 'src/domain/programme.c', 'tests': ['unit_programme']},
    {'file': 'src/domain/countries.c', 'tests': ['unit_programme', 'http_applications']},
]

# Tests whose slow cases (big generated files) are left out of a first,
# quick run; a slip that passes the quick run is run against all of them.
SLOW_CASES = {'unit_zoom_report': 'test_many_rows,test_limits'}

# Preloaded into a cmocka test program, leaves out the cases named in
# MUTANTS_SKIP (comma-separated).
SHIM = r'''
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

typedef int (*run_fn)(const char *, const struct CMUnitTest *, size_t, CMFixtureFunction,
                      CMFixtureFunction);

int _cmocka_run_group_tests(const char *group, const struct CMUnitTest *const tests,
                            const size_t n, CMFixtureFunction setup, CMFixtureFunction teardown)
{
    run_fn real = (run_fn)dlsym(RTLD_NEXT, "_cmocka_run_group_tests");
    const char *skip = getenv("MUTANTS_SKIP");
    struct CMUnitTest *kept = calloc(n ? n : 1, sizeof *kept);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *p = skip;
        size_t len = strlen(tests[i].name);
        int drop = 0;
        while (p && *p) {
            size_t l = strcspn(p, ",");
            if (l == len && strncmp(p, tests[i].name, l) == 0)
                drop = 1;
            p += l + (p[l] == ',');
        }
        if (!drop)
            kept[k++] = tests[i];
    }
    int r = real(group, kept, k, setup, teardown);
    free(kept);
    return r;
}
'''

RELATIONAL = {'<': ['<=', '>='], '<=': ['<', '>'], '>': ['>=', '<='], '>=': ['>', '<'],
              '==': ['!='], '!=': ['==']}
SWAPS = {'&&': ['||'], '||': ['&&'], '+': ['-'], '-': ['+'], '*': ['/'], '/': ['*'],
         '%': ['*'], '&': ['|'], '|': ['&'], '<<': ['>>'], '>>': ['<<']}
ASSIGN_SWAPS = {'+=': ['-='], '-=': ['+='], '*=': ['/='], '/=': ['*='], '|=': ['&='],
                '&=': ['|='], '<<=': ['>>='], '>>=': ['<<=']}


def load_clang():
    try:
        import clang.cindex as ci
    except ImportError:
        sys.exit('mutants: python3-clang is missing (apt-get install python3-clang-14)')
    for lib in ('/usr/lib/llvm-14/lib/libclang.so.1', '/usr/lib/llvm-14/lib/libclang-14.so.1'):
        if os.path.exists(lib):
            ci.Config.set_library_file(lib)
            break
    return ci


class Mutant:
    __slots__ = ('file', 'func', 'line', 'start', 'end', 'new', 'old', 'what', 'tests',
                 'result', 'detail', 'line_text')

    def key(self):
        return '%s | %s | %s | %s -> %s' % (self.file, self.func, self.line_text.strip(),
                                             self.old, self.new)


def compile_flags(build, rel):
    db = json.load(open(os.path.join(build, 'compile_commands.json')))
    tree = os.path.dirname(build)
    for e in db:
        if os.path.normpath(os.path.join(e['directory'], e['file'])) == os.path.join(tree, rel):
            args = e['command'].split()
            keep, out = [], e['output']
            skip = False
            for a in args[1:]:
                if skip:
                    skip = False
                    continue
                if a in ('-o', '-MF', '-MQ', '-c'):
                    skip = True
                    continue
                if a.startswith('-I'):
                    p = a[2:]
                    keep.append('-I' + (p if os.path.isabs(p) else os.path.join(e['directory'], p)))
                elif a.startswith(('-D', '-std=')):
                    keep.append(a.replace("'", ''))
            return keep, out
    sys.exit('mutants: %s is not in %s/compile_commands.json' % (rel, build))


def find_mutants(ci, target, flags):
    rel = target['file']
    path = os.path.join(ROOT, rel)
    src = open(path, encoding='utf-8').read()
    raw = src.encode('utf-8')
    index = ci.Index.create()
    tu = index.parse(path, args=flags)
    errors = [d for d in tu.diagnostics if d.severity >= ci.Diagnostic.Error]
    if errors:
        sys.exit('mutants: libclang cannot parse %s: %s' % (rel, errors[0]))
    K = ci.CursorKind
    region = None
    if target.get('region'):
        a, b = target['region']
        ra, rb = raw.find(a.encode()), raw.find(b.encode())
        if ra < 0 or rb < ra:
            sys.exit('mutants: the region of %s was not found (%r .. %r)' % (rel, a, b))
        region = (ra, rb)
    found, seen = [], set()
    lines = raw.split(b'\n')

    def text(s, e):
        return raw[s:e].decode('utf-8', 'replace')

    def add(func, s, e, new, what):
        if (s, e, new) in seen or s < 0 or e < s:
            return
        if region and not (region[0] <= s < region[1]):
            return
        seen.add((s, e, new))
        m = Mutant()
        m.file, m.func, m.start, m.end, m.new, m.what = rel, func, s, e, new, what
        m.old = text(s, e)
        m.line = raw.count(b'\n', 0, s) + 1
        m.line_text = lines[m.line - 1].decode('utf-8', 'replace')
        m.tests = target['tests']
        m.result = m.detail = None
        found.append(m)

    def in_file(c):
        f = c.extent.start.file
        return f is not None and os.path.realpath(f.name) == os.path.realpath(path)

    def walk(c, func, parent_kind):
        try:
            kind = c.kind
        except ValueError:
            return  # a kind these bindings do not know (attributes): nothing to mutate
        if kind == K.FUNCTION_DECL:
            if not c.is_definition():
                return
            func = c.spelling
            if target.get('functions') and func not in target['functions']:
                return
        if func and in_file(c):
            visit(c, func, parent_kind)
        for ch in c.get_children():
            walk(ch, func, kind)

    def visit(c, func, parent_kind):
        s, e = c.extent.start.offset, c.extent.end.offset
        kids = list(c.get_children())
        if c.kind in (K.BINARY_OPERATOR, K.COMPOUND_ASSIGNMENT_OPERATOR) and len(kids) == 2:
            le, rs = kids[0].extent.end.offset, kids[1].extent.start.offset
            if not (s <= le <= rs <= e):
                return
            between = text(le, rs)
            op = between.strip()
            table = ASSIGN_SWAPS if c.kind == K.COMPOUND_ASSIGNMENT_OPERATOR else \
                dict(RELATIONAL, **SWAPS)
            if op in table and re.fullmatch(r'\s*' + re.escape(op) + r'\s*', between):
                at = le + between.index(op)
                for new in table[op]:
                    add(func, at, at + len(op), new, 'operator')
            if parent_kind == K.COMPOUND_STMT and (op == '=' or c.kind ==
                                                   K.COMPOUND_ASSIGNMENT_OPERATOR):
                add(func, s, e, '(void)0', 'assignment left out')
        elif c.kind == K.UNARY_OPERATOR:
            t = text(s, e)
            if t.startswith('!') and not t.startswith('!='):
                add(func, s, s + 1, '', '! dropped')
            elif t.startswith('-') and not t.startswith('--'):
                add(func, s, s + 1, '', 'minus dropped')
            elif t.startswith('++') or t.startswith('--'):
                add(func, s, s + 2, '--' if t[0] == '+' else '++', 'increment turned round')
            elif t.endswith('++') or t.endswith('--'):
                add(func, e - 2, e, '--' if t[-1] == '+' else '++', 'increment turned round')
            if parent_kind == K.COMPOUND_STMT and ('++' in t or '--' in t):
                add(func, s, e, '(void)0', 'increment left out')
        elif c.kind == K.INTEGER_LITERAL and parent_kind != K.INIT_LIST_EXPR:
            t = text(s, e)
            if t in ('true', 'false'):
                add(func, s, e, 'false' if t == 'true' else 'true', 'boolean')
            else:
                m = re.fullmatch(r'(\d+)([uUlL]*)', t)
                if m:
                    v = int(m.group(1))
                    new = {0: '1', 1: '0'}.get(v, str(v + 1))
                    add(func, s, e, new + m.group(2), 'constant')
        elif c.kind in (K.IF_STMT, K.WHILE_STMT, K.DO_STMT) and kids:
            cond = kids[-1] if c.kind == K.DO_STMT else kids[0]
            cs, ce = cond.extent.start.offset, cond.extent.end.offset
            ct = text(cs, ce)
            simple = cond.kind == K.BINARY_OPERATOR and any(
                re.search(r'\s%s\s' % re.escape(o), ct) for o in RELATIONAL) and \
                not re.search(r'&&|\|\|', ct)
            if not simple and not ct.startswith('!') and s <= cs < ce <= e:
                add(func, cs, ce, '!(%s)' % ct, 'condition negated')
        elif c.kind == K.CALL_EXPR and parent_kind == K.COMPOUND_STMT:
            add(func, s, e, '(void)0', 'call left out')
        elif c.kind in (K.BREAK_STMT, K.CONTINUE_STMT):
            add(func, s, e, '(void)0', c.kind.name.split('_')[0].lower() + ' left out')

    walk(tu.cursor, None, None)
    found.sort(key=lambda m: (m.start, m.end, m.new))
    return found


def run(cmd, cwd=None, timeout=None, env=None):
    """Runs cmd in a process group of its own, which is ended afterwards, so
    that a server a failed test left behind does not outlive it."""
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, start_new_session=True)
    try:
        out, _ = p.communicate(timeout=timeout)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        out, rc = b'timeout', None
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    if rc is None:
        p.wait()
    return rc, out.decode('utf-8', 'replace')


def copy_tree(dst):
    files = subprocess.run(['git', 'ls-files', '-co', '--exclude-standard'], cwd=ROOT,
                           stdout=subprocess.PIPE, check=True).stdout.decode().split('\n')
    for f in files:
        if not f or not os.path.isfile(os.path.join(ROOT, f)):
            continue
        d = os.path.join(dst, f)
        os.makedirs(os.path.dirname(d), exist_ok=True)
        if not os.path.exists(d) or open(d, 'rb').read() != open(os.path.join(ROOT, f), 'rb').read():
            shutil.copyfile(os.path.join(ROOT, f), d)  # a new mtime: rebuilt


class Worker:
    def __init__(self, n):
        self.error = None
        self.tree = os.path.join(WORK, 'tree%d' % n)
        self.build = os.path.join(self.tree, 'build')

    def setup(self):
        copy_tree(self.tree)
        # A run that was stopped may have left a mutated object behind the
        # restored source: the mutated files are always compiled afresh.
        for t in TARGETS:
            os.utime(os.path.join(self.tree, t['file']))
        if not os.path.exists(os.path.join(self.build, 'build.ninja')):
            # The project's optimisation without debug information, so
            # that a slip the compiler proves harmless gives the same bytes.
            rc, out = run(['meson', 'setup', self.build, '-Doptimization=2', '-Ddebug=false'],
                          cwd=self.tree)
            if rc != 0:
                self.error = 'meson setup failed:\n' + out
                return
        rc, out = run(['ninja', '-C', self.build])
        if rc != 0:
            self.error = 'the unmutated tree does not build:\n' + out[-3000:]

    def env(self):
        e = dict(os.environ)
        e['AULA_BIN'] = os.path.join(self.build, 'aula')
        e['AULA_SOURCE'] = self.tree
        e['ASAN_OPTIONS'] = e.get('ASAN_OPTIONS', '')
        return e

    def test(self, name, budget, quick=False):
        """True when the test passed, False when it failed, None on a time-out."""
        exe = os.path.join(self.build, 'tests', name)
        env = self.env()
        if quick:
            env['LD_PRELOAD'] = os.path.join(WORK, 'skip-cases.so')
            env['MUTANTS_SKIP'] = SLOW_CASES[name]
        rc, out = run([exe], cwd=os.path.join(self.build, 'tests'), timeout=budget, env=env)
        if rc is None:
            return None, 'time-out'
        return rc == 0, out

    def object_of(self, rel):
        if not hasattr(self, '_objs'):
            self._objs = {}
        if rel not in self._objs:
            self._objs[rel] = compile_flags(self.build, rel)[1]
        return self._objs[rel]


# How long each test took on the unmutated tree; a mutant's run may take
# five times as long (a slip that makes a loop endless is then killed in
# seconds, not minutes).
BASELINE = {}


def test_budget(name):
    if name not in BASELINE:
        return 30 if name.startswith('unit_') else 120
    return max(3.0, 5 * BASELINE[name] + (1 if name.startswith('unit_') else 10))


def evaluate(w, m, originals, hashes, lock):
    path = os.path.join(w.tree, m.file)
    raw = originals[m.file]
    mutated = raw[:m.start] + m.new.encode() + raw[m.end:]
    with open(path, 'wb') as f:
        f.write(mutated)
    try:
        obj = w.object_of(m.file)
        rc, out = run(['ninja', '-C', w.build, obj], timeout=300)
        if rc != 0:
            m.result, m.detail = 'stillborn', 'does not compile'
            return
        digest = hashlib.sha256(open(os.path.join(w.build, obj), 'rb').read()).hexdigest()
        with lock:
            if digest == hashes[m.file]:
                m.result, m.detail = 'identical', 'same machine code as the original'
                return
        linked_aula = False
        for t in m.tests:
            # Unit tests need only their own program; the HTTP tests also
            # the server, linked only when a unit test let the slip through.
            targets = ['tests/' + t]
            if t.startswith('http_') and not linked_aula:
                targets.append('aula')
                linked_aula = True
            rc, out = run(['ninja', '-C', w.build] + targets, timeout=300)
            if rc != 0:
                m.result, m.detail = 'stillborn', 'does not link'
                return
            for quick in ([True, False] if t in SLOW_CASES else [False]):
                ok, out = w.test(t, test_budget(t), quick)
                if ok is None:
                    m.result, m.detail = 'killed', '%s ran out of time' % t
                    return
                if not ok:
                    m.result, m.detail = 'killed', t
                    return
        m.result, m.detail = 'survived', 'passed ' + ', '.join(m.tests)
    finally:
        with open(path, 'wb') as f:
            f.write(raw)


def load_explanations():
    path = os.path.join(ROOT, 'tests', 'mutants-survivors.txt')
    known = {}
    if os.path.exists(path):
        for line in open(path, encoding='utf-8'):
            line = line.rstrip('\n')
            if not line or line.startswith('#') or ' ## ' not in line:
                continue
            k, why = line.split(' ## ', 1)
            known[k.strip()] = why.strip()
    return known


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--budget', type=int, default=1680,
                    help='seconds after which no new mutant is started (default 28 minutes)')
    ap.add_argument('--only', help='only targets whose file contains one of these texts '
                    '(comma-separated)')
    ap.add_argument('--list', action='store_true', help='list the mutants and stop')
    ap.add_argument('--work', help='folder for the copies of the tree (default build-mutants)')
    args = ap.parse_args()
    global WORK
    if args.work:
        WORK = os.path.abspath(args.work)
    started = time.time()
    ci = load_clang()
    os.makedirs(WORK, exist_ok=True)
    workers = [Worker(i) for i in range(max(1, args.jobs))]
    print('mutants: preparing %d copies of the tree under build-mutants/' % len(workers),
          flush=True)
    threads = [threading.Thread(target=w.setup) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for w in workers:
        if w.error:
            sys.exit('mutants: ' + w.error)
    with open(os.path.join(WORK, 'skip-cases.c'), 'w') as f:
        f.write(SHIM)
    rc, out = run(['cc', '-shared', '-fPIC', '-O2', '-o', os.path.join(WORK, 'skip-cases.so'),
                   os.path.join(WORK, 'skip-cases.c'), '-ldl', '-lcmocka'])
    if rc != 0:
        sys.exit('mutants: cannot build the case filter:\n' + out)
    only = args.only.split(',') if args.only else None
    targets = [t for t in TARGETS if not only or any(o in t['file'] for o in only)]
    mutants, originals, hashes = [], {}, {}
    w0 = workers[0]
    for t in targets:
        flags, obj = compile_flags(w0.build, t['file'])
        ms = find_mutants(ci, t, flags + ['-I' + os.path.join(ROOT, 'src')])
        mutants += ms
        originals[t['file']] = open(os.path.join(ROOT, t['file']), 'rb').read()
        hashes[t['file']] = hashlib.sha256(open(os.path.join(w0.build, obj), 'rb').read()).hexdigest()
    if args.list:
        for m in mutants:
            print('%s:%d: %s: %r -> %r' % (m.file, m.line, m.what, m.old, m.new))
        print('%d mutants' % len(mutants))
        return 0
    # The tests must pass before anything is mutated.
    for name in sorted({n for t in targets for n in t['tests']}):
        t0 = time.time()
        ok, out = w0.test(name, test_budget(name))
        BASELINE[name] = time.time() - t0
        if not ok:
            print(out[-3000:])
            sys.exit('mutants: %s fails on the unmutated tree; fix that first' % name)
    print('mutants: %d mutants in %d targets; tests pass unmutated (%.0f s)' %
          (len(mutants), len(targets), time.time() - started), flush=True)

    q = queue.Queue()
    for m in mutants:
        q.put(m)
    lock = threading.Lock()
    done = [0]
    log = open(os.path.join(WORK, 'progress.jsonl'), 'w', encoding='utf-8')

    def work(w):
        while True:
            try:
                m = q.get_nowait()
            except queue.Empty:
                return
            if time.time() - started > args.budget:
                m.result, m.detail = 'not run', 'time budget spent'
                continue
            evaluate(w, m, originals, hashes, lock)
            with lock:
                log.write(json.dumps({'file': m.file, 'line': m.line, 'function': m.func,
                                      'old': m.old, 'new': m.new, 'result': m.result,
                                      'detail': m.detail}, ensure_ascii=False) + '\n')
                log.flush()
                done[0] += 1
                if done[0] % 25 == 0:
                    print('  %d/%d (%.0f s)' % (done[0], len(mutants), time.time() - started),
                          flush=True)

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    known = load_explanations()
    report = []
    print('\n%-34s %6s %6s %8s %9s %9s %7s' % ('file', 'killed', 'surv.', 'identical',
                                                'stillborn', 'not run', 'score'))
    for t in targets:
        ms = [m for m in mutants if m.file == t['file'] and
              (m.func in t.get('functions', [m.func]))]
        c = {k: sum(1 for m in ms if m.result == k) for k in
             ('killed', 'survived', 'identical', 'stillborn', 'not run')}
        n = c['killed'] + c['survived']
        label = t['file'] + (':' + ','.join(t['functions']) if t.get('functions') else '')
        print('%-34s %6d %6d %8d %9d %9d %6s' % (label[-34:], c['killed'], c['survived'],
              c['identical'], c['stillborn'], c['not run'],
              '%.0f%%' % (100.0 * c['killed'] / n) if n else '-'))
    killed = sum(1 for m in mutants if m.result == 'killed')
    survived = [m for m in mutants if m.result == 'survived']
    notrun = sum(1 for m in mutants if m.result == 'not run')
    total = killed + len(survived)
    print('\nSurvivors (%d):' % len(survived))
    new = 0
    for m in survived:
        why = known.get(m.key())
        if not why:
            new += 1
        print('  %s:%d (%s) %s: %r -> %r\n      %s\n      %s' % (
            m.file, m.line, m.func, m.what, m.old, m.new, m.line_text.strip(),
            ('explained: ' + why) if why else 'NEW: not explained in tests/mutants-survivors.txt'))
        report.append(m.key() + ' ## ' + (why or 'NEW'))
    with open(os.path.join(WORK, 'survivors.txt'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(report) + '\n')
    with open(os.path.join(WORK, 'results.json'), 'w', encoding='utf-8') as f:
        json.dump([{'file': m.file, 'line': m.line, 'function': m.func, 'what': m.what,
                    'old': m.old, 'new': m.new, 'result': m.result, 'detail': m.detail}
                   for m in mutants], f, indent=1, ensure_ascii=False)
    print('\n%d mutants: %d killed, %d survived (%d of them not explained), %d identical to '
          'the original, %d stillborn, %d not run; %.0f s' % (
              len(mutants), killed, len(survived), new,
              sum(1 for m in mutants if m.result == 'identical'),
              sum(1 for m in mutants if m.result == 'stillborn'), notrun,
              time.time() - started))
    print('Score: %d killed of %d (%.1f %%)' % (killed, total, 100.0 * killed / total if total
                                                   else 0.0))
    return 0


if __name__ == '__main__':
    sys.exit(main())
