#!/bin/sh
# Runs each cmocka unit test binary given; fails when any fails.
status=0
for t in "$@"; do
	echo "# $t"
	"$t" || status=1
done
exit $status
