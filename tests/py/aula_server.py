# SPDX-License-Identifier: AGPL-3.0-or-later
"""Starts the real aula binary on an ephemeral port for Python checks."""
import os
import re
import shutil
import subprocess
import tempfile
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class AulaServer:
    def __init__(self, binary=None, env=None, data=None):
        self.binary = os.path.abspath(binary or os.environ.get('AULA_BIN', 'build/aula'))
        self.data = data or tempfile.mkdtemp(prefix='aula-py-')
        self.own_data = data is None
        self.env = dict(os.environ, **(env or {}))
        self.proc = None
        self.origin = None

    def run(self, *args, stdin=None):
        return subprocess.run([self.binary, *args], input=stdin, capture_output=True,
                              text=True, timeout=120, env=self.env)

    def __enter__(self):
        if not os.path.exists(os.path.join(self.data, 'aula.db')):
            self.run('init', '--data', self.data).check_returncode()
            self.run('import', '--data', self.data,
                     os.path.join(ROOT, 'examples/sela-2022/programme.json')).check_returncode()
            self.run('user', 'add', '--data', self.data, '--role', 'admin', 'admin@example.org',
                     stdin='admin-password-1\n').check_returncode()
        self.start()
        return self

    def start(self):
        self.log = open(os.path.join(self.data, 'serve.log'), 'a')
        self.proc = subprocess.Popen([self.binary, 'serve', '--data', self.data, '--listen',
                                      '127.0.0.1:0'], stdout=subprocess.PIPE,
                                     stderr=self.log, text=True, env=self.env)
        line = self.proc.stdout.readline()
        m = re.search(r'listening on (http://\S+)', line)
        if not m:
            raise RuntimeError('aula serve did not start: %r' % line)
        self.origin = m.group(1).replace('localhost', '127.0.0.1')
        return self

    def stop(self, sig=None):
        import signal
        if not self.proc:
            return None
        self.proc.send_signal(sig or signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.proc = None
        self.log.close()
        return rc

    def get(self, path):
        with urllib.request.urlopen(self.origin + path, timeout=30) as r:
            return r.status, dict(r.headers), r.read()

    def __exit__(self, *exc):
        self.stop()
        if self.own_data:
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


class Browser:
    """A cookie-keeping HTTP client that fills Aula's forms (CSRF included)."""

    def __init__(self, origin):
        import http.cookiejar
        self.origin = origin
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *a, **k):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  NoRedirect)

    def request(self, method, path, data=None, headers=None):
        import urllib.error
        import urllib.parse
        body = None
        hdrs = dict(headers or {})
        if isinstance(data, dict) or isinstance(data, list):
            body = urllib.parse.urlencode(data, doseq=True).encode()
            hdrs['Content-Type'] = 'application/x-www-form-urlencoded'
        elif isinstance(data, (bytes, str)):
            body = data.encode() if isinstance(data, str) else data
        req = urllib.request.Request(self.origin + path, data=body, method=method, headers=hdrs)
        try:
            with self.opener.open(req, timeout=60) as r:
                return r.status, dict(r.headers), r.read().decode('utf-8', 'replace')
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read().decode('utf-8', 'replace')

    def csrf(self):
        for c in self.jar:
            if c.name == 'aula_csrf':
                return c.value
        self.request('GET', '/login')
        return self.csrf()

    def post(self, path, fields):
        fields = list(fields.items()) if isinstance(fields, dict) else list(fields)
        return self.request('POST', path, [('csrf', self.csrf())] + fields)

    def post_confirmed(self, path, fields):
        """A bulk action: POSTs its first step, then submits the confirmation
        form its preview shows; returns that (status, headers, page), or the
        preview's when it has no confirmation form."""
        import html
        import re as _re
        status, headers, page = self.post(path, fields)
        m = _re.search(r'<form method="post" action="([^"]*)" class="bulk-confirm">(.*?)</form>',
                       page or '', _re.S)
        if status != 200 or not m:
            return status, headers, page
        pairs = [(html.unescape(n), html.unescape(v)) for n, v in _re.findall(
            r'<input type="hidden" name="([^"]*)" value="([^"]*)"', m.group(2)) if n != 'csrf']
        return self.post(html.unescape(m.group(1)), pairs)

    def login(self, email, password):
        status, headers, _ = self.post('/login', {'email': email, 'password': password})
        assert status == 303, status
        return self

    def use_signin_link(self, path):
        """Opens an emailed sign-in link (a page with a button) and presses
        the button; returns the POST's (status, headers)."""
        status, _, page = self.request('GET', path)
        assert status == 200 and 'method="post"' in page, status
        status, headers, _ = self.post(path, {})
        return status, headers

    def apply(self, slug, email, given, family, courses, language='es', **extra):
        status, _, page = self.request('GET', '/events/%s/apply' % slug)
        m = re.search(r'name="submission" value="([^"]+)"', page)
        assert m, 'no application form'
        fields = [('submission', m.group(1)), ('form_of_address', 'ambassador'),
                  ('given_names', given), ('family_names', family), ('gender', 'female'),
                  ('country', 'VE'), ('institution_type', 'foreign_ministry'),
                  ('institution', 'Ministerio'), ('position', 'Consejera'), ('email', email),
                  ('language', language), ('consent', '1')]
        fields += [('courses', c) for c in courses]
        fields += list(extra.items())
        return self.post('/events/%s/apply' % slug, fields)[0]


def mail_link(data_dir, kind, marker='/login/', timeout=10):
    """The link (marker and token) in the newest message of kind as
    delivered to DATA/mail (the outbox holds only the masked text)."""
    import email
    import email.policy
    import time
    msg_id = sql(data_dir, "SELECT max(id) FROM outbox WHERE kind = ?", (kind,))[0][0]
    path = os.path.join(data_dir, 'mail', '%06d.eml' % msg_id)
    deadline = time.time() + timeout
    while not os.path.exists(path):
        assert time.time() < deadline, 'message %d was not delivered' % msg_id
        time.sleep(0.05)
    with open(path, 'rb') as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    text = msg.get_body(('plain',)).get_content()
    return re.search(re.escape(marker) + r'[A-Za-z0-9_-]+', text).group(0)


def sql(data_dir, query, args=()):
    """Runs a query on Aula's database file (tests only)."""
    import sqlite3
    con = sqlite3.connect(os.path.join(data_dir, 'aula.db'), timeout=10)
    try:
        cur = con.execute(query, args)
        rows = cur.fetchall()
        con.commit()
        return rows
    finally:
        con.close()
