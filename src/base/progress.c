/* progress.c - the calling thread's progress function
 * (include/ballot/progress.h). */
#include <stddef.h>
#include "ballot/progress.h"

static _Thread_local bt_progress_fn progress_fn;
static _Thread_local void *progress_arg;

void bt_progress_set(bt_progress_fn fn, void *arg)
{
	progress_fn = fn;
	progress_arg = arg;
}

void bt_progress(const char *stage, uint64_t done, uint64_t total)
{
	if (progress_fn)
		progress_fn(progress_arg, stage, done, total);
}
