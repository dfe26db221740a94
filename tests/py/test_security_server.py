# SPDX-License-Identifier: AGPL-3.0-or-later
"""The HTTP server under attack (issue #11 findings 3, 7 and 13), on loopback:
bodies are read only for routes that take them, after the access check,
within the route's limit and a shared memory cap; slow connections from one
address cannot take the site from another; a header trickled byte by byte
is cut off at its deadline; and secret paths are masked in the access log.

Memory is read from /proc/PID/status (VmHWM, the peak resident set).  The
slow-connection check opens 4,500 sockets: the soft limit on open files of
this process is raised to its hard limit for it."""
import errno
import os
import re
import resource
import selectors
import shutil
import socket
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aula_server import ROOT, AulaServer, Browser, Results  # noqa: E402

MB = 1024 * 1024
OTHER_CLIENT = '127.0.0.2'  # loopback too, but another address to the server
ANY_CSRF = 'aula_csrf=' + 'A' * 43  # a well-formed CSRF cookie


def status_kb(pid, field):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    raise RuntimeError('no %s in /proc/%d/status' % (field, pid))


def reset_peak(pid):
    """Starts VmHWM afresh (signing in hashes a password with 64 MB) and
    names the field to sample: where clear_refs may not be written (some
    containers), the resident set sampled often is the next best reading."""
    try:
        with open('/proc/%d/clear_refs' % pid, 'w') as f:
            f.write('5')
        return 'VmHWM'
    except OSError as e:
        print('      clear_refs: %s; sampling VmRSS instead' % e)
        return 'VmRSS'


def connect(port, source=None, timeout=5):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if source:
        s.bind((source, 0))
    s.settimeout(timeout)
    s.connect(('127.0.0.1', port))
    return s


def read_response_head(s, timeout):
    """Reads until the end of a response header; returns it ('' if the server
    closed or reset the connection first, None on timeout)."""
    s.settimeout(timeout)
    buf = b''
    try:
        while b'\r\n\r\n' not in buf:
            chunk = s.recv(4096)
            if not chunk:
                break
            buf += chunk
    except socket.timeout:
        return None
    except OSError as e:
        if e.errno not in (errno.ECONNRESET, errno.EPIPE):
            raise
    return buf.decode('latin-1')


def status_of(head):
    m = re.match(r'HTTP/1\.[01] (\d{3})', head or '')
    return int(m.group(1)) if m else None


class Check:
    def __init__(self, srv):
        self.srv = srv
        self.port = int(srv.origin.rsplit(':', 1)[1])
        self.admin = Browser(srv.origin).login('admin@example.org', 'admin-password-1')

    def cookie_header(self):
        return '; '.join('%s=%s' % (c.name, c.value) for c in self.admin.jar)

    def log(self):
        with open(os.path.join(self.srv.data, 'serve.log'), encoding='utf-8',
                  errors='replace') as f:
            return f.read()

    def post_head(self, path, length, extra=''):
        return ('POST %s HTTP/1.1\r\nHost: x\r\n'
                'Content-Type: application/x-www-form-urlencoded\r\n'
                'Content-Length: %d\r\n%s\r\n' % (path, length, extra)).encode()

    # ---- finding 3: bodies ----

    def unknown_path_bodies_are_not_read(self):
        """60 concurrent slow 10 MB POSTs to an unknown path: each is answered
        404 without its body being read, and the server's peak resident
        memory stays under 100 MB."""
        n, size, piece = 60, 10 * MB, 64 * 1024
        before = self.log().count('POST /no-such-page 404')
        field = reset_peak(self.srv.proc.pid)
        print('      resident memory before %d kB' % status_kb(self.srv.proc.pid, field))
        sel = selectors.DefaultSelector()
        socks = []
        for i in range(n):
            s = connect(self.port)
            s.sendall(self.post_head('/no-such-page', size))
            s.setblocking(False)
            socks.append({'s': s, 'sent': 0, 'open': True, 'resp': b''})
            sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE, socks[-1])
        chunk = b'a' * piece
        deadline = time.monotonic() + 15
        peak = 0
        while any(c['open'] for c in socks) and time.monotonic() < deadline:
            peak = max(peak, status_kb(self.srv.proc.pid, field))
            if peak > 100 * 1024:
                break  # failed: stop before the machine suffers
            for key, ev in sel.select(timeout=0.2):
                c = key.data
                try:
                    if ev & selectors.EVENT_READ:
                        data = c['s'].recv(65536)
                        if not data:
                            raise ConnectionResetError()
                        c['resp'] += data
                    if ev & selectors.EVENT_WRITE and c['sent'] < size:
                        c['sent'] += c['s'].send(chunk[:min(piece, size - c['sent'])])
                except BlockingIOError:
                    pass
                except OSError:
                    c['open'] = False
                    sel.unregister(c['s'])
                    c['s'].close()
            time.sleep(0.01)  # slow senders
        for c in socks:
            if c['open']:
                sel.unregister(c['s'])
                c['s'].close()
        peak = max(peak, status_kb(self.srv.proc.pid, field))
        print('      peak resident memory %d kB' % peak)
        assert peak < 100 * 1024, 'peak resident memory %d kB' % peak
        unsent = sum(1 for c in socks if c['sent'] < size)
        assert unsent == n, '%d of %d bodies were taken whole' % (n - unsent, n)
        got = [status_of(c['resp'].decode('latin-1')) for c in socks if c['resp']]
        assert all(st == 404 for st in got), got
        logged = 0
        deadline = time.monotonic() + 5  # the log is written as answers end
        while logged < n and time.monotonic() < deadline:
            time.sleep(0.1)
            logged = self.log().count('POST /no-such-page 404') - before
        assert logged == n, 'access log shows %d answers 404' % logged

    def expect_answer_before_body(self, path, length, cookie=None):
        """Sends a header with Expect: 100-continue and returns the status the
        server answers with before any body byte is sent."""
        extra = 'Expect: 100-continue\r\n'
        if cookie:
            extra += 'Cookie: %s\r\n' % cookie
        s = connect(self.port)
        try:
            s.sendall(self.post_head(path, length, extra))
            return status_of(read_response_head(s, 3))
        finally:
            s.close()

    def public_forms_have_a_small_limit(self):
        # Over the limit for forms anyone may send (256 kB): refused at once.
        assert self.expect_answer_before_body('/login', 1 * MB) == 413
        # Within it: the server asks for the body.
        assert self.expect_answer_before_body('/login', 100 * 1024, ANY_CSRF) == 100
        # A signed-in route takes up to max_body (10 MB).
        assert self.expect_answer_before_body('/admin/outbox/resend', 1 * MB,
                                              self.cookie_header()) == 100
        assert self.expect_answer_before_body('/admin/outbox/resend', 11 * MB,
                                              self.cookie_header()) == 413

    def bodies_wait_for_the_access_check(self):
        # Nobody signed in: sent to sign in, body unread.
        assert self.expect_answer_before_body('/admin/outbox/resend', 1 * MB) == 303
        # Unknown path and wrong method: answered before the body.
        assert self.expect_answer_before_body('/no/such/page', 1000) == 404
        assert self.expect_answer_before_body('/events/sela-2022', 1000) == 405
        # A participant's role is too low for the console.
        part = Browser(self.srv.origin)
        self.srv.run('user', 'add', '--data', self.srv.data, '--role', 'trainer',
                     'trainer-sec@example.org', stdin='trainer-password-1\n')
        part.login('trainer-sec@example.org', 'trainer-password-1')
        cookie = '; '.join('%s=%s' % (c.name, c.value) for c in part.jar)
        assert self.expect_answer_before_body('/admin/outbox/resend', 1 * MB, cookie) == 403
        # No CSRF cookie: the form could never be accepted.
        assert self.expect_answer_before_body('/events/sela-2022/apply', 1000) == 403

    def bodies_in_flight_share_a_cap(self):
        """With bodies_in_flight_mb = 8: two 3 MB bodies held in memory fit,
        a third does not and is refused (503, Retry-After) while the first
        two are answered; afterwards the memory is free for others again."""
        cookie = self.cookie_header()
        size = 3 * MB
        socks = []
        for i in range(3):
            s = connect(self.port, timeout=10)
            s.sendall(self.post_head('/admin/outbox/resend', size, 'Cookie: %s\r\n' % cookie))
            s.sendall(b'a' * (size - 1))  # all but the last byte
            socks.append(s)
            time.sleep(0.3)  # the server has read it: the order is certain
        try:
            time.sleep(0.5)
            for s in socks:  # nobody is answered before the body is complete
                assert read_response_head(s, 0.1) is None
            heads = []
            for s in reversed(socks):
                s.sendall(b'a')
                heads.insert(0, read_response_head(s, 5))
        finally:
            for s in socks:
                s.close()
        st = [status_of(h) for h in heads]
        print('      answers %s' % st)
        assert st[2] == 503 and 'Retry-After: 5' in heads[2], heads[2]
        assert st[0] not in (413, 503, None) and st[1] not in (413, 503, None), st
        # The memory was given back: a whole body is taken again.
        body = 'csrf=%s&id=999999&pad=' % self.admin.csrf()
        body += 'a' * (size - len(body))
        for _ in range(3):
            status, _, _ = self.admin.request(
                'POST', '/admin/outbox/resend', body.encode(),
                {'Content-Type': 'application/x-www-form-urlencoded'})
            assert status not in (413, 503), status

    def slow_body_is_cut_off(self):
        """A body held in memory must keep a minimum pace: a 1000-byte form
        trickled a byte every 0.2 s is closed at about header_timeout."""
        s = connect(self.port, OTHER_CLIENT)
        try:
            s.sendall(self.post_head('/login', 1000, 'Cookie: %s\r\n' % ANY_CSRF) + b'x' * 10)
            t0 = time.monotonic()
            closed_after = None
            while time.monotonic() - t0 < 6:
                try:
                    s.send(b'x')
                    s.settimeout(0.2)
                    if s.recv(1) == b'':
                        closed_after = time.monotonic() - t0
                        break
                except socket.timeout:
                    continue
                except OSError:
                    closed_after = time.monotonic() - t0
                    break
        finally:
            s.close()
        print('      closed after %s s' % closed_after)
        assert closed_after is not None and 1.5 <= closed_after <= 4.0, closed_after

    def chunked_bodies_keep_the_limit(self):
        """A chunked body has no announced length: it is refused once it
        passes the route's limit, and the refusal comes when it ends."""
        s = connect(self.port)
        try:
            s.sendall(b'POST /login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n'
                      b'Content-Type: application/x-www-form-urlencoded\r\n'
                      b'Cookie: ' + ANY_CSRF.encode() + b'\r\n\r\n')
            piece = b'a' * 65536
            for _ in range(6):  # 384 kB > 256 kB
                s.sendall(b'%x\r\n' % len(piece) + piece + b'\r\n')
            s.sendall(b'0\r\n\r\n')
            assert status_of(read_response_head(s, 5)) == 413
        finally:
            s.close()

    # ---- finding 7: slow connections ----

    def slow_connections_from_one_address(self):
        """4,500 connections from 127.0.0.1 that send half a header: the
        server keeps at most connections_per_address (64) of them, and
        /healthz answers a client at 127.0.0.2 within a second.

        The kernel, not the server, may drop a SYN while its listen queue is
        full (a slower machine, a smaller somaxconn): so the second is
        counted from the moment the other client's connection is
        established, and only connections that were established count as
        held."""
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft != resource.RLIM_INFINITY and soft < 5000:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        n = 4500 if soft == resource.RLIM_INFINITY else min(4500, soft - 200)
        assert n > 200, 'only %d open files allowed' % soft
        socks = []
        try:
            for i in range(n):
                s = socket.socket()
                s.setblocking(False)
                try:
                    s.connect(('127.0.0.1', self.port))
                except BlockingIOError:
                    pass
                socks.append(s)
            time.sleep(0.3)
            for s in socks:
                try:
                    s.send(b'GET / HTTP/1.1\r\nHost: x\r\n')
                except OSError:
                    pass
            time.sleep(0.3)
            t_connect = time.monotonic()
            c = connect(self.port, OTHER_CLIENT, timeout=5)
            t0 = time.monotonic()
            c.sendall(b'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
            head = read_response_head(c, 1)
            took = time.monotonic() - t0
            c.close()
            print('      connected from %s in %.3f s' % (OTHER_CLIENT, t0 - t_connect))
            assert status_of(head) == 200 and took < 1.0, (head, took)
            # How many of the 4,500 the server still holds open.
            alive = 0
            for s in socks:
                try:
                    s.getpeername()  # never established: not held by anyone
                    if s.recv(1) == b'':
                        continue
                    alive += 1
                except BlockingIOError:
                    alive += 1
                except OSError:
                    pass
            print('      /healthz from %s in %.3f s; %d of %d held' % (OTHER_CLIENT, took, alive, n))
            assert 1 <= alive <= 64, 'the server holds %d connections from one address' % alive
        finally:
            for s in socks:
                s.close()

    def trickled_header_is_cut_off(self):
        """header_timeout_seconds = 2: a header trickled one byte every 0.2 s
        is closed after about 2 s, though bytes keep coming; a header that is
        slow but complete in time is answered."""
        s = connect(self.port, OTHER_CLIENT)
        t0 = time.monotonic()
        closed_after = None
        trickle = b'GET /healthz HTTP/1.1\r\nHost: x\r\n' + b'X-Slow: ' + b'a' * 1000
        try:
            for b in trickle:
                if time.monotonic() - t0 > 6:
                    break
                try:
                    s.send(bytes([b]))
                    s.settimeout(0.2)
                    if s.recv(1) == b'':
                        closed_after = time.monotonic() - t0
                        break
                except socket.timeout:
                    continue
                except OSError:
                    closed_after = time.monotonic() - t0
                    break
        finally:
            s.close()
        print('      closed after %s s' % closed_after)
        assert closed_after is not None and 1.5 <= closed_after <= 4.0, closed_after
        # Slow but in time: answered.
        s = connect(self.port, OTHER_CLIENT)
        try:
            for part in (b'GET /healthz HTTP/1.1\r\n', b'Host: x\r\n', b'\r\n'):
                s.sendall(part)
                time.sleep(0.4)
            assert status_of(read_response_head(s, 2)) == 200
        finally:
            s.close()

    def idle_keep_alive_is_closed_too(self):
        """After an answer, the next request's header is due in the same
        time: an idle kept-alive connection does not hold a slot for ever."""
        s = connect(self.port, OTHER_CLIENT)
        try:
            s.sendall(b'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n')
            s.settimeout(2)
            assert b'200' in s.recv(4096).split(b'\r\n')[0]
            t0 = time.monotonic()
            s.settimeout(6)
            try:
                data = s.recv(1)
            except OSError:
                data = b''
            assert data == b'' and time.monotonic() - t0 < 4.0
        finally:
            s.close()

    # ---- finding 13: secrets in the access log ----

    def access_log_masks_tokens(self):
        secrets = ['SecretSignIn0123456789abcdef', 'SecretJoin0123456789abcdef',
                   'SecretSlash0123456789abcdef', 'SecretPost0123456789abcdef']
        b = Browser(self.srv.origin)
        b.request('GET', '/login/' + secrets[0])
        b.request('GET', '/j/' + secrets[1] + '?lang=en')
        b.request('GET', '/login/' + secrets[2] + '/')
        b.request('POST', '/login/' + secrets[3], b'x=1')
        time.sleep(0.3)
        log = self.log()
        for sec in secrets:
            assert sec not in log, sec + ' is in the log'
        assert re.search(r' GET /login/\*\*\* \d{3} ', log), 'no masked sign-in line'
        assert re.search(r' GET /j/\*\*\* \d{3} ', log), 'no masked join line'
        assert re.search(r' GET /login/\*\*\*/ \d{3} ', log), 'no masked mistyped link'
        # Other paths are logged as they are.
        assert re.search(r' GET /login \d{3} ', log), 'plain /login not logged'


def open_half_headers(port, n):
    """n connections from 127.0.0.1 that each send half a request header."""
    socks = []
    for _ in range(n):
        s = connect(port)
        s.sendall(b'GET / HTTP/1.1\r\nHost: x\r\n')
        s.setblocking(False)
        socks.append(s)
    return socks


def count_open(socks):
    alive = 0
    for s in socks:
        try:
            if s.recv(1) != b'':
                alive += 1
        except BlockingIOError:
            alive += 1
        except OSError:
            pass
    return alive


def settings_behind_a_proxy(data):
    """connections_per_address = 0 lifts the cap (behind a reverse proxy
    every visitor has the proxy's address); 3 lowers it."""
    for value, held in (('0', 100), ('3', 3)):
        with open(os.path.join(data, 'aula.ini'), 'w') as f:
            f.write('[server]\nconnections_per_address = %s\n' % value)
        srv = AulaServer(data=data).start()
        try:
            socks = open_half_headers(int(srv.origin.rsplit(':', 1)[1]), 100)
            time.sleep(0.3)
            alive = count_open(socks)
            for s in socks:
                s.close()
            assert alive == held, 'connections_per_address = %s: %d held' % (value, alive)
        finally:
            srv.stop()


def bad_settings_are_refused(data):
    for line in ('header_timeout_seconds = 0', 'connections_per_address = -1',
                 'max_connections = 2', 'bodies_in_flight_mb = 0', 'max_public_body_kb = x'):
        with open(os.path.join(data, 'aula.ini'), 'w') as f:
            f.write('[server]\n%s\n' % line)
        srv = AulaServer(data=data)
        p = srv.run('serve', '--data', data, '--listen', '127.0.0.1:0')
        assert p.returncode != 0 and 'invalid setting' in p.stderr, (line, p.returncode, p.stderr)


def main():
    r = Results()
    srv = AulaServer()
    srv.run('init', '--data', srv.data).check_returncode()
    srv.run('import', '--data', srv.data,
            os.path.join(ROOT, 'examples/sela-2022/programme.json')).check_returncode()
    srv.run('user', 'add', '--data', srv.data, '--role', 'admin', 'admin@example.org',
            stdin='admin-password-1\n').check_returncode()
    with open(os.path.join(srv.data, 'aula.ini'), 'w') as f:
        f.write('[server]\nheader_timeout_seconds = 2\nbodies_in_flight_mb = 8\n'
                'access_log = on\n')
    with srv as s:
        c = Check(s)
        r.check('unknown path: bodies not read, memory bounded',
                c.unknown_path_bodies_are_not_read)
        r.check('public forms have a small body limit', c.public_forms_have_a_small_limit)
        r.check('bodies wait for the access check', c.bodies_wait_for_the_access_check)
        r.check('bodies in flight share a memory cap', c.bodies_in_flight_share_a_cap)
        r.check('chunked bodies keep the limit', c.chunked_bodies_keep_the_limit)
        r.check('a slow body is cut off', c.slow_body_is_cut_off)
        r.check('4,500 slow connections from one address',
                c.slow_connections_from_one_address)
        r.check('a trickled header is cut off at its deadline', c.trickled_header_is_cut_off)
        r.check('an idle kept-alive connection is closed', c.idle_keep_alive_is_closed_too)
        r.check('access log masks tokens', c.access_log_masks_tokens)
        r.check('server still answers', lambda: s.get('/healthz'))
    data = tempfile.mkdtemp(prefix='aula-py-')
    try:
        AulaServer(data=data).run('init', '--data', data).check_returncode()
        r.check('connections_per_address is configurable', lambda: settings_behind_a_proxy(data))
        r.check('bad settings are refused', lambda: bad_settings_are_refused(data))
    finally:
        shutil.rmtree(data, ignore_errors=True)
    r.finish()


if __name__ == '__main__':
    main()
