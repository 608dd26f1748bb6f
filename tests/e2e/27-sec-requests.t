#!/usr/bin/env bash
# 27-sec-requests.t - the portal's request parsing under hostile input (issue
# 14): bodies, headers and paths that libmicrohttpd passes on in ways a polite
# browser never does. Each case once crashed or misled the server; after each
# the same server must still answer. Then the low findings of issue 14 (9):
# the database files' modes and a readable database refused; attachment types
# by their first bytes; a NUL in a form value; TLS 1.2 without CBC suites;
# client certificates only for client authentication; one answer for a
# missing circular and one a certificate may not see; access-log lines whose
# client-given fields cannot break the line.
# The server runs on the real clock (BALLOT_NOW unset for it).
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl gnutls-cli certtool sqlite3 perl timeout

trap 'serve_stop; _cleanup' EXIT
umask 022 # the usual umask: the database must be 0600 whatever it is
unset BALLOT_NOW
ballot init >/dev/null
open_now 205
expect_exit 0 ballot draft add --circular 205 --rec Q.5051 --title "Framework" --summary "A summary."
printf 'CHN\nDEU\n' >"$T/electorate.txt"
open_now 400 --electorate "$T/electorate.txt"
CODE=$(new_code 205 CHN)
like "$CODE" '^[0-9A-Z-]{29}$' "a reply code for CHN"
dev_certs
expect_exit 0 ballot certs issue --member FRA --ca "$T/ca"
FRA=(--cert "$T/ca/client-FRA.pem" --key "$T/ca/client-FRA-key.pem")
serve_start "$T/serve.log" --client-ca "$CA_PEM" || {
	echo "Bail out! ballot serve did not start"
	exit 1
}
pass "listening on 127.0.0.1:$PORT"

alive() { # alive DESC: the same server process still answers a GET
	get - /signin
	if kill -0 "$SRV_PID" 2>/dev/null && [ "$ST" = 200 ]; then pass "$1"; else
		fail "$1"
		diag "server gone or not answering (GET /signin: $ST)" "$(tail -n 5 "$T/serve.log")"
	fi
}

# --- finding 1: a multipart part without a name --------------------------------
# libmicrohttpd calls the body iterator with key NULL; the server used to die
# (SIGSEGV in strlen) on the first such request, six runs out of six.
crlf() { perl -pe 's/\n/\r\n/'; }
printf -- '--XX\nContent-Disposition: form-data\n\nvalue\n--XX--\n' | crlf >"$T/noname.body"
printf -- '--XX\nContent-Type: text/plain\n\nvalue\n--XX--\n' | crlf >"$T/nocd.body"
printf -- '--XX\nContent-Disposition: form-data; filename="a.pdf"\nContent-Type: application/pdf\n\n%%PDF-1.4\n--XX--\n' |
	crlf >"$T/nonamefile.body"
printf -- '--XX\nContent-Disposition: form-data; name="kind"\n\nmember\n--XX\nContent-Disposition: form-data\n\nx\n--XX--\n' |
	crlf >"$T/second.body"
for b in noname nocd nonamefile second; do
	for i in 1 2 3; do
		get - /signin >/dev/null
		post pre /signin -H 'Content-Type: multipart/form-data; boundary=XX' --data-binary "@$T/$b.body"
		[ "$i" = 1 ] && is "$ST" 400 "POST /signin, multipart part without a name ($b): 400"
	done
	[ "$b" = noname ] && like "$BODY" "a form part has no name" "  ... the page says the part has no name"
	alive "  ... after three of them ($b) the server still answers"
done
# the same signed in would reach the same iterator: the crash was before any
# session check, so the sign-in form is where it mattered

# --- 9a: the database files are the owner's only ---------------------------------
# They hold the hashes of passwords and codes and every attachment. With umask
# 022 they used to be created 0644, and SQLite gives -wal and -shm the
# database's mode. The server holds all three open now.
get fra /member "${FRA[@]}"
is "$ST" 200 "FRA's registered certificate signs in (the server's connections are open)"
for f in "$BALLOT_DB" "$BALLOT_DB-wal" "$BALLOT_DB-shm"; do
	is "$(stat -c %a "$f" 2>&1)" 600 "${f#"$T"/} is mode 0600 (umask 022)"
done

# --- 9c: a NUL byte in a form value ------------------------------------------------
# "code=CODE%00junk" signed in: the value was read as a C string, cut at the NUL.
nul_signin() { # nul_signin JAR BODY-FILE CONTENT-TYPE
	get "$1" /signin
	local tok
	tok=$(csrf_of)
	sed "s/CSRF/$tok/" "$2" >"$2.sent"
	post "$1" /signin -H "Content-Type: $3" --data-binary "@$2.sent"
}
printf 'kind=member&csrf=CSRF&member=CHN&code=%s%%00junk' "$CODE" >"$T/nul.url"
nul_signin nul1 "$T/nul.url" application/x-www-form-urlencoded
is "$ST" 400 "urlencoded sign-in with code=CODE%00junk: 400"
like "$BODY" 'code: has a NUL byte' "  ... naming the field"
is "$(cookies_set __Host-session)" "" "  ... and no session"
{
	printf -- '--XX\r\nContent-Disposition: form-data; name="kind"\r\n\r\nmember\r\n'
	printf -- '--XX\r\nContent-Disposition: form-data; name="csrf"\r\n\r\nCSRF\r\n'
	printf -- '--XX\r\nContent-Disposition: form-data; name="member"\r\n\r\nCHN\r\n'
	printf -- '--XX\r\nContent-Disposition: form-data; name="code"\r\n\r\n%s\0junk\r\n--XX--\r\n' "$CODE"
} >"$T/nul.multi"
nul_signin nul2 "$T/nul.multi" 'multipart/form-data; boundary=XX'
is "$ST" 400 "multipart sign-in with a NUL byte and more after the code: 400"
like "$BODY" 'code: has a NUL byte' "  ... naming the field"
is "$(cookies_set __Host-session)" "" "  ... and no session"
printf 'kind=member&csrf=CSRF&member=CHN&code=%s' "$CODE" >"$T/good.url"
nul_signin chn "$T/good.url" application/x-www-form-urlencoded
is "$ST" 303 "control: the same code without the NUL signs in (303)"

# --- 9b: attachment types by their first bytes -------------------------------------
# .doc, .rtf and .tif were taken by their extension alone: an ELF file was
# accepted as comments.doc.
get chn /member/c/205
CSRF=$(csrf_of)
printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000 not a document\n' >"$T/elf.doc"
printf '\320\317\021\340\241\261\032\341\000\000\000\000 an OLE2 compound file\n' >"$T/word.doc"
printf '{\\rtf1\\ansi Comments of China.}\n' >"$T/comments.rtf"
printf '\177ELF\002\001\001\000 not rich text\n' >"$T/elf.rtf"
printf 'II*\000\010\000\000\000 little-endian TIFF\n' >"$T/scan.tif"
printf 'MM\000*\000\000\000\010 big-endian TIFF\n' >"$T/scan.tiff"
printf 'GIF89a not a TIFF\n' >"$T/gif.tif"
upload() { # upload FILE: a reply with FILE as the comments
	reply_post chn /member/c/205/reply -F "csrf=$CSRF" -F choice-1=authorize-with-comments -F "file-1=@$1" -F signatory=A.
}
for f in elf.doc elf.rtf gif.tif; do
	sum=$(db_sum)
	upload "$T/$f"
	is "$ST" 415 "an upload $f whose first bytes are not of its type: 415"
	like "$BODY" "file-1: .*$f.* is not a \\.${f#*.} file" "  ... the page names the field, the file and its type"
	is "$(db_sum)" "$sum" "  ... nothing recorded"
done
sum=$(db_sum)
for f in word.doc comments.rtf scan.tif scan.tiff; do
	upload "$T/$f"
	is "$ST" 200 "an upload $f with its type's first bytes: 200"
done
isnt "$(db_sum)" "$sum" "  ... and recorded"
# the engine refuses the same files from the command line (one function)
sum=$(db_sum)
run ballot reply --circular 205 --member DEU --authorize --comments "$T/elf.doc" --channel email
is "$RC" 2 "ballot reply --comments elf.doc: exit 2"
like "$ERR" "^ballot: attachment: 'elf\\.doc' is not what its name says" "  ... one line naming the file"
is "$(db_sum)" "$sum" "  ... nothing recorded"
expect_exit 0 ballot reply --circular 205 --member DEU --authorize --comments "$T/word.doc" --channel email

# --- 9e: a client certificate only for client authentication ------------------------
# The server's certificate (purpose TLS WWW server) and the CA's (no purpose)
# verified as client certificates, and so would any certificate of the CA
# without an extended key usage (GnuTLS takes it as good for any purpose).
# Registered here by SQL, as no command registers such a certificate, so that
# only the purpose can refuse them.
printf 'cn = no purpose\nsigning_key\nexpiration_days = 30\n' >"$T/nokp.tmpl"
certtool --generate-privkey --key-type ecdsa --outfile "$T/ca/nokp-key.pem" >/dev/null 2>&1
certtool --generate-certificate --load-privkey "$T/ca/nokp-key.pem" --load-ca-certificate "$CA_PEM" \
	--load-ca-privkey "$T/ca/ca-key.pem" --template "$T/nokp.tmpl" --outfile "$T/ca/nokp.pem" >/dev/null 2>&1
unlike "$(certtool -i --infile "$T/ca/nokp.pem" 2>/dev/null)" 'Key Purpose|Certificate Authority \(CA\): TRUE' \
	"a certificate of the CA with no extended key usage, not a CA's"
der_sha() { certtool -i --infile "$1" --outder 2>/dev/null | sha256sum | cut -c1-64; }
sqlite3 "$BALLOT_DB" "INSERT INTO client_certs(fingerprint, member, not_after, registered_at, event_seq)
	VALUES ('$(der_sha "$SRV_CERT")', 'CHE', 4102444800, 0, 900001),
	       ('$(der_sha "$CA_PEM")', 'ITA', 4102444800, 0, 900002),
	       ('$(der_sha "$T/ca/nokp.pem")', 'GBR', 4102444800, 0, 900003)"
for c in server ca nokp; do
	key=$T/ca/$c-key.pem
	get - /member --cert "$T/ca/$c.pem" --key "$key"
	is "$ST" 403 "the $c certificate (registered) presented as a client's: 403"
	like "$BODY" 'not for client authentication' "  ... the page says why"
done
get - /member "${FRA[@]}"
is "$ST" 200 "control: FRA's client certificate still signs in"
# no command registers them either (another CA's, so that nothing here changes)
expect_exit 0 ballot tls dev-certs --out "$T/ca2"
for c in server ca; do
	sum=$(db_sum)
	run ballot users add --name "srv-$c" --role secretariat --cert "$T/ca2/$c.pem"
	is "$RC" 2 "users add --cert $c.pem (no client purpose): exit 2"
	like "$ERR" "^ballot: --cert: .*$c\\.pem.* is not a client certificate" "  ... naming --cert and the file"
	is "$(db_sum)" "$sum" "  ... nothing registered"
done
like "$(certtool -i --infile "$T/ca/client-FRA.pem" 2>/dev/null)" "TLS WWW Client" \
	"certs issue writes the TLS WWW client purpose"

# --- 9g: one answer for a missing circular and one it may not see ------------------
# A certificate session got 404 for a circular that does not exist and 403
# for one outside its electorate: it could list every circular.
get fra /member/c/400 "${FRA[@]}"
is "$ST" 403 "FRA (certificate) asks for 400, outside its electorate: 403"
norm_page >"$T/scope-400"
get fra /member/c/NO-SUCH-9 "${FRA[@]}"
is "$ST" 403 "FRA (certificate) asks for a circular that does not exist: 403 too"
norm_page >"$T/scope-none"
ok "  ... the same page for both" diff "$T/scope-400" "$T/scope-none"
get fra /member "${FRA[@]}"
reply_post fra /member/c/NO-SUCH-9/reply "${FRA[@]}" -F "csrf=$(csrf_of)" -F choice-1=authorize
is "$ST" 403 "  ... and a reply to it: 403"

# --- 9d: TLS 1.2 with AEAD ciphers only ----------------------------------------------
tls() { # tls PRIORITY: one request with only the suites PRIORITY allows
	printf 'GET /signin HTTP/1.0\r\nHost: localhost\r\n\r\n' |
		timeout 20 gnutls-cli --priority "$1" --x509cafile "$CA_PEM" -p "$PORT" localhost >"$T/tls.out" 2>&1
}
CBC="NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-CBC:+AES-256-CBC:-MAC-ALL:+SHA1:+SHA256:+SHA384"
nok "TLS 1.2 offering only CBC suites (SHA-1, SHA-256 MACs): refused" tls "$CBC"
like "$(cat "$T/tls.out")" '^\*\*\* (Fatal error|handshake has failed)' "  ... connected, then refused in the TLS handshake"
unlike "$(cat "$T/tls.out")" '^HTTP/' "  ... no HTTP answer"
for c in AES-128-GCM AES-256-GCM CHACHA20-POLY1305; do
	tls "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+$c"
	like "$(cat "$T/tls.out")" '^HTTP/1\.[01] 200' "TLS 1.2 with $c: an answer"
done
tls "NORMAL:-VERS-ALL:+VERS-TLS1.3"
like "$(cat "$T/tls.out")" '^HTTP/1\.[01] 200' "TLS 1.3: an answer"

# --- 9h: access-log fields a client controls ------------------------------------------
# The path went into the line as it came (after libmicrohttpd decoded it):
# spaces split it into several fields; quotes and other bytes went in raw.
get - '/a%20b%22c%C3%A9%09%5Cd%25'
is "$ST" 404 "GET a path with a space, a quote, é, a tab, a backslash and a %: 404"
get - /signin -X 'G"ET'
serve_stop
is "$SRV_RC" 0 "the server stops cleanly on SIGTERM (exit 0)"
LINE=$(grep -a '^[^ ]* 127\.0\.0\.1 GET /a' "$T/serve.log" | tail -n 1)
like "$LINE" ' 404 -$' "the access log has the line, status 404 (no reason phrase)"
is "$LINE" "$(printf '%s' "$LINE" | LC_ALL=C tr -cd '\040-\176')" "the line is printable ASCII"
is "$(printf '%s' "$LINE" | awk '{ print NF }')" 6 "  ... six space-separated fields (time address method path status who)"
is "$(printf '%s' "$LINE" | awk '{ print $4 }')" '/a%20b%22c%C3%A9%09%5Cd%25' "  ... the path percent-encoded"
like "$(cat "$T/serve.log")" '^[^ ]+ 127\.0\.0\.1 G%22ET /signin 405 -$' "  ... and so is a method with a quote"

# --- 9d: no static RSA key exchange ------------------------------------------------
# With an RSA certificate TLS 1.2 could also agree on plain RSA key transport
# (no forward secrecy); only ECDHE or DHE may sign with it. (The dev
# certificates are ECDSA, with which static RSA cannot happen at all.)
printf 'cn = localhost\ndns_name = localhost\ntls_www_server\nsigning_key\nencryption_key\nexpiration_days = 30\n' >"$T/rsa.tmpl"
certtool --generate-privkey --key-type rsa --bits 2048 --outfile "$T/rsa-key.pem" >/dev/null 2>&1
certtool --generate-self-signed --load-privkey "$T/rsa-key.pem" --template "$T/rsa.tmpl" \
	--outfile "$T/rsa.pem" >/dev/null 2>&1
rsa_tls() { # rsa_tls PRIORITY: one request to the server with the RSA certificate
	printf 'GET /signin HTTP/1.0\r\nHost: localhost\r\n\r\n' |
		timeout 20 gnutls-cli --priority "$1" --x509cafile "$T/rsa.pem" -p "$PORT" localhost >"$T/tls.out" 2>&1
}
ECDSA_CERT=$SRV_CERT ECDSA_KEY=$SRV_KEY
SRV_CERT=$T/rsa.pem SRV_KEY=$T/rsa-key.pem
serve_start "$T/serve-rsa.log" || {
	echo "Bail out! ballot serve did not start with an RSA certificate"
	exit 1
}
rsa_tls "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+ECDHE-RSA"
like "$(cat "$T/tls.out")" '^HTTP/1\.[01] 200' "an RSA certificate, TLS 1.2 with ECDHE-RSA: an answer"
nok "  ... a client offering only static RSA key exchange (no forward secrecy): refused" \
	rsa_tls "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+RSA"
like "$(cat "$T/tls.out")" '^\*\*\* (Fatal error|handshake has failed)' "  ... connected, then refused in the TLS handshake"
unlike "$(cat "$T/tls.out")" '^HTTP/' "  ... no HTTP answer"
serve_stop
is "$SRV_RC" 0 "  ... the server stops cleanly"
SRV_CERT=$ECDSA_CERT SRV_KEY=$ECDSA_KEY

# --- 9a: a database others can read is not served ------------------------------------
serve_refused() { # serve_refused DESC ERE: exit 2 before listening, one line matching ERE
	run timeout 60 "$BALLOT_BIN" serve --listen "127.0.0.1:$(free_port)" --cert "$SRV_CERT" --key "$SRV_KEY"
	is "$RC" 2 "$1: exit 2"
	is "$(printf '%s\n' "$ERR" | grep -c '')" 1 "  ... one line"
	like "$ERR" "$2" "  ... $2"
}
chmod 644 "$BALLOT_DB"
serve_refused "serve with the database mode 0644" "^ballot: --db: '$BALLOT_DB' can be read by others \\(mode 0644\\)"
chmod 600 "$BALLOT_DB"
# not empty: SQLite itself gives an empty one the database's mode
printf 'x' >"$BALLOT_DB-shm"
chmod 640 "$BALLOT_DB-shm"
serve_refused "serve with a -shm file of mode 0640 beside it" "^ballot: --db: '$BALLOT_DB-shm' can be read by others \\(mode 0640\\)"
rm -f "$BALLOT_DB-shm" "$BALLOT_DB-wal"

unlike "$(cat "$T/serve.log")" "runtime error|AddressSanitizer|Segmentation" "no sanitizer report in the server's log"
done_testing
