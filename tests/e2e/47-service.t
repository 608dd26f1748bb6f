#!/usr/bin/env bash
# 47-service.t - debian/ballot.service (README, "Deploy"): systemd-analyze
# verify passes on it (its binary path pointed at the ballot under test and the
# man page it names made findable, since neither is installed here); it runs
# `ballot serve` as user ballot on /var/lib/ballot with the certificates of
# /etc/ballot/tls, and carries each sandboxing line the issue asks for; the
# exposure `systemd-analyze security --offline` computes is printed, and must
# stay "OK" (below 2.0) - a sandboxing line dropped raises it. The unit's serve
# options are ones `ballot serve --help` lists. Installing the package and
# running the service's command line is check-deb's job (tests/deb/).
. "$(dirname "$0")/lib.sh"

command -v systemd-analyze >/dev/null 2>&1 ||
	{ echo "Bail out! systemd-analyze is not installed (make deps: systemd)"; exit 1; }
U=$REPO/debian/ballot.service
[ -f "$U" ] || { echo "Bail out! no $U"; exit 1; }

mkdir -p "$T/man/man1" "$T/unit"
scdoc <"$REPO/doc/ballot.1.scd" >"$T/man/man1/ballot.1" || fail "scdoc renders the man page"
sed "s|/usr/bin/ballot|$BALLOT_BIN|g" "$U" >"$T/unit/ballot.service"
run env MANPATH="$T/man" systemd-analyze verify "$T/unit/ballot.service"
is "$RC" 0 "systemd-analyze verify ballot.service"
is "$OUT$ERR" "" "systemd-analyze verify: nothing to say"

for line in 'User=ballot' 'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' 'NoNewPrivileges=yes' \
	'ReadWritePaths=/var/lib/ballot' 'CapabilityBoundingSet=' 'SystemCallFilter=@system-service' \
	'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' 'StateDirectory=ballot' \
	'ExecReload=/bin/kill -HUP $MAINPID'; do
	ok "the unit has $line" grep -qxF "$line" "$U"
done
exec_start=$(sed -n '/^ExecStart=/,/[^\\]$/p' "$U" | sed 's/^ExecStart=//; s/\\$//' | tr -d '\n\t')
like "$exec_start" "^/usr/bin/ballot --db /var/lib/ballot/ballot.db serve " "it runs ballot serve on /var/lib/ballot"
like "$exec_start" "--cert /etc/ballot/tls/server.pem --key /etc/ballot/tls/server-key.pem" \
	"with the certificate and key of /etc/ballot/tls"
help=$("$BALLOT_BIN" serve --help 2>&1)
bad=""
for o in $(grep -o -- '--[a-z][a-z-]*' <<<"${exec_start#*serve }"); do
	grep -q -- "$o" <<<"$help" || bad="$bad $o"
done
is "$bad" "" "its serve options are ones ballot serve --help lists"

run systemd-analyze security --offline=yes --no-pager "$T/unit/ballot.service"
level=$(grep -o 'Overall exposure level for [^:]*: [0-9.]*' <<<"$OUT$ERR" | awk '{ print $NF }')
diag "systemd-analyze security ballot.service: exposure ${level:-?} (0 = locked down, 10 = exposed)"
grep '^✗' <<<"$OUT" | sed 's/  */ /g' | while read -r l; do diag "  $l"; done
ok "exposure $level is below 2.0 (OK)" awk -v l="${level:-10}" 'BEGIN { exit !(l < 2.0) }'
done_testing
