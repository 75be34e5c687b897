/*
 * test_rules.c - the primary-inspection decision (src/core/rules.c) on the
 * real reference data (data/border/, through src/api/rules_load.c): every
 * rule, and the combinations issue 5 names.
 */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "api/countries.h"
#include "api/rules_load.h"
#include "core/rules.h"
#include "harness.h"

static int32_t D(const char *s)
{
	int32_t d = CAL_NONE;
	if (cal_parse_day(s, &d, "d", NULL) != 0)
		abort();
	return d;
}

/* The real data, loaded once (kept reachable: no leak report). */
static const struct rules_tables *tables(void)
{
	static struct rules_tables *t;
	if (!t) {
		char dir[512];
		struct sigm_error e;
		snprintf(dir, sizeof(dir), "%s/data/border", t_srcdir());
		if (api_rules_load(dir, &t, &e) != 0) {
			fprintf(stderr, "cannot load %s: %s\n", dir, e.message);
			abort();
		}
	}
	return t;
}

#define TODAY "2026-06-01"

/* An adult US citizen landing at Comalapa with a good passport. */
static struct rules_input base(void)
{
	struct rules_input in = {0};
	in.today = D(TODAY);
	in.direction = RULES_ENTRY;
	in.port = "SAL";
	in.route_country = "USA";
	in.doc.kind = RULES_DOC_PASSPORT;
	in.doc.code = "P";
	in.doc.number = "X1234567";
	in.doc.issuing_state = "USA";
	in.doc.nationality = "USA";
	in.doc.expiry = D("2030-01-01");
	in.doc.mrz_present = true;
	in.doc.mrz_valid = true;
	in.doc.issuing_state_known = true;
	cal_parse("1980-05-17", &in.person.birth, "b", NULL);
	in.person.sex = 'F';
	in.person.nationality = "USA";
	in.person.carnet_valid_until = CAL_NONE;
	in.companions_listed = true;
	in.visa.valid_until = CAL_NONE;
	in.consultada.valid_until = CAL_NONE;
	in.ledger.last_date = CAL_NONE;
	in.ledger.inadmission_day = CAL_NONE;
	in.ledger.stay_entry = CAL_NONE;
	in.ledger.stay_days = -1;
	return in;
}

/* A Salvadoran adult leaving by air; last movement: an entry. */
static struct rules_input national_exit(void)
{
	struct rules_input in = base();
	in.direction = RULES_EXIT;
	in.doc.issuing_state = "SLV";
	in.doc.nationality = "SLV";
	in.person.nationality = "SLV";
	in.ledger.has_last = true;
	in.ledger.last_direction = RULES_ENTRY;
	in.ledger.last_date = D("2026-01-10");
	in.ledger.stay_entry = D("2026-01-10");
	return in;
}

static const struct rules_reason *find(const struct rules_decision *o,
				       const char *code)
{
	for (size_t i = 0; i < o->n_reasons; i++)
		if (strcmp(o->reasons[i].code, code) == 0)
			return &o->reasons[i];
	return NULL;
}

/* The error code rules_inspect answers with for in (input it refuses). */
static const char *refused(const struct rules_input *in)
{
	static struct sigm_error e;
	struct rules_decision out;
	return rules_inspect(tables(), in, &out, &e) == SIGM_EINVAL ? e.code : "";
}

static struct rules_decision run(const struct rules_input *in)
{
	struct rules_decision out;
	struct sigm_error e;
	int rc = rules_inspect(tables(), in, &out, &e);
	if (rc != 0) {
		fprintf(stderr, "rules_inspect: %s (%s)\n", e.message, e.field);
		abort();
	}
	return out;
}

/* ---------------------------------------------------------------- */

static void t_data_loads(void)
{
	const struct rules_tables *t = tables();
	const struct rules_port *p = rules_port_find(t, "SAL");
	T_ASSERT(p != NULL);
	T_EQ_INT(p->kind, RULES_PORT_AIR);
	T_ASSERT(p->active);
	p = rules_port_find(t, "hac");
	T_ASSERT(p != NULL);
	T_EQ_INT(p->kind, RULES_PORT_LAND);
	T_EQ_STR(p->neighbour, "GTM");
	T_EQ_STR(rules_port_find(t, "AMA")->neighbour, "HND");
	/* the code APIS manifests name an airport by (the booth link) */
	T_EQ_STR(rules_port_find(t, "SAL")->iata, "SAL");
	T_EQ_STR(rules_port_find(t, "ILO")->iata, "ILS");
	T_EQ_STR(rules_port_find(t, "HAC")->iata, "");
	T_EQ_INT(rules_port_find(t, "ACA")->kind, RULES_PORT_SEA);
	T_ASSERT(!rules_port_find(t, "BDS")->active);
	T_ASSERT(rules_port_find(t, "NOPE") == NULL);
	T_EQ_STR(t->home, "SLV");
	T_ASSERT(rules_is_ca4(t, "GTM") && rules_is_ca4(t, "NIC") &&
		 rules_is_ca4(t, "SLV") && !rules_is_ca4(t, "CRI"));
	int32_t d = D(TODAY);
	T_EQ_INT(rules_category(t, "USA", d), RULES_CAT_A);
	T_EQ_INT(rules_category(t, "BOL", d), RULES_CAT_B);
	T_EQ_INT(rules_category(t, "AFG", d), RULES_CAT_C);
	T_EQ_INT(rules_category(t, "TWN", d), RULES_CAT_UNKNOWN);
	T_EQ_INT(rules_category(t, "ZZZ", d), RULES_CAT_UNKNOWN);
	T_EQ_INT(rules_stay_days(t, RULES_STAY_CA4, d), 90);
	T_EQ_INT(rules_stay_days(t, RULES_STAY_CAT_A, d), 90);
	T_EQ_INT(rules_stay_days(t, RULES_STAY_CA4, D("2000-01-01")), -1);
	T_EQ_INT(t->min_passport_validity_months, 6);
	T_EQ_INT(t->n_fines, 1);
	T_ASSERT(!t->fines[0].known);
}

/* Writes the three files into a fresh directory; NULL keeps the real one. */
static char *scratch(const char *ports, const char *nat, const char *fines)
{
	static char dir[64];
	char path[128], src[512];
	snprintf(dir, sizeof(dir), "/tmp/sigm-rules-XXXXXX");
	if (!mkdtemp(dir))
		abort();
	const char *names[3] = {"ports.json", "nationality_rules.json",
				"fines.json"};
	const char *texts[3] = {ports, nat, fines};
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		FILE *f = fopen(path, "w");
		if (!f)
			abort();
		if (texts[i]) {
			fputs(texts[i], f);
		} else {
			snprintf(src, sizeof(src), "%s/data/border/%s",
				 t_srcdir(), names[i]);
			FILE *in = fopen(src, "r");
			int ch;
			while (in && (ch = fgetc(in)) != EOF)
				fputc(ch, f);
			if (in)
				fclose(in);
		}
		fclose(f);
	}
	return dir;
}

static void cleanup(const char *dir)
{
	char path[128];
	const char *names[3] = {"ports.json", "nationality_rules.json",
				"fines.json"};
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void t_loader_rejects_bad_data(void)
{
	struct rules_tables *t = (void *)1;
	struct sigm_error e;
	char *dir;

	T_EQ_INT(api_rules_load("/nonexistent-dir", &t, &e), SIGM_EIO);
	T_ASSERT(t == NULL);

	dir = scratch("{\"effective_from\":\"2020-01-01\",\"ports\":[]}",
		      NULL, NULL);
	T_EQ_INT(api_rules_load(dir, &t, &e), SIGM_EINVAL);
	T_ASSERT(strstr(e.message, "source") != NULL);
	cleanup(dir);

	dir = scratch("{\"source\":\"x\",\"effective_from\":\"2020-01-01\","
		      "\"ports\":[{\"code\":\"HAC\",\"name\":\"La "
		      "Hachadura\",\"kind\":\"land\",\"neighbour\":null,"
		      "\"active\":true,\"source\":\"x\"}]}",
		      NULL, NULL);
	T_EQ_INT(api_rules_load(dir, &t, &e), SIGM_EINVAL);
	T_ASSERT(strstr(e.message, "neighbour") != NULL);
	cleanup(dir);

	dir = scratch("{\"source\":\"x\",\"effective_from\":\"2020-01-01\","
		      "\"ports\":[{\"code\":\"SAL\",\"name\":\"A\",\"kind\":"
		      "\"air\",\"active\":true,\"source\":\"x\"},{\"code\":"
		      "\"SAL\",\"name\":\"B\",\"kind\":\"air\",\"active\":true,"
		      "\"source\":\"x\"}]}",
		      NULL, NULL);
	T_EQ_INT(api_rules_load(dir, &t, &e), SIGM_EINVAL);
	T_ASSERT(strstr(e.message, "repetido") != NULL);
	cleanup(dir);

	/* an IATA code is three letters, and only an airport has one */
	dir = scratch("{\"source\":\"x\",\"effective_from\":\"2020-01-01\","
		      "\"ports\":[{\"code\":\"HAC\",\"iata\":\"HAC\",\"name\":\"La "
		      "Hachadura\",\"kind\":\"land\",\"neighbour\":\"GTM\","
		      "\"active\":true,\"source\":\"x\"}]}",
		      NULL, NULL);
	T_EQ_INT(api_rules_load(dir, &t, &e), SIGM_EINVAL);
	T_ASSERT(strstr(e.message, "iata") != NULL);
	cleanup(dir);
	dir = scratch("{\"source\":\"x\",\"effective_from\":\"2020-01-01\","
		      "\"ports\":[{\"code\":\"SAL\",\"iata\":\"sal1\",\"name\":\"A\","
		      "\"kind\":\"air\",\"active\":true,\"source\":\"x\"}]}",
		      NULL, NULL);
	T_EQ_INT(api_rules_load(dir, &t, &e), SIGM_EINVAL);
	T_ASSERT(strstr(e.message, "iata") != NULL);
	cleanup(dir);

	/* Two rows for one nationality in force at once: ambiguous. */
	const char *nat =
		"{\"source\":\"x\",\"effective_from\":\"2020-01-01\","
		"\"home\":\"SLV\",\"ca4\":{\"members\":[\"SLV\",\"GTM\"]},"
		"\"stays\":[],\"nationalities\":["
		"{\"code\":\"USA\",\"category\":\"A\",\"effective_from\":null,"
		"\"source\":\"x\"},"
		"{\"code\":\"USA\",\"category\":\"B\",\"effective_from\":"
		"\"2025-01-01\",\"source\":\"x\"}]}";
	dir = scratch(NULL, nat, NULL);
	T_EQ_INT(api_rules_load(dir, &t, &e), SIGM_EINVAL);
	T_ASSERT(strstr(e.message, "fila 2") != NULL);
	cleanup(dir);

	/* The same, but the first row ends the day before: a policy
	 * change, loads, and the category depends on the date. */
	nat = "{\"source\":\"x\",\"effective_from\":\"2020-01-01\","
	      "\"home\":\"SLV\",\"ca4\":{\"members\":[\"SLV\",\"GTM\"]},"
	      "\"stays\":[],\"nationalities\":["
	      "{\"code\":\"USA\",\"category\":\"A\",\"effective_from\":null,"
	      "\"effective_to\":\"2024-12-31\",\"source\":\"x\"},"
	      "{\"code\":\"USA\",\"category\":\"B\",\"effective_from\":"
	      "\"2025-01-01\",\"source\":\"x\"}]}";
	dir = scratch(NULL, nat, NULL);
	T_EQ_INT(api_rules_load(dir, &t, &e), 0);
	T_EQ_INT(rules_category(t, "USA", D("2024-12-31")), RULES_CAT_A);
	T_EQ_INT(rules_category(t, "USA", D("2025-01-01")), RULES_CAT_B);
	api_rules_free(t);
	cleanup(dir);

	dir = scratch(NULL,
		      "{\"source\":\"x\",\"effective_from\":\"2020-01-01\","
		      "\"home\":\"SLV\",\"ca4\":{\"members\":[\"SLV\"]},"
		      "\"stays\":[],\"nationalities\":[{\"code\":\"USA\","
		      "\"category\":\"D\",\"source\":\"x\"}]}",
		      NULL);
	T_EQ_INT(api_rules_load(dir, &t, &e), SIGM_EINVAL);
	T_ASSERT(strstr(e.message, "category") != NULL);
	cleanup(dir);

	dir = scratch(NULL, NULL,
		      "{\"source\":\"x\",\"effective_from\":\"2020-01-01\","
		      "\"fines\":[{\"applies_to\":\"overstay\",\"basis\":\"b\","
		      "\"per_day_usd\":\"diez\",\"source\":\"x\"}]}");
	T_EQ_INT(api_rules_load(dir, &t, &e), SIGM_EINVAL);
	cleanup(dir);

	dir = scratch("{not json", NULL, NULL);
	T_EQ_INT(api_rules_load(dir, &t, &e), SIGM_EINVAL);
	cleanup(dir);

	/* a key typed wrong: the row was taken as in force for ever */
	nat = "{\"source\":\"x\",\"effective_from\":\"2020-01-01\","
	      "\"home\":\"SLV\",\"ca4\":{\"members\":[\"SLV\"]},"
	      "\"stays\":[],\"nationalities\":[{\"code\":\"USA\","
	      "\"category\":\"C\",\"effective_form\":\"2030-01-01\","
	      "\"source\":\"x\",\"note\":\"n\",\"_doc\":\"d\"}]}";
	dir = scratch(NULL, nat, NULL);
	T_EQ_INT(api_rules_load(dir, &t, &e), SIGM_EINVAL);
	T_ASSERT(strstr(e.message, "fila 1") && strstr(e.message, "effective_form"));
	cleanup(dir);
	/* a stay that ends before it starts: every such traveler got no stay */
	nat = "{\"source\":\"x\",\"effective_from\":\"2020-01-01\","
	      "\"home\":\"SLV\",\"ca4\":{\"members\":[\"SLV\"]},"
	      "\"stays\":[{\"who\":\"A\",\"days\":90,\"effective_from\":"
	      "\"2026-12-07\",\"effective_to\":\"2026-12-01\",\"source\":\"x\"}],"
	      "\"nationalities\":[]}";
	dir = scratch(NULL, nat, NULL);
	T_EQ_INT(api_rules_load(dir, &t, &e), SIGM_EINVAL);
	T_ASSERT(strstr(e.message, "effective_to antes") != NULL);
	cleanup(dir);
	/* a fine for "overstays": skipped, and overstays went unfined */
	dir = scratch(NULL, NULL,
		      "{\"source\":\"x\",\"effective_from\":\"2020-01-01\","
		      "\"fines\":[{\"applies_to\":\"overstays\",\"basis\":\"b\","
		      "\"per_day_usd\":3,\"source\":\"x\"}]}");
	T_EQ_INT(api_rules_load(dir, &t, &e), SIGM_EINVAL);
	T_ASSERT(strstr(e.message, "applies_to") != NULL);
	cleanup(dir);
	dir = scratch(NULL, NULL,
		      "{\"source\":\"x\",\"effective_from\":\"2020-01-01\","
		      "\"fines\":[{\"applies_to\":\"overstay\",\"basis\":\"b\","
		      "\"per_day_usd\":3,\"effective_from\":\"2027-01-01\","
		      "\"effective_to\":\"2026-01-01\",\"source\":\"x\"}]}");
	T_EQ_INT(api_rules_load(dir, &t, &e), SIGM_EINVAL);
	T_ASSERT(strstr(e.message, "effective_to antes") != NULL);
	cleanup(dir);
	/* zeros: a known fine of US$ 0, and a cap of 0 taken as none */
	static const char *const zeros[] = {
		"\"fixed_usd\":0,\"per_day_usd\":0", "\"per_day_usd\":0",
		"\"fixed_usd\":0,\"per_day_usd\":null", "\"per_day_usd\":3,\"max_usd\":0"};
	for (size_t z = 0; z < sizeof(zeros) / sizeof(zeros[0]); z++) {
		char fines[400];
		snprintf(fines, sizeof(fines),
			 "{\"source\":\"x\",\"effective_from\":\"2020-01-01\","
			 "\"fines\":[{\"applies_to\":\"overstay\",\"basis\":\"b\","
			 "%s,\"source\":\"x\"}]}", zeros[z]);
		dir = scratch(NULL, NULL, fines);
		T_EQ_INT(api_rules_load(dir, &t, &e), SIGM_EINVAL);
		T_ASSERT(strstr(e.message, "US$ 0") || strstr(e.message, "max_usd"));
		cleanup(dir);
	}
	/* a fixed part of 0 beside a per-day amount is a fine */
	dir = scratch(NULL, NULL,
		      "{\"source\":\"x\",\"effective_from\":\"2020-01-01\","
		      "\"fines\":[{\"applies_to\":\"overstay\",\"basis\":\"b\","
		      "\"fixed_usd\":0,\"per_day_usd\":3,\"source\":\"x\"}]}");
	T_EQ_INT(api_rules_load(dir, &t, &e), 0);
	T_ASSERT(t->fines[0].known && t->fines[0].per_day_cents == 300);
	api_rules_free(t);
	cleanup(dir);
}

/* Every code the tables name is a country: "HDN" for Honduras loaded and
 * sent every Honduran to secondary. */
static void t_loader_checks_countries(void)
{
	struct api_countries *c = NULL;
	struct sigm_error e;
	if (api_countries_load(NULL, NULL, &c, &e) != 0) {
		fprintf(stderr, "iso-codes missing: %s\n", e.message);
		T_ASSERT(0);
		return;
	}
	struct rules_tables *t = NULL;
	char *dir = scratch(NULL, NULL, NULL);
	T_EQ_INT(api_rules_load(dir, &t, &e), 0);
	T_EQ_INT(api_rules_check_countries(t, api_countries_table(c), &e), 0);
	api_rules_free(t);
	cleanup(dir);
	const char *nat =
		"{\"source\":\"x\",\"effective_from\":\"2020-01-01\","
		"\"home\":\"SLV\",\"ca4\":{\"members\":[\"SLV\",\"HDN\"]},"
		"\"stays\":[],\"nationalities\":[]}";
	dir = scratch(NULL, nat, NULL);
	T_EQ_INT(api_rules_load(dir, &t, &e), 0);
	T_EQ_INT(api_rules_check_countries(t, api_countries_table(c), &e), SIGM_EINVAL);
	T_ASSERT(strstr(e.message, "fila 2") && strstr(e.message, "HDN"));
	api_rules_free(t);
	cleanup(dir);
	nat = "{\"source\":\"x\",\"effective_from\":\"2020-01-01\","
	      "\"home\":\"SLV\",\"ca4\":{\"members\":[\"SLV\"]},"
	      "\"stays\":[],\"nationalities\":[{\"code\":\"RKS\",\"category\":\"B\","
	      "\"source\":\"x\"},{\"code\":\"XYZ\",\"category\":\"A\",\"source\":\"x\"}]}";
	dir = scratch(NULL, nat, NULL);
	T_EQ_INT(api_rules_load(dir, &t, &e), 0);
	T_EQ_INT(api_rules_check_countries(t, api_countries_table(c), &e), SIGM_EINVAL);
	T_ASSERT(strstr(e.message, "fila 2") && strstr(e.message, "XYZ"));
	api_rules_free(t);
	cleanup(dir);
	api_countries_free(&c);
}

/* ---------------------------------------------------------------- */

static void t_admit_foreigner_category_a(void)
{
	struct rules_input in = base();
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_EQ_INT(o.category, RULES_CAT_A);
	T_EQ_INT(o.stay_days_granted, 90);
	T_EQ_INT(o.stay_until, D("2026-08-29"));
	T_ASSERT(find(&o, "stay_granted") != NULL);
	T_EQ_INT(o.age_min, 46);
	T_ASSERT(!o.minor && !o.national);
}

/* The one rule of a number taken from outside: every spelling the booth
 * takes is the same number, and every refusal is the same code naming the
 * field */
static void t_docno_read(void)
{
	char b[RULES_DOCNO_MAX + 1];
	struct sigm_error e;
	T_EQ_INT(rules_docno_read("  ab 12-34 ", "document.number", NULL, b, &e), 0);
	T_EQ_STR(b, "AB1234");
	T_EQ_INT(rules_docno_read("01234567-8", "f", NULL, b, &e), 0);
	T_EQ_STR(b, "012345678");
	T_EQ_INT(rules_docno_read("rc/2024.0001", "f", NULL, b, &e), 0);
	T_EQ_STR(b, "RC20240001");
	T_EQ_INT(rules_docno_read("x1234 567/a.b", "f", NULL, b, &e), 0);
	T_EQ_STR(b, "X1234567AB");
	T_EQ_INT(rules_docno_read("a1b2", "f", NULL, b, &e), 0); /* 4: the least */
	T_EQ_STR(b, "A1B2");
	T_EQ_INT(rules_docno_read("1234567890-1234567890", "f", NULL, b, &e), 0); /* 20 */
	T_EQ_STR(b, "12345678901234567890");
	static const char *const bad[] = {
		"", "   ", "--", "A", "AB1", "a-b-1", "ABC$123", "AB#1234",
		"\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80", /* 4 emoji */
		"\xc3\x91" "1234",	/* Ñ */
		"AB12\t34", "123456789012345678901", /* 21 */
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL};
	for (int i = 0; bad[i]; i++) {
		memset(b, 'Z', sizeof(b));
		sigm_error_clear(&e);
		T_EQ_INT(rules_docno_read(bad[i], "minor.document_number", NULL, b, &e), SIGM_EINVAL);
		T_EQ_STR(e.code, "invalid_document_number");
		T_EQ_STR(e.field, "minor.document_number");
		T_ASSERT(strstr(e.message, "«minor.document_number»") != NULL);
		T_EQ_STR(b, ""); /* nothing half-read for a careless caller */
	}
	T_EQ_INT(rules_docno_read(NULL, "f", NULL, b, &e), SIGM_EINVAL);
	/* the reason is said */
	rules_docno_read("AB1", "f", NULL, b, &e);
	T_ASSERT(strstr(e.message, "al menos 4") != NULL);
	rules_docno_read("123456789012345678901", "f", NULL, b, &e);
	T_ASSERT(strstr(e.message, "hasta 20") != NULL);
	rules_docno_read("RT#1234", "residence.carnet_number", "número de carné", b, &e);
	T_ASSERT(strstr(e.message, "número de carné") == e.message);
	/* NULL err: the code alone */
	T_EQ_INT(rules_docno_read("A", "f", NULL, b, NULL), SIGM_EINVAL);
}

static void t_apis(void)
{
	struct rules_input in = base();
	/* no manifest for the flight: nothing said */
	struct rules_decision o = run(&in);
	T_ASSERT(!find(&o, "not_on_manifest") && !find(&o, "apis_secondary"));
	/* a manifest without the traveler: a warning, still admitted */
	in.apis.manifest = true;
	in.apis.record = "apis_manifest:7";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	const struct rules_reason *r = find(&o, "not_on_manifest");
	T_ASSERT(r != NULL);
	T_EQ_INT(r->severity, RULES_SEV_WARNING);
	T_EQ_STR(r->record, "apis_manifest:7");
	T_ASSERT(strstr(r->message, "tarjeta de embarque") != NULL);
	/* a ship's list: its name is checked, not a plate; a bus's, its plate */
	in.port = "ACA";
	o = run(&in);
	r = find(&o, "not_on_manifest");
	T_ASSERT(r && strstr(r->message, "nombre del buque") && !strstr(r->message, "placa"));
	in.port = "HAC";
	o = run(&in);
	r = find(&o, "not_on_manifest");
	T_ASSERT(r && strstr(r->message, "placa del autobús") && !strstr(r->message, "buque"));
	in.port = "SAL";
	/* on the manifest, pre-checked and cleared: nothing */
	in.apis.on_manifest = true;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_ASSERT(!find(&o, "not_on_manifest") && !find(&o, "apis_secondary"));
	/* sent to secondary by the desk, with its note */
	in.apis.secondary = true;
	in.apis.record = "apis_hit:3";
	in.apis.note = "orden de captura";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	r = find(&o, "apis_secondary");
	T_ASSERT(r != NULL);
	T_EQ_INT(r->severity, RULES_SEV_SECONDARY);
	T_EQ_STR(r->record, "apis_hit:3");
	T_EQ_STR(r->detail, "orden de captura");
	T_ASSERT(strstr(r->message, "orden de captura") != NULL);
}

static void t_admit_national_exit(void)
{
	struct rules_input in = national_exit();
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_ASSERT(o.national);
	T_EQ_INT(o.overstay_days, 0); /* nationals have no stay limit */
}

static void t_mrz_invalid_secondary(void)
{
	struct rules_input in = base();
	in.doc.mrz_valid = false;
	in.doc.mrz_errors = "check_digit_document_number";
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	const struct rules_reason *r = find(&o, "mrz_invalid");
	T_ASSERT(r != NULL);
	T_EQ_STR(r->detail, "check_digit_document_number");
	/* no MRZ at all (manual entry) is not an MRZ error */
	in.doc.mrz_present = false;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
}

static void t_document_expired_refuse(void)
{
	struct rules_input in = base();
	in.doc.expiry = D("2026-05-31");
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_REFUSE);
	const struct rules_reason *r = find(&o, "document_expired");
	T_ASSERT(r != NULL);
	T_ASSERT(strstr(r->message, "31 may 2026") != NULL);
	T_EQ_INT(r->severity, RULES_SEV_REFUSE);
	/* refused: no stay is granted, nor said */
	T_ASSERT(find(&o, "stay_granted") == NULL);
	T_EQ_INT(o.stay_days_granted, 0);
	T_EQ_INT(o.stay_until, CAL_NONE);

	/* valid through the day it expires, for an exit */
	in = national_exit();
	in.doc.expiry = D(TODAY);
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);

	in.doc.expiry = CAL_NONE;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "document_expiry_missing") != NULL);
}

static void t_passport_validity_on_entry(void)
{
	struct rules_input in = base();
	in.doc.expiry = D("2026-11-30"); /* < 6 months */
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "document_validity_insufficient") != NULL);
	in.doc.expiry = D("2026-12-01"); /* exactly 6 months */
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	/* not on exit */
	in.doc.expiry = D("2026-07-01");
	in.direction = RULES_EXIT;
	in.ledger.has_last = true;
	in.ledger.last_direction = RULES_ENTRY;
	in.ledger.last_date = D("2026-05-01");
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
}

static void t_lost_stolen_refuse_with_record(void)
{
	struct rules_input in = base();
	in.doc.lost_stolen = true;
	in.doc.lost_stolen_record = "LS-2026-0042";
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_REFUSE);
	const struct rules_reason *r = find(&o, "document_lost_stolen");
	T_ASSERT(r != NULL);
	T_EQ_STR(r->record, "LS-2026-0042");
	T_ASSERT(strstr(r->message, "X1234567") != NULL);
}

static void t_issuing_state_unknown(void)
{
	struct rules_input in = base();
	in.doc.issuing_state = "ZZZ";
	in.doc.issuing_state_known = false;
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(strstr(find(&o, "issuing_state_unknown")->message, "ZZZ"));
}

static void t_document_not_accepted(void)
{
	struct rules_input in = base();
	in.doc.kind = RULES_DOC_OTHER;
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "document_not_accepted") != NULL);
}

/* No document shown: secondary for that alone, and nothing said of a
 * document's expiry, issuer or kind; a Salvadoran too (never admitted at
 * the booth on their word) */
static void t_document_missing(void)
{
	struct rules_input in = base();
	in.doc.kind = RULES_DOC_NONE;
	in.doc.number = NULL;
	in.doc.issuing_state = NULL;
	in.doc.issuing_state_known = false;
	in.doc.expiry = CAL_NONE;
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "document_missing") != NULL);
	T_ASSERT(find(&o, "document_expiry_missing") == NULL);
	T_ASSERT(find(&o, "issuing_state_unknown") == NULL);
	T_ASSERT(find(&o, "document_not_accepted") == NULL);
	in.person.nationality = "SLV";
	in.doc.nationality = "";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "document_missing") != NULL);
	T_EQ_INT(rules_doc_kind_parse("none"), RULES_DOC_NONE);
	/* nor a nationality said: the visa rule says so, not «de :» */
	in.person.nationality = "";
	o = run(&in);
	const struct rules_reason *v = find(&o, "visa_category_unknown");
	T_ASSERT(v != NULL);
	T_EQ_STR(v->message, "No consta la nacionalidad: verifique los requisitos de ingreso.");
}

static void t_expired_passport_with_watchlist_hit(void)
{
	struct rules_input in = base();
	struct rules_hit hit = {.category = RULES_HIT_ALERT,
				.sub = RULES_ALERT_INTERPOL,
				.score = 0.93,
				.threshold = 0.85,
				.record = "AL-77",
				.explanation = "nombre y fecha de nacimiento "
					       "coinciden",
				.until = CAL_NONE};
	in.doc.expiry = D("2025-01-01");
	in.hits = &hit;
	in.n_hits = 1;
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_REFUSE); /* the most severe wins */
	T_ASSERT(find(&o, "document_expired") != NULL);
	const struct rules_reason *r = find(&o, "watchlist_match");
	T_ASSERT(r != NULL);
	T_EQ_STR(r->record, "AL-77");
	T_EQ_INT(r->severity, RULES_SEV_SECONDARY);
	T_ASSERT(strstr(r->message, "Interpol") != NULL);
	T_EQ_STR(r->detail, "nombre y fecha de nacimiento coinciden");
}

static void t_screening_threshold_and_categories(void)
{
	struct rules_input in = base();
	struct rules_hit hit = {.category = RULES_HIT_WANTED,
				.score = 0.80,
				.threshold = 0.85,
				.record = "W-1",
				.until = CAL_NONE};
	in.hits = &hit;
	in.n_hits = 1;
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT); /* below the threshold */
	hit.score = 0.85;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY); /* at the threshold */
	hit.score = NAN; /* a broken score never hides a hit */
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);

	hit.score = 0.9;
	hit.category = RULES_HIT_ALERT;
	hit.sub = RULES_ALERT_TRAFFICKING_VICTIM;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(strstr(find(&o, "watchlist_match")->message, "trata"));

	/* restriction hits matter on exit only */
	hit.category = RULES_HIT_RESTRICTION;
	hit.sub = RULES_ALERT_NONE;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	in = national_exit();
	in.hits = &hit;
	in.n_hits = 1;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
}

static void t_reentry_ban(void)
{
	struct rules_input in = base();
	struct rules_hit hit = {.category = RULES_HIT_ALERT,
				.sub = RULES_ALERT_REENTRY_BAN,
				.score = 0.95,
				.threshold = 0.85,
				.record = "EXP-9",
				.until = D("2030-01-01")};
	in.hits = &hit;
	in.n_hits = 1;
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_REFUSE);
	T_EQ_STR(find(&o, "reentry_ban")->record, "EXP-9");
	hit.until = CAL_NONE; /* indefinite */
	o = run(&in);
	T_EQ_INT(o.decision, RULES_REFUSE);
	hit.until = D("2026-05-31"); /* over */
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_ASSERT(find(&o, "reentry_ban") == NULL);
	hit.until = D("2030-01-01"); /* a ban does not stop an exit */
	in.direction = RULES_EXIT;
	in.ledger.has_last = true;
	in.ledger.last_direction = RULES_ENTRY;
	in.ledger.last_date = D("2026-05-01");
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
}

static void t_check_failed_never_admits(void)
{
	for (unsigned bit = 1; bit <= RULES_CHECK_OTHER; bit <<= 1) {
		struct rules_input in = base();
		in.checks_failed = bit;
		struct rules_decision o = run(&in);
		T_EQ_INT(o.decision, RULES_SECONDARY);
		T_ASSERT(find(&o, "check_failed") != NULL);
	}
	struct rules_input in = base();
	in.checks_failed = RULES_CHECK_SCREENING | RULES_CHECK_DATABASE;
	in.check_detail = "timeout del índice";
	struct rules_decision o = run(&in);
	const struct rules_reason *r = find(&o, "check_failed");
	T_ASSERT(strstr(r->message, "listas de alertas") != NULL);
	T_ASSERT(strstr(r->message, "base de datos") != NULL);
	T_EQ_STR(r->detail, "timeout del índice");
	/* a refusal stays a refusal */
	in.doc.lost_stolen = true;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_REFUSE);
}

/* ---------------------------------------------------------------- */
/* Court restrictions                                               */

static struct rules_restriction exit_ban(void)
{
	struct rules_restriction r = {0};
	r.record = "RJ-2026-15";
	r.measure = RULES_MEASURE_EXIT_BAN;
	r.effective_from = D("2026-01-01");
	r.effective_to = CAL_NONE;
	return r;
}

static void t_exit_ban(void)
{
	struct rules_input in = national_exit();
	struct rules_restriction r = exit_ban();
	in.restrictions = &r;
	in.n_restrictions = 1;
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_REFUSE);
	T_EQ_STR(find(&o, "exit_ban")->record, "RJ-2026-15");

	/* does not apply on entry */
	in.direction = RULES_ENTRY;
	in.ledger.last_direction = RULES_EXIT;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
}

static void t_exit_ban_lifted_expired_future(void)
{
	struct rules_input in = national_exit();
	struct rules_restriction r = exit_ban();
	in.restrictions = &r;
	in.n_restrictions = 1;
	r.lifted = true;
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_ASSERT(find(&o, "exit_ban") == NULL);
	r.lifted = false;
	r.effective_to = D("2026-05-31");
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	r.effective_to = D(TODAY); /* last day: still in force */
	o = run(&in);
	T_EQ_INT(o.decision, RULES_REFUSE);
	r.effective_from = D("2026-06-02");
	r.effective_to = CAL_NONE;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
}

static void t_exit_permit(void)
{
	struct rules_input in = national_exit();
	struct rules_restriction r = exit_ban();
	struct rules_permit p = {.from = D("2026-05-30"),
				 .to = D("2026-06-10"),
				 .destination = "USA",
				 .record = "PS-3"};
	r.permits = &p;
	r.n_permits = 1;
	in.restrictions = &r;
	in.n_restrictions = 1;
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	const struct rules_reason *x = find(&o, "exit_permit_applies");
	T_ASSERT(x != NULL);
	T_EQ_STR(x->record, "PS-3");
	T_EQ_INT(x->severity, RULES_SEV_INFO);

	/* permit outside its dates */
	p.from = D("2026-07-01");
	p.to = D("2026-07-15");
	o = run(&in);
	T_EQ_INT(o.decision, RULES_REFUSE);
	T_ASSERT(strstr(find(&o, "exit_ban")->message, "1 jul 2026") != NULL);

	/* permit for another destination */
	p.from = D("2026-05-30");
	p.to = D("2026-06-10");
	in.route_country = "MEX";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "exit_permit_destination_mismatch") != NULL);
	/* the officer reads the countries by name when the caller has them */
	T_ASSERT(strstr(find(&o, "exit_permit_destination_mismatch")->message,
			"es para USA, pero el viaje declarado es a MEX") != NULL);
	static const struct mrz_country names[] = {{"MEX", "México"},
						   {"USA", "Estados Unidos"}};
	in.countries = &(struct mrz_countries){names, 2};
	o = run(&in);
	T_ASSERT(strstr(find(&o, "exit_permit_destination_mismatch")->message,
			"es para Estados Unidos (USA), pero el viaje declarado "
			"es a México (MEX)") != NULL);
	/* the trip's destination not declared: not known to be the one
	 * the court allowed (it was admitted saying nothing; then a 422
	 * answered no decision): admitted, the officer told where the
	 * permit is for, to confirm on the ticket */
	in.route_country = NULL;
	T_EQ_STR(refused(&in), "");
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	x = find(&o, "destination_unconfirmed");
	T_ASSERT(x != NULL);
	T_EQ_INT(x->severity, RULES_SEV_WARNING);
	T_ASSERT(strstr(x->message, "El permiso judicial de salida (del ") == x->message);
	T_ASSERT(strstr(x->message, "es para Estados Unidos (USA), y no se declaró el destino del viaje: "
			"confirme en el pasaje o la tarjeta de embarque que el viaje es a Estados Unidos (USA); "
			"si es a otro país, envíe a segunda revisión.") != NULL);
	T_ASSERT(find(&o, "exit_permit_destination_mismatch") == NULL);
	/* ...unless something else decides: an expired passport refuses,
	 * and the case says the destination was not declared (asking for
	 * the route first let a wanted person walk away unrecorded) */
	in.doc.expiry = D("2026-01-01");
	o = run(&in);
	T_EQ_INT(o.decision, RULES_REFUSE);
	x = find(&o, "exit_permit_destination_mismatch");
	T_ASSERT(x != NULL && strstr(x->message, "no se declaró el destino del viaje") != NULL);
	in.doc.expiry = D("2030-01-01");
	/* a permit for any destination needs none */
	p.destination = "";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_ASSERT(find(&o, "exit_permit_applies") != NULL);
}

/* Of several permits, the one for today and the declared route decides;
 * permits that could not be read never refuse. */
static void t_exit_permits_many(void)
{
	struct rules_input in = national_exit();
	struct rules_restriction r = exit_ban();
	struct rules_permit p[3] = {
		{.from = D("2026-05-30"), .to = D("2026-06-10"), .destination = "MEX", .record = "PS-1"},
		{.from = D("2026-05-30"), .to = D("2026-06-10"), .destination = "USA", .record = "PS-2"},
		{.from = D("2026-01-05"), .to = D("2026-01-09"), .destination = "", .record = "PS-0"},
	};
	r.permits = p;
	r.n_permits = 3;
	in.restrictions = &r;
	in.n_restrictions = 1;
	in.route_country = "USA";
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_EQ_STR(find(&o, "exit_permit_applies")->record, "PS-2");
	/* none for today: the first other one given is the one named */
	r.permits = &p[2];
	r.n_permits = 1;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_REFUSE);
	T_ASSERT(strstr(find(&o, "exit_ban")->message, "5 ene 2026") != NULL);
	/* the permits could not be read: secondary, never a refusal */
	r.n_permits = 0;
	r.permits_unknown = true;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_EQ_INT(find(&o, "exit_ban")->severity, RULES_SEV_SECONDARY);
	/* ...unless one read covers today */
	r.permits = &p[1];
	r.n_permits = 1;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	/* no route declared: of the permits for today, the one for any
	 * destination fits; one for a single destination does not */
	struct rules_permit q[3] = {p[0], p[1],
		{.from = D("2026-05-30"), .to = D("2026-06-10"), .destination = "", .record = "PS-4"}};
	r.permits = q;
	r.n_permits = 3;
	r.permits_unknown = false;
	in.route_country = "";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_EQ_STR(find(&o, "exit_permit_applies")->record, "PS-4");
	r.n_permits = 2;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_EQ_INT(find(&o, "destination_unconfirmed")->severity, RULES_SEV_WARNING);
	/* two bans, each with a permit for one destination: still only the
	 * route stands (the second reason was taken for another ground) */
	struct rules_restriction two[2] = {r, r};
	two[1].record = "restriction:2";
	struct rules_permit gtm = {.from = D("2026-05-30"), .to = D("2026-06-10"), .destination = "GTM", .record = "PS-5"};
	two[0].permits = two[1].permits = &gtm;
	two[0].n_permits = two[1].n_permits = 1;
	in.restrictions = two;
	in.n_restrictions = 2;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_EQ_INT(o.reasons[0].severity <= RULES_SEV_WARNING && o.reasons[1].severity <= RULES_SEV_WARNING, 1);
	T_EQ_STR(o.reasons[0].code, "destination_unconfirmed");
	T_EQ_STR(o.reasons[1].code, "destination_unconfirmed");
	in.route_country = "GTM";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	/* the second ban's permit for another country: no trip goes to
	 * both, so there is nothing to confirm (admitted, both warnings
	 * said «confirme ... Guatemala», one of a permit for Mexico) */
	struct rules_permit mex = {.from = D("2026-05-30"), .to = D("2026-06-10"), .destination = "MEX", .record = "PS-6"};
	two[1].permits = &mex;
	in.route_country = "";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_EQ_STR(o.reasons[0].code, "exit_permit_destination_mismatch");
	T_EQ_STR(o.reasons[1].code, "exit_permit_destination_mismatch");
	T_ASSERT(strstr(o.reasons[1].message, "México") || strstr(o.reasons[1].message, "MEX"));
	T_ASSERT(find(&o, "destination_unconfirmed") == NULL);
	/* declared, one of them is the trip's and the other does not fit */
	in.route_country = "MEX";
	T_EQ_INT(run(&in).decision, RULES_SECONDARY);
}

static void t_other_measure(void)
{
	struct rules_input in = national_exit();
	struct rules_restriction r = exit_ban();
	r.measure = RULES_MEASURE_OTHER;
	in.restrictions = &r;
	in.n_restrictions = 1;
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "court_restriction") != NULL);
}

/* ---------------------------------------------------------------- */
/* Minors                                                           */

static struct rules_input minor_exit(void)
{
	struct rules_input in = national_exit();
	cal_parse("2014-03-02", &in.person.birth, "b", NULL);
	return in;
}

static const struct rules_companion MOTHER = {RULES_REL_PARENT, true,
					      "Ana López", "01234567-8"};
static const struct rules_companion FATHER = {RULES_REL_PARENT, true,
					      "Luis Pérez", "08765432-1"};

static struct rules_authorization auth_for_mother(void)
{
	struct rules_authorization a = {0};
	a.record = "AUT-2026-100";
	a.by = RULES_AUTH_NOTARY;
	a.valid_from = D("2026-03-01");
	a.valid_to = D("2027-02-28");
	a.companion_name = "Ana López";
	a.companion_document = "012345678"; /* same number, other spelling */
	a.destination = "USA";
	return a;
}

static void t_minor_both_parents(void)
{
	struct rules_input in = minor_exit();
	struct rules_companion c[2] = {MOTHER, FATHER};
	in.companions = c;
	in.n_companions = 2;
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_ASSERT(o.minor);
	T_EQ_INT(o.age_min, 12);
	T_ASSERT(find(&o, "minor_with_both_parents") != NULL);

	/* a parent whose identity was not checked does not count */
	c[1].identity_checked = false;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "minor_without_authorization") != NULL);

	/* nor a row left blank (no document), nor the same parent twice */
	struct rules_companion blank = {RULES_REL_PARENT, true, "", ""};
	c[1] = blank;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "minor_with_both_parents") == NULL);
	c[1] = MOTHER;
	c[1].document_number = "01234567 8"; /* the mother's, spelt apart */
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "minor_without_authorization") != NULL);
	/* nor two numbers of no letter or digit, which matched nobody and
	 * so counted as two parents */
	c[0] = MOTHER;
	c[0].document_number = "-";
	c[1] = FATHER;
	c[1].document_number = ".";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "minor_with_both_parents") == NULL);
	/* nor the child's own passport (or DUI) typed in a parent's row */
	c[0] = MOTHER;
	c[1] = FATHER;
	c[1].document_number = in.doc.number;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "minor_with_both_parents") == NULL);
	in.person.national_document = "05555555-5";
	c[1].document_number = "055555555";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "minor_without_authorization") != NULL);
}

static void t_minor_one_parent_authorization(void)
{
	struct rules_input in = minor_exit();
	struct rules_companion c[1] = {MOTHER};
	struct rules_authorization a = auth_for_mother();
	in.companions = c;
	in.n_companions = 1;
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "minor_without_authorization") != NULL);

	in.auths = &a;
	in.n_auths = 1;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_EQ_STR(find(&o, "minor_authorization_applies")->record,
		 "AUT-2026-100");

	/* expired */
	a.valid_from = D("2025-05-01");
	a.valid_to = D("2026-04-30");
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	const struct rules_reason *r = find(&o, "minor_without_authorization");
	T_ASSERT(strstr(r->message, "venció el 30 abr 2026") != NULL);
	T_ASSERT(strstr(r->message, "AUT-2026-100") != NULL);

	/* longer than one year: not a valid LEPINA authorization */
	a.valid_from = D("2026-01-01");
	a.valid_to = D("2027-01-02");
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(strstr(find(&o, "minor_without_authorization")->message,
			"un año"));
	a.valid_to = D("2027-01-01"); /* exactly one year */
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);

	/* names somebody else */
	a.companion_document = "99999999-9";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(strstr(find(&o, "minor_without_authorization")->message,
			"otro acompañante"));

	/* the mother it names is here, her document not yet looked at: the
	 * officer is told that, by her whole name, and the record by its
	 * number */
	a = auth_for_mother();
	a.record = "minor_authorization:4";
	c[0].identity_checked = false;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	r = find(&o, "minor_without_authorization");
	T_ASSERT(strstr(r->message, "la autorización n.º 4 nombra a Ana López, "
			"documento 012345678, cuya identidad no se ha "
			"verificado") != NULL);
	T_ASSERT(strstr(r->message, "minor_authorization") == NULL);
	c[0].identity_checked = true;

	/* another destination */
	a = auth_for_mother();
	in.route_country = "ESP";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	/* none declared: not known to be the trip authorized (it was
	 * admitted saying nothing, then a 422 answered no decision):
	 * admitted, the officer told where the authorization is for */
	in.route_country = NULL;
	a.record = "minor_authorization:4";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	r = find(&o, "destination_unconfirmed");
	T_ASSERT(r != NULL);
	T_EQ_INT(r->severity, RULES_SEV_WARNING);
	T_EQ_STR(r->record, "minor_authorization:4");
	T_ASSERT(strstr(r->message, "Autorización de salida registrada (n.º 4) para viajar a ") == r->message);
	T_ASSERT(strstr(r->message, "; si es a otro país, envíe a segunda revisión.") != NULL);
	T_ASSERT(find(&o, "minor_without_authorization") == NULL);
	/* ...and with another ground standing, the case says it */
	in.doc.expiry = D("2026-01-01");
	o = run(&in);
	T_EQ_INT(o.decision, RULES_REFUSE);
	T_ASSERT(find(&o, "minor_without_authorization") != NULL);
	T_ASSERT(find(&o, "destination_unconfirmed") == NULL);
	in.doc.expiry = minor_exit().doc.expiry;
	/* ...unless another one, for any destination, applies */
	struct rules_authorization two[2] = {a, a};
	two[1].destination = NULL;
	two[1].record = "minor_authorization:9";
	in.auths = two;
	in.n_auths = 2;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_EQ_STR(find(&o, "minor_authorization_applies")->record, "minor_authorization:9");
	/* two, for two countries: the trip is to one of them, and the
	 * officer is told both (only the one read last was named, and a
	 * child going to the other was sent to secondary) */
	two[1].destination = "MEX";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	r = find(&o, "destination_unconfirmed");
	T_ASSERT(strstr(r->message, "Autorizaciones de salida registradas (n.º 4) para viajar a USA "
			"y (n.º 9) para viajar a MEX, y no se declaró el destino del viaje: confirme "
			"en el pasaje o la tarjeta de embarque que el viaje es a USA o a MEX;") == r->message);
	T_EQ_STR(r->record, "minor_authorization:4");
	/* a court's permit for one of them settles which: that one is named */
	struct rules_restriction ban = exit_ban();
	struct rules_permit pm = {.from = D("2026-05-30"), .to = D("2026-06-10"), .destination = "MEX", .record = "PS-M"};
	ban.permits = &pm;
	ban.n_permits = 1;
	in.restrictions = &ban;
	in.n_restrictions = 1;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	r = find(&o, "minor_without_authorization") ? NULL : &o.reasons[1];
	T_ASSERT(r != NULL);
	T_EQ_STR(r->code, "destination_unconfirmed");
	T_EQ_STR(r->record, "minor_authorization:9");
	T_ASSERT(strstr(r->message, "viaje es a MEX;") != NULL);
	T_ASSERT(strstr(r->message, "USA") == NULL);
	/* ...and a permit for neither country: no trip fits both */
	pm.destination = "GTM";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "minor_without_authorization") != NULL);
	in.restrictions = NULL;
	in.n_restrictions = 0;
	in.auths = &a;
	in.n_auths = 1;
	in.route_country = "USA";

	/* not yet valid */
	a.valid_from = D("2026-06-02");
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
}

/* Many authorizations, none for this exit: the message says why for
 * as many as fit, whole, and how many more (one cut short was left in
 * it: «…; la autorización n.º 9 ven»). */
static void t_minor_many_authorizations_said_whole(void)
{
	struct rules_input in = minor_exit();
	struct rules_companion c[1] = {MOTHER};
	in.companions = c;
	in.n_companions = 1;
	struct rules_authorization a[RULES_MAX_AUTHS];
	char recs[RULES_MAX_AUTHS][32];
	for (int i = 0; i < RULES_MAX_AUTHS; i++) {
		a[i] = auth_for_mother();
		a[i].valid_from = D("2025-01-01");
		a[i].valid_to = D("2025-12-31"); /* venció */
		snprintf(recs[i], sizeof(recs[i]), "minor_authorization:%d", 100 + i);
		a[i].record = recs[i];
	}
	in.auths = a;
	in.n_auths = RULES_MAX_AUTHS;
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	const struct rules_reason *r = find(&o, "minor_without_authorization");
	T_ASSERT(r != NULL);
	size_t n = strlen(r->message);
	T_ASSERT(n > 6 && strcmp(r->message + n - 6, " más.") == 0);
	T_ASSERT(strstr(r->message, "n.º 100 venció el 31 dic 2025; ") != NULL);
	/* every entry said is whole: as many «venció el 31 dic 2025» as «n.º» */
	int said = 0, whole = 0;
	for (const char *p = r->message; (p = strstr(p, "n.º ")); p++)
		said++;
	for (const char *p = r->message; (p = strstr(p, "venció el 31 dic 2025")); p++)
		whole++;
	T_ASSERT(said > 1 && said < RULES_MAX_AUTHS);
	T_EQ_INT(said, whole);
	char more[32];
	snprintf(more, sizeof(more), "; y %d más.", RULES_MAX_AUTHS - said);
	T_ASSERT(strstr(r->message, more) != NULL);
	T_ASSERT(strlen(r->detail) < sizeof(r->detail));
}

/* An authorization naming the child as the companion (the child's own
 * document): the child listed as his own companion is not accompanied. */
static void t_minor_authorization_names_the_child(void)
{
	struct rules_input in = minor_exit();
	struct rules_authorization a = auth_for_mother();
	a.companion_document = in.doc.number;
	in.auths = &a;
	in.n_auths = 1;
	struct rules_companion self = {RULES_REL_OTHER, true, "El menor", in.doc.number};
	in.companions = &self;
	in.n_companions = 1;
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "minor_authorization_applies") == NULL);
	const struct rules_reason *r = find(&o, "minor_without_authorization");
	T_ASSERT(r != NULL && strstr(r->message, "a la propia persona menor de edad") != NULL);
}

static void t_minor_alone_or_guardian(void)
{
	struct rules_input in = minor_exit();
	struct rules_authorization a = auth_for_mother();
	a.companion_name = "";
	a.companion_document = ""; /* authorized to travel alone */
	in.auths = &a;
	in.n_auths = 1;
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);

	/* ...but comes with a stranger */
	struct rules_companion x = {RULES_REL_OTHER, true, "Otro", "555"};
	in.companions = &x;
	in.n_companions = 1;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);

	/* a guardian stands for the parents on the judge's decision,
	 * registered: declared at the booth, it is secondary's to check */
	struct rules_companion g = {RULES_REL_GUARDIAN, true, "Tutora", "777"};
	in.companions = &g;
	in.n_auths = 0;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "minor_with_legal_guardian") != NULL);
	T_ASSERT(find(&o, "minor_without_authorization") != NULL);
	a.companion_name = "Tutora";
	a.companion_document = "777";
	in.n_auths = 1;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_ASSERT(find(&o, "minor_authorization_applies") != NULL);
	T_ASSERT(find(&o, "minor_with_legal_guardian") == NULL); /* not said as missing */
}

static void t_minor_requires_companion_list(void)
{
	struct rules_input in = minor_exit();
	struct rules_decision o;
	struct sigm_error e;
	in.companions_listed = false;
	T_EQ_INT(rules_inspect(tables(), &in, &o, &e), SIGM_EINVAL);
	T_EQ_STR(e.field, "companions");
	/* the output still never admits */
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_EQ_STR(o.reasons[0].code, "check_failed");
	/* adults need no list */
	in = national_exit();
	in.companions_listed = false;
	T_EQ_INT(rules_inspect(tables(), &in, &o, &e), 0);
}

static void t_minor_exit_permit_under_restriction(void)
{
	/* A minor under a court exit ban, with both parents: the ban
	 * decides; with a permit covering today the exit is admitted. */
	struct rules_input in = minor_exit();
	struct rules_companion c[2] = {MOTHER, FATHER};
	struct rules_restriction r = exit_ban();
	struct rules_permit p = {.from = D("2026-05-25"),
				 .to = D("2026-06-05"),
				 .destination = "USA",
				 .record = "PS-7"};
	in.companions = c;
	in.n_companions = 2;
	in.restrictions = &r;
	in.n_restrictions = 1;
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_REFUSE);
	r.permits = &p;
	r.n_permits = 1;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_ASSERT(find(&o, "exit_permit_applies") != NULL);
	T_ASSERT(find(&o, "minor_with_both_parents") != NULL);

	/* The court permit is not the parents' authorization: with one
	 * parent and no LEPINA authorization it is still secondary. */
	in.n_companions = 1;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "exit_permit_applies") != NULL);
	T_ASSERT(find(&o, "minor_without_authorization") != NULL);
}

static void t_minor_id_card(void)
{
	/* A Guatemalan minor leaving by land to Guatemala with a DPI. */
	struct rules_input in = minor_exit();
	struct rules_companion c[2] = {MOTHER, FATHER};
	in.companions = c;
	in.n_companions = 2;
	in.port = "HAC";
	in.route_country = "";
	in.doc.kind = RULES_DOC_ID_CARD;
	in.doc.nationality = in.person.nationality = "GTM";
	in.doc.issuing_state = "GTM";
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_REFUSE);
	T_ASSERT(find(&o, "minor_id_card_not_passport") != NULL);
	T_ASSERT(find(&o, "id_card_not_valid_for_route") == NULL);

	/* A Salvadoran minor coming home with an ID card is not refused
	 * entry: secondary. */
	in.direction = RULES_ENTRY;
	in.doc.nationality = in.person.nationality = "SLV";
	in.ledger.last_direction = RULES_EXIT;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_EQ_INT(find(&o, "minor_id_card_not_passport")->severity,
		 RULES_SEV_SECONDARY);
	T_ASSERT(find(&o, "national_entry_not_refused") != NULL);
}

static void t_partial_birth_dates(void)
{
	/* Born "2008": 17 or 18 on 2026-06-01 -> minor rules apply. */
	struct rules_input in = national_exit();
	cal_parse("2008", &in.person.birth, "b", NULL);
	struct rules_decision o = run(&in);
	T_ASSERT(o.minor);
	T_EQ_INT(o.age_min, 17);
	T_EQ_INT(o.age_max, 18);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "minor_without_authorization") != NULL);
	T_ASSERT(find(&o, "birth_date_partial") != NULL);
	/* Born "2008-05": 18 whatever the day. */
	cal_parse("2008-05", &in.person.birth, "b", NULL);
	o = run(&in);
	T_ASSERT(!o.minor);
	T_EQ_INT(o.decision, RULES_ADMIT);
	/* Born "2008-06": 17 or 18 (birthday on or after today). */
	cal_parse("2008-06-00", &in.person.birth, "b", NULL);
	o = run(&in);
	T_ASSERT(o.minor);
	/* 18th birthday today: adult */
	cal_parse("2008-06-01", &in.person.birth, "b", NULL);
	o = run(&in);
	T_ASSERT(!o.minor);
	/* in the future: bad input */
	struct sigm_error e;
	cal_parse("2026-06-02", &in.person.birth, "b", NULL);
	T_EQ_INT(rules_inspect(tables(), &in, &o, &e), SIGM_EINVAL);
	T_EQ_STR(e.field, "birth_date");
	T_EQ_INT(o.decision, RULES_SECONDARY);
}

/* ---------------------------------------------------------------- */
/* ID cards and routes                                              */

static struct rules_input ca4_adult_id_card(void)
{
	struct rules_input in = national_exit();
	in.doc.kind = RULES_DOC_ID_CARD;
	in.doc.code = "ID";
	in.doc.number = "01234567-8";
	return in;
}

static void t_ca4_id_card_routes(void)
{
	/* by land to Guatemala */
	struct rules_input in = ca4_adult_id_card();
	in.port = "HAC";
	in.route_country = "";
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);

	/* by air to the USA */
	in.port = "SAL";
	in.route_country = "USA";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_REFUSE);
	T_ASSERT(strstr(find(&o, "id_card_not_valid_for_route")->message,
			"para ir a USA"));
	/* coming from there: said so */
	in.direction = in.direction == RULES_EXIT ? RULES_ENTRY : RULES_EXIT;
	o = run(&in);
	T_ASSERT(strstr(find(&o, "id_card_not_valid_for_route")->message,
			in.direction == RULES_EXIT ? "para ir a USA" : "viniendo de USA"));
	in.direction = in.direction == RULES_EXIT ? RULES_ENTRY : RULES_EXIT;

	/* by air to Honduras */
	in.route_country = "HND";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);

	/* by air, destination not declared */
	in.route_country = NULL;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "route_unknown") != NULL);

	/* a Honduran with a DNI entering at El Amatillo */
	in = ca4_adult_id_card();
	in.direction = RULES_ENTRY;
	in.port = "AMA";
	in.route_country = "";
	in.doc.nationality = in.person.nationality = "HND";
	in.doc.issuing_state = "HND";
	in.ledger.has_last = false;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_ASSERT(o.ca4_national);
	T_EQ_INT(o.stay_days_granted, 90);

	/* a Costa Rican ID card is not a CA-4 travel document */
	in.doc.nationality = in.person.nationality = "CRI";
	in.doc.issuing_state = "CRI";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_REFUSE);
	T_ASSERT(find(&o, "id_card_not_valid_for_route") != NULL);
}

/* ---------------------------------------------------------------- */
/* Foreigners entering                                              */

static struct rules_input foreigner(const char *nat)
{
	struct rules_input in = base();
	in.doc.nationality = in.person.nationality = nat;
	in.doc.issuing_state = nat;
	return in;
}

/* Refused entry lately, at any post: secondary, saying when and where. */
static void t_inadmission_recent(void)
{
	struct rules_input in = base();
	in.ledger.inadmission_day = in.today - 3;
	in.ledger.inadmission_port = "Aeropuerto Internacional";
	in.ledger.inadmission_ground = "LEME Art. 57";
	in.ledger.inadmission_record = "inadmission:4";
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	const struct rules_reason *r = find(&o, "inadmission_recent");
	T_ASSERT(r != NULL);
	T_EQ_STR(r->record, "inadmission:4");
	T_ASSERT(strstr(r->message, "29 may 2026") && strstr(r->message, "LEME Art. 57"));
	in.ledger.inadmission_day = in.today - RULES_INADMISSION_DAYS - 1;
	o = run(&in);
	T_ASSERT(find(&o, "inadmission_recent") == NULL);
	/* leaving is not entering */
	in.ledger.inadmission_day = in.today - 3;
	in.direction = RULES_EXIT;
	in.ledger.has_last = true;
	in.ledger.last_direction = RULES_ENTRY;
	in.ledger.last_date = in.ledger.stay_entry = in.today - 10;
	o = run(&in);
	T_ASSERT(find(&o, "inadmission_recent") == NULL);
}

/* Gone from secondary at another post: secondary, naming the case, on
 * entry and on exit alike. */
static void t_secondary_pending(void)
{
	struct rules_input in = base();
	struct rules_decision o = run(&in);
	T_ASSERT(find(&o, "secondary_pending") == NULL);
	in.ledger.pending_case_record = "inspection:12";
	in.ledger.pending_case_port = "La Hachadura";
	in.ledger.pending_case_day = in.today;
	in.ledger.pending_case_time = "09:41";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	const struct rules_reason *r = find(&o, "secondary_pending");
	T_ASSERT(r != NULL);
	T_EQ_STR(r->record, "inspection:12");
	T_ASSERT(strstr(r->message, "La Hachadura") && strstr(r->message, "09:41"));
	in.direction = RULES_EXIT;
	in.ledger.has_last = true;
	in.ledger.last_direction = RULES_ENTRY;
	in.ledger.last_date = in.ledger.stay_entry = in.today - 10;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "secondary_pending") != NULL);
}

/* A document one state issued to another's national: the stricter visa
 * rule of the two, said; the UK's classes of nationality are its own. */
static void t_issuer_differs(void)
{
	struct rules_input in = foreigner("USA");
	in.doc.issuing_state = "CHN"; /* typed: Emisor CHN, Nacionalidad USA */
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "issuer_differs") != NULL);
	T_ASSERT(find(&o, "visa_consultada_not_approved") != NULL);
	/* the nationality typed on the person only, the document's left out */
	in.doc.nationality = "";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "visa_consultada_not_approved") != NULL);
	/* the other way round: an American passport of a Chinese national */
	in = foreigner("CHN");
	in.doc.issuing_state = "USA";
	o = run(&in);
	T_ASSERT(find(&o, "visa_consultada_not_approved") != NULL);
	/* Guatemalan by a Bolivian document: no CA-4 traveler */
	in = foreigner("GTM");
	in.doc.issuing_state = "BOL";
	o = run(&in);
	T_ASSERT(!o.ca4_national);
	T_ASSERT(find(&o, "visa_required") != NULL);
	/* Honduran by a US document: both exempt, the issuer's rule (A)
	 * is the one there is, not «no rule for Honduras» */
	in = foreigner("HND");
	in.doc.issuing_state = "USA";
	o = run(&in);
	T_ASSERT(!o.ca4_national);
	T_ASSERT(find(&o, "visa_category_unknown") == NULL);
	T_ASSERT(find(&o, "issuer_differs") != NULL);
	T_EQ_INT(o.category, RULES_CAT_A);
	T_EQ_INT(o.decision, RULES_ADMIT);
	/* ...and by a Chinese one, the issuer's consultada */
	in.doc.issuing_state = "CHN";
	o = run(&in);
	T_ASSERT(find(&o, "visa_consultada_not_approved") != NULL);
	/* a British passport of a British Overseas Territories citizen */
	in = foreigner("GBD");
	in.doc.issuing_state = "GBR";
	o = run(&in);
	T_ASSERT(find(&o, "issuer_differs") == NULL);
	/* a UN or EU laissez-passer: the holder's nationality's rule */
	in = foreigner("USA");
	in.doc.issuing_state = "UNO";
	o = run(&in);
	T_ASSERT(find(&o, "issuer_differs") == NULL);
	T_EQ_INT(o.decision, RULES_ADMIT);
	in.doc.issuing_state = "EUE";
	in.doc.nationality = in.person.nationality = "DEU";
	o = run(&in);
	T_ASSERT(find(&o, "issuer_differs") == NULL);
	/* the same state: nothing said */
	in = foreigner("USA");
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_ASSERT(find(&o, "issuer_differs") == NULL);
}

/* A document on file under somebody else's data: secondary, saying whose. */
static void t_document_holder_differs(void)
{
	struct rules_input in = base();
	in.doc.holder_differs = "Alice Smith, nacimiento 1 ene 1970";
	in.doc.holder_record = "person:64";
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	const struct rules_reason *r = find(&o, "document_holder_mismatch");
	T_ASSERT(r != NULL);
	T_EQ_STR(r->record, "person:64");
	T_ASSERT(strstr(r->message, "a nombre de otra persona (Alice Smith, nacimiento 1 ene 1970)") != NULL);
}

/* A nationality declared against the document's: Salvadoran on a DUI
 * shown, else looked at first; another one only said. */
static void t_declared_nationality(void)
{
	struct rules_input in = foreigner("SRB");
	in.person.nationality = "SLV";
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "nationality_not_shown") != NULL);
	T_ASSERT(o.national);
	in.person.national_document = "04567890-1";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	const struct rules_reason *dn = find(&o, "dual_national");
	T_ASSERT(dn != NULL && strstr(dn->message, "DUI 04567890-1") != NULL);
	T_ASSERT(find(&o, "stay_granted") == NULL);
	/* the booth's manual form: one nationality, typed SLV, on a
	 * document another state issued */
	in = foreigner("RUS");
	in.doc.nationality = in.person.nationality = "SLV";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "nationality_not_shown") != NULL);
	/* a Salvadoran passport is no question */
	in = foreigner("SLV");
	o = run(&in);
	T_ASSERT(find(&o, "nationality_not_shown") == NULL);
	/* declared Mexican on a US passport: said; the traveler crosses on
	 * the US passport, whose rules apply */
	in = foreigner("USA");
	in.person.nationality = "MEX";
	o = run(&in);
	T_ASSERT(find(&o, "nationality_differs") != NULL);
	T_EQ_INT(find(&o, "nationality_differs")->severity, RULES_SEV_WARNING);
	T_EQ_INT(o.decision, RULES_ADMIT);
	/* an Afghan passport declared German needs the Afghan's visa (it
	 * was admitted as German) */
	in = foreigner("AFG");
	in.person.nationality = "DEU";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "nationality_differs") != NULL);
	T_EQ_INT(o.category, RULES_CAT_C);
	/* a Bolivian passport declared Guatemalan is not a CA-4 traveler */
	in = foreigner("BOL");
	in.person.nationality = "GTM";
	o = run(&in);
	T_ASSERT(!o.ca4_national);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "visa_required") != NULL);
	/* and a Guatemalan passport declared Bolivian is */
	in = foreigner("GTM");
	in.person.nationality = "BOL";
	o = run(&in);
	T_ASSERT(o.ca4_national);
	T_ASSERT(find(&o, "visa_required") == NULL);
}

/* What the officer tells the traveler, or does: the court and case of a
 * ban, the alert's instructions, how a hit matched (an exact match of the
 * registry is no score), what the lost/stolen report says, the country
 * that needs the visa.  A long text is cut between characters. */
static void t_messages_say_what_the_record_says(void)
{
	struct rules_input in = national_exit();
	struct rules_restriction r = exit_ban();
	r.court = "Juzgado Primero de Paz de Soyapango";
	r.case_number = "RJ-15-2026";
	in.restrictions = &r;
	in.n_restrictions = 1;
	struct rules_decision o = run(&in);
	T_ASSERT(strstr(find(&o, "exit_ban")->message,
			"(Juzgado Primero de Paz de Soyapango, expediente RJ-15-2026)"));

	in = base();
	struct rules_hit hit = {.category = RULES_HIT_WANTED, .score = 95, .threshold = 80,
				.record = "alert:1", .exact = true,
				.explanation = "Nombres, apellidos y fecha de nacimiento idénticos",
				.instructions = "Retener y avisar a la PNC", .until = CAL_NONE};
	in.hits = &hit;
	in.n_hits = 1;
	o = run(&in);
	const struct rules_reason *w = find(&o, "watchlist_match");
	T_ASSERT(strstr(w->message, "coincidencia exacta") && strstr(w->message, "Instrucciones: Retener y avisar a la PNC"));
	T_ASSERT(strstr(w->message, "puntaje") == NULL);
	hit.exact = false;
	hit.score = 87;
	hit.threshold = 73;
	o = run(&in);
	w = find(&o, "watchlist_match");
	T_ASSERT(strstr(w->message, "aproximada: puntaje 87, umbral 73") && strstr(w->message, "Retener"));
	/* an alert's instructions of 2,000 characters are said whole */
	static char longer[2 * 1200 + 1];
	for (int i = 0; i < 1000; i++)
		memcpy(longer + 2 * i, "ñ", 2);
	hit.instructions = longer;
	o = run(&in);
	w = find(&o, "watchlist_match");
	T_ASSERT(strstr(w->message, longer) != NULL);
	/* longer than anything the registry takes: cut between characters */
	for (int i = 1000; i < 1200; i++)
		memcpy(longer + 2 * i, "ñ", 2);
	o = run(&in);
	w = find(&o, "watchlist_match");
	size_t n = strlen(w->message);
	T_ASSERT(n > 2000 && n < sizeof(w->message));
	T_ASSERT(((unsigned char)w->message[n - 1] & 0xC0) == 0x80); /* ends in ñ's second byte */
	T_ASSERT((unsigned char)w->message[n - 2] == 0xC3);

	in = base();
	in.doc.lost_stolen = true;
	in.doc.lost_stolen_record = "lost_stolen:3";
	in.doc.lost_stolen_reason = "stolen";
	in.doc.lost_stolen_day = D("2026-03-04");
	in.doc.lost_stolen_source = "INTERPOL SLTD";
	o = run(&in);
	T_ASSERT(strstr(find(&o, "document_lost_stolen")->message, "robado el 4 mar 2026 (fuente: INTERPOL SLTD)"));

	in = foreigner("BOL");
	o = run(&in);
	T_ASSERT(strstr(find(&o, "visa_required")->message, "BOL: requiere visa para ingresar (categoría B)"));
}

static void t_visa_category_b(void)
{
	struct rules_input in = foreigner("BOL");
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "visa_required") != NULL);
	/* the stay an admission would record, said as not granted yet */
	T_EQ_INT(o.stay_days_granted, 90);
	T_ASSERT(strstr(find(&o, "stay_granted")->message,
			"Permanencia si se admite: 90 días") != NULL);
	in.visa.held = true;
	in.visa.type = "consular";
	in.visa.valid_until = D("2026-12-31");
	in.visa.record = "V-1";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_ASSERT(strstr(find(&o, "stay_granted")->message,
			"Permanencia autorizada: 90 días") != NULL);
	in.visa.valid_until = D("2026-05-01");
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(strstr(find(&o, "visa_required")->message, "1 may 2026"));
	/* one shown without its last day: said so, not «no está vigente
	 * (vence: sin fecha)», which read as expired */
	in.visa.valid_until = CAL_NONE;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	const struct rules_reason *v = find(&o, "visa_required");
	T_ASSERT(v != NULL);
	if (v) {
		T_ASSERT(strstr(v->message, "no se indicó hasta cuándo es válida") != NULL);
		T_ASSERT(strstr(v->message, "sin fecha") == NULL);
		T_EQ_STR(v->record, "V-1");
	}
}

static void t_visa_category_c(void)
{
	struct rules_input in = foreigner("AFG");
	in.visa.held = true;
	in.visa.type = "consultada";
	in.visa.valid_until = D("2026-12-31");
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "visa_consultada_not_approved") != NULL);
	in.consultada.present = true;
	in.consultada.approved = false;
	in.consultada.record = "VC-5";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_EQ_STR(find(&o, "visa_consultada_not_approved")->record, "VC-5");
	in.consultada.approved = true;
	/* approved, but until when it does not say: not valid for ever */
	in.consultada.valid_until = CAL_NONE;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "visa_consultada_not_approved") != NULL);
	in.consultada.valid_until = D("2026-12-31");
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_EQ_INT(o.category, RULES_CAT_C);
	in.consultada.valid_until = D("2026-05-31");
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	/* approval without the visa itself */
	in.consultada.valid_until = CAL_NONE;
	in.visa.held = false;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "visa_required") != NULL);
}

static void t_visa_category_unknown(void)
{
	struct rules_input in = foreigner("TWN"); /* conflicting sources */
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "visa_category_unknown") != NULL);
	in = foreigner("ZZZ"); /* not in the table */
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(strstr(find(&o, "visa_category_unknown")->message, "ZZZ"));
}

static void t_resident_carnet(void)
{
	struct rules_input in = foreigner("BOL"); /* would need a visa */
	in.person.carnet_valid_until = D("2027-01-31");
	in.person.carnet_record = "RES-4411";
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_ASSERT(o.resident);
	T_EQ_STR(find(&o, "resident_carnet_valid")->record, "RES-4411");
	T_EQ_INT(o.stay_days_granted, 0); /* residents have no stay limit */

	/* back after two years away (today is 1 June 2026): a day more
	 * than two years is the supervisor's (LEME Art. 154) */
	in.ledger.has_last = true;
	in.ledger.last_direction = RULES_EXIT;
	in.ledger.last_record = "MOV-9";
	in.ledger.last_date = D("2024-06-01");
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_ASSERT(find(&o, "resident_absence_exceeded") == NULL);
	in.ledger.last_date = D("2024-05-31");
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	const struct rules_reason *a = find(&o, "resident_absence_exceeded");
	T_ASSERT(a != NULL && a->severity == RULES_SEV_SECONDARY);
	T_EQ_STR(a->record, "MOV-9");
	T_ASSERT(strstr(a->message, "31 may 2024") != NULL);
	/* an entry before: a resident coming back after a stay here */
	in.ledger.last_direction = RULES_ENTRY;
	o = run(&in);
	T_ASSERT(find(&o, "resident_absence_exceeded") == NULL);
	in.ledger = (struct rules_ledger){0};
	in.ledger.last_date = in.ledger.stay_entry = CAL_NONE;
	in.ledger.stay_days = -1;

	in.person.carnet_valid_until = D("2026-05-31");
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "residence_carnet_expired") != NULL);

	/* a resident leaving after years here: no overstay */
	in.person.carnet_valid_until = D("2027-01-31");
	in.direction = RULES_EXIT;
	in.ledger.has_last = true;
	in.ledger.last_direction = RULES_ENTRY;
	in.ledger.last_date = in.ledger.stay_entry = D("2020-01-01");
	in.ledger.last_record = "MOV-7";
	in.ledger.stay_open = true; /* she entered on her carnet */
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_EQ_INT(o.overstay_days, 0);
	T_ASSERT(find(&o, "residence_carnet_expired") == NULL);
	T_EQ_STR(find(&o, "resident_carnet_valid")->record, "RES-4411");
	/* she entered as a visitor: past that visit's 90 days the carnet
	 * typed at the exit is what spares the fine, checked by a supervisor */
	in.ledger.stay_open = false;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	/* the days the supervisor would fine if the carnet does not stand,
	 * not a fine the booth says applies */
	T_EQ_INT(o.overstay_days, D("2026-06-01") - D("2020-03-30"));
	T_ASSERT(!o.fine_applies);
	T_ASSERT(find(&o, "overstay") == NULL);
	const struct rules_reason *u = find(&o, "residence_unverified");
	T_ASSERT(u != NULL && u->severity == RULES_SEV_SECONDARY);
	T_EQ_STR(u->record, "MOV-7");
	T_ASSERT(strstr(u->message, "30 mar 2020") != NULL);
	/* within the visit's term: nothing to verify */
	in.ledger.last_date = in.ledger.stay_entry = D("2026-05-01");
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_ASSERT(find(&o, "residence_unverified") == NULL);
	in.ledger.last_date = in.ledger.stay_entry = D("2020-01-01");
	/* leaving on a carnet run out more than 15 days ago (today is 1
	 * June 2026): the late renewal's fine is said, the exit not held */
	in.ledger.stay_open = true;
	in.person.carnet_valid_until = D("2026-05-17");
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_ASSERT(find(&o, "residence_carnet_expired") == NULL); /* 15 days: grace */
	in.person.carnet_valid_until = D("2026-05-16");
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	const struct rules_reason *x = find(&o, "residence_carnet_expired");
	T_ASSERT(x != NULL && x->severity == RULES_SEV_WARNING);
	T_ASSERT(strstr(x->message, "16 may 2026") != NULL);
}

/* ---------------------------------------------------------------- */
/* Ledger                                                           */

static struct rules_input foreigner_exit(const char *entry)
{
	struct rules_input in = base();
	in.direction = RULES_EXIT;
	in.ledger.has_last = true;
	in.ledger.last_direction = RULES_ENTRY;
	in.ledger.last_date = in.ledger.stay_entry = D(entry);
	in.ledger.last_record = "MOV-1";
	in.ledger.stay_days = 90;
	return in;
}

static void t_overstay(void)
{
	/* Entry 2026-03-03: day 1; day 90 is 2026-05-31. */
	struct rules_input in = foreigner_exit("2026-03-03");
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_EQ_INT(o.overstay_days, 1);
	T_ASSERT(o.fine_applies);
	T_ASSERT(!o.fine_known);
	const struct rules_reason *r = find(&o, "overstay");
	T_ASSERT(r != NULL);
	T_ASSERT(strstr(r->message, "1 día ") != NULL);
	T_ASSERT(strstr(r->message, "31 may 2026") != NULL);
	T_ASSERT(strstr(r->message, "según resolución") != NULL);

	/* leaving on the last permitted day */
	in = foreigner_exit("2026-03-04");
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);

	/* an extension (prórroga) counts */
	in = foreigner_exit("2026-01-01");
	in.ledger.extension_days = 90;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	in.ledger.extension_days = 0;
	o = run(&in);
	T_EQ_INT(o.overstay_days, 62);

	/* stay days from the tables when the entry did not record them */
	in = foreigner_exit("2026-03-03");
	in.ledger.stay_days = -1;
	o = run(&in);
	T_EQ_INT(o.overstay_days, 1);
	/* ...but not for a resident's entry, whose stay has no term */
	in.ledger.stay_open = true;
	o = run(&in);
	T_EQ_INT(o.overstay_days, 0);
	T_ASSERT(find(&o, "overstay") == NULL);
	T_EQ_INT(o.decision, RULES_ADMIT);
}

/* A second entry with no exit after a stay that ran out: secondary, the
 * fresh stay would hide it; within the stay, only the warning. */
static void t_entry_after_expired_stay(void)
{
	struct rules_input in = foreigner_exit("2026-03-03");
	in.direction = RULES_ENTRY;
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	const struct rules_reason *r = find(&o, "previous_stay_expired");
	T_ASSERT(r != NULL && strstr(r->message, "venció el 31 may 2026") != NULL);
	T_ASSERT(find(&o, "entry_without_exit") != NULL);
	/* a paper record without days: the tables' 90 */
	in = foreigner_exit("2026-03-03");
	in.direction = RULES_ENTRY;
	in.ledger.stay_days = -1;
	o = run(&in);
	T_ASSERT(find(&o, "previous_stay_expired") != NULL);
	in.ledger.stay_open = true;
	o = run(&in);
	T_ASSERT(find(&o, "previous_stay_expired") == NULL);
	in.ledger.stay_open = false;
	/* an extension granted since counts */
	in.ledger.stay_days = 90;
	in.ledger.extension_days = 30;
	o = run(&in);
	T_ASSERT(find(&o, "previous_stay_expired") == NULL);
	in = foreigner_exit("2026-03-04"); /* its last day is today */
	in.direction = RULES_ENTRY;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_ASSERT(find(&o, "previous_stay_expired") == NULL);
	T_ASSERT(find(&o, "entry_without_exit") != NULL);
}

static void t_overstay_known_fine(void)
{
	struct rules_tables *t = malloc(sizeof(*t));
	memcpy(t, tables(), sizeof(*t));
	t->fines[0].known = true;
	t->fines[0].fixed_cents = 1000;
	t->fines[0].per_day_cents = 250;
	t->fines[0].max_cents = 5000;
	struct rules_input in = foreigner_exit("2026-02-20"); /* 12 over */
	struct rules_decision o;
	T_EQ_INT(rules_inspect(t, &in, &o, NULL), 0);
	T_EQ_INT(o.overstay_days, 12);
	T_ASSERT(o.fine_known);
	T_EQ_INT(o.fine_cents, 1000 + 12 * 250);
	T_ASSERT(strstr(find(&o, "overstay")->message, "US$ 40.00"));
	in = foreigner_exit("2025-01-01"); /* capped */
	T_EQ_INT(rules_inspect(t, &in, &o, NULL), 0);
	T_EQ_INT(o.fine_cents, 5000);
	free(t);
}

static void t_ledger_consistency(void)
{
	/* A foreigner leaving with no recorded entry: secondary. */
	struct rules_input in = base();
	in.direction = RULES_EXIT;
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_EQ_INT(find(&o, "exit_without_entry")->severity, RULES_SEV_SECONDARY);

	/* A Salvadoran leaving for the first time: noted only. */
	in = national_exit();
	in.ledger.has_last = false;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	T_EQ_INT(find(&o, "exit_without_entry")->severity, RULES_SEV_WARNING);

	/* Two exits in a row. */
	in.ledger.has_last = true;
	in.ledger.last_direction = RULES_EXIT;
	in.ledger.last_date = D("2026-02-01");
	o = run(&in);
	T_ASSERT(strstr(find(&o, "exit_without_entry")->message, "1 feb 2026"));

	/* Two entries in a row: warning, admitted. */
	in = base();
	in.ledger.has_last = true;
	in.ledger.last_direction = RULES_ENTRY;
	in.ledger.last_date = D("2026-01-15");
	in.ledger.last_port = "SAL";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	const struct rules_reason *r = find(&o, "entry_without_exit");
	T_EQ_INT(r->severity, RULES_SEV_WARNING);
	T_ASSERT(strstr(r->message, "15 ene 2026") != NULL);

	/* ledger unavailable: check_failed, and no made-up ledger flags */
	in.checks_failed = RULES_CHECK_LEDGER;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "entry_without_exit") == NULL);

	/* An overstay fine left unpaid: said both ways, a warning only. */
	in = base();
	in.ledger.fines_pending = 2;
	in.ledger.fine_record = "traveler_fine:7";
	o = run(&in);
	T_EQ_INT(o.decision, RULES_ADMIT);
	r = find(&o, "fine_pending");
	T_ASSERT(r != NULL);
	T_EQ_INT(r->severity, RULES_SEV_WARNING);
	T_ASSERT(strcmp(r->record, "traveler_fine:7") == 0);
	T_ASSERT(strstr(r->message, "2 multas pendientes") != NULL);
	in.direction = RULES_EXIT;
	in.ledger.has_last = true;
	in.ledger.last_direction = RULES_ENTRY;
	in.ledger.last_date = D("2026-01-15");
	in.ledger.fines_pending = 1;
	o = run(&in);
	T_ASSERT(strstr(find(&o, "fine_pending")->message, "1 multa pendiente de") != NULL);
	in.ledger.fines_pending = 0;
	o = run(&in);
	T_ASSERT(find(&o, "fine_pending") == NULL);
}

/* ---------------------------------------------------------------- */
/* Bad input                                                        */

static void t_bad_input(void)
{
	struct rules_input in = base();
	struct rules_decision o;
	struct sigm_error e;

	in.port = "XYZ";
	T_EQ_INT(rules_inspect(tables(), &in, &o, &e), SIGM_EINVAL);
	T_EQ_STR(e.code, "unknown_port");
	T_EQ_STR(e.field, "port");
	T_EQ_INT(o.decision, RULES_SECONDARY);

	in.port = "BDS";
	T_EQ_INT(rules_inspect(tables(), &in, &o, &e), SIGM_EINVAL);
	T_EQ_STR(e.code, "port_inactive");

	in = base();
	in.direction = 0;
	T_EQ_INT(rules_inspect(tables(), &in, &o, &e), SIGM_EINVAL);
	T_EQ_STR(e.field, "direction");

	in = base();
	in.today = CAL_NONE;
	T_EQ_INT(rules_inspect(tables(), &in, &o, &e), SIGM_EINVAL);

	in = base();
	in.person.birth.prec = CAL_PREC_NONE;
	T_EQ_INT(rules_inspect(tables(), &in, &o, &e), SIGM_EINVAL);
	T_EQ_STR(e.field, "birth_date");

	in = base();
	in.doc.kind = 99;
	T_EQ_INT(rules_inspect(tables(), &in, &o, &e), SIGM_EINVAL);

	in = base();
	in.n_hits = 2; /* no list */
	T_EQ_INT(rules_inspect(tables(), &in, &o, &e), SIGM_EINVAL);

	static struct rules_hit many[RULES_MAX_HITS + 1];
	in.hits = many;
	in.n_hits = RULES_MAX_HITS + 1;
	T_EQ_INT(rules_inspect(tables(), &in, &o, &e), SIGM_ETOOBIG);
	T_EQ_STR(e.field, "hits");

	T_EQ_INT(rules_inspect(NULL, &in, &o, NULL), SIGM_EINVAL);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_EQ_INT(rules_inspect(tables(), &in, NULL, NULL), SIGM_EINVAL);
}

static void t_reasons_truncated_decision_kept(void)
{
	struct rules_input in = base();
	static struct rules_hit hits[RULES_MAX_HITS];
	for (int i = 0; i < RULES_MAX_HITS; i++) {
		hits[i].category = RULES_HIT_WANTED;
		hits[i].score = 1;
		hits[i].threshold = 0.5;
		hits[i].until = CAL_NONE;
	}
	/* the last hit refuses: the decision must see it */
	hits[RULES_MAX_HITS - 1].category = RULES_HIT_ALERT;
	hits[RULES_MAX_HITS - 1].sub = RULES_ALERT_REENTRY_BAN;
	in.hits = hits;
	in.n_hits = RULES_MAX_HITS;
	struct rules_decision o = run(&in);
	T_ASSERT(o.reasons_truncated);
	T_EQ_INT(o.n_reasons, RULES_MAX_REASONS);
	T_EQ_INT(o.decision, RULES_REFUSE);
}

static void t_national_entry_never_refused(void)
{
	struct rules_input in = national_exit();
	in.direction = RULES_ENTRY;
	in.ledger.last_direction = RULES_EXIT;
	in.doc.expiry = D("2020-01-01");
	struct rules_decision o = run(&in);
	T_EQ_INT(o.decision, RULES_SECONDARY);
	T_ASSERT(find(&o, "document_expired") != NULL);
	T_ASSERT(find(&o, "national_entry_not_refused") != NULL);
	/* ...but an expired passport still stops a national's exit */
	in.direction = RULES_EXIT;
	in.ledger.last_direction = RULES_ENTRY;
	o = run(&in);
	T_EQ_INT(o.decision, RULES_REFUSE);
}

static void t_names(void)
{
	T_EQ_STR(rules_outcome_name(RULES_REFUSE), "refuse");
	T_EQ_STR(rules_severity_name(RULES_SEV_WARNING), "warning");
	T_EQ_STR(rules_port_kind_name(RULES_PORT_SEA), "sea");
	T_EQ_STR(rules_category_name(RULES_CAT_UNKNOWN), "unknown");
	T_EQ_INT(rules_direction_parse("exit"), RULES_EXIT);
	T_EQ_INT(rules_direction_parse("salida"), 0);
	T_EQ_INT(rules_doc_kind_parse("id_card"), RULES_DOC_ID_CARD);
	T_EQ_INT(rules_alert_sub_parse("missing_child"),
		 RULES_ALERT_MISSING_PERSON);
	T_EQ_INT(rules_measure_parse("exit_ban"), RULES_MEASURE_EXIT_BAN);
	T_EQ_INT(rules_measure_parse("arraigo"), RULES_MEASURE_OTHER);
	T_EQ_INT(rules_relation_parse("legal_guardian"), RULES_REL_GUARDIAN);
	T_EQ_INT(rules_authorizer_parse("pgr"), RULES_AUTH_PGR);
	T_EQ_INT(rules_hit_cat_parse("lost_stolen"), RULES_HIT_LOST_STOLEN);
	T_EQ_INT(rules_port_kind_parse("air"), RULES_PORT_AIR);
}

static const struct t_case cases[] = {
	T(t_data_loads),
	T(t_loader_rejects_bad_data),
	T(t_loader_checks_countries),
	T(t_admit_foreigner_category_a),
	T(t_docno_read),
	T(t_apis),
	T(t_admit_national_exit),
	T(t_mrz_invalid_secondary),
	T(t_document_expired_refuse),
	T(t_passport_validity_on_entry),
	T(t_lost_stolen_refuse_with_record),
	T(t_issuing_state_unknown),
	T(t_document_not_accepted),
	T(t_document_missing),
	T(t_expired_passport_with_watchlist_hit),
	T(t_screening_threshold_and_categories),
	T(t_reentry_ban),
	T(t_check_failed_never_admits),
	T(t_exit_ban),
	T(t_exit_ban_lifted_expired_future),
	T(t_exit_permit),
	T(t_exit_permits_many),
	T(t_document_holder_differs),
	T(t_declared_nationality),
	T(t_entry_after_expired_stay),
	T(t_other_measure),
	T(t_minor_both_parents),
	T(t_minor_one_parent_authorization),
	T(t_minor_many_authorizations_said_whole),
	T(t_minor_authorization_names_the_child),
	T(t_minor_alone_or_guardian),
	T(t_minor_requires_companion_list),
	T(t_minor_exit_permit_under_restriction),
	T(t_minor_id_card),
	T(t_partial_birth_dates),
	T(t_ca4_id_card_routes),
	T(t_visa_category_b),
	T(t_visa_category_c),
	T(t_visa_category_unknown),
	T(t_resident_carnet),
	T(t_issuer_differs),
	T(t_inadmission_recent),
	T(t_secondary_pending),
	T(t_messages_say_what_the_record_says),
	T(t_overstay),
	T(t_overstay_known_fine),
	T(t_ledger_consistency),
	T(t_bad_input),
	T(t_reasons_truncated_decision_kept),
	T(t_national_entry_never_refused),
	T(t_names),
	{0},
};
T_MAIN(cases)
