#!/usr/bin/env bash
# 25-crash.t - an acknowledged reply is never lost, whoever records it and
# whenever the writer dies. Three command-line writers (`ballot reply` in a
# loop) and the portal (`ballot serve`, fed by two HTTPS clients: the
# secretariat entering faxed replies and an administration replying with its
# reply code) record replies into one database while the test SIGKILLs a
# writer at random moments: a running `ballot reply` process or the server
# itself, which is then restarted on the same port. At least 200 kills
# (BALLOT_CRASH_KILLS, default 350, about a minute; BALLOT_CRASH_SEED=N seeds
# the random choices again, though the timing of processes differs run to run).
#
# An acknowledgement is, for the command line, the `recorded reply N: ...`
# line on its standard output (line-buffered as on a terminal, so a kill just
# after the line is a kill after the acknowledgement), and for the portal a
# complete 200 page with the receipt. Each acknowledged reply is identified by
# its event number and a signatory unique to the request. After every kill of
# the server (while it restarts and the command-line writers go on) and at the
# end, every reply acknowledged so far by any writer must be in `ballot
# history` exactly as acknowledged, `ballot check` must pass and `ballot audit
# verify` must verify the chain. Unacknowledged replies may or may not be
# there; none may be there twice.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl perl stdbuf

KILLS=${BALLOT_CRASH_KILLS:-350}
[ "$KILLS" -ge 200 ] 2>/dev/null || KILLS=200

# --- set-up -------------------------------------------------------------------
# 205: the command line and the secretariat; 206: China through the portal.
expect_exit 0 ballot init
if [ ! -e "$BALLOT_DB.key" ] && ballot keys --help >/dev/null 2>&1; then
	ballot keys create >/dev/null 2>&1 # a signing key, should serve want one
fi
at 2019-12-02T12:00:00Z
for c in 205 206; do
	expect_exit 0 ballot consultation create --circular "$c" --group 11 --date 2019-12-02 \
		--meeting-start 2020-03-04 --meeting-end 2020-03-13
done
expect_exit 0 ballot draft add --summary "A summary of the draft." --circular 205 --rec Q.5051 --title "Framework for combating the use of stolen mobile devices"
expect_exit 0 ballot draft add --summary "A summary of the draft." --circular 205 --rec Q.5052 --title "Second draft"
expect_exit 0 ballot draft add --summary "A summary of the draft." --circular 206 --rec Q.6001 --title "Third draft"
expect_exit 0 ballot draft add --summary "A summary of the draft." --circular 206 --rec Q.6002 --title "Fourth draft"
at 2020-02-20T12:00:00Z # before the deadline 2020-02-21T23:59:00Z; the server's clock too
PW="a secretariat pass phrase"
printf '%s\n' "$PW" >"$T/pw"
expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
expect_exit 0 ballot codes issue --circular 206 --member CHN
CODE=$(printf '%s\n' "$OUT" | awk -F'\t' '$1 == "CHN" { print $2 }')
like "$CODE" '^[0-9A-Z-]{29}$' "a reply code for China (206)"
expect_exit 0 ballot tls dev-certs --out "$T/ca"
# thousands of replies of a few members within the hour: above the members'
# replies_per_hour (tests/e2e/31-sec-quotas.t tests that cap)
expect_exit 0 ballot config set replies_per_hour 1000000
# 20 members for each command-line writer, 20 for the secretariat
MEMBERS=$(codes 90 | grep -vx CHN | head -n 80 | tr '\n' ' ')
# a 50 KB comments file: a third of the command line's transactions write many pages
perl -e 'print "Comments, line $_ of the crash test.\n" for 1 .. 1400' >"$T/comments.txt"

# --- the driver ---------------------------------------------------------------
# tests/crash/crash.pl: the writers, the kills and the checks (run), and the
# final check (verify); see its header.
DRIVER=$REPO/tests/crash/crash.pl

# --- run ----------------------------------------------------------------------
PORT=$(free_port)
t_start=$(date +%s.%N)
secs() { perl -e 'printf "%.1f", $ARGV[1] - $ARGV[0]' "$t_start" "$(date +%s.%N)"; }
CRASH_DIR=$T CRASH_PORT=$PORT CRASH_KILLS=$KILLS CRASH_SEED=${BALLOT_CRASH_SEED:-} CRASH_MEMBERS=$MEMBERS \
	CRASH_PW=$PW CRASH_CODE=$CODE perl "$DRIVER"
ok "the driver ran to the end" test -s "$T/summary"
S() { awk -v k="$1" '$1 == k { print $2 }' "$T/summary"; }
diag "seed $(S seed) (BALLOT_CRASH_SEED)"

kills=$(( $(S cli_kills) + $(S portal_kills) ))
ok "at least 200 SIGKILLs ($kills: $(S cli_kills) ballot reply, $(S portal_kills) ballot serve)" test "$kills" -ge 200
ok "  ... both kinds of writer were killed" test "$(S cli_kills)" -gt 0 -a "$(S portal_kills)" -gt 0
ok "replies acknowledged by each writer (command $(S cli_acks), secretariat $(S portal_acks_tsb), member $(S portal_acks_chn))" \
	test "$(S cli_acks)" -gt 0 -a "$(S portal_acks_tsb)" -gt 0 -a "$(S portal_acks_chn)" -gt 0
is "$(S checks)" "$(S portal_kills)" "a check after every kill of the server ($(S checks))"
is "$(S check_failures)" 0 "every one passed: acknowledged replies present, check, audit verify"
is "$(S errors)" 0 "no unexpected exit, status, receipt or sanitizer report"

# the last check, with the strict JSON parser, after every writer stopped
CRASH_DIR=$T perl "$DRIVER" verify "$T/acks.tsv" "$T/unacked.tsv" >"$T/final"
F() { awk -v k="$1" '$1 == k { print $2 }' "$T/final"; }
grep '^# ' "$T/final"
is "$(F lost)" 0 "no acknowledged reply lost ($(F present) of $(F acks) present)"
is "$(F present)" "$(S acks)" "  ... every one of them in the history as acknowledged"
is "$(F twice)" 0 "no reply recorded twice"
is "$(F history)" ok "history --json of both consultations"
is "$(F check)" ok "ballot check: result ok"
is "$(F audit)" ok "ballot audit verify: the chain verifies"
expect_exit 0 ballot check
like "$OUT" "^head: $(F head)\$" "  ... the head hash audit verify printed"

# the check is not vacuous: an acknowledgement the database does not have is named
printf '%s\t%s\n' "$(head -n 1 "$T/acks.tsv" | cut -f 1-5)" "nobody	cli0" >"$T/acks-fake.tsv"
cat "$T/acks.tsv" >>"$T/acks-fake.tsv"
CRASH_DIR=$T perl "$DRIVER" verify "$T/acks-fake.tsv" >"$T/fake"
is "$(awk '$1 == "lost" { print $2 }' "$T/fake")" 1 "the checker catches an acknowledged reply that is not there"
like "$(cat "$T/fake")" "^# LOST: .* signatory nobody; the history has event" "  ... and names it"

diag "$(printf 'kills: %d ballot reply (%d more landed after the process had exited), %d ballot serve (%d while it was starting)' \
	"$(S cli_kills)" "$(S cli_kill_missed)" "$(S portal_kills)" "$(S portal_kills_starting)")"
diag "command line: $(S cli_runs) ballot reply runs, $(S cli_acks) acknowledged ($(S cli_acked_then_killed) killed after the line)"
diag "portal: $(S server_starts) server starts; acknowledged $(S portal_acks_tsb) secretariat entries, $(S portal_acks_chn) member replies; $(( $(S portal_cut_tsb) + $(S portal_cut_chn) )) requests cut by a kill"
diag "killed before the acknowledgement: $(F unacked), of which committed $(F unacked_committed)"
diag "acknowledged $(F acks), present $(F present), lost $(F lost); history rows $(F rows)"
diag "$(printf 'checks: %d after kills of the server (the last over %d acknowledgements), %.1f s in all; %.1f s of kills, %.1f s for the whole test' \
	"$(S checks)" "$(S check_max_acks)" "$(S check_seconds)" "$(S kill_seconds)" "$(secs)")"

done_testing
