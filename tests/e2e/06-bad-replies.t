#!/bin/bash
# User story: a reply that is wrong is refused with a clear one-line message,
# exit status 2, and nothing is written.
. "$(dirname "$0")/lib.sh"

expect_exit 0 ballot init
setup_205
CIRC=206 setup_205
expect_exit 0 ballot draft add --summary "A summary of the draft." --circular 206 --rec Q.5052 --title "Second draft"
printf 'Comments.\n' >"$T/comments.txt"
printf 'Reasons.\n' >"$T/reasons.txt"
: >"$T/empty.txt"
mkbytes "$T/big.bin" 2000
mkbytes "$T/limit.bin" 1000
R=(--received 2020-02-10T09:00:00Z)

# a good reply first, so the database is not trivially empty; it also shows
# that the checksum used below sees a change
sum=$(db_sum)
expect_exit 0 ballot reply --circular 205 --member DEU --authorize "${R[@]}"
isnt "$(db_sum)" "$sum" "the database checksum changes when a reply is recorded"

refused XYZ ballot reply --circular 205 --member XYZ --authorize "${R[@]}"
refused PLW ballot reply --circular 205 --member PLW --authorize "${R[@]}"
refused Q.9999 ballot reply --circular 205 --member CHE --draft Q.9999 --authorize "${R[@]}"
refused 999 ballot reply --circular 999 --member CHE --authorize "${R[@]}"
refused authorize ballot reply --circular 205 --member CHE "${R[@]}"
refused authorize ballot reply --circular 205 --member CHE --authorize --not-authorize "${R[@]}"
refused 2020-02-10T09:00:00 ballot reply --circular 205 --member CHE --authorize --received 2020-02-10T09:00:00
refused 2020-02-30T09:00:00Z ballot reply --circular 205 --member CHE --authorize --received 2020-02-30T09:00:00Z
refused yesterday ballot reply --circular 205 --member CHE --authorize --received yesterday
refused 2020-02-11T00:00:00Z ballot reply --circular 205 --member CHE --authorize --received 2020-02-11T00:00:00Z
refused 2019-12-01T10:00:00Z ballot reply --circular 205 --member CHE --authorize --received 2019-12-01T10:00:00Z
refused pigeon ballot reply --circular 205 --member CHE --authorize "${R[@]}" --channel pigeon
refused "$T/missing.txt" ballot reply --circular 205 --member CHE --authorize --comments "$T/missing.txt" "${R[@]}"
refused "$T/missing.txt" ballot reply --circular 205 --member CHE --not-authorize --reasons "$T/missing.txt" "${R[@]}"
refused empty.txt ballot reply --circular 205 --member CHE --authorize --comments "$T/empty.txt" "${R[@]}"
refused "$T" ballot reply --circular 205 --member CHE --authorize --comments "$T" "${R[@]}"
refused comments ballot reply --circular 205 --member CHE --not-authorize --comments "$T/comments.txt" "${R[@]}"
refused reasons ballot reply --circular 205 --member CHE --authorize --reasons "$T/reasons.txt" "${R[@]}"
refused signatory ballot reply --circular 205 --member CHE --authorize "${R[@]}" --signatory "$(printf 'Jo\xffhn')"
refused signatory ballot reply --circular 205 --member CHE --authorize "${R[@]}" --signatory "$(printf 'Jo\001hn')"
refused signatory ballot reply --circular 205 --member CHE --authorize "${R[@]}" --signatory "$(printf 'Jo\nhn')"
refused title ballot reply --circular 205 --member CHE --authorize "${R[@]}" --title "$(printf 'Dir\033[31mector')"
refused draft ballot reply --circular 206 --member CHE --authorize "${R[@]}"
refused CHE ballot withdraw --circular 205 --member CHE "${R[@]}"
refused XYZ ballot withdraw --circular 205 --member XYZ "${R[@]}"
expect_exit 2 ballot reply --circular 205 --member CHE --authorize "${R[@]}" --frobnicate
like "$ERR" 'frobnicate' "an unknown option is named"
expect_exit 2 ballot reply --member CHE --authorize "${R[@]}"
like "$ERR" 'circular' "a missing --circular is named"

# the attachment cap
expect_exit 0 ballot config set attachment_max 1000
expect_exit 0 ballot config
like "$OUT" 'attachment_max.*1000' "config shows attachment_max 1000"
refused big.bin ballot reply --circular 205 --member CHE --authorize --comments "$T/big.bin" "${R[@]}"
like "$ERR" '2000' "... and the size (2000)"
refused big.bin ballot reply --circular 205 --member CHE --not-authorize --reasons "$T/big.bin" "${R[@]}"
expect_exit 0 ballot reply --circular 205 --member CHE --authorize --comments "$T/limit.bin" "${R[@]}"
like "$OUT" 'CHE Q\.5051 authorize-with-comments' "an attachment of exactly attachment_max bytes is accepted"
refused 1.5 ballot config set attachment_max 1.5
refused attachment_max ballot config set attachment_max lots
refused nosuchkey ballot config set nosuchkey 5

# an attachment whose name claims a type its bytes are not (issue 14: an ELF
# program passed as comments.doc); the engine's check, which the portal shares
printf '\177ELF\002\001\001\000 a program\n' >"$T/comments.doc"
printf 'MZ\220\000 not a PDF\n' >"$T/reasons.pdf"
printf '\377\376t\000e\000x\000t\000' >"$T/utf16.txt"
refused "'comments.doc' is not what its name says" ballot reply --circular 205 --member BEL --authorize \
	--comments "$T/comments.doc" "${R[@]}"
refused "'reasons.pdf' is not what its name says" ballot reply --circular 205 --member BEL --not-authorize \
	--reasons "$T/reasons.pdf" "${R[@]}"
refused "'utf16.txt' is not what its name says" ballot reply --circular 205 --member BEL --not-authorize \
	--reasons "$T/utf16.txt" "${R[@]}"
printf 'member\tdraft\tchoice\treceived\tchannel\tattachment\nBEL\t\tnot-authorize\t\temail\tcomments.doc\n' >"$T/elf.tsv"
refused_like "line 2.*comments\.doc' is not what its name says" ballot reply import --circular 205 "$T/elf.tsv"
# a name that claims no type of the list is the secretariat's to choose
cp "$T/comments.doc" "$T/comments.bin"
expect_exit 0 ballot reply --circular 205 --member BEL --not-authorize --reasons "$T/comments.bin" "${R[@]}"

# valid text is accepted: UTF-8 names
expect_exit 0 ballot reply --circular 205 --member FRA --authorize "${R[@]}" --signatory "Jérôme Müller" --title "Directeur général"

# after close: an on-time reply is refused, a late one accepted
at 2020-02-25T00:00:00Z
expect_exit 0 ballot close --circular 205
refused_like "clos|205" ballot reply --circular 205 --member ITA --authorize --received 2020-02-20T10:00:00Z
expect_exit 0 ballot reply --circular 205 --member ITA --authorize --received 2020-02-24T10:00:00Z
like "$ERR" 'late' "after close, a late reply is recorded (with a warning)"

# From the CLI review: one-line messages whatever the value; FIFOs never block;
# a byte order mark is not data.
run ballot export --circular 205 --format $'x\ny'
is "$RC" 2 "a value with a newline is refused"
is "$(printf '%s\n' "$ERR" | wc -l | tr -d ' ')" 1 "... in exactly one line (the newline shown as \\n)"
mkfifo "$T/fifo"
sum=$(db_sum)
run timeout 10 "$BALLOT_BIN" reply --circular 205 --member BEL --not-authorize --reasons "$T/fifo"
is "$RC" 2 "a FIFO as attachment is refused at once, not read"
printf 'member\tdraft\tchoice\treceived\tchannel\tattachment\nBEL\t\tnot-authorize\t\temail\tfifo\n' >"$T/fifo.tsv"
run timeout 10 "$BALLOT_BIN" reply import --circular 205 "$T/fifo.tsv"
is "$RC" 2 "a FIFO named in an import is refused at once"
is "$(db_sum)" "$sum" "... and nothing changed"
printf '\xef\xbb\xbfmember\tdraft\tchoice\treceived\tchannel\tattachment\nBEL\t\tauthorize\t\temail\t\n' >"$T/bom.tsv"
run ballot reply import --circular 205 "$T/bom.tsv"
is "$RC" 0 "a TSV starting with a UTF-8 byte order mark imports"

done_testing
