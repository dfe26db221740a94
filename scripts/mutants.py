#!/usr/bin/python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""make mutants: mutation testing of the rules people rely on.

No mutation tool for C is packaged by Debian, and PyPI (universalmutator,
mull's wrappers) cannot be reached from here, so this is the smallest honest
one: it reads each file's syntax tree with libclang (Debian's python3-clang),
makes one small slip at a time at the places the tree shows (a comparison
turned round or moved by one, && for ||, + for -, a ! dropped, a condition
negated, a constant changed, true for false, a call or an assignment left
out, a break or continue dropped), and runs the tests that hold that file,
fastest first, each with a time bound.  A slip that a test notices is
"killed"; one that every test lets through "survived".

To finish in under 30 minutes on two cores, every slip of a file that can
be chosen at run time is compiled in at once ("mutant schemata"): the node
becomes (mut_(k) ? slipped : original), and AULA_MUTANT=k switches slip k
on, so a slip costs a test run, not a build.  One run of every test with a
shared map notes which slips each test case reaches: a slip is tried only
with the tests that reach it, a unit test only up to the last case that
reaches it, and a test program stops at its first failing case.  Slips the
compiler must see on their own (constants it must know, pointer
arithmetic) are built one at a time afterwards, and every survivor is
built on its own too: one that does not compile (warnings are errors here)
is "stillborn", one that compiles to the very same machine code as the
original is "identical" (the compiler proved it equivalent); neither counts
in the score.  Slips only AddressSanitizer can see (a release call left
out, a local buffer's size) are not made.  tests/mutants-survivors.txt
explains the survivors known to be equivalent or harmless; the report
marks the others as NEW.

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
    # Where "next" may send someone after signing in.
    {'file': 'src/http/local_path.c', 'tests': ['unit_local_path', 'http_security_signin']},
    # The access checks of every request and of uploads.
    # (A pattern: the files that define the functions, wherever a split
    # of server.c puts them.)
    {'file': 'src/http/*.c', 'functions': ['access_allowed'],
     'tests': ['http_rules_held', 'http_materials', 'http_applications', 'http_server']},
    # Byte ranges of downloads, and the status changes as the store applies them.
    {'file': 'src/*/*.c', 'functions': ['parse_range', 'range_number'],
     'tests': ['unit_gaps_range', 'unit_ops_download', 'http_gaps_ranges', 'http_rules_held',
               'http_materials']},
    {'file': 'src/store/application_store.c', 'functions': ['decide_locked', 'promote_waiting'],
     'tests': ['http_rules_held', 'http_gaps_decisions', 'http_applications']},
    {'file': 'src/domain/attendance.c', 'tests': ['unit_attendance', 'unit_domain_rules',
                                                  'http_attendance',
                                                  'http_rules_held']},
    {'file': 'src/domain/certificate.c', 'tests': ['unit_certificate', 'http_certificate_verify']},
    {'file': 'src/domain/credential_jwt.c', 'tests': ['unit_certificate']},
    {'file': 'src/domain/csv_reader.c', 'tests': ['unit_zoom_report', 'http_attendance']},
    {'file': 'src/domain/zoom_dates.c', 'tests': ['unit_zoom_report', 'http_attendance']},
    {'file': 'src/domain/zoom_report.c', 'tests': ['unit_zoom_report', 'http_attendance',
                                                   'http_rules_held']},
    {'file': 'src/domain/zoom_headers.c', 'tests': ['unit_zoom_report', 'http_attendance']},
    {'file': 'src/domain/name_match.c', 'tests': ['unit_attendance', 'http_attendance']},
    {'file': 'src/domain/programme.c', 'tests': ['unit_programme']},
    {'file': 'src/domain/countries.c', 'tests': ['unit_programme', 'http_applications']},
]

# Tests whose slow cases (big generated files) are left out of a first,
# quick run; a slip that passes the quick run is run against all of them.
SLOW_CASES = {'unit_zoom_report': 'test_many_rows,test_limits'}

# Preloaded into every cmocka test program (and so into the servers and
# commands it starts).  It keeps only some cases: not those named in
# MUTANTS_SKIP (comma-separated), none after the case numbered MUTANTS_UPTO
# (a later case cannot matter when the cases before it set up its state).
# With MUTANTS_FAIL_FAST, the first case that fails ends the program after
# the group's teardown (a killed slip needs no more cases).  With
# AULA_MUTANT_MAP (a file of one byte per slip, shared with every process
# of the test, where each slip's place marks itself when reached), it
# writes to AULA_MUTANT_CASES, after each case, the case's number and the
# slips reached during it.
SHIM = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

typedef int (*run_fn)(const char *, const struct CMUnitTest *, size_t, CMFixtureFunction,
                      CMFixtureFunction);

#define MAXC 256
static CMUnitTestFunction real_fn[MAXC];
static int number[MAXC];
static int running = -1, fail_fast;
static CMFixtureFunction real_setup, real_teardown;
static void **group_state;
static volatile unsigned char *map;
static size_t map_len;
static FILE *cases_out;

static void note_reached(int n)
{
    if (!map || !cases_out)
        return;
    fprintf(cases_out, "%d", n);
    for (size_t i = 0; i < map_len; i++)
        if (map[i]) {
            fprintf(cases_out, " %zu", i);
            map[i] = 0;
        }
    fputc('\n', cases_out);
    fflush(cases_out);
}

static void enter(int i, void **state)
{
    if (running >= 0 && fail_fast) { /* the case before did not return: it failed */
        if (real_teardown)
            real_teardown(group_state);
        _exit(1);
    }
    running = i;
    real_fn[i](state);
    running = -1;
    note_reached(number[i]);
}

%(trampolines)s

static int setup_wrap(void **state)
{
    group_state = state;
    int r = real_setup ? real_setup(state) : 0;
    note_reached(-1);
    return r;
}

int _cmocka_run_group_tests(const char *group, const struct CMUnitTest *const tests,
                            const size_t n, CMFixtureFunction setup, CMFixtureFunction teardown)
{
    run_fn real = (run_fn)dlsym(RTLD_NEXT, "_cmocka_run_group_tests");
    const char *skip = getenv("MUTANTS_SKIP"), *upto_s = getenv("MUTANTS_UPTO");
    long upto = upto_s ? strtol(upto_s, NULL, 10) : -1;
    fail_fast = getenv("MUTANTS_FAIL_FAST") != NULL;
    const char *mp = getenv("AULA_MUTANT_MAP"), *cp = getenv("AULA_MUTANT_CASES");
    if (mp && cp) {
        int fd = open(mp, O_RDWR | O_CLOEXEC);
        off_t len = fd >= 0 ? lseek(fd, 0, SEEK_END) : 0;
        void *m = len > 0 ? mmap(NULL, (size_t)len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
                          : MAP_FAILED;
        if (m != MAP_FAILED) {
            map = m;
            map_len = (size_t)len;
        }
        if (fd >= 0)
            close(fd);
        cases_out = fopen(cp, "a");
    }
    struct CMUnitTest *kept = calloc(n ? n : 1, sizeof *kept);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *p = skip;
        size_t len = strlen(tests[i].name);
        int drop = upto >= 0 && (long)i > upto;
        while (p && *p) {
            size_t l = strcspn(p, ",");
            if (l == len && strncmp(p, tests[i].name, l) == 0)
                drop = 1;
            p += l + (p[l] == ',');
        }
        if (drop)
            continue;
        kept[k] = tests[i];
        if (k < MAXC) {
            real_fn[k] = tests[i].test_func;
            number[k] = (int)i;
            kept[k].test_func = trampoline[k];
        }
        k++;
    }
    real_setup = setup;
    real_teardown = teardown;
    int r = real(group, kept, k, setup_wrap, teardown);
    free(kept);
    return r;
}
""".replace('%(trampolines)s', ''.join('static void t%d(void **s) { enter(%d, s); }\n' %
                                        (i, i) for i in range(256)) +
           'static const CMUnitTestFunction trampoline[MAXC] = {%s};' %
           ', '.join('t%d' % i for i in range(256)))

# Calls that only give memory back: leaving one out leaks, which no answer
# shows; the AddressSanitizer run of make check (detect_leaks) holds them.
RELEASES = {'free', 'json_decref', 'va_end', 'sqlite3_finalize', 'sqlite3_free',
            'curl_free'}

RELATIONAL = {'<': ['<=', '>='], '<=': ['<', '>'], '>': ['>=', '<='], '>=': ['>', '<'],
              '==': ['!='], '!=': ['==']}
SWAPS = {'&&': ['||'], '||': ['&&'], '+': ['-'], '-': ['+'], '*': ['/'], '/': ['*'],
         '%': ['*'], '&': ['|'], '|': ['&'], '<<': ['>>'], '>>': ['<<']}
ASSIGN_SWAPS = {'+=': ['-='], '-=': ['+='], '*=': ['/='], '/=': ['*='], '|=': ['&='],
                '&=': ['|='], '<<=': ['>>='], '>>=': ['<<=']}


def expand_targets(targets, quiet=False):
    """Targets as files: a pattern names the files that define its
    functions; a file that does not exist (yet) is left out with a note."""
    import glob
    out = []
    for t in targets:
        if not any(c in t['file'] for c in '*?['):
            if os.path.exists(os.path.join(ROOT, t['file'])):
                out.append(t)
            elif not quiet:
                print('mutants: %s does not exist; left out' % t['file'])
            continue
        found = []
        for path in sorted(glob.glob(os.path.join(ROOT, t['file']))):
            text = open(path, encoding='utf-8', errors='replace').read()
            if any(re.search(r'^\w[^;{]*\b%s\(' % re.escape(f), text, re.M)
                   for f in t['functions']):
                found.append(dict(t, file=os.path.relpath(path, ROOT)))
        if not found and not quiet:
            print('mutants: no file of %s defines %s; left out' % (t['file'],
                                                                  ', '.join(t['functions'])))
        out += found
    return out


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
                 'result', 'detail', 'line_text', 'wrap', 'form', 'branch', 'id')

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

    def add(func, s, e, new, what, wrap=None, form='expr', branch=None):
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
        # Where the slip can be switched on at run time (see schema_source):
        # the node whose text is chosen between the original and the slip.
        if wrap and not (wrap[0] <= s <= e <= wrap[1]):
            wrap = None
        m.wrap, m.form, m.branch, m.id = wrap, form, branch, None
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
        stack.append(c)
        for ch in c.get_children():
            walk(ch, func, kind)
        stack.pop()

    stack = []

    def is_pointer(c):
        try:
            return c.type.get_canonical().kind in (ci.TypeKind.POINTER,
                                                    ci.TypeKind.CONSTANTARRAY,
                                                    ci.TypeKind.INCOMPLETEARRAY)
        except ValueError:
            return True

    def is_integral(c):
        try:
            k = c.type.get_canonical().kind
        except ValueError:
            return False
        return k in (ci.TypeKind.BOOL, ci.TypeKind.INT, ci.TypeKind.UINT, ci.TypeKind.LONG,
                     ci.TypeKind.ULONG, ci.TypeKind.LONGLONG, ci.TypeKind.ULONGLONG,
                     ci.TypeKind.CHAR_S, ci.TypeKind.SCHAR, ci.TypeKind.UCHAR,
                     ci.TypeKind.SHORT, ci.TypeKind.USHORT, ci.TypeKind.ENUM)

    def in_condition(c):
        # Whether only the truth of c's value matters (an if, loop or ?:
        # condition, or an operand of && and ||).
        p = stack[-1] if stack else None
        if p is None:
            return False
        while p.kind == K.PAREN_EXPR and len(stack) > 1:
            c, p = p, stack[stack.index(p) - 1]
        kids = list(p.get_children())
        if p.kind in (K.IF_STMT, K.WHILE_STMT, K.CONDITIONAL_OPERATOR) and kids and \
                kids[0] == c:
            return True
        if p.kind == K.DO_STMT and kids and kids[-1] == c:
            return True
        if p.kind == K.BINARY_OPERATOR and len(kids) == 2:
            between = text(kids[0].extent.end.offset, kids[1].extent.start.offset).strip()
            return between in ('&&', '||')
        if p.kind == K.UNARY_OPERATOR:
            return text(p.extent.start.offset, p.extent.end.offset).startswith('!')
        return False

    def constant_context(s):
        # A literal the compiler must know (array sizes, case labels, static
        # data) cannot become a run-time choice.
        for a in stack:
            if a.kind == K.PARM_DECL:
                return 'size'  # a parameter's array size only documents it
            if a.kind in (K.CASE_STMT, K.ENUM_CONSTANT_DECL, K.FIELD_DECL,
                          K.STATIC_ASSERT, K.INIT_LIST_EXPR):
                return True
            if a.kind == K.VAR_DECL:
                dt = text(a.extent.start.offset, a.extent.end.offset)
                if a.storage_class == ci.StorageClass.STATIC or re.match(r'\s*static\b', dt):
                    return True
                eq = dt.find('=')
                if eq < 0 or s < a.extent.start.offset + eq:
                    return 'size' if '[' in text(a.extent.start.offset, s) else True
        return False

    def visit(c, func, parent_kind):
        s, e = c.extent.start.offset, c.extent.end.offset
        kids = list(c.get_children())
        whole = (s, e)
        if c.kind in (K.BINARY_OPERATOR, K.COMPOUND_ASSIGNMENT_OPERATOR) and len(kids) == 2:
            le, rs = kids[0].extent.end.offset, kids[1].extent.start.offset
            if not (s <= le <= rs <= e):
                return
            between = text(le, rs)
            op = between.strip()
            table = ASSIGN_SWAPS if c.kind == K.COMPOUND_ASSIGNMENT_OPERATOR else \
                dict(RELATIONAL, **SWAPS)
            # Pointer arithmetic turned round may not compile: left to the
            # compiler, one mutant at a time.
            pointers = op in ('+', '-', '+=', '-=') and (is_pointer(kids[0]) or
                                                          is_pointer(kids[1]))
            if op in table and re.fullmatch(r'\s*' + re.escape(op) + r'\s*', between):
                at = le + between.index(op)
                for new in table[op]:
                    add(func, at, at + len(op), new, 'operator',
                        None if pointers else whole)
            if parent_kind == K.COMPOUND_STMT and (op == '=' or c.kind ==
                                                   K.COMPOUND_ASSIGNMENT_OPERATOR):
                add(func, s, e, '(void)0', 'assignment left out', whole, 'void')
        elif c.kind == K.UNARY_OPERATOR:
            t = text(s, e)
            if t.startswith('!') and not t.startswith('!='):
                if kids and is_integral(kids[0]):
                    add(func, s, s + 1, '', '! dropped', whole)
                elif kids and in_condition(c):
                    add(func, s, s + 1, '', '! dropped', whole, 'expr', '!!(%s)' % t[1:])
                else:
                    add(func, s, s + 1, '', '! dropped')
            elif t.startswith('-') and not t.startswith('--'):
                add(func, s, s + 1, '', 'minus dropped', whole)
            elif t.startswith('++') or t.startswith('--'):
                add(func, s, s + 2, '--' if t[0] == '+' else '++', 'increment turned round',
                    whole)
            elif t.endswith('++') or t.endswith('--'):
                add(func, e - 2, e, '--' if t[-1] == '+' else '++', 'increment turned round',
                    whole)
            if parent_kind == K.COMPOUND_STMT and ('++' in t or '--' in t):
                add(func, s, e, '(void)0', 'increment left out', whole, 'void')
        elif c.kind == K.INTEGER_LITERAL and parent_kind != K.INIT_LIST_EXPR:
            t = text(s, e)
            where = constant_context(s)
            if where == 'size':
                # A local buffer's size: one more byte changes nothing, one
                # less is an overflow the AddressSanitizer run finds.
                return
            wrap = None if where else whole
            if t in ('true', 'false'):
                add(func, s, e, 'false' if t == 'true' else 'true', 'boolean', wrap)
            else:
                m = re.fullmatch(r'(\d+)([uUlL]*)', t)
                if m:
                    v = int(m.group(1))
                    new = {0: '1', 1: '0'}.get(v, str(v + 1))
                    add(func, s, e, new + m.group(2), 'constant', wrap)
        elif c.kind in (K.IF_STMT, K.WHILE_STMT, K.DO_STMT) and kids:
            cond = kids[-1] if c.kind == K.DO_STMT else kids[0]
            cs, ce = cond.extent.start.offset, cond.extent.end.offset
            ct = text(cs, ce)
            simple = cond.kind == K.BINARY_OPERATOR and any(
                re.search(r'\s%s\s' % re.escape(o), ct) for o in RELATIONAL) and \
                not re.search(r'&&|\|\|', ct)
            if not simple and not ct.startswith('!') and s <= cs < ce <= e:
                add(func, cs, ce, '!(%s)' % ct, 'condition negated', (cs, ce), 'cond')
        elif c.kind == K.CALL_EXPR and parent_kind == K.COMPOUND_STMT and \
                c.spelling not in RELEASES:
            add(func, s, e, '(void)0', 'call left out', whole, 'void')
        elif c.kind in (K.BREAK_STMT, K.CONTINUE_STMT):
            add(func, s, e, '(void)0', c.kind.name.split('_')[0].lower() + ' left out',
                whole, 'stmt')

    walk(tu.cursor, None, None)
    found.sort(key=lambda m: (m.start, m.end, m.new))
    return found


# Prepended to a file whose slips are compiled in all at once ("mutant
# schemata"): slip k is on when AULA_MUTANT names it, so each mutant costs
# a test run, not a build.  With AULA_MUTANT_MAP, each slip's place marks
# its byte in that shared file when reached: a test case that never
# reaches a slip cannot notice it and is not run for it.
PRELUDE = r"""/* make mutants: the slips of this file, switched on by AULA_MUTANT */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
static int mut_active_ = -1;
static volatile unsigned char *mut_map_;
__attribute__((constructor)) static void mut_init_(void)
{
    const char *s = getenv("AULA_MUTANT");
    mut_active_ = s ? atoi(s) : -1;
    s = getenv("AULA_MUTANT_MAP");
    int fd = s ? open(s, O_RDWR | O_CLOEXEC) : -1;
    if (fd >= 0) {
        off_t n = lseek(fd, 0, SEEK_END);
        void *m = n > %(last)d ? mmap(NULL, (size_t)n, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
                               : MAP_FAILED;
        if (m != MAP_FAILED)
            mut_map_ = m;
        close(fd);
    }
}
static int mut_(int k)
{
    if (mut_map_)
        mut_map_[k + %(base)d] = 1;
    return k + %(base)d == mut_active_;
}
"""


def schema_source(raw, ms):
    """The text of a file with every slip of ms that has a run-time place
    (m.wrap) compiled in: each such node becomes
    (mut_(k) ? (slipped node) : (original node)), the original with the
    slips of the nodes inside it.  Returns the text and, for each node, its
    place in that text (to find the slip a compiler error is about)."""
    ms = [m for m in ms if m.wrap]
    if not ms:
        return None, {}
    base = min(m.id for m in ms)
    groups = {}
    for m in ms:
        groups.setdefault(m.wrap, []).append(m)
    children, roots, stack = {}, [], []
    for w in sorted(groups, key=lambda w: (w[0], -w[1])):
        while stack and stack[-1][1] <= w[0]:
            stack.pop()
        if stack and w[1] > stack[-1][1]:
            for m in groups.pop(w):  # overlaps without nesting (macros): built one by one
                m.wrap = None
            continue
        (children[stack[-1]] if stack else roots).append(w)
        children[w] = []
        stack.append(w)
    prelude = (PRELUDE % {'last': max(m.id for m in ms), 'base': base}).encode()
    out, spans = [prelude], {}
    size = [len(prelude)]

    def put(b):
        out.append(b)
        size[0] += len(b)

    def render(lo, hi, kids):
        pos = lo
        for w in kids:
            put(raw[pos:w[0]])
            at = size[0]
            group(w)
            spans[w] = (at, size[0])
            pos = w[1]
        put(raw[pos:hi])

    def group(w):
        gs = groups[w]
        forms = {m.form for m in gs}
        if 'stmt' in forms:  # break or continue
            put(b'if (mut_(%d)) {} else ' % (gs[0].id - base))
            render(w[0], w[1], children[w])
            return
        pre, post = (b'(void)(', b')') if 'void' in forms else \
            (b'!!(', b')') if 'cond' in forms else (b'(', b')')
        put(b'(')
        for m in gs:
            slipped = m.branch.encode() if m.branch else \
                raw[w[0]:m.start] + m.new.encode() + raw[m.end:w[1]]
            put(b'mut_(%d) ? ' % (m.id - base) + pre + slipped + post + b' : ')
        put(pre)
        render(w[0], w[1], children[w])
        put(post + b')')

    render(0, len(raw), roots)
    return b''.join(out), spans


def compile_schema(w, rel, raw, ms):
    """Writes the file's schema into w's tree and compiles it; a slip whose
    place the compiler refuses (types that differ, a constant the compiler
    must know) is left to be built on its own.  True when it compiled."""
    path = os.path.join(w.tree, rel)
    obj = w.object_of(rel)
    for attempt in range(200):
        text, spans = schema_source(raw, ms)
        if text is None:
            return False
        with open(path, 'wb') as f:
            f.write(text)
        rc, out = run(['ninja', '-C', w.build, obj], timeout=300)
        if rc == 0:
            return True
        lines = [int(x) for x in re.findall(
            r'^[^\s:]*' + re.escape(os.path.basename(rel)) + r':(\d+):\d+: error', out, re.M)]
        if not lines:
            break
        starts = [0] + [i + 1 for i, b in enumerate(text) if b == 10]
        lo = starts[lines[0] - 1]
        hi = starts[lines[0]] if lines[0] < len(starts) else len(text)
        hit = [wr for wr, (a, b) in spans.items() if a < hi and b > lo]
        if not hit:
            break
        worst = min(hit, key=lambda wr: spans[wr][1] - spans[wr][0])
        for m in ms:
            if m.wrap == worst:
                m.wrap = None
    for m in ms:
        m.wrap = None
    with open(path, 'wb') as f:
        f.write(raw)
    return False


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
        for t in expand_targets(TARGETS, quiet=True):
            os.utime(os.path.join(self.tree, t['file']))
        if os.path.exists(os.path.join(self.build, 'build.ninja')):
            # Tests are found by file name when meson configures: a new
            # test file needs a new configuration.
            run(['meson', 'setup', '--reconfigure', self.build], cwd=self.tree)
        else:
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

    def test(self, name, budget, quick=False, mutant=None, upto=None, trace=None):
        """True when the test passed, False when it failed, None on a time-out.
        A slip's run stops at the first failing case, and leaves out the
        cases after upto."""
        exe = os.path.join(self.build, 'tests', name)
        env = self.env()
        env['LD_PRELOAD'] = os.path.join(WORK, 'skip-cases.so')
        if quick:
            env['MUTANTS_SKIP'] = SLOW_CASES[name]
        if mutant is not None:
            env['AULA_MUTANT'] = str(mutant)
            env['MUTANTS_FAIL_FAST'] = '1'
        if upto is not None:
            env['MUTANTS_UPTO'] = str(upto)
        if trace:
            env['AULA_MUTANT_MAP'], env['AULA_MUTANT_CASES'] = trace
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
# The tests that reach some slip of a function: those a slip built alone
# in that function is tried with, besides its file's own.
NEAR = {}


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
        for t in sorted(set(m.tests) | set(NEAR.get((m.file, m.func), ())),
                        key=lambda t: (t.startswith('http_'), BASELINE.get(t, 0))):
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
                ok, out = w.test(t, test_budget(t), quick, mutant=-1)
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


def evaluate_schema(w, m, reach):
    """A slip compiled into the schema: the tests that reach its place run
    with it switched on, fastest first."""
    upto = reach.get(m.id, {})
    tests = sorted(upto, key=lambda t: BASELINE.get(t, 0))
    if not tests:
        m.result, m.detail = 'survived', 'no test reaches it'
        return
    for t in tests:
        for quick in ([True, False] if t in SLOW_CASES else [False]):
            # A black-box test's cases share a server: a slip reached in one
            # case may leave state that only a later case reads.
            ok, out = w.test(t, test_budget(t), quick, mutant=m.id,
                             upto=upto[t] if t.startswith('unit_') else None)
            if ok is None:
                m.result, m.detail = 'killed', '%s ran out of time' % t
                return
            if not ok:
                m.result, m.detail = 'killed', t
                return
    m.result, m.detail = 'survived', 'passed ' + ', '.join(tests)


def recheck(w, m, originals, hashes):
    """A survivor of the schema, built on its own: the compiler may refuse it
    (stillborn) or prove it the same as the original (identical)."""
    path = os.path.join(w.tree, m.file)
    raw = originals[m.file]
    with open(path, 'wb') as f:
        f.write(raw[:m.start] + m.new.encode() + raw[m.end:])
    try:
        obj = w.object_of(m.file)
        rc, out = run(['ninja', '-C', w.build, obj], timeout=300)
        if rc != 0:
            m.result, m.detail = 'stillborn', 'does not compile'
        elif hashlib.sha256(open(os.path.join(w.build, obj), 'rb').read()).hexdigest() == \
                hashes[m.file]:
            m.result, m.detail = 'identical', 'same machine code as the original'
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
    targets = [t for t in expand_targets(TARGETS)
               if not only or any(o in t['file'] for o in only)]
    mutants, originals = [], {}
    w0 = workers[0]
    for t in targets:
        flags, obj = compile_flags(w0.build, t['file'])
        ms = find_mutants(ci, t, flags + ['-I' + os.path.join(ROOT, 'src')])
        mutants += ms
        originals[t['file']] = open(os.path.join(ROOT, t['file']), 'rb').read()
    for i, m in enumerate(mutants):
        m.id = i
    files = list(dict.fromkeys(m.file for m in mutants))
    for w in workers:
        w.hashes = {rel: hashlib.sha256(open(os.path.join(w.build, w.object_of(rel)),
                                             'rb').read()).hexdigest() for rel in files}
    by_file = {rel: [m for m in mutants if m.file == rel] for rel in files}

    def in_all(fn):
        threads = [threading.Thread(target=fn, args=(w,)) for w in workers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    # Every slip that can be switched on at run time is compiled in at
    # once; the others (constants the compiler must know, pointer
    # arithmetic, ...) are built one at a time afterwards.
    for rel in files:
        compile_schema(w0, rel, originals[rel], by_file[rel])
    schemas = {rel: schema_source(originals[rel], by_file[rel])[0] for rel in files}

    def build_schema(w):
        for rel, text in schemas.items():
            if text:
                with open(os.path.join(w.tree, rel), 'wb') as f:
                    f.write(text)
        rc, out = run(['ninja', '-C', w.build])
        if rc != 0:
            w.error = 'the tree with the slips compiled in does not build:\n' + out[-3000:]
    in_all(build_schema)
    for w in workers:
        if w.error:
            sys.exit('mutants: ' + w.error)
    schema = [m for m in mutants if m.wrap]
    alone = [m for m in mutants if not m.wrap]
    if args.list:
        for m in mutants:
            print('%s:%d: %s: %r -> %r%s' % (m.file, m.line, m.what, m.old, m.new,
                                             '' if m.wrap else ' (built alone)'))
        print('%d mutants, %d of them built alone' % (len(mutants), len(alone)))
        return 0

    # The tests must pass before anything is mutated; this run also notes
    # which slips' places each test reaches, and how long it takes.
    own = {}
    for t in targets:
        for name in t['tests']:
            own.setdefault(name, set()).add(t['file'])
    units = sorted(n for n in os.listdir(os.path.join(w0.build, 'tests'))
                   if n.startswith('unit_') and os.access(os.path.join(w0.build, 'tests', n),
                                                          os.X_OK)
                   and os.path.isfile(os.path.join(w0.build, 'tests', n)))
    names = sorted(set(units) | set(own))
    tq = queue.Queue()
    for n in sorted(names, key=lambda n: not n.startswith('http_')):
        tq.put(n)
    trace_dir = os.path.join(WORK, 'trace')
    shutil.rmtree(trace_dir, ignore_errors=True)
    os.makedirs(trace_dir)
    failures = []

    def trace(w):
        while True:
            try:
                name = tq.get_nowait()
            except queue.Empty:
                return
            t0 = time.time()
            with open(os.path.join(trace_dir, name + '.map'), 'wb') as f:
                f.truncate(len(mutants) + 1)
            ok, out = w.test(name, 600, trace=(os.path.join(trace_dir, name + '.map'),
                                               os.path.join(trace_dir, name + '.cases')))
            BASELINE[name] = time.time() - t0
            if not ok:
                failures.append((name, out))
    in_all(trace)
    for name, out in failures:
        print(out[-3000:])
        sys.exit('mutants: %s fails on the unmutated tree; fix that first' % name)
    # reach[slip][test]: the last case of the test that reaches the slip.
    reach = {}
    for name in names:
        p = os.path.join(trace_dir, name + '.cases')
        if not os.path.exists(p):
            continue
        for line in open(p):
            f = line.split()
            if not f:
                continue
            case = max(0, int(f[0]))
            for i in map(int, f[1:]):
                # A slip is tried by every unit test that reaches it, and by
                # the black-box tests named for its file.
                if i < len(mutants) and (name.startswith('unit_') or
                                         mutants[i].file in own.get(name, ())):
                    r = reach.setdefault(i, {})
                    r[name] = max(r.get(name, 0), case)
    for m in schema:
        NEAR.setdefault((m.file, m.func), set()).update(reach.get(m.id, ()))
    print('mutants: %d mutants in %d targets (%d compiled in at once, %d built alone, '
          '%d reached by no test); tests pass unmutated (%.0f s)' %
          (len(mutants), len(targets), len(schema), len(alone),
           sum(1 for m in schema if m.id not in reach), time.time() - started), flush=True)

    lock = threading.Lock()
    done = [0]
    log = open(os.path.join(WORK, 'progress.jsonl'), 'w', encoding='utf-8')

    def note(m):
        with lock:
            log.write(json.dumps({'file': m.file, 'line': m.line, 'function': m.func,
                                  'old': m.old, 'new': m.new, 'result': m.result,
                                  'detail': m.detail}, ensure_ascii=False) + '\n')
            log.flush()
            done[0] += 1
            if done[0] % 100 == 0:
                print('  %d/%d (%.0f s)' % (done[0], len(mutants), time.time() - started),
                      flush=True)

    def drain(q, fn):
        def work(w):
            while True:
                try:
                    m = q.get_nowait()
                except queue.Empty:
                    return
                if time.time() - started > args.budget:
                    if m.result is None:
                        m.result, m.detail = 'not run', 'time budget spent'
                    continue
                fn(w, m)
                if m.result != 'survived' or not m.wrap:
                    note(m)
        return work

    q = queue.Queue()
    for m in schema:
        q.put(m)
    in_all(drain(q, lambda w, m: evaluate_schema(w, m, reach)))
    print('mutants: the slips compiled in are tried (%.0f s); now those built alone and the '
          'survivors' % (time.time() - started), flush=True)

    # The sources as they are, for the slips built one at a time and to
    # check the survivors: the compiler may prove one harmless.
    def restore(w):
        for rel in files:
            with open(os.path.join(w.tree, rel), 'wb') as f:
                f.write(originals[rel])
        rc, out = run(['ninja', '-C', w.build])
        if rc != 0:
            w.error = 'the tree does not build again:\n' + out[-3000:]
    in_all(restore)
    q = queue.Queue()
    for m in schema:
        if m.result == 'survived':
            q.put(m)
    for m in alone:
        q.put(m)
    in_all(drain(q, lambda w, m: recheck(w, m, originals, w.hashes) if m.wrap else
                 evaluate(w, m, originals, w.hashes, lock)))
    for m in schema:
        if m.result == 'survived':
            note(m)

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
