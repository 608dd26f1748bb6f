# shellcheck shell=bash
# portal-lib.sh - helpers of the portal's end-to-end scripts (sourced after
# lib.sh): a `ballot serve` on a free loopback port, HTTPS requests with curl
# keeping the __Host-pre and __Host-session cookies, sign-in, CSRF fields.
#
#   free_port                   prints a TCP port free on 127.0.0.1
#   serve_start LOG ARGS...     starts `ballot serve --listen 127.0.0.1:$PORT
#                               --cert ... --key ... ARGS` (stderr to LOG), waits
#                               until it listens; sets SRV_PID, PORT, URL
#   serve_stop                  SIGTERM, waits; sets SRV_RC (the exit status)
#   get JAR PATH [CURL-ARGS]    a GET; JAR "-": no cookies. Sets ST (HTTP status,
#   post JAR PATH [CURL-ARGS]   000 when none), BODY, HDRS; files $T/.body $T/.hdrs
#                               (a binary answer: its bytes in $T/.body; BODY
#                               the text without NUL bytes)
#   hdr NAME                    the value of response header NAME (first one)
#   cookies_set NAME            every Set-Cookie line for cookie NAME
#   csrf_of [FILE]              the first csrf field of a page ($T/.body)
#   once_of [FILE]              the first once field (single-use form token)
#   once_in ACTION [FILE]       the once field of the form that POSTs to ACTION
#   act_post JAR PAGE ACTION ARGS...  a form's POST as a browser sends it: GET PAGE,
#                               the once token of its form POSTing to ACTION (ACT_ONCE),
#                               the POST with it (ST, BODY, HDRS are the POST's)
#   reply_post JAR PATH ARGS... a reply POST as a browser sends it: GET its form
#                               (PATH without /reply) for a fresh once token, the
#                               POST with it (status POST_ST, Location POST_LOC),
#                               then a 303's page (ST, BODY, HDRS are its)
#   jar_value JAR NAME          a cookie's value in JAR
#   signin JAR MEMBER CODE      GET /signin then POST kind=member; ST is the POST's
#   signin_user JAR USER PASSWORD
#   norm_page [FILE]            a page without its clock (footer time), csrf
#                               tokens and the member field's echoed value
#   receipt_ok FILE SEQ PUBKEY  the signed receipt just downloaded, saved as FILE:
#                               two tests (the bytes of `ballot receipt show --event
#                               SEQ`; `ballot receipt verify` exits 0, its output in OUT)
#   open_now CIRC [ARGS...]     consultation CIRC of study group 11, dated today and
#                               open (its meeting in 90 days), with ARGS (two tests)
#   new_code CIRC MEMBER        prints a new reply code of MEMBER for CIRC
#   dev_certs [ARGS...]         `ballot tls dev-certs --out $T/ca ARGS` (a test); sets
#                               CA_PEM, SRV_CERT, SRV_KEY
#   browser_ready               the browser tests' prerequisites: node, npm, Chromium
#                               ($BALLOT_CHROMIUM, else /usr/bin/chromium) and playwright-core
#                               (npm ci of tests/browser/package-lock.json); sets BROWSER_DIR,
#                               CHROMIUM; one passing test naming their versions, or a
#                               failure (never a skip) and the script ends
#   words LANG KEY              the text of KEY in forms/portal/LANG.txt
#   sentence LANG KEY LABEL-KEY KEY's text with {field} the text of LABEL-KEY
#   plain                       stdin without bidi embeddings and isolates (U+202A-E, U+2066-9)
#   maildir_put DIR TAG         a Maildir DIR for `mail fetch` (the inbox pages' tests):
#                               one message a line of stdin "FROM FILE TYPE", named 1,
#                               2, ... in DIR/new, to tsbsg@itu.int, received on
#                               9 January 2020, Message-ID <TAGN@example.org>, FILE
#                               attached as TYPE (FILE relative to the current folder)
#   secretariat_in PW           the secretariat user tsb with password PW (a test),
#                               dev_certs, the portal started (bails out if it does
#                               not) and tsb signed in (jar tsb)
# Certificates: $SRV_CERT, $SRV_KEY and $CA_PEM (trusted by curl) must be set.

browser_ready() {
	BROWSER_DIR=$REPO/tests/browser
	CHROMIUM=${BALLOT_CHROMIUM:-/usr/bin/chromium}
	local missing=""
	command -v node >/dev/null 2>&1 || missing="$missing node (package nodejs)"
	command -v npm >/dev/null 2>&1 || missing="$missing npm"
	[ -x "$CHROMIUM" ] || missing="$missing $CHROMIUM (package chromium)"
	if [ -n "$missing" ]; then
		fail "browser test prerequisites:$missing are missing; as root run sh tests/deps.sh"
		done_testing
	fi
	if [ ! -d "$BROWSER_DIR/node_modules/playwright-core" ]; then
		# the exact versions of package-lock.json; no install scripts, no browser download
		if ! PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$BROWSER_DIR" --ignore-scripts --no-audit \
			--no-fund >"$T/npm.log" 2>&1; then
			fail "npm ci --prefix tests/browser failed (is the npm registry reachable?)"
			diag "$(tail -n 20 "$T/npm.log")"
			done_testing
		fi
	fi
	pass "node $(node --version), playwright-core $(node -p 'require(process.argv[1]).version' \
		"$BROWSER_DIR/node_modules/playwright-core/package.json"), $("$CHROMIUM" --version 2>/dev/null | head -n 1)"
}

words() { sed -n "s/^$2 = //p" "$REPO/forms/portal/$1.txt"; }

sentence() { # sentence LANG KEY LABEL-KEY
	local t l
	t=$(words "$1" "$2")
	l=$(words "$1" "$3")
	printf '%s\n' "${t//\{field\}/$l}"
}

plain() { perl -CSD -pe 's/[\x{202A}-\x{202E}\x{2066}-\x{2069}]//g'; }

maildir_put() { # maildir_put DIR TAG <LINES
	mkdir -p "$1/new" "$1/cur" "$1/tmp"
	cat >"$T/.maildir" # (the script below comes on python's stdin)
	/usr/bin/python3 - "$1" "$2" "$T/.maildir" <<'PY'
import sys, email.message
for n, line in enumerate(open(sys.argv[3]).read().split("\n")[:-1], 1):
    frm, f, typ = line.split()
    m = email.message.EmailMessage()
    m["From"], m["To"], m["Subject"], m["Message-ID"] = frm, "tsbsg@itu.int", "Reply", "<%s%d@example.org>" % (sys.argv[2], n)
    m["Received"] = "from mx by mx.itu.int; Thu, 09 Jan 2020 10:00:00 +0000"
    m.set_content("Our reply.\n")
    main, sub = typ.split("/")
    m.add_attachment(open(f, "rb").read(), maintype=main, subtype=sub, filename=f)
    open("%s/new/%d" % (sys.argv[1], n), "wb").write(bytes(m))
PY
}

secretariat_in() { # secretariat_in PW
	printf '%s\n' "$1" >"$T/pw"
	expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
	dev_certs
	serve_start "$T/serve.log" || { echo "Bail out! the server did not start"; exit 1; }
	signin_user tsb tsb "$1"
}

free_port() {
	perl -MIO::Socket::INET -e '
		my $s = IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1", LocalPort => 0,
					      Proto => "tcp", ReuseAddr => 1) or die "no port: $!\n";
		print $s->sockport, "\n";'
}

open_now() { # open_now CIRC [ARGS...]
	local circ=$1
	shift
	expect_exit 0 ballot consultation create --circular "$circ" --group 11 --date "$(date -u +%F)" \
		--meeting-start "$(date -u -d '+90 days' +%F)" --meeting-end "$(date -u -d '+99 days' +%F)" "$@"
}

new_code() { # new_code CIRC MEMBER
	ballot codes issue --circular "$1" --member "$2" 2>/dev/null | awk -F'\t' 'NR == 2 { print $2 }'
}

dev_certs() { # dev_certs [ARGS...]
	expect_exit 0 ballot tls dev-certs --out "$T/ca" "$@"
	CA_PEM=$T/ca/ca.pem SRV_CERT=$T/ca/server.pem SRV_KEY=$T/ca/server-key.pem
}

SRV_PID=""
serve_start() { # serve_start LOG ARGS...
	local log=$1 try end
	shift
	for try in 1 2 3; do
		PORT=$(free_port) || return 1
		"$BALLOT_BIN" serve --listen "127.0.0.1:$PORT" --cert "$SRV_CERT" --key "$SRV_KEY" "$@" \
			2>"$log" &
		SRV_PID=$!
		# up to 120 s: it starts in 0.1 s (40 ms CPU under ASan), yet on a
		# loaded machine two scripts gave up after 30 s (session 15)
		end=$((SECONDS + 120))
		while [ "$SECONDS" -lt "$end" ]; do
			if grep -q "serving https://127.0.0.1:$PORT/" "$log" 2>/dev/null; then
				URL="https://localhost:$PORT"
				return 0
			fi
			kill -0 "$SRV_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$SRV_PID" 2>/dev/null
		wait "$SRV_PID" 2>/dev/null
		SRV_PID=""
		grep -q "cannot listen" "$log" || break # only a lost port race is retried
	done
	diag "the server did not start:" "$(cat "$log")"
	return 1
}

serve_stop() {
	SRV_RC=none
	[ -n "$SRV_PID" ] || return 1
	kill -TERM "$SRV_PID" 2>/dev/null
	local end=$((SECONDS + 60)) # it stops at once; ASan's leak check on a loaded machine takes longer
	while [ "$SECONDS" -lt "$end" ]; do
		kill -0 "$SRV_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$SRV_PID" 2>/dev/null && kill -9 "$SRV_PID" 2>/dev/null
	wait "$SRV_PID" 2>/dev/null
	SRV_RC=$?
	SRV_PID=""
}

_req() { # _req JAR CURL-ARGS... (the URL among them)
	local jar=$1
	shift
	local jargs=()
	[ "$jar" != - ] && jargs=(-c "$T/$jar.jar" -b "$T/$jar.jar")
	rm -f "$T/.body" "$T/.hdrs"
	# --max-time only bounds a hung request: a 38 MiB upload takes 1.5 s under
	# ASan on a quiet machine, ten times that at a load of 20 (31-sec-quotas.t)
	ST=$(curl -sS --max-time 120 --cacert "$CA_PEM" --resolve "localhost:$PORT:127.0.0.1" \
		"${jargs[@]}" -o "$T/.body" -D "$T/.hdrs" -w '%{http_code}' "$@" 2>"$T/.curl-err")
	[ -n "$ST" ] || ST=000
	touch "$T/.body" "$T/.hdrs"
	# a binary answer (a PDF, a PNG) is read from $T/.body; BODY is the text
	# without its NUL bytes (what bash's $(cat) kept, with a warning
	# "ignored null byte in input" on stderr: noise in the CI log)
	BODY=$(tr -d '\0' <"$T/.body")
	HDRS=$(tr -d '\r' <"$T/.hdrs")
}

get() { # get JAR PATH [CURL-ARGS...]
	local jar=$1 path=$2
	shift 2
	_req "$jar" "$@" "$URL$path"
}

post() { # post JAR PATH CURL-ARGS... (-F or --data ...)
	local jar=$1 path=$2
	shift 2
	_req "$jar" "$@" "$URL$path"
}

hdr() { printf '%s\n' "$HDRS" | grep -i "^$1:" | head -n 1 | sed 's/^[^:]*: *//'; }

cookies_set() { printf '%s\n' "$HDRS" | grep -i "^set-cookie: *$1=" | sed 's/^[^:]*: *//'; }

csrf_of() {
	sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "${1:-$T/.body}" | head -n 1
}

once_of() {
	sed -n 's/.*name="once" value="\([^"]*\)".*/\1/p' "${1:-$T/.body}" | head -n 1
}

once_in() { # once_in ACTION [FILE]
	ACT=$1 perl -0777 -ne 'my $a = $ENV{ACT};
		while (m{<form [^>]*action="\Q$a\E"[^>]*>(.*?)</form>}gs) {
			my $f = $1; if ($f =~ /name="once" value="([^"]*)"/) { print "$1\n"; last } }' "${2:-$T/.body}"
}

act_post() { # act_post JAR PAGE ACTION CURL-ARGS...
	local jar=$1 page=$2 action=$3
	shift 3
	get "$jar" "$page"
	ACT_ONCE=$(once_in "$action")
	post "$jar" "$action" "$@" -F "once=$ACT_ONCE"
}

reply_post() { # reply_post JAR PATH CURL-ARGS...
	local jar=$1 path=$2 a once form=-F
	shift 2
	local opts=() prev=""
	for a in "$@"; do # the options that are not form data also go with the GET
		case $prev in
		-F | --form | -d | --data | --data-urlencode | --data-binary) ;;
		*) case $a in -F | --form | -d | --data | --data-urlencode | --data-binary) ;; *) opts+=("$a") ;; esac ;;
		esac
		case $a in -d | --data | --data-urlencode | --data-binary) form=--data-urlencode ;; esac
		prev=$a
	done
	get "$jar" "${path%/reply}" "${opts[@]}"
	once=$(once_of)
	post "$jar" "$path" "$@" "$form" "once=$once"
	POST_ST=$ST
	POST_LOC=$(hdr Location)
	if [ "$ST" = 303 ] && [ -n "$POST_LOC" ]; then
		get "$jar" "$POST_LOC" "${opts[@]}"
	fi
}

jar_value() { # jar_value JAR NAME
	[ -f "$T/$1.jar" ] || return 0
	awk -F'\t' -v n="$2" '$6 == n { v = $7 } END { print v }' "$T/$1.jar"
}

signin() { # signin JAR MEMBER CODE
	local jar=$1 member=$2 code=$3 tok
	get "$jar" /signin
	tok=$(csrf_of)
	post "$jar" /signin --data-urlencode kind=member --data-urlencode "csrf=$tok" \
		--data-urlencode "member=$member" --data-urlencode "code=$code"
}

signin_user() { # signin_user JAR USER PASSWORD
	local jar=$1 user=$2 pw=$3 tok
	get "$jar" /signin
	tok=$(csrf_of)
	post "$jar" /signin --data-urlencode kind=user --data-urlencode "csrf=$tok" \
		--data-urlencode "user=$user" --data-urlencode "password=$pw"
}

norm_page() {
	sed -e 's/<time [^>]*>[^<]*<\/time> UTC<\/footer>/<time>TIME<\/time> UTC<\/footer>/' \
		-e 's/\(<input id="member"[^>]*\) value="[^"]*"/\1/' \
		-e 's/name="csrf" value="[^"]*"/name="csrf" value="TOKEN"/' \
		-e 's/name="once" value="[^"]*"/name="once" value="TOKEN"/' "${1:-$T/.body}"
}

receipt_ok() { # receipt_ok FILE SEQ PUBKEY
	cp "$T/.body" "$1"
	ballot receipt show --event "$2" >"$1.cli"
	ok "  ... byte-identical to ballot receipt show --event $2" cmp "$1" "$1.cli"
	run ballot receipt verify "$1" --key "$3"
	is "$RC" 0 "  ... ballot receipt verify --key $(_cmdline "$3"): exit 0"
	[ "$RC" = 0 ] || diag "$ERR"
}

# The text of every element of class CLASS in the page (one a line).
classes() { # classes CLASS [FILE]
	CLS=$1 perl -0777 -ne 'my $c = $ENV{CLS};
		while (/<(\w+)[^>]*\bclass="\Q$c\E"[^>]*>(.*?)<\/\1>/gs) { print "$2\n" }' "${2:-$T/.body}"
}
