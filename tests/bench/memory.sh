#!/bin/sh
# memory.sh - the portal's memory after bursts of uploads (not part of make
# bench: about 1 min a run; the figures of README's "Portal performance"). A
# `ballot serve` takes BURSTS (default 2) bursts of 64 API replies sent at
# once, each a multipart body with a 10 MB text file, from 64 members; after
# each burst and after 10 s idle it prints the server's resident memory
# (VmRSS), its peak (VmHWM) and the server's CPU per reply (utime + stime of
# /proc/PID/stat). A variant of malloc's settings goes in by the environment:
# GLIBC_TUNABLES (glibc.malloc.trim_threshold, glibc.malloc.mmap_threshold)
# reaches the server, but cmd_serve.c's mallopt calls override it: measure
# those with a binary built without them.
# Usage: memory.sh [BALLOT_BINARY [LABEL]]
set -eu
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${1:-$REPO/build/ballot}
LABEL=${2:-$(basename "$BIN")}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
BURSTS=${MEM_BENCH_BURSTS:-2}
N=64

. "$REPO/tests/bench/lib.sh"
bench_begin memory
bench_open 992 Q.9903 "Memory test draft"
b config set replies_per_hour 100000 >/dev/null
b config set quota_bytes 1000000000 >/dev/null
printf 'a bench pass phrase\n' >"$TMP/pw"
b users add --name bench-api --role secretariat --password-file "$TMP/pw" >/dev/null 2>&1
TOKEN=$(b tokens create --user bench-api --scope write 2>/dev/null) || fail "tokens create failed"
b tls dev-certs --out "$TMP/tls" >/dev/null
head -c 10000000 /dev/zero | tr '\0' 'a' >"$TMP/file.txt"
MEMBERS=$(grep -v '^#' "$REPO/forms/member-states.tsv" | awk -F'\t' 'NR > 1 && $1 != "PLW" { print $1 }' | head -n $N)
for m in $MEMBERS; do
	printf '{"member":"%s","draft":"Q.9903","choice":"authorize-with-comments"}' "$m" >"$TMP/$m.json"
done

bench_serve $(($$ * 11)) --quiet
status() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$PID/status"; } # kB
cpu() { awk '{ print $14 + $15 }' "/proc/$PID/stat"; }                 # ticks
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
tck=$(getconf CLK_TCK)
echo "memory [$LABEL]: ${GLIBC_TUNABLES:-no tunables}; $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
echo "memory [$LABEL]: started: RSS $(mib "$(status VmRSS)") MiB"
round=1
while [ $round -le "$BURSTS" ]; do
	c0=$(cpu)
	pids=
	for m in $MEMBERS; do
		curl -sS --max-time 600 --cacert "$TMP/tls/ca.pem" -o /dev/null -w '%{http_code}\n' \
			-H "Authorization: Bearer $TOKEN" -F "reply=<$TMP/$m.json" -F "attachments=@$TMP/file.txt" \
			"https://127.0.0.1:$port/api/v1/consultations/992/replies" >"$TMP/st.$m" 2>&1 &
		pids="$pids $!"
	done
	# shellcheck disable=SC2086
	wait $pids
	sts=$(cat "$TMP"/st.* | sort | uniq -c | tr -s ' ' | tr '\n' ';')
	c1=$(cpu)
	echo "memory [$LABEL]: burst $round ($N x 10 MB, statuses:$sts): RSS $(mib "$(status VmRSS)") MiB," \
		"peak $(mib "$(status VmHWM)") MiB, CPU $(awk -v c=$((c1 - c0)) -v t="$tck" -v n=$N \
			'BEGIN { printf "%.1f", c * 1000 / t / n }') ms a reply"
	round=$((round + 1))
done
sleep 10 # the idle time measured (no condition to wait for)
echo "memory [$LABEL]: 10 s idle: RSS $(mib "$(status VmRSS)") MiB"
