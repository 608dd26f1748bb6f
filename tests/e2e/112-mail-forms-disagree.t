#!/bin/bash
# Session 17's adversarial test of returned forms (issue 17), by mail: two
# filled forms in one message for the same member and circular that
# disagree refuse the entry naming both attachments (agreeing copies are
# read as one form); an entry that `inbox accept` could never accept (a
# blank form naming another administration, a form changed after signing)
# is refused at fetch with accept's reason, in words that name no option
# inbox accept lacks; a form with a field given twice is refused naming it
# (not left unmatched); two scans that read a draft otherwise are refused
# like two filled forms.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/sign-lib.sh"
. "$HERE/scan-tick.sh"

PY=/usr/bin/python3
FILL="$PY $HERE/fill-form.py"
$PY -c 'import pypdf' 2>/dev/null || { fail "python3-pypdf is installed (tests/deps.sh)"; done_testing; exit; }
signers_need

expect_exit 0 ballot init
setup_205
at 2019-12-02T12:30:00Z
expect_exit 0 ballot draft add --summary "A summary." --circular 205 --rec Q.5052 --title "A second draft"
at 2020-01-10T09:00:00Z
printf 'CHE\tto\tsecretariat@ofcom.admin.ch\tfr\tOFCOM\n' >"$T/c.tsv"
expect_exit 0 ballot contacts import "$T/c.tsv"
expect_exit 0 ballot forms --circular 205 --member CHE --blank --lang en --out "$T/f" --jobs 1
F=$T/f/205/en
$FILL "$F/CHE.pdf" "$T/yes.pdf" draft.Q.5051.choice=authorize draft.Q.5052.choice=authorize signatory.name="A Person"
$FILL "$F/CHE.pdf" "$T/no.pdf" draft.Q.5051.choice=not-authorize draft.Q.5052.choice=not-authorize \
	signatory.name="A Person"
cp "$T/yes.pdf" "$T/copy.pdf"
$FILL "$F/blank.pdf" "$T/france.pdf" draft.Q.5051.choice=authorize draft.Q.5052.choice=authorize \
	sender.administration=France
$FILL "$F/blank.pdf" "$T/swiss.pdf" draft.Q.5051.choice=authorize draft.Q.5052.choice=authorize \
	sender.administration=Suisse
nss_init
nss_cert signer "CN=A Person,O=OFCOM,C=CH" "CT,C,C" -x
ok "pdfsig signs the form" pdf_sign signer "$T/yes.pdf" "$T/signed.pdf"
$FILL --update "$T/signed.pdf" "$T/changed.pdf" draft.Q.5051.choice=not-authorize
$PY "$HERE/form-edit.py" "$T/yes.pdf" "$T/twice.pdf" dup-signatory
# two scans of CHE's form ticked otherwise, and a copy of one
ok "a scan ticked authorize" tick "$F/CHE.pdf" 1 150 "$T/yesscan.png" 0 0 Q.5051=authorize:cross Q.5052=authorize:cross
ok "a scan ticked not-authorize" tick "$F/CHE.pdf" 1 150 "$T/noscan.png" 0 0 Q.5051=not-authorize:cross \
	Q.5052=not-authorize:cross
cp "$T/yesscan.png" "$T/yescopy.png"

MD="$T/Maildir"
mkdir -p "$MD/new" "$MD/cur" "$MD/tmp"
cat >"$T/mk.py" <<'PY'
import sys, email.message, os
md, t = sys.argv[1:3]
n = 0
def msg(subject, *pdfs):
    global n
    n += 1
    m = email.message.EmailMessage()
    m["Received"] = "from mail.ofcom.admin.ch by mx.itu.int; Tue, 14 Jan 2020 10:00:%02d +0000" % n
    m["From"] = "OFCOM <secretariat@ofcom.admin.ch>"
    m["To"] = "tsbsg@itu.int"
    m["Subject"] = subject
    m["Message-ID"] = "<m%d@ofcom.admin.ch>" % n
    m.set_content("Our reply.\n")
    for p in pdfs:
        kind = ("image", "png") if p.endswith(".png") else ("application", "pdf")
        m.add_attachment(open(os.path.join(t, p), "rb").read(), maintype=kind[0], subtype=kind[1], filename=p)
    open(os.path.join(md, "new", "%02d" % n), "wb").write(bytes(m))
msg("two forms that disagree", "yes.pdf", "no.pdf")
msg("the same form twice", "yes.pdf", "copy.pdf")
msg("a blank form naming France", "france.pdf")
msg("a form changed after signing", "changed.pdf")
msg("a blank French-named form", "swiss.pdf")
msg("a form with a field given twice", "twice.pdf")
msg("two scans that read otherwise", "yesscan.png", "noscan.png")
msg("a scan and its copy", "yesscan.png", "yescopy.png")
PY
$PY "$T/mk.py" "$MD" "$T" || fail "the messages are built"

expect_exit 0 ballot mail fetch --mailbox "maildir:$MD"
like "$OUT" "^entry 1: refused: field form: attachments 'yes\.pdf' and 'no\.pdf' are two forms for CHE, circular 205, that disagree \(Q\.5051=authorize, Q\.5052=authorize; Q\.5051=not-authorize, Q\.5052=not-authorize\)" \
	"two forms that disagree: refused, naming both attachments and what each says"
like "$OUT" '^entry 2: matched 205$' "the same form twice: read as one, matched"
like "$OUT" "^entry 3: refused: field sender\.administration 'France' does not name member CHE \(its code, or its whole name in one of the six languages\)$" \
	"a blank form naming another administration: refused at fetch with accept's reason, naming no option"
like "$OUT" "^entry 4: refused: field signature: an update added after signing changes the form's fields$" \
	"a form changed after signing: refused at fetch"
like "$OUT" '^entry 5: matched 205$' "a blank form naming the sender's member in French: matched"
like "$OUT" "^entry 6: refused: field signatory\.name: given twice$" "a form with a field given twice: refused naming it"
like "$OUT" "^entry 7: refused: field form: attachments 'yesscan\.png' and 'noscan\.png' are two scans of forms for CHE, circular 205, that read otherwise" \
	"two scans that read otherwise: refused, naming both (was: matched on the first)"
like "$OUT" '^entry 8: matched 205' "a scan and its copy: matched"
unlike "$OUT" -- "--member" "no fetch reason names an option"

before=$(db_sum)
for i in 1 3 4 6 7; do
	refused_like "^ballot: inbox: entry $i is refused: only a matched entry is accepted$" ballot inbox accept $i
done
is "$(db_sum)" "$before" "nothing recorded from the refused entries"
at 2020-01-15T09:00:00Z
expect_exit 0 ballot inbox accept 2
like "$OUT" '^recorded reply [0-9]+: CHE Q\.5051 authorize' "the agreeing copies: accepted as one form"
expect_exit 0 ballot inbox accept 5
like "$OUT" 'entry 5 accepted: form swiss\.pdf attached' "the French-named blank form: accepted"

done_testing
