# shellcheck shell=bash
# lib-faults.sh - fault injection into every write command of `ballot`
# (sourced by tests/faults/*.t after tests/e2e/lib.sh).
#
# BALLOT_BIN is the fault binary (build-faults/ballot: ASan + UBSan, and the
# hook of tests/faults/hook.c). For each write command and each fault kind:
#   1. a clean run on a copy of the command's starting state counts the
#      operations of that kind (BALLOT_FAULT_LOG) and gives the events it adds;
#   2. for N = 1 .. count (every N when BALLOT_FAULTS=all, else a sample: the
#      first FAULT_FIRST and an even spread up to FAULT_SAMPLE in all, or
#      FAULT_SAMPLE_IO for read, write and sync, the last one included), the
#      command runs on a fresh copy with the Nth operation
#      failing, and then:
#      - it exits 0, 1 or 2 (no crash, no sanitizer report: those exit 86);
#        0 only when the fault was absorbed (then it must have fully happened);
#      - when it fails, stderr is exactly one line, "ballot: ...";
#      - the database is not marked damaged (<db>-damaged);
#      - a command that reports damage (FAULT_REPORTERS: check, audit verify)
#        tells this run's fault from damage: it fails with exit 1 and the
#        cause on stderr ("out of memory", "I/O error"), never exit 2 and
#        never "damaged" on stdout; and
#      - `ballot check` passes on the database afterwards (for init: or there is
#        no database, and then no file of it and no signing key; for migrate:
#        or the database is as it was, not migrated);
#      - the events there before are all still there, unchanged, and either
#        none was added (and then no row of any table changed) or exactly the
#        clean run's were (and, for a command whose result is the same on every
#        run, the database equals the clean run's).
# One TAP test per command and kind; its failing Ns are listed (diag). A case
# listed in tests/faults/known.txt does not fail the test but is printed at the
# end with the known failures met, never skipped silently. Figures (injections per command, kind, and in all) go to
# stderr, so make check prints them. BALLOT_FAULT_COMMANDS="NAME..." runs only
# the commands named (the first column of write_commands).

export ASAN_OPTIONS=detect_leaks=1:exitcode=86:abort_on_error=0:handle_abort=1:print_summary=1
export UBSAN_OPTIONS=exitcode=86:print_stacktrace=1:halt_on_error=1
unset BALLOT_FAULT_ALLOC BALLOT_FAULT_SQLITE_ALLOC BALLOT_FAULT_IO BALLOT_FAULT_LOG

FAULT_SAMPLE=${FAULT_SAMPLE:-8}       # Ns per command and allocation kind
FAULT_SAMPLE_IO=${FAULT_SAMPLE_IO:-6} # Ns per command and I/O kind
FAULT_FIRST=${FAULT_FIRST:-3}
FAULT_REPORTERS=" check audit-verify " # the commands that report damage
FAULTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FAULT_T0=$(date +%s)
FAULT_TOTAL=0
FAULT_SUMMARY=()

if ! grep -q __wrap_malloc <(nm "$BALLOT_BIN" 2>/dev/null); then
	echo "Bail out! $BALLOT_BIN is not the fault binary (make faults; BALLOT_BIN=build-faults/ballot)"
	exit 1
fi

# --- the starting states ---------------------------------------------------

F=$T/states
mkdir -p "$F"

_mk() { # _mk CMD... : one set-up step, which must succeed
	if ! "$BALLOT_BIN" "$@" >"$T/.mk.out" 2>"$T/.mk.err"; then
		echo "Bail out! set-up step failed: ballot $* : $(cat "$T/.mk.err")"
		exit 1
	fi
}

# "empty": nothing (for init). "open": Circular 205 open, with replies, a
# reply code, a staff account, a client certificate, a closed day, a backup
# and the input files. "closed": "open" after the deadline, closed.
make_states() {
	local d
	mkdir -p "$F/empty"
	d=$F/open
	mkdir -p "$d"
	(
		cd "$d" || exit 1
		export BALLOT_DB=$d/ballot.db
		printf 'comments\n' >c.txt
		printf 'correct horse battery staple\n' >pw.txt
		printf 'another horse battery staple\n' >pw2.txt
		printf 'alpha3\talpha2\tname\tmember_since\nCHE\tCH\tSwiss Confederation\t\nCOK\tCK\tCook Islands\t2025-06-01\n' >members.tsv
		printf '2026-03-20\tEid al-Fitr\n2026-05-27\tEid al-Adha\n' >eid.tsv
		printf 'member\tdraft\tchoice\treceived\tchannel\tattachment\nFRA\tQ.5051\tauthorize-with-comments\t2020-02-01T10:00Z\temail\tc.txt\nBEL\tQ.5051\tnot-authorize\t2020-02-01T11:00Z\tpost\t\n' >r.tsv
		export BALLOT_NOW=2019-12-02T12:00:00Z
		_mk init
		_mk consultation create --circular 205 --group 11 --date 2019-12-02 --meeting-start 2020-03-04 --meeting-end 2020-03-13
		_mk draft add --summary "A summary of the draft." --circular 205 --rec Q.5051 --title Framework --text c.txt
		export BALLOT_NOW=2020-02-10T12:00:00Z
		_mk reply --circular 205 --member CHE --authorize --comments c.txt --signatory "A. Person"
		_mk reply --circular 205 --member GBR --not-authorize
		for m in ITA ESP NLD SWE; do _mk reply --circular 205 --member $m --authorize; done
		_mk codes issue --circular 205 --member DEU
		_mk users add --name tsb.anna --role secretariat --password-file pw.txt
		_mk tls dev-certs --out tls
		_mk certs issue --member CHE --ca tls --out certs
		_mk calendar add 2025-12-23 --name "A closed day"
		_mk backup bk.db
	) || exit 1
	# "schema2": a database of schema 2 (tests/e2e/data), whose first change
	# migrates it: the default calendar, the members and the hash baselines,
	# recorded as events of their own
	mkdir -p "$F/schema2"
	sqlite3 "$F/schema2/ballot.db" <"$FAULTS_DIR/../e2e/data/schema2-users-75e41aa.sql" || exit 1
	printf '2025-12-25\tChristmas Day\n' >"$F/schema2/xmas.tsv"
	cp -a "$d" "$F/closed"
	(
		cd "$F/closed" || exit 1
		BALLOT_DB=$F/closed/ballot.db BALLOT_NOW=2020-02-25T00:00:00Z _mk close --circular 205
	) || exit 1
	FP=$(sqlite3 "$F/open/ballot.db" "SELECT fingerprint FROM client_certs WHERE member = 'CHE'")
}

# The write commands (check and audit verify write too: a damage mark when
# they find damage): NAME|STATE|BALLOT_NOW|ARGUMENTS (split on spaces, with
# '~' standing for a space inside one argument).
write_commands() {
	cat <<EOF
init|empty|2019-12-02T12:00:00Z|init
migrate|schema2|2021-01-04T12:00:00Z|calendar import xmas.tsv
members-import|open|2020-02-10T12:00:00Z|members import members.tsv
consultation-create|open|2020-02-10T12:00:00Z|consultation create --circular 206 --group 11 --date 2020-02-10 --meeting-start 2020-06-04 --meeting-end 2020-06-13
set-deadline|open|2020-02-10T12:00:00Z|consultation set-deadline --circular 205 2020-02-20T23:59:00Z --reason Moved~earlier
calendar-add|open|2020-02-10T12:00:00Z|calendar add 2025-12-24 --name Christmas~Eve
calendar-remove|open|2020-02-10T12:00:00Z|calendar remove 2025-12-23
calendar-import|open|2020-02-10T12:00:00Z|calendar import eid.tsv
draft-add|open|2020-02-10T12:00:00Z|draft add --summary A~summary. --circular 205 --rec Q.5052 --title Second --text c.txt
reply|open|2020-02-10T12:00:00Z|reply --circular 205 --member DEU --authorize --comments c.txt --receipt deu.json
reply-import|open|2020-02-10T12:00:00Z|reply import --circular 205 r.tsv --receipts rc
withdraw|open|2020-02-10T12:00:00Z|withdraw --circular 205 --member CHE
config-set|open|2020-02-10T12:00:00Z|config set replies_per_hour 40
codes-issue|open|2020-02-10T12:00:00Z|codes issue --circular 205 --member FRA
codes-revoke|open|2020-02-10T12:00:00Z|codes revoke --circular 205 --member DEU
users-add|open|2020-02-10T12:00:00Z|users add --name tsb.bob --role chair --group 11 --password-file pw.txt
users-disable|open|2020-02-10T12:00:00Z|users disable --name tsb.anna
users-password|open|2020-02-10T12:00:00Z|users password --name tsb.anna --password-file pw2.txt
certs-issue|open|2020-02-10T12:00:00Z|certs issue --member ITA --ca tls --out certs2
certs-revoke|open|2020-02-10T12:00:00Z|certs revoke --fingerprint $FP
backup|open|2020-02-10T12:00:00Z|backup bk2.db
restore|open|2020-02-10T12:00:00Z|restore bk.db
close|open|2020-02-25T00:00:00Z|close --circular 205
decide|closed|2020-03-05T10:00:00Z|decide --circular 205 --draft Q.5051 --more-time CHE GBR --date 2020-03-04
check|open|2020-02-10T12:00:00Z|check
audit-verify|open|2020-02-10T12:00:00Z|audit verify
EOF
}

# --- one injection -----------------------------------------------------------

_events() { # the event chain: one "seq hash" line per event
	[ -e "$1" ] && sqlite3 "$1" 'SELECT seq, hash FROM events ORDER BY seq' 2>&1
}

_count() { [ -z "$1" ] && echo 0 || printf '%s\n' "$1" | grep -c ''; }

_fresh() { # _fresh STATE : $W is a fresh copy of STATE
	W=$T/work
	rm -rf "$W"
	cp -a "$F/$1" "$W"
}

_run() { # _run NOW ARGS... (in $W; fault variables set by the caller)
	(cd "$W" && BALLOT_DB=$W/ballot.db BALLOT_NOW=$1 "$BALLOT_BIN" "${@:2}" >"$T/.f.out" 2>"$T/.f.err")
}

# known KEY : the reason when KEY ("command kind N") is a known failure
known() {
	local line
	[ -f "$FAULTS_DIR/known.txt" ] || return 1
	while IFS= read -r line; do
		case $line in '#'* | '') continue ;; esac
		# "COMMAND KIND N", or "COMMAND KIND *" for every N
		if [ "${line%%|*}" = "$1" ] || [ "${line%%|*}" = "${1% *} *" ]; then
			printf '%s' "${line#*|}"
			return 0
		fi
	done <"$FAULTS_DIR/known.txt"
	return 1
}

# _cause_wrong KIND RC : what is wrong with how a command that reports damage
# failed on an injected KIND fault ("" when nothing): it must exit 1 with the
# cause on stderr, and say nothing of damage.
_cause_wrong() {
	local cause='out of memory'
	case $1 in read | write | sync) cause='I/O error' ;; esac
	if [ "$2" != 1 ]; then
		echo "exit $2 on an injected $1 fault (it is not bad input): $(head -c 200 "$T/.f.err" | tr '\n' '|')"
	elif grep -q 'damaged' "$T/.f.out"; then
		echo "reports damage on an injected $1 fault: $(grep -m1 'damaged' "$T/.f.out")"
	elif ! grep -q "^ballot: .*$cause" "$T/.f.err"; then
		echo "its error does not name the cause ($cause): $(head -c 200 "$T/.f.err" | tr '\n' '|')"
	fi
}

# fault_cell NAME STATE NOW KIND ARGS... : every (or the sampled) N of KIND
# (alloc, sqlite-alloc, read, write, sync) for one command; one TAP test.
fault_cell() {
	local name=$1 state=$2 now=$3 kind=$4
	shift 4
	local args=("$@") count base_ev base_sum ref_ev ref_sum ref_sum2 ref_n det n rc errl
	local bad=() done_n=0 happened=0 absorbed=0 rc1=0 rc2=0 known_n=0 t0 log=$T/.f.log
	t0=$(date +%s.%N)

	# the clean runs: counts, the events added, the result
	_fresh "$state"
	base_ev=$(_events "$W/ballot.db")
	base_sum=$(db_sum "$W/ballot.db")
	rm -f "$log"
	BALLOT_FAULT_LOG=$log _run "$now" "${args[@]}"
	rc=$?
	if [ "$rc" != 0 ]; then
		fail "$name, $kind: the clean run succeeds"
		diag "exit $rc: $(cat "$T/.f.err")"
		return
	fi
	case $kind in
	alloc) count=$(awk '{print $2}' "$log") ;;
	sqlite-alloc) count=$(awk '{print $4}' "$log") ;;
	read) count=$(awk '{print $6}' "$log") ;;
	write) count=$(awk '{print $8}' "$log") ;;
	sync) count=$(awk '{print $10}' "$log") ;;
	esac
	grep '^warning: ' "$T/.f.err" >"$T/.f.warn"
	ref_ev=$(_events "$W/ballot.db")
	ref_sum=$(db_sum "$W/ballot.db")
	_fresh "$state"
	_run "$now" "${args[@]}"
	ref_sum2=$(db_sum "$W/ballot.db")
	det=$([ "$ref_sum" = "$ref_sum2" ] && echo 1 || echo 0)

	local ns sample=$FAULT_SAMPLE
	case $kind in read | write | sync) sample=$FAULT_SAMPLE_IO ;; esac
	if [ -n "${FAULT_NS:-}" ]; then
		ns=$FAULT_NS # FAULT_NS="3664 3670": exactly those (to replay a finding)
	elif [ "${BALLOT_FAULTS:-sample}" = all ] || [ "$count" -le "$sample" ]; then
		ns=$(seq 1 "$count")
	else
		ns=$({
			seq 1 "$FAULT_FIRST"
			awk -v c="$count" -v f="$FAULT_FIRST" -v m="$sample" \
				'BEGIN { k = m - f; for (i = 1; i <= k; i++) printf "%d\n", f + int((c - f) * i / k) }'
		} | sort -nu)
	fi

	for n in $ns; do
		_fresh "$state"
		rm -f "$log"
		case $kind in
		alloc) BALLOT_FAULT_LOG=$log BALLOT_FAULT_ALLOC=$n _run "$now" "${args[@]}" ;;
		sqlite-alloc) BALLOT_FAULT_LOG=$log BALLOT_FAULT_SQLITE_ALLOC=$n _run "$now" "${args[@]}" ;;
		*) BALLOT_FAULT_LOG=$log BALLOT_FAULT_IO=$kind:$n _run "$now" "${args[@]}" ;;
		esac
		rc=$?
		done_n=$((done_n + 1))
		local why=""
		# the clean run's warnings may come first (a command that recorded,
		# then failed on its receipt, has said what it recorded)
		errl=$(grep -v -x -F -f "$T/.f.warn" "$T/.f.err" | grep -c '')
		case $rc in
		0) absorbed=$((absorbed + 1)) ;;
		1 | 2)
			[ "$rc" = 1 ] && rc1=$((rc1 + 1)) || rc2=$((rc2 + 1))
			if [ "$errl" != 1 ] || [ "$(grep -c '^ballot: ' "$T/.f.err")" != 1 ]; then
				why="stderr has $errl lines: $(head -c 300 "$T/.f.err" | tr '\n' '|')"
			fi
			;;
		*) why="exit $rc: $(grep -m3 -E 'ERROR|SUMMARY|runtime error|^ballot' "$T/.f.err" | tr '\n' '|' | head -c 400)" ;;
		esac
		if [ -z "$why" ] && grep -qE 'Sanitizer|runtime error|LeakSanitizer' "$T/.f.err"; then
			why="sanitizer report: $(grep -m2 -E 'ERROR|SUMMARY' "$T/.f.err" | tr '\n' '|')"
		fi
		if [ -z "$why" ] && ! grep -q 'injected 1' "$log" 2>/dev/null; then
			why="the fault was not injected (the path changed: $(cat "$log" 2>/dev/null))"
		fi
		if [ -z "$why" ] && [ "$rc" != 0 ] && [[ $FAULT_REPORTERS == *" $name "* ]]; then
			why=$(_cause_wrong "$kind" "$rc")
		fi
		if [ -z "$why" ] && [ -e "$W/ballot.db-damaged" ]; then
			# (before the check below, which would clear it)
			why="marked the database damaged: $(head -c 200 "$W/ballot.db-damaged" | tr '\n' '|')"
		fi
		if [ -z "$why" ]; then
			if [ "$name" = init ] && [ ! -s "$W/ballot.db" ]; then
				# a failed init leaves nothing it created: no database
				# file (not even an empty one), and no signing key
				if [ "$rc" = 0 ]; then
					why="exit 0 but no database"
				elif [ -e "$W/ballot.db" ]; then
					why="a failed init left an empty database file (exit $rc)"
				elif [ -e "$W/ballot.db.key" ]; then
					why="a failed init left the signing key it created (exit $rc)"
				fi
			elif [ "$state" = schema2 ] && [ "$(db_sum "$W/ballot.db")" = "$base_sum" ]; then
				# not migrated, and unchanged (check, read-only, cannot
				# open a database that needs an upgrade)
				[ "$rc" = 0 ] && why="exit 0 but not migrated"
			elif ! (cd "$W" && BALLOT_DB=$W/ballot.db "$BALLOT_BIN" check >"$T/.c.out" 2>&1); then
				why="check fails afterwards: $(tr '\n' '|' <"$T/.c.out" | head -c 300)"
			else
				local ev sum
				ev=$(_events "$W/ballot.db")
				if [ "${ev:0:${#base_ev}}" = "$base_ev" ] && [ "$ref_ev" != "$base_ev" ] &&
					[ "$(_count "$ev")" = "$(_count "$ref_ev")" ]; then
					# it fully happened (the events' hashes differ from the
					# clean run's when a command draws random secrets)
					[ "$rc" != 0 ] && happened=$((happened + 1))
					if [ "$det" = 1 ] && [ "$(db_sum "$W/ballot.db")" != "$ref_sum" ]; then
						why="its events were written, but the database differs from the clean run's (exit $rc)"
					fi
				elif [ "$ev" = "$base_ev" ]; then
					# it did not happen (or it adds no event: then it must
					# leave the database as the clean run does)
					sum=$(db_sum "$W/ballot.db")
					if [ "$ref_ev" = "$base_ev" ]; then
						[ "$sum" != "$base_sum" ] && [ "$sum" != "$ref_sum" ] && why="the database changed (exit $rc)"
					elif [ "$rc" = 0 ]; then
						why="exit 0, but its events are not there"
					elif [ "$sum" != "$base_sum" ]; then
						why="no event added, but the database changed"
					fi
				elif [ "${ev:0:${#base_ev}}" != "$base_ev" ]; then
					why="the events acknowledged before are not all there, unchanged (exit $rc)"
				else
					why="half done: $(_count "$ev") events, before $(_count "$base_ev"), the clean run $(_count "$ref_ev") (exit $rc)"
				fi
			fi
		fi
		if [ -n "$why" ]; then
			local reason
			if reason=$(known "$name $kind $n"); then
				known_n=$((known_n + 1))
				KNOWN_SEEN+=("$name $kind $n: ${why:0:120} (known: ${reason:0:100}...)")
			else
				bad+=("N=$n: $why")
			fi
		fi
	done

	local secs
	secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	FAULT_TOTAL=$((FAULT_TOTAL + done_n))
	FAULT_SUMMARY+=("$(printf '%-20s %-12s %5d of %5d  exit1 %4d exit2 %4d  absorbed %3d  done-but-failed %3d  %5.1fs' \
		"$name" "$kind" "$done_n" "$count" "$rc1" "$rc2" "$absorbed" "$happened" "$secs")")
	if [ ${#bad[@]} = 0 ]; then
		pass "$name, $kind: $done_n of $count injections, each a one-line error or absorbed, check clean, prefix intact"
	else
		fail "$name, $kind: ${#bad[@]} of $done_n injections went wrong"
		diag "${bad[@]:0:10}"
	fi
	[ "$known_n" -gt 0 ] && diag "$name, $kind: $known_n known failures (tests/faults/known.txt)"
	return 0
}

# fault_suite KIND... : every write command, each KIND
fault_suite() {
	local line name state now cmd kind a
	KNOWN_SEEN=()
	make_states
	while IFS='|' read -r name state now cmd; do
		# BALLOT_FAULT_COMMANDS="reply withdraw": only those (by name)
		if [ -n "${BALLOT_FAULT_COMMANDS:-}" ] && [[ " $BALLOT_FAULT_COMMANDS " != *" $name "* ]]; then
			continue
		fi
		local args=()
		for a in $cmd; do args+=("${a//\~/ }"); done
		for kind in "$@"; do
			fault_cell "$name" "$state" "$now" "$kind" "${args[@]}"
		done
	done < <(write_commands)
	{
		echo "# fault injection ($*, ${BALLOT_FAULTS:-sample}): injections per command (ran of possible)"
		printf '#   %s\n' "${FAULT_SUMMARY[@]}"
		echo "#   total: $FAULT_TOTAL injections in $(($(date +%s) - FAULT_T0)) s"
		echo "# known failures (tests/faults/known.txt): $(grep -cv '^#' "$FAULTS_DIR/known.txt") listed, ${#KNOWN_SEEN[@]} met"
		[ ${#KNOWN_SEEN[@]} -gt 0 ] && printf '#   %s\n' "${KNOWN_SEEN[@]}"
	} | tee "$T/.summary" >&2
}
