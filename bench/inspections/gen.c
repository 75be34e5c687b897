/*
 * gen.c - the inspection benchmark's dataset, written straight into a
 * SIGM SQLite database that `sigm migrate` has created:
 *
 *   persons + passports   P travelers (default 2,000,000), traveler i has
 *                         passport "B%08d" and the names, birth date and
 *                         nationality that trav(i) gives - bench.lua
 *                         computes the same, so it can present them -
 *                         and the surnames key the server would write;
 *   movements             M entries/exits (default 10,000,000), M / P per
 *                         traveler, alternating, the last an entry less
 *                         than 60 days ago (so each traveler is inside,
 *                         within the stay, and may leave), with presence;
 *   restrictions, alerts  R each (default 500,000 + 500,000 "screening
 *                         entries"), active, names and birth dates drawn
 *                         from the same pools as the travelers;
 *   lost_stolen           R / 10 foreign reports.
 *
 * Deterministic (no random seed): the same arguments give the same data.
 * Speed: synchronous=OFF, one transaction per table, secondary indexes
 * dropped before and rebuilt after (a sort instead of random B-tree
 * inserts).  About 2-4 minutes and 3 GB for the defaults on the project
 * machine.
 *
 *   build/bench/inspections DB [travelers] [movements] [registry_rows]
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/persons.h"

static const char *const SUR[] = {
	"Hernández", "García", "Martínez", "López", "Rodríguez", "Pérez",
	"Flores", "Ramírez", "González", "Cruz", "Rivas", "Mejía", "Díaz",
	"Romero", "Aguilar", "Reyes", "Morales", "Sánchez", "Ramos", "Torres",
	"Castillo", "Vásquez", "Portillo", "Alvarado", "Ortiz", "Guzmán",
	"Chávez", "Mendoza", "Orellana", "Escobar", "Menjívar", "Argueta",
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis",
	"Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson",
	"Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker",
	"Young", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams"};
static const char *const GIV[] = {
	"José", "María", "Juan", "Ana", "Carlos", "Rosa", "Luis", "Carmen",
	"Jorge", "Marta", "Miguel", "Sonia", "Francisco", "Gloria", "Mario",
	"Claudia", "Roberto", "Patricia", "Óscar", "Silvia", "Manuel", "Karla",
	"Pedro", "Sandra", "Ricardo", "Julia", "John", "Mary", "James",
	"Linda", "Robert", "Susan", "Michael", "Karen", "William", "Lisa",
	"David", "Nancy", "Richard", "Betty", "Joseph", "Helen", "Daniel"};
static const char *const NAT[] = {"USA", "GTM", "HND", "NIC",
				  "SLV", "CAN", "MEX", "ESP"};
static const char *const PORTS[] = {"SAL", "SAL", "SAL", "HAC", "CHI",
				    "SCR", "ANG", "POY", "AMA", "ACA"};
#define N(a) ((int64_t)(sizeof(a) / sizeof(a[0])))

/* Days since 1970-01-01 -> y, m, d (H. Hinnant's civil_from_days). */
static void civil(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static void day_str(int64_t days, char out[11])
{
	int y, m, d;
	civil(days, &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

/* Birth dates 1940-01-01 (day -10957) .. about 2005. */
static void birth(int64_t i, char out[11])
{
	day_str(-10957 + (i * 7919) % 24000, out);
}

struct trav {
	char number[16], given[64], sur[128], key[256], birth[11];
	const char *nat, *sex;
};

/* Traveler i; bench.lua's trav() must agree. */
static void trav(int64_t i, struct trav *t)
{
	snprintf(t->number, sizeof(t->number), "B%08lld", (long long)i);
	snprintf(t->given, sizeof(t->given), "%s", GIV[(i / 7) % N(GIV)]);
	snprintf(t->sur, sizeof(t->sur), "%s %s", SUR[i % N(SUR)],
		 SUR[(i / N(SUR)) % N(SUR)]);
	/* keyed as the server keys a person it creates (persons.c
	 * new_person): the renewal on a crowded birth date and the person
	 * search read persons by it */
	persons_surnames_key(t->sur, t->key, sizeof(t->key));
	birth(i, t->birth);
	t->nat = NAT[i % N(NAT)];
	t->sex = i % 2 ? "F" : "M";
}

static sqlite3 *db;

static void die(const char *what)
{
	fprintf(stderr, "gen: %s: %s\n", what, sqlite3_errmsg(db));
	exit(1);
}

static void exec(const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "gen: %s\n  in: %.200s\n", msg, sql);
		exit(1);
	}
}

static sqlite3_stmt *prep(const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		die(sql);
	return st;
}

static void step(sqlite3_stmt *st)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		die("insert");
	sqlite3_reset(st);
}

#define T(st, k, v) sqlite3_bind_text(st, k, v, -1, SQLITE_TRANSIENT)
#define I(st, k, v) sqlite3_bind_int64(st, k, v)

static double secs(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "uso: %s DB [viajeros] [movimientos] [filas_registro]\n", argv[0]);
		return 2;
	}
	int64_t P = argc > 2 ? atoll(argv[2]) : 2000000;
	int64_t M = argc > 3 ? atoll(argv[3]) : 10000000;
	int64_t R = argc > 4 ? atoll(argv[4]) : 500000;
	int64_t per = M / P;
	if (P < 1 || per < 1 || R < 0) {
		fprintf(stderr, "gen: se necesita movimientos >= viajeros >= 1\n");
		return 2;
	}
	if (sqlite3_open(argv[1], &db) != SQLITE_OK)
		die("open");
	/* No journal while loading (a failed load is simply rerun), WAL again
	 * at the end as the server expects. */
	exec("PRAGMA journal_mode=DELETE; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
	     " PRAGMA cache_size=-1000000; PRAGMA temp_store=MEMORY;");
	sqlite3_stmt *chk = prep("SELECT count(*) FROM persons");
	if (sqlite3_step(chk) != SQLITE_ROW || sqlite3_column_int64(chk, 0) != 0) {
		fprintf(stderr, "gen: la base ya tiene personas; use una base recién migrada\n");
		return 1;
	}
	sqlite3_finalize(chk);
	double t0 = secs();
	int64_t today = (int64_t)(time(NULL) - 6 * 3600) / 86400;
	const char *now = "2026-01-01T00:00:00.000Z";

	/* Secondary indexes of the loaded tables: taken from the schema the
	 * migrations built (so this stays right when they change), dropped,
	 * and rebuilt after the load. */
	char *idx_sql[64];
	int nidx = 0;
	sqlite3_stmt *q = prep("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
			       " AND tbl_name IN ('persons', 'documents', 'movements', 'presence', 'restrictions', 'alerts', 'lost_stolen')");
	while (sqlite3_step(q) == SQLITE_ROW && nidx < 64) {
		char drop[200];
		idx_sql[nidx++] = strdup((const char *)sqlite3_column_text(q, 1));
		snprintf(drop, sizeof(drop), "DROP INDEX \"%s\"", (const char *)sqlite3_column_text(q, 0));
		sqlite3_reset(q); /* no statement may be running during a DROP */
		exec(drop);
	}
	sqlite3_finalize(q);

	exec("BEGIN");
	sqlite3_stmt *ip = prep("INSERT INTO persons (id, given_names, surnames, birth_date, sex, nationality, created_at, updated_at, surnames_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)");
	sqlite3_stmt *id = prep("INSERT INTO documents (id, person_id, kind, document_code, number, issuing_state, expiry_date, first_seen_at, last_seen_at) VALUES (?1, ?1, 'passport', 'P', ?2, ?3, '2032-06-30', ?4, ?4)");
	sqlite3_stmt *im = prep("INSERT INTO movements (id, person_id, document_id, direction, port, at, day, officer, transport, decision, reasons, permitted_stay_days, created_at) VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, 'carga', ?7, 'admit', '[]', ?8, ?5)");
	sqlite3_stmt *ipr = prep("INSERT INTO presence (person_id, inside, since, port, permitted_until, movement_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	int64_t mid = 0;
	for (int64_t i = 1; i <= P; i++) {
		struct trav t;
		trav(i, &t);
		I(ip, 1, i);
		T(ip, 2, t.given);
		T(ip, 3, t.sur);
		T(ip, 4, t.birth);
		T(ip, 5, t.sex);
		T(ip, 6, t.nat);
		T(ip, 7, now);
		T(ip, 8, t.key);
		step(ip);
		I(id, 1, i);
		T(id, 2, t.number);
		T(id, 3, t.nat);
		T(id, 4, now);
		step(id);
		/* per movements, the last an entry 1..59 days ago */
		int64_t n = per + (i <= M % P ? 1 : 0);
		int64_t last = today - 1 - i % 59;
		char at[32] = "", day[11] = "";
		const char *port = NULL, *dir = NULL;
		for (int64_t k = 0; k < n; k++) {
			int64_t back = n - 1 - k; /* 0 for the last */
			dir = back % 2 ? "exit" : "entry";
			port = PORTS[(i + k) % N(PORTS)];
			day_str(last - back * 45, day);
			snprintf(at, sizeof(at), "%sT%02lld:%02lld:00.000Z", day,
				 (long long)(8 + (i + k) % 12), (long long)((i * 7 + k) % 60));
			I(im, 1, ++mid);
			I(im, 2, i);
			T(im, 3, dir);
			T(im, 4, port);
			T(im, 5, at);
			T(im, 6, day);
			T(im, 7, (i + k) % 3 ? "AV 611" : "TA 390");
			if (!strcmp(dir, "entry"))
				I(im, 8, 90);
			else
				sqlite3_bind_null(im, 8);
			step(im);
		}
		char until[11];
		day_str(last + 90, until);
		I(ipr, 1, i);
		I(ipr, 2, !strcmp(dir, "entry"));
		T(ipr, 3, at);
		T(ipr, 4, port);
		if (!strcmp(dir, "entry"))
			T(ipr, 5, until);
		else
			sqlite3_bind_null(ipr, 5);
		I(ipr, 6, mid);
		step(ipr);
		if (i % 500000 == 0)
			fprintf(stderr, "gen: %lld viajeros, %lld movimientos (%.0f s)\n",
				(long long)i, (long long)mid, secs() - t0);
	}
	exec("COMMIT");

	/* Registries: the "screening entries".  Document numbers in their own
	 * ranges (no traveler carries them); names and birth dates from the
	 * same pools, so name+birth-date matching has real work to do. */
	exec("BEGIN");
	sqlite3_stmt *ir = prep("INSERT INTO restrictions (court, case_number, measure, given_names, surnames, birth_date, nationality, document_number, effective_from, created_at, created_by, updated_at)"
				" VALUES (?1, ?2, 'exit_ban', ?3, ?4, ?5, 'SLV', ?6, '2020-01-01', ?7, 'carga', ?7)");
	sqlite3_stmt *ia = prep("INSERT INTO alerts (category, issuing_unit, given_names, surnames, birth_date, nationality, document_number, valid_from, instructions, created_at, created_by, updated_at)"
				" VALUES (?1, 'DCM', ?2, ?3, ?4, ?5, ?6, '2020-01-01', 'Remitir a segunda revisión', ?7, 'carga', ?7)");
	static const char *const CAT[] = {"interpol_notice", "arrest_warrant", "missing_person", "reentry_ban", "other"};
	for (int64_t j = 1; j <= R; j++) {
		char num[16], sur[128], b[11], court[96], cs[32];
		int64_t h = j * 2654435761u % 1000003; /* scatter the pools */
		snprintf(sur, sizeof(sur), "%s %s", SUR[h % N(SUR)], SUR[(h / 7) % N(SUR)]);
		birth(h * 31 + 17, b);
		snprintf(num, sizeof(num), "R%08lld", (long long)j);
		snprintf(court, sizeof(court), "Juzgado %lld de Instrucción", (long long)(j % 97 + 1));
		snprintf(cs, sizeof(cs), "CAUSA-%lld", (long long)j);
		T(ir, 1, court);
		T(ir, 2, cs);
		T(ir, 3, GIV[(h / 3) % N(GIV)]);
		T(ir, 4, sur);
		T(ir, 5, b);
		T(ir, 6, num);
		T(ir, 7, now);
		step(ir);
		snprintf(num, sizeof(num), "A%08lld", (long long)j);
		birth(h * 37 + 5, b);
		T(ia, 1, CAT[j % N(CAT)]);
		T(ia, 2, GIV[(h / 5) % N(GIV)]);
		T(ia, 3, sur);
		T(ia, 4, b);
		T(ia, 5, NAT[h % N(NAT)]);
		T(ia, 6, num);
		T(ia, 7, now);
		step(ia);
	}
	sqlite3_stmt *il = prep("INSERT INTO lost_stolen (document_number, document_type, issuing_state, reason, reported_on, source, created_at, created_by)"
				" VALUES (?1, 'passport', ?2, 'stolen', '2025-01-01', 'interpol_sltd', ?3, 'carga')");
	for (int64_t j = 1; j <= R / 10; j++) {
		char num[16];
		snprintf(num, sizeof(num), "L%08lld", (long long)j);
		T(il, 1, num);
		T(il, 2, NAT[j % N(NAT)]);
		T(il, 3, now);
		step(il);
	}
	exec("COMMIT");
	fprintf(stderr, "gen: registros (%.0f s); índices…\n", secs() - t0);

	for (int i = 0; i < nidx; i++) {
		exec(idx_sql[i]);
		free(idx_sql[i]);
	}
	/* No ANALYZE: the server never runs it, so the benchmark plans what
	 * production plans. */
	sqlite3_finalize(ip);
	sqlite3_finalize(id);
	sqlite3_finalize(im);
	sqlite3_finalize(ipr);
	sqlite3_finalize(ir);
	sqlite3_finalize(ia);
	sqlite3_finalize(il);
	exec("PRAGMA journal_mode=WAL");
	sqlite3_close(db);
	fprintf(stderr, "gen: listo: %lld viajeros, %lld movimientos, %lld restricciones, %lld alertas, %lld robados (%.0f s)\n",
		(long long)P, (long long)mid, (long long)R, (long long)R, (long long)(R / 10), secs() - t0);
	return 0;
}
