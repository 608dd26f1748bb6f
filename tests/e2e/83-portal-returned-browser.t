#!/usr/bin/env bash
# 83-portal-returned-browser.t - the returned form's upload and the mail inbox in
# headless Chromium at 390 px (issues 15, 17, 18), in en (JavaScript on), ar
# and zh (off):
# - an administration uploads a file that is no returned form (refused: the
#   sentence in the page's language next to the upload field, which has the
#   focus), then its filled Annex 2 PDF: the reply form filled in (choices,
#   signatory, the PDF named), reloaded, sent with a double click (one reply
#   per draft), the receipt reloaded, Back (a GET, no resubmission), Forward;
# - the secretariat opens the inbox (its table stacked), an entry, the
#   confirmation of accepting it, double-clicks it (one event), reloads, goes
#   Back; types a reason to reject another, confirms with a double click.
# No page wider than the screen. Screenshots in $BALLOT_SCREENSHOTS (default:
# the temp dir). Node and Chromium missing is a failure, never a skip.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl perl sqlite3
PY=/usr/bin/python3
FILL="$PY $E2E/fill-form.py"
$PY -c 'import pypdf' 2>/dev/null || { echo "Bail out! python3-pypdf is missing (tests/deps.sh)"; exit 1; }
browser_ready
SHOTS=${BALLOT_SCREENSHOTS:-$T/shots}
trap 'serve_stop; _cleanup' EXIT
events_of() { sqlite3 "$BALLOT_DB" "SELECT count(*) FROM events WHERE kind = '$1'"; }
replies_of() { # replies_of MEMBER
	ballot history --circular 205 --member "$1" --json | perl -MJSON::PP -0777 -ne 'print scalar @{decode_json($_)}'
}
widths_ok() { # widths_ok TAG JSON: every visit's width <= 390
	local i n w
	n=$(printf '%s' "$2" | perl -MJSON::PP -0777 -ne 'print scalar @{decode_json($_)->{visits}}')
	for ((i = 0; i < n; i++)); do
		w=$(jget ".visits[$i].width" "$2")
		[[ "$w" =~ ^[0-9]+$ ]] || w=9999
		ok "$1 $(jget ".visits[$i].name" "$2") ($(jget ".visits[$i].status" "$2")): scrollWidth $w <= 390" \
			test "$w" -le 390
	done
}

# --- set-up -------------------------------------------------------------------
expect_exit 0 ballot init
setup_205
at 2019-12-02T12:00:00Z
expect_exit 0 ballot draft add --summary "Another." --circular 205 --rec Q.5052 --title "Second draft"
at 2020-01-10T09:00:00Z
printf 'CHE\tto\tsecretariat@ofcom.admin.ch\tfr\tOFCOM\n' >"$T/c.tsv"
expect_exit 0 ballot contacts import "$T/c.tsv"
declare -A WHO=([en]=BRA [ar]=EGY [zh]=CHN)
for m in BRA EGY CHN CHE; do
	expect_exit 0 ballot forms --circular 205 --member "$m" --lang en --out "$T/f" --jobs 1
	$FILL "$T/f/205/en/$m.pdf" "$T/$m-filled.pdf" draft.Q.5051.choice=authorize \
		draft.Q.5052.choice=not-authorize signatory.name="Signatory of $m" signatory.title=Director
done
printf 'not a form\n' >"$T/notes.txt"
MD="$T/Maildir"
mkdir -p "$MD/new" "$MD/cur" "$MD/tmp"
$PY - "$MD" "$T/CHE-filled.pdf" <<'PY' || fail "the messages are built"
import sys, email.message, os
md, filled = sys.argv[1:3]
for i in range(1, 7):
    m = email.message.EmailMessage()
    m["Received"] = "from mail.ofcom.admin.ch by mx.itu.int; Tue, 14 Jan 2020 10:0%d:00 +0000" % i
    m["From"] = "OFCOM <secretariat@ofcom.admin.ch>"
    m["Subject"] = "Reply to circular 205 (%d)" % i
    m["Message-ID"] = "<m%d@ofcom.admin.ch>" % i
    m.set_content("Please find our reply attached.\n")
    m.add_attachment(open(filled, "rb").read(), maintype="application", subtype="pdf", filename="form.pdf")
    open(os.path.join(md, "new", "%02d" % i), "wb").write(bytes(m))
PY
expect_exit 0 ballot mail fetch --mailbox "maildir:$MD"
PW="a secretariat pass phrase"
printf '%s\n' "$PW" >"$T/pw"
expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
declare -A CODE
for m in BRA EGY CHN; do CODE[$m]=$(new_code 205 "$m"); done
dev_certs
at 2020-01-15T09:00:00Z
serve_start "$T/serve.log" || { echo "Bail out! the server did not start"; exit 1; }

# --- an administration replies with its returned form ------------------------------
for l in en ar zh; do
	m=${WHO[$l]}
	js=off
	[ "$l" = en ] && js=on
	tag="[$l js $js]"
	run timeout 180 node "$BROWSER_DIR/upload.mjs" --url "$URL" --lang "$l" --js "$js" --member "$m" \
		--code "${CODE[$m]}" --circular 205 --pdf "$T/$m-filled.pdf" --bad "$T/notes.txt" \
		--shots "$SHOTS/upload" --server-cert "$SRV_CERT" --chromium "$CHROMIUM"
	is "$RC" 0 "$tag Chromium: $m uploads its returned form and confirms the reply" || diag "$ERR"
	B=$OUT
	jvalid "$B" || B='{"visits":[]}'
	widths_ok "$tag" "$B"
	is "$(jget .refusal.status "$B")" 400 "$tag a text file uploaded: 400"
	is "$(jget .refusal.text "$B")" "$(words "$l" pdf_err_read)" "$tag  ... the sentence next to the upload field"
	is "$(jget .refusal.focus "$B")" pdf "$tag  ... the upload field has the focus"
	is "$(jget '.visits[2].status' "$B") $(jget .prefill_reload "$B")" "200 200" \
		"$tag the reply form filled in (303, then a GET): 200, and reloaded"
	is "$(jget .prefill.choices "$B")" "choice-1=authorize choice-2=not-authorize" \
		"$tag  ... the choices ticked on the form"
	is "$(jget .prefill.signatory "$B")" "Signatory of $m" "$tag  ... the signatory"
	is "$(jget .prefill.kept "$B")" "$m-filled.pdf" "$tag  ... the PDF named as the file each reply keeps"
	like "$(jget .sent "$B")" '^/member/sent/[0-9]+,[0-9]+$' "$tag the confirmation: the receipt page"
	like "$(jget .posts "$B")" '^\[303(,303)*\]$' "$tag  ... every POST of the double click answered 303"
	is "$(replies_of "$m")" 2 "$tag  ... one reply per draft, double click and all"
	is "$(jget .reload "$B")" 200 "$tag  ... the receipt reloaded: 200, nothing sent again"
	is "$(jget .back_method "$B")" GET "$tag  ... Back: a GET (no resubmission)"
	is "$(replies_of "$m")" 2 "$tag  ... still two replies"
	is "$(jget .forward "$B")" "$(jget .sent "$B")" "$tag  ... Forward: the receipt again"
	[ "$l" = ar ] && is "$(jget '.visits[2].dir' "$B")" rtl "$tag  ... the page right to left"
	is "$(jget .csp_violations "$B")" '[]' "$tag  ... no Content-Security-Policy violation"
done

# --- the secretariat's inbox ------------------------------------------------------------
declare -A ACC=([en]=1 [ar]=3 [zh]=5) REJ=([en]=2 [ar]=4 [zh]=6)
for l in en ar zh; do
	js=off
	[ "$l" = en ] && js=on
	tag="[$l js $js]"
	na=$(events_of inbox-accept)
	nr=$(events_of inbox-reject)
	reason="Duplicate $l"
	run timeout 180 node "$BROWSER_DIR/inbox.mjs" --url "$URL" --lang "$l" --js "$js" --user tsb \
		--password "$PW" --accept "${ACC[$l]}" --reject "${REJ[$l]}" --reason "$reason" \
		--shots "$SHOTS/inbox" --server-cert "$SRV_CERT" --chromium "$CHROMIUM"
	is "$RC" 0 "$tag Chromium: the secretariat accepts entry ${ACC[$l]} and rejects entry ${REJ[$l]}" || diag "$ERR"
	B=$OUT
	jvalid "$B" || B='{"visits":[]}'
	widths_ok "$tag" "$B"
	is "$(jget '.visits[0].rows' "$B") $(jget '.visits[0].stacked' "$B")" "6 6" "$tag the inbox: six rows, stacked"
	is "$(jget .accepted "$B")" "/secretariat/inbox/${ACC[$l]}" "$tag accepted: the entry's page"
	like "$(jget .accept_posts "$B")" '^\[303(,303)*\]$' "$tag  ... every POST of the double click answered 303"
	is "$(events_of inbox-accept)" "$((na + 1))" "$tag  ... one inbox-accept event"
	is "$(jget .reload "$B") $(jget .back_method "$B")" "200 GET" "$tag  ... reload 200, Back a GET"
	is "$(events_of inbox-accept)" "$((na + 1))" "$tag  ... still one"
	is "$(jget .quoted "$B")" "$reason" "$tag the rejection's confirmation quotes the reason"
	is "$(jget .rejected "$B")" "/secretariat/inbox/${REJ[$l]}" "$tag rejected: the entry's page"
	is "$(events_of inbox-reject)" "$((nr + 1))" "$tag  ... one inbox-reject event"
	is "$(jget .csp_violations "$B")" '[]' "$tag  ... no Content-Security-Policy violation"
done

serve_stop
is "$SRV_RC" 0 "the server stops cleanly"
diag "screenshots: $SHOTS"
done_testing
