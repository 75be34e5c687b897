/*
 * apis.h - receiving APIS (PAXLST) interchanges: the one ingest path shared
 * by POST /api/v1/apis/manifests and the spool directory.  See apis_api.c.
 */
#ifndef SIGM_APIS_H
#define SIGM_APIS_H

#include "api/api.h"

/* What arrived; everything borrowed from the caller for the call. */
struct apis_submission {
	const char *body;      /* raw bytes, as received */
	size_t len;
	const char *source;    /* "api" or "spool" */
	const char *actor;     /* who, for the record and the audit */
	const char *remote;    /* may be NULL */
	const char *file_name; /* spool file, may be NULL */
	const char *carrier;   /* IATA code the sender may use; NULL = any */
};

struct apis_result {
	int64_t id;     /* apis_interchanges.id */
	bool accepted;  /* manifests ingested */
	bool unusable;  /* not EDIFACT at all */
	bool forbidden; /* flights of another carrier */
	json_t *body;   /* {"id","status","sha256","manifests","errors",
			   "warnings"}; caller owns it */
};

/*
 * Parses and stores one interchange in one transaction: always the raw
 * bytes and the diagnostics; the manifests and their persons only when
 * there is no error.  Returns 0 when stored (accepted or not: see res), or
 * a negative SIGM_E* when nothing could be stored.
 */
int apis_ingest(struct store *store, const struct apis_submission *sub,
		struct apis_result *res, struct sigm_error *err);

/*
 * Screens a stored, current manifest (apis_screen.c): every person against
 * the screening index, the lost/stolen registry and the nationality rules;
 * stores the hits (a re-screen keeps reviewed hits it finds again) and
 * audits it.  *summary (new reference) counts the hits by severity.
 * SIGM_ENOTFOUND, SIGM_ECONFLICT (not the current version) or a store error.
 */
int apis_screen_manifest(struct api_ctx *ctx, int64_t mid, const char *actor,
			 const char *remote, json_t **summary,
			 struct sigm_error *err);

/* Screens the manifests an ingest created or replaced (the "manifests" of
 * struct apis_result's body) and adds "screening" to each; a failure is
 * logged and reported there, the manifest stays stored. */
void apis_screen_ingested(struct api_ctx *ctx, json_t *manifests,
			  const char *actor, const char *remote);

/*
 * The spool directory watched by `sigm serve` (apis_spool.c): started when
 * SIGM_APIS_SPOOL names a directory, else returns NULL (also on failure,
 * which is logged).  stop joins the thread and sets *sp to NULL.
 */
struct apis_spool;
struct apis_spool *apis_spool_start(struct api_ctx *ctx);
void apis_spool_stop(struct apis_spool **sp);

#endif
