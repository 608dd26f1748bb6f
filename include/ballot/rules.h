/* rules.h - the approval rules as data, and their one evaluation function.
 *
 * A rule says which share of the counted replies must support a draft, whether
 * that share is a strict majority, how many replies are needed at least, and
 * what happens when no reply at all arrives.
 */
#ifndef BALLOT_RULES_H
#define BALLOT_RULES_H

typedef struct bt_rule {
	const char *name;        /* "tap", "question", "deletion" */
	const char *title;       /* human name of the procedure */
	const char *clause;      /* e.g. "WTSA Res. 1 §9.4.5" */
	const char *edition;     /* rule set and edition, e.g. "WTSA Res. 1 (Rev. Hammamet, 2016)" */
	int threshold_pct;       /* share of replies that must support */
	int strict;              /* 1: support must exceed the share; 0: reach it */
	int min_replies;         /* fewest counted replies for a pass */
	int no_replies_proceeds; /* outcome when there are no replies at all */
	int period_months;       /* default consultation period in calendar months; 0: until 7 working days before the meeting */
} bt_rule;

/* The rule called name, or NULL. */
const bt_rule *bt_rule_find(const char *name);

/* All rules, terminated by an entry with name NULL. */
const bt_rule *bt_rules_all(void);

/* Why support of replies passes r or not: the one evaluation (integer
 * arithmetic only), which bt_rule_passes answers yes or no from. */
typedef enum bt_rule_why {
	BT_RULE_PASSES,     /* it passes */
	BT_RULE_NO_REPLIES, /* no reply counted, and r does not pass without replies */
	BT_RULE_TOO_FEW,    /* fewer counted replies than r->min_replies */
	BT_RULE_BELOW,      /* support below r->threshold_pct of the replies */
	BT_RULE_NOT_ABOVE   /* a strict rule: support not above r->threshold_pct */
} bt_rule_why;
bt_rule_why bt_rule_verdict(const bt_rule *r, int support, int replies);

/* 1 when support of replies passes r (bt_rule_verdict), else 0. */
int bt_rule_passes(const bt_rule *r, int support, int replies);

/* Fewest further supporting replies (at most outstanding) that make it pass:
 * 0 when it already passes, -1 when the outstanding members cannot. */
int bt_rule_support_needed(const bt_rule *r, int support, int replies,
			   int outstanding);

/* Fewest further opposing replies (at most outstanding) that make it fail:
 * 0 when it already fails, -1 when the outstanding members cannot. */
int bt_rule_opposition_to_block(const bt_rule *r, int support, int replies,
				int outstanding);

#endif
