/* progress.h - progress reports of the engine's long runs (audit verify,
 * check, backup, restore, publish, reply import), for a front end to show.
 * The engine never prints: it calls the function the calling thread set,
 * if any. A thread that set none (the portal's) gets no calls. */
#ifndef BALLOT_PROGRESS_H
#define BALLOT_PROGRESS_H

#include <stdint.h>

/* stage names what is being done ("events", "integrity_check", "copy",
 * "replies"); done of total items, total 0 when unknown (done 0 and total
 * 0: the stage begins). Called at most every few hundred items. */
typedef void (*bt_progress_fn)(void *arg, const char *stage, uint64_t done, uint64_t total);

/* Sets the function that receives the progress reports of the engine
 * calls made by the calling thread (NULL: none, the default). */
void bt_progress_set(bt_progress_fn fn, void *arg);

/* Reports to the calling thread's function, when it set one. */
void bt_progress(const char *stage, uint64_t done, uint64_t total);

#endif
