# shellcheck shell=bash
# dovecot-lib.sh - a Dovecot of our own on loopback, for the mailroom's
# tests and bench (76-mail-imap.t, tests/bench/mail.sh); sourced by bash.
#   dovecot_start DIR PORT   writes DIR/dovecot.conf, a test CA (DIR/ca.pem),
#                            the server's certificate, a passwd file with the
#                            user "sec" (password "s3cret") and its Maildir
#                            DIR/Maildir; starts `dovecot -F` listening for
#                            IMAPS on 127.0.0.1:PORT (Dovecot runs neither
#                            logins nor mail as root: as the dovecot users
#                            when run as root); sets DOVECOT (its pid) and
#                            returns once it greets over TLS with that
#                            certificate (1 if it never does); PORT "-": a
#                            free port (free_port of portal-lib.sh), another
#                            one when that is taken before Dovecot binds it
#                            (up to 3 tries); sets DOVECOT_PORT
#   dovecot_stop             stops it
# The parent of DIR must be reachable by the dovecot user (chmod o+x).
DOVECOT=
dovecot_start() {
	local D=$1 port=$2 try
	[ "$port" = - ] || { _dovecot_start "$D" "$port"; return; }
	for try in 1 2 3; do
		port=$(free_port) || return 1
		_dovecot_start "$D" "$port" && return 0
		dovecot_stop
		# only a port lost to another process between free_port and the bind
		grep -qs 'Address already in use' "$D/log" "$D/stderr" || return 1
	done
	return 1
}
_dovecot_start() { # _dovecot_start DIR PORT
	local D=$1 port=$2 mailuser users i
	DOVECOT_PORT=$port
	mkdir -p "$D/run" "$D/Maildir/new" "$D/Maildir/cur" "$D/Maildir/tmp" "$D/home"
	printf 'cn = test CA\nca\ncert_signing_key\nexpiration_days = 30\n' >"$D/ca.tmpl"
	printf 'cn = localhost\ndns_name = localhost\nip_address = 127.0.0.1\ntls_www_server\nencryption_key\nsigning_key\nexpiration_days = 30\n' >"$D/srv.tmpl"
	certtool --generate-privkey --key-type ecdsa --outfile "$D/ca.key" 2>/dev/null &&
		certtool --generate-self-signed --load-privkey "$D/ca.key" --template "$D/ca.tmpl" --outfile "$D/ca.pem" 2>/dev/null &&
		certtool --generate-privkey --key-type ecdsa --outfile "$D/srv.key" 2>/dev/null &&
		certtool --generate-certificate --load-privkey "$D/srv.key" --load-ca-certificate "$D/ca.pem" \
			--load-ca-privkey "$D/ca.key" --template "$D/srv.tmpl" --outfile "$D/srv.pem" 2>/dev/null || return 1
	echo 'sec:{PLAIN}s3cret::::::' >"$D/passwd"
	if [ "$(id -u)" = 0 ]; then
		mailuser=dovecot
		users="default_internal_user = dovecot
default_login_user = dovenull"
	else
		mailuser=$(id -un)
		users="default_internal_user = $mailuser
default_login_user = $mailuser"
	fi
	cat >"$D/dovecot.conf" <<CONF
base_dir = $D/run
state_dir = $D/run
log_path = $D/log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <$D/srv.pem
ssl_key = <$D/srv.key
$users
first_valid_uid = 1
auth_mechanisms = plain
passdb {
  driver = passwd-file
  args = $D/passwd
}
userdb {
  driver = static
  args = uid=$mailuser gid=$mailuser home=$D/home
}
mail_location = maildir:$D/Maildir
service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    port = $port
    ssl = yes
  }
  chroot =
}
service anvil {
  chroot =
}
CONF
	chown -R "$mailuser" "$D/Maildir" "$D/home"
	dovecot -F -c "$D/dovecot.conf" 2>>"$D/stderr" &
	DOVECOT=$!
	local end=$((SECONDS + 60)) # it starts in a second or two; a loaded machine is slower
	while [ "$SECONDS" -lt "$end" ]; do
		# its greeting over TLS with its certificate: not another process
		# that took the port first
		/usr/bin/python3 - "$port" "$D/ca.pem" 2>/dev/null <<'PY' && return 0
import socket, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[2])
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), 2) as s:
    with ctx.wrap_socket(s, server_hostname="localhost") as t:
        t.settimeout(2)
        sys.exit(0 if t.recv(100).startswith(b"* OK") else 1)
PY
		kill -0 "$DOVECOT" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
dovecot_stop() { [ -n "$DOVECOT" ] && kill "$DOVECOT" 2>/dev/null && wait "$DOVECOT" 2>/dev/null; DOVECOT=; }
