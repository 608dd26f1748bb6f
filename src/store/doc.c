/* doc.c - documents kept on a connection while the database does not
 * change (store.h db_doc_get/db_doc_put; store floor): the portal's API
 * serves the same status and tally documents many times a second, and
 * making them reads every reply of a consultation (of all, for the status).
 * The database's state is PRAGMA data_version (changes committed by other
 * connections) and this connection's own changes (sqlite3_total_changes64). */
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

/* The slot holding key, or NULL. */
static struct db_doc *doc_find(bt_db *db, const char *key)
{
	for (size_t i = 0; i < BT_DOC_SLOTS; i++)
		if (db->doc.v[i].key[0] && strcmp(db->doc.v[i].key, key) == 0)
			return &db->doc.v[i];
	return NULL;
}

int db_doc_get(bt_db *db, const char *key, bt_buf *out)
{
	int64_t version, changes;
	struct db_doc *d = doc_find(db, key);
	if (!d)
		return 0;
	doc_state(db, &version, &changes);
	if (version < 0 || version != d->data_version || changes != d->changes)
		return 0;
	bt_buf_reset(out);
	if (bt_buf_add(out, d->doc.data ? d->doc.data : "", d->doc.len))
		return 0;
	d->used = ++db->doc.tick;
	return 1;
}

void db_doc_put(bt_db *db, const char *key, const bt_buf *doc)
{
	db->doc.made++;
	if (strlen(key) >= sizeof db->doc.v[0].key)
		return;
	struct db_doc *d = doc_find(db, key);
	if (!d) { /* the least recently used (an empty one first) */
		d = &db->doc.v[0];
		for (size_t i = 1; i < BT_DOC_SLOTS; i++)
			if (db->doc.v[i].used < d->used)
				d = &db->doc.v[i];
	}
	d->key[0] = '\0';
	d->used = 0;
	if (doc->failed)
		return;
	bt_buf_reset(&d->doc);
	if (bt_buf_add(&d->doc, doc->data ? doc->data : "", doc->len))
		return;
	doc_state(db, &d->data_version, &d->changes);
	d->used = ++db->doc.tick;
	if (d->data_version >= 0)
		snprintf(d->key, sizeof d->key, "%s", key);
}

uint64_t db_doc_made(const bt_db *db)
{
	return db->doc.made;
}
