/* mail_msg.c - MIME messages built with GMime 3 (mail.h). */
#include "cli/mail.h"

#include <gmime/gmime.h>
#include <gnutls/crypto.h>
#include <stdio.h>
#include <string.h>

static void gmime_once(void)
{
	static int done;
	if (!done) {
		g_mime_init();
		done = 1;
	}
}

int mail_message_id(const char *circular, const char *what, const char *member, const char *from, char *out,
		    size_t n, bt_err *e)
{
	unsigned char r[12];
	char hex[25];
	const char *at = strrchr(from, '@');
	if (gnutls_rnd(GNUTLS_RND_NONCE, r, sizeof r) != 0)
		return bt_fail(e, BT_EFAIL, "no random bytes for a Message-ID");
	for (size_t i = 0; i < sizeof r; i++)
		snprintf(hex + 2 * i, 3, "%02x", r[i]);
	int w = snprintf(out, n, "<ballot.%s.%s.%s.%s@%s>", circular, what, member, hex, at ? at + 1 : "localhost");
	if (w < 0 || (size_t)w >= n)
		return bt_fail(e, BT_EINPUT, "mail_from: the domain of '%s' makes a Message-ID too long", from);
	return BT_OK;
}

static GMimeObject *attachment(const mail_part *p)
{
	char type[48], *slash;
	snprintf(type, sizeof type, "%s", p->type);
	slash = strchr(type, '/');
	if (slash)
		*slash++ = '\0';
	GMimePart *part = g_mime_part_new_with_type(type, slash ? slash : "octet-stream");
	GMimeStream *s = g_mime_stream_mem_new_with_buffer(p->data.data ? p->data.data : "", p->data.len);
	GMimeDataWrapper *w = g_mime_data_wrapper_new_with_stream(s, GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(part, w);
	g_mime_part_set_filename(part, p->name);
	g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
	g_object_unref(w);
	g_object_unref(s);
	return GMIME_OBJECT(part);
}

static void add_addresses(GMimeMessage *msg, const mail_msg *m)
{
	for (size_t i = 0; i < m->nto; i++) {
		GMimeAddressType t = strcmp(m->to[i].role, "cc") == 0 ? GMIME_ADDRESS_TYPE_CC : GMIME_ADDRESS_TYPE_TO;
		g_mime_message_add_mailbox(msg, t, m->to[i].name, m->to[i].address);
	}
}

int mail_build(const mail_msg *m, bt_buf *out, bt_err *e)
{
	gmime_once();
	GMimeMessage *msg = g_mime_message_new(TRUE);
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM, m->from_name, m->from);
	add_addresses(msg, m);
	g_mime_message_set_subject(msg, m->subject, "utf-8");
	char id[BT_OUTBOX_MSGID_MAX + 1];
	snprintf(id, sizeof id, "%s", m->message_id + (m->message_id[0] == '<'));
	id[strcspn(id, ">")] = '\0';
	g_mime_message_set_message_id(msg, id);
	GDateTime *d = g_date_time_new_from_unix_utc(m->date);
	g_mime_message_set_date(msg, d);
	g_date_time_unref(d);

	GMimeMultipart *mixed = g_mime_multipart_new_with_subtype("mixed");
	/* the text as UTF-8, quoted-printable: whatever its language */
	GMimeTextPart *text = g_mime_text_part_new_with_subtype("plain");
	GMimeStream *ts = g_mime_stream_mem_new_with_buffer(m->body, strlen(m->body));
	GMimeDataWrapper *tw = g_mime_data_wrapper_new_with_stream(ts, GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(GMIME_PART(text), tw);
	g_object_unref(tw);
	g_object_unref(ts);
	g_mime_text_part_set_charset(text, "utf-8");
	g_mime_part_set_content_encoding(GMIME_PART(text), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	g_mime_multipart_add(mixed, GMIME_OBJECT(text));
	g_object_unref(text);
	for (size_t i = 0; i < m->nparts; i++) {
		GMimeObject *a = attachment(&m->parts[i]);
		g_mime_multipart_add(mixed, a);
		g_object_unref(a);
	}
	g_mime_message_set_mime_part(msg, GMIME_OBJECT(mixed));
	g_object_unref(mixed);

	GMimeFormatOptions *fo = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
	GMimeStream *s = g_mime_stream_mem_new();
	ssize_t w = g_mime_object_write_to_stream(GMIME_OBJECT(msg), fo, s);
	GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(s));
	bt_buf_reset(out);
	if (w > 0 && ba)
		bt_buf_add(out, ba->data, ba->len);
	g_object_unref(s);
	g_mime_format_options_free(fo);
	g_object_unref(msg);
	if (w <= 0)
		return bt_fail(e, BT_EFAIL, "the message could not be written");
	return out->failed ? bt_fail(e, BT_EFAIL, "out of memory") : BT_OK;
}
