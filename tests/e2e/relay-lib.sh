# shellcheck shell=bash
# relay-lib.sh - the mailroom's SMTP relay on loopback for tests and the
# bench (tests/e2e/smtp-relay.py: Debian's aiosmtpd, STARTTLS and AUTH
# required, each message fsynced before its 250); sourced by bash.
#   relay_start DIR PORT [ARG...]
#                            a test CA and the relay's certificate made with
#                            certtool in DIR (DIR/ca.pem; once, kept for the
#                            next start), a password file DIR/pw (user tsb),
#                            the relay on 127.0.0.1:PORT writing each message
#                            to DIR/mbox/*.eml (RELAY_MBOX=MBOX: to MBOX);
#                            ARGs to smtp-relay.py (--refuse-rcpt SUBSTR,
#                            --hold HOLD); PORT "-": a free port (free_port
#                            of portal-lib.sh), another one when that is
#                            taken before the relay binds it (up to 3 tries);
#                            sets RELAY_PID and RELAY_PORT; 1 when it does
#                            not start
#   relay_conf DIR PORT FILE a configuration file (mode 0600) for
#                            `ballot mail send/run` to that relay
#   relay_stop               stops it
RELAY_PID=
relay_start() {
	local dir=$1 port=$2 try from
	shift 2
	[ "$port" = - ] || { _relay_start "$dir" "$port" "$@"; return; }
	for try in 1 2 3; do
		port=$(free_port) || return 1
		from=$(($(stat -c %s "$dir/relay.log" 2>/dev/null || echo 0) + 1))
		_relay_start "$dir" "$port" "$@" && return 0
		relay_stop
		# only a port lost to another process between free_port and the bind
		tail -c "+$from" "$dir/relay.log" | grep -q 'Errno 98\|Address already in use' || return 1
	done
	return 1
}
_relay_start() { # _relay_start DIR PORT [ARG...]: the relay on PORT
	local dir=$1 port=$2 mbox=${RELAY_MBOX:-$1/mbox} end
	shift 2
	RELAY_PORT=$port
	mkdir -p "$mbox"
	if [ ! -e "$dir/ca.pem" ]; then
		printf 'cn = "ballot mail test CA"\nca\ncert_signing_key\nexpiration_days = 30\n' >"$dir/ca.tmpl"
		printf 'cn = "127.0.0.1"\nip_address = "127.0.0.1"\ndns_name = "localhost"\ntls_www_server\nexpiration_days = 30\n' >"$dir/srv.tmpl"
		certtool --generate-privkey --key-type=ecdsa --outfile "$dir/ca.key" 2>/dev/null &&
			certtool --generate-self-signed --load-privkey "$dir/ca.key" --template "$dir/ca.tmpl" \
				--outfile "$dir/ca.pem" 2>/dev/null &&
			certtool --generate-privkey --key-type=ecdsa --outfile "$dir/srv.key" 2>/dev/null &&
			certtool --generate-certificate --load-privkey "$dir/srv.key" --load-ca-certificate "$dir/ca.pem" \
				--load-ca-privkey "$dir/ca.key" --template "$dir/srv.tmpl" --outfile "$dir/srv.pem" 2>/dev/null ||
			return 1
		printf 's3cret pass\n' >"$dir/pw"
		chmod 600 "$dir/pw"
	fi
	rm -f "$mbox/ready"
	/usr/bin/python3 "$(dirname "${BASH_SOURCE[0]}")/smtp-relay.py" "$port" "$dir/srv.pem" "$dir/srv.key" tsb \
		's3cret pass' "$mbox" "$@" 2>>"$dir/relay.log" &
	RELAY_PID=$!
	end=$((SECONDS + 60)) # it starts in a second; a loaded machine is slower
	while [ "$SECONDS" -lt "$end" ]; do
		[ -e "$mbox/ready" ] && return 0
		kill -0 "$RELAY_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
relay_conf() {
	printf 'mail_relay = smtp://127.0.0.1:%s\nmail_user = tsb\nmail_password_file = %s/pw\nmail_from = tsb-consultations@itu.int\nmail_ca = %s/ca.pem\n' \
		"$2" "$1" "$1" >"$3"
	chmod 600 "$3"
}
relay_stop() { [ -n "$RELAY_PID" ] && kill "$RELAY_PID" 2>/dev/null && wait "$RELAY_PID" 2>/dev/null; RELAY_PID=; }
