#!/usr/bin/env bash
# 14-demo.t - `make demo` (src/demo.sh) runs from start to end and shows what
# it promises: Circular 205 with its deadline, the sample replies in every
# state (on time, superseded, withdrawn, late), the tally and the status.
. "$(dirname "$0")/lib.sh"

run sh -c "cd '$REPO' && sh src/demo.sh '$BALLOT_BIN' '$T/demo.db'"
is "$RC" 0 "the demo script succeeds"
like "$OUT" 'deadline +2020-02-21T23:59:00Z' "it derives the seed's deadline"
like "$OUT" 'SAMPLE' "it labels its replies as sample data"
like "$OUT" '^imported 11 replies' "it imports the sample replies"
like "$OUT" 'late, not counted +1' "the late reply is shown, not counted"
like "$OUT" 'withdrawn +1' "the withdrawal shows"
like "$OUT" 'superseded' "the superseded reply shows in the history"
like "$OUT" '^205 +11 +Q\.5051 +ready-for-approval +proceed' "status shows Q.5051 ready for approval"
like "$OUT" '^event log intact' "the event log verifies"
at 2020-02-24T09:00:00Z
run "$BALLOT_BIN" --db "$T/demo.db" tally --circular 205 --json
is "$(jget '.drafts[0].outcome')" proceed "the demo database's tally proceeds"
is "$(jget '.drafts[0].replies')" 10 "with ten counted replies"
done_testing
