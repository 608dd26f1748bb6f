#!/usr/bin/env bash
# 72-titles-portal.t - the portal's member pages show each draft's title
# and summary in the reader's language (draft add --title-fr, draft set),
# and the English ones, marked lang="en", where none was recorded.
# The server runs on a fixed clock (BALLOT_NOW in its environment).
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl perl

trap 'serve_stop; _cleanup' EXIT

TITLE_FR="Cadre de lutte contre l'utilisation de dispositifs mobiles volés"
TITLE_ZH="打击使用被盗移动设备的框架"
at 2019-12-02T09:00:00Z
expect_exit 0 ballot init
expect_exit 0 ballot consultation create --circular 205 --group 11 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13 --date 2019-12-02
expect_exit 0 ballot draft add --circular 205 --rec Q.5051 \
	--title "Framework for combating the use of stolen mobile devices" --summary "English summary." \
	--title-fr "$TITLE_FR" --summary-fr "Résumé en français."
expect_exit 0 ballot draft set --circular 205 --draft Q.5051 --title-zh "$TITLE_ZH"
at 2020-02-10T12:00:00Z
CODE=$(new_code 205 CHN)
dev_certs
serve_start "$T/serve.log" || { echo "Bail out! the server did not start"; exit 1; }

signin chn CHN "$CODE"
is "$ST" 303 "CHN signs in with its reply code"
html_fr() { printf '%s' "$TITLE_FR" | sed "s/'/\&#39;/g"; }
for page in /member /member/c/205; do
	get chn "$page?lang=fr"
	is "$ST" 200 "[fr] GET $page"
	if printf '%s' "$BODY" | grep -qF "$(html_fr)" || printf '%s' "$BODY" | grep -qF "$TITLE_FR"; then
		pass "[fr] $page: the French title"
	else
		fail "[fr] $page: the French title"
		diag "$(printf '%s' "$BODY" | grep -i 'title' | head -5)"
	fi
	like "$BODY" 'Résumé en français\.' "[fr] $page: the French summary"
	unlike "$BODY" 'Framework for combating' "[fr] $page: not the English title"
	get chn "$page?lang=zh"
	like "$BODY" "$TITLE_ZH" "[zh] $page: the Chinese title (draft set)"
	like "$BODY" '<span lang="en" dir="ltr">English summary\.</span>' \
		"[zh] $page: no Chinese summary: the English one, marked as English"
	get chn "$page?lang=es"
	like "$BODY" '<span lang="en" dir="ltr">Framework for combating the use of stolen mobile devices</span>' \
		"[es] $page: no Spanish title: the English one, marked as English"
	get chn "$page?lang=en"
	like "$BODY" 'Framework for combating the use of stolen mobile devices' "[en] $page: the English title"
	unlike "$BODY" 'span lang="en"' "[en] $page: nothing marked in an English page"
done

done_testing
