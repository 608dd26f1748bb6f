#include "cli.h"
int cmd_mail(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	(void)ctx; (void)argc; (void)argv;
	return bt_fail(e, BT_EINPUT, "not yet");
}
