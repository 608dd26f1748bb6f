/* fuzz_time.c - bt_time_parse and bt_date_parse (timeutil.h): every
 * --received, --deadline, --date, BALLOT_NOW and TSV time goes through them.
 * A time that parses must print and parse back to itself. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	bt_err e;
	bt_time t;
	bt_date d;
	if (bt_time_parse(s, "received", &t, &e) == BT_OK) {
		char buf[BT_TIME_LEN];
		bt_time back;
		bt_time_format(t, buf);
		if (bt_time_parse(buf, "again", &back, &e) != BT_OK || back != t) {
			fprintf(stderr, "'%s' parsed as %s, which does not read back\n", s, buf);
			abort();
		}
	} else if (e.code != BT_EINPUT || !e.msg[0]) {
		abort();
	}
	if (bt_date_parse(s, "date", &d, &e) == BT_OK) {
		char buf[BT_DATE_LEN];
		bt_date back;
		bt_date_format(d, buf);
		if (bt_date_parse(buf, "again", &back, &e) != BT_OK || back != d || strcmp(buf, s) != 0) {
			fprintf(stderr, "'%s' parsed as %s, which does not read back\n", s, buf);
			abort();
		}
		(void)bt_date_weekday(d);
		(void)bt_date_add_months(d, 2);
	} else if (e.code != BT_EINPUT || !e.msg[0]) {
		abort();
	}
	free(s);
	return 0;
}
