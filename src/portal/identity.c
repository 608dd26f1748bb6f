/* identity.c - who a signed-in request speaks for (identity.h). */
#include <stdio.h>
#include "portal/identity.h"

void portal_actor(const preq *r, char *out, size_t n)
{
	const bt_identity *id = &r->s.id;
	snprintf(out, n, "portal:%s", id->role == BT_ROLE_MEMBER ? id->member : id->user);
}

const char *portal_home(const bt_identity *id)
{
	return id->role == BT_ROLE_MEMBER ? "/member" : id->role == BT_ROLE_SECRETARIAT ? "/secretariat" : "/chair";
}
