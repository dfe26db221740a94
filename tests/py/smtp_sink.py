#!/usr/bin/python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""A small SMTP server for tests: stores every message it accepts.

    /usr/bin/python3 tests/py/smtp_sink.py --port 0 --dir OUTDIR [--refuse ADDR]...
        [--tempfail ADDR]... [--auth USER:PASSWORD] [--host 127.0.0.1]

The first line on standard output is `listening PORT`.  Each accepted message
is written to OUTDIR as NNNN.eml (the bytes received, CRLF line ends, dot
stuffing removed) next to NNNN.json with its envelope:
{"mail_from": "...", "rcpt_tos": ["..."], "peer": "...", "auth_user": ...}.
The .json is written first and the .eml renamed into place, so once a .eml is
visible both files are complete.

RCPT TO an address given with --refuse is answered
`550 5.1.1 <addr>: Recipient address rejected: User unknown`, with --tempfail
`450 4.2.0 <addr>: Recipient address temporarily unavailable`.  With --auth the
server offers AUTH PLAIN/LOGIN (without TLS) and requires it before MAIL.
No STARTTLS is offered.  Stops on SIGTERM or SIGINT.

Needs Debian's python3-aiosmtpd (run with /usr/bin/python3).  From Python:

    from smtp_sink import SmtpSink
    with SmtpSink(outdir, refuse=['nobody@example.org']) as sink:
        ... send to 127.0.0.1:sink.port ...
        msgs = sink.wait_messages(1)   # [(envelope dict, raw bytes)]
"""
import argparse
import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
import time
import warnings

SINK_PATH = os.path.abspath(__file__)


def _addr_key(addr):
    return addr.strip().strip('<>').lower()


def _login(session):
    data = getattr(session, 'auth_data', None)
    login = getattr(data, 'login', None)
    return login.decode('utf-8', 'replace') if isinstance(login, bytes) else None


class _Handler:
    def __init__(self, outdir, refuse, tempfail):
        self.outdir = outdir
        self.refuse = {_addr_key(a) for a in refuse}
        self.tempfail = {_addr_key(a) for a in tempfail}
        self.counter = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        key = _addr_key(address)
        if key in self.refuse:
            return '550 5.1.1 <%s>: Recipient address rejected: User unknown' % address
        if key in self.tempfail:
            return '450 4.2.0 <%s>: Recipient address temporarily unavailable' % address
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        while True:
            self.counter += 1
            base = os.path.join(self.outdir, '%04d' % self.counter)
            if not os.path.exists(base + '.eml'):
                break
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode('utf-8', 'surrogateescape')
        meta = {
            'mail_from': envelope.mail_from,
            'rcpt_tos': list(envelope.rcpt_tos),
            'mail_options': list(envelope.mail_options or []),
            'peer': '%s:%s' % tuple(session.peer[:2]) if session.peer else None,
            'auth_user': _login(session),
        }
        with open(base + '.json', 'w', encoding='utf-8') as f:
            json.dump(meta, f, ensure_ascii=False, indent=1)
        with open(base + '.eml.tmp', 'wb') as f:
            f.write(content)
        os.replace(base + '.eml.tmp', base + '.eml')
        return '250 2.0.0 Ok: queued as %04d' % self.counter


def _make_authenticator(user, password):
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def authenticator(server, session, envelope, mechanism, auth_data):
        if (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode() and
                auth_data.password == password.encode()):
            return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)
    return authenticator


def main(argv=None):
    ap = argparse.ArgumentParser(description='SMTP sink for tests')
    ap.add_argument('--host', default='127.0.0.1')
    ap.add_argument('--port', type=int, default=0)
    ap.add_argument('--dir', required=True)
    ap.add_argument('--refuse', action='append', default=[], metavar='ADDR')
    ap.add_argument('--tempfail', action='append', default=[], metavar='ADDR')
    ap.add_argument('--auth', metavar='USER:PASSWORD')
    args = ap.parse_args(argv)

    # aiosmtpd warns about AUTH without TLS and logs every session; a test
    # sink wants neither on its output.
    warnings.simplefilter('ignore')
    logging.getLogger('mail.log').setLevel(logging.ERROR)
    from aiosmtpd.smtp import SMTP

    os.makedirs(args.dir, exist_ok=True)
    handler = _Handler(args.dir, args.refuse, args.tempfail)
    kwargs = {'hostname': 'sink.test', 'ident': 'aula-smtp-sink'}
    if args.auth:
        user, _, password = args.auth.partition(':')
        kwargs.update(auth_required=True, auth_require_tls=False,
                      authenticator=_make_authenticator(user, password))

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(
        loop.create_server(lambda: SMTP(handler, loop=loop, **kwargs), args.host, args.port))
    port = server.sockets[0].getsockname()[1]
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, loop.stop)
    print('listening %d' % port, flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()
        loop.run_until_complete(server.wait_closed())
        loop.close()
    return 0


class SmtpSink:
    """Runs smtp_sink.py as a child process for the duration of a with block."""

    def __init__(self, outdir, refuse=(), tempfail=(), auth=None, python='/usr/bin/python3',
                 port=0):
        self.outdir = outdir
        self.cmd = [python, SINK_PATH, '--port', str(port), '--dir', outdir]
        for a in refuse:
            self.cmd += ['--refuse', a]
        for a in tempfail:
            self.cmd += ['--tempfail', a]
        if auth:
            self.cmd += ['--auth', auth]
        self.proc = None
        self.port = None

    def __enter__(self):
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith('listening '):
            self.proc.kill()
            raise RuntimeError('smtp_sink did not start: %r' % line)
        self.port = int(line.split()[1])
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def messages(self):
        """[(envelope dict, raw bytes)] of the messages stored so far, in order."""
        out = []
        for name in sorted(os.listdir(self.outdir)):
            if name.endswith('.eml'):
                base = os.path.join(self.outdir, name[:-4])
                with open(base + '.json', encoding='utf-8') as f:
                    env = json.load(f)
                with open(base + '.eml', 'rb') as f:
                    out.append((env, f.read()))
        return out

    def wait_messages(self, n, timeout=10.0):
        deadline = time.monotonic() + timeout
        while True:
            msgs = self.messages()
            if len(msgs) >= n or time.monotonic() > deadline:
                return msgs
            time.sleep(0.05)


if __name__ == '__main__':
    sys.exit(main())
