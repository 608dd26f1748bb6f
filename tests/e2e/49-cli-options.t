#!/usr/bin/env bash
# 49-cli-options.t - the command line as a whole: long options are never
# abbreviated; misspelt options, commands, subcommands and member codes are
# answered with the one close name; --quiet leaves only errors on stderr;
# progress on a terminal only; receipts printed only when asked; --json on
# every listing, with its keys in a fixed order.
# shellcheck disable=SC1091
. "$(dirname "$0")/lib.sh"
need() { command -v "$1" >/dev/null 2>&1 || { echo "Bail out! missing: $1"; exit 1; }; }
need script

ballot() { "$BALLOT_BIN" "$@"; }
# stderr of a command run on a terminal (script(1) gives it one)
on_tty() { script -qec "$(printf '%q ' "$BALLOT_BIN" "$@")" /dev/null 2>&1 | tr -d '\r'; }

at 2019-12-04T09:00:00Z
expect_exit 0 ballot init
create=(consultation create --group 11 --date 2019-12-04 --meeting-start 2020-03-04 --meeting-end 2020-03-13)

# a value written with braces is shown as written, never read as an option's name
refused_like "^ballot: --circular: no consultation '\\{force\\}'\$" ballot tally --circular '{force}'
refused_like "^ballot: --circular: no consultation '\\{cmd:init\\}'\$" ballot tally --circular '{cmd:init}'

# --- abbreviations are refused, never guessed -------------------------------------
refused_like "^ballot: consultation create: unknown option '--circ' \\(options are not abbreviated: did you mean --circular\\?\\)\$" \
	ballot "${create[@]}" --circ 205
refused_like "unknown option '--js' \\(options are not abbreviated: did you mean --json\\?\\)" ballot status --js
refused_like "unknown option '--d' \\(options are not abbreviated: did you mean --db\\?\\)" ballot status --d x.db
refused_like "unknown option '--circ' " ballot "${create[@]}" --circ=205
# a misspelt option: the one close name
refused_like "^ballot: consultation create: unknown option '--circluar' \\(did you mean --circular\\?\\)\$" \
	ballot "${create[@]}" --circluar 205
refused_like "unknown option '--meeting-strat' \\(did you mean --meeting-start\\?\\)" \
	ballot consultation create --circular 205 --group 11 --meeting-strat 2020-03-04
refused_like "^ballot: status: unknown option '--frobnicate'\$" ballot status --frobnicate
# the word after an option that takes a value is its value, checked as before
refused_like "^ballot: --circular: missing value \\(before '--circ'\\)\$" ballot "${create[@]}" --circular --circ
expect_exit 0 ballot "${create[@]}" --circular 205
expect_exit 0 ballot draft add --circular 205 --rec Q.5051 --title "A draft" --summary "A summary."
# global options, commands, subcommands
refused_like "^ballot: unknown option '--qiet' \\(did you mean --quiet\\?\\)\$" ballot --qiet status
refused_like "^ballot: unknown command 'staus' \\(did you mean status\\?\\)\$" ballot staus
refused_like "^ballot: unknown command 'frobnicate' \\(ballot --help lists them\\)\$" ballot frobnicate
refused_like "^ballot: consultation: unknown subcommand 'lst' \\(did you mean list\\?\\)\$" ballot consultation lst

# --- member codes --------------------------------------------------------------
at 2020-02-10T12:00:00Z
refused_like "CEH.* \\(did you mean CHE\\?\\)\$" ballot reply --circular 205 --member CEH --authorize
refused_like "Switzerlnd.* \\(did you mean CHE\\?\\)\$" ballot reply --circular 205 --member Switzerlnd --authorize
refused_like "CHF" ballot reply --circular 205 --member CHF --authorize
unlike "$ERR" "did you mean" "  ... CHF: CHE, CHL and CHN are as close: no suggestion"
refused_like "CEH.* \\(did you mean CHE\\?\\)\$" ballot withdraw --circular 205 --member CEH
refused_like "CEH.* \\(did you mean CHE\\?\\)\$" ballot codes issue --circular 205 --member CEH
refused_like "CEH.* \\(did you mean CHE\\?\\)\$" ballot forms --circular 205 --member CEH --lang en --out f
refused_like "DUE.* \\(did you mean DEU\\?\\)\$" ballot decide --circular 205 --draft Q.5051 --more-time DUE

# --- receipts: printed only when asked ----------------------------------------------
expect_exit 0 ballot reply --circular 205 --member CHE --authorize
like "$OUT" '^recorded reply 1: CHE Q.5051 authorize' "reply acknowledges"
seq=$(printf '%s\n' "$OUT" | sed -n 's/^receipt: ballot receipt show --event \([0-9]*\)$/\1/p')
like "$seq" '^[0-9]+$' "  ... and names the command that issues its receipt (event $seq)"
unlike "$OUT" '"format"' "  ... without printing the receipt"
expect_exit 0 ballot receipt show --event "$seq"
like "$OUT" '^\{"format":"ballot-receipt/1"' "receipt show issues it"
first=$OUT
expect_exit 0 ballot reply --circular 205 --member DEU --not-authorize --print-receipt
like "$OUT" '^receipt: \{"format":"ballot-receipt/1","kind":"reply","circular":"205","member":"DEU"' \
	"--print-receipt prints it on a line starting 'receipt: '"
seq2=$(printf '%s\n' "$OUT" | sed -n 's/^receipt: //p' | perl -ne 'print $1 if /"event":(\d+)/')
printed=$(printf '%s\n' "$OUT" | sed -n 's/^receipt: //p')
expect_exit 0 ballot receipt show --event "$seq2"
is "$OUT" "$printed" "  ... the same bytes as receipt show"
isnt "$first" "$printed" "  ... (another receipt than CHE's)"
expect_exit 0 ballot reply --circular 205 --member FRA --authorize --receipt fra.json
like "$OUT" '^receipt saved to fra\.json$' "--receipt FILE saves it"
ok "  ... a receipt" grep -q '"member":"FRA"' fra.json
expect_exit 0 ballot withdraw --circular 205 --member FRA
like "$OUT" '^receipt: ballot receipt show --event [0-9]+$' "withdraw: the same"
expect_exit 0 ballot withdraw --circular 205 --member DEU --print-receipt
like "$OUT" '^receipt: \{"format"' "withdraw --print-receipt prints it"

# --- --quiet: errors only on stderr ------------------------------------------------
at 2020-02-24T09:00:00Z
expect_exit 0 ballot reply --circular 205 --member ESP --authorize
like "$ERR" '^warning: late: ' "a late reply is warned about"
expect_exit 0 ballot --quiet reply --circular 205 --member ITA --authorize
is "$ERR" "" "--quiet before the command: no warning"
like "$OUT" '^recorded reply [0-9]+: ITA ' "  ... standard output unchanged"
expect_exit 0 ballot reply --circular 205 --member GRC --authorize --quiet
is "$ERR" "" "--quiet after the command: the same"
expect_exit 0 ballot --quiet codes issue --circular 205 --member CHE
is "$ERR" "" "--quiet: no note that codes were issued"
like "$OUT" '^CHE	' "  ... the code still printed"
expect_exit 2 ballot --quiet reply --circular 205 --member XXX --authorize
like "$ERR" '^ballot: .*XXX' "--quiet: errors still said"

# --- progress: on a terminal only, never with --quiet ------------------------------------
expect_exit 0 ballot check
unlike "$ERR" 'check:' "check, stderr not a terminal: no progress"
is "$ERR" "" "  ... nothing on stderr at all"
tty=$(on_tty check)
like "$tty" 'check: integrity_check' "check on a terminal: progress"
like "$tty" 'result: ok' "  ... and its report"
tty=$(on_tty --quiet check)
unlike "$tty" 'check: integrity_check' "check --quiet on a terminal: no progress"
tty=$(on_tty audit verify)
like "$tty" 'audit verify: (rows|attachments|events)' "audit verify on a terminal: progress"
tty=$(on_tty backup b1.db)
like "$tty" 'backup: copy' "backup on a terminal: progress"
ok "  ... and the backup" test -s b1.db
expect_exit 0 ballot backup b2.db
is "$ERR" "" "backup, stderr not a terminal: nothing on stderr"
tty=$(on_tty --db r.db restore b1.db)
like "$tty" 'restore: integrity_check' "restore on a terminal: progress"
tty=$(on_tty publish --circular 205 --out pub)
like "$tty" 'publish: ' "publish on a terminal: progress"
ok "  ... and the bundle" test -s pub/manifest.json

# reply import of a large file: 300 replies
at 2019-12-04T09:00:00Z
expect_exit 0 ballot consultation create --circular 206 --group 11 --date 2019-12-04 --meeting-start 2020-03-04 --meeting-end 2020-03-13
expect_exit 0 ballot draft add --circular 206 --rec Q.6001 --title "First" --summary "A summary."
expect_exit 0 ballot draft add --circular 206 --rec Q.6002 --title "Second" --summary "A summary."
at 2020-02-10T12:00:00Z
{
	printf 'member\tdraft\tchoice\treceived\tchannel\tattachment\n'
	for m in $(codes 150); do
		printf '%s\tQ.6001\tauthorize\t2020-02-10T09:00:00Z\temail\t\n' "$m"
		printf '%s\tQ.6002\tauthorize\t2020-02-10T09:00:00Z\temail\t\n' "$m"
	done
} >big.tsv
expect_exit 0 ballot backup imp1.db
expect_exit 0 ballot backup imp2.db
expect_exit 0 ballot --db imp1.db reply import --circular 206 big.tsv
is "$ERR" "" "reply import, stderr not a terminal: nothing on stderr"
tty=$(on_tty --db imp2.db reply import --circular 206 big.tsv)
like "$tty" 'reply import: replies: [0-9]+/300' "reply import of 300 replies on a terminal: progress"
like "$tty" 'imported 300 replies' "  ... and all imported"

# --- --json on every listing, keys in a fixed order ------------------------------
expect_exit 0 ballot consultation list --json
is "$(jkeys '.[0]' | tr '\n' ' ')" \
	"circular group rule date deadline meeting_start meeting_end state closed_at electorate custom_electorate drafts " \
	"consultation list --json: its keys"
is "$(jget '.[0].drafts')" 1 "  ... drafts: a count"
expect_exit 0 ballot consultation show --circular 205 --json
is "$(jkeys . | tr '\n' ' ')" \
	"circular group rule date deadline meeting_start meeting_end state closed_at electorate custom_electorate drafts rule_title clause working_days_before_meeting closed_days_skipped forced_reason deadline_changes checks " \
	"consultation show --json: its keys"
is "$(jget '.drafts[0].rec')/$(jget '.drafts[0].title')" "Q.5051/A draft" "  ... the drafts"
is "$(jget .working_days_before_meeting)" 7 "  ... seven working days before the meeting"
expect_exit 0 ballot draft list --circular 205 --json
is "$(jkeys '.[0]' | tr '\n' ' ')" \
	"rec former revised state outcome text_sha256 texts_available source title summary " "draft list --json: its keys"
is "$(jget '.[0].former')" null "  ... former null"
expect_exit 0 ballot codes list --circular 205 --json
is "$(jkeys '.[0]' | tr '\n' ' ')" "member state issued revoked " "codes list --json: its keys"
is "$(jget '.[0].member')/$(jget '.[0].state')/$(jget '.[0].revoked')" "CHE/in-force/null" "  ... CHE's code in force"
printf 'a long enough password\n' >pw.txt
expect_exit 0 ballot users add --name tsb.anna --role secretariat --password-file pw.txt
expect_exit 0 ballot users add --name sg11.chair --role chair --group 11 --password-file pw.txt
expect_exit 0 ballot users list --json
is "$(jkeys '.[0]' | tr '\n' ' ')" "name role group sign_in password created disabled " "users list --json: its keys"
is "$(jwhere . name sg11.chair group)" 11 "  ... a chair's group"
is "$(jwhere . name tsb.anna group)" null "  ... none for the secretariat"
expect_exit 0 ballot certs list --json
is "$OUT" "[]" "certs list --json: [] when there are none"
expect_exit 0 ballot tls dev-certs --out ca
expect_exit 0 ballot certs issue --member CHE --ca ca --out ca
expect_exit 0 ballot certs list --json
is "$(jkeys '.[0]' | tr '\n' ' ')" "fingerprint member user not_after registered revoked " "certs list --json: its keys"
is "$(jget '.[0].member')/$(jget '.[0].user')" "CHE/null" "  ... a member's certificate"
expect_exit 0 ballot calendar list --year 2020 --json
is "$(jkeys '.[0]' | tr '\n' ' ')" "date weekday name source event " "calendar list --json: its keys"
expect_exit 0 ballot check --json
is "$(jkeys . | tr '\n' ' ')" "integrity_check foreign_key_check event_chain events witness head result " "check --json: its keys"
is "$(jget .result)" ok "  ... result ok"
expect_exit 0 ballot audit verify --json
is "$(jkeys . | tr '\n' ' ')" "result events head first_bad problem " "audit verify --json: its keys"
is "$(jget .result)/$(jget .first_bad)" "intact/null" "  ... intact"
# a broken chain: the same keys, exit 1
cp "$BALLOT_DB" broken.db
sqlite3 broken.db "PRAGMA writable_schema=0; DROP TRIGGER IF EXISTS events_append_only_u;" 2>/dev/null
sqlite3 broken.db "UPDATE events SET body = replace(body, 'CHE', 'CHF') WHERE seq = $seq" 2>/dev/null
expect_exit 1 ballot --db broken.db audit verify --json
is "$(jget .result)/$(jget .first_bad)" "broken/$seq" "audit verify --json: broken at event $seq"
like "$(jget .problem)" . "  ... with the problem"
expect_exit 1 ballot --db broken.db check --json
is "$(jget .result)/$(jget .head)" "damaged/null" "check --json: damaged, no head to trust"
done_testing
