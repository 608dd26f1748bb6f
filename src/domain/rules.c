/* rules.c - the approval rules as data (include/ballot/rules.h).
 * Clause numbers: WTSA Resolution 1 (Rev. Hammamet, 2016). */
#include <stddef.h>
#include <string.h>
#include "ballot/rules.h"

#define RES1 "WTSA Res. 1 (Rev. Hammamet, 2016)"

static const bt_rule rules[] = {
	/* TAP: 70 % or more of the replies support, or no replies (§9.4.5, §9.4.6). */
	{ "tap", "Traditional Approval Process authorization", "WTSA Res. 1 §9.4.5",
	  RES1, 70, 0, 0, 1, 0 },
	/* New Question: a simple majority of the replies and at least ten (§7.2.3). */
	{ "question", "Approval of a new Question by consultation", "WTSA Res. 1 §7.2.3",
	  RES1, 50, 1, 10, 0, 2 },
	/* Deletion of a Recommendation: no objection within the period (§9.8.2.1). */
	{ "deletion", "Deletion of a Recommendation", "WTSA Res. 1 §9.8.2.1",
	  RES1, 100, 0, 0, 1, 3 },
	{ NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0 },
};

const bt_rule *bt_rules_all(void)
{
	return rules;
}

const bt_rule *bt_rule_find(const char *name)
{
	for (const bt_rule *r = rules; name && r->name; r++)
		if (strcmp(r->name, name) == 0)
			return r;
	return NULL;
}

bt_rule_why bt_rule_verdict(const bt_rule *r, int support, int replies)
{
	if (replies == 0)
		return r->no_replies_proceeds && r->min_replies == 0 ? BT_RULE_PASSES : BT_RULE_NO_REPLIES;
	if (replies < r->min_replies)
		return BT_RULE_TOO_FEW;
	long long lhs = 100LL * support, rhs = (long long)r->threshold_pct * replies;
	if (r->strict)
		return lhs > rhs ? BT_RULE_PASSES : BT_RULE_NOT_ABOVE;
	return lhs >= rhs ? BT_RULE_PASSES : BT_RULE_BELOW;
}

int bt_rule_passes(const bt_rule *r, int support, int replies)
{
	return bt_rule_verdict(r, support, replies) == BT_RULE_PASSES;
}

int bt_rule_support_needed(const bt_rule *r, int support, int replies, int outstanding)
{
	for (int k = 0; k <= outstanding; k++)
		if (bt_rule_passes(r, support + k, replies + k))
			return k;
	return -1;
}

int bt_rule_opposition_to_block(const bt_rule *r, int support, int replies, int outstanding)
{
	for (int k = 0; k <= outstanding; k++)
		if (!bt_rule_passes(r, support, replies + k))
			return k;
	return -1;
}
