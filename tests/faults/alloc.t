#!/usr/bin/env bash
# alloc.t - the Nth allocation by ballot's own code fails (malloc, calloc,
# realloc, strdup, strndup, realpath), for every write command: a one-line
# error, no crash, no leak (ASan), `ballot check` clean, nothing half done
# (tests/faults/lib-faults.sh; BALLOT_BIN is build-faults/ballot).
FAULTS=$(cd "$(dirname "$0")" && pwd)
. "$FAULTS/../e2e/lib.sh"
. "$FAULTS/lib-faults.sh"
fault_suite alloc
done_testing
