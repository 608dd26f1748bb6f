#!/bin/bash
# Issue 16 (CPU per form): what a run has laid out is kept for the forms
# after it (src/pdf/doc.c: the measures of a text kept per thread; a
# left-to-right paragraph's levels without the bidi algorithm). What must
# hold: the cache is transparent. A form made late in a run of the whole
# electorate in every language (the cache warm with the forms before it, in
# one thread or two) has the same bytes as the same form made alone, in a
# process of its own (the cache cold). (That the cache keeps apart what its
# key tells apart - font table, direction, weight, size, box - and that a
# paragraph with anything right to left still takes the bidi algorithm:
# tests/unit/test_measure.c and test_bidi.c; the demo data here never
# measures one text in two boxes.)
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

expect_exit 0 ballot init
setup_205
at 2019-12-02T12:30:00Z
expect_exit 0 ballot draft add --summary "A summary." --circular 205 --rec Q.5052 \
	--title "A second draft, whose title is long enough to wrap over two lines of the table of drafts in every language"
at 2020-01-10T09:00:00Z

expect_exit 0 ballot forms --circular 205 --all --lang all --out "$T/one" --jobs 1
expect_exit 0 ballot forms --circular 205 --all --lang all --out "$T/two" --jobs 2
n=$(find "$T/one" -name '*.pdf' | wc -l)
ok "a form for each member in each language ($n)" test "$n" -gt 1000
ok "--jobs 2 makes the bytes of --jobs 1 (a cache per thread)" diff -r "$T/one" "$T/two"

# alone: one member, one language, one process each (the cache empty)
for m in AFG CHE GBR ZWE; do
	for l in en fr es ru zh ar; do
		expect_exit 0 ballot forms --circular 205 --member "$m" --lang "$l" --out "$T/alone" --jobs 1
		ok "$m $l: the form made alone has the bytes of the one made in the run" \
			cmp "$T/alone/205/$l/$m.pdf" "$T/one/205/$l/$m.pdf"
	done
done
done_testing
