/* errmsg.c - engine errors in the command line's words: the engine names
 * its fields ("late_entry_reason") and commands ({cmd:init}); the command
 * line shows its options ("--late-entry-reason") and "ballot init". */
#include "cli.h"

#include <stdio.h>
#include <string.h>

void cli_print_error(const char *msg)
{
	fputs("ballot: ", stderr);
	for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
		if (*p == '\n')
			fputs("\\n", stderr);
		else if (*p == '\t')
			fputs("\\t", stderr);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(stderr, "\\x%02x", *p);
		else
			fputc(*p, stderr);
	}
	fputc('\n', stderr);
}

/* Engine fields the command line does not spell "--" + name (with '_' as
 * '-'): positional arguments, an environment variable, words shown as they
 * are. */
static const struct {
	const char *field;
	const char *shown;
} exceptions[] = {
	{ "actor", "BALLOT_ACTOR" },
	{ "now", "BALLOT_NOW" },
	{ "day", "DATE" },           /* calendar add/remove DATE */
	{ "new_deadline", "TIME" },  /* consultation deadline TIME */
	{ "calendar_file", "FILE" }, /* calendar import FILE */
	{ "rules", "rules" },        /* the calendar the rules ship */
	{ "import", "import" },      /* reply import's TSV */
	{ "backup", "backup" },      /* backup FILE */
	{ "restore", "restore" },    /* restore FILE */
	{ "inbox", "inbox" },        /* inbox accept/reject N */
	{ "token_id", "ID" },        /* tokens revoke ID */
	{ "detail", "detail" },
	{ "attachment_max", "attachment_max" }, /* config set KEY: the settings */
	{ "quota_bytes", "quota_bytes" },
	{ "replies_per_hour", "replies_per_hour" },
	{ "contacts_file", "FILE" }, /* contacts import FILE */
	{ "file", "FILE" },          /* scan FILE, reply --from-scan FILE (no --file) */
};

/* name_of for bt_err_render: buf is a char[64]. A field that is not an
 * engine name (a label such as "FILE line 3", or an option the command line
 * passed itself) is shown as it is. */
static const char *cli_name_of(const char *field, void *buf)
{
	char *out = buf;
	if (!strncmp(field, "cmd:", 4)) {
		snprintf(out, 64, "ballot %s", field + 4);
		return out;
	}
	for (size_t i = 0; i < sizeof exceptions / sizeof exceptions[0]; i++)
		if (!strcmp(field, exceptions[i].field))
			return exceptions[i].shown;
	if (field[0] < 'a' || field[0] > 'z' || strspn(field, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(field))
		return field;
	int n = snprintf(out, 64, "--%s", field);
	for (int i = 2; i < n && i < 63; i++)
		if (out[i] == '_')
			out[i] = '-';
	return out;
}

int cli_err_render(const bt_err *e, char *out, size_t n)
{
	char buf[64];
	return bt_err_render(e, cli_name_of, buf, out, n);
}

void cli_report_error(const bt_err *e)
{
	char line[sizeof e->msg + 256];
	cli_err_render(e, line, sizeof line);
	if (line[0])
		cli_print_error(line);
}
