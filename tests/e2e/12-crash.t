#!/bin/bash
# User story: a reply the tool acknowledged ("recorded reply ...") is never
# lost, even when the process is killed at any moment (SIGKILL, no cleanup).
. "$(dirname "$0")/lib.sh"

expect_exit 0 ballot init
setup_205
at 2020-02-20T12:00:00Z

mkdir -p "$T/crash"
N=20
mapfile -t members < <(codes $N 0)
# First one reply run to the end and timed (ZWE), then N replies each killed
# with SIGKILL after a random delay within that time (perl: fork, exec, sleep
# and kill, without shell overhead in between).
crash_out=$(perl -MTime::HiRes=sleep,time -e '
	my ($bin, $dir, @members) = @ARGV;
	sub start {
		my ($i, $m, $t) = @_;
		my $pid = fork // die "fork: $!";
		if ($pid == 0) {
			open STDOUT, ">", "$dir/$i.out" or die;
			open STDERR, ">", "$dir/$i.err" or die;
			exec $bin, "reply", "--circular", "205", "--member", $m, "--authorize", "--received", $t;
			exit 127;
		}
		return $pid;
	}
	my $t0 = time;
	waitpid start("calibrate", "ZWE", "2020-02-10T09:00:00Z"), 0;
	my $avg = time - $t0;
	print "calibration exit ", $? >> 8, ", one reply takes ${avg}s\n";
	srand($$);
	for my $i (0 .. $#members) {
		my $delay = rand(1.2 * $avg);
		my $pid = start($i, $members[$i], sprintf("2020-02-10T10:%02d:00Z", $i));
		sleep $delay;
		kill 9, $pid;
		waitpid $pid, 0;
	}' "$BALLOT_BIN" "$T/crash" "${members[@]}")
diag "$crash_out"
like "$crash_out" 'calibration exit 0,' "an uninterrupted reply succeeds"
acked=()
for i in $(seq 0 $((N - 1))); do
	if grep -qs '^recorded reply [0-9]*: ' "$T/crash/$i.out"; then
		acked+=("$i")
	fi
done
diag "acknowledged before the kill: ${#acked[@]} of $N"

# one more, not killed: at least one acknowledged reply is always checked
expect_exit 0 ballot reply --circular 205 --member CHE --authorize --received 2020-02-10T11:00:00Z
like "$OUT" '^recorded reply [0-9]+: CHE ' "a reply after the crashes is acknowledged"

expect_exit 0 ballot history --circular 205 --json
hist=$OUT
lost=0
for i in "${acked[@]}"; do
	t=$(printf '2020-02-10T10:%02d:00Z' "$i")
	got=$(jwhere . received "$t" member "$hist")
	if [ "$got" != "${members[$i]}" ]; then
		lost=$((lost + 1))
		diag "acknowledged reply of ${members[$i]} received $t is missing: $(cat "$T/crash/$i.out")"
	fi
	# the acknowledged event is the one in the history
	seq=$(sed -n 's/.*(event \([0-9]*\) .*/\1/p' "$T/crash/$i.out")
	is "$(jwhere . received "$t" seq "$hist")" "$seq" "acknowledged reply of ${members[$i]} is in the history as event $seq"
done
is "$lost" 0 "no acknowledged reply was lost (${#acked[@]} acknowledged under kill -9)"
is "$(jwhere . member CHE member "$hist")" CHE "the reply after the crashes is in the history"

expect_exit 0 ballot audit verify
expect_exit 0 ballot tally --circular 205 --json
replies=$(jget '.drafts[0].replies')
is "$replies" "$(jcol . status "$hist" | grep -c '^counted$')" "the tally counts exactly the replies in the history"
ok "the tally counts at least the acknowledged replies" test "${replies:-0}" -ge $((${#acked[@]} + 2))

done_testing
