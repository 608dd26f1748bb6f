#!/usr/bin/python3
# mail-read.py - reads the messages the test relay stored (smtp-relay.py),
# with Python's own email parser (not GMime), for the mailroom's tests.
#   mail-read.py list DIR      one TSV line per message, in arrival order:
#       file  message-id  sha256-of-bytes  subject(decoded)  to  cc  attachments(name:sha256,...)  envelope-rcpts
#   mail-read.py body FILE     the text part, decoded
#   mail-read.py part FILE NAME OUT   writes attachment NAME's bytes to OUT
import email, hashlib, os, sys
from email import policy

def load(path):
    with open(path, 'rb') as f:
        raw = f.read()
    return raw, email.message_from_bytes(raw, policy=policy.default)

def clean(s):
    return ' '.join(str(s or '').split())

cmd = sys.argv[1]
if cmd == 'list':
    d = sys.argv[2]
    for name in sorted(n for n in os.listdir(d) if n.endswith('.eml')):
        raw, m = load(os.path.join(d, name))
        atts = ','.join('%s:%s' % (p.get_filename(), hashlib.sha256(p.get_content()).hexdigest())
                        for p in m.iter_attachments())
        with open(os.path.join(d, name + '.env')) as f:
            env = f.read().split('\n')[1:]
        print('\t'.join([name, clean(m['Message-ID']), hashlib.sha256(raw).hexdigest(), clean(m['Subject']),
                         clean(m['To']), clean(m['Cc']), atts, ','.join(r for r in env if r)]))
elif cmd == 'body':
    raw, m = load(sys.argv[2])
    sys.stdout.write(m.get_body(('plain',)).get_content().replace('\r\n', '\n'))
elif cmd == 'part':
    raw, m = load(sys.argv[2])
    for p in m.iter_attachments():
        if p.get_filename() == sys.argv[3]:
            with open(sys.argv[4], 'wb') as f:
                f.write(p.get_content())
            sys.exit(0)
    sys.exit(1)
