/* choice.c - the choices of the Annex 2 form and the channels a reply
 * arrives by (include/ballot/reply.h; domain floor). */
#include <string.h>
#include "domain/domain.h"

static const char *const choice_names[] = {
	NULL, "authorize", "authorize-with-comments", "not-authorize", "withdraw",
};

const char *bt_choice_name(bt_choice c)
{
	return c >= BT_AUTHORIZE && c <= BT_WITHDRAW ? choice_names[c] : "none";
}

bt_choice bt_choice_parse(const char *s)
{
	for (int c = BT_AUTHORIZE; s && c <= BT_WITHDRAW; c++)
		if (strcmp(s, choice_names[c]) == 0)
			return (bt_choice)c;
	return BT_CHOICE_NONE;
}

int bt_choice_supports(bt_choice c)
{
	return c == BT_AUTHORIZE || c == BT_AUTHORIZE_WITH_COMMENTS;
}

int bt_channel_valid(const char *s)
{
	static const char *const ok[] = { "email", "fax", "post", "portal", "other" };
	for (size_t i = 0; s && i < sizeof ok / sizeof ok[0]; i++)
		if (strcmp(s, ok[i]) == 0)
			return 1;
	return 0;
}
