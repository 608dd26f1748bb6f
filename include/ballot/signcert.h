/* signcert.h - the certificates an administration signs its returned forms
 * with (certs add --signing), and the check of a form's signer against
 * them: the signer's certificate chains, at the time the reply was
 * received, to one registered for that member and not revoked. */
#ifndef BALLOT_SIGNCERT_H
#define BALLOT_SIGNCERT_H

#include <stddef.h>
#include "ballot/db.h"
#include "ballot/err.h"
#include "ballot/timeutil.h"

/* Registers the X.509 certificate in data (len bytes, PEM or DER; a CA's
 * or an end-entity's) as one that member signs forms with, kept as DER.
 * BT_EINPUT (field "certificate") when data is no certificate, "member" for
 * an unknown member; BT_R_CONFLICT when it is registered already.
 * out_sha256 (may be NULL) receives the SHA-256 of its DER, hex. */
int bt_signing_cert_add(bt_db *db, const char *member, const void *data,
			size_t len, const char *actor, bt_time now,
			char out_sha256[65], bt_err *e);

/* 1 when a signing certificate with SHA-256 fp (64 hex digits, any case)
 * is registered (revoked or not); 0 otherwise or on a read error. */
int bt_signing_cert_known(bt_db *db, const char *fp);

/* Revokes the registered signing certificate fp: signers it vouched for
 * are no longer verified. BT_EINPUT (field "fingerprint") when it is not
 * registered or revoked already. */
int bt_signing_cert_revoke(bt_db *db, const char *fp, const char *actor,
			   bt_time now, bt_err *e);

typedef struct bt_signing_cert_info {
	char sha256[65];
	char member[4];
	char subject[256];
	int is_ca;
	bt_time not_after, registered_at;
	int revoked;
	bt_time revoked_at;
} bt_signing_cert_info;

typedef struct bt_signing_cert_list {
	bt_signing_cert_info *v;
	size_t n;
} bt_signing_cert_list;

/* Every registered signing certificate, in the order registered. */
int bt_signing_certs_list(bt_db *db, bt_signing_cert_list *out, bt_err *e);
void bt_signing_cert_list_free(bt_signing_cert_list *l);

/* A signer checked against a member's signing certificates. */
typedef struct bt_signer {
	int verified;        /* chains to a registered, unrevoked certificate
				of the member, every certificate valid at the
				time given */
	char subject[256];   /* the signer certificate's DN */
	char sha256[65];     /* SHA-256 of its DER, hex */
	char why[200];       /* when not verified: why, one line */
} bt_signer;

/* Checks the signer certificate certs[0] (DER, lens[0] bytes), with
 * certs[1..n) the other certificates the signature carries (intermediates),
 * against the unrevoked signing certificates of member as trust anchors
 * (GnuTLS trust list; an end-entity certificate registered itself is
 * trusted as it is), at time at: the signer's, the intermediates' on the
 * path and the anchor's validity dates all around at. An untrusted signer
 * is a verdict
 * (out->verified 0, out->why), not a failure; BT_EINPUT (field
 * "certificate") when certs[0] is no certificate. */
int bt_signer_check(bt_db *db, const char *member, bt_time at,
		    const unsigned char *const *certs, const size_t *lens,
		    size_t n, bt_signer *out, bt_err *e);

#endif
