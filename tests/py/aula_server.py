"""Starts the real aula binary on an ephemeral port for Python checks."""
import os
import re
import shutil
import subprocess
import tempfile
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class AulaServer:
    def __init__(self, binary=None):
        self.binary = os.path.abspath(binary or os.environ.get('AULA_BIN', 'build/aula'))
        self.data = tempfile.mkdtemp(prefix='aula-py-')
        self.proc = None
        self.origin = None

    def run(self, *args, stdin=None):
        return subprocess.run([self.binary, *args], input=stdin, capture_output=True,
                              text=True, timeout=60)

    def __enter__(self):
        self.run('init', '--data', self.data).check_returncode()
        self.run('import', '--data', self.data,
                 os.path.join(ROOT, 'examples/sela-2022/programme.json')).check_returncode()
        self.proc = subprocess.Popen([self.binary, 'serve', '--data', self.data, '--listen',
                                      '127.0.0.1:0'], stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r'listening on (http://\S+)', line)
        if not m:
            raise RuntimeError('aula serve did not start: %r' % line)
        self.origin = m.group(1).replace('localhost', '127.0.0.1')
        return self

    def get(self, path):
        with urllib.request.urlopen(self.origin + path, timeout=30) as r:
            return r.status, dict(r.headers), r.read()

    def __exit__(self, *exc):
        if self.proc:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.data, ignore_errors=True)


class Results:
    """Counts checks and prints the closing line the test runner reads."""

    def __init__(self):
        self.passed = self.failed = 0

    def check(self, name, fn):
        try:
            fn()
            self.passed += 1
            print('ok   ', name)
        except Exception as e:  # noqa: BLE001 - any failure is a failed check
            self.failed += 1
            print('FAIL ', name, '-', repr(e))

    def finish(self):
        print('%d passed, %d failed' % (self.passed, self.failed))
        raise SystemExit(1 if self.failed else 0)
