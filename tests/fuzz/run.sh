#!/bin/sh
# run.sh SECONDS BIN... - make fuzz: runs each libFuzzer harness for SECONDS
# from a working copy of its seed corpus (build-fuzz/corpus/<name>/, so new
# inputs never land in tests/), then prints executions, coverage and
# findings per harness. Crash inputs go to build-fuzz/findings/<name>/;
# each one found is to become a regression test (README, "Fuzzing").
secs=$1
shift
status=0
summary=""
for bin in "$@"; do
	name=$(basename "$bin")
	name=${name#fuzz_}
	work=build-fuzz/corpus/$name
	found=build-fuzz/findings/$name
	mkdir -p "$work" "$found"
	cp tests/fuzz/corpus/"$name"/* "$work"/ 2>/dev/null
	log=build-fuzz/$name.log
	echo "fuzz: $name for ${secs}s ..."
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
		-artifact_prefix="$found/" -print_final_stats=1 "$work" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	crashes=$(ls "$found" | wc -l)
	[ "$rc" -ne 0 ] && { status=1; grep -m 3 'ERROR\|SUMMARY\|runtime error' "$log"; }
	summary="$summary$(printf '%-14s %12s %8s %6s %9s' "$name" "${execs:-?}" "${rate:-?}" "${cov:-?}" "$crashes")
"
done
printf '%-14s %12s %8s %6s %9s\n' harness executions exec/s cov findings
printf '%s' "$summary"
[ "$status" -eq 0 ] || echo "fuzz: findings above; inputs in build-fuzz/findings/, logs in build-fuzz/*.log"
exit $status
