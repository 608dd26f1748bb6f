/* page_staff_import.h - the secretariat's reply import and bundle
 * publication in the portal (page_staff_import.c, page_staff_publish.c):
 * the engine calls of `ballot reply import` and `ballot publish`, each
 * behind a page that shows what will happen and a button that names it,
 * through a single-use form token (once.h). Each fills r's answer and
 * returns 0. */
#ifndef BALLOT_PORTAL_PAGE_STAFF_IMPORT_H
#define BALLOT_PORTAL_PAGE_STAFF_IMPORT_H

#include "portal/request.h"

/* GET /secretariat/c/CIRCULAR/import: the form (the TSV and the files its
 * lines name). */
int page_secretariat_import(preq *r, const char *circular);
/* POST /secretariat/c/CIRCULAR/import/check: the dry run
 * (bt_reply_import_check) of the file sent, kept server-side; a refusal
 * names the line and the column, else the lines and what would be recorded
 * with the confirmation form, whose button names the count. Nothing is
 * recorded. */
int page_secretariat_import_check(preq *r, const char *circular);
/* POST /secretariat/c/CIRCULAR/import: the import of the file checked
 * (bt_reply_import_from), once per token, then 303 to the consultation's
 * replies. */
int page_secretariat_import_post(preq *r, const char *circular);

/* GET /secretariat/c/CIRCULAR/publish: what publishing does, and the
 * button that names it. */
int page_secretariat_publish(preq *r, const char *circular);
/* POST /secretariat/c/CIRCULAR/publish: bt_bundle_publish once per token,
 * the bundle kept as one tar file beside the database, then 303 to its
 * page. */
int page_secretariat_publish_post(preq *r, const char *circular);
/* GET /secretariat/c/CIRCULAR/bundle/NAME: the bundle's page (its SHA-256,
 * its download); NAME.tar: the bundle itself. */
int page_secretariat_bundle(preq *r, const char *seg);

#endif
