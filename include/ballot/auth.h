/* auth.h - who may use the portal: reply codes of administrations, staff
 * accounts (secretariat, chairs) and registered client certificates.
 *
 * Secrets are never stored: a reply code or a password is kept only as a
 * slow salted hash (PBKDF2-HMAC-SHA256, the iteration count stored with it),
 * and every comparison of secret material is constant-time. Issuing,
 * revoking and registering are events in the hash-chained log (without the
 * secret); checking a secret changes nothing.
 */
#ifndef BALLOT_AUTH_H
#define BALLOT_AUTH_H

#include <stddef.h>
#include <stdint.h>
#include "ballot/consultation.h"

/* A reply code as printed: 5 groups of 5 characters of Crockford base32
 * joined by '-' (125 random bits), e.g. "7KQ2M-0ZP4X-...". */
#define BT_CODE_LEN 29
#define BT_USER_MAX 64      /* longest user name */
#define BT_PASSWORD_MIN 12  /* shortest password accepted */
#define BT_PASSWORD_MAX 256 /* longest password accepted */

typedef enum bt_role {
	BT_ROLE_NONE = 0,
	BT_ROLE_MEMBER = 1,      /* an administration (Member State) */
	BT_ROLE_SECRETARIAT = 2, /* TSB secretariat: sees and enters everything */
	BT_ROLE_CHAIR = 3        /* a study group chair: reads its group only */
} bt_role;

/* "member", "secretariat", "chair"; NULL for BT_ROLE_NONE. */
const char *bt_role_name(bt_role r);
/* Parses "secretariat" or "chair" (the roles of accounts); NONE otherwise. */
bt_role bt_role_parse(const char *s);

/* Who is signed in. */
typedef struct bt_identity {
	bt_role role;
	char member[4];                /* BT_ROLE_MEMBER: alpha-3 code */
	char circular[BT_ID_MAX + 1];  /* a reply code's consultation; "" = every
					  consultation (client certificate) */
	char user[BT_USER_MAX + 1];    /* staff account name */
	int group;                     /* BT_ROLE_CHAIR: its study group */
	int64_t code_id;               /* signed in with a reply code: which one
					  (bt_code_in_force); else 0 */
	int64_t password_seq;          /* signed in with a password: the event
					  that last set it or enabled the
					  account (bt_user_in_force); else 0 */
} bt_identity;

/* ---- reply codes ---- */

typedef struct bt_code_issued {
	char member[4];
	char code[BT_CODE_LEN + 1];
} bt_code_issued;

typedef struct bt_code_list {
	bt_code_issued *v;
	size_t n;
} bt_code_list;

/* Issues a fresh reply code for member (alpha-3 or alpha-2; NULL: every
 * member of the electorate) in circular, revoking the code it had. The
 * codes are returned once, in out (by member code); only their hashes are
 * stored. BT_EINPUT for an unknown circular or member, a member outside the
 * electorate, or a closed consultation. One transaction. */
int bt_codes_issue(bt_db *db, const char *circular, const char *member,
		   const char *actor, bt_time now, bt_code_list *out, bt_err *e);
void bt_code_list_free(bt_code_list *l);

/* bt_codes_issue for the n members listed (alpha-3 or alpha-2, each once;
 * n 0: every member of the electorate), all in one transaction: for the
 * personalized forms of `ballot forms --with-codes`. */
int bt_codes_issue_for(bt_db *db, const char *circular,
		       const char *const *members, size_t n, const char *actor,
		       bt_time now, bt_code_list *out, bt_err *e);

/* The codes of a consultation as recorded (no secret): every one issued,
 * by member, oldest first. */
typedef struct bt_code_info {
	char member[4];
	bt_time issued_at;
	int revoked;
	bt_time revoked_at;
} bt_code_info;

typedef struct bt_code_info_list {
	bt_code_info *v;
	size_t n;
} bt_code_info_list;

/* Every reply code issued for circular, in force or revoked, by member and
 * then in the order issued; BT_EINPUT for an unknown circular.
 * bt_code_info_list_free frees the list (also after a failure). */
int bt_codes_list(bt_db *db, const char *circular, bt_code_info_list *out,
		  bt_err *e);
void bt_code_info_list_free(bt_code_info_list *l);

/* Revokes member's code in circular (NULL member: every code of circular).
 * BT_EINPUT when there is none in force to revoke. */
int bt_codes_revoke(bt_db *db, const char *circular, const char *member,
		    const char *actor, bt_time now, bt_err *e);

/* Checks a reply code given at sign-in for member (alpha-3 or alpha-2).
 * Case, spaces and dashes in code are ignored. On success fills id (role
 * member, member, circular). Any mismatch (unknown member, no code in force,
 * wrong code, revoked) is the same BT_EINPUT "code: not valid for MEMBER",
 * so a caller learns nothing about which part was wrong. */
int bt_code_check(bt_db *db, const char *member, const char *code,
		  bt_identity *id, bt_err *e);

/* Sets *in_force to 1 while the reply code code_id (bt_identity.code_id)
 * is neither revoked nor replaced, else 0 (also for an unknown id). One
 * indexed look-up: cheap enough for every request of a session. */
int bt_code_in_force(bt_db *db, int64_t code_id, int *in_force, bt_err *e);

/* ---- staff accounts ---- */

/* Adds an account: name is 1-64 of [a-z0-9._-] starting with a letter;
 * role secretariat or chair (group 1-99 required for a chair, refused for
 * the secretariat); password (BT_PASSWORD_MIN..MAX bytes of clean UTF-8) or
 * NULL for a certificate-only account. BT_EINPUT for a duplicate name. */
int bt_user_add(bt_db *db, const char *name, bt_role role, int group,
		const char *password, const char *actor, bt_time now, bt_err *e);

/* Checks name and password; fills id on success. An unknown name, a
 * disabled account, an account without a password and a wrong password are
 * the same BT_EINPUT "password: wrong user name or password". */
int bt_user_check(bt_db *db, const char *name, const char *password,
		  bt_identity *id, bt_err *e);

/* Disables or enables account name, each an event (user-disable,
 * user-enable) recorded with the account's row. A disabled account signs in
 * neither with its password nor with its certificates, and its sessions
 * end (bt_user_in_force). BT_EINPUT for a bad or unknown name, disabling a
 * disabled account, enabling an enabled one. */
int bt_user_disable(bt_db *db, const char *name, const char *actor, bt_time now,
		    bt_err *e);
int bt_user_enable(bt_db *db, const char *name, const char *actor, bt_time now,
		   bt_err *e);

/* Gives account name a new password (the rules of bt_user_add), an event
 * (user-password) without the password or its hash; the sessions signed in
 * with the old one end (bt_user_in_force). BT_EINPUT for a bad or unknown
 * name, a bad password, or a certificate-only account. */
int bt_user_password(bt_db *db, const char *name, const char *password,
		     const char *actor, bt_time now, bt_err *e);

/* Sets *in_force to 1 while the staff identity id may act: its account
 * exists and is enabled and, when it signed in with a password
 * (id->password_seq), that password is still the one in force and the
 * account has not been disabled (and enabled again) since. 1 for
 * identities that are no account (members). One indexed look-up: cheap
 * enough for every request of a session. */
int bt_user_in_force(bt_db *db, const bt_identity *id, int *in_force,
		     bt_err *e);

/* An event of an account: added, disabled, enabled, given a new password. */
typedef struct bt_account_event {
	int64_t seq;
	bt_time at;
	char actor[128];
	char kind[16];              /* "user-add", "user-disable", "user-enable",
				       "user-password" */
	char name[BT_USER_MAX + 1];
} bt_account_event;

typedef struct bt_account_event_list {
	bt_account_event *v;
	size_t n;
} bt_account_event_list;

/* The events of account name (NULL: of every account), oldest first.
 * BT_EINPUT when name is given and no such account exists. */
int bt_account_events(bt_db *db, const char *name, bt_account_event_list *out,
		      bt_err *e);
void bt_account_event_list_free(bt_account_event_list *l);

typedef struct bt_user_info {
	char name[BT_USER_MAX + 1];
	bt_role role;
	int group;          /* chair: its study group; else 0 */
	int has_password;   /* 0: signs in with a certificate only */
	bt_time created_at;
	int disabled;
	bt_time disabled_at;
} bt_user_info;

typedef struct bt_user_list {
	bt_user_info *v;
	size_t n;
} bt_user_list;

/* Every account, by name (no secret). */
int bt_users_list(bt_db *db, bt_user_list *out, bt_err *e);
void bt_user_list_free(bt_user_list *l);

/* ---- client certificates ---- */

/* 1 when the X.509 certificate der (len bytes, DER) is one for signing in:
 * its extended key usage names client authentication (TLS WWW client) and
 * it is no CA's certificate. GnuTLS's verification takes a certificate
 * without extended key usage as good for any purpose, so a CA certificate
 * would otherwise pass as a client's. 0 for anything else, or not X.509. */
int bt_cert_for_clients(const unsigned char *der, size_t len);

/* Registers the client certificate with SHA-256 fingerprint fp (64 hex
 * digits of the DER certificate) for a member (member set) or an account
 * (user set), valid until not_after. */
int bt_cert_register(bt_db *db, const char *fp, const char *member,
		     const char *user, bt_time not_after, const char *actor,
		     bt_time now, bt_err *e);

/* Revokes a registered certificate. */
int bt_cert_revoke(bt_db *db, const char *fp, const char *actor, bt_time now,
		   bt_err *e);

/* The identity of a registered, unrevoked, unexpired certificate (circular
 * ""); BT_EINPUT "client certificate: not registered or revoked" otherwise. */
int bt_cert_identity(bt_db *db, const char *fp, bt_time now, bt_identity *id,
		     bt_err *e);

typedef struct bt_cert_info {
	char fp[65];
	char member[4];             /* "" for an account's certificate */
	char user[BT_USER_MAX + 1]; /* "" for a member's certificate */
	bt_time not_after, registered_at;
	int revoked;
	bt_time revoked_at;
} bt_cert_info;

typedef struct bt_cert_list {
	bt_cert_info *v;
	size_t n;
} bt_cert_list;

/* Every registered certificate, in the order registered. */
int bt_certs_list(bt_db *db, bt_cert_list *out, bt_err *e);
void bt_cert_list_free(bt_cert_list *l);

/* ---- secrets (GnuTLS) ---- */

/* Fills buf with n bytes from the key-grade random generator; BT_EFAIL when
 * it fails. */
int bt_random(void *buf, size_t n, bt_err *e);

/* 1 when the n bytes at a and b are equal, compared in constant time. */
int bt_secret_equal(const void *a, const void *b, size_t n);

#endif
