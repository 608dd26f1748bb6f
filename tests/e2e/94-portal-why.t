#!/usr/bin/env bash
# 94-portal-why.t - the decide page says why a draft is not ready for
# approval: the rule's own verdict (bt_rule_verdict) on the draft's count, in
# the page's language from forms/portal/<lang>.txt (support below the
# threshold, not above a strict one, too few replies, none); a ready draft
# has no such sentence. And `users add --cert` with a certificate registered
# already names whom it is registered for.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl perl certtool
trap 'serve_stop; _cleanup' EXIT

# --- set-up: 205 under tap (Q.5051 ready, Q.5052 at 50 %), 206 under the
# question rule (Q.6061 no reply, Q.6062 nine, Q.6063 five of ten) ------------
expect_exit 0 ballot init
setup_205
at 2019-12-02T12:00:00Z
expect_exit 0 ballot draft add --summary "S." --circular 205 --rec Q.5052 --title "Second draft"
expect_exit 0 ballot consultation create --circular 206 --group 11 --rule question --date 2019-12-02 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13
for r in Q.6061 Q.6062 Q.6063; do
	expect_exit 0 ballot draft add --summary "S." --circular 206 --rec "$r" --title "Question $r"
done
at 2020-01-10T12:00:00Z
for m in AUS BRA CHN; do
	expect_exit 0 ballot reply --circular 205 --member "$m" --draft Q.5051 --authorize
done
expect_exit 0 ballot reply --circular 205 --member DEU --draft Q.5052 --not-authorize
expect_exit 0 ballot reply --circular 205 --member AUS --draft Q.5052 --authorize
i=0
for m in AUS BRA CHN DEU FRA GBR ITA JPN ESP CAN; do
	i=$((i + 1))
	[ $i -le 9 ] && expect_exit 0 ballot reply --circular 206 --member "$m" --draft Q.6062 --authorize
	c=--authorize
	[ $i -gt 5 ] && c=--not-authorize
	expect_exit 0 ballot reply --circular 206 --member "$m" --draft Q.6063 $c
done
at 2020-02-24T09:00:00Z
expect_exit 0 ballot close --circular 205
expect_exit 0 ballot close --circular 206
PW="a secretariat pass phrase"
printf '%s\n' "$PW" >"$T/pw"
expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
dev_certs --client alice

# why: the <p class="why"> of draft REC's section on the page, unescaped, without
# the embeddings around the values placed in Arabic text
why() {
	REC=$1 perl -CSD -0777 -ne 'if (/<section class="draft" data-rec="\Q$ENV{REC}\E"(.*?)<\/section>/s) {
		my $s = $1; if ($s =~ /<p class="why" data-why="([^"]*)">(.*?)<\/p>/s) { my ($w, $t) = ($1, $2);
		$t =~ s/&lt;/</g; $t =~ s/&gt;/>/g; $t =~ s/&quot;/"/g; $t =~ s/&#39;/\x27/g; $t =~ s/&amp;/&/g; $t =~ s/[\x{202A}-\x{202E}\x{2066}-\x{2069}]//g;
		print "$w: $t" } }' "$T/.body"
}
# words LANG KEY NAME=VALUE...: the sentence of KEY in forms/portal/LANG.txt filled in
words() {
	local lang=$1 key=$2
	shift 2
	KEY=$key perl -CSDA -ne 'BEGIN { %v = map { split /=/, $_, 2 } @ARGV; @ARGV = () }
		if (/^\Q$ENV{KEY}\E = (.*)$/) { my $s = $1; $s =~ s/\{(\w+)\}/exists $v{$1} ? $v{$1} : "{$1}"/ge; print $s }' \
		"$@" <"$REPO/forms/portal/$lang.txt"
}

serve_start "$T/serve.log" || { echo "Bail out! the server did not start"; exit 1; }
signin_user tsb tsb "$PW"
is "$ST" 303 "the secretariat signs in"
run ballot tally --circular 205 --json
is "$(jget '.drafts[1].state')" not-ready "tally: Q.5052 is not ready"
replies=$(jget '.drafts[1].replies')
for lang in en fr es ru zh ar; do
	get tsb "/secretariat/c/205/decide?lang=$lang"
	is "$ST" 200 "$lang: GET /secretariat/c/205/decide"
	is "$(why Q.5052)" "below: $(words "$lang" decide_why_below pct=50.0 replies="$replies" threshold=70 \
		'clause=WTSA Res. 1 §9.4.5')" "$lang: Q.5052 not ready: support below the threshold, in the page's words"
	is "$(why Q.5051)" "" "$lang: Q.5051 (ready) says no such thing"
done
is "$replies" 2 "  ... the replies counted are tally --json's"

get tsb "/secretariat/c/206/decide?lang=en"
is "$ST" 200 "GET /secretariat/c/206/decide (the question rule)"
run ballot tally --circular 206 --json
for k in 0 1 2; do
	is "$(jget ".drafts[$k].state")" not-ready "tally: $(jget ".drafts[$k].rec") is not ready"
done
is "$(why Q.6061)" "no-replies: $(words en decide_why_no_replies 'clause=WTSA Res. 1 §7.2.3')" \
	"Q.6061: no reply, and the rule needs some"
is "$(why Q.6062)" "too-few: $(words en decide_why_too_few replies=9 min=10 'clause=WTSA Res. 1 §7.2.3')" \
	"Q.6062: nine replies, the rule needs ten"
is "$(why Q.6063)" "not-above: $(words en decide_why_not_above pct=50.0 replies=10 threshold=50 \
	'clause=WTSA Res. 1 §7.2.3')" "Q.6063: half of ten, the rule needs more than half"
get tsb "/secretariat/c/206/decide?lang=zh"
is "$(why Q.6062)" "too-few: $(words zh decide_why_too_few replies=9 min=10 'clause=WTSA Res. 1 §7.2.3')" \
	"  ... in Chinese"
serve_stop

# --- users add --cert: registered already, for whom ---------------------------
expect_exit 0 ballot users add --name alice --role secretariat --cert "$T/ca/client-alice.pem"
expect_exit 0 ballot certs issue --member CHE --ca "$T/ca" --out "$T/certs"
che=$(ls "$T"/certs/*CHE*.pem | grep -v key | head -n 1)
refused_like "^ballot: --cert: '.*client-alice\.pem' is registered already \([0-9a-f]{64}\), for account 'alice'$" \
	ballot users add --name carol --role secretariat --cert "$T/ca/client-alice.pem"
refused_like "^ballot: --cert: '.*CHE.*' is registered already \([0-9a-f]{64}\), for member CHE$" \
	ballot users add --name dave --role secretariat --cert "$che"

done_testing
