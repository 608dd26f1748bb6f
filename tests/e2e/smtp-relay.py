#!/usr/bin/python3
# A real SMTP relay on loopback for the mailroom's tests (aiosmtpd, Debian's
# python3-aiosmtpd): STARTTLS required, AUTH PLAIN/LOGIN required over TLS,
# each message accepted is written whole to DIR/NNNN-<uuid>.eml (the bytes
# as received, after dot-unstuffing) with DIR/...eml.env (MAIL FROM and the
# RCPT TOs, one a line), by rename, before the 250 is sent.
#   smtp-relay.py PORT CERT KEY USER PASSWORD DIR [--refuse-rcpt SUBSTR]
#                 [--hold HOLD]
# --hold HOLD: once the file HOLD/arm exists, the first message's DATA is
# held (HOLD/holding written) before its 250 until the file HOLD/release
# exists or another session's message has been accepted meanwhile; then
# HOLD/released says which ("release" or "another message"). Two senders
# that should take turns are thus made to overlap for sure.
# Writes DIR/ready when listening; stops on SIGTERM.
import asyncio, os, signal, ssl, sys, threading, uuid
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, cert, key, user, password, outdir = sys.argv[1:7]
opts = dict(zip(sys.argv[7::2], sys.argv[8::2]))
refuse = opts.get('--refuse-rcpt')
hold = opts.get('--hold')
held = [False]
os.makedirs(outdir, exist_ok=True)
count = [0]
lock = threading.Lock()

class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if refuse and refuse in address:
            return '550 5.1.1 <%s>: recipient refused' % address
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        if hold and not held[0] and os.path.exists(os.path.join(hold, 'arm')):
            held[0] = True
            before = count[0]
            open(os.path.join(hold, 'holding'), 'w').close()
            while True:
                if os.path.exists(os.path.join(hold, 'release')):
                    why = 'release'
                    break
                if count[0] > before:
                    why = 'another message'
                    break
                await asyncio.sleep(0.02)
            with open(os.path.join(hold, 'released'), 'w') as f:
                f.write(why + '\n')
        with lock:
            count[0] += 1
            n = count[0]
        name = os.path.join(outdir, '%06d-%s.eml' % (n, uuid.uuid4().hex))
        with open(name + '.tmp', 'wb') as f:
            f.write(envelope.original_content or envelope.content)
            f.flush(); os.fsync(f.fileno())
        with open(name + '.env', 'w') as f:
            f.write(envelope.mail_from + '\n' + ''.join(r + '\n' for r in envelope.rcpt_tos))
        os.rename(name + '.tmp', name)
        return '250 2.0.0 OK queued as %06d' % n

def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == user.encode() \
        and auth_data.password == password.encode()
    return AuthResult(success=ok, handled=False)

ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
ctx.load_cert_chain(cert, key)
c = Controller(Handler(), hostname='127.0.0.1', port=int(port), tls_context=ctx,
               require_starttls=True, authenticator=authenticator, auth_required=True,
               auth_require_tls=True, decode_data=False)
c.start()
open(os.path.join(outdir, 'ready'), 'w').close()
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: stop.set())
signal.signal(signal.SIGINT, lambda *a: stop.set())
while not stop.wait(0.5):
    pass
c.stop()
