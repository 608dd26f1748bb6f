#!/bin/bash
# User story: the record cannot be rewritten silently - `ballot audit verify`
# checks the hash chain of events and that every reply row and attachment
# still matches the event that recorded it.
. "$(dirname "$0")/lib.sh"

expect_exit 0 ballot init
expect_exit 0 ballot audit verify
setup_205
printf 'Comments of Germany.\n' >"$T/deu.txt"
printf 'Reasons of France.\n' >"$T/fra.txt"

ack() { # ack OUT: "seq hash" of an acknowledgement line
	printf '%s\n' "$1" | sed -n 's/.*(event \([0-9][0-9]*\) \([0-9a-f]\{64\}\)).*/\1 \2/p' | head -n 1
}
expect_exit 0 ballot reply --circular 205 --member CHE --authorize --received 2020-02-10T10:00:00Z
read -r S_CHE _ <<<"$(ack "$OUT")"
R_CHE=$(printf '%s' "$OUT" | sed -n 's/^recorded reply \([0-9]*\):.*/\1/p')
expect_exit 0 ballot reply --circular 205 --member DEU --authorize --comments "$T/deu.txt" --received 2020-02-10T10:01:00Z
read -r S_DEU H_DEU <<<"$(ack "$OUT")"
R_DEU=$(printf '%s' "$OUT" | sed -n 's/^recorded reply \([0-9]*\):.*/\1/p')
expect_exit 0 ballot reply --circular 205 --member FRA --not-authorize --reasons "$T/fra.txt" --received 2020-02-10T10:02:00Z
read -r S_FRA _ <<<"$(ack "$OUT")"
expect_exit 0 ballot reply --circular 205 --member ITA --authorize --received 2020-02-10T10:03:00Z
expect_exit 0 ballot reply --circular 205 --member NLD --authorize --received 2020-02-10T10:04:00Z
expect_exit 0 ballot withdraw --circular 205 --member ITA --received 2020-02-10T11:00:00Z
at 2020-02-25T00:00:00Z
expect_exit 0 ballot close --circular 205
at 2020-03-10T00:00:00Z
expect_exit 0 ballot decide --circular 205 --draft Q.5051 --approved --reservation "CHE:a reservation"
ok "acknowledgements carry event numbers and hashes" test -n "${S_CHE:-}" -a -n "${S_DEU:-}" -a -n "${S_FRA:-}" -a -n "${R_CHE:-}" -a -n "${R_DEU:-}"
S_CHE=${S_CHE:-0} S_DEU=${S_DEU:-0} S_FRA=${S_FRA:-0} R_CHE=${R_CHE:-0} R_DEU=${R_DEU:-0}
is "$(sqlite3 "$BALLOT_DB" "SELECT hash FROM events WHERE seq = $S_DEU")" "${H_DEU:-}" \
	"the acknowledged hash is the stored hash of that event"

expect_exit 0 ballot audit verify
sum=$(db_sum)
is "$(db_sum)" "$sum" "audit verify changes nothing"

# The chain, recomputed independently (audit.h): hash = SHA-256(prev hash hex
# "\n" canonical JSON), the first previous hash 64 zeros.
chain_ok() {
	sqlite3 -separator ' ' "$1" 'SELECT seq, prev_hash, hash, hex(body) FROM events ORDER BY seq' |
		perl -MDigest::SHA=sha256_hex -ne '
			BEGIN { $prev = "0" x 64; $n = 0 }
			chomp; my ($seq, $ph, $h, $hex) = split / /;
			$hex = "" unless defined $hex;
			die "event $seq: prev_hash $ph, expected $prev\n" unless $ph eq $prev;
			my $want = sha256_hex($ph . "\n" . pack("H*", $hex));
			die "event $seq: hash $h, expected $want\n" unless $h eq $want;
			$prev = $h; $n++;
			END { die "no events\n" unless $n }'
}
ok "the stored chain follows the documented hash rule" chain_ok "$BALLOT_DB"
ok "events are numbered 1, 2, 3, ... without gaps" test \
	"$(sqlite3 "$BALLOT_DB" 'SELECT count(*) = max(seq) AND min(seq) = 1 FROM events')" = 1

# --- tampering, each on a copy of the database ---
copy() { # copy NAME: a consistent copy of the database
	rm -f "$T/$1.db"
	sqlite3 "$BALLOT_DB" ".backup '$T/$1.db'"
	printf '%s' "$T/$1.db"
}
tamper() { # tamper DB SQL: what an attacker with the sqlite3 CLI can do (triggers dropped first)
	local drops
	drops=$(sqlite3 "$1" "SELECT group_concat('DROP TRIGGER ' || quote(name) || ';', ' ') FROM sqlite_master WHERE type = 'trigger'")
	ok "tampered with $(basename "$1" .db)" sqlite3 "$1" "PRAGMA foreign_keys = OFF; ${drops:-} $2"
}
broken() { # broken DB SEQ DESC: audit verify fails (not a crash) naming event SEQ
	local all
	run ballot --db "$1" audit verify
	all="$OUT
$ERR"
	ok "$3: audit verify fails (exit $RC)" test "$RC" -ne 0 -a "$RC" -lt 128
	if [ -n "$2" ]; then
		like "$all" "event[^0-9]{0,8}$2\\b" "$3: ... and names event $2"
	fi
}

db=$(copy reply-choice)
tamper "$db" "UPDATE replies SET choice = 'not-authorize' WHERE id = $R_CHE"
broken "$db" "$S_CHE" "a reply's choice changed"

db=$(copy reply-received)
tamper "$db" "UPDATE replies SET received = received - 86400 WHERE id = $R_CHE"
broken "$db" "$S_CHE" "a reply's received time changed"

db=$(copy reply-member)
tamper "$db" "UPDATE replies SET member = 'AUT' WHERE id = $R_DEU"
broken "$db" "$S_DEU" "a reply's member changed"

db=$(copy event-body)
tamper "$db" "UPDATE events SET body = body || ' ' WHERE seq = $S_DEU"
broken "$db" "$S_DEU" "an event's body changed"

db=$(copy event-hash)
tamper "$db" "UPDATE events SET hash = '$(printf '%064d' 0)' WHERE seq = $S_CHE"
broken "$db" "$S_CHE" "an event's hash changed"

db=$(copy attachment)
tamper "$db" "UPDATE attachments SET content = CAST(X'00' || content AS BLOB) WHERE reply_id = $R_DEU"
broken "$db" "$S_DEU" "an attachment's bytes changed"

db=$(copy attachment-and-hash)
tamper "$db" "UPDATE attachments SET content = CAST('forged' AS BLOB), size = 6,
	sha256 = '$(printf 'forged' | sha256sum | cut -c1-64)' WHERE reply_id = $R_DEU"
broken "$db" "$S_DEU" "an attachment replaced along with its stored hash and size"

# rewriting an event and recomputing its hash breaks the link to the next one
db=$(copy rewritten)
row=$(sqlite3 -separator ' ' "$db" "SELECT prev_hash, hex(body) FROM events WHERE seq = $S_CHE")
newbody=$(printf '%s' "${row#* }" | perl -ne 'chomp; my $b = pack("H*", $_); $b =~ s/authorize/not-authorize/; print $b')
newhash=$(perl -MDigest::SHA=sha256_hex -e 'print sha256_hex($ARGV[0] . "\n" . $ARGV[1])' "${row%% *}" "$newbody")
tamper "$db" "UPDATE events SET body = '${newbody//\'/\'\'}', hash = '$newhash' WHERE seq = $S_CHE;
	UPDATE replies SET choice = 'not-authorize' WHERE id = $R_CHE"
broken "$db" "" "an event rewritten with a recomputed hash"

db=$(copy deleted-event)
tamper "$db" "DELETE FROM events WHERE seq = $S_FRA"
broken "$db" "" "an event deleted"

db=$(copy deleted-reply)
tamper "$db" "DELETE FROM attachments WHERE reply_id = $R_DEU; DELETE FROM replies WHERE id = $R_DEU"
broken "$db" "" "a reply deleted"

db=$(copy forged-reply)
tamper "$db" "INSERT INTO replies(draft_id, member, choice, received, channel, recorded_at, recorded_by, event_seq)
	SELECT draft_id, 'AUT', 'authorize', received, channel, recorded_at, recorded_by, 999999 FROM replies WHERE id = $R_CHE"
broken "$db" "" "a reply inserted without an event"

# the untouched database still verifies
expect_exit 0 ballot audit verify

done_testing
