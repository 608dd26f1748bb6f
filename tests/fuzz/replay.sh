#!/bin/sh
# replay.sh BIN... - replays each harness's seed corpus
# (tests/fuzz/corpus/<name>/, name = BIN without "fuzz_") through the harness
# built without libFuzzer (tests/fuzz/replay.c). Part of make check.
fail=0
for bin in "$@"; do
	name=$(basename "$bin")
	dir=tests/fuzz/corpus/${name#fuzz_}
	if [ ! -d "$dir" ] || [ -z "$(ls "$dir")" ]; then
		echo "replay: $dir: no seed corpus for $bin"
		fail=1
		continue
	fi
	"$bin" "$dir" || { echo "replay: $bin failed on $dir"; fail=1; }
done
exit $fail
