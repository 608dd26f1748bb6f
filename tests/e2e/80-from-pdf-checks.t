#!/bin/bash
# Findings of session 13's adversarial test on `reply --from-pdf` (issue 17
# §2): the dry run refuses what the real run refuses (the engine's checks in
# a transaction rolled back), a refused signatory or title names the form's
# field in one clean line, a reference naming no member names form.reference,
# a blank signatory is refused, and a draft given the same file twice is
# refused naming the option and the draft.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

PY=/usr/bin/python3   # Debian's, with python3-pypdf (stack notes)
FILL="$PY $HERE/fill-form.py"
$PY -c 'import pypdf' 2>/dev/null || { fail "python3-pypdf is installed (tests/deps.sh)"; done_testing; exit; }

expect_exit 0 ballot init
setup_205
at 2019-12-02T12:30:00Z
expect_exit 0 ballot draft add --summary "A summary." --circular 205 --rec Q.5052 --title "A second draft"
at 2020-01-10T09:00:00Z
expect_exit 0 ballot forms --circular 205 --member CHE --lang en --out "$T/f" --jobs 1
CHE="$T/f/205/en/CHE.pdf"
echo "the reasons" >"$T/reasons.txt"
mkdir -p "$T/other" && echo "other reasons" >"$T/other/reasons.txt"
echo "more reasons" >"$T/more.txt"

# fill NAME FIELD=VALUE...: CHE's form, both drafts answered, and the fields given
fill() {
	local out=$T/$1.pdf
	shift
	$FILL "$CHE" "$out" draft.Q.5051.choice=authorize draft.Q.5052.choice=not-authorize "$@"
}

# --- the signatory and title the engine refuses: dry run and real run alike,
# one line naming the form's field, no mangled remains of another message
fill zw signatory.name="$(printf 'A\u200bPerson')"
fill ctl signatory.name="$(printf 'A\033[31mPerson')"
fill long signatory.name="$(head -c 5000 /dev/zero | tr '\0' a)"
fill bidi signatory.name="A Person" signatory.title="$(printf 'Direc\u202etor')"
fill blank signatory.name="   " signatory.title="Director"
fill sender sender.name="$(printf 'B\u200bPerson')"
for dry in --dry-run ""; do
	refused_like '^ballot: --from-pdf zw\.pdf: field signatory\.name: has U\+200B, an invisible or bidirectional control character that can disguise a name$' \
		ballot reply --from-pdf "$T/zw.pdf" --circular 205 $dry
	refused_like '^ballot: --from-pdf ctl\.pdf: field signatory\.name: not valid UTF-8 or has control characters$' \
		ballot reply --from-pdf "$T/ctl.pdf" --circular 205 $dry
	refused_like '^ballot: --from-pdf long\.pdf: field signatory\.name: longer than 200 bytes$' \
		ballot reply --from-pdf "$T/long.pdf" --circular 205 $dry
	refused_like '^ballot: --from-pdf bidi\.pdf: field signatory\.title: has U\+202E, an invisible' \
		ballot reply --from-pdf "$T/bidi.pdf" --circular 205 $dry
	refused_like '^ballot: --from-pdf blank\.pdf: field signatory\.name: only spaces; give the name, or none$' \
		ballot reply --from-pdf "$T/blank.pdf" --circular 205 $dry
	# no signatory.name: sender.name is read, and named
	refused_like '^ballot: --from-pdf sender\.pdf: field sender\.name: has U\+200B' \
		ballot reply --from-pdf "$T/sender.pdf" --circular 205 $dry
done

# --- the dry run runs the engine's checks (those no option parsing makes)
fill ok signatory.name="A Person" signatory.title="Director"
refused_like "channel.*'telepathy' is not a channel" \
	ballot reply --from-pdf "$T/ok.pdf" --circular 205 --channel telepathy --dry-run
refused_like "received.*2019-11-01T00:00:00Z is before the circular's date 2019-12-02" \
	ballot reply --from-pdf "$T/ok.pdf" --circular 205 --received 2019-11-01T00:00:00Z --dry-run
refused_like "late-entry-reason.*only for an on-time reply recorded after the deadline" \
	ballot reply --from-pdf "$T/ok.pdf" --circular 205 --late-entry-reason "a paper form" --dry-run
expect_exit 0 ballot config set replies_per_hour 1
expect_exit 0 ballot reply --circular 205 --member CHE --draft Q.5051 --authorize
expect_exit 0 ballot reply --circular 205 --member CHE --draft Q.5052 --authorize
refused_like "replies_per_hour: CHE recorded 2 replies in consultation 205 in the last hour" \
	ballot reply --from-pdf "$T/ok.pdf" --circular 205 --dry-run
expect_exit 0 ballot reply --from-pdf "$T/ok.pdf" --circular 205 --dry-run --force
like "$OUT" '^nothing recorded \(--dry-run\)$' "--force: the dry run passes, and says nothing is recorded"
before=$(db_sum)
expect_exit 0 ballot reply --from-pdf "$T/ok.pdf" --circular 205 --dry-run --force --json
is "$(jget .dry_run)" true "--json: a dry run"
is "$(jget '.replies[1].choice')" not-authorize "--json: the choices"
is "$(db_sum)" "$before" "the dry runs stored nothing"
expect_exit 0 ballot check   # the witness and the log agree after the rolled-back transactions
expect_exit 0 ballot audit verify
expect_exit 0 ballot config set replies_per_hour 30

# --- a reference that names no member: form.reference, not --member
fill xyz signatory.name="A Person" form.reference=ballot:205:XYZ:en:0123456789abcdef
refused_like "^ballot: --from-pdf xyz\.pdf: field form\.reference 'ballot:205:XYZ:en:0123456789abcdef': member 'XYZ' is not an ITU Member State code$" \
	ballot reply --from-pdf "$T/xyz.pdf" --circular 205
unlike "$ERR" '--member' "  ... and does not blame --member, which was not given"

# --- a draft given the same file twice (a later one named alike too)
refused_like "^ballot: --reasons Q\.5052=.*reasons\.txt: draft Q\.5052 is given a file named 'reasons\.txt' twice$" \
	ballot reply --from-pdf "$T/ok.pdf" --circular 205 --reasons Q.5052="$T/reasons.txt" --reasons Q.5052="$T/reasons.txt"
refused_like "draft Q\.5052 is given a file named 'reasons\.txt' twice" \
	ballot reply --from-pdf "$T/ok.pdf" --circular 205 --reasons Q.5052="$T/reasons.txt" --reasons Q.5052="$T/other/reasons.txt"
expect_exit 0 ballot reply --from-pdf "$T/ok.pdf" --circular 205 --reasons Q.5052="$T/reasons.txt" \
	--reasons Q.5052="$T/more.txt" --dry-run
like "$OUT" '^  Q\.5052: not-authorize, attached: reasons\.txt, more\.txt$' "two different files for one draft: both attached"

# --- a blank signatory given as an option: refused by the engine too
refused_like "^ballot: --signatory: only spaces; give the name, or none$" \
	ballot reply --circular 205 --member FRA --draft Q.5051 --authorize --signatory "   "
refused_like "^ballot: --title: only spaces" \
	ballot reply --circular 205 --member FRA --draft Q.5051 --authorize --signatory "A Person" --title "$(printf '\u3000')"
expect_exit 0 ballot reply --circular 205 --member FRA --draft Q.5051 --authorize --signatory "A Person" --title ""
done_testing
