/* portal_fixture.h - what the portal's unit tests share (test_once.c,
 * test_portal_tables.c): a fresh session table and the identities that sign
 * in to it, a member by its code or a secretariat account by its name. */
#ifndef BALLOT_TEST_PORTAL_FIXTURE_H
#define BALLOT_TEST_PORTAL_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "portal/session.h"

/* A new, empty session table (the test fails when it cannot be made). */
static inline psessions *sess(void)
{
	psessions *s = NULL;
	bt_err e;
	assert_int_equal(sessions_new(&s, &e), BT_OK);
	return s;
}

/* An administration's identity: member code m (alpha-3). */
static inline bt_identity member(const char *m)
{
	bt_identity id;
	memset(&id, 0, sizeof id);
	id.role = BT_ROLE_MEMBER;
	snprintf(id.member, sizeof id.member, "%s", m);
	return id;
}

/* A secretariat account's identity: user name u. */
static inline bt_identity user(const char *u)
{
	bt_identity id;
	memset(&id, 0, sizeof id);
	id.role = BT_ROLE_SECRETARIAT;
	snprintf(id.user, sizeof id.user, "%s", u);
	return id;
}

#endif
