#!/usr/bin/env bash
# 31-sec-quotas.t - issue 14, finding 6: one member must not fill the disk.
# A signed-in member posted reply after reply with two 19 MiB attachments
# each (superseded replies are kept): the database grew without bound. Per
# member and consultation, quota_bytes caps what its replies hold in
# attachments (default 100 MiB) and replies_per_hour caps how many it
# records in an hour (default 30); over them the portal answers 413 and
# 429 (with Retry-After) and the command line exits 2 naming the cap, with
# nothing written; the secretariat records over them with --force. The
# caps are checked inside the write transaction: concurrent requests cannot
# both slip under them. The server runs on a fixed clock (BALLOT_NOW).
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl perl sqlite3

trap 'serve_stop; _cleanup' EXIT

mkpdf() { # mkpdf FILE N [TAG] : a PDF-looking file of N bytes (TAG after its header: another content)
	perl -e 'binmode STDOUT; my ($n, $t) = @ARGV; my $h = "%PDF-1.4\n" . ($t // "");
		print $h, "x" x ($n - length $h)' "$2" "${3-}" >"$1"
}
# quota_bytes counts each distinct content once (a form kept with each of
# its drafts' replies): each file sent below is another content
tagged() { # tagged OUT SRC TAG : SRC's size and bytes, TAG in front
	{ printf '%s' "$3"; tail -c +$((${#3} + 1)) "$2"; } >"$1"
}
rows() { sqlite3 "$BALLOT_DB" '.timeout 10000' "SELECT count(*) FROM replies r JOIN drafts d ON d.id = r.draft_id JOIN consultations c ON c.id = d.consultation_id WHERE c.circular = '$1' AND r.member = '$2'"; }
held() { sqlite3 "$BALLOT_DB" '.timeout 10000' "SELECT coalesce(sum(a.size), 0) FROM attachments a JOIN replies r ON r.id = a.reply_id JOIN drafts d ON d.id = r.draft_id JOIN consultations c ON c.id = d.consultation_id WHERE c.circular = '$1' AND r.member = '$2'"; }
code_of() { printf '%s\n' "$OUT" | awk -F'\t' -v m="$1" '$1 == m { print $2 }'; }

# --- set-up -----------------------------------------------------------------
expect_exit 0 ballot init
setup_205
at 2019-12-02T12:00:00Z
expect_exit 0 ballot consultation create --circular 206 --group 11 --date 2019-12-02 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13
expect_exit 0 ballot draft add --circular 206 --rec Q.6001 --title "First draft" --summary "A summary."
expect_exit 0 ballot draft add --circular 206 --rec Q.6002 --title "Second draft" --summary "A summary."
at 2020-02-10T12:00:00Z

# --- the settings -------------------------------------------------------------
expect_exit 0 ballot config
like "$OUT" '^quota_bytes 104857600$' "config: quota_bytes 104857600 (100 MiB) by default"
like "$OUT" '^replies_per_hour 30$' "config: replies_per_hour 30 by default"
refused_like "^ballot: quota_bytes: '0' is not a size in bytes between 1 and" ballot config set quota_bytes 0
refused_like "^ballot: quota_bytes: '12x'" ballot config set quota_bytes 12x
refused_like "^ballot: replies_per_hour: '0' is not a number of replies between 1 and 1000000" \
	ballot config set replies_per_hour 0
refused_like "^ballot: replies_per_hour: '1000001'" ballot config set replies_per_hour 1000001
refused_like "^ballot: setting: unknown key 'quota' \(known: attachment_max, quota_bytes, replies_per_hour, mail_receipts\)" \
	ballot config set quota 5

# --- the command line ---------------------------------------------------------
expect_exit 0 ballot config set quota_bytes 10000
expect_exit 0 ballot config set replies_per_hour 4
is "$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM events WHERE kind = 'setting'")" 2 "each setting is an event"
mkbytes "$T/6k.txt" 6000
tagged "$T/6k-b.txt" "$T/6k.txt" b
expect_exit 0 ballot reply --circular 205 --member DEU --authorize --comments "$T/6k.txt"
refused_like "^ballot: quota_bytes: DEU's replies in consultation 205 hold 6000 bytes of attachments; 6000 more would pass the cap of 10000 bytes \(.*--force\)$" \
	ballot reply --circular 205 --member DEU --authorize --comments "$T/6k-b.txt"
is "$(rows 205 DEU)" 1 "  ... nothing recorded"
expect_exit 0 ballot reply --circular 205 --member DEU --authorize --comments "$T/6k-b.txt" --force
is "$(held 205 DEU)" 12000 "--force: the secretariat records it over the cap (12000 bytes held)"
expect_exit 0 ballot reply --circular 205 --member DEU --not-authorize
is "$(rows 205 DEU)" 3 "  ... over the byte cap, a reply without files is still taken"
expect_exit 0 ballot reply --circular 205 --member FRA --authorize --comments "$T/6k.txt"
expect_exit 0 ballot reply --circular 206 --member DEU --draft Q.6001 --authorize --comments "$T/6k.txt"
is "$(held 205 FRA) $(held 206 DEU)" "6000 6000" "  ... the cap is per member (FRA) and per consultation (DEU in 206)"

expect_exit 0 ballot withdraw --circular 205 --member DEU
is "$(rows 205 DEU)" 4 "DEU: 4 replies and withdrawals in the hour (replies_per_hour 4)"
refused_like "^ballot: replies_per_hour: DEU recorded 4 replies in consultation 205 in the last hour; 1 more would pass the cap of 4 \(in 3600 s they fit\) \(.*--force\)$" \
	ballot reply --circular 205 --member DEU --authorize
printf 'member\tdraft\tchoice\treceived\tchannel\tattachment\nFRA\tQ.5051\tauthorize\t\temail\t\nDEU\tQ.5051\tauthorize\t\temail\t\n' >"$T/import.tsv"
refused_like "^ballot: import line 3: replies_per_hour: DEU recorded 4 replies" \
	ballot reply import --circular 205 "$T/import.tsv"
is "$(rows 205 FRA)" 1 "  ... all or nothing: FRA's line is not recorded either"
expect_exit 0 ballot reply import --circular 205 "$T/import.tsv" --force
is "$(rows 205 DEU)" 5 "reply import --force records it over the cap"
refused_like "^ballot: replies_per_hour: DEU recorded 5 replies" ballot withdraw --circular 205 --member DEU
expect_exit 0 ballot withdraw --circular 205 --member DEU --force
at 2020-02-10T12:59:59Z
refused_like "^ballot: replies_per_hour: DEU recorded 6 replies .* \(in 1 s they fit\)" \
	ballot reply --circular 205 --member DEU --authorize
at 2020-02-10T13:00:00Z
n=$(rows 205 DEU)
expect_exit 0 ballot reply --circular 205 --member DEU --authorize
is "$(rows 205 DEU)" "$((n + 1))" "  ... an hour after they were recorded, the member replies again"
expect_exit 0 ballot audit verify

# two command-line writers at once: the cap holds (BEGIN IMMEDIATE)
at 2020-02-10T12:00:00Z
expect_exit 0 ballot config set quota_bytes 10000
for i in 1 2 3 4; do
	tagged "$T/6k-$i.txt" "$T/6k.txt" "$i"
done
for i in 1 2 3 4; do
	"$BALLOT_BIN" reply --circular 206 --member ITA --draft Q.6002 --authorize --comments "$T/6k-$i.txt" \
		>"$T/cli-$i.out" 2>"$T/cli-$i.err" &
done
wait
n_ok=$(grep -l '^recorded reply' "$T"/cli-?.out | wc -l)
n_ref=$(grep -l '^ballot: quota_bytes: ITA' "$T"/cli-?.err | wc -l)
is "$n_ok $n_ref" "1 3" "4 concurrent ballot reply with 6000 bytes each under a 10000-byte cap: 1 recorded, 3 refused"
is "$(held 206 ITA)" 6000 "  ... ITA holds 6000 bytes"

# --- the portal ---------------------------------------------------------------
expect_exit 0 ballot config set quota_bytes 104857600
expect_exit 0 ballot config set replies_per_hour 30
for m in JPN CHN USA BRA; do
	expect_exit 0 ballot codes issue --circular 206 --member $m
	eval "C_$m=\$(code_of $m)"
done
PW="a secretariat pass phrase"
printf '%s\n' "$PW" >"$T/pw"
expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
expect_exit 0 ballot tls dev-certs --out "$T/ca"
CA_PEM=$T/ca/ca.pem SRV_CERT=$T/ca/server.pem SRV_KEY=$T/ca/server-key.pem
serve_start "$T/serve.log" || { echo "Bail out! the server did not start"; exit 1; }

# The finding, with the defaults: replies with two 19 MiB files each.
mkpdf "$T/19m-a.pdf" $((19 * 1024 * 1024))
mkpdf "$T/19m-b.pdf" $((19 * 1024 * 1024 - 1))
signin jpn JPN "$C_JPN"
get jpn /member/c/206
JPN_CSRF=$(csrf_of)
big=0
big_reply() { # each time two other contents
	big=$((big + 1))
	printf '%04d' "$big" | dd of="$T/19m-a.pdf" bs=1 seek=9 conv=notrunc status=none
	printf '%04d' "$big" | dd of="$T/19m-b.pdf" bs=1 seek=9 conv=notrunc status=none
	reply_post jpn /member/c/206/reply -F "csrf=$JPN_CSRF" -F choice-1=authorize-with-comments \
		-F "file-1=@$T/19m-a.pdf;type=application/pdf" -F choice-2=not-authorize \
		-F "file-2=@$T/19m-b.pdf;type=application/pdf"
}
t0=$(date +%s.%N)
big_reply
is "$ST" 200 "JPN: a reply with two 19 MiB files: 200"
big_reply
is "$ST" 200 "  ... a second one (76 MiB held): 200"
before=$(db_sum)
size0=$(stat -c %s "$BALLOT_DB")
big_reply
is "$ST" 413 "  ... a third would pass 100 MiB: 413"
like "$BODY" "quota_bytes: JPN&#39;s replies in consultation 206 hold 79691774 bytes of attachments; 39845887 more would pass the cap of 104857600 bytes" \
	"  ... the page names the member, the consultation, the bytes held and the cap"
big_reply
is "$ST" 413 "  ... and a fourth: 413"
is "$(db_sum)" "$before" "  ... nothing written: the database is unchanged"
is "$(rows 206 JPN)" 4 "  ... 4 replies recorded, not 8"
diag "JPN: 4 uploads of 38 MiB in $(perl -e 'printf "%.1f", $ARGV[1] - $ARGV[0]' "$t0" "$(date +%s.%N)") s; the database $(stat -c %s "$BALLOT_DB") bytes (was $size0 before the refused ones)"
get jpn /member/c/206
reply_post jpn /member/c/206/reply -F "csrf=$(csrf_of)" -F choice-1=authorize
is "$ST" 200 "  ... a reply without files still goes through"
rm -f "$T/19m-a.pdf" "$T/19m-b.pdf"

# Small caps from here on: changed while the server runs.
expect_exit 0 ballot config set quota_bytes 100000
expect_exit 0 ballot config set replies_per_hour 4
mkpdf "$T/40k.pdf" 40000
mkpdf "$T/40k-b.pdf" 40000 b
mkpdf "$T/30k.pdf" 30000
for i in 1 2 3 4 5 6; do mkpdf "$T/60k-$i.pdf" 60000 "$i"; done
signin chn CHN "$C_CHN"
get chn /member/c/206
CHN_CSRF=$(csrf_of)
reply_post chn /member/c/206/reply -F "csrf=$CHN_CSRF" -F choice-1=authorize-with-comments \
	-F "file-1=@$T/40k.pdf;type=application/pdf" -F choice-2=not-authorize -F "file-2=@$T/40k-b.pdf;type=application/pdf"
is "$ST" 200 "CHN: two 40000-byte files under a 100000-byte cap: 200"
before=$(db_sum)
reply_post chn /member/c/206/reply -F "csrf=$CHN_CSRF" -F choice-1=authorize-with-comments \
	-F "file-1=@$T/30k.pdf;type=application/pdf"
is "$ST" 413 "  ... 30000 more: 413"
like "$BODY" "CHN&#39;s replies in consultation 206 hold 80000 bytes of attachments; 30000 more would pass the cap of 100000 bytes" \
	"  ... naming CHN, 206, 80000 held and the cap"
is "$(db_sum)" "$before" "  ... the database unchanged"
reply_post chn /member/c/206/reply -F "csrf=$CHN_CSRF" -F choice-1=authorize -F choice-2=authorize
is "$ST" 200 "  ... two replies without files: 200 (4 in the hour)"
before=$(db_sum)
reply_post chn /member/c/206/reply -F "csrf=$CHN_CSRF" -F choice-1=authorize
is "$ST" 429 "  ... a fifth in the hour (replies_per_hour 4): 429"
is "$(hdr Retry-After)" 3600 "  ... Retry-After: 3600 (the server's clock is fixed)"
like "$BODY" "replies_per_hour: CHN recorded 4 replies in consultation 206 in the last hour; 1 more would pass the cap of 4 \(in 3600 s they fit\)" \
	"  ... naming CHN, 206, the count and the cap"
is "$(db_sum)" "$before" "  ... the database unchanged"
is "$(rows 206 CHN)" 4 "  ... CHN: 4 replies recorded"

# the secretariat's entry form meets the same caps; the command line's --force does not
signin_user tsb tsb "$PW"
get tsb /secretariat/c/206
reply_post tsb /secretariat/c/206/reply -F "csrf=$(csrf_of)" -F member=CHN -F draft=Q.6001 -F choice=authorize \
	-F channel=fax
is "$ST" 429 "the secretariat entering a fifth reply of CHN in the portal: 429"
is "$(db_sum)" "$before" "  ... the database unchanged"
expect_exit 0 ballot reply --circular 206 --member CHN --draft Q.6001 --authorize --force

# configurable while the server runs
expect_exit 0 ballot config set replies_per_hour 10
reply_post chn /member/c/206/reply -F "csrf=$CHN_CSRF" -F choice-1=authorize
is "$ST" 200 "replies_per_hour raised to 10: CHN's next reply is taken"
expect_exit 0 ballot config set replies_per_hour 4

# concurrent requests: exactly what fits is taken
par_post() { # par_post JAR N CURL-ARGS... : N requests at once, each of its own opening of the form ("%i" in an argument: the request's number)
	# (its own once token); prints their statuses, sorted
	local jar=$1 n=$2 i
	shift 2
	local once=()
	for i in $(seq 1 "$n"); do
		get "$jar" /member/c/206
		once[i]=$(once_of)
	done
	for i in $(seq 1 "$n"); do
		curl -sS --max-time 60 --cacert "$CA_PEM" --resolve "localhost:$PORT:127.0.0.1" \
			-b "$T/$jar.jar" -o /dev/null -w '%{http_code}\n' "${@//%i/$i}" -F "once=${once[i]}" "$URL/member/c/206/reply" \
			>"$T/par-$i.st" 2>/dev/null &
	done
	wait
	cat "$T"/par-*.st | sort | tr '\n' ' '
	rm -f "$T"/par-*.st
}
signin usa USA "$C_USA"
get usa /member/c/206
got=$(par_post usa 6 -F "csrf=$(csrf_of)" -F choice-1=authorize-with-comments -F "file-1=@$T/60k-%i.pdf;type=application/pdf")
is "$got" "303 413 413 413 413 413 " "6 concurrent replies of 60000 bytes under a 100000-byte cap: one 303, five 413"
is "$(held 206 USA)" 60000 "  ... USA holds 60000 bytes"
signin bra BRA "$C_BRA"
get bra /member/c/206
got=$(par_post bra 7 -F "csrf=$(csrf_of)" -F choice-2=authorize)
is "$got" "303 303 303 303 429 429 429 " "7 concurrent replies under replies_per_hour 4: four 303, three 429"
is "$(rows 206 BRA)" 4 "  ... BRA: 4 recorded"

serve_stop
expect_exit 0 ballot check
expect_exit 0 ballot audit verify
done_testing
