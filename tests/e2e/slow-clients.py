#!/usr/bin/python3
"""slow-clients.py - idle and slow clients against `ballot serve`, and the
legitimate reply they must not stop (tests/e2e/30-sec-connections.t and
tests/bench/portal-flood.sh). Debian's python3, standard library only.

  hold --port P --addrs A-B [--per-addr N] [--tls N] [--kept-alive N]
       [--interval S] [--rotate S] [--status FILE]
      keeps N connections open from each source address A..B (127.0.0.x):
      idle TCP connections that never send a byte, --tls of them TLS
      clients that send a request head one line every --interval seconds,
      and --kept-alive of them TLS clients that complete a cheap request
      (GET /static/style.css) every --interval seconds on one connection.
      A connection the server closes is opened again at once (after 0.2 s
      when the server closed it within 0.5 s); with --rotate, each is also
      replaced by a fresh one after S seconds. Until SIGTERM; FILE gets
      "open=N opened=N cut=N" twice a second; at the end one line of
      figures on stdout.
  measure --port P --addr A [--idle N] [--tls N] [--keepalive N]
          [--interval S] [--max-wait S]
      opens N idle TCP connections, N slow-header TLS clients and N TLS
      clients that send one whole request and then nothing, from A, and
      prints, per kind, how long the server kept them open (keep-alive:
      after its answer):
      "KIND n=N cut=C median=S max=S" (a connection still open after
      --max-wait counts as not cut, held --max-wait).
  cap --port P --addr A --n N [--wait S]
      opens N idle TCP connections from A at once, waits S seconds and
      prints "open=O closed=C": how many the server closed meanwhile.
  reply --port P --ca FILE --member M --code C --circular ID [--addr A]
      a legitimate administration: GET /signin, POST /signin with its reply
      code, GET the form, POST a reply (choice-1=authorize), each on a new
      TLS connection; prints "ok SECONDS reply=N" or "failed SECONDS STEP:
      WHY" (exit 1).
"""
import argparse
import http.client
import ipaddress
import os
import re
import resource
import selectors
import signal
import socket
import ssl
import statistics
import sys
import threading
import time
import urllib.parse

HOST = "127.0.0.1"


def raise_nofile(n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = n if hard == resource.RLIM_INFINITY else min(hard, n)
    if want > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


def addr_range(spec):
    if "-" in spec:
        a, b = spec.split("-")
        a, b = ipaddress.IPv4Address(a), ipaddress.IPv4Address(b)
        return [str(ipaddress.IPv4Address(i)) for i in range(int(a), int(b) + 1)]
    return spec.split(",")


def tls_context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # an attacker does not care
    return ctx


def fmt(xs):
    if not xs:
        return "min=- median=- max=-"
    return "min=%.2f median=%.2f max=%.2f" % (min(xs), statistics.median(xs), max(xs))


class _TLSClient:
    """What the slow TLS clients share: a connection from address src, and
    a wait during which the server may close it."""

    def __init__(self, port, src, interval, ctx):
        self.port, self.src, self.interval, self.ctx = port, src, interval, ctx

    def _connect(self):
        """(TLS socket or None when refused or cut, the time it began)."""
        raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        t0 = time.monotonic()
        try:
            raw.bind((self.src, 0))
            raw.settimeout(10)
            raw.connect((HOST, self.port))
            return self.ctx.wrap_socket(raw, server_hostname="localhost"), t0
        except (OSError, ssl.SSLError):
            raw.close()
            return None, t0

    def _idle(self, s, t0, stop, max_wait):
        """Waits one interval watching for the server closing s: None when
        it did not, else the result to return, (seconds held, closed?)."""
        end = time.monotonic() + self.interval
        while time.monotonic() < end:
            if stop.is_set() or (max_wait is not None and time.monotonic() - t0 >= max_wait):
                return time.monotonic() - t0, False
            s.settimeout(min(0.2, max(0.01, end - time.monotonic())))
            try:
                if not s.recv(4096):
                    return time.monotonic() - t0, True
            except socket.timeout:
                continue
        return None


class SlowTLS(_TLSClient):
    """A TLS client that sends its request head one line every interval
    seconds, until the server closes the connection."""

    def run_once(self, stop, max_wait=None):
        """Returns (seconds held, closed by the server?)."""
        s, t0 = self._connect()
        if s is None:
            return time.monotonic() - t0, True
        lines = [b"GET /signin HTTP/1.1\r\n", b"Host: localhost\r\n"]
        i = 0
        try:
            while not stop.is_set():
                s.sendall(lines[i] if i < len(lines) else b"X-Slow-%d: x\r\n" % i)
                i += 1
                done = self._idle(s, t0, stop, max_wait)
                if done:
                    return done
            return time.monotonic() - t0, False
        except (OSError, ssl.SSLError):
            return time.monotonic() - t0, True
        finally:
            s.close()


class KeptAlive(_TLSClient):
    """A TLS client that completes a cheap request (GET /static/style.css)
    every interval seconds on one kept-alive connection, idle in between."""

    def run_once(self, stop, max_wait=None):
        s, t0 = self._connect()
        if s is None:
            return time.monotonic() - t0, True
        try:
            while not stop.is_set():
                s.settimeout(10)
                s.sendall(b"GET /static/style.css HTTP/1.1\r\nHost: localhost\r\n\r\n")
                got = b""
                while b"\r\n\r\n" not in got:
                    d = s.recv(65536)
                    if not d:
                        return time.monotonic() - t0, True
                    got += d
                head, _, body = got.partition(b"\r\n\r\n")
                m = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
                n = int(m.group(1)) if m else 0
                while len(body) < n:
                    d = s.recv(65536)
                    if not d:
                        return time.monotonic() - t0, True
                    body += d
                done = self._idle(s, t0, stop, max_wait)
                if done:
                    return done
            return time.monotonic() - t0, False
        except (OSError, ssl.SSLError):
            return time.monotonic() - t0, True
        finally:
            s.close()


# ---- hold ----

def cmd_hold(a):
    addrs = addr_range(a.addrs)
    raise_nofile(len(addrs) * a.per_addr + 256)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    lock = threading.Lock()
    st = {"opened": 0, "cut": 0, "open": 0, "tls_cut": 0, "failed": 0}
    held = []  # seconds each connection the server cut was held

    ctx = tls_context()
    tls_threads = []

    def tls_loop(src, kind):
        c = kind(a.port, src, a.interval, ctx)
        while not stop.is_set():
            with lock:
                st["opened"] += 1
                st["open"] += 1
            secs, was_cut = c.run_once(stop, a.rotate or None)
            with lock:
                st["open"] -= 1
                if was_cut:
                    st["cut"] += 1
                    st["tls_cut"] += 1
                    held.append(secs)
            if was_cut and secs < 0.5:
                stop.wait(0.2)

    plain_per = {}
    threading.stack_size(256 * 1024)
    for i in range(a.tls + a.kept_alive):
        src = addrs[i % len(addrs)]
        plain_per[src] = plain_per.get(src, 0) + 1
        kind = SlowTLS if i < a.tls else KeptAlive
        t = threading.Thread(target=tls_loop, args=(src, kind), daemon=True)
        tls_threads.append(t)

    sel = selectors.DefaultSelector()
    conns = {}  # socket -> (src, opened at)
    pending = []  # (not before, src)

    def open_one(src):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.bind((src, 0))
            s.setblocking(False)
            s.connect_ex((HOST, a.port))
        except OSError:
            s.close()
            st["failed"] += 1
            pending.append((time.monotonic() + 0.2, src))
            return
        sel.register(s, selectors.EVENT_READ)
        conns[s] = (src, time.monotonic())
        with lock:
            st["opened"] += 1
            st["open"] += 1

    def close_one(s, by_server):
        src, t0 = conns.pop(s)
        sel.unregister(s)
        s.close()
        now = time.monotonic()
        with lock:
            st["open"] -= 1
            if by_server:
                st["cut"] += 1
                held.append(now - t0)
        pending.append((now + (0.2 if by_server and now - t0 < 0.5 else 0), src))

    for src in addrs:
        for _ in range(a.per_addr - plain_per.get(src, 0)):
            open_one(src)
    for t in tls_threads:
        t.start()
    last_status = 0.0
    while not stop.is_set():
        for key, _ in sel.select(timeout=0.05):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            if not data:
                close_one(s, True)
        now = time.monotonic()
        if a.rotate:
            for s, (src, t0) in list(conns.items()):
                if now - t0 >= a.rotate:
                    close_one(s, False)
        due = [p for p in pending if p[0] <= now]
        pending[:] = [p for p in pending if p[0] > now]
        for _, src in due:
            open_one(src)
        if a.status and now - last_status >= 0.5:
            last_status = now
            with lock:
                line = "open=%d opened=%d cut=%d\n" % (st["open"], st["opened"], st["cut"])
            with open(a.status + ".tmp", "w") as f:
                f.write(line)
            os.replace(a.status + ".tmp", a.status)
    for s in list(conns):
        s.close()
    for t in tls_threads:
        t.join(timeout=2)
    with lock:
        print("hold addresses=%d opened=%d cut=%d tls_cut=%d connect_failed=%d held_%s"
              % (len(addrs), st["opened"], st["cut"], st["tls_cut"], st["failed"], fmt(held)))


# ---- measure ----

def cmd_measure(a):
    stop = threading.Event()
    results = {"idle-tcp": [], "slow-tls": [], "keep-alive": []}
    lock = threading.Lock()

    def idle():
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((a.addr, 0))
        t0 = time.monotonic()
        s.connect((HOST, a.port))
        s.settimeout(a.max_wait)
        cut = True
        try:
            while s.recv(4096):
                pass
        except socket.timeout:
            cut = False
        except OSError:
            pass
        secs = time.monotonic() - t0
        s.close()
        with lock:
            results["idle-tcp"].append((secs, cut))

    ctx = tls_context()

    def slow():
        secs, cut = SlowTLS(a.port, a.addr, a.interval, ctx).run_once(stop, a.max_wait)
        with lock:
            results["slow-tls"].append((secs, cut))

    def keepalive():
        # one whole request, then nothing: how long after its answer
        raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        raw.bind((a.addr, 0))
        raw.connect((HOST, a.port))
        s = ctx.wrap_socket(raw, server_hostname="localhost")
        s.sendall(b"GET /signin HTTP/1.1\r\nHost: localhost\r\n\r\n")
        got = b""
        while b"\r\n\r\n" not in got:
            got += s.recv(65536)
        head, _, body = got.partition(b"\r\n\r\n")
        n = int(re.search(rb"(?i)\r\ncontent-length: *(\d+)", head).group(1))
        while len(body) < n:
            body += s.recv(65536)
        t0 = time.monotonic()
        s.settimeout(a.max_wait)
        cut = True
        try:
            while s.recv(4096):
                pass
        except socket.timeout:
            cut = False
        except (OSError, ssl.SSLError):
            pass
        secs = time.monotonic() - t0
        s.close()
        with lock:
            results["keep-alive"].append((secs, cut))

    ts = [threading.Thread(target=idle) for _ in range(a.idle)] + \
         [threading.Thread(target=slow) for _ in range(a.tls)] + \
         [threading.Thread(target=keepalive) for _ in range(a.keepalive)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    for kind, rs in results.items():
        if not rs:
            continue
        print("%s n=%d cut=%d %s" % (kind, len(rs), sum(1 for _, c in rs if c), fmt([s for s, _ in rs])))


# ---- cap ----

def cmd_cap(a):
    raise_nofile(a.n + 256)
    socks = []
    for _ in range(a.n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((a.addr, 0))
        s.connect((HOST, a.port))
        socks.append(s)
    time.sleep(a.wait)
    closed = 0
    for s in socks:
        s.setblocking(False)
        try:
            if s.recv(4096) == b"":
                closed += 1
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    for s in socks:
        s.close()
    print("open=%d closed=%d" % (a.n - closed, closed))


# ---- reply ----

class Step(Exception):
    pass


def cmd_reply(a):
    ctx = ssl.create_default_context(cafile=a.ca)
    cookies = {}
    req_loc = [None]  # the Location of the last answer
    t0 = time.monotonic()

    def req(step, method, path, form=None):
        # the connection made here: from a.addr, to 127.0.0.1, for the
        # name on the certificate (localhost)
        conn = http.client.HTTPSConnection("localhost", a.port, timeout=a.timeout, context=ctx)
        headers = {"Host": "localhost"}
        if cookies:
            headers["Cookie"] = "; ".join("%s=%s" % kv for kv in cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            sock = socket.create_connection((HOST, a.port), timeout=a.timeout, source_address=(a.addr, 0))
            conn.sock = ctx.wrap_socket(sock, server_hostname="localhost")
            conn.request(method, path, body=body, headers=headers)
            r = conn.getresponse()
            data = r.read().decode("utf-8", "replace")
        except (OSError, ssl.SSLError, http.client.HTTPException) as e:
            raise Step("%s: %s" % (step, e or type(e).__name__))
        finally:
            conn.close()
        req_loc[0] = r.getheader("Location")
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                cookies[name] = rest.split(";", 1)[0]
        return r.status, data

    def csrf(page, step):
        m = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
        if not m:
            raise Step("%s: no csrf field" % step)
        return m.group(1)

    try:
        st, page = req("GET /signin", "GET", "/signin")
        if st != 200:
            raise Step("GET /signin: %d" % st)
        st, _ = req("POST /signin", "POST", "/signin",
                    {"kind": "member", "csrf": csrf(page, "GET /signin"), "member": a.member, "code": a.code})
        if st != 303 or "__Host-session" not in cookies:
            raise Step("POST /signin: %d" % st)
        path = "/member/c/%s" % urllib.parse.quote(a.circular, safe="")
        st, page = req("GET form", "GET", path)
        if st != 200:
            raise Step("GET %s: %d" % (path, st))
        m = re.search(r'name="once" value="([0-9a-f]+)"', page)
        if not m:
            raise Step("GET form: no once field")
        st, page = req("POST reply", "POST", path + "/reply",
                       {"csrf": csrf(page, "GET form"), "once": m.group(1), "choice-1": "authorize",
                        "signatory": "A. Person"})
        if st != 303 or not req_loc[0]:
            raise Step("POST reply: %d" % st)
        # Post/Redirect/Get: the receipt page
        st, page = req("GET receipt", "GET", req_loc[0])
        m = re.search(r'class="reply-id">(\d+)<', page)
        if st != 200 or not m:
            raise Step("GET receipt: %d" % st)
    except Step as e:
        print("failed %.3f %s" % (time.monotonic() - t0, e))
        return 1
    print("ok %.3f reply=%s" % (time.monotonic() - t0, m.group(1)))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    h = sub.add_parser("hold")
    h.add_argument("--port", type=int, required=True)
    h.add_argument("--addrs", required=True)
    h.add_argument("--per-addr", type=int, default=128)
    h.add_argument("--tls", type=int, default=0)
    h.add_argument("--kept-alive", type=int, default=0)
    h.add_argument("--interval", type=float, default=2.0)
    h.add_argument("--rotate", type=float, default=0)
    h.add_argument("--status")
    m = sub.add_parser("measure")
    m.add_argument("--port", type=int, required=True)
    m.add_argument("--addr", default="127.0.0.2")
    m.add_argument("--idle", type=int, default=4)
    m.add_argument("--tls", type=int, default=2)
    m.add_argument("--keepalive", type=int, default=0)
    m.add_argument("--interval", type=float, default=1.0)
    m.add_argument("--max-wait", type=float, default=20)
    c = sub.add_parser("cap")
    c.add_argument("--port", type=int, required=True)
    c.add_argument("--addr", required=True)
    c.add_argument("--n", type=int, required=True)
    c.add_argument("--wait", type=float, default=2)
    r = sub.add_parser("reply")
    r.add_argument("--port", type=int, required=True)
    r.add_argument("--ca", required=True)
    r.add_argument("--member", required=True)
    r.add_argument("--code", required=True)
    r.add_argument("--circular", required=True)
    r.add_argument("--addr", default="127.0.0.1")
    r.add_argument("--timeout", type=float, default=10)
    a = ap.parse_args()
    return {"hold": cmd_hold, "measure": cmd_measure, "cap": cmd_cap, "reply": cmd_reply}[a.cmd](a) or 0


if __name__ == "__main__":
    sys.exit(main())
