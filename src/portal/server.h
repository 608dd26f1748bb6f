/* server.h - one request's life (server.c): set up (language, client
 * certificate, session), body read within its caps, dispatched through the
 * route table, answered, freed. serve.c hands these to libmicrohttpd. */
#ifndef BALLOT_PORTAL_SERVER_H
#define BALLOT_PORTAL_SERVER_H

#include <microhttpd.h>
#include <stddef.h>

/* The access handler (cls: the struct portal): called for the head, for
 * each piece of the body, and once more to answer. */
enum MHD_Result portal_handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
			       const char *version, const char *upload, size_t *upload_size, void **req_cls);
/* MHD_OPTION_NOTIFY_COMPLETED (cls: the struct portal): frees the request
 * and starts the connection's deadline for its next head. */
void portal_finish(void *cls, struct MHD_Connection *c, void **req_cls, enum MHD_RequestTerminationCode toe);

#endif
