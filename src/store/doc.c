/* doc.c - one document kept on a connection while the database does not
 * change (store.h db_doc_get/db_doc_put; store floor): the portal's API
 * serves the same status document many times a second, and making it reads
 * every consultation's replies. The database's state is PRAGMA data_version
 * (changes committed by other connections) and this connection's own
 * changes (sqlite3_total_changes64). */
#include <stdio.h>
#include <string.h>
#include "store/store.h"

/* The database's state as this connection sees it; -1 when it cannot be
 * read (then nothing kept is used). */
static void doc_state(bt_db *db, int64_t *version, int64_t *changes)
{
	*changes = sqlite3_total_changes64(db->h);
	if (db_pragma_int64(db, SQL_DATA_VERSION, version))
		*version = -1;
}

int db_doc_get(bt_db *db, const char *key, bt_buf *out)
{
	int64_t version, changes;
	if (!db->doc.key[0] || strcmp(db->doc.key, key) != 0)
		return 0;
	doc_state(db, &version, &changes);
	if (version < 0 || version != db->doc.data_version || changes != db->doc.changes)
		return 0;
	bt_buf_reset(out);
	if (bt_buf_add(out, db->doc.doc.data ? db->doc.doc.data : "", db->doc.doc.len))
		return 0;
	return 1;
}

void db_doc_put(bt_db *db, const char *key, const bt_buf *doc)
{
	db->doc.key[0] = '\0';
	if (strlen(key) >= sizeof db->doc.key || doc->failed)
		return;
	bt_buf_reset(&db->doc.doc);
	if (bt_buf_add(&db->doc.doc, doc->data ? doc->data : "", doc->len))
		return;
	doc_state(db, &db->doc.data_version, &db->doc.changes);
	if (db->doc.data_version >= 0)
		snprintf(db->doc.key, sizeof db->doc.key, "%s", key);
}
