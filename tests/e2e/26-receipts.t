#!/bin/bash
# User story: an administration that replied proves what it sent and when
# (a signed receipt); any Member State checks a published result without the
# secretariat's database (a signed bundle, recomputed); any change to a
# reply, an attachment, an event or a signature is found and named.
. "$(dirname "$0")/lib.sh"

# --- the key ---
expect_exit 0 ballot init
like "$OUT" "^signing key $BALLOT_DB.key created \\(ed25519:[0-9a-f]{64};" "init creates the signing key beside the database"
is "$(stat -c %a "$BALLOT_DB.key")" 600 "the key file is readable by its owner only"
is "$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM settings WHERE value LIKE '%PRIVATE%'")" 0 "the key is not in the database"
ok "the key file is PKCS#8 PEM" grep -q '^-----BEGIN PRIVATE KEY-----$' "$BALLOT_DB.key"
expect_exit 0 ballot keys show
like "$OUT" '^ed25519:[0-9a-f]{64}$' "keys show prints the public key"
like "$OUT" '^fingerprint: ([0-9a-f]{4} ){15}[0-9a-f]{4}$' "keys show prints the fingerprint in groups of four"
PUB=$(printf '%s\n' "$OUT" | head -1)
printf '%s\n' "$OUT" >pub.txt
raw=$(perl -MDigest::SHA=sha256_hex -e 'print sha256_hex(pack "H*", $ARGV[0])' "${PUB#ed25519:}")
like "$(sed -n 's/^fingerprint: //p' pub.txt | tr -d ' ')" "^$raw\$" "the fingerprint is the SHA-256 of the raw public key"
# an independent reader of the key file (GnuTLS's certtool): the same public key
is "$(certtool --pubkey-info --load-privkey "$BALLOT_DB.key" --outder 2>/dev/null | tail -c 32 | perl -e 'local $/; print unpack "H*", <STDIN>')" \
	"${PUB#ed25519:}" "certtool reads the key file (PKCS#8) and finds the same public key"
sum=$(db_sum)
refused_like "already exists" ballot keys create
is "$(ballot keys show | head -1)" "$PUB" "keys create never replaces a key"
expect_exit 0 ballot init
like "$OUT" "^signing key .* kept \\($PUB\\)" "init again keeps the key"
expect_exit 0 ballot keys create --key other.key
like "$OUT" '^created signing key other.key ' "keys create --key FILE"
OTHER=$(ballot keys show --key other.key | head -1)
isnt "$OTHER" "$PUB" "another key is another key"
chmod 644 other.key
refused_like '--key: .*other.key.* can be read by others \(mode 0644\)' ballot keys show --key other.key
chmod 600 other.key
refused_like '--key: no signing key at .*missing.key.*ballot keys create' ballot keys show --key missing.key
printf 'not a key\n' >junk.key && chmod 600 junk.key
refused_like '--key: .*junk.key.* is not an Ed25519 key' ballot keys show --key junk.key
ln -s other.key link.key
refused_like '--key: .*link.key.* is a symbolic link' ballot keys show --key link.key
run ballot --db fresh.db init --key nodir/k.key
is "$RC" 2 "init with a --key it cannot create: exit 2"
ok "... and no database left behind" test ! -e fresh.db
is "$(db_sum)" "$sum" "keys commands change nothing in the database"

# --- receipts from the command line ---
setup_205
at 2020-02-10T10:00:00Z
printf 'Comments of Switzerland.\n' >c.txt
expect_exit 0 ballot reply --circular 205 --member CHE --authorize --comments c.txt --received 2020-02-10T09:00:00Z --print-receipt
like "$OUT" '^recorded reply 1: CHE ' "the acknowledgement comes first"
like "$OUT" '^receipt: \{"format":"ballot-receipt/1","kind":"reply","circular":"205","member":"CHE","draft":"Q.5051","choice":"authorize-with-comments",' \
	"then the receipt on a line of its own"
printf '%s\n' "$OUT" | sed -n 's/^receipt: //p' >che.json
S_CHE=$(jget .event "$(cat che.json)")
is "$(jget '.attachments[0].sha256' "$(cat che.json)")" "$(sha256sum c.txt | cut -c1-64)" "the receipt carries the attachment's SHA-256"
is "$(jget .hash "$(cat che.json)")" "$(sqlite3 "$BALLOT_DB" "SELECT hash FROM events WHERE seq = $S_CHE")" "the receipt carries the event's chain hash"
is "$(jget .received "$(cat che.json)")" 2020-02-10T09:00:00Z "the receipt carries the received time"
expect_exit 0 ballot receipt verify che.json --key "$PUB"
like "$OUT" "^receipt verified: signed by $PUB\$" "receipt verify: the key as keys show prints it"
like "$OUT" '^reply authorize-with-comments of CHE on Q.5051 in circular 205, received 2020-02-10T09:00:00Z$' "... says what was received"
like "$OUT" "^recorded 2020-02-10T10:00:00Z as event $S_CHE, chain hash [0-9a-f]{64}\$" "... when it was recorded and where in the chain"
expect_exit 0 ballot receipt verify che.json --key pub.txt
like "$OUT" "^receipt verified: signed by $PUB\$" "receipt verify: the key as a file holding keys show's output"
printf 'receipt: %s\n' "$(cat che.json)" >che-line.txt
expect_exit 0 ballot receipt verify che-line.txt --key pub.txt
like "$OUT" "^recorded 2020-02-10T10:00:00Z as event $S_CHE, chain hash [0-9a-f]{64}\$" "receipt verify takes the line as reply printed it"
expect_exit 0 ballot receipt show --event "$S_CHE"
is "$OUT" "$(cat che.json)" "receipt show issues the same bytes again"

expect_exit 0 ballot reply --circular 205 --member DEU --not-authorize --reasons c.txt --received 2020-02-10T09:05:00Z --receipt deu.json
like "$OUT" '^receipt saved to deu.json$' "--receipt FILE saves it"
expect_exit 0 ballot receipt verify deu.json --key "$PUB"
expect_exit 0 ballot reply --circular 205 --member FRA --authorize --received 2020-02-10T09:10:00Z --receipt fra.json
expect_exit 0 ballot withdraw --circular 205 --member FRA --received 2020-02-10T09:20:00Z --receipt fraw.json
expect_exit 0 ballot receipt verify fraw.json --key "$PUB"
like "$OUT" '^withdrawal withdraw of FRA on Q.5051 in circular 205' "a withdrawal's receipt"
expect_exit 0 ballot reply --circular 205 --member ITA --authorize --received 2020-02-10T09:30:00Z --receipt ita.json
expect_exit 0 ballot reply --circular 205 --member GBR --authorize --received 2020-02-10T09:40:00Z

# reply import: a receipt per reply into --receipts DIR
printf 'member\tdraft\tchoice\treceived\tchannel\tattachment\nNLD\tQ.5051\tauthorize\t2020-02-10T08:00:00Z\temail\t\nBEL\tQ.5051\tauthorize-with-comments\t2020-02-10T08:10:00Z\tfax\tc.txt\n' >imp.tsv
expect_exit 0 ballot reply import --circular 205 imp.tsv --receipts rcpt
is "$(printf '%s\n' "$OUT" | grep -c '^receipt saved to rcpt/receipt-[0-9]*\.json$')" 2 "reply import --receipts says where each receipt went"
is "$(ls rcpt | wc -l)" 2 "one receipt per imported reply"
for f in rcpt/*.json; do
	expect_exit 0 ballot receipt verify "$f" --key "$PUB"
done
like "$OUT" '^reply authorize-with-comments of BEL on Q.5051' "an imported reply's receipt names it"
sum=$(db_sum)
printf 'member\tdraft\tchoice\treceived\tchannel\tattachment\nLUX\tQ.5051\tauthorize\t2020-02-10T08:00:00Z\temail\t\n' >imp2.tsv
refused_like '--key: no signing key' ballot reply import --circular 205 imp2.tsv --receipts rcpt2 --key nokey

# refusals: no receipt to write, nothing recorded
sum=$(db_sum)
refused_like '--receipt: .*nodir.* is not a directory' ballot reply --circular 205 --member ESP --authorize --receipt nodir/x.json
refused_like '--receipt: .* exists and is not a regular file' ballot reply --circular 205 --member ESP --authorize --receipt .
refused_like '--key: no signing key at .*nokey' ballot reply --circular 205 --member ESP --authorize --key nokey
refused_like '--key: no signing key' env BALLOT_KEY=$PWD/none.key "$BALLOT_BIN" withdraw --circular 205 --member CHE
refused_like '--event: there is no event 999' ballot receipt show --event 999
refused_like '--event: event 1 is not a reply, withdrawal or decision' ballot receipt show --event 1
refused_like '--event: .*abc' ballot receipt show --event abc
is "$(db_sum)" "$sum" "refused replies and receipts change nothing"

# what receipt verify refuses, each named
bad() { # bad DESC ERE FILE : receipt verify exits 2 naming what is wrong
	run ballot receipt verify "$3" --key "$PUB"
	is "$RC" 2 "$1: exit 2"
	like "$ERR" "$2" "$1: named"
}
sed 's/"member":"CHE"/"member":"CHF"/' che.json >t1.json
bad "the summary's member changed" '^ballot: member: the receipt says "CHF" but its event says "CHE"' t1.json
sed 's/"choice":"authorize-with-comments"/"choice":"not-authorize"/' che.json >t2.json
bad "the summary's choice changed" '^ballot: choice: the receipt says' t2.json
sed 's/\\"choice\\":\\"authorize-with-comments\\"/\\"choice\\":\\"not-authorize\\"/' che.json >t3.json
bad "the event's body changed" '^ballot: hash: ' t3.json
sig=$(jget .signature "$(cat che.json)")
flip=$(printf '%s' "$sig" | sed 's/^\(.\{10\}\)\(.\)/\1X/' | tr X "$( [[ ${sig:10:1} == 0 ]] && echo 1 || echo 0)")
sed "s/$sig/$flip/" che.json >t4.json
bad "a byte of the signature changed" '^ballot: signature: the signature does not match the key' t4.json
sed 's/"received":"2020-02-10T09:00:00Z"/"received":"2020-02-10T08:00:00Z"/' che.json >t5.json
bad "the summary's received time changed" '^ballot: received: ' t5.json
head -c 100 che.json >t6.json
bad "a truncated receipt" '^ballot: receipt: byte 100: ' t6.json
sed 's/^{/{"extra":1,/' che.json >t7.json
bad "an extra field" "^ballot: receipt: unknown field 'extra'" t7.json
run ballot receipt verify che.json --key "$OTHER"
is "$RC" 2 "another key: exit 2"
like "$ERR" "^ballot: key: the receipt names \"$PUB\", not the key given" "another key: named"
refused_like '--key: .* is not a key' ballot receipt verify che.json --key ed25519:abc
refused_like '--key: .* is not a key' ballot receipt verify che.json --key "ed25519:$(printf '%s' "${PUB#ed25519:}" | tr a-f A-F)"
refused_like "--key: no line starting 'ed25519:'" ballot receipt verify che.json --key c.txt
refused_like 'receipt verify: the receipt FILE is required' ballot receipt verify --key "$PUB"

# --- a decision's receipt ---
at 2020-02-25T10:00:00Z
expect_exit 0 ballot close --circular 205
at 2020-03-05T10:00:00Z
expect_exit 0 ballot decide --circular 205 --approved --receipt dec.json
expect_exit 0 ballot receipt verify dec.json --key "$PUB"
like "$OUT" '^decision approved on Q.5051 in circular 205$' "a decision's receipt"

# --- the results bundle ---
CIRC=206 setup_205
at 2020-02-10T11:00:00Z
expect_exit 0 ballot reply --circular 206 --member CHE --authorize
at 2020-03-06T10:00:00Z
sum=$(db_sum)
expect_exit 0 ballot publish --circular 205 --out bundle --attachments
like "$OUT" '^published circular 205 into bundle: 12 events \(8 replies and withdrawals\), 1 attachments, 6 files and a signed manifest$' "publish reports what it wrote"
is "$(db_sum)" "$sum" "publish changes nothing in the database"
is "$(ls bundle | tr '\n' ' ')" "attachments events.jsonl manifest.json replies.csv replies.json rule.json tally.json " "the bundle's files"
expect_exit 0 ballot tally --circular 205 --json
is "$(cat bundle/tally.json)" "$OUT" "tally.json is what ballot tally --json prints at that time"
expect_exit 0 ballot export --circular 205 --format json
is "$(cat bundle/replies.json)" "$OUT" "replies.json is what ballot export prints"
unlike "$(cat bundle/events.jsonl)" 'circular[\\"]*:[\\"]*206' "the other consultation's events are withheld"
expect_exit 0 ballot publish --circular 205 --out bundle2 --attachments
ok "the same database and time give byte-identical bundles" diff -r bundle bundle2
rm -rf bundle2

mv "$BALLOT_DB" away.db # the verifier reads no database
expect_exit 0 ballot verify-bundle bundle --key "$PUB" --receipt che.json --receipt deu.json --receipt fraw.json --receipt dec.json
like "$OUT" "^bundle verified: circular 205 published 2020-03-06T10:00:00Z, signed by $PUB\$" "verify-bundle without the database"
like "$OUT" '^events: 12 of the consultation, each hashed and linked to the one before \(8 replies and withdrawals\); 6 of the log.s 18 belong to others, withheld$' "... counts disclosed and withheld events"
like "$OUT" '^  CHE reply on Q.5051 \(event [0-9]+\): counted$' "... says a receipted reply is counted"
like "$OUT" '^  FRA withdrawal on Q.5051 \(event [0-9]+\): a withdrawal in force$' "... says a receipted withdrawal is in force"
like "$OUT" '^  decision approved on Q.5051 \(event [0-9]+\): recorded$' "... and a decision recorded"
like "$OUT" '^tally: recomputed from the events, equal to tally.json$' "... recomputes the tally"
like "$OUT" '^  Q.5051: 6 replies, 5 support, 1 not authorize; proceed$' "... and prints it"
like "$OUT" '^receipts: 4 of 4 included, unchanged$' "... finds every receipt in it"
like "$OUT" '^attachments: 1 checked' "... checks the attachments"
mv away.db "$BALLOT_DB"

vbad() { # vbad DESC ERE DIR [ARGS] : verify-bundle exits 2 naming what is wrong ($KEY, else $PUB)
	local desc=$1 ere=$2 dir=$3
	shift 3
	run ballot verify-bundle "$dir" --key "${KEY:-$PUB}" "$@"
	is "$RC" 2 "$desc: exit 2"
	like "$ERR" "$ere" "$desc: named"
}
fresh() { rm -rf t && cp -r bundle t; }
# a byte of a reply (its event) in events.jsonl, manifest re-signed or not
fresh; sed -i 's/\\"member\\":\\"DEU\\",\\"draft\\":\\"Q.5051\\",\\"choice\\":\\"not-authorize\\"/\\"member\\":\\"DEU\\",\\"draft\\":\\"Q.5051\\",\\"choice\\":\\"authorize\\"/' t/events.jsonl
vbad "a reply's choice changed in events.jsonl" '^ballot: events.jsonl: its SHA-256 or size differs from the signed manifest' t
fresh; sed -i 's/"member":"CHE"/"member":"CHF"/' t/replies.json
vbad "a reply changed in replies.json" '^ballot: replies.json: its SHA-256 or size differs' t
fresh; printf 'X' | dd of=t/attachments/"$(ls t/attachments)" bs=1 seek=3 conv=notrunc 2>/dev/null
vbad "a byte of an attachment changed" '^ballot: attachments/[0-9a-f]{64}: its SHA-256 or size differs' t
fresh; sed -i 's/"support":5/"support":6/' t/tally.json
vbad "the tally changed" '^ballot: tally.json: its SHA-256' t
fresh; msig=$(jget .signature "$(cat t/manifest.json)")
sed -i "s/$msig/${msig:0:20}$( [[ ${msig:20:1} == a ]] && echo b || echo a)${msig:21}/" t/manifest.json
vbad "a byte of the manifest's signature changed" '^ballot: manifest.json: signature: the signature does not match the key' t
fresh; sed -i 's/"published":"2020-03-06T10:00:00Z"/"published":"2020-03-06T10:00:01Z"/' t/manifest.json
vbad "the manifest's publication time changed" '^ballot: manifest.json: signature: ' t
fresh; printf 'x\n' >t/note.txt
vbad "a file added" '^ballot: note.txt: not in the signed manifest' t
fresh; rm -r t/attachments; printf 'x\n' >t/attachments
vbad "a file named attachments instead of the directory" '^ballot: attachments/[0-9a-f]{64}: ' t
fresh; mv t/rule.json t/rule.real; ln -s rule.real t/rule.json
vbad "a symbolic link instead of a file" '^ballot: rule.json: not a regular file' t
fresh; rm t/rule.json
vbad "a file removed" '^ballot: rule.json: listed in the signed manifest but missing' t
fresh; rm t/manifest.json
vbad "no manifest" "^ballot: manifest.json: missing: 't' is not a results bundle" t
KEY=$OTHER vbad "another key" "^ballot: manifest.json: key: the bundle names .*, not the key given" bundle
vbad "a receipt of another consultation's reply" "^ballot: --receipt .*: the receipt is for circular 206" bundle --receipt "$(ballot receipt show --event "$(sqlite3 "$BALLOT_DB" "SELECT max(seq) FROM events WHERE circular = '206' AND kind = 'reply'")" --receipt r206.json >/dev/null; echo r206.json)"
vbad "a tampered receipt" '^ballot: --receipt t1.json: member: ' bundle --receipt t1.json

# Forgeries by someone holding the key and the database: reforge DB SEQ
# PERL-SUBST rewrites event SEQ's body (or deletes it, with "delete") and
# recomputes every later event's previous hash, link to its circular's
# previous event (cprev) and hash, as a careful forger would.
reforge() {
	perl -e '
	use Digest::SHA qw(sha256_hex);
	my ($db, $target, $subst) = @ARGV;
	sub lit { my $s = shift; $s =~ s/\x27/\x27\x27/g; "\x27$s\x27" }
	sub sql { system("sqlite3", $db, "PRAGMA foreign_keys = OFF; DROP TRIGGER IF EXISTS events_append_only_u; DROP TRIGGER IF EXISTS events_append_only_d; $_[0]") == 0 or die "sqlite3: $_[0]" }
	my @rows = map { [split /\t/, $_, 3] } split /\n/, `sqlite3 -separator "\t" $db "SELECT seq, hash, body FROM events ORDER BY seq"`;
	my (%map, $prev) = ();
	$prev = "0" x 64;
	for my $r (@rows) {
		my ($seq, $old, $body) = @$r;
		if ($seq == $target && $subst eq "delete") {
			my ($cp) = $body =~ /"cprev":"([0-9a-f]{64})"/;
			$map{$old} = $map{$cp} // $cp;
			sql("DELETE FROM events WHERE seq = $seq");
			next;
		}
		if ($seq == $target) { local $_ = $body; eval $subst; die $@ if $@; $body = $_ }
		$body =~ s/"cprev":"([0-9a-f]{64})"/"cprev":"@{[ $map{$1} \/\/ $1 ]}"/;
		my $h = sha256_hex("$prev\n$body");
		sql("UPDATE events SET body = " . lit($body) . ", prev_hash = " . lit($prev) . ", hash = " . lit($h) . " WHERE seq = $seq")
			if $h ne $old;
		$map{$old} = $h;
		$prev = $h;
	}' "$@"
}
forge() { # forge NAME : a copy of the database and the key to forge in
	cp "$BALLOT_DB" "$1.db" && cp "$BALLOT_DB.key" "$1.db.key"
}
S_ITA=$(jget .event "$(cat ita.json)")
S_DEU=$(jget .event "$(cat deu.json)")
# a reply deleted: the next event of the consultation no longer links to it
forge f1
sqlite3 f1.db "PRAGMA foreign_keys = OFF; DROP TRIGGER replies_append_only_d; DROP TRIGGER events_append_only_d; DELETE FROM replies WHERE event_seq = $S_ITA; DELETE FROM events WHERE seq = $S_ITA"
expect_exit 0 ballot --db f1.db publish --circular 205 --out f1
vbad "a reply deleted" "^ballot: events.jsonl: event $((S_ITA + 1)): does not link to the consultation's previous event" f1
# ... and with every later link and hash recomputed: ITA's receipt shows it was left out
forge f2
sqlite3 f2.db "PRAGMA foreign_keys = OFF; DROP TRIGGER replies_append_only_d; DELETE FROM replies WHERE event_seq = $S_ITA"
reforge f2.db "$S_ITA" delete || fail "reforge"
expect_exit 0 ballot --db f2.db publish --circular 205 --out f2
vbad "a reply left out of a re-signed bundle, the chain recomputed" "^ballot: --receipt ita.json: event $S_ITA \\(reply ITA Q.5051\\) is not in the bundle" f2 --receipt ita.json
vbad "... which breaks the receipts of every later event too" "^ballot: --receipt .*: event [0-9]+ in the bundle is not the one receipted" f2 --receipt "$(ballot receipt show --event $((S_ITA + 1)) --receipt gbr.json >/dev/null; echo gbr.json)"
# a reply's choice rewritten, the chain recomputed: its receipt no longer matches
forge f3
# (the forger puts the dropped triggers back: check pins the schema)
trig=$(sqlite3 f3.db "SELECT group_concat(sql, ';') FROM sqlite_schema WHERE name IN
	('replies_append_only_u', 'events_append_only_u', 'events_append_only_d')")
sqlite3 f3.db "DROP TRIGGER replies_append_only_u; UPDATE replies SET choice = 'authorize' WHERE event_seq = $S_DEU"
reforge f3.db "$S_DEU" 's/"choice":"not-authorize"/"choice":"authorize"/' || fail "reforge"
sqlite3 f3.db "$trig;"
expect_exit 0 ballot --db f3.db check
like "$OUT" '^result: ok$' "the forged copy is self-consistent: ballot check passes on it"
expect_exit 0 ballot --db f3.db publish --circular 205 --out f3
vbad "a reply rewritten with the chain recomputed" "^ballot: --receipt deu.json: event $S_DEU in the bundle is not the one receipted" f3 --receipt deu.json
vbad "... which the receipts of later replies also catch" "^ballot: --receipt ita.json: event $S_ITA in the bundle is not the one receipted" f3 --receipt ita.json
# the deadline moved before every receipted reply, the chain recomputed: the
# earliest receipt catches it (every receipt pins the consultation's history)
forge f4
sqlite3 f4.db "DROP TRIGGER consultations_close_only; UPDATE consultations SET deadline = deadline - 86400 * 30 WHERE circular = '205'"
reforge f4.db "$(sqlite3 f4.db "SELECT event_seq FROM consultations WHERE circular = '205'")" 's/"deadline":"2020-02-21T23:59:00Z"/"deadline":"2020-01-22T23:59:00Z"/' || fail "reforge"
expect_exit 0 ballot --db f4.db publish --circular 205 --out f4
vbad "the consultation's deadline rewritten" "^ballot: --receipt che.json: event $S_CHE in the bundle is not the one receipted" f4 --receipt che.json
# a second consultation event appended (a new deadline after every receipt)
forge f5
reforge f5.db 0 ""
perl -e '
	use Digest::SHA qw(sha256_hex);
	my $db = shift;
	my ($seq, $hash) = split /\|/, `sqlite3 $db "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"`;
	chomp $hash;
	my ($cp) = split /\n/, `sqlite3 $db "SELECT hash FROM events WHERE circular = \x27205\x27 ORDER BY seq DESC LIMIT 1"`;
	my ($cseq) = `sqlite3 $db "SELECT event_seq FROM consultations WHERE circular = \x27205\x27"`;
	chomp $cseq;
	my ($body) = `sqlite3 $db "SELECT body FROM events WHERE seq = $cseq"`;
	chomp $body;
	$seq++;
	$body =~ s/"seq":$cseq,/"seq":$seq,/;
	$body =~ s/"cprev":"[0-9a-f]{64}"/"cprev":"$cp"/;
	$body =~ s/"deadline":"[^"]*"/"deadline":"2020-01-22T23:59:00Z"/;
	my $h = sha256_hex("$hash\n$body");
	system("sqlite3", $db, "INSERT INTO events(seq, at, actor, kind, circular, body, prev_hash, hash) VALUES($seq, 0, \x27x\x27, \x27consultation\x27, \x27205\x27, \x27$body\x27, \x27$hash\x27, \x27$h\x27)") == 0 or die;' f5.db
run ballot --db f5.db publish --circular 205 --out f5
is "$RC" 1 "a second consultation event: publish refuses the database"
like "$ERR" "^ballot: circular 205: the consultations table differs from event [0-9]+ that wrote it \(the consultation this event recorded is missing\)" "  ... naming the event"
# a signed bundle whose tally does not follow from its events (the reply
# rows changed, the events not): the recomputed tally catches it
forge forged4
sqlite3 forged4.db "DROP TRIGGER replies_append_only_u; UPDATE replies SET choice = 'authorize' WHERE event_seq = $S_DEU"
run ballot --db forged4.db publish --circular 205 --out forged4
is "$RC" 1 "reply rows that do not follow from their events: publish refuses the database"
like "$ERR" "^ballot: circular 205: the replies row [0-9]+ differs from event $S_DEU that wrote it" "  ... naming the row"
# tally.json edited and the manifest's hash of it updated: the signature breaks
cp -r bundle forged3
sed -i 's/"support":5/"support":4/' forged3/tally.json
perl -e '
	use Digest::SHA qw(sha256_hex);
	local $/; open my $f, "<", "forged3/tally.json"; my $t = <$f>;
	open my $m, "<", "forged3/manifest.json"; my $j = <$m>;
	my ($h, $n) = (sha256_hex($t), length $t);
	$j =~ s/("name":"tally.json","sha256":")[0-9a-f]+(","size":)\d+/$1$h$2$n/;
	open my $o, ">", "forged3/manifest.json"; print $o $j;'
vbad "tally.json edited (manifest hash updated, so its signature breaks)" '^ballot: manifest.json: signature' forged3

expect_exit 0 ballot verify-bundle bundle --key "$PUB" --receipt fra.json
like "$OUT" '^  FRA reply on Q.5051 \(event [0-9]+\): withdrawn later, not counted$' "a receipt of a reply withdrawn later: verified, and said not counted"
refused_like "--out: 'bundle' is not empty" ballot publish --circular 205 --out bundle
refused_like "--circular: .*'999'" ballot publish --circular 999 --out new
ok "a refused publish leaves no directory" test ! -e new
refused_like '--key: no signing key' ballot publish --circular 205 --out new --key nokey
refused_like 'verify-bundle: the bundle DIR is required' ballot verify-bundle --key "$PUB"
refused_like '--key is required' ballot verify-bundle bundle

# --- a bundle whose replies.csv carries cells a spreadsheet would run (issue 14) ---
# An administration's attachment name "=HYPERLINK(...)" went into replies.csv
# raw; now neutralised (quoted, a leading single quote), and the bundle, which
# signs those bytes, still verifies and is reproducible.
printf 'Reasons.\n' >'=HYPERLINK("http:x","y").txt'
# (recorded when received: entered after the deadline it would change the
# outcome, which needs --late-entry-reason)
BALLOT_NOW=2020-02-10T12:00:00Z expect_exit 0 ballot reply --circular 206 --member DEU --not-authorize \
	--reasons '=HYPERLINK("http:x","y").txt' --received 2020-02-10T12:00:00Z
expect_exit 0 ballot publish --circular 206 --out b206 --attachments
like "$(cat b206/replies.csv)" "^[0-9]+,206,Q\\.5051,DEU,.*,\"'=HYPERLINK\\(\"\"http:x\"\",\"\"y\"\"\\)\\.txt:[0-9a-f]{64}\"," \
	"replies.csv: the formula-like attachment cell is quoted, with a leading single quote"
expect_exit 0 ballot export --circular 206 --format csv
is "$(cat b206/replies.csv)" "$OUT" "  ... the same bytes as ballot export --format csv"
expect_exit 0 ballot verify-bundle b206 --key "$PUB"
like "$OUT" '^bundle verified: circular 206 ' "  ... and the bundle verifies"
expect_exit 0 ballot publish --circular 206 --out b206-again --attachments
ok "  ... published twice: byte-identical bundles" diff -r b206 b206-again

done_testing
