#!/usr/bin/env bash
# 82-portal-inbox.t - the mail inbox in the secretariat's pages (issue 18:
# "the portal's secretariat pages show the same queue"), driven with curl:
# the list (matched, unmatched, refused) and one entry as `ballot inbox list`
# and `show` give them; accepting a matched entry and rejecting one with a
# reason, each after a confirmation page whose button names the act, with a
# single-use token (sent twice: one event), Post/Redirect/Get; refusals: a
# reason missing (said next to the field), an entry not matched, decided
# already, or not there. Pages in the reader's language.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl perl sqlite3
PY=/usr/bin/python3
FILL="$PY $E2E/fill-form.py"
$PY -c 'import pypdf' 2>/dev/null || { echo "Bail out! python3-pypdf is missing (tests/deps.sh)"; exit 1; }
trap 'serve_stop; _cleanup' EXIT
has() { ok "$2" grep -qF -- "$1" "$T/.body"; }
events_of() { sqlite3 "$BALLOT_DB" "SELECT count(*) FROM events WHERE kind = '$1'"; }

# --- set-up: a Maildir with four messages, fetched ------------------------------
expect_exit 0 ballot init
setup_205
at 2020-01-10T09:00:00Z
printf 'CHE\tto\tsecretariat@ofcom.admin.ch\tfr\tOFCOM\n' >"$T/c.tsv"
expect_exit 0 ballot contacts import "$T/c.tsv"
expect_exit 0 ballot forms --circular 205 --member CHE --lang en --out "$T/f" --jobs 1
$FILL "$T/f/205/en/CHE.pdf" "$T/filled.pdf" draft.Q.5051.choice=authorize signatory.name="Jane Doe" \
	signatory.title=Director
$FILL "$T/f/205/en/CHE.pdf" "$T/filled2.pdf" draft.Q.5051.choice=not-authorize signatory.name="Jane Doe"
MD="$T/Maildir"
mkdir -p "$MD/new" "$MD/cur" "$MD/tmp"
cat >"$T/mk.py" <<'PY'
import sys, email.message, os
md, filled, filled2 = sys.argv[1:4]
def msg(name, frm, mid, pdf=None, subject="Reply to circular 205"):
    m = email.message.EmailMessage()
    m["Received"] = "from mail.ofcom.admin.ch by mx.itu.int with ESMTPS; Tue, 14 Jan 2020 10:00:00 +0000"
    m["From"] = frm
    m["To"] = "tsbsg@itu.int"
    m["Subject"] = subject
    m["Message-ID"] = mid
    m.set_content("Please find our reply attached.\n")
    if pdf:
        m.add_attachment(open(pdf, "rb").read(), maintype="application", subtype="pdf", filename="form.pdf")
    open(os.path.join(md, "new", name), "wb").write(bytes(m))
msg("01-filled", "OFCOM <secretariat@ofcom.admin.ch>", "<m1@ofcom.admin.ch>", filled)
msg("02-filled", "OFCOM <secretariat@ofcom.admin.ch>", "<m2@ofcom.admin.ch>", filled2, "<script>x</script>")
msg("03-none", "OFCOM <secretariat@ofcom.admin.ch>", "<m3@ofcom.admin.ch>")
msg("04-stranger", "Someone <someone@example.org>", "<m4@example.org>", filled)
PY
$PY "$T/mk.py" "$MD" "$T/filled.pdf" "$T/filled2.pdf" || fail "the messages are built"
expect_exit 0 ballot mail fetch --mailbox "maildir:$MD"
like "$OUT" "^fetched 4 new messages" "four messages taken into the inbox"

PW="a secretariat pass phrase"
printf '%s\n' "$PW" >"$T/pw"
expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
CODE=$(new_code 205 CHE)
dev_certs
at 2020-01-15T09:00:00Z
serve_start "$T/serve.log" || { echo "Bail out! the server did not start"; exit 1; }
signin_user tsb tsb "$PW"
is "$ST" 303 "the secretariat signs in"
get tsb /secretariat
CSRF=$(csrf_of)

# --- the list and an entry --------------------------------------------------------
get tsb /secretariat
like "$BODY" '<a href="/secretariat/inbox" id="inbox-link">' "the secretariat's home links to the inbox"
get tsb /secretariat/inbox
is "$ST" 200 "GET /secretariat/inbox: 200"
is "$(grep -o '<tr id="entry-[0-9]*"' "$T/.body" | wc -l)" 4 "  ... four entries, as ballot inbox list"
for n in 1 2; do
	like "$BODY" "<tr id=\"entry-$n\">.*<span class=\"inbox-state matched\">$(words en inbox_state_matched)</span>" \
		"  ... entry $n matched"
done
like "$BODY" "<tr id=\"entry-3\">.*$(words en inbox_state_unmatched)" "  ... entry 3 unmatched"
like "$BODY" "<tr id=\"entry-4\">.*<span class=\"inbox-state refused\">.*not a contact of CHE" \
	"  ... entry 4 refused, with its reason"
like "$BODY" '<table class="stack inbox">' "  ... a table that stacks on a narrow screen"
get tsb "/secretariat/inbox?lang=zh"
like "$BODY" "$(words zh inbox_state_matched)" "  ... in Chinese: the states in Chinese"
get tsb "/secretariat/inbox?lang=en"

get tsb /secretariat/inbox/2
is "$ST" 200 "GET /secretariat/inbox/2: 200"
has '&lt;script&gt;x&lt;/script&gt;' "  ... the subject escaped"
has '<dd dir="ltr">&lt;m2@ofcom.admin.ch&gt;</dd>' "  ... the Message-ID"
has "$(sha256sum <"$T/filled2.pdf" | cut -d' ' -f1)" "  ... the form's SHA-256, as kept"
has 'href="/secretariat/inbox/2/accept"' "  ... a matched entry: the way to accept it"
has 'action="/secretariat/inbox/2/reject"' "  ... and to reject it with a reason"
get tsb /secretariat/inbox/3
unlike "$BODY" '/secretariat/inbox/3/accept' "an unmatched entry: no accept"
get tsb /secretariat/inbox/99
is "$ST" 404 "an entry that does not exist: 404"
get tsb /secretariat/inbox/x
is "$ST" 404 "  ... nor a number: 404"

# --- accept: confirmation, then one event -----------------------------------------
get tsb /secretariat/inbox/1/accept
is "$ST" 200 "GET .../1/accept: the confirmation page"
has "$(words en inbox_accept_what)" "  ... saying what will happen"
has "<button type=\"submit\" class=\"danger\" id=\"confirm\">Record the replies of entry 1</button>" \
	"  ... its button names the act"
is "$(events_of inbox-accept)" 0 "  ... nothing recorded by showing it"
act_post tsb /secretariat/inbox/1/accept /secretariat/inbox/1/accept -F "csrf=$CSRF"
is "$ST" 303 "POST .../1/accept: 303"
is "$(hdr Location)" /secretariat/inbox/1 "  ... to the entry's page"
is "$(events_of inbox-accept)" 1 "  ... one inbox-accept event"
run ballot history --circular 205 --member CHE --json
is "$(jcol . what)" authorize "  ... the form's reply recorded"
is "$(jcol . received)" 2020-01-14T10:00:00Z "  ... received at the secretariat's server's time"
is "$(jcol . channel)" email "  ... channel email"
post tsb /secretariat/inbox/1/accept -F "csrf=$CSRF" -F "once=$ACT_ONCE"
is "$ST $(hdr Location)" "303 /secretariat/inbox/1" "the same POST again: the first outcome"
is "$(events_of inbox-accept)" 1 "  ... still one event"
get tsb /secretariat/inbox/1
like "$BODY" '<p class="ok" id="decided">' "the entry's page says it is decided"
unlike "$BODY" '/secretariat/inbox/1/(accept|reject)' "  ... and offers no act any more"
get tsb /secretariat/inbox/3/accept
is "$ST" 409 "accepting an unmatched entry: 409"
like "$BODY" 'only a matched entry is accepted' "  ... saying why (English line for the secretariat)"

# --- reject: a reason, confirmed -----------------------------------------------------
get tsb "/secretariat/inbox/2/reject?reason="
is "$ST" 400 "rejecting without a reason: 400"
like "$BODY" "<p class=\"field-error\" id=\"err-reason\">$(words en inbox_reason_missing)</p>" \
	"  ... said next to the reason's field"
like "$BODY" 'id="reason" name="reason"[^>]* aria-invalid="true"' "  ... the field marked"
get tsb "/secretariat/inbox/2/reject?reason=Sent+twice"
is "$ST" 200 "GET .../2/reject?reason=...: the confirmation page"
has '<p class="decision-text" id="reason-quoted">Sent twice</p>' "  ... quoting the reason"
has 'name="reason" value="Sent twice"' "  ... carried to the POST"
ONCE=$(once_in /secretariat/inbox/2/reject)
post tsb /secretariat/inbox/2/reject -F "csrf=$CSRF" -F "once=$ONCE" -F "reason=Sent twice"
is "$ST $(hdr Location)" "303 /secretariat/inbox/2" "POST .../2/reject: 303 to the entry"
post tsb /secretariat/inbox/2/reject -F "csrf=$CSRF" -F "once=$ONCE" -F "reason=Sent twice"
is "$(events_of inbox-reject)" 1 "  ... one inbox-reject event, sent twice"
expect_exit 0 ballot inbox show 2
like "$OUT" 'decided: event [0-9]+: Sent twice' "  ... ballot inbox show: rejected with the reason"
run ballot history --circular 205 --member CHE --json
is "$(jcol . what | wc -l)" 1 "  ... and nothing recorded for the member"
act_post tsb "/secretariat/inbox/2/reject?reason=Again" /secretariat/inbox/2/reject -F "csrf=$CSRF" -F "reason=Again"
is "$ST" 409 "rejecting an entry decided already: 409 (a conflict)"
is "$(events_of inbox-reject)" 1 "  ... still one event"

# a member may not see the inbox
signin che CHE "$CODE"
get che /secretariat/inbox
is "$ST" 403 "an administration: 403 on the inbox"

serve_stop
is "$SRV_RC" 0 "the server stops cleanly"
done_testing
