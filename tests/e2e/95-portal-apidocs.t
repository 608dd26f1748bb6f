#!/usr/bin/env bash
# 95-portal-apidocs.t - the API's kept documents stay true: GET
# /api/v1/status and .../tally are made once per change for the whole server
# (on one connection the request threads share, bt_status_doc and
# bt_tally_doc) and given again while nothing is committed. With the clock
# fixed (the same second all along, so only a commit can make them again),
# eight clients at once on their own connections (the server's four threads)
# get the very bytes of `ballot status|tally --json` before and after a reply
# recorded by another process (`ballot reply`), after one recorded through the
# API (a request thread's connection), and `?as_of=` gets its own document.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl cmp
trap 'serve_stop; _cleanup' EXIT

expect_exit 0 ballot init
setup_205
at 2020-02-10T12:00:00Z
expect_exit 0 ballot reply --circular 205 --member AUS --draft Q.5051 --authorize --received 2020-01-15T09:00:00Z
printf 'a pass phrase\n' >"$T/pw"
expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
TOKEN=$(ballot tokens create --user tsb --scope write 2>/dev/null)
dev_certs
serve_start "$T/serve.log" --threads 4 || { echo "Bail out! the server did not start"; exit 1; }

# same PATH CLI-ARGS... DESC: eight clients at once, each on its own
# connection, get PATH; each answer must be the bytes `ballot CLI-ARGS`
# prints now
same() {
	local path=$1 desc=${*: -1} i n=0 pids=()
	set -- "${@:2:$#-2}"
	ballot "$@" >"$T/want.json"
	for i in 1 2 3 4 5 6 7 8; do
		curl -sS --max-time 30 --cacert "$CA_PEM" --resolve "localhost:$PORT:127.0.0.1" \
			-H "Authorization: Bearer $TOKEN" -o "$T/got.$i" "$URL$path" &
		pids+=($!)
	done
	wait "${pids[@]}"
	for i in 1 2 3 4 5 6 7 8; do cmp -s "$T/got.$i" "$T/want.json" && n=$((n + 1)); done
	is "$n" 8 "$desc: all eight answers are the bytes of ballot $*"
	cp "$T/want.json" "$T/last.json"
}

same /api/v1/consultations/205/tally tally --circular 205 --json "tally, one reply"
cp "$T/last.json" "$T/tally1.json"
same /api/v1/status status --json "status"
cp "$T/last.json" "$T/status1.json"
same /api/v1/consultations/205/tally tally --circular 205 --json "tally again (kept)"

# another process records a reply: both documents are made again
expect_exit 0 ballot reply --circular 205 --member BRA --draft Q.5051 --not-authorize
same /api/v1/consultations/205/tally tally --circular 205 --json "tally after ballot reply (another process)"
isnt "$(cat "$T/last.json")" "$(cat "$T/tally1.json")" "  ... which changed it"
cp "$T/last.json" "$T/tally2.json"
expect_exit 0 ballot draft add --summary "S." --circular 205 --rec Q.5052 --title "Second draft"
same /api/v1/status status --json "status after ballot draft add"
isnt "$(cat "$T/last.json")" "$(cat "$T/status1.json")" "  ... which changed it"

# a reply through the API: recorded on a request thread's connection
printf '{"member":"CHN","draft":"Q.5051","choice":"authorize"}' >"$T/req.json"
code=$(curl -sS --max-time 30 --cacert "$CA_PEM" --resolve "localhost:$PORT:127.0.0.1" -o "$T/post.json" \
	-w '%{http_code}' -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
	-H 'Idempotency-Key: apidocs-1' --data-binary @"$T/req.json" "$URL/api/v1/consultations/205/replies")
is "$code" 201 "a reply through the API: 201"
same /api/v1/consultations/205/tally tally --circular 205 --json "tally after the API's reply"
isnt "$(cat "$T/last.json")" "$(cat "$T/tally2.json")" "  ... which changed it"

# as of an earlier time: its own document, and the present one still right
same "/api/v1/consultations/205/tally?as_of=2020-01-20T00:00:00Z" tally --circular 205 \
	--as-of 2020-01-20T00:00:00Z --json "tally as of 2020-01-20"
same /api/v1/consultations/205/tally tally --circular 205 --json "the present tally beside it"
serve_stop
is "$SRV_RC" 0 "the server stops cleanly"

done_testing
