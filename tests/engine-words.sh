#!/bin/sh
# The engine speaks its own words (issue 12, include/ballot/err.h): no string
# in src/base, src/store, src/domain or src/services names a command-line
# option ("--circular") or command ("ballot init"); a message refers to
# another field as {name} and to a command as {cmd:X}, and each front end
# renders them (bt_err_render). The engine reports failures with bt_failf
# only. Prints every offending line; non-zero exit on any.
# Usage: tests/engine-words.sh (from the repository root)
dirs="src/base src/store src/domain src/services"
bad=0
# the commands are the words the CLI's table (src/cli/main.c) starts with
cmds=$(sed -n 's/^[[:space:]]*{ "\([a-z-]*\)[ "].*/\1/p' src/cli/main.c | sort -u | tr '\n' '|')
cmds=${cmds%|}
if [ -z "$cmds" ]; then
	echo "engine-words: no command found in src/cli/main.c"; exit 1
fi
if grep -rnE '"[^"]*--[a-z]' $dirs; then
	echo "not ok: engine strings above name a command-line option (write {name})"; bad=1
fi
if grep -rnE "\"[^\"]*ballot ($cmds)([^a-z-]|\$)" $dirs; then
	echo "not ok: engine strings above name a command (write {cmd:X})"; bad=1
fi
if grep -rnE '(^|[^_a-z])bt_fail\(' $dirs --include='*.c' | grep -v '^src/base/err.c:'; then
	echo "not ok: the engine reports failures with bt_failf (a reason, a field)"; bad=1
fi
n=$(grep -rnE '(^|[^_a-z])bt_failf\(' $dirs --include='*.c' | grep -vc '^src/base/err.c:')
echo "engine-words: $n bt_failf calls; $(echo "$cmds" | tr '|' '\n' | wc -l) commands looked for"
[ "$bad" -eq 0 ]
