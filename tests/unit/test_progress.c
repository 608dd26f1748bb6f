/* test_progress.c - progress reports of long runs (progress.c,
 * include/ballot/progress.h): only the thread that set a function gets
 * calls; audit verify and check report their stages and end with every
 * event counted. */
#include <pthread.h>
#include "fixture.h"

typedef struct seen {
	int calls;
	char stages[512];       /* each new stage, space-separated */
	uint64_t last_done, last_total; /* of the stage "events" */
} seen;

static void note(void *arg, const char *stage, uint64_t done, uint64_t total)
{
	seen *s = arg;
	size_t n = strlen(s->stages);
	s->calls++;
	const char *last = n ? s->stages + n - 1 : s->stages;
	while (last > s->stages && last[-1] != ' ')
		last--;
	if (!n || strncmp(last, stage, strlen(stage)) != 0)
		snprintf(s->stages + n, sizeof s->stages - n, "%s%s", n ? " " : "", stage);
	if (strcmp(stage, "events") == 0) {
		s->last_done = done;
		s->last_total = total;
	}
}

static void none_set(void **state)
{
	(void)state;
	bt_progress_set(NULL, NULL);
	bt_progress("events", 1, 2); /* nobody listens: nothing happens */
}

static void audit_reports_events(void **state)
{
	fx *f = *state;
	seen s = { 0 };
	bt_audit_report r;
	bt_progress_set(note, &s);
	assert_int_equal(bt_audit_verify(f->db, &r, &f->e), BT_OK);
	bt_progress_set(NULL, NULL);
	assert_true(s.calls > 0);
	assert_non_null(strstr(s.stages, "events"));
	assert_non_null(strstr(s.stages, "attachments"));
	assert_int_equal(s.last_done, (uint64_t)r.events);
	assert_int_equal(s.last_total, (uint64_t)r.events);
	/* set to NULL: no more calls */
	int before = s.calls;
	assert_int_equal(bt_audit_verify(f->db, &r, &f->e), BT_OK);
	assert_int_equal(s.calls, before);
}

static void check_reports_stages(void **state)
{
	fx *f = *state;
	seen s = { 0 };
	bt_check_report r;
	bt_progress_set(note, &s);
	assert_int_equal(bt_db_check_path(f->path, &r, &f->e), BT_OK);
	bt_progress_set(NULL, NULL);
	assert_string_equal(s.stages, "integrity_check foreign_key_check events rows attachments");
}

static void *other_thread(void *arg)
{
	fx *f = arg;
	bt_audit_report r;
	bt_db *db = NULL;
	bt_err e;
	if (bt_db_open(f->path, BT_DB_READONLY, &db, &e) == BT_OK)
		bt_audit_verify(db, &r, &e);
	bt_db_close(db);
	return NULL;
}

static void only_the_thread_that_set_it(void **state)
{
	fx *f = *state;
	seen s = { 0 };
	pthread_t t;
	bt_progress_set(note, &s);
	assert_int_equal(pthread_create(&t, NULL, other_thread, f), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	bt_progress_set(NULL, NULL);
	assert_int_equal(s.calls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(none_set),
		cmocka_unit_test_setup_teardown(audit_reports_events, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(check_reports_stages, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(only_the_thread_that_set_it, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
