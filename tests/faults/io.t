#!/usr/bin/env bash
# io.t - the Nth read, write or sync of any SQLite file fails (a shim VFS over
# the default unix VFS, registered as the default by the hook), for every
# write command; the same checks as alloc.t (tests/faults/lib-faults.sh).
FAULTS=$(cd "$(dirname "$0")" && pwd)
. "$FAULTS/../e2e/lib.sh"
. "$FAULTS/lib-faults.sh"
fault_suite read write sync
done_testing
