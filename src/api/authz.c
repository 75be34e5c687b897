/*
 * authz.c - roles and the permissions they grant.
 *
 * Roles follow the DGME's units and the manual's functions: an officer of
 * Control Migratorio inspects, a supervisor also resolves secondary
 * inspections and issues alerts, the Secretaría General registers court
 * measures and signs certificates, Informática administers users, the
 * Dirección reads everything including the audit.  Each endpoint declares
 * one permission (routes.c); nothing checks role names directly.
 */
#include "api/api.h"

#include <string.h>

static const char *const perm_names[PERM__COUNT] = {
	[PERM_NONE] = "public",
	[PERM_SESSION] = "session",
	[PERM_ORG_READ] = "org.read",
	[PERM_USERS_READ] = "users.read",
	[PERM_USERS_WRITE] = "users.write",
	[PERM_AUDIT_READ] = "audit.read",
	[PERM_DOCUMENTS_CHECK] = "documents.check",
	[PERM_SCREENING_QUERY] = "screening.query",
	[PERM_METRICS_READ] = "metrics.read",
	[PERM_RESTRICTIONS_READ] = "restrictions.read",
	[PERM_RESTRICTIONS_WRITE] = "restrictions.write",
	[PERM_ALERTS_READ] = "alerts.read",
	[PERM_ALERTS_WRITE] = "alerts.write",
	[PERM_LOST_STOLEN_READ] = "lost_stolen.read",
	[PERM_LOST_STOLEN_WRITE] = "lost_stolen.write",
	[PERM_MINORS_READ] = "minors.read",
	[PERM_MINORS_WRITE] = "minors.write",
	[PERM_PERSONS_READ] = "persons.read",
	[PERM_INSPECT] = "inspections.create",
	[PERM_SECONDARY_RESOLVE] = "inspections.resolve",
	[PERM_MOVEMENTS_READ] = "movements.read",
	[PERM_FINES_READ] = "carrier_fines.read",
	[PERM_FINES_WRITE] = "carrier_fines.write",
	[PERM_CERTIFICATES_READ] = "certificates.read",
	[PERM_CERTIFICATES_WRITE] = "certificates.write",
	[PERM_APIS_SUBMIT] = "apis.submit",
	[PERM_APIS_READ] = "apis.read",
	[PERM_APIS_REVIEW] = "apis.review",
	[PERM_REFERRALS_READ] = "referrals.read",
	[PERM_REFERRALS_WRITE] = "referrals.write",
	[PERM_STAY_EXTEND] = "stay_extensions.write",
	[PERM_STATISTICS_READ] = "statistics.read",
};

#define B(p) (UINT64_C(1) << (p))
#define BASE (B(PERM_SESSION) | B(PERM_ORG_READ))

struct role {
	const char *code;
	const char *name;
	uint64_t perms;
};

static const struct role roles[] = {
	/* Officers review and pre-check minors' exit authorizations
	 * (manual, Control Migratorio 22, 25, 29). */
	{"oficial_control", "Oficial de control migratorio",
	 BASE | B(PERM_DOCUMENTS_CHECK) | B(PERM_SCREENING_QUERY) |
		 B(PERM_MINORS_READ) | B(PERM_MINORS_WRITE) | B(PERM_PERSONS_READ) |
		 B(PERM_INSPECT) | B(PERM_MOVEMENTS_READ) | B(PERM_STATISTICS_READ) | B(PERM_APIS_READ) |
		 B(PERM_APIS_REVIEW)},
	/* Supervisors issue alerts (manual, Control Migratorio 39) and see
	 * every registry the booth is checked against. */
	{"supervisor_control", "Supervisor de control migratorio",
	 BASE | B(PERM_DOCUMENTS_CHECK) | B(PERM_SCREENING_QUERY) |
		 B(PERM_ALERTS_READ) | B(PERM_ALERTS_WRITE) |
		 B(PERM_RESTRICTIONS_READ) | B(PERM_LOST_STOLEN_READ) |
		 B(PERM_MINORS_READ) | B(PERM_MINORS_WRITE) | B(PERM_PERSONS_READ) |
		 B(PERM_INSPECT) | B(PERM_SECONDARY_RESOLVE) |
		 B(PERM_MOVEMENTS_READ) | B(PERM_STATISTICS_READ) | B(PERM_FINES_READ) | B(PERM_FINES_WRITE) |
		 B(PERM_APIS_READ) | B(PERM_APIS_REVIEW) | B(PERM_REFERRALS_READ)},
	/* The Secretaría General registers court measures and their
	 * changes (functions 18-20) and certifies them. */
	{"secretaria_general", "Secretaría General",
	 BASE | B(PERM_DOCUMENTS_CHECK) | B(PERM_SCREENING_QUERY) |
		 B(PERM_RESTRICTIONS_READ) | B(PERM_RESTRICTIONS_WRITE) |
		 B(PERM_ALERTS_READ) | B(PERM_LOST_STOLEN_READ) |
		 B(PERM_LOST_STOLEN_WRITE) | B(PERM_MINORS_READ) |
		 B(PERM_PERSONS_READ) | B(PERM_MOVEMENTS_READ) | B(PERM_STATISTICS_READ) |
		 B(PERM_CERTIFICATES_READ) | B(PERM_CERTIFICATES_WRITE)},
	/* Passport branches take the reports of lost and stolen passports. */
	/* Passport and residence applications are screened too (issue 4). */
	{"pasaportes", "Emisión de pasaportes",
	 BASE | B(PERM_DOCUMENTS_CHECK) | B(PERM_SCREENING_QUERY) |
		 B(PERM_LOST_STOLEN_READ) | B(PERM_LOST_STOLEN_WRITE)},
	/* Extranjería grants the extensions of stay (prórrogas de
	 * permanencia; manual, Dirección de Extranjería 4), and so reads the
	 * ledger: who is in the country, until when, who is past it. */
	{"extranjeria", "Extranjería",
	 BASE | B(PERM_DOCUMENTS_CHECK) | B(PERM_SCREENING_QUERY) |
		 B(PERM_PERSONS_READ) | B(PERM_MOVEMENTS_READ) | B(PERM_STATISTICS_READ) |
		 B(PERM_STAY_EXTEND)},
	/* The cases Control Migratorio refers to it at the posts: possible
	 * asylum seekers, victims of trafficking, unaccompanied children,
	 * returnees (manual, Atención al Migrante 5-7, 14, 15). */
	{"atencion_migrante", "Atención al migrante",
	 BASE | B(PERM_DOCUMENTS_CHECK) | B(PERM_REFERRALS_READ) |
		 B(PERM_REFERRALS_WRITE)},
	/* Figures without names: the UAIP answers the public's requests for
	 * them, Planificación produces them (manual, UPDI 18-20); neither
	 * reads who crossed (movements.read names the travelers). */
	{"uaip", "Unidad de Acceso a la Información Pública",
	 BASE | B(PERM_STATISTICS_READ)},
	{"planificacion", "Planificación y estadística",
	 BASE | B(PERM_STATISTICS_READ)},
	{"admin_ti", "Administrador de TI",
	 BASE | B(PERM_USERS_READ) | B(PERM_USERS_WRITE) | B(PERM_AUDIT_READ) |
		 B(PERM_METRICS_READ)},
	{"direccion", "Dirección General",
	 BASE | B(PERM_AUDIT_READ) | B(PERM_USERS_READ) | B(PERM_METRICS_READ) |
		 B(PERM_RESTRICTIONS_READ) | B(PERM_ALERTS_READ) |
		 B(PERM_LOST_STOLEN_READ) | B(PERM_MINORS_READ) |
		 B(PERM_PERSONS_READ) | B(PERM_MOVEMENTS_READ) | B(PERM_STATISTICS_READ) |
		 B(PERM_FINES_READ) | B(PERM_CERTIFICATES_READ) |
		 B(PERM_APIS_READ) | B(PERM_REFERRALS_READ)},
	/* An airline's machine account: sends its APIS manifests with an API
	 * token (issue 7), and may see its own session and change its
	 * password.  Not BASE: an outside company has no business reading the
	 * organization. */
	{"transportista", "Transportista (envío de APIS)",
	 B(PERM_SESSION) | B(PERM_APIS_SUBMIT)},
};

#define NROLES ((int)(sizeof(roles) / sizeof(roles[0])))

const char *const authz_roles[] = {
	"oficial_control", "supervisor_control", "secretaria_general",
	"pasaportes",	   "extranjeria",	 "atencion_migrante",
	"uaip",		   "planificacion",	 "admin_ti",
	"direccion",	   "transportista",	 NULL};

static const struct role *find(const char *code)
{
	if (!code)
		return NULL;
	for (int i = 0; i < NROLES; i++)
		if (!strcmp(roles[i].code, code))
			return &roles[i];
	return NULL;
}

const char *authz_perm_name(enum api_perm p)
{
	return p < PERM__COUNT ? perm_names[p] : "?";
}

int authz_perm_from_name(const char *name)
{
	for (int i = 0; i < PERM__COUNT; i++)
		if (perm_names[i] && !strcmp(perm_names[i], name))
			return i;
	return -1;
}

uint64_t authz_role_perms(const char *role)
{
	const struct role *r = find(role);
	return r ? r->perms : 0;
}

bool authz_role_known(const char *role) { return find(role) != NULL; }

const char *authz_role_name(const char *role)
{
	const struct role *r = find(role);
	return r ? r->name : role;
}

json_t *authz_perms_json(uint64_t perms)
{
	json_t *a = json_array();
	for (int i = PERM_ORG_READ; i < PERM__COUNT; i++)
		if (perms & B(i))
			json_array_append_new(a, json_string(perm_names[i]));
	return a;
}
