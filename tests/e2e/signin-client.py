#!/usr/bin/python3
"""signin-client.py - sign-in attempts against `ballot serve` from chosen
loopback source addresses (127.0.0.0/8), for 28-sec-signin.t and
tests/bench/signin.sh. Each attempt is a POST /signin on a new TLS
connection, with a __Host-pre cookie and the matching csrf field made up on
the spot (as an attacker would). Environment: PORT, CA_PEM.

  one SRC KIND WHO SECRET
      one attempt; prints "STATUS RETRY-AFTER SESSION" (SESSION 1 when a
      __Host-session cookie was set)
  seq SRC KIND WHO SECRET,SECRET,...
      one attempt per SECRET, one after another from one process (no
      process start between them: a throttle's 1 s wait is not outrun by a
      slow machine); prints "STATUS RETRY-AFTER SESSION" per attempt
  parallel SRC N KIND WHO SECRET
      N attempts at once: every connection is opened and its request sent
      but for the last byte, then all last bytes go together; prints the
      count of each status ("401=5 429=35"); WHO and SECRET may be lists
      (A,B,...: attempt i signs in as the i-th, cycling)
  flood TOTAL KIND WHO SRC,SRC,... [--legit SRC SECRET]
      TOTAL wrong attempts for WHO spread over the source addresses (two
      threads each); with --legit, once a fifth of them are sent, one
      attempt with the right SECRET from SRC, timed. Prints the count of
      each status of the wrong ones, then "legit STATUS SESSION SECONDS"
  certget N CERT KEY PATH
      N GETs of PATH without a cookie, presenting the client certificate
      CERT (key KEY), over keep-alive connections from 127.0.0.1; prints the
      count of each status, then "tokens T csrf C": how many different
      __Host-session tokens were set, and how many different CSRF tokens the
      pages carried
KIND is member (WHO a member, SECRET a code) or user (WHO a staff account,
SECRET a password).
"""
import http.client
import os
import ssl
import sys
import threading
import time
import urllib.parse

PORT = int(os.environ["PORT"])
CTX = ssl.create_default_context(cafile=os.environ["CA_PEM"])


def request(src, kind, who, secret):
    """(connection, headers dict, body bytes) of one sign-in attempt."""
    tok = os.urandom(32).hex()
    fields = {"kind": kind, "csrf": tok}
    if kind == "member":
        fields.update(member=who, code=secret)
    else:
        fields.update(user=who, password=secret)
    body = urllib.parse.urlencode(fields).encode()
    conn = http.client.HTTPSConnection("localhost", PORT, context=CTX, source_address=(src, 0), timeout=60)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": "__Host-pre=" + tok,
               "Content-Length": str(len(body))}
    return conn, headers, body


def answer(conn):
    r = conn.getresponse()
    r.read()
    session = any(h.lower() == "set-cookie" and v.startswith("__Host-session=") and "Max-Age=0" not in v
                  for h, v in r.getheaders())
    out = (r.status, r.getheader("Retry-After", "-"), 1 if session else 0)
    conn.close()
    return out


def attempt(src, kind, who, secret):
    conn, headers, body = request(src, kind, who, secret)
    try:
        conn.request("POST", "/signin", body, headers)
        return answer(conn)
    except (OSError, http.client.HTTPException) as e:
        return ("error:" + type(e).__name__, "-", 0)


def counts(statuses):
    c = {}
    for s in statuses:
        c[s] = c.get(s, 0) + 1
    return " ".join(f"{k}={c[k]}" for k in sorted(c, key=str))


def parallel(src, n, kind, who, secret):
    reqs = []
    whos, secrets = who.split(","), secret.split(",")
    for i in range(n):
        conn, headers, body = request(src, kind, whos[i % len(whos)], secrets[i % len(secrets)])
        conn.connect()
        conn.putrequest("POST", "/signin")
        for k, v in headers.items():
            conn.putheader(k, v)
        conn.endheaders()
        conn.send(body[:-1])
        reqs.append((conn, body[-1:]))
    results = [None] * n
    go = threading.Barrier(n)

    def finish(i):
        conn, last = reqs[i]
        go.wait()
        try:
            conn.send(last)
            results[i] = answer(conn)[0]
        except (OSError, http.client.HTTPException) as e:
            results[i] = "error:" + type(e).__name__

    threads = [threading.Thread(target=finish, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(counts(results))


def flood(total, kind, who, srcs, legit=None):
    lock = threading.Lock()
    sent = [0]
    statuses = []
    fifth = threading.Event()

    def worker(src):
        while True:
            with lock:
                if sent[0] >= total:
                    return
                sent[0] += 1
                if sent[0] >= total // 5:
                    fifth.set()
            st = attempt(src, kind, who, "WRONG-" + os.urandom(6).hex())[0]
            with lock:
                statuses.append(st)

    threads = [threading.Thread(target=worker, args=(s,)) for s in srcs for _ in range(2)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    result = None
    if legit:
        fifth.wait()
        t1 = time.monotonic()
        st, _, sess = attempt(legit[0], kind, who, legit[1])
        result = (st, sess, time.monotonic() - t1, len(statuses))
    for t in threads:
        t.join()
    print(counts(statuses), f"in {time.monotonic() - t0:.1f}s")
    if result:
        print(f"legit {result[0]} {result[1]} {result[2]:.3f} (after {result[3]} wrong attempts)")


def certget(n, cert, key, path):
    ctx = ssl.create_default_context(cafile=os.environ["CA_PEM"])
    ctx.load_cert_chain(cert, key)
    statuses, tokens, csrfs = [], set(), set()
    conn = None
    for _ in range(n):
        if conn is None:
            conn = http.client.HTTPSConnection("localhost", PORT, context=ctx, timeout=60)
        try:
            conn.request("GET", path)
            r = conn.getresponse()
            body = r.read()
        except (OSError, http.client.HTTPException) as e:
            statuses.append("error:" + type(e).__name__)
            conn.close()
            conn = None
            continue
        statuses.append(r.status)
        for h, v in r.getheaders():
            if h.lower() == "set-cookie" and v.startswith("__Host-session="):
                tokens.add(v.split(";")[0])
        i = body.find(b'name="csrf" value="')
        if i >= 0:
            csrfs.add(body[i + 19:i + 83])
        if (r.getheader("Connection", "") or "").lower() == "close":
            conn.close()
            conn = None
    print(counts(statuses))
    print(f"tokens {len(tokens)} csrf {len(csrfs)}")


def main(argv):
    if argv[0] == "one" and len(argv) == 5:
        print(*attempt(argv[1], argv[2], argv[3], argv[4]))
    elif argv[0] == "seq" and len(argv) == 5:
        for secret in argv[4].split(","):
            print(*attempt(argv[1], argv[2], argv[3], secret))
    elif argv[0] == "parallel" and len(argv) == 6:
        parallel(argv[1], int(argv[2]), argv[3], argv[4], argv[5])
    elif argv[0] == "flood" and len(argv) in (5, 8) and (len(argv) == 5 or argv[5] == "--legit"):
        flood(int(argv[1]), argv[2], argv[3], argv[4].split(","), (argv[6], argv[7]) if len(argv) == 8 else None)
    elif argv[0] == "certget" and len(argv) == 5:
        certget(int(argv[1]), argv[2], argv[3], argv[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
