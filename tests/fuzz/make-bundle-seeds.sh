#!/bin/bash
# make-bundle-seeds.sh [BALLOT_BIN] - (run from the top directory) remakes the seed corpus of fuzz_bundle
# (tests/fuzz/corpus/bundle/) from real consultations run with the current
# binary, so the seeds follow the shapes of events.jsonl and tally.json.
# Each seed is a bundle's events.jsonl, a line "--tally--", then tally.json,
# published at the time fuzz_bundle.c writes in its manifest
# (PUBLISHED below; circular 205), under the fixed fuzz key (fuzz_key.h).
# Accepted seeds: stages of one consultation (replies, a withdrawal, a late
# entry, a deadline change, a late reply, close, decisions; init's member
# and calendar events withheld) and one still open at publication (reply
# codes issued and revoked, a superseded reply). Refused seeds, each at another depth of the verifier:
# a broken hash, a broken link, a changed tally, a kind out of place, a
# reply outside the electorate, an unknown draft.
# Also two receipt seeds for fuzz_receipt (tests/fuzz/corpus/receipt/): a
# dated decision's and a late entry's.
set -eu
BIN=${1:-$PWD/build/ballot}
OUTDIR=$PWD/tests/fuzz/corpus/bundle
PUBLISHED=2020-04-02T09:00:00Z # = the manifest's "published" in fuzz_bundle.c
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
sed -n '/^\t"-----BEGIN/,/-----END/p' "$OUTDIR/../../fuzz_key.h" | sed 's/^\t"//; s/\\n"[;]*$//' >key.pem
chmod 600 key.pem
export BALLOT_ACTOR=fuzz BALLOT_KEY=$W/key.pem BALLOT_DB=$W/c.db
b() { BALLOT_NOW=$1; shift; BALLOT_NOW=$BALLOT_NOW "$BIN" "$@" >/dev/null; }
seed() { # seed NAME : the bundle published now from c.db as a seed
	rm -rf pub
	BALLOT_NOW=$PUBLISHED "$BIN" publish --circular 205 --out pub >/dev/null
	cmp -s pub/rule.json "$W/rule.json" || { echo "rule.json differs from fuzz_bundle.c's" >&2; exit 1; }
	{ cat pub/events.jsonl; printf -- '--tally--\n'; cat pub/tally.json; } >"$OUTDIR/$1.txt"
}
# the rule.json fuzz_bundle.c writes
sed -n '/^static const char rule_json/,/;$/p' "$OUTDIR/../../fuzz_bundle.c" | tail -n +2 |
	sed 's/^\t*"//; s/"[;]*$//; s/" "//g; s/\\"/"/g; s/\\n$//' | perl -pe 's/\\x([0-9a-f]{2})/chr hex $1/ge; s/\n//' >rule.json
printf '\n' >>rule.json

b 2019-12-01T09:00:00Z init
b 2019-12-02T12:00:00Z consultation create --circular 205 --group 11 --meeting-start 2020-03-04 --meeting-end 2020-03-13 --date 2019-12-02
b 2019-12-02T12:00:00Z draft add --circular 205 --rec Q.5051 --title "Framework" --summary "A summary."
b 2019-12-02T12:05:00Z draft add --circular 205 --rec Q.5052 --title "Second framework" --summary "Another summary."
seed no-replies
printf 'Comments.\n' >c.txt
b 2020-02-10T10:00:00Z reply --circular 205 --member CHE --draft Q.5051 --authorize --comments c.txt --received 2020-02-10T09:00:00Z
b 2020-02-10T10:05:00Z reply --circular 205 --member DEU --draft Q.5051 --not-authorize --reasons c.txt
b 2020-02-10T10:10:00Z reply --circular 205 --member FRA --draft Q.5051 --authorize
b 2020-02-11T10:00:00Z withdraw --circular 205 --member FRA --draft Q.5051
b 2020-02-11T11:00:00Z reply --circular 205 --member ITA --draft Q.5051 --authorize
b 2020-02-11T11:05:00Z reply --circular 205 --member GBR --draft Q.5051 --authorize
b 2020-02-11T11:10:00Z reply --circular 205 --member ITA --draft Q.5052 --authorize
b 2020-02-11T11:15:00Z reply --circular 205 --member GBR --draft Q.5052 --authorize
b 2020-02-11T11:20:00Z reply --circular 205 --member DEU --draft Q.5052 --not-authorize --reasons c.txt
b 2020-02-12T09:00:00Z consultation set-deadline --circular 205 2020-02-24T23:59:00Z --reason "The servers were down."
seed replies
# a paper form received on time, entered after the deadline: it changes Q.5052's outcome
b 2020-02-25T09:00:00Z reply --circular 205 --member ESP --draft Q.5052 --authorize \
	--received 2020-02-24T10:00:00Z --channel post --late-entry-reason "The form came by post on time." \
	--receipt "$OUTDIR/../receipt/late-entry.json"
b 2020-02-25T09:30:00Z reply --circular 205 --member NLD --draft Q.5051 --authorize --received 2020-02-25T09:30:00Z
seed late
b 2020-02-26T09:00:00Z close --circular 205
seed closed
b 2020-03-05T10:00:00Z decide --circular 205 --draft Q.5051 --approved --reservation DEU:"Not in our law." --date 2020-03-05 \
	--receipt "$OUTDIR/../receipt/decision.json"
b 2020-03-05T10:05:00Z decide --circular 205 --draft Q.5052 --more-time GBR --date 2020-03-05
b 2020-03-20T10:00:00Z decide --circular 205 --draft Q.5052 --not-approved --opposed-by GBR --date 2020-03-20
seed decided
# one still open at publication: the deadline after PUBLISHED (support_needed,
# opposition_to_block), reply codes issued and one revoked
export BALLOT_DB=$W/open.db
b 2020-02-01T09:00:00Z init
b 2020-03-02T12:00:00Z consultation create --circular 205 --group 11 --meeting-start 2020-07-06 --meeting-end 2020-07-10 --date 2020-03-02
b 2020-03-02T12:00:00Z draft add --circular 205 --rec Q.5051 --title "Framework" --summary "A summary."
b 2020-03-02T12:10:00Z codes issue --circular 205 --member CHE
b 2020-03-02T12:11:00Z codes issue --circular 205 --member JPN
b 2020-03-03T12:00:00Z codes revoke --circular 205 --member JPN
b 2020-03-20T10:00:00Z reply --circular 205 --member CHE --authorize --comments c.txt
b 2020-03-20T10:05:00Z reply --circular 205 --member USA --not-authorize --reasons c.txt
b 2020-03-21T10:00:00Z reply --circular 205 --member USA --authorize --channel email
seed open

# refused seeds, from decided.txt
cd "$OUTDIR"
# rechain FROM TO SEQ PERL-SUBST : FROM with event SEQ's body changed by the
# substitution and every later hash, prev and cprev recomputed, so only the
# change itself is refused
rechain() {
	perl -MJSON::PP -MDigest::SHA=sha256_hex -e '
		my ($seq, $subst) = @ARGV; my $js = JSON::PP->new->allow_nonref; my %new; my $tally = 0;
		while (my $l = <STDIN>) {
			if ($tally || $l eq "--tally--\n") { $tally = 1; print $l; next }
			my ($s, $prev, $hash, $body) = $l =~ /^\{"seq":(\d+),"prev":"(\w+)","hash":"(\w+)","body":(".*")\}$/ or die "not an event: $l";
			$body = $js->decode($body);
			$prev = $new{$prev} // $prev;
			$body =~ s/"cprev":"(\w+)"/"cprev":"@{[$new{$1} \/\/ $1]}"/;
			if ($s == $seq) { $_ = $body; eval $subst; die $@ if $@; $body = $_ }
			my $h = sha256_hex("$prev\n$body");
			$new{$hash} = $h;
			print "{\"seq\":$s,\"prev\":\"$prev\",\"hash\":\"$h\",\"body\":", $js->encode($body), "}\n";
		}' "$3" "$4" <"$1" >"$2"
}
seq_of() { grep -n "$2" "$1" | head -n 1 | sed 's/^[0-9]*:{"seq":\([0-9]*\),.*/\1/'; }
S_ITA=$(seq_of decided.txt '\\"member\\":\\"ITA\\",\\"draft\\":\\"Q.5051\\"')
S_DEC=$(seq_of decided.txt '\\"kind\\":\\"decision\\"')
# a changed body, not rehashed: the chain check
sed "/^{\"seq\":$S_ITA,/s/\\\\\"choice\\\\\":\\\\\"authorize\\\\\"/\\\\\"choice\\\\\":\\\\\"not-authorize\\\\\"/" decided.txt >bad-hash.txt
# an event left out: the consultation's link (cprev)
sed "/^{\"seq\":$S_ITA,/d" decided.txt >gap.txt
# rehashed and relinked, refused by what the events say
rechain decided.txt not-in-electorate.txt "$S_ITA" 's/"member":"ITA"/"member":"XXX"/'
rechain decided.txt kind-out-of-place.txt "$S_ITA" 's/"kind":"reply"/"kind":"calendar-import"/'
rechain decided.txt unknown-draft.txt "$S_DEC" 's/"draft":"Q.5051"/"draft":"Q.9999"/'
# the events verify, tally.json does not follow from them
sed 's/"not_authorize":1,/"not_authorize":0,/' decided.txt >tally-mismatch.txt
for f in bad-hash gap not-in-electorate kind-out-of-place unknown-draft tally-mismatch; do
	cmp -s decided.txt $f.txt && { echo "$f.txt: no change made" >&2; exit 1; }
done
exit 0
