#!/usr/bin/env bash
# sqlite-alloc.t - the Nth allocation by SQLite fails (its allocator replaced
# through sqlite3_config(SQLITE_CONFIG_MALLOC) by the hook), for every write
# command; the same checks as alloc.t (tests/faults/lib-faults.sh).
FAULTS=$(cd "$(dirname "$0")" && pwd)
. "$FAULTS/../e2e/lib.sh"
. "$FAULTS/lib-faults.sh"
fault_suite sqlite-alloc
done_testing
