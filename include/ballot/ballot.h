/* ballot.h - the whole public engine API. */
#ifndef BALLOT_BALLOT_H
#define BALLOT_BALLOT_H

#include "ballot/err.h"
#include "ballot/buf.h"
#include "ballot/timeutil.h"
#include "ballot/json.h"
#include "ballot/jsonread.h"
#include "ballot/db.h"
#include "ballot/member.h"
#include "ballot/rules.h"
#include "ballot/calendar.h"
#include "ballot/timeline.h"
#include "ballot/consultation.h"
#include "ballot/draft.h"
#include "ballot/reply.h"
#include "ballot/tally.h"
#include "ballot/decision.h"
#include "ballot/status.h"
#include "ballot/history.h"
#include "ballot/audit.h"
#include "ballot/formref.h"
#include "ballot/auth.h"
#include "ballot/token.h"
#include "ballot/backup.h"
#include "ballot/sign.h"
#include "ballot/receipt.h"
#include "ballot/bundle.h"
#include "ballot/progress.h"
#include "ballot/contact.h"
#include "ballot/outbox.h"
#include "ballot/inbox.h"
#include "ballot/signcert.h"
#include "ballot/returned.h"

#define BALLOT_VERSION "0.1.0"

#endif
