/* words.c - the languages of the pages: forms/portal/<lang>.txt and the
 * Annex 2 words per language, a request's language, raw text (words.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "pdf/annex2.h"
#include "pdf/lang.h"
#include "pdf/tmpl.h"
#include "portal/words.h"

/* Every key of forms/portal/<lang>.txt and its placeholders. */
static const pdf_tmpl_key portal_schema[] = {
	{ "language", "" }, { "direction", "" },
	{ "site", "" }, { "signin_title", "" }, { "signin_member", "" }, { "signin_member_help", "" },
	{ "member_label", "" }, { "code_label", "" }, { "signin_staff", "" }, { "user_label", "" },
	{ "password_label", "" }, { "signin_button", "" }, { "signin_cert", "" },
	{ "signout_button", "" }, { "signed_in_as", "who" },
	{ "err_signin", "" }, { "err_throttled", "seconds" }, { "err_csrf", "" },
	{ "err_signed_out", "" }, { "err_role", "" }, { "err_not_found", "" }, { "err_scope", "" },
	{ "err_closed", "" }, { "err_nothing", "" },
	/* s12-once */
	{ "err_once_unknown", "" }, { "err_once_busy", "" },
	{ "member_home", "member" }, { "consultations", "" }, { "col_circular", "" },
	{ "col_group", "" }, { "col_deadline", "" }, { "col_state", "" }, { "col_draft", "" },
	{ "col_reply", "" }, { "col_received", "" }, { "state_open", "" }, { "state_past", "" },
	{ "state_closed", "" }, { "no_reply", "" }, { "reply_link", "" }, { "view_link", "" },
	{ "history_link", "" }, { "form_title", "circular" }, { "form_intro", "deadline" },
	{ "read_only", "deadline" }, { "choice_keep", "" }, { "choice_withdraw", "" },
	{ "file_label", "" }, { "signatory_label", "" }, { "official_title_label", "" },
	{ "submit", "" }, { "upload_help", "max" },
	{ "receipt_title", "" }, { "receipt_intro", "" }, { "receipt_reply", "" },
	{ "receipt_sha", "" }, { "receipt_time", "" }, { "receipt_event", "" },
	{ "receipt_draft", "" }, { "receipt_choice", "" }, { "receipt_files", "" },
	{ "receipt_keep", "" }, { "receipt_late", "" }, { "receipt_supersedes", "" },
	{ "history_title", "" }, { "col_event", "" }, { "col_status", "" }, { "col_by", "" },
	{ "choice_authorize", "" }, { "choice_authorize_with_comments", "" },
	{ "choice_not_authorize", "" }, { "choice_withdrawal", "" },
	/* s12-pages */
	{ "circular_date", "date" }, { "time_left", "days hours" },
	{ "time_left_short", "hours minutes" }, { "summary_label", "" }, { "text_sha256_label", "" },
	{ "chair_open", "" }, { "decisions_title", "" }, { "timeline_title", "" }, { "col_date", "" },
	{ "col_step", "" }, { "reports_title", "" }, { "tl_circular", "" }, { "tl_texts_available", "" },
	{ "tl_deadline", "" }, { "tl_meeting_start", "" }, { "tl_meeting_end", "" },
	{ "tl_more_time_ends", "" }, { "tl_decision", "" },
	{ "secretariat_home", "" }, { "chair_home", "group" }, { "tally_support", "n pct" },
	{ "tally_replies", "n electorate" }, { "tally_threshold", "pct" },
	{ "outcome_pending", "" }, { "outcome_proceed", "" }, { "outcome_not_proceed", "" },
	{ "if_closed_now", "outcome" }, { "pending_title", "" }, { "late_title", "" },
	{ "enter_title", "" }, { "channel_label", "" }, { "received_label", "" },
	{ "scan_label", "" }, { "close_title", "" }, { "close_button", "" }, { "downloads", "" },
	{ "none", "" }, { "receipt_no_reasons", "" }, { "status_counted", "" },
	{ "status_superseded", "" }, { "status_withdrawn", "" }, { "status_withdrawal", "" },
	{ "status_late", "" }, { "circular_name", "circular" }, { "rec_name", "rec" },
	{ "col_member", "" }, { "col_outcome", "" }, { "state_in_consultation", "" },
	{ "state_awaiting_close", "" },
	{ "state_ready_for_approval", "" }, { "state_not_ready", "" }, { "state_more_time", "" },
	{ "state_approved", "" }, { "state_not_approved", "" }, { "channel_email", "" },
	{ "channel_fax", "" }, { "channel_post", "" }, { "channel_other", "" },
	{ "receipt_download", "" }, { "receipt_signed", "" },
	{ "fail_input", "field" }, { "fail_input_any", "" }, { "fail_not_found", "field" },
	{ "fail_not_found_any", "" }, { "fail_conflict", "field" }, { "fail_conflict_any", "" },
	{ "fail_forbidden", "field" }, { "fail_forbidden_any", "" }, { "fail_damaged", "" },
	{ "fail_io", "" }, { "fail_nomem", "" }, { "fail_details", "" },
	{ "late_entry_label", "" }, { "receipt_late_entry", "reason" },
	{ "fail_title_input", "" }, { "fail_title_not_found", "" }, { "fail_title_conflict", "" },
	{ "fail_title_forbidden", "" }, { "fail_title_damaged", "" }, { "fail_title_io", "" },
	{ "fail_title_nomem", "" },
	/* s12-staff */
	{ "replies_title", "" }, { "col_attachments", "" }, { "close_warning", "" },
	{ "close_confirm_title", "circular" }, { "close_confirm_what", "" }, { "close_confirm_button", "circular" },
	{ "cancel_back", "" }, { "codes_title", "" }, { "codes_issued", "" }, { "codes_in_force", "" },
	{ "codes_revoked", "" }, { "codes_revoke", "" }, { "codes_issue", "" }, { "codes_issue_help", "" },
	{ "codes_new_title", "circular" }, { "codes_once", "" }, { "codes_revoke_title", "member" },
	{ "codes_revoke_what", "member circular" }, { "codes_revoke_button", "member" }, { "decide_title", "" },
	{ "decide_link", "" }, { "decide_page_title", "circular" }, { "decide_kind_label", "" },
	{ "decide_approved", "" }, { "decide_more_time", "" }, { "decide_not_approved", "" },
	{ "decide_reservations_label", "" }, { "decide_members_label", "" }, { "decide_date_label", "" },
	{ "decide_next", "" }, { "decide_confirm_what", "" }, { "decide_confirm_button", "rec" },
	{ "decide_text_approved", "rec" }, { "decide_text_reservations", "rec members" },
	{ "decide_text_more_time", "rec members" }, { "decide_text_not_approved", "rec members" },
	{ "decide_why_no_replies", "clause" }, { "decide_why_too_few", "replies min clause" },
	{ "decide_why_below", "pct replies threshold clause" },
	{ "decide_why_not_above", "pct replies threshold clause" },
	{ "codes_gone", "" },
	/* status pages, refused forms */
	{ "home_link", "" },
	{ "status_400", "" },
	{ "status_401", "" },
	{ "status_403", "" },
	{ "status_404", "" },
	{ "status_405", "" },
	{ "status_409", "" },
	{ "status_413", "" },
	{ "status_415", "" },
	{ "status_429", "" },
	{ "status_500", "" },
	{ "status_503", "" },
	{ "err_method", "" },
	{ "err_too_large", "" },
	{ "err_bad_form", "" },
	{ "err_file_type", "" },
	{ "err_bad_text", "" },
	{ "err_no_room", "" },
	{ "err_server", "" },
	{ "err_signin_unchecked", "" },
	{ "err_signin_wait", "" },
	{ "err_cert", "" },
	{ "err_go_field", "" },
	{ "err_files_again", "" },
	{ "receipt_pdf", "" }, { "text_download", "size" },
	{ "import_title", "" }, { "import_help", "" }, { "import_file_label", "" }, { "import_files_label", "" },
	{ "import_preview_button", "" }, { "import_preview_title", "circular" }, { "import_nothing_yet", "" },
	{ "import_confirm_button", "n" }, { "import_counts", "n late without_reasons supersedes" },
	{ "import_stale", "" }, { "publish_title", "" }, { "publish_what", "" },
	{ "publish_attachments_label", "" }, { "publish_button", "circular" }, { "publish_done_title", "" },
	{ "publish_download", "" }, { "publish_sha", "" },
	/* a returned form uploaded to pre-fill the reply; the mail inbox */
	{ "pdf_title", "" }, { "pdf_help", "" }, { "pdf_label", "" }, { "pdf_button", "" },
	{ "pdf_err_none", "" }, { "pdf_err_read", "" }, { "pdf_err_member", "" }, { "pdf_err_stale", "" },
	{ "pdf_err_choice", "" }, { "pdf_err_two", "" }, { "pdf_err_signature", "" }, { "pdf_gone", "" },
	{ "prefill_intro", "" }, { "prefill_kept", "name" }, { "prefill_signed", "subject" },
	{ "prefill_signed_unverified", "subject" },
	/* a reply changed from its signed form */
	{ "prefill_row_signed", "" }, { "prefill_row_changed", "" }, { "receipt_not_signed", "" },
	{ "prefill_size", "size" },
	{ "inbox_link", "" }, { "inbox_title", "" }, { "inbox_help", "" }, { "inbox_empty", "" },
	{ "inbox_col_entry", "" }, { "inbox_col_from", "" }, { "inbox_col_detail", "" },
	{ "inbox_state_matched", "" }, { "inbox_state_uncertain", "" }, { "inbox_state_unmatched", "" }, { "inbox_state_refused", "" },
	{ "inbox_state_accepted", "" }, { "inbox_state_rejected", "" }, { "inbox_entry_title", "n" },
	{ "inbox_subject", "" }, { "inbox_message_id", "" }, { "inbox_size", "" }, { "inbox_received_by", "" },
	{ "inbox_reference", "" }, { "inbox_form", "" }, { "inbox_cut", "" }, { "inbox_decided", "event" },
	{ "inbox_accept_title", "n" }, { "inbox_accept_what", "" }, { "inbox_accept_next", "" },
	{ "inbox_accept_button", "n" }, { "inbox_reject_title", "n" }, { "inbox_reject_what", "" },
	{ "inbox_reason_label", "" }, { "inbox_reject_next", "" }, { "inbox_reject_button", "n" },
	{ "inbox_reason_missing", "" },
	/* s15-returned */
	{ "inbox_by_received", "" }, { "inbox_by_internaldate", "" }, { "inbox_by_file", "" },
	{ "prefill_added", "drafts" },
	/* s16-viewers */
	{ "inbox_choices_help", "" }, { "inbox_choice_unread", "" }, { "inbox_choice_missing", "" },
	/* s17-scanlib */
	{ "pdf_err_scan_noqr", "" }, { "pdf_err_scan_member", "" }, { "pdf_err_scan_circular", "" },
	{ "pdf_err_scan_several", "" }, { "pdf_err_scan_boxes", "" }, { "pdf_err_scan_pages", "" }, { "pdf_err_scan_size", "" }, { "pdf_err_scan_busy", "" },
	{ "prefill_uncertain", "drafts" }, { "inbox_scan_unread", "" },
};

int portal_words_load(struct portal *p, bt_err *e)
{
	const char *dir = pdf_forms_dir();
	char path[4096];
	for (size_t i = 0; i < PDF_NLANGS; i++) {
		plang *l = &p->langs[p->nlangs];
		snprintf(l->code, sizeof l->code, "%s", pdf_langs[i]);
		snprintf(path, sizeof path, "%s/portal/%s.txt", dir, l->code);
		/* a language whose page texts do not exist (yet) is not offered;
		 * English must be there */
		if (i > 0 && access(path, F_OK) != 0 && errno == ENOENT)
			continue;
		pdf_tmpl *t = NULL;
		int rc = pdf_tmpl_load(path, portal_schema, sizeof portal_schema / sizeof portal_schema[0],
				       &t, e);
		if (rc)
			return rc;
		l->tmpl = t;
		l->rtl = !strcmp(pdf_tmpl_raw(t, "direction"), "rtl");
		/* a time or code inside Arabic text keeps its own order */
		pdf_tmpl_set_rtl(t, l->rtl);
		p->nlangs++;
		annex2_lang *a = NULL;
		if ((rc = annex2_lang_load(dir, l->code, &a, e)))
			return rc;
		l->annex2 = a;
	}
	return BT_OK;
}

void portal_words_free(struct portal *p)
{
	for (size_t i = 0; i < p->nlangs; i++) {
		pdf_tmpl_free(p->langs[i].tmpl);
		annex2_lang_free(p->langs[i].annex2);
	}
	p->nlangs = 0;
}

const plang *portal_lang(struct portal *p, const char *code)
{
	for (size_t i = 0; i < p->nlangs; i++)
		if (!strcmp(p->langs[i].code, code))
			return &p->langs[i];
	return &p->langs[0];
}

const plang *portal_request_lang(preq *r)
{
	struct portal *p = r->p;
	const char *lang = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "lang");
	if (lang) {
		const plang *l = portal_lang(p, lang);
		if (l && !strcmp(l->code, lang)) {
			snprintf(r->cookies[r->ncookies++], sizeof r->cookies[0],
				 "lang=%s; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=31536000", l->code);
			return l;
		}
	}
	const char *c = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "lang");
	const plang *l = c ? portal_lang(p, c) : NULL;
	if (l && !strcmp(l->code, c))
		return l;
	const char *al = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Accept-Language");
	char two[3] = "en";
	if (al && al[0] >= 'a' && al[0] <= 'z' && al[1] >= 'a' && al[1] <= 'z') {
		two[0] = al[0];
		two[1] = al[1];
	}
	return portal_lang(p, two);
}

const char *L(preq *r, const char *key)
{
	return pdf_tmpl_raw(r->lang->tmpl, key);
}

void Lplain(preq *r, bt_buf *out, const char *key, const char *const *vars)
{
	pdf_tmpl_expand(r->lang->tmpl, key, vars, out);
}

const word_key portal_choice_words[] = {
	{ "authorize", "choice_authorize" },
	{ "authorize-with-comments", "choice_authorize_with_comments" },
	{ "not-authorize", "choice_not_authorize" },
	{ "withdraw", "choice_withdrawal" },
	{ NULL, NULL },
};

const word_key portal_status_words[] = {
	{ "counted", "status_counted" },
	{ "superseded", "status_superseded" },
	{ "withdrawn", "status_withdrawn" },
	{ "withdrawal", "status_withdrawal" },
	{ "late", "status_late" },
	{ NULL, NULL },
};

const word_key portal_state_words[] = {
	{ BT_STATE_IN_CONSULTATION, "state_in_consultation" },
	{ BT_STATE_AWAITING_CLOSE, "state_awaiting_close" },
	{ BT_STATE_READY, "state_ready_for_approval" },
	{ BT_STATE_NOT_READY, "state_not_ready" },
	{ BT_STATE_MORE_TIME, "state_more_time" },
	{ BT_STATE_APPROVED, "state_approved" },
	{ BT_STATE_NOT_APPROVED, "state_not_approved" },
	{ NULL, NULL },
};

const word_key portal_outcome_words[] = {
	{ "proceed", "outcome_proceed" },
	{ "not-proceed", "outcome_not_proceed" },
	{ "pending", "outcome_pending" },
	{ NULL, NULL },
};

/* The channels the secretariat's entry form offers ("portal" is the
 * administrations'). */
const word_key portal_channel_words[] = {
	{ "email", "channel_email" },
	{ "fax", "channel_fax" },
	{ "post", "channel_post" },
	{ "other", "channel_other" },
	{ NULL, NULL },
};

/* The engine's fields (bt_err.field) that the portal's forms ask for, and
 * the keys of their labels there. */
const word_key portal_field_words[] = {
	{ "circular", "col_circular" },
	{ "member", "col_member" },
	{ "draft", "col_draft" },
	{ "rec", "col_draft" },
	{ "choice", "receipt_choice" },
	{ "received", "received_label" },
	{ "channel", "channel_label" },
	{ "signatory", "signatory_label" },
	{ "title", "official_title_label" },
	{ "attachment", "file_label" },
	{ "scan", "scan_label" },
	{ "late_entry_reason", "late_entry_label" },
	{ "code", "code_label" },
	{ "user", "user_label" },
	{ "password", "password_label" },
	{ "deadline", "col_deadline" },
	{ "receipt", "receipt_reply" },
	{ "event", "receipt_event" },
	/* s12-staff: the decision form */
	{ "kind", "decide_kind_label" },
	{ "more_time", "decide_members_label" },
	{ "opposed_by", "decide_members_label" },
	{ "reservation", "decide_reservations_label" },
	{ "date", "decide_date_label" },
	/* the returned form uploaded */
	{ "pdf", "pdf_label" },
	{ "code-member", "col_member" },
	{ NULL, NULL },
};
