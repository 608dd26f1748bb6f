/* page_staff.c - the pages of the secretariat and of study group chairs
 * (being written: every page answers 404 for now). */
#include "portal/internal.h"

int page_secretariat_home(preq *r) { return page_error(r, 404, L(r, "err_not_found")); }
int page_secretariat_c(preq *r, const char *circular) { (void)circular; return page_error(r, 404, L(r, "err_not_found")); }
int page_secretariat_reply(preq *r, const char *circular) { (void)circular; return page_error(r, 404, L(r, "err_not_found")); }
int page_secretariat_close(preq *r, const char *circular) { (void)circular; return page_error(r, 404, L(r, "err_not_found")); }
int page_secretariat_download(preq *r, const char *circular, const char *what) { (void)circular; (void)what; return page_error(r, 404, L(r, "err_not_found")); }
int page_chair_home(preq *r) { return page_error(r, 404, L(r, "err_not_found")); }
