/* member.h - ITU Member States: the reference list and its history. */
#ifndef BALLOT_MEMBER_H
#define BALLOT_MEMBER_H

#include <stddef.h>
#include "ballot/db.h"

#define BT_DATE_NONE INT32_MIN /* "member long before any date we handle" */

typedef struct bt_member {
	char code[4];   /* ISO 3166-1 alpha-3, the canonical member code */
	char alpha2[3]; /* ISO 3166-1 alpha-2 */
	char *name;     /* English short name */
	bt_date since;  /* admission date, or BT_DATE_NONE */
} bt_member;

typedef struct bt_member_list {
	bt_member *v;
	size_t n;
} bt_member_list;

/* Frees the list and leaves it empty. */
void bt_member_list_free(bt_member_list *l);

/* Lists the members admitted on or before as_of (BT_DATE_NONE: all), by
 * code. */
int bt_members_list(bt_db *db, bt_date as_of, bt_member_list *out, bt_err *e);

/* Resolves a member code given as alpha-3 or alpha-2, in any case, to the
 * canonical alpha-3 code. BT_EINPUT naming field (the engine's name of the input, as err.h says) and value when unknown. */
int bt_member_resolve(bt_db *db, const char *field, const char *code,
		      char out[4], bt_err *e);

typedef struct bt_member_import_stats {
	int added, renamed, recoded, unchanged;
} bt_member_import_stats;

/* Imports a member TSV (columns alpha3, alpha2, name, member_since; '#'
 * comment lines; the header line required). Adds new members, replaces
 * names (keeping the old name in the history), never removes a member.
 * All or nothing: any bad line is BT_EINPUT naming line, field and value;
 * so is a second line for one member (same alpha-3 or alpha-2), naming both
 * lines. A code never changes silently: a line that would give a member
 * another alpha-2, or a new alpha-3 with a recorded member's alpha-2 or
 * name, is refused unless recodes names it ("OLD=NEW", both alpha-3 or both
 * alpha-2; each must be used). An alpha-3 code named by recorded rows
 * (electorates, replies, codes, certificates, former names) cannot change.
 * Every addition, rename and recode is a row of member_changes written with
 * the members-import event, whose body lists them (audit verify checks the
 * members table against them). */
int bt_members_import_recode(bt_db *db, const char *text, size_t len, const char *source,
			     const char *const *recodes, size_t nrecodes, const char *actor,
			     bt_time now, bt_member_import_stats *stats, bt_err *e);

/* bt_members_import_recode without recodes. */
int bt_members_import(bt_db *db, const char *text, size_t len,
		      const char *source, const char *actor, bt_time now,
		      bt_member_import_stats *stats, bt_err *e);

/* Every member (admitted or not) with the name in force at time at (a name
 * replaced after at is the one shown), by code. */
int bt_members_named_at(bt_db *db, bt_time at, bt_member_list *out, bt_err *e);

#endif
