#!/bin/sh
# Installs the Debian packages ballot needs to build and test, when missing.
# As root it runs apt-get; otherwise it prints the exact command and fails.
PKGS="gcc make pkg-config libsqlite3-dev libgnutls28-dev libcmocka-dev perl sqlite3 valgrind
      libhpdf-dev libfribidi-dev libharfbuzz-dev libqrencode-dev libmicrohttpd-dev iso-codes
      fonts-liberation2 fonts-arphic-uming fonts-droid-fallback fonts-hosny-amiri fonts-kacst fonts-dejavu-extra fonts-dejavu-core fonts-urw-base35
      poppler-utils poppler-data qpdf libqpdf-dev mupdf-tools python3-pypdf imagemagick libnss3-tools zbar-tools gnutls-bin
      curl chromium nodejs devscripts scdoc
      debhelper dpkg-dev fakeroot lintian mmdebstrap systemd
      libgmime-3.0-dev libcurl4-gnutls-dev libidn2-dev python3-aiosmtpd dovecot-imapd
      libzbar-dev libpoppler-glib-dev libpng-dev libtiff-dev libjpeg-dev zlib1g-dev"
# The portal's browser test runs npm: Debian's package, unless the nodejs installed
# (NodeSource's) brings its own npm, which conflicts with Debian's.
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "deps: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null && apt-get install -y -qq $missing >/dev/null ||
		{ echo "deps: apt-get install$missing failed" >&2; exit 1; }
else
	echo "deps: missing packages; run: sudo apt-get install -y$missing" >&2
	exit 1
fi
