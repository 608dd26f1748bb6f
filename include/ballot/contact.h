/* contact.h - each Member State's contact addresses for ITU-T consultations
 * (issue 18, the mailroom): several per member, each with a role (to, cc),
 * the language its messages are written in (one of the six) and a name.
 *
 * Contacts are part of the record: each change is a row added or removed by
 * an event (contacts-import, contact-set, contact-remove), so the audit and
 * `ballot check` verify the rows against the chain as for the calendar. */
#ifndef BALLOT_CONTACT_H
#define BALLOT_CONTACT_H

#include <stddef.h>
#include <stdint.h>
#include "ballot/db.h"
#include "ballot/timeutil.h"

#define BT_CONTACT_ADDRESS_MAX 254 /* bytes of an address (RFC 5321's path limit) */
#define BT_CONTACT_NAME_MAX 100    /* bytes of a contact's name */

typedef struct bt_contact {
	char member[4];    /* alpha-3 */
	char role[3];      /* "to" or "cc" */
	char address[BT_CONTACT_ADDRESS_MAX + 1];
	char lang[3];      /* ar, zh, en, fr, ru, es */
	char name[BT_CONTACT_NAME_MAX + 1]; /* may be "" */
	int64_t seq;       /* the event that added it */
} bt_contact;

typedef struct bt_contact_list {
	bt_contact *v; /* by member, then "to" before "cc", then as added */
	size_t n;
} bt_contact_list;

/* Member codes (alpha-3), in order. */
typedef struct bt_member_codes {
	char (*v)[4];
	size_t n;
} bt_member_codes;

/* BT_OK when addr is an RFC 5322 addr-spec in dot-atom form: a local part
 * of ASCII atext characters and dots (no leading, trailing or doubled dot,
 * at most 64 bytes), '@', a domain of at least two labels, each LDH ASCII or
 * UTF-8 that IDNA2008 (libidn2) converts to an A-label; at most 254 bytes.
 * Quoted local parts and address literals are refused. BT_EINPUT naming
 * field and the address otherwise. */
int bt_contact_address_check(const char *field, const char *addr, bt_err *e);

/* The ASCII form of addr (its domain's U-labels as punycode A-labels) for
 * the SMTP envelope and headers; addr must have passed
 * bt_contact_address_check. BT_EINPUT naming field when it does not
 * convert. */
int bt_contact_address_ascii(const char *field, const char *addr, char out[BT_CONTACT_ADDRESS_MAX + 1],
			     bt_err *e);

/* BT_OK when lang is one of the six languages (ar zh en fr ru es), else
 * BT_EINPUT naming field and value. */
int bt_contact_lang_check(const char *field, const char *lang, bt_err *e);

/* The contacts in force, of member (alpha-3 or alpha-2; NULL: every
 * member). BT_EINPUT for an unknown member. */
int bt_contacts_list(bt_db *db, const char *member, bt_contact_list *out, bt_err *e);
void bt_contact_list_free(bt_contact_list *l);

/* Adds the contact (member, address) or changes its role, language or
 * name: role, lang and name NULL keep the stored value (for a new contact:
 * role "to", name "", lang required). A change removes the row in force and
 * adds the new one, in one contact-set event; *changed is 0 (and nothing is
 * recorded) when the contact is as given already. BT_EINPUT naming the
 * field for an unknown member, a bad address, role, language or name. */
int bt_contact_set(bt_db *db, const char *member, const char *address, const char *role,
		   const char *lang, const char *name, const char *actor, bt_time now, int *changed,
		   bt_err *e);

/* Removes the contact (member, address) in force (its row is kept, marked
 * removed): one contact-remove event. BT_EINPUT when there is none. */
int bt_contact_remove(bt_db *db, const char *member, const char *address, const char *actor,
		      bt_time now, bt_err *e);

/* Imports contacts from TSV text, one "member role address lang [name]"
 * per line (blank lines and lines starting with '#' ignored); each line is
 * a bt_contact_set. All or nothing: a bad line is BT_EINPUT naming
 * "contacts_file line N" and the field, and nothing is changed. One
 * contacts-import event when anything changes; *changed counts the lines
 * that changed a contact, *unchanged those already as given. */
int bt_contacts_import(bt_db *db, const char *text, size_t len, const char *actor, bt_time now,
		       int *changed, int *unchanged, bt_err *e);

/* The members of circular's electorate with no contact in force, by code.
 * BT_EINPUT for an unknown circular. */
int bt_contacts_missing(bt_db *db, const char *circular, bt_member_codes *out, bt_err *e);
void bt_member_codes_free(bt_member_codes *c);

#endif
