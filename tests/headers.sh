#!/bin/sh
# Compiles every header of the project on its own (issue 12: a header
# includes what it uses). Usage: tests/headers.sh CC CFLAGS...
cc=$1; shift
n=0; bad=0
for h in include/ballot/*.h src/base/*.h src/store/*.h src/domain/*.h src/services/*.h \
         src/cli/*.h src/pdf/*.h src/portal/*.h; do
	n=$((n + 1))
	if ! printf '#include "%s"\n' "$h" | $cc "$@" -fsyntax-only -x c - 2>/tmp/headers.$$; then
		echo "not ok: $h does not compile on its own:"; head -3 /tmp/headers.$$
		bad=$((bad + 1))
	fi
done
rm -f /tmp/headers.$$
echo "headers: $n compiled alone, $bad failed"
[ "$bad" -eq 0 ]
