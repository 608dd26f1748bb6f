/* routes.c - every page the portal answers, in one table (routes.h): the
 * method, the path, who may ask, the page. A path that holds a segment (a
 * circular, a reply or event number) is matched in table order, so a route
 * with a longer rest comes before the one with rest "" ("/member/c/A/1/reply"
 * is the reply of circular A/1, not the form of circular "A/1/reply"); each
 * area ends with a PR_AREA route that answers its other paths (after the
 * area's sign-in check, as before any page of it). */
#include <stdio.h>
#include <string.h>
#include "portal/answer.h"
#include "portal/api.h"
#include "portal/error.h"
#include "portal/identity.h"
#include "portal/page_member.h"
#include "portal/page_member_pdf.h"
#include "portal/page_chair.h"
#include "portal/page_docs.h"
#include "portal/page_signin.h"
#include "portal/page_staff.h"
#include "portal/page_staff_acts.h"
#include "portal/page_staff_import.h"
#include "portal/page_staff_inbox.h"
#include "portal/routes.h"
#include "portal/style.h"

/* "/": the home page of the signed-in, else the sign-in page. */
static int page_root(preq *r)
{
	return page_redirect(r, r->signed_in ? portal_home(&r->s.id) : "/signin");
}

static int page_css(preq *r)
{
	r->ctype = "text/css";
	bt_buf_adds(&r->out, portal_css);
	return 0;
}

static int page_no_favicon(preq *r)
{
	return page_not_found(r);
}

#define EXACT(m, path, who, page) { m, PR_EXACT, path, NULL, who, page, NULL }
#define SEGMENT(m, path, rest, who, page) { m, PR_SEGMENT, path, rest, who, NULL, page }
#define AREA(m, path, who, page) { m, PR_AREA, path, NULL, who, page, NULL }

static const proute routes[] = {
	EXACT(PR_GET, "/static/style.css", PR_ANYONE, page_css),
	EXACT(PR_GET, "/favicon.ico", PR_ANYONE, page_no_favicon),
	EXACT(PR_GET, "/", PR_ANYONE, page_root),
	EXACT(PR_GET, "/signin", PR_ANYONE, page_signin),
	EXACT(PR_POST, "/signin", PR_SIGNIN_FORM, page_signin_post),
	EXACT(PR_POST, "/signout", PR_ANYONE, page_signout),

	EXACT(PR_GET, "/member", PR_MEMBER, page_member_home),
	EXACT(PR_GET, "/member/history", PR_MEMBER, page_member_history),
	SEGMENT(PR_POST, "/member/c/", "/reply", PR_MEMBER, page_member_reply),
	/* a returned Annex 2 form uploaded, the reply form it fills in */
	SEGMENT(PR_POST, "/member/c/", "/from-pdf", PR_MEMBER, page_member_pdf_upload),
	SEGMENT(PR_GET, "/member/c/", "/from-pdf", PR_MEMBER, page_member_pdf_form),
	/* a draft's text, a receipt as PDF */
	SEGMENT(PR_GET, "/member/c/", "/text", PR_MEMBER, page_member_draft_text),
	SEGMENT(PR_GET, "/member/receipt/", ".pdf", PR_MEMBER, page_member_receipt_pdf),
	SEGMENT(PR_GET, "/member/c/", "", PR_MEMBER, page_member_form),
	SEGMENT(PR_GET, "/member/receipt/", ".json", PR_MEMBER, page_member_receipt_json),
	SEGMENT(PR_GET, "/member/receipt/", "", PR_MEMBER, page_member_receipt),
	SEGMENT(PR_GET, "/member/sent/", "", PR_MEMBER, page_member_sent),
	AREA(PR_GET, "/member", PR_MEMBER, page_not_found),

	EXACT(PR_GET, "/secretariat", PR_SECRETARIAT, page_secretariat_home),
	SEGMENT(PR_GET, "/secretariat/receipt/", ".json", PR_SECRETARIAT, page_secretariat_receipt),
	/* a receipt as PDF, a draft's text */
	SEGMENT(PR_GET, "/secretariat/receipt/", ".pdf", PR_SECRETARIAT, page_secretariat_receipt_pdf),
	SEGMENT(PR_GET, "/secretariat/c/", "/text", PR_SECRETARIAT, page_secretariat_draft_text),
	/* a reply TSV imported (checked, then confirmed), the bundle published */
	SEGMENT(PR_POST, "/secretariat/c/", "/import/check", PR_SECRETARIAT, page_secretariat_import_check),
	SEGMENT(PR_GET, "/secretariat/c/", "/import", PR_SECRETARIAT, page_secretariat_import),
	SEGMENT(PR_POST, "/secretariat/c/", "/import", PR_SECRETARIAT, page_secretariat_import_post),
	SEGMENT(PR_GET, "/secretariat/c/", "/publish", PR_SECRETARIAT, page_secretariat_publish),
	SEGMENT(PR_POST, "/secretariat/c/", "/publish", PR_SECRETARIAT, page_secretariat_publish_post),
	SEGMENT(PR_GET, "/secretariat/bundle/", "", PR_SECRETARIAT, page_secretariat_bundle),
	SEGMENT(PR_GET, "/secretariat/sent/", "", PR_SECRETARIAT, page_secretariat_sent),
	SEGMENT(PR_POST, "/secretariat/c/", "/reply", PR_SECRETARIAT, page_secretariat_reply),
	SEGMENT(PR_POST, "/secretariat/c/", "/close", PR_SECRETARIAT, page_secretariat_close),
	SEGMENT(PR_GET, "/secretariat/c/", "/report.pdf", PR_SECRETARIAT, page_secretariat_report_pdf),
	SEGMENT(PR_GET, "/secretariat/c/", "/replies.csv", PR_SECRETARIAT, page_secretariat_replies_csv),
	SEGMENT(PR_GET, "/secretariat/c/", "/replies.json", PR_SECRETARIAT, page_secretariat_replies_json),
	SEGMENT(PR_GET, "/secretariat/c/", "/tally.json", PR_SECRETARIAT, page_secretariat_tally_json),
	/* s12-staff: confirmations (GET) and the acts (POST) */
	SEGMENT(PR_GET, "/secretariat/c/", "/close", PR_SECRETARIAT, page_secretariat_close_confirm),
	SEGMENT(PR_GET, "/secretariat/c/", "/decide", PR_SECRETARIAT, page_secretariat_decide),
	SEGMENT(PR_POST, "/secretariat/c/", "/decide", PR_SECRETARIAT, page_secretariat_decide_post),
	SEGMENT(PR_POST, "/secretariat/c/", "/codes/issue", PR_SECRETARIAT, page_secretariat_codes_issue),
	SEGMENT(PR_GET, "/secretariat/c/", "/codes/new", PR_SECRETARIAT, page_secretariat_codes_new),
	SEGMENT(PR_GET, "/secretariat/c/", "/codes/revoke", PR_SECRETARIAT, page_secretariat_codes_revoke_confirm),
	SEGMENT(PR_POST, "/secretariat/c/", "/codes/revoke", PR_SECRETARIAT, page_secretariat_codes_revoke),
	SEGMENT(PR_GET, "/secretariat/attachment/", "", PR_SECRETARIAT, page_secretariat_attachment),
	SEGMENT(PR_GET, "/secretariat/c/", "", PR_SECRETARIAT, page_secretariat_c),
	/* the mail inbox (accept and reject confirmed) */
	EXACT(PR_GET, "/secretariat/inbox", PR_SECRETARIAT, page_secretariat_inbox),
	SEGMENT(PR_GET, "/secretariat/inbox/", "/accept", PR_SECRETARIAT, page_secretariat_inbox_accept_confirm),
	SEGMENT(PR_POST, "/secretariat/inbox/", "/accept", PR_SECRETARIAT, page_secretariat_inbox_accept),
	SEGMENT(PR_GET, "/secretariat/inbox/", "/reject", PR_SECRETARIAT, page_secretariat_inbox_reject_confirm),
	SEGMENT(PR_POST, "/secretariat/inbox/", "/reject", PR_SECRETARIAT, page_secretariat_inbox_reject),
	SEGMENT(PR_GET, "/secretariat/inbox/", "", PR_SECRETARIAT, page_secretariat_inbox_entry),
	AREA(PR_GET, "/secretariat", PR_SECRETARIAT, page_not_found),

	EXACT(PR_GET, "/chair", PR_CHAIR, page_chair_home),
	SEGMENT(PR_GET, "/chair/c/", "/report.pdf", PR_CHAIR, page_chair_report_pdf),
	SEGMENT(PR_GET, "/chair/c/", "", PR_CHAIR, page_chair_c),
	AREA(PR_GET, "/chair", PR_CHAIR, page_not_found),

	/* s12-api: the JSON API (api.c; each page checks the bearer token) */
	EXACT(PR_GET, "/api/v1/status", PR_BEARER, api_status),
	SEGMENT(PR_GET, "/api/v1/consultations/", "/tally", PR_BEARER, api_tally),
	SEGMENT(PR_GET, "/api/v1/consultations/", "/history", PR_BEARER, api_history),
	SEGMENT(PR_GET, "/api/v1/consultations/", "/pending", PR_BEARER, api_pending),
	/* the write API and the receipts it gives */
	SEGMENT(PR_POST, "/api/v1/consultations/", "/replies", PR_BEARER, api_reply),
	SEGMENT(PR_GET, "/api/v1/receipts/", "", PR_BEARER, api_receipt),
	AREA(PR_GET, "/api/", PR_BEARER, api_not_found),

	AREA(PR_GET, "", PR_ANYONE, page_not_found),
};

/* 1 when url is rt's path (with its segment copied to seg). */
static int matches(const proute *rt, const char *url, char seg[128])
{
	size_t pl = strlen(rt->path);
	switch (rt->match) {
	case PR_EXACT:
		return !strcmp(url, rt->path);
	case PR_AREA:
		return !strncmp(url, rt->path, pl);
	case PR_SEGMENT:
		break;
	}
	if (strncmp(url, rt->path, pl))
		return 0;
	const char *s = url + pl;
	size_t n = strlen(s), rl = strlen(rt->rest);
	if (n <= rl || strcmp(s + n - rl, rt->rest))
		return 0;
	n -= rl;
	if (n >= 128)
		return 0;
	memcpy(seg, s, n);
	seg[n] = '\0';
	return 1;
}

static int same_path(const proute *a, const proute *b)
{
	return a->match == b->match && !strcmp(a->path, b->path) &&
	       !strcmp(a->rest ? a->rest : "", b->rest ? b->rest : "");
}

const proute *route_find(const char *url, const char *method, char seg[128], const char **allow)
{
	static const char *const allows[] = { "", "GET, HEAD", "POST", "GET, HEAD, POST" };
	unsigned want = !strcmp(method, "GET") || !strcmp(method, "HEAD") ? PR_GET
			: !strcmp(method, "POST")			   ? PR_POST
									   : 0;
	size_t n = sizeof routes / sizeof routes[0], first = 0;
	seg[0] = '\0';
	while (first < n && !matches(&routes[first], url, seg))
		first++;
	/* the last route matches every url */
	unsigned methods = 0;
	const proute *found = NULL;
	for (size_t i = first; i < n; i++)
		if (same_path(&routes[i], &routes[first])) {
			methods |= routes[i].methods;
			if (!found && (routes[i].methods & want))
				found = &routes[i];
		}
	*allow = allows[methods & 3];
	return found;
}
