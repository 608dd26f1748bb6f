#!/usr/bin/env bash
# 13-valgrind.t - every command path, successful and refused, is memory-clean
# and says what it should, in both builds:
# - plain build: under valgrind (memcheck): no invalid read or write, no use of
#   uninitialised memory, no definite or indirect leak (valgrind's own exit 99);
# - ASan + UBSan build (build-asan/): no AddressSanitizer, LeakSanitizer
#   (detect_leaks=1) or UBSan report (their exit 86) - valgrind and ASan do not
#   mix, so here the sanitizers are the checker.
# In both, each command exits as expected with no checker report on stderr, a
# refusal (exit 2) prints exactly one "ballot: " line, and every command that
# changes nothing (vr) prints exactly what the reference binary prints: the
# same binary without valgrind (plain build), or the plain build/ballot
# (ASan build: the sanitized and the -O2 code must agree).
. "$(dirname "$0")/lib.sh"
. "$E2E/vg-lib.sh"

printf 'comments\n' >c.txt
printf 'member\tdraft\tchoice\treceived\tchannel\tattachment\nFRA\tQ.5051\tauthorize-with-comments\t2020-02-01T10:00Z\temail\tc.txt\n' >r.tsv
printf 'member\tdraft\tchoice\treceived\tchannel\tattachment\nBEL\tQ.5051\tauthorize\t2020-02-01T10:00Z\temail\t\n' >r2.tsv
vg 0 init
vg 0 init
vg 0 consultation create --circular 205 --group 11 --date 2019-12-04 --meeting-start 2020-03-04 --meeting-end 2020-03-13
vr 2 consultation create --circular 205 --group 11 --date 2019-12-04 --meeting-start 2020-03-04 --meeting-end 2020-03-13
vg 0 draft add --summary "A summary of the draft." --circular 205 --rec Q.5051 --title Framework --text c.txt
vg 0 reply --circular 205 --member CHE --authorize --comments c.txt --signatory "A. Person"
vr 2 reply --circular 205 --member XXX --authorize
vr 2 reply --circular 205 --member CHE --authorize --received 2020-02-01T10:00
vg 0 reply import --circular 205 r.tsv
vg 0 withdraw --circular 205 --member CHE
vg 0 reply --circular 205 --member DEU --not-authorize
vg 0 reply --circular 205 --member GBR --authorize
vg 0 reply --circular 205 --member ITA --authorize
vr 0 keys show
vr 2 keys create
vg 0 keys create --key other.key
vg 0 reply --circular 205 --member ESP --authorize --receipt esp.json
vg 0 reply import --circular 205 r2.tsv --receipts rc
vr 2 reply --circular 205 --member NLD --authorize --key none.key
vr 0 receipt show --event 7
vr 2 receipt show --event 1
printf '2026-03-20\tEid al-Fitr\n' >eid.tsv
vr 0 calendar list --year 2025 --json
vg 0 calendar add 2025-12-24 --name "Christmas Eve"
vg 0 calendar remove 2025-12-24
vg 0 calendar import eid.tsv
vr 2 calendar import eid.tsv --bad
vr 0 timeline --circular 205 --json
vr 0 consultation show --circular 205
vr 0 status --json
"$BALLOT_BIN" keys show >pub.txt
vr 0 receipt verify esp.json --key pub.txt
sed 's/"ESP"/"PRT"/' esp.json >bad.json
vr 2 receipt verify bad.json --key pub.txt
vg 0 publish --circular 205 --out bundle --attachments
vr 0 verify-bundle bundle --key pub.txt --receipt esp.json
printf 'x\n' >bundle/extra.txt
vr 2 verify-bundle bundle --key pub.txt
vr 0 tally --circular 205
vr 0 tally --circular 205 --json
vr 0 pending --circular 205 --json
vr 0 history --circular 205
vr 0 history --circular 205 --json
vr 0 export --circular 205 --format csv
vr 0 export --circular 205 --format json
vg 0 comments --circular 205 --out out
vr 0 status --json
vr 0 members --json
vr 0 audit verify
vr 0 check
vg 0 backup bk.db
vr 2 backup bk.db
vg 0 backup bk.db --force
vg 0 restore bk.db
vr 2 restore r.tsv
vr 2 restore nosuch.db
cp bk.db tampered.db && perl -0777 -pi -e 's/"seq":3,"at"/"seq":4,"at"/' tampered.db
head -c 50000 bk.db >truncated.db
vr 1 --db tampered.db check
vr 1 --db truncated.db check
vr 2 restore tampered.db
vr 2 restore truncated.db
vg 0 forms --circular 205 --blank --member FRA,CHN --lang all --out forms --jobs 1
vr 2 forms --circular 205 --member XXX --out forms --jobs 1
vr 2 forms --circular 205 --lang xx --out forms
printf 'correct horse battery staple\n' >pw.txt
vg 0 codes issue --circular 205 --member CHE
vr 0 codes list --circular 205
vg 0 codes revoke --circular 205 --member CHE
vr 2 codes revoke --circular 205 --member CHE
vr 2 codes issue --circular 205 --member XXX
vg 0 forms --circular 205 --member FRA --lang en --with-codes --portal https://x.example/ --out forms-codes --jobs 1
vr 2 forms --circular 205 --with-codes --out forms-codes
vg 0 users add --name tsb.anna --role secretariat --password-file pw.txt
vr 2 users add --name Bad --role secretariat --password-file pw.txt
vr 0 users list
vg 0 tls dev-certs --out tls --client alice
vr 2 tls dev-certs --out tls
vg 0 certs issue --member CHE --ca tls --out certs
vr 2 certs issue --user nobody --ca tls --out certs
vg 0 users add --name alice --role secretariat --cert tls/client-alice.pem
vr 0 certs list
vg 0 certs revoke --fingerprint "$(sqlite3 "$BALLOT_DB" "SELECT fingerprint FROM client_certs WHERE member = 'CHE'")"
vr 2 certs revoke --fingerprint 00
# The portal: a sign-in with a reply code, a reply with a file, refusals (CSRF,
# 413, a rogue client certificate), a registered client certificate, then
# SIGTERM: the server must stop cleanly with no valgrind (or ASan) report.
CODE=$("$BALLOT_BIN" codes issue --circular 205 --member ESP 2>/dev/null | awk -F'\t' '$1 == "ESP" { print $2 }')
"$BALLOT_BIN" certs issue --member NLD --ca tls --out certs >/dev/null
"$BALLOT_BIN" tls dev-certs --out rogue --client NLD >/dev/null
"$BALLOT_BIN" config set attachment_max 100000 >/dev/null
PORT=$(perl -MIO::Socket::INET -e 'print IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1",
	LocalPort => 0, Proto => "tcp", ReuseAddr => 1)->sockport')
"${VG[@]}" "$BALLOT_BIN" serve --listen "127.0.0.1:$PORT" --cert tls/server.pem --key tls/server-key.pem \
	--client-ca tls/ca.pem --threads 2 2>serve.err &
SRV=$!
# until it listens (up to 300 s: valgrind reads the debug information of some
# thirty libraries first, seconds of CPU that a loaded machine stretches)
end=$((SECONDS + 300))
until grep -q "serving https" serve.err || [ "$SECONDS" -ge "$end" ] || ! kill -0 "$SRV" 2>/dev/null; do sleep 0.1; done
U="https://localhost:$PORT"
# an idle connection, which the connection guard's watchdog cuts at its 10 s
# deadline while the requests below run
perl -MIO::Socket::INET -MTime::HiRes=time -e '
	my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $ARGV[0]) or die "connect: $!\n";
	my $t = time;
	$SIG{ALRM} = sub { print "open\n"; exit };
	alarm 60;
	my $b;
	1 while sysread($s, $b, 100);
	printf "cut %.1f\n", time - $t' "$PORT" >idle.out 2>&1 &
IDLE=$!
C=(curl -s --max-time 300 --cacert tls/ca.pem -b jar -c jar -o page.html -w '%{http_code}')
"${C[@]}" "$U/signin" >/dev/null
CS=$(perl -ne 'if (/name="csrf" value="([0-9a-f]{64})"/) { print $1; exit }' page.html)
st=$("${C[@]}" --data-urlencode kind=member --data-urlencode member=ES --data-urlencode "code=$CODE" \
	--data-urlencode "csrf=$CS" "$U/signin")
is "$st" 303 "portal under valgrind: sign-in with a reply code"
"${C[@]}" "$U/member/c/205" >/dev/null
CS=$(perl -ne 'if (/name="csrf" value="([0-9a-f]{64})"/) { print $1; exit }' page.html)
ONCE=$(perl -ne 'if (/name="once" value="([0-9a-f]{64})"/) { print $1; exit }' page.html)
printf '%%PDF-1.4 comments\n' >c.pdf
st=$("${C[@]}" -F "csrf=$CS" -F "once=$ONCE" -F choice-1=authorize-with-comments -F file-1=@c.pdf -F signatory=E.S. \
	-w '%{http_code} %{redirect_url}' "$U/member/c/205/reply")
like "$st" '^303 https://[^ ]*/member/sent/[0-9]+$' "  ... a reply with a file: 303 to its receipt page"
st=$("${C[@]}" "${st#303 }")
is "$st" 200 "  ... the receipt page"
st=$("${C[@]}" -F choice-1=authorize "$U/member/c/205/reply")
is "$st" 403 "  ... no CSRF token: 403"
{ printf '%%PDF-1.4\n'; head -c 300000 /dev/zero; } >big.pdf
st=$("${C[@]}" -F "csrf=$CS" -F choice-1=not-authorize -F file-1=@big.pdf "$U/member/c/205/reply")
is "$st" 413 "  ... an oversized upload: 413"
st=$("${C[@]}" "$U/member/history")
is "$st" 200 "  ... history"
st=$(curl -s --max-time 300 --cacert tls/ca.pem --cert certs/client-NLD.pem --key certs/client-NLD-key.pem \
	-o /dev/null -w '%{http_code}' "$U/member")
is "$st" 200 "  ... a registered client certificate"
st=$(curl -s --max-time 300 --cacert tls/ca.pem --cert rogue/client-NLD.pem --key rogue/client-NLD-key.pem \
	-o /dev/null -w '%{http_code}' "$U/member")
is "$st" 403 "  ... a rogue client certificate: 403"
wait "$IDLE"
like "$(cat idle.out)" '^cut (9\.[5-9]|[1-5][0-9])' "  ... an idle connection cut at the 10 s deadline ($(cat idle.out) s)"
kill -TERM "$SRV"
wait "$SRV"
rc=$?
is "$rc" 0 "  ... stops on SIGTERM"
unlike "$(cat serve.err)" "$REPORT" "  ... $CHECKER-clean (no report in its log)"
[[ $rc == 0 ]] || diag "$(head -c 3000 serve.err)"
vr 2 serve --cert tls/server.pem --key tls/nosuchkey.pem
vr 2 serve --cert tls/server.pem --key tls/server-key.pem --listen nowhere
"$BALLOT_BIN" config set attachment_max 20971520 >/dev/null
vg 0 report --circular 205 --lang all --dir reports
vr 2 report --circular 205 --lang en,fr --out one.pdf
at 2020-02-25T00:00:00Z
vg 0 close --circular 205
at 2020-03-05T10:00:00Z
vg 0 decide --circular 205 --draft Q.5051 --more-time CHE DEU --date 2020-03-04
vr 2 decide --circular 205 --draft Q.5051 --approved
# §9.5.5: approved once the four weeks after the meeting have passed; the
# report shows the decisions
at 2020-04-11T10:00:00Z
vg 0 decide --circular 205 --draft Q.5051 --approved --reservation GBR:editorial
vg 0 report --circular 205 --lang en --out decided.pdf
vr 0 history --circular 205
vr 2 nosuchcommand
vr 0 --help
done_testing
