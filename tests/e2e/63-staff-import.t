#!/usr/bin/env bash
# 63-staff-import.t - the secretariat imports a reply TSV and publishes the
# results bundle in the portal (issue 15). The import is the
# engine call of `ballot reply import` on the same format: a check (its dry
# run) shows what would be recorded and records nothing; its confirmation,
# whose button names the count, records it once per single-use token (a
# resent confirmation answers the first outcome); a TSV with a bad line is
# refused naming the line and the column, and nothing is recorded. Publishing
# is the engine call of `ballot publish`: a page that says what it does, a
# POST answered 303 (once per token) to the bundle's page with its SHA-256
# and its download, a tar whose contents `ballot verify-bundle` accepts.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl perl cmp sqlite3 tar sha256sum

trap 'serve_stop; _cleanup' EXIT

expect_exit 0 ballot init
setup_205
PW="a secretariat pass phrase"
printf '%s\n' "$PW" >"$T/pw"
expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
expect_exit 0 ballot users add --name chair11 --role chair --group 11 --password-file "$T/pw"
KEY=$(ballot keys show | grep -o 'ed25519:[0-9a-f]*' | head -n 1)
dev_certs
at 2020-02-10T12:00:00Z
serve_start "$T/serve.log" || { echo "Bail out! the server did not start"; exit 1; }
replies() { ballot history --circular 205 --json | perl -MJSON::PP -0777 -ne 'print scalar @{decode_json($_)}'; }

signin_user tsb tsb "$PW"
is "$ST" 303 "the secretariat signs in"
get tsb /secretariat/c/205
like "$BODY" '<li><a class="import" href="/secretariat/c/205/import">Import replies \(TSV\)</a></li>' \
	"the consultation page links to the import"
like "$BODY" '<li><a class="publish" href="/secretariat/c/205/publish">Publish the results bundle</a></li>' \
	"  ... and to publishing"
get tsb /secretariat/c/205/import
is "$ST" 200 "GET the import form: 200"
like "$BODY" '<input type="file" id="tsv" name="tsv"' "  ... a file field for the TSV"
CSRF=$(csrf_of)

# --- a bad line: refused, naming the line and the column; nothing recorded ----------
printf 'Comments of Brazil.\n' >"$T/BRA-comments.txt"
printf 'member\tdraft\tchoice\treceived\tchannel\tattachment\n' >"$T/bad.tsv"
printf 'AUS\tQ.5051\tauthorize\t2020-01-15T09:12:00Z\temail\t\n' >>"$T/bad.tsv"
printf 'BRA\tQ.5051\tauthorize\t2020-13-40T00:00:00Z\tfax\t\n' >>"$T/bad.tsv"
SUM=$(db_sum)
post tsb /secretariat/c/205/import/check -F "csrf=$CSRF" -F "tsv=@$T/bad.tsv;filename=replies.tsv"
is "$ST" 400 "check of a TSV whose line 3 has a bad received time: 400"
like "$BODY" '<code class="engine-line">import line 3: received: ' "  ... naming the line and the column"
is "$(db_sum)" "$SUM" "  ... nothing recorded"
printf 'member\tdraft\tchoice\treceived\tchannel\tattachment\n' >"$T/bad2.tsv"
printf 'BRA\tQ.5051\tauthorize-with-comments\t2020-01-20T14:30:00Z\temail\tBRA-comments.txt\n' >>"$T/bad2.tsv"
post tsb /secretariat/c/205/import/check -F "csrf=$CSRF" -F "tsv=@$T/bad2.tsv;filename=replies.tsv"
is "$ST" 404 "a line naming a file that was not sent: refused (404, not found)"
like "$BODY" 'import line 2: attachment: ' "  ... naming the line and the column"
is "$(db_sum)" "$SUM" "  ... nothing recorded"
post tsb /secretariat/c/205/import/check -F "csrf=$CSRF"
is "$ST" 400 "no file chosen: 400"
is "$(db_sum)" "$SUM" "  ... nothing recorded"
post tsb /secretariat/c/205/import/check -F "csrf=x$CSRF" -F "tsv=@$T/bad.tsv;filename=replies.tsv"
is "$ST" 403 "a wrong CSRF token: 403"

# --- the check, then the confirmation -------------------------------------------------
printf 'member\tdraft\tchoice\treceived\tchannel\tattachment\n' >"$T/good.tsv"
printf 'AUS\tQ.5051\tauthorize\t2020-01-15T09:12:00Z\temail\t\n' >>"$T/good.tsv"
printf 'BRA\tQ.5051\tauthorize-with-comments\t2020-01-20T14:30:00Z\temail\tBRA-comments.txt\n' >>"$T/good.tsv"
post tsb /secretariat/c/205/import/check -F "csrf=$CSRF" -F "tsv=@$T/good.tsv;filename=replies.tsv" \
	-F "file-1=@$T/BRA-comments.txt"
is "$ST" 200 "check of a good TSV with the file it names: 200"
like "$BODY" 'Nothing has been recorded yet' "  ... says nothing is recorded yet"
like "$BODY" '<p class="import-counts" data-n="2">2 replies would be recorded: 0 late' "  ... what would be"
like "$BODY" '<td>BRA-comments.txt</td>' "  ... and shows its lines"
like "$BODY" '<button type="submit" class="danger" id="confirm">Record 2 replies</button>' "  ... the button names the count"
is "$(db_sum)" "$SUM" "  ... nothing recorded by the check"
ONCE=$(once_of)
STAGE=$(sed -n 's/.*name="stage" value="\([^"]*\)".*/\1/p' "$T/.body")
like "$ONCE" '^[0-9a-f]{64}$' "  ... the confirmation carries a single-use token"
post tsb /secretariat/c/205/import --data-urlencode "csrf=$CSRF" --data-urlencode "once=$ONCE" \
	--data-urlencode "stage=zzzzzz"
is "$ST" 409 "a confirmation naming another check: refused (409)"
is "$(db_sum)" "$SUM" "  ... nothing recorded"
post tsb /secretariat/c/205/import --data-urlencode "csrf=$CSRF" --data-urlencode "once=$ONCE" \
	--data-urlencode "stage=$STAGE"
is "$ST" 303 "the confirmation: 303"
is "$(hdr Location)" "/secretariat/c/205#replies" "  ... to the consultation's replies"
is "$(replies)" 2 "  ... ballot history: the two replies"
ballot history --circular 205 --json >"$T/h.json"
is "$(jget ".[1].attachments[0].sha256" "$(cat "$T/h.json")")" "$(sha256sum "$T/BRA-comments.txt" | cut -d' ' -f1)" \
	"  ... with the file its line names"
like "$(jget ".[1].recorded_by" "$(cat "$T/h.json")")" "tsb" "  ... recorded by the signed-in account"
post tsb /secretariat/c/205/import --data-urlencode "csrf=$CSRF" --data-urlencode "once=$ONCE" \
	--data-urlencode "stage=$STAGE"
is "$ST" 303 "the same confirmation again (reload, double click): 303"
is "$(hdr Location)" "/secretariat/c/205#replies" "  ... to the same outcome"
is "$(replies)" 2 "  ... never a second record"
# the same file through `ballot reply import` in another database: the same replies
( export BALLOT_DB=$T/other.db; at 2019-12-01T00:00:00Z; "$BALLOT_BIN" init >/dev/null 2>&1
  CIRC=205 setup_205 >/dev/null; at 2020-02-10T12:00:00Z
  cp "$T/good.tsv" "$T/BRA-comments.txt" "$T/cli/" 2>/dev/null || { mkdir -p "$T/cli"; cp "$T/good.tsv" "$T/BRA-comments.txt" "$T/cli/"; }
  "$BALLOT_BIN" reply import --circular 205 "$T/cli/good.tsv" >/dev/null
  "$BALLOT_BIN" history --circular 205 --json >"$T/h-cli.json" )
pick() { perl -MJSON::PP -0777 -ne 'for (@{decode_json($_)}) { print join("\t", $_->{member}, $_->{rec}, $_->{what},
	$_->{received}, $_->{channel} // "", map { "$_->{name}:$_->{sha256}" } @{$_->{attachments}}), "\n" }' "$1"; }
is "$(pick "$T/h.json")" "$(pick "$T/h-cli.json")" "the same replies as ballot reply import records from the file"

# --- publish -----------------------------------------------------------------------------
get tsb /secretariat/c/205/publish
is "$ST" 200 "GET the publish page: 200"
like "$BODY" '<button type="submit" class="danger" id="confirm">Publish the bundle of circular 205</button>' "  ... its button names the act"
SUM=$(db_sum)
ONCE=$(once_of)
post tsb /secretariat/c/205/publish --data-urlencode "csrf=$CSRF" --data-urlencode "once=$ONCE" \
	--data-urlencode attachments=1
is "$ST" 303 "POST publish: 303"
LOC=$(hdr Location)
like "$LOC" '^/secretariat/bundle/bundle-205-20200210T120000Z$' "  ... to the bundle's page ($LOC)"
post tsb /secretariat/c/205/publish --data-urlencode "csrf=$CSRF" --data-urlencode "once=$ONCE" \
	--data-urlencode attachments=1
is "$(hdr Location)" "$LOC" "  ... sent again: the same outcome"
get tsb "$LOC"
is "$ST" 200 "the bundle's page: 200"
SHA=$(sed -n 's/.*<code class="bundle-sha256" dir="ltr">\([0-9a-f]*\)<\/code>.*/\1/p' "$T/.body")
like "$SHA" '^[0-9a-f]{64}$' "  ... shows its SHA-256"
get tsb "$LOC.tar"
is "$ST" 200 "the bundle's download: 200"
is "$(hdr Content-Disposition)" 'attachment; filename="bundle-205-20200210T120000Z.tar"' "  ... as an attachment"
is "$(sha256sum "$T/.body" | cut -d' ' -f1)" "$SHA" "  ... its SHA-256 is the one shown"
mkdir -p "$T/x"
ok "  ... a tar" tar -xf "$T/.body" -C "$T/x"
run ballot verify-bundle "$T/x/bundle-205-20200210T120000Z" --key "$KEY"
is "$RC" 0 "  ... ballot verify-bundle accepts what it holds"
like "$OUT" "attachments: 1 checked" "  ... the attachment with it"
ballot publish --circular 205 --out "$T/cli-bundle" --attachments >/dev/null
ok "  ... the same files as ballot publish --attachments writes" diff -r "$T/cli-bundle" "$T/x/bundle-205-20200210T120000Z"
is "$(db_sum)" "$SUM" "publishing changed nothing in the database"
get tsb /secretariat/bundle/bundle-205-nothing
is "$ST" 404 "an unknown bundle: 404"
get tsb "/secretariat/bundle/..%2Fballot.db"
is "$ST" 404 "  ... a path out of the bundles: 404"

# --- only the secretariat ------------------------------------------------------------------
signin_user chair chair11 "$PW"
for p in /secretariat/c/205/import /secretariat/c/205/publish "$LOC" "$LOC.tar"; do
	get chair "$p"
	is "$ST" 403 "a chair on $p: 403"
done
serve_stop
is "$SRV_RC" 0 "the server stops cleanly (exit 0)"
done_testing
