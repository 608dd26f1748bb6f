#!/usr/bin/env bash
# 51-portal-errors.t - the portal says what went wrong in the page's
# language, checks a consultation's rows before it shows them, and takes the
# reason for a late entry.
#
# - forms/portal/<lang>.txt: the six files have the same keys, each with the
#   same placeholders (the server refuses to start otherwise, but only for the
#   files it finds);
# - an engine error is a sentence of its reason (bad input, not found,
#   conflict, forbidden, damaged) in the page's language naming the field by
#   its label on the form, in all six languages; the engine's English line is
#   kept in a <details> for the secretariat;
# - the secretariat's entry form takes late_entry_reason: an on-time paper
#   reply entered after the deadline that changes the outcome shown since then
#   is refused without it (the page names the field, in the page's language)
#   and changes nothing; accepted with it, the receipt and `ballot history`
#   show the reason;
# - with a reply row changed behind ballot's back (sqlite3), every page that
#   shows that consultation's replies or figures refuses (503, the damaged
#   sentence, the row named in the engine's line), the administration's home
#   page shows the banner in place of that consultation, and nothing is
#   recorded.
# The server runs on a fixed clock (BALLOT_NOW in its environment).
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl perl sqlite3

trap 'serve_stop; _cleanup' EXIT
FORMS=$REPO/forms/portal
LANGS="en fr es ru zh ar"

# --- the six files: same keys, same placeholders ------------------------------
keys_of() { # keys_of LANG: "key placeholders" per line, sorted; duplicates flagged
	perl -CSD -ne 'next if /^\s*(#|$)/; /^(\w+) = (.*)$/ or do { print "BAD LINE $.\n"; next };
		my ($k, $v) = ($1, $2); print "DUPLICATE $k\n" if $seen{$k}++;
		my %p = map { $_ => 1 } $v =~ /\{(\w+)\}/g; print "$k ", join(",", sort keys %p), "\n"' \
		"$FORMS/$1.txt" | sort
}
keys_of en >"$T/keys.en"
like "$(cat "$T/keys.en")" '^fail_damaged $' "en.txt has the reason sentences"
for l in fr es ru zh ar; do
	keys_of "$l" >"$T/keys.$l"
	run diff "$T/keys.en" "$T/keys.$l"
	is "$RC" 0 "$l.txt: the keys and placeholders of en.txt, no more, no less, none twice" || diag "$OUT"
done
is "$(sed -n 's/^direction = //p' "$FORMS/ar.txt")" rtl "ar.txt is right to left"

# --- set-up -------------------------------------------------------------------
expect_exit 0 ballot init
setup_205
at 2019-12-02T12:00:00Z
expect_exit 0 ballot consultation create --circular 206 --group 11 --date 2019-12-02 \
	--meeting-start 2020-06-02 --meeting-end 2020-06-11
expect_exit 0 ballot draft add --summary "A summary." --circular 206 --rec Q.6000 --title "Draft of 206"
at 2020-02-10T12:00:00Z
# Q.5051: 2 of 3 support, under the 70 % threshold: may not proceed
expect_exit 0 ballot reply --circular 205 --member AUS --draft Q.5051 --authorize
expect_exit 0 ballot reply --circular 205 --member BRA --draft Q.5051 --authorize
expect_exit 0 ballot reply --circular 205 --member DEU --draft Q.5051 --not-authorize
expect_exit 0 ballot reply --circular 206 --member DEU --draft Q.6000 --not-authorize
expect_exit 0 ballot reply --circular 206 --member CHN --draft Q.6000 --authorize
CODE=$(new_code 206 CHN)
PW="a secretariat pass phrase"
printf '%s\n' "$PW" >"$T/pw"
expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
expect_exit 0 ballot users add --name chair11 --role chair --group 11 --password-file "$T/pw"
dev_certs

at 2020-02-24T09:00:00Z # after 205's deadline, before 206's
serve_start "$T/serve.log" || { echo "Bail out! the server did not start"; exit 1; }

# the text of KEY in LANG, the placeholder field given as the text of LABEL
words() { sed -n "s/^$2 = //p" "$FORMS/$1.txt"; }
sentence() { # sentence LANG KEY LABEL-KEY: the sentence with its field's label
	local t l
	t=$(words "$1" "$2")
	l=$(words "$1" "$3")
	printf '%s\n' "${t//\{field\}/$l}"
}
# the error sentence of the page just read, entities decoded, the embeddings
# and isolates of a placeholder's value in right-to-left text dropped
said() {
	perl -CSD -0777 -ne 'if (/<p class="error" role="alert"[^>]*>(.*?)<\/p>/s) { my $s = $1;
		$s =~ s/<[^>]*>//g; $s =~ s/[\x{202A}-\x{202E}\x{2066}-\x{2069}]//g;
		my %e = (amp => "&", lt => "<", gt => ">", quot => "\"", "#39" => "\x27");
		$s =~ s/&(amp|lt|gt|quot|#39);/$e{$1}/g; print "$s\n" }' "$T/.body"
}
engine_line() { classes engine-line; }
has() { decoded | grep -qF -- "$1"; } # has TEXT: the decoded page holds TEXT
decoded() { # the page just read with its entities decoded
	perl -pe 's/&#39;/\x27/g; s/&quot;/"/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/&/g' "$T/.body"
}

# --- an engine error in each of the six languages -----------------------------
for l in $LANGS; do
	signin_user "s$l" tsb "$PW"
	get "s$l" "/secretariat/c/205?lang=$l"
	is "$ST" 200 "[$l] the consultation page of the secretariat"
	tok=$(csrf_of)
	reply_post "s$l" /secretariat/c/205/reply -F "csrf=$tok" -F member=XXX -F draft=Q.5051 -F choice=authorize \
		-F channel=fax -F received=2020-02-20T10:00:00Z
	is "$ST" 404 "[$l] an unknown Member State: 404 (the reason is not-found)"
	like "$BODY" "<html lang=\"$l\"" "  ... a page in $l"
	ok "  ... the entry form shown again, its summary titled in $l" \
		has "<h2 id=\"error-summary-title\">$(words "$l" fail_title_not_found)</h2>"
	like "$BODY" '<select id="member" name="member" required aria-invalid="true" aria-describedby="err-member" autofocus>' \
		"  ... the Member State field marked invalid, with the focus"
	is "$(said)" "$(sentence "$l" fail_not_found col_member)" \
		"  ... saying in $l that what the Member State field names does not exist"
	like "$(engine_line)" "member: .*XXX" "  ... the engine's English line kept for the secretariat"
	like "$BODY" '<details class="engine"><summary>'"$(words "$l" err_details)" "  ... in a <details>"
	reply_post "s$l" /secretariat/c/205/reply -F "csrf=$tok" -F member=CHN -F draft=Q.5051 -F choice=authorize \
		-F channel=fax -F received=2020-02-25T10:00:00Z
	is "$ST" 409 "[$l] received in the future: 409 (conflict)"
	is "$(said)" "$(sentence "$l" fail_conflict received_label)" "  ... saying so in $l, naming the field"
done
like "$(cat "$T/.body")" '<html lang="ar" dir="rtl"' "the Arabic page is right to left"
reply_post sar /secretariat/c/205/reply -F "csrf=$tok" -F member=CHN -F draft=Q.5051 -F choice=maybe -F channel=fax
is "$ST" 400 "[ar] a bad choice (the portal's own check): 400"
is "$(said)" "$(sentence ar fail_input receipt_choice)" "  ... in Arabic, naming the choice field"
get sfr /secretariat/c/205/report.pdf?paper=A9
is "$ST" 400 "[fr] a bad paper size: 400"
is "$(said)" "$(words fr fail_input_any)" "  ... a field no form asks for: the sentence without a field"
like "$(engine_line)" "A9" "  ... the line for the secretariat names the value"

# --- a late entry needs its reason --------------------------------------------
get sfr /secretariat/c/205
ok "[fr] after the deadline the entry form asks for the reason of a late entry" \
	has "<label for=\"late_entry_reason\">$(words fr late_entry_label)</label>"
like "$BODY" '<textarea id="late_entry_reason" name="late_entry_reason"' "  ... a text field"
for l in $LANGS; do
	get "s$l" /secretariat/c/205
	ok "  ... [$l] labelled in $l" has "<label for=\"late_entry_reason\">$(words "$l" late_entry_label)</label>"
done
get sfr /secretariat/c/206
unlike "$BODY" 'late_entry_reason' "  ... not before the consultation's deadline (206)"
tok=$(csrf_of "$T/.body")
get sfr /secretariat/c/205
tok=$(csrf_of)
before=$(db_sum)
reply_post sfr /secretariat/c/205/reply -F "csrf=$tok" -F member=CHN -F draft=Q.5051 -F choice=authorize \
	-F channel=post -F received=2020-02-20T10:00:00Z
is "$ST" 400 "[fr] an on-time paper reply entered late that turns the outcome, no reason: 400"
is "$(said)" "$(sentence fr fail_input late_entry_label)" "  ... saying in French to check the late entry's reason"
like "$(engine_line)" '^late_entry_reason: .*changes the outcome shown since then from not-proceed to proceed' \
	"  ... the engine's line says which outcome it would turn"
is "$(db_sum)" "$before" "  ... and nothing was recorded"
reply_post sfr /secretariat/c/205/reply -F "csrf=$tok" -F member=CHN -F draft=Q.5051 -F choice=authorize \
	-F channel=post -F received=2020-02-20T10:00:00Z -F "late_entry_reason=Posted form found in the mail room"
is "$ST" 200 "  ... with a reason: recorded"
like "$(decoded)" "class=\"note late-entry\" data-event=\"[0-9]+\">$(words fr receipt_late_entry | sed 's/{reason}//')Posted form found in the mail room" \
	"  ... the receipt gives the reason, in French"
run ballot history --circular 205 --member CHN
like "$OUT" 'entered after the deadline: Posted form found in the mail room' "  ... and ballot history shows it"
run ballot tally --circular 205 --json
is "$(jget '.drafts[0].outcome')" proceed "  ... the outcome it turned"
get sfr /secretariat/c/206
tok=$(csrf_of)
reply_post sfr /secretariat/c/206/reply -F "csrf=$tok" -F member=BRA -F draft=Q.6000 -F choice=authorize \
	-F channel=post -F "late_entry_reason=not late"
is "$ST" 400 "[fr] a reason on a reply that is not a late entry: 400"
is "$(said)" "$(sentence fr fail_input late_entry_label)" "  ... naming the field"

# --- damage: every page of 206 that shows its replies or figures refuses --------
signin chn CHN "$CODE"
is "$ST" 303 "CHN signs in with its code for 206"
get chn /member/history
chn_reply=$(perl -ne 'print "$1\n" if m{href="/member/receipt/(\d+)"}' "$T/.body" | head -n 1)
like "$chn_reply" '^[0-9]+$' "CHN's reply on 206 is in its history (reply $chn_reply)"
chn_seq=$(sqlite3 "$BALLOT_DB" "SELECT event_seq FROM replies WHERE id = $chn_reply")
pages_chn="/member /member/c/206 /member/history /member/receipt/$chn_reply /member/receipt/$chn_reply.json"
pages_tsb="/secretariat /secretariat/c/206 /secretariat/c/206/replies.csv /secretariat/c/206/replies.json
	/secretariat/c/206/tally.json /secretariat/c/206/report.pdf /secretariat/receipt/$chn_seq.json"
for p in $pages_chn; do
	get chn "$p"
	is "$ST" 200 "rows sound: $p is 200"
done
for p in $pages_tsb; do
	get sen "$p"
	is "$ST" 200 "rows sound: $p is 200"
done
signin_user chair chair11 "$PW"
get chair /chair
is "$ST" 200 "rows sound: /chair is 200"

deu=$(sqlite3 "$BALLOT_DB" "SELECT r.id FROM replies r JOIN drafts d ON d.id = r.draft_id WHERE r.member = 'DEU' AND d.rec = 'Q.6000'")
deu_seq=$(sqlite3 "$BALLOT_DB" "SELECT event_seq FROM replies WHERE id = $deu")
like "$deu" '^[0-9]+$' "DEU's reply on 206 is row $deu (event $deu_seq)"
trig=$(sqlite3 "$BALLOT_DB" "SELECT sql FROM sqlite_schema WHERE name = 'replies_append_only_u'")
sqlite3 "$BALLOT_DB" "DROP TRIGGER replies_append_only_u; UPDATE replies SET choice = 'authorize' WHERE id = $deu; $trig" ||
	fail "damaging DEU's reply"
before=$(db_sum)

damaged() { # damaged DESC: the page just read is the damage refusal
	is "$ST" 503 "$1: 503"
	like "$BODY" 'data-reason="damaged"' "  ... the damaged sentence"
	like "$(engine_line)" "the replies row $deu differs from event $deu_seq that wrote it" "  ... naming the row and its event"
}
for p in $pages_chn; do
	get chn "$p?lang=es"
	if [ "$p" = /member ]; then
		is "$ST" 200 "/member (a list of consultations): 200"
		like "$(said)" "^$(words es fail_damaged | cut -c1-30)" "  ... the damaged banner, in Spanish, in place of 206"
		like "$(engine_line)" "the replies row $deu differs from event $deu_seq" "  ... naming the row"
		unlike "$BODY" 'href="/member/c/206"' "  ... and no link into 206's page"
	else
		damaged "[es] $p"
		is "$(said)" "$(words es fail_damaged)" "  ... in Spanish"
		ok "  ... titled in Spanish" has "<h1>$(words es fail_title_damaged)</h1>"
		is "$(hdr Content-Disposition)" "" "  ... no file to download"
	fi
done
get chn /member
reply_post chn /member/c/206/reply -F "csrf=$(csrf_of)" -F choice-1=not-authorize
damaged "CHN's reply on 206"
is "$(db_sum)" "$before" "  ... nothing was recorded"
for p in $pages_tsb; do
	get sen "$p"
	damaged "$p"
	is "$(hdr Content-Disposition)" "" "  ... no file to download"
done
get chair /chair
damaged "/chair"
get sen /secretariat/c/205
tok=$(csrf_of)
reply_post sen /secretariat/c/206/reply -F "csrf=$tok" -F member=BRA -F draft=Q.6000 -F choice=authorize -F channel=post
damaged "the secretariat's entry on 206"
is "$(db_sum)" "$before" "  ... nothing was recorded"
get sen /secretariat/c/205
is "$ST" 200 "another consultation (205) still opens"

serve_stop
is "$SRV_RC" 0 "the server stops cleanly"
unlike "$(cat "$T/serve.log")" 'Sanitizer|runtime error' "  ... with no sanitizer report"

done_testing
