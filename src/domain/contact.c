/* contact.c - Member States' contact addresses (include/ballot/contact.h):
 * checked, listed, set, removed and imported, each change a row and an
 * event through the write skeleton (store.h db_write_run), as calendar.c
 * does for closed days. */
#include <idn2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/domain.h"

#define FILE_FIELD "contacts_file"

static const char *const LANGS[] = { "ar", "zh", "en", "fr", "ru", "es" };

int bt_contact_lang_check(const char *field, const char *lang, bt_err *e)
{
	for (size_t i = 0; lang && i < sizeof LANGS / sizeof LANGS[0]; i++)
		if (strcmp(lang, LANGS[i]) == 0)
			return BT_OK;
	return bt_failf(e, BT_R_INPUT, field, "'%s' is not one of the six languages (ar zh en fr ru es)",
			lang ? lang : "");
}

static int check_role(const char *field, const char *role, bt_err *e)
{
	if (role && (strcmp(role, "to") == 0 || strcmp(role, "cc") == 0))
		return BT_OK;
	return bt_failf(e, BT_R_INPUT, field, "'%s' is not a role (to or cc)", role ? role : "");
}

static int check_name(const char *field, const char *name, bt_err *e)
{
	if (strlen(name) > BT_CONTACT_NAME_MAX)
		return bt_failf(e, BT_R_INPUT, field, "the name is longer than %d bytes", BT_CONTACT_NAME_MAX);
	if (!bt_name_clean(name))
		return bt_failf(e, BT_R_INPUT, field, "the name is not UTF-8 text without control or format characters");
	return BT_OK;
}

/* RFC 5322 atext. */
static int atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

/* A dot-atom of atext over s[0..n): no empty atom. */
static int dot_atom(const char *s, size_t n, int ldh)
{
	size_t atom = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.') {
			if (atom == 0 || (ldh && s[i - 1] == '-'))
				return 0;
			atom = 0;
		} else if (ldh ? (c < 0x80 && !(atext(c) && (c == '-' || !strchr("!#$%&'*+/=?^_`{|}~", c))))
			       : !atext(c)) {
			return 0;
		} else {
			if (ldh && atom == 0 && c == '-')
				return 0;
			atom++;
		}
	}
	return atom > 0 && !(ldh && s[n - 1] == '-');
}

int bt_contact_address_ascii(const char *field, const char *addr, char out[BT_CONTACT_ADDRESS_MAX + 1],
			     bt_err *e)
{
	const char *at = strrchr(addr, '@');
	char *ace = NULL;
	if (!at || idn2_to_ascii_8z(at + 1, &ace, IDN2_NONTRANSITIONAL) != IDN2_OK || !ace ||
	    (size_t)(at - addr) + 1 + strlen(ace) > BT_CONTACT_ADDRESS_MAX) {
		idn2_free(ace);
		return bt_failf(e, BT_R_INPUT, field, "'%s': the domain is not an internationalized domain name",
				addr);
	}
	snprintf(out, BT_CONTACT_ADDRESS_MAX + 1, "%.*s@%s", (int)(at - addr), addr, ace);
	idn2_free(ace);
	return BT_OK;
}

int bt_contact_address_check(const char *field, const char *addr, bt_err *e)
{
	size_t n = addr ? strlen(addr) : 0;
	const char *at = n ? strchr(addr, '@') : NULL;
	if (n == 0)
		return bt_failf(e, BT_R_INPUT, field, "the address is empty");
	if (n > BT_CONTACT_ADDRESS_MAX || !bt_utf8_valid(addr, n))
		return bt_failf(e, BT_R_INPUT, field, "'%s' is not UTF-8 of at most %d bytes", addr,
				BT_CONTACT_ADDRESS_MAX);
	if (!at || strchr(at + 1, '@'))
		return bt_failf(e, BT_R_INPUT, field, "'%s' is not an address (local-part@domain)", addr);
	size_t local = (size_t)(at - addr), dom = n - local - 1;
	if (local > 64)
		return bt_failf(e, BT_R_INPUT, field, "'%s': the local part is %zu bytes, over the 64 of RFC 5321",
				addr, local);
	if (local == 0 || !dot_atom(addr, local, 0))
		return bt_failf(e, BT_R_INPUT, field,
				"'%s': the local part is not a dot-atom of ASCII letters, digits and !#$%%&'*+-/=?^_`{|}~",
				addr);
	if (dom == 0 || !strchr(at + 1, '.') || !dot_atom(at + 1, dom, 1))
		return bt_failf(e, BT_R_INPUT, field, "'%s': the domain is not host.example (two labels or more)",
				addr);
	char ascii[BT_CONTACT_ADDRESS_MAX + 1];
	return bt_contact_address_ascii(field, addr, ascii, e);
}

/* ---- reading ---- */

void bt_contact_list_free(bt_contact_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void fill_contact(sqlite3_stmt *st, void *elem)
{
	bt_contact *c = elem;
	db_col_copy(st, 0, c->member, sizeof c->member);
	db_col_copy(st, 1, c->role, sizeof c->role);
	db_col_copy(st, 2, c->address, sizeof c->address);
	db_col_copy(st, 3, c->lang, sizeof c->lang);
	db_col_copy(st, 4, c->name, sizeof c->name);
	c->seq = sqlite3_column_int64(st, 5);
}

int bt_contacts_list(bt_db *db, const char *member, bt_contact_list *out, bt_err *e)
{
	char code[4];
	out->v = NULL;
	out->n = 0;
	int rc = member ? bt_member_resolve(db, "member", member, code, e) : BT_OK;
	sqlite3_stmt *st = rc ? NULL : db_stmt(db, SQL_CONTACTS_IN_FORCE, e);
	if (!st)
		return rc ? rc : BT_EFAIL;
	if (member)
		db_bind_text(st, 1, code);
	rc = db_collect(db, st, &out->v, &out->n, sizeof *out->v, fill_contact, "reading the contacts", e);
	if (rc)
		bt_contact_list_free(out);
	return rc;
}

void bt_member_codes_free(bt_member_codes *c)
{
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

static void fill_code(sqlite3_stmt *st, void *elem)
{
	db_col_copy(st, 0, elem, 4);
}

int bt_contacts_missing(bt_db *db, const char *circular, bt_member_codes *out, bt_err *e)
{
	bt_consultation c;
	out->v = NULL;
	out->n = 0;
	int rc = bt_consultation_get(db, circular, &c, e);
	sqlite3_stmt *st = rc ? NULL : db_stmt(db, SQL_ELECTORATE_WITHOUT_CONTACT, e);
	if (!st)
		return rc ? rc : BT_EFAIL;
	db_bind_text(st, 1, c.circular);
	rc = db_collect(db, st, &out->v, &out->n, sizeof *out->v, fill_code, "reading the contacts", e);
	if (rc)
		bt_member_codes_free(out);
	return rc;
}

/* ---- events ---- */

int contact_payload(bt_db *db, int64_t seq, bt_buf *out, bt_time *when, int *found, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_CONTACTS_BY_EVENT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, seq);
	bt_buf_reset(out);
	*found = 0;
	int step, n = 0;
	bt_json_key(out, "added", 1);
	bt_buf_addc(out, '[');
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		bt_buf_addf(out, "%s{", n++ ? "," : "");
		bt_json_kv_str(out, "member", (const char *)sqlite3_column_text(st, 0), 1);
		bt_json_kv_str(out, "role", (const char *)sqlite3_column_text(st, 1), 0);
		bt_json_kv_str(out, "address", (const char *)sqlite3_column_text(st, 2), 0);
		bt_json_kv_str(out, "lang", (const char *)sqlite3_column_text(st, 3), 0);
		bt_json_kv_str(out, "name", (const char *)sqlite3_column_text(st, 4), 0);
		bt_buf_addc(out, '}');
		bt_time t = sqlite3_column_int64(st, 5);
		*when = (*found)++ == 0 || t == *when ? t : -1;
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return db_fail(db, e, "reading the contacts");
	if (!(st = db_stmt(db, SQL_CONTACTS_BY_REMOVAL, e)))
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, seq);
	bt_buf_adds(out, "],");
	bt_json_key(out, "removed", 1);
	bt_buf_addc(out, '[');
	n = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		bt_buf_addf(out, "%s{", n++ ? "," : "");
		bt_json_kv_str(out, "member", (const char *)sqlite3_column_text(st, 0), 1);
		bt_json_kv_str(out, "address", (const char *)sqlite3_column_text(st, 1), 0);
		bt_buf_addc(out, '}');
		bt_time t = sqlite3_column_int64(st, 2);
		*when = (*found)++ == 0 || t == *when ? t : -1;
	}
	sqlite3_reset(st);
	bt_buf_addc(out, ']');
	if (step != SQLITE_DONE)
		return db_fail(db, e, "reading the contacts");
	return out->failed ? bt_failf(e, BT_R_NOMEM, NULL, "out of memory") : BT_OK;
}

/* One change: the contact as given (role, lang, name NULL: keep), the row
 * in force (id 0: none) and what to do. */
typedef struct contact_change {
	char member[4];
	const char *address, *role, *lang, *name;
	int64_t id;      /* the row in force, 0 when none */
	int line;        /* import: its line; else 0 */
	int changed;
} contact_change;

/* Loads the row in force of ch and decides: ch->changed when it differs
 * from what is given (the values kept filled in from the row). */
static int change_plan(bt_db *db, contact_change *ch, const char *field, int adding, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_CONTACT_GET, e);
	if (!st)
		return BT_EFAIL;
	db_bind_kept(st, 1, ch->member);
	db_bind_kept(st, 2, ch->address);
	int step = sqlite3_step(st), rc = BT_OK;
	ch->id = 0;
	ch->changed = 1;
	if (step == SQLITE_ROW) {
		char keep[3][BT_CONTACT_NAME_MAX + 1];
		ch->id = sqlite3_column_int64(st, 0);
		for (int i = 0; i < 3; i++)
			db_col_copy(st, i + 1, keep[i], sizeof keep[i]);
		ch->changed = (ch->role && strcmp(ch->role, keep[0]) != 0) ||
			      (ch->lang && strcmp(ch->lang, keep[1]) != 0) ||
			      (ch->name && strcmp(ch->name, keep[2]) != 0);
		sqlite3_reset(st);
		return BT_OK;
	} else if (step != SQLITE_DONE) {
		rc = db_fail(db, e, "reading the contacts");
	} else if (adding && !ch->lang) {
		rc = bt_failf(e, BT_R_INPUT, field, "%s %s is a new contact: its language is required",
			      ch->member, ch->address);
	}
	sqlite3_reset(st);
	return rc;
}

/* Writes ch: the row in force removed (when any), the new one added. The
 * values not given are the removed row's. */
static int change_apply(bt_db *db, const contact_change *ch, bt_time now, int64_t seq, bt_err *e)
{
	char role[3] = "to", lang[3] = "", name[BT_CONTACT_NAME_MAX + 1] = "";
	char address[BT_CONTACT_ADDRESS_MAX + 1];
	sqlite3_stmt *st;
	snprintf(address, sizeof address, "%s", ch->address);
	int rc;
	if (ch->id) {
		if (!(st = db_stmt(db, SQL_CONTACT_GET, e)))
			return BT_EFAIL;
		db_bind_kept(st, 1, ch->member);
		db_bind_kept(st, 2, ch->address);
		int step = sqlite3_step(st);
		if (step == SQLITE_ROW) {
			db_col_copy(st, 1, role, sizeof role);
			db_col_copy(st, 2, lang, sizeof lang);
			db_col_copy(st, 3, name, sizeof name);
			db_col_copy(st, 4, address, sizeof address); /* kept as first given */
		}
		sqlite3_reset(st);
		if (step != SQLITE_ROW)
			return db_fail(db, e, "reading the contacts");
		if (!(st = db_stmt(db, SQL_CONTACT_REMOVE, e)))
			return BT_EFAIL;
		sqlite3_bind_int64(st, 1, ch->id);
		sqlite3_bind_int64(st, 2, now);
		sqlite3_bind_int64(st, 3, seq);
		if ((rc = db_exec_stmt(db, st, "removing a contact", e)))
			return rc;
	}
	if (!(st = db_stmt(db, SQL_CONTACT_INSERT, e)))
		return BT_EFAIL;
	db_bind_text(st, 1, ch->member);
	db_bind_text(st, 2, ch->role ? ch->role : role);
	db_bind_text(st, 3, address);
	db_bind_text(st, 4, ch->lang ? ch->lang : lang);
	db_bind_text(st, 5, ch->name ? ch->name : name);
	sqlite3_bind_int64(st, 6, now);
	sqlite3_bind_int64(st, 7, seq);
	return db_exec_stmt(db, st, "saving a contact", e);
}

static int event_payload_of(bt_db *db, db_write *w, bt_err *e)
{
	bt_time when = w->now;
	int found = 0;
	return contact_payload(db, w->ev.seq, &w->payload, &when, &found, e);
}

/* The fields of one contact given, checked (field: "member", or the
 * import's "contacts_file line N" prefix). */
static int change_check(bt_db *db, contact_change *ch, const char *member, const char *prefix, bt_err *e)
{
	char f[5][80];
	const char *names[5] = { "member", "address", "role", "lang", "name" };
	for (int i = 0; i < 5; i++)
		snprintf(f[i], sizeof f[i], "%s%s%s", prefix, *prefix ? " " : "", names[i]);
	int rc;
	if ((rc = bt_member_resolve(db, f[0], member, ch->member, e)) ||
	    (rc = bt_contact_address_check(f[1], ch->address, e)) ||
	    (ch->role && (rc = check_role(f[2], ch->role, e))) ||
	    (ch->lang && (rc = bt_contact_lang_check(f[3], ch->lang, e))) ||
	    (ch->name && (rc = check_name(f[4], ch->name, e))))
		return rc;
	return BT_OK;
}

typedef struct one_change {
	contact_change ch;
	const char *member;
	int remove;
} one_change;

static int one_check(bt_db *db, db_write *w, bt_err *e)
{
	one_change *o = w->ctx;
	int rc = change_check(db, &o->ch, o->member, "", e);
	if (rc)
		return rc;
	if (o->remove) {
		rc = change_plan(db, &o->ch, "address", 0, e);
		if (!rc && !o->ch.id)
			rc = bt_failf(e, BT_R_NOT_FOUND, "address", "%s has no contact %s", o->ch.member,
				      o->ch.address);
		return rc;
	}
	if ((rc = change_plan(db, &o->ch, "lang", 1, e)))
		return rc;
	if (!o->ch.changed)
		w->kind = NULL;
	return BT_OK;
}

static int one_insert(bt_db *db, db_write *w, bt_err *e)
{
	one_change *o = w->ctx;
	int rc;
	if (o->remove) {
		sqlite3_stmt *st = db_stmt(db, SQL_CONTACT_REMOVE, e);
		if (!st)
			return BT_EFAIL;
		sqlite3_bind_int64(st, 1, o->ch.id);
		sqlite3_bind_int64(st, 2, w->now);
		sqlite3_bind_int64(st, 3, w->ev.seq);
		rc = db_exec_stmt(db, st, "removing a contact", e);
	} else {
		rc = change_apply(db, &o->ch, w->now, w->ev.seq, e);
	}
	return rc ? rc : event_payload_of(db, w, e);
}

int bt_contact_set(bt_db *db, const char *member, const char *address, const char *role,
		   const char *lang, const char *name, const char *actor, bt_time now, int *changed,
		   bt_err *e)
{
	one_change o = { .ch = { .address = address, .role = role, .lang = lang, .name = name },
			 .member = member };
	db_write w = { .kind = EVK_CONTACT_SET, .actor = actor, .now = now, .ctx = &o };
	int rc = db_write_run(db, &w, one_check, one_insert, e);
	if (changed)
		*changed = !rc && o.ch.changed;
	return rc;
}

int bt_contact_remove(bt_db *db, const char *member, const char *address, const char *actor,
		      bt_time now, bt_err *e)
{
	one_change o = { .ch = { .address = address }, .member = member, .remove = 1 };
	db_write w = { .kind = EVK_CONTACT_REMOVE, .actor = actor, .now = now, .ctx = &o };
	return db_write_run(db, &w, one_check, one_insert, e);
}

/* ---- import ---- */

typedef struct contact_import {
	const char *text;
	size_t len;
	char *copy;
	contact_change *v;
	size_t n;
	int changed, unchanged;
} contact_import;

/* One line's fields into ch, checked. */
static int import_line(bt_db *db, contact_import *im, char **f, int nf, int line, bt_err *e)
{
	char where[48];
	snprintf(where, sizeof where, FILE_FIELD " line %d", line);
	if (nf < 4 || nf > 5)
		return bt_failf(e, BT_R_INPUT, where, "%d fields, want 4 or 5 (member<TAB>role<TAB>address<TAB>lang[<TAB>name])",
				nf);
	contact_change *ch = &im->v[im->n];
	*ch = (contact_change){ .role = f[1], .address = f[2], .lang = f[3], .name = nf == 5 ? f[4] : "",
				.line = line };
	int rc = change_check(db, ch, f[0], where, e);
	for (size_t i = 0; !rc && i < im->n; i++)
		if (strcmp(im->v[i].member, ch->member) == 0 && strcasecmp(im->v[i].address, ch->address) == 0)
			rc = bt_failf(e, BT_R_INPUT, where, "%s %s is given twice (lines %d and %d)", ch->member,
				      ch->address, im->v[i].line, line);
	if (!rc)
		im->n++;
	return rc;
}

static int import_check(bt_db *db, db_write *w, bt_err *e)
{
	contact_import *im = w->ctx;
	if (!bt_utf8_valid(im->text, im->len) || memchr(im->text, '\0', im->len))
		return bt_failf(e, BT_R_INPUT, FILE_FIELD, "not valid UTF-8 text");
	if (!(im->copy = malloc(im->len + 1)))
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	memcpy(im->copy, im->text, im->len);
	im->copy[im->len] = '\0';
	tsv_reader t;
	tsv_init(&t, im->copy, im->len);
	size_t cap = 0;
	int rc = BT_OK, nf;
	char *f[6];
	while (!rc && (nf = tsv_next(&t, f, 6)) > 0) {
		if (array_reserve(&im->v, &cap, im->n + 1, sizeof *im->v))
			return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		rc = import_line(db, im, f, nf, t.line, e);
	}
	if (!rc && im->n == 0)
		rc = bt_failf(e, BT_R_INPUT, FILE_FIELD, "no contact in the file");
	for (size_t i = 0; !rc && i < im->n; i++) {
		char where[48];
		snprintf(where, sizeof where, FILE_FIELD " line %d", im->v[i].line);
		rc = change_plan(db, &im->v[i], where, 1, e);
		if (im->v[i].changed)
			im->changed++;
		else
			im->unchanged++;
	}
	if (!rc && im->changed == 0)
		w->kind = NULL;
	return rc;
}

static int import_insert(bt_db *db, db_write *w, bt_err *e)
{
	contact_import *im = w->ctx;
	for (size_t i = 0; i < im->n; i++) {
		int rc = im->v[i].changed ? change_apply(db, &im->v[i], w->now, w->ev.seq, e) : BT_OK;
		if (rc)
			return rc;
	}
	return event_payload_of(db, w, e);
}

int bt_contacts_import(bt_db *db, const char *text, size_t len, const char *actor, bt_time now,
		       int *changed, int *unchanged, bt_err *e)
{
	contact_import im = { .text = text, .len = len };
	db_write w = { .kind = EVK_CONTACTS_IMPORT, .actor = actor, .now = now, .ctx = &im };
	int rc = db_write_run(db, &w, import_check, import_insert, e);
	*changed = rc ? 0 : im.changed;
	*unchanged = rc ? 0 : im.unchanged;
	free(im.v);
	free(im.copy);
	return rc;
}
