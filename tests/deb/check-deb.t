#!/usr/bin/env bash
# check-deb.t - `make check-deb` (README, "Install"): the package `make deb`
# built, installed with `apt-get install ./ballot_*.deb` in a clean Debian 12
# root made by mmdebstrap from Debian's packages (no checkout, no build tools:
# apt brings the dependencies the package declares), then used there as a
# secretariat would: init, a consultation, a draft, a reply, forms and a report
# in six languages, as the user ballot on /var/lib/ballot; the service's own
# command line (ExecStart of ballot.service) serves HTTPS with certificates in
# /etc/ballot/tls; `apt-get purge` leaves none of the package's files, and
# neither /var/lib/ballot nor /etc/ballot. Needs root and the network.
# The base root is made once and cached as a tarball ($CHECK_DEB_CACHE,
# default /var/cache/ballot; delete it to make a fresh one); apt's downloads
# are cached there too. Prints how long each phase takes.
. "$(dirname "$0")/../e2e/lib.sh"
. "$E2E/portal-lib.sh"

[ "$(id -u)" = 0 ] || { echo "Bail out! check-deb needs root (chroot, mount)"; exit 1; }
for tool in mmdebstrap chroot mount findmnt pdftotext curl; do
	command -v "$tool" >/dev/null 2>&1 || { echo "Bail out! $tool is not installed (make deps)"; exit 1; }
done
# shellcheck disable=SC2012
DEB=$(ls "$REPO"/build/deb/ballot_*.deb 2>/dev/null | head -1)
[ -f "$DEB" ] || { echo "Bail out! no build/deb/ballot_*.deb (make deb)"; exit 1; }
diag "package: ${DEB#"$REPO"/}"
t0=$(date +%s)
since() { echo $(($(date +%s) - $1)); }

CACHE=${CHECK_DEB_CACHE:-/var/cache/ballot}
BASE=$CACHE/bookworm-apt.tar
mkdir -p "$CACHE/archives/partial"
# APT::Sandbox::User root: apt's download sandbox user cannot always write
# /dev/null in a container (its mode there is not always 666).
APTOPT=APT::Sandbox::User=root
if [ ! -s "$BASE" ]; then
	s=$(date +%s)
	rm -rf "$BASE.new.tar"
	ok "mmdebstrap: a Debian 12 base root (apt variant)" mmdebstrap --quiet --variant=apt --mode=root \
		--format=tar --aptopt='APT::Sandbox::User "root"' bookworm "$BASE.new.tar" http://deb.debian.org/debian
	mv "$BASE.new.tar" "$BASE"
	diag "base root made in $(since "$s") s, cached in $BASE"
else
	diag "base root from the cache: $BASE ($(date -r "$BASE" -u +%Y-%m-%d)); delete it for a fresh one"
fi

# The root, outside $T's removal until everything mounted in it is unmounted.
R=$(mktemp -d "${TMPDIR:-/tmp}/ballot-check-deb.XXXXXX")
umount_all() {
	local m
	for m in var/cache/apt/archives proc dev; do
		mountpoint -q "$R/$m" 2>/dev/null && umount -l "$R/$m"
	done
	if findmnt -rn -o TARGET | grep -q "^$R/"; then
		echo "# check-deb: still mounted under $R, left in place"
	else
		rm -rf --one-file-system "$R"
	fi
}
trap 'umount_all; _cleanup' EXIT
s=$(date +%s)
tar -xf "$BASE" -C "$R"
mount -t proc proc "$R/proc"
mount --bind /dev "$R/dev"
mount --bind "$CACHE/archives" "$R/var/cache/apt/archives"
cp /etc/resolv.conf "$R/etc/resolv.conf"
c() { chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 \
	DEBIAN_FRONTEND=noninteractive "$@"; }
nok "the clean root has no ballot, no compiler" sh -c "test -e '$R/usr/bin/ballot' || test -e '$R/usr/bin/gcc'"
ok "apt-get update in the root" c apt-get -o "$APTOPT" -qq update
diag "root ready in $(since "$s") s"

s=$(date +%s)
cp "$DEB" "$R/tmp/"
ok "apt-get install ./$(basename "$DEB")" c sh -c "cd /tmp && apt-get -o $APTOPT -y -qq install ./$(basename "$DEB") >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; exit 1; }"
diag "installed with its dependencies in $(since "$s") s"
like "$(c dpkg-query -W -f='${Status} ${Version}' ballot)" "^install ok installed " "dpkg: ballot installed"
like "$(c dpkg-query -W -f='${Depends}' ballot)" "fonts-arphic-uming.*fonts-droid-fallback.*fonts-hosny-amiri" "Depends: the fonts (and shlibs)"
like "$(c dpkg-query -W -f='${Depends}' ballot)" "libmicrohttpd12" "Depends: the shared libraries (\${shlibs:Depends})"
ok "user ballot created" c getent passwd ballot
is "$(c stat -c '%U:%G %a' /var/lib/ballot)" "ballot:ballot 750" "/var/lib/ballot: ballot's, 750"
is "$(c stat -c '%U:%G %a' /etc/ballot/tls)" "root:ballot 750" "/etc/ballot/tls: root:ballot, 750"
for f in /usr/bin/ballot /usr/share/ballot/forms/fonts.tsv \
	/usr/share/man/man1/ballot.1.gz /usr/share/bash-completion/completions/ballot \
	/lib/systemd/system/ballot.service /usr/share/doc/ballot/copyright; do
	ok "installed: $f" test -e "$R$f"
done
nok "the service is not enabled by the package" test -e "$R/etc/systemd/system/multi-user.target.wants/ballot.service"
like "$(c ballot --version)" "^ballot " "ballot --version runs"

# As the secretariat would, as the user ballot, on /var/lib/ballot.
as_ballot() { c setpriv --reuid=ballot --regid=ballot --init-groups env BALLOT_DB=/var/lib/ballot/ballot.db "$@"; }
ok "init" as_ballot BALLOT_NOW=2019-12-04T09:00:00Z ballot init
ok "consultation create" as_ballot BALLOT_NOW=2019-12-04T09:00:00Z ballot consultation create --circular 205 \
	--group 11 --date 2019-12-04 --meeting-start 2020-03-04 --meeting-end 2020-03-13
ok "draft add" as_ballot BALLOT_NOW=2019-12-04T09:05:00Z ballot draft add --circular 205 --rec Q.5051 \
	--title "Framework for combating the use of stolen mobile devices" --summary "A framework against theft"
ok "reply" as_ballot BALLOT_NOW=2020-02-14T09:00:00Z ballot reply --circular 205 --member CHE --authorize \
	--channel email
ok "forms, six languages" as_ballot BALLOT_NOW=2020-02-14T09:00:00Z ballot forms --circular 205 --member CHE \
	--lang all --out /var/lib/ballot/forms --jobs 2
is_num "$(find "$R/var/lib/ballot/forms/205" -name CHE.pdf | wc -l)" 6 "six forms written"
like "$(pdftotext "$R/var/lib/ballot/forms/205/fr/CHE.pdf" - 2>/dev/null)" "Suisse" "the French form names Switzerland"
ok "report, six languages" as_ballot BALLOT_NOW=2020-02-24T09:00:00Z ballot report --circular 205 --lang all \
	--dir /var/lib/ballot/reports
like "$(pdftotext "$R/var/lib/ballot/reports/205-zh.pdf" - 2>/dev/null)" "Q\.5051" "the Chinese report names the draft"
ok "audit verify" as_ballot ballot audit verify

# The service's command line, as ballot.service runs it (port changed).
ok "tls dev-certs into /etc/ballot/tls" c ballot tls dev-certs --out /etc/ballot/tls
c chgrp ballot /etc/ballot/tls/server-key.pem
c chmod 640 /etc/ballot/tls/server-key.pem
exec_start=$(sed -n '/^ExecStart=/,/[^\\]$/p' "$R/lib/systemd/system/ballot.service" | sed 's/^ExecStart=//; s/\\$//' | tr -d '\n\t')
like "$exec_start" "^/usr/bin/ballot --db /var/lib/ballot/ballot.db serve " "ExecStart: ballot serve on /var/lib/ballot"
PORT=$(free_port)
# a simple command in the background: chroot, env and setpriv exec, so $! is ballot itself
# shellcheck disable=SC2086
chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 \
	setpriv --reuid=ballot --regid=ballot --init-groups ${exec_start/0.0.0.0:8443/127.0.0.1:$PORT} \
	2>"$T/serve.log" &
SRV=$!
st=000
for _ in $(seq 50); do
	st=$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$PORT/" 2>/dev/null) && [ "$st" != 000 ] && break
	sleep 0.1
done
like "$st" "^(200|30[0-9])$" "the service's command line serves HTTPS as user ballot (HTTP $st)"
like "$(cat "$T/serve.log")" "GET /" "one access-log line per request on stderr (the journal)"
kill "$SRV" 2>/dev/null; wait "$SRV" 2>/dev/null
nok "the server is stopped" kill -0 "$SRV"

# apt-get purge: nothing of the package left.
c dpkg -L ballot >"$T/files"
s=$(date +%s)
ok "apt-get purge ballot" c apt-get -o "$APTOPT" -y -qq purge ballot
diag "purged in $(since "$s") s"
like "$(c dpkg-query -W -f='${Status}' ballot 2>&1)" "not-installed|no packages found" "dpkg: ballot is gone"
left=""
while read -r f; do
	[ -d "$R$f" ] && continue   # directories shared with other packages
	[ -e "$R$f" ] && left="$left $f"
done <"$T/files"
is "$left" "" "none of the package's files is left"
nok "/var/lib/ballot removed by purge" test -e "$R/var/lib/ballot"
nok "/etc/ballot removed by purge" test -e "$R/etc/ballot"
nok "no /usr/share/ballot left" test -e "$R/usr/share/ballot"
diag "check-deb took $(since "$t0") s in all"
done_testing
