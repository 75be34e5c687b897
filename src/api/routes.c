/*
 * routes.c - every HTTP route, with the one permission it requires.  The
 * OpenAPI document (/api/v1/openapi.json) is generated from this table, and
 * the role x route test walks it: a route cannot exist without a declared
 * permission.  PERM_NONE marks the few public routes.
 */
#include "api/api.h"

#include <string.h>

#define H(name) void name(struct api_req *, struct api_resp *)
H(api_healthz);
H(api_metrics_get);
H(api_openapi);
H(api_session_create);
H(api_session_get);
H(api_session_delete);
H(api_session_password);
H(api_org_units);
H(api_org_unit);
H(api_users_list);
H(api_users_get);
H(api_users_create);
H(api_users_update);
H(api_users_disable);
H(api_users_enable);
H(api_users_password);
H(api_roles_list);
H(api_audit_search);
H(api_audit_verify);
H(api_restrictions_create);
H(api_restrictions_modify);
H(api_restrictions_permit);
H(api_restrictions_lift);
H(api_restrictions_get);
H(api_restrictions_list);
H(api_alerts_create);
H(api_alerts_cancel);
H(api_alerts_get);
H(api_alerts_list);
H(api_lost_stolen_create);
H(api_lost_stolen_recover);
H(api_lost_stolen_list);
H(api_lost_stolen_get);
H(api_minors_create);
H(api_minors_get);
H(api_minors_list);
H(api_minors_revoke);
H(api_persons_get);
H(api_persons_timeline);
H(api_persons_search);
H(api_secondary_queue);
H(api_secondary_resolve);
H(api_movements_list);
H(api_movements_correct);
H(api_correction_requests_create);
H(api_correction_requests_list);
H(api_correction_requests_approve);
H(api_correction_requests_reject);
H(api_movements_contingency);
H(api_movement_stats);
H(api_overstayers);
H(api_stay_extensions_create);
H(api_stay_extensions_annul);
H(api_fines_create);
H(api_fines_status);
H(api_fines_list);
H(api_traveler_fines_list);
H(api_referrals_list);
H(api_referrals_status);
H(api_duplicates_list);
H(api_duplicates_review);
H(api_duplicates_unlink);
H(api_traveler_fines_payment);
H(api_apis_submit);
H(api_apis_list);
H(api_apis_get);
H(api_apis_interchange);
H(api_apis_carrier_set);
H(api_apis_screen);
H(api_apis_hits);
H(api_apis_review);
H(api_apis_reconciliation);
H(api_apis_schedule_post);
H(api_apis_schedule_get);
H(api_prechequeo_submit);
H(api_prechequeo_lists);
H(api_prechequeo_submissions);
H(api_prechequeo_submission);
H(api_compliance_evaluate);
H(api_compliance_report);
H(api_inspections_create);
H(api_ports_list);
H(api_blocked_exits);
H(api_certificates_create);
H(api_certificates_list);
H(api_certificates_get);
H(api_certificates_pdf);
H(api_certificates_revoke);
H(api_verify_page);
H(api_restrictions_import);
H(api_restrictions_export);
H(api_alerts_import);
H(api_alerts_export);
H(api_lost_stolen_import);
H(api_lost_stolen_export);
H(api_blocked_exits_informed);
H(api_documents_mrz);
H(api_countries_list);
H(api_screen_post);

const struct api_route api_routes[] = {
	{"GET", "/healthz", PERM_NONE, api_healthz, 0, "Estado del servicio"},
	{"GET", "/metrics", PERM_METRICS_READ, api_metrics_get, 0,
	 "Métricas Prometheus (sin datos personales)"},
	{"GET", "/api/v1/openapi.json", PERM_NONE, api_openapi, 0,
	 "Este documento"},
	{"POST", "/api/v1/session", PERM_NONE, api_session_create, 4096,
	 "Iniciar sesión"},
	{"GET", "/api/v1/session", PERM_SESSION, api_session_get, 0,
	 "Sesión actual"},
	{"DELETE", "/api/v1/session", PERM_SESSION, api_session_delete, 0,
	 "Cerrar sesión"},
	{"POST", "/api/v1/session/password", PERM_SESSION,
	 api_session_password, 4096, "Cambiar la contraseña propia"},
	{"GET", "/api/v1/org/units", PERM_ORG_READ, api_org_units, 0,
	 "Unidades de la DGME"},
	{"GET", "/api/v1/org/units/{code}", PERM_ORG_READ, api_org_unit, 0,
	 "Una unidad"},
	{"GET", "/api/v1/roles", PERM_USERS_READ, api_roles_list, 0, "Roles"},
	{"GET", "/api/v1/users", PERM_USERS_READ, api_users_list, 0,
	 "Usuarios"},
	{"POST", "/api/v1/users", PERM_USERS_WRITE, api_users_create, 8192,
	 "Crear usuario"},
	{"GET", "/api/v1/users/{username}", PERM_USERS_READ, api_users_get, 0,
	 "Un usuario"},
	{"PATCH", "/api/v1/users/{username}", PERM_USERS_WRITE,
	 api_users_update, 8192, "Modificar usuario"},
	{"POST", "/api/v1/users/{username}/disable", PERM_USERS_WRITE,
	 api_users_disable, 1024, "Deshabilitar usuario"},
	{"POST", "/api/v1/users/{username}/enable", PERM_USERS_WRITE,
	 api_users_enable, 1024, "Habilitar usuario"},
	{"POST", "/api/v1/users/{username}/password", PERM_USERS_WRITE,
	 api_users_password, 4096, "Restablecer contraseña"},
	{"GET", "/api/v1/audit", PERM_AUDIT_READ, api_audit_search, 0,
	 "Buscar en la auditoría"},
	{"GET", "/api/v1/audit/verify", PERM_AUDIT_READ, api_audit_verify, 0,
	 "Verificar la cadena de auditoría"},
	{"GET", "/api/v1/restrictions", PERM_RESTRICTIONS_READ,
	 api_restrictions_list, 0, "Buscar restricciones judiciales"},
	{"POST", "/api/v1/restrictions", PERM_RESTRICTIONS_WRITE,
	 api_restrictions_create, 16384, "Registrar una medida cautelar"},
	/* CSV (bulk.h); before {id} */
	{"GET", "/api/v1/restrictions/export", PERM_RESTRICTIONS_READ,
	 api_restrictions_export, 0, "Exportar restricciones (CSV)"},
	{"POST", "/api/v1/restrictions/import", PERM_RESTRICTIONS_WRITE,
	 api_restrictions_import, 8 * 1024 * 1024,
	 "Importar restricciones (CSV; todo o nada; ?dry_run=1)"},
	{"GET", "/api/v1/restrictions/{id}", PERM_RESTRICTIONS_READ,
	 api_restrictions_get, 0, "Una restricción con su historial"},
	{"PATCH", "/api/v1/restrictions/{id}", PERM_RESTRICTIONS_WRITE,
	 api_restrictions_modify, 16384, "Modificar una restricción"},
	{"POST", "/api/v1/restrictions/{id}/permits", PERM_RESTRICTIONS_WRITE,
	 api_restrictions_permit, 8192, "Conceder permiso de salida"},
	{"POST", "/api/v1/restrictions/{id}/lift", PERM_RESTRICTIONS_WRITE,
	 api_restrictions_lift, 8192, "Levantar (cese) una restricción"},
	{"GET", "/api/v1/blocked-exits", PERM_RESTRICTIONS_READ,
	 api_blocked_exits, 0,
	 "Intentos de salida con restricción vigente, por juzgado y causa"},
	{"POST", "/api/v1/blocked-exits/informed", PERM_RESTRICTIONS_WRITE,
	 api_blocked_exits_informed, 4096,
	 "Registrar que se informó al juzgado de los intentos de salida del día"},
	{"POST", "/api/v1/screen", PERM_SCREENING_QUERY, api_screen_post, 16384,
	 "Cotejo de una persona contra restricciones, alertas y documentos "
	 "extraviados o robados (coincidencias aproximadas, con explicación)"},
	{"GET", "/api/v1/alerts", PERM_ALERTS_READ, api_alerts_list, 0,
	 "Buscar alertas migratorias"},
	{"POST", "/api/v1/alerts", PERM_ALERTS_WRITE, api_alerts_create, 16384,
	 "Emitir una alerta migratoria"},
	{"GET", "/api/v1/alerts/export", PERM_ALERTS_READ, api_alerts_export, 0,
	 "Exportar alertas (CSV)"},
	{"POST", "/api/v1/alerts/import", PERM_ALERTS_WRITE, api_alerts_import,
	 8 * 1024 * 1024, "Importar alertas (CSV; todo o nada; ?dry_run=1)"},
	{"GET", "/api/v1/alerts/{id}", PERM_ALERTS_READ, api_alerts_get, 0,
	 "Una alerta"},
	{"POST", "/api/v1/alerts/{id}/cancel", PERM_ALERTS_WRITE,
	 api_alerts_cancel, 4096, "Cancelar una alerta"},
	{"GET", "/api/v1/documents/lost-stolen", PERM_LOST_STOLEN_READ,
	 api_lost_stolen_list, 0, "Documentos extraviados o robados"},
	{"POST", "/api/v1/documents/lost-stolen", PERM_LOST_STOLEN_WRITE,
	 api_lost_stolen_create, 8192, "Reportar un documento extraviado o robado"},
	{"GET", "/api/v1/documents/lost-stolen/export", PERM_LOST_STOLEN_READ,
	 api_lost_stolen_export, 0,
	 "Exportar documentos extraviados o robados (CSV)"},
	{"POST", "/api/v1/documents/lost-stolen/import", PERM_LOST_STOLEN_WRITE,
	 api_lost_stolen_import, 8 * 1024 * 1024,
	 "Importar listas de documentos extraviados o robados (CSV; todo o nada; ?dry_run=1)"},
	{"GET", "/api/v1/documents/lost-stolen/{id}", PERM_LOST_STOLEN_READ,
	 api_lost_stolen_get, 0, "Un reporte de documento extraviado o robado"},
	{"POST", "/api/v1/documents/lost-stolen/{id}/recover",
	 PERM_LOST_STOLEN_WRITE, api_lost_stolen_recover, 4096,
	 "Dar de baja un reporte (documento recuperado)"},
	{"POST", "/api/v1/documents/mrz", PERM_DOCUMENTS_CHECK,
	 api_documents_mrz, 4096, "Leer y validar una MRZ (ICAO 9303)"},
	{"GET", "/api/v1/countries", PERM_SESSION, api_countries_list, 0,
	 "Países (ISO 3166-1) y códigos ICAO, con nombre en español"},
	{"GET", "/api/v1/minor-authorizations", PERM_MINORS_READ,
	 api_minors_list, 0, "Autorizaciones de salida de menores (por menor)"},
	{"POST", "/api/v1/minor-authorizations", PERM_MINORS_WRITE,
	 api_minors_create, 16384,
	 "Registrar una autorización de salida de menor (LEPINA art. 44)"},
	{"GET", "/api/v1/minor-authorizations/{id}", PERM_MINORS_READ,
	 api_minors_get, 0, "Una autorización de salida de menor"},
	{"POST", "/api/v1/minor-authorizations/{id}/revoke", PERM_MINORS_WRITE,
	 api_minors_revoke, 4096,
	 "Revocar una autorización (el padre o la madre retira su consentimiento)"},
	{"GET", "/api/v1/persons", PERM_PERSONS_READ, api_persons_search, 0,
	 "Buscar personas por documento o apellidos"},
	{"GET", "/api/v1/persons/{id}", PERM_PERSONS_READ, api_persons_get, 0,
	 "Una persona con sus documentos"},
	{"GET", "/api/v1/persons/{id}/timeline", PERM_PERSONS_READ,
	 api_persons_timeline, 0,
	 "Historial de documentos, inspecciones y movimientos"},
	{"GET", "/api/v1/ports", PERM_SESSION, api_ports_list, 0,
	 "Delegaciones migratorias (aeropuertos, puestos terrestres y marítimos)"},
	{"POST", "/api/v1/inspections", PERM_INSPECT, api_inspections_create,
	 32768, "Inspección primaria: decisión y registro en un solo paso"},
	{"GET", "/api/v1/inspections", PERM_INSPECT, api_secondary_queue, 0,
	 "Cola de segunda revisión por delegación (status=pending)"},
	{"POST", "/api/v1/inspections/{id}/resolve", PERM_SECONDARY_RESOLVE,
	 api_secondary_resolve, 8192,
	 "Resolución del supervisor: admitir, inadmitir o remitir"},
	{"GET", "/api/v1/movements", PERM_MOVEMENTS_READ, api_movements_list, 0,
	 "Movimientos por delegación y día"},
	{"POST", "/api/v1/movements/contingency", PERM_SECONDARY_RESOLVE,
	 api_movements_contingency, 16384,
	 "Registrar un movimiento de contingencia (decidido en papel durante una caída)"},
	{"POST", "/api/v1/movements/{id}/corrections", PERM_SECONDARY_RESOLVE,
	 api_movements_correct, 4096,
	 "Anular un movimiento con un asiento compensatorio"},
	{"POST", "/api/v1/movements/{id}/correction-requests", PERM_INSPECT,
	 api_correction_requests_create, 4096,
	 "Pedir la anulación de un movimiento registrado por error (la decide otro supervisor)"},
	{"GET", "/api/v1/correction-requests", PERM_SECONDARY_RESOLVE,
	 api_correction_requests_list, 0,
	 "Solicitudes de anulación de movimientos, por estado"},
	{"POST", "/api/v1/correction-requests/{id}/approve", PERM_SECONDARY_RESOLVE,
	 api_correction_requests_approve, 4096,
	 "Aprobar una solicitud de anulación: el asiento compensatorio"},
	{"POST", "/api/v1/correction-requests/{id}/reject", PERM_SECONDARY_RESOLVE,
	 api_correction_requests_reject, 4096,
	 "Rechazar una solicitud de anulación, con su motivo"},
	{"GET", "/api/v1/statistics/movements", PERM_STATISTICS_READ,
	 api_movement_stats, 0,
	 "Estadística mensual de movimientos por delegación, sentido y decisión"},
	{"GET", "/api/v1/overstayers", PERM_MOVEMENTS_READ, api_overstayers, 0,
	 "Personas dentro del país con la permanencia vencida"},
	{"POST", "/api/v1/persons/{id}/stay-extensions", PERM_STAY_EXTEND,
	 api_stay_extensions_create, 4096,
	 "Conceder una prórroga de permanencia a una persona extranjera en el país"},
	{"POST", "/api/v1/stay-extensions/{id}/annul", PERM_STAY_EXTEND,
	 api_stay_extensions_annul, 4096,
	 "Anular una prórroga concedida por error, con el motivo"},
	{"GET", "/api/v1/person-duplicates", PERM_PERSONS_READ,
	 api_duplicates_list, 0,
	 "Posibles duplicados de personas, con ambos registros (status=open|same|distinct)"},
	{"POST", "/api/v1/person-duplicates/{id}/review", PERM_SECONDARY_RESOLVE,
	 api_duplicates_review, 4096,
	 "Decidir un posible duplicado: la misma persona (registros vinculados) o personas distintas"},
	{"POST", "/api/v1/person-duplicates/{id}/unlink", PERM_SECONDARY_RESOLVE,
	 api_duplicates_unlink, 4096,
	 "Deshacer un vínculo «misma persona» decidido por error, con el motivo: el caso vuelve a revisión"},
	{"GET", "/api/v1/referrals", PERM_REFERRALS_READ, api_referrals_list, 0,
	 "Remisiones a Atención al Migrante (status=open|received|closed)"},
	{"POST", "/api/v1/referrals/{id}/status", PERM_REFERRALS_WRITE,
	 api_referrals_status, 4096,
	 "Recibir o cerrar una remisión, con el resultado de la atención"},
	{"GET", "/api/v1/traveler-fines", PERM_PERSONS_READ,
	 api_traveler_fines_list, 0,
	 "Multas a viajeros (permanencia excedida): pagadas y pendientes"},
	{"POST", "/api/v1/traveler-fines/{id}/payment", PERM_SECONDARY_RESOLVE,
	 api_traveler_fines_payment, 4096,
	 "Registrar el pago de una multa pendiente con su recibo"},
	{"GET", "/api/v1/carrier-fines", PERM_FINES_READ, api_fines_list, 0,
	 "Registro de multas a transportistas"},
	{"POST", "/api/v1/carrier-fines", PERM_FINES_WRITE, api_fines_create,
	 8192, "Registrar una multa a un transportista"},
	{"POST", "/api/v1/carrier-fines/{id}/status", PERM_FINES_WRITE,
	 api_fines_status, 4096, "Estado de cobro de una multa"},
	{"GET", "/api/v1/certificates", PERM_CERTIFICATES_READ,
	 api_certificates_list, 0, "Certificaciones emitidas"},
	{"POST", "/api/v1/certificates", PERM_CERTIFICATES_WRITE,
	 api_certificates_create, 8192,
	 "Emitir una certificación de movimientos o de restricciones"},
	/* before {code}: the same path with the .pdf suffix */
	{"GET", "/api/v1/certificates/{code}.pdf", PERM_CERTIFICATES_READ,
	 api_certificates_pdf, 0, "Descargar la certificación (PDF)"},
	{"GET", "/api/v1/certificates/{code}", PERM_CERTIFICATES_READ,
	 api_certificates_get, 0, "Una certificación con lo certificado"},
	{"POST", "/api/v1/certificates/{code}/revoke", PERM_CERTIFICATES_WRITE,
	 api_certificates_revoke, 4096, "Revocar una certificación"},
	{"GET", "/verificar/{code}", PERM_NONE, api_verify_page, 0,
	 "Verificación pública de una certificación (HTML, sin datos personales)"},
	{"POST", "/api/v1/apis/manifests", PERM_APIS_SUBMIT, api_apis_submit,
	 8u << 20, "Recibir un intercambio UN/EDIFACT PAXLST (APIS) tal como llega"},
	{"POST", "/api/v1/apis/schedule", PERM_APIS_REVIEW, api_apis_schedule_post,
	 1u << 20, "Cargar las llegadas programadas del día (operador del aeropuerto)"},
	{"GET", "/api/v1/apis/schedule", PERM_APIS_READ, api_apis_schedule_get, 0,
	 "Llegadas programadas de un día"},
	{"GET", "/api/v1/apis/manifests", PERM_APIS_READ, api_apis_list, 0,
	 "Manifiestos APIS vigentes (por vuelo, fecha, transportista)"},
	{"GET", "/api/v1/apis/manifests/{id}", PERM_APIS_READ, api_apis_get, 0,
	 "Un manifiesto APIS con sus pasajeros y tripulantes"},
	{"POST", "/api/v1/apis/manifests/{id}/screen", PERM_APIS_REVIEW,
	 api_apis_screen, 0,
	 "Cotejar de nuevo un manifiesto APIS (las listas cambiaron)"},
	{"GET", "/api/v1/apis/manifests/{id}/hits", PERM_APIS_READ,
	 api_apis_hits, 0,
	 "Coincidencias del cotejo de un manifiesto, de la más grave a la más leve"},
	{"GET", "/api/v1/apis/manifests/{id}/reconciliation", PERM_APIS_READ,
	 api_apis_reconciliation, 0,
	 "Conciliación de un vuelo: no presentados y viajeros fuera del manifiesto"},
	{"POST", "/api/v1/apis/hits/{id}/review", PERM_APIS_REVIEW,
	 api_apis_review, 4096,
	 "Revisar una coincidencia APIS: descartada (cleared) o a secundaria"},
	{"GET", "/api/v1/apis/interchanges/{id}", PERM_APIS_READ,
	 api_apis_interchange, 0,
	 "Un intercambio APIS tal como se recibió, con sus errores"},
	{"POST", "/api/v1/apis/carriers", PERM_USERS_WRITE,
	 api_apis_carrier_set, 4096,
	 "Asignar la empresa de una cuenta de transportista (aerolínea: código "
	 "IATA; autobuses o naviera: código de la DGME) y su clase"},
	{"POST", "/api/v1/prechequeo/lists", PERM_APIS_SUBMIT,
	 api_prechequeo_submit, 8u << 20,
	 "Prechequeo terrestre o marítimo: lista de pasajeros de un autobús o "
	 "buque (JSON, o CSV con los datos de la lista en la consulta)"},
	{"GET", "/api/v1/prechequeo/lists", PERM_APIS_READ,
	 api_prechequeo_lists, 0,
	 "Autobuses y buques esperados en una delegación un día, con viajeros y "
	 "coincidencias"},
	{"GET", "/api/v1/prechequeo/submissions", PERM_APIS_SUBMIT,
	 api_prechequeo_submissions, 0,
	 "Listas enviadas por esta cuenta de transportista, con sus errores"},
	{"GET", "/api/v1/prechequeo/submissions/{id}", PERM_APIS_SUBMIT,
	 api_prechequeo_submission, 0,
	 "Una lista enviada por esta cuenta, tal como se recibió"},
	{"POST", "/api/v1/carrier-compliance/evaluate", PERM_FINES_WRITE,
	 api_compliance_evaluate, 4096,
	 "Evaluar el cumplimiento de los transportistas de un día (propone "
	 "multas: manifiesto tardío, faltante o inexacto, pasajero inadmitido)"},
	{"GET", "/api/v1/carrier-compliance/report", PERM_FINES_READ,
	 api_compliance_report, 0,
	 "Informe mensual de cumplimiento por transportista (JSON o "
	 "?format=csv)"},
};

const int api_nroutes = (int)(sizeof(api_routes) / sizeof(api_routes[0]));

void api_openapi(struct api_req *req, struct api_resp *resp)
{
	(void)req;
	json_t *paths = json_object();
	for (int i = 0; i < api_nroutes; i++) {
		const struct api_route *r = &api_routes[i];
		json_t *p = json_object_get(paths, r->pattern);
		if (!p) {
			p = json_object();
			json_object_set_new(paths, r->pattern, p);
		}
		json_t *params = json_array();
		for (const char *s = strchr(r->pattern, '{'); s;
		     s = strchr(s + 1, '{')) {
			const char *e = strchr(s, '}');
			json_array_append_new(
				params,
				json_pack("{s:s%, s:s, s:b, s:{s:s}}", "name",
					  s + 1, (size_t)(e - s - 1), "in",
					  "path", "required", 1, "schema",
					  "type", "string"));
		}
		char method[8];
		size_t k;
		for (k = 0; r->method[k] && k < sizeof(method) - 1; k++)
			method[k] = (char)(r->method[k] | 0x20);
		method[k] = 0;
		json_t *op = json_pack(
			"{s:s, s:s, s:o, s:{s:{s:s}}}", "summary", r->summary,
			"x-permission", authz_perm_name(r->perm), "parameters",
			params, "responses", "default", "description",
			"JSON; errores: {\"error\":{\"code\",\"field\",\"message\"}}");
		if (r->perm != PERM_NONE)
			json_object_set_new(op, "security",
					    json_pack("[{s:[]},{s:[]}]", "cookie",
						      "bearer"));
		json_object_set_new(p, method, op);
	}
	api_json(resp, 200,
		 json_pack("{s:s, s:{s:s, s:s}, s:o, s:{s:{s:{s:s, s:s, s:s}, s:{s:s, s:s}}}}",
			   "openapi", "3.0.3", "info", "title",
			   "SIGM — Sistema Integrado de Gestión Migratoria",
			   "version", "1", "paths", paths, "components",
			   "securitySchemes", "cookie", "type", "apiKey", "in",
			   "cookie", "name", "sigm_session", "bearer", "type",
			   "http", "scheme", "bearer"));
}
