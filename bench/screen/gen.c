/* gen.c - the labelled data generator of bench/screen (gen.h). */
#include "gen.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const gvar_name[V_NALL] = {
	"exact", "accents_dropped", "second_surname_dropped",
	"second_given_dropped", "typo", "order_swapped", "particle_dropped",
	"particle_glued", "nickname", "transliteration", "mrz_upper",
	"married_name", "dob_day_month_swapped", "typo+surname_dropped",
	"neg_stranger", "neg_shared_surnames_other_given",
	"neg_shared_surnames_other_given_same_dob", "neg_same_name_dob_years_apart",
};

static const char *const g_male[] = {
	"José", "Juan", "Carlos", "Luis", "Jorge", "Mario", "Miguel",
	"Francisco", "Manuel", "Antonio", "Roberto", "Óscar", "Jesús", "Pedro",
	"Ricardo", "Rafael", "Fernando", "Alberto", "Eduardo", "Julio",
	"Víctor", "Raúl", "Ernesto", "Salvador", "Santos", "René", "Nelson",
	"Wilfredo", "Edwin", "Kevin", "Josué", "Alexander", "Cristian",
	"Walter", "William", "Douglas", "Jaime", "Guillermo", "Enrique",
	"Héctor", "Armando", "Javier", "Daniel", "David", "Marvin", "Elmer",
	"Rigoberto", "Israel", "Rodrigo", "Alejandro", "Oswaldo", "Mauricio",
	"Gerardo", "Samuel", "Ignacio", "Gustavo", "Gonzalo", "Ramón",
	"Vicente", "Domingo", "Tomás", "Andrés", "Diego", "Santiago", "Erick",
	"Jonathan", "Bryan", "Geovanny", "Wilber", "Noé", "Abel", "Ismael",
	"Felipe", "Hugo", "Adolfo", "Rodolfo", "Alfonso", "Humberto",
	"Orlando", "Julián", "Rubén", "Benjamín", "Lorenzo", "Gregorio",
	"Nicolás", "Sebastián", "Leonel", "Reynaldo", "Arturo", "César",
	"Efraín", "Fidel", "Moisés", "Saúl", "Ángel", "Rolando", "Marcos",
	"Emilio", "Alfredo", "Ezequiel",
};
static const char *const g_female[] = {
	"María", "Ana", "Rosa", "Carmen", "Sandra", "Claudia", "Patricia",
	"Gloria", "Marta", "Sonia", "Blanca", "Silvia", "Reina", "Guadalupe",
	"Elizabeth", "Karla", "Jennifer", "Yesenia", "Evelyn", "Ingrid",
	"Lorena", "Verónica", "Alejandra", "Gabriela", "Cristina", "Teresa",
	"Dolores", "Concepción", "Mercedes", "Rosario", "Consuelo", "Isabel",
	"Josefa", "Josefina", "Daniela", "Andrea", "Carolina", "Flor",
	"Esperanza", "Lucía", "Beatriz", "Margarita", "Dinora", "Xiomara",
	"Yanira", "Wendy", "Jessica", "Fátima", "Estela", "Elena", "Julia",
	"Alicia", "Graciela", "Hortensia", "Berenice", "Ximena", "Johana",
	"Katherine", "Marisol", "Milagro", "Roxana", "Glenda", "Miriam",
	"Noemí", "Ruth", "Sara", "Raquel", "Irma", "Norma", "Ericka", "Susana",
	"Paola", "Tatiana", "Celina", "Delmy", "Marleny", "Yolanda", "Lilian",
	"Cecilia", "Emperatriz",
};
static const char *const g_sur[] = {
	"Hernández", "López", "Martínez", "García", "Rodríguez", "González",
	"Pérez", "Ramírez", "Flores", "Rivera", "Cruz", "Sánchez", "Reyes",
	"Romero", "Mejía", "Guzmán", "Castillo", "Morales", "Vásquez",
	"Alvarado", "Ramos", "Portillo", "Ayala", "Aguilar", "Torres", "Díaz",
	"Chávez", "Ortiz", "Gómez", "Menjívar", "Escobar", "Orellana",
	"Argueta", "Castro", "Rosales", "Mendoza", "Pineda", "Molina",
	"Guevara", "Campos", "Bonilla", "Quintanilla", "Rivas", "Lemus",
	"Henríquez", "Serrano", "Méndez", "Fuentes", "Marroquín", "Velásquez",
	"Cortez", "Alfaro", "Rauda", "Amaya", "Umaña", "Zelaya", "Villalta",
	"Melgar", "Cabrera", "Salazar", "Santos", "Vega", "Núñez", "Palacios",
	"Barrera", "Carranza", "Ávalos", "Monterrosa", "Canales", "Hidalgo",
	"Calderón", "Renderos", "Aguirre", "Benítez", "Navarro", "Jiménez",
	"Figueroa", "Recinos", "Galdámez", "Pacheco", "Deras", "Mancía",
	"Turcios", "Ventura", "Laínez", "Cornejo", "Valle", "Arévalo",
	"Miranda", "Solórzano", "Paz", "Linares", "Granados", "Durán",
	"Zepeda", "Bautista", "Saravia", "Tobar", "Murillo", "Alas", "Sorto",
	"Coto", "Interiano", "Ardón", "Leiva", "Villatoro", "Castañeda",
	"Funes", "Gavidia", "Chicas", "Ascencio", "Contreras", "Domínguez",
	"Valencia", "Ábrego", "Beltrán", "Peña", "Montes", "Quijada",
	"de la Cruz", "de León", "del Cid", "de los Santos", "de Paz",
	"del Valle", "de Jesús", "de la Rosa", "de la O",
};
static const char *const i_given[] = {
	"Mohammed", "Ahmed", "Ali", "Omar", "Yusuf", "Ibrahim", "Hassan",
	"Khalid", "Mustafa", "Aleksandr", "Sergei", "Dmitri", "Vladimir",
	"Ivan", "Olga", "Tatiana", "Natalia", "Yelena", "Nikolai", "Andrei",
	"Wei", "Jian", "Ming", "Xiaoling", "John", "Michael", "David", "James",
	"Robert", "William", "Mary", "Jennifer", "Elizabeth", "Pierre", "Jean",
	"Hans", "Giuseppe", "Marco", "Fatima", "Aisha", "Kwame", "Chinedu",
	"Svetlana", "Yuri", "Pyotr", "Mikhail", "Ekaterina", "Anastasia",
	"Hiroshi", "Kenji", "Minh", "Thanh", "Raj", "Priya", "Arjun",
};
static const char *const i_sur[] = {
	"Al Hassan", "Khan", "Hussein", "Abdullah", "Ivanov", "Petrov",
	"Smirnov", "Kuznetsov", "Popov", "Wang", "Zhang", "Liu", "Chen",
	"Smith", "Johnson", "Williams", "Brown", "Miller", "Müller", "Schmidt",
	"Nguyen", "Kim", "Park", "Okafor", "Mensah", "Dubois", "Rossi",
	"Tanaka", "Sato", "Patel", "Sharma", "Singh", "O'Brien", "Novak",
	"Kowalski", "Haddad", "Nasser", "Volkov", "Sokolov", "Lebedev",
	"Golitsyn", "Chagaev", "Putin", "Obolensky", "Yilmaz", "Demir",
};
static const char *const nats[] = {"SLV", "SLV", "SLV", "SLV", "SLV", "SLV",
				   "GTM", "HND", "NIC", "MEX", "CRI", "COL",
				   "USA", "VEN", "CUB", "ECU", "PER"};
static const char *const i_nats[] = {"SYR", "RUS", "CHN", "USA", "GBR",
				     "FRA", "DEU", "NGA", "IND", "VNM",
				     "KOR", "JPN", "TUR", "UKR", "EGY"};

#define N(a) (sizeof(a) / sizeof(a[0]))

uint64_t gen_rand(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 2685821657736338717ull;
}

static double urand(uint64_t *s)
{
	return (double)(gen_rand(s) >> 11) / 9007199254740992.0;
}

/* Zipf-like pick: index i with weight 1/(i+1)^0.9 (cumulative table) */
struct zipf {
	double *cum;
	size_t n;
};

static void zipf_init(struct zipf *z, size_t n)
{
	double t = 0;
	z->n = n;
	z->cum = malloc(n * sizeof(double));
	for (size_t i = 0; i < n; i++) {
		t += 1.0 / __builtin_pow((double)i + 1.0, 0.9);
		z->cum[i] = t;
	}
	for (size_t i = 0; i < n; i++)
		z->cum[i] /= t;
}

static size_t zipf_pick(const struct zipf *z, uint64_t *s)
{
	double u = urand(s);
	size_t lo = 0, hi = z->n - 1;
	while (lo < hi) {
		size_t m = (lo + hi) / 2;
		if (z->cum[m] < u)
			lo = m + 1;
		else
			hi = m;
	}
	return lo;
}

/* a rare, made-up but pronounceable name: the long tail of real lists */
static void rare_name(char *out, size_t cap, uint64_t *s)
{
	static const char *const on[] = {"b", "c", "ch", "d", "g", "j", "l",
					 "m", "n", "p", "r", "s", "t", "v",
					 "x", "z", "qu", "gu", "tl", "br"};
	static const char *const vo[] = {"a", "e", "i", "o", "u", "a", "o"};
	static const char *const end[] = {"", "", "z", "s", "n", "l", "r",
					  "ez", "as", "es"};
	size_t syl = 2 + gen_rand(s) % 3, o = 0;
	out[0] = 0;
	for (size_t i = 0; i < syl; i++)
		o += (size_t)snprintf(out + o, cap - o, "%s%s",
				      on[gen_rand(s) % N(on)],
				      vo[gen_rand(s) % N(vo)]);
	snprintf(out + o, cap - o, "%s", end[gen_rand(s) % N(end)]);
	out[0] = (char)toupper((unsigned char)out[0]);
}

static struct zipf zm, zf, zs, zig, zis;

static void pools_init(void)
{
	if (zm.n)
		return;
	zipf_init(&zm, N(g_male));
	zipf_init(&zf, N(g_female));
	zipf_init(&zs, N(g_sur));
	zipf_init(&zig, N(i_given));
	zipf_init(&zis, N(i_sur));
}

static void pick_given(char *out, size_t cap, bool female, bool intl,
		       uint64_t *s)
{
	if (intl) {
		snprintf(out, cap, "%s", i_given[zipf_pick(&zig, s)]);
		return;
	}
	if (urand(s) < 0.08) {
		rare_name(out, cap, s);
		return;
	}
	snprintf(out, cap, "%s",
		 female ? g_female[zipf_pick(&zf, s)] : g_male[zipf_pick(&zm, s)]);
}

static void pick_sur(char *out, size_t cap, bool intl, uint64_t *s)
{
	if (urand(s) < (intl ? 0.4 : 0.25)) {
		rare_name(out, cap, s);
		return;
	}
	snprintf(out, cap, "%s",
		 intl ? i_sur[zipf_pick(&zis, s)] : g_sur[zipf_pick(&zs, s)]);
}

static void make_person(struct gperson *p, uint64_t *s)
{
	bool intl = urand(s) < 0.15, female = urand(s) < 0.5;
	char a[48], b[48];

	memset(p, 0, sizeof(*p));
	p->intl = intl;
	p->sex[0] = female ? 'F' : 'M';
	pick_given(a, sizeof(a), female, intl, s);
	if (urand(s) < (intl ? 0.3 : 0.7)) {
		do
			pick_given(b, sizeof(b), female, intl, s);
		while (strcmp(a, b) == 0);
		snprintf(p->given, sizeof(p->given), "%s %s", a, b);
	} else
		snprintf(p->given, sizeof(p->given), "%s", a);
	pick_sur(a, sizeof(a), intl, s);
	if (!intl || urand(s) < 0.1) {
		pick_sur(b, sizeof(b), intl, s);
		if (!intl && female && urand(s) < 0.12) {
			/* married: first surname "de" husband's first */
			snprintf(p->sur, sizeof(p->sur), "%s de %s", a, b);
			p->married = 1;
		} else
			snprintf(p->sur, sizeof(p->sur), "%s %s", a, b);
	} else
		snprintf(p->sur, sizeof(p->sur), "%s", a);
	double u = urand(s);
	int y = 1940 + (int)(gen_rand(s) % 66), m = 1 + (int)(gen_rand(s) % 12),
	    d = 1 + (int)(gen_rand(s) % 28);
	if (u < 0.80)
		snprintf(p->dob, sizeof(p->dob), "%04d-%02d-%02d", y, m, d);
	else if (u < 0.88)
		snprintf(p->dob, sizeof(p->dob), "%04d-%02d", y, m);
	else if (u < 0.95)
		snprintf(p->dob, sizeof(p->dob), "%04d", y);
	snprintf(p->nat, sizeof(p->nat), "%s",
		 intl ? i_nats[gen_rand(s) % N(i_nats)] : nats[gen_rand(s) % N(nats)]);
	if (urand(s) < 0.5)
		snprintf(p->doc, sizeof(p->doc), "%c%08llu",
			 'A' + (int)(gen_rand(s) % 26),
			 (unsigned long long)(gen_rand(s) % 100000000));
}

void gen_entries(struct gperson *e, size_t n, uint64_t seed)
{
	uint64_t s = seed * 0x9e3779b97f4a7c15ull + 1;
	pools_init();
	for (size_t i = 0; i < n; i++)
		make_person(&e[i], &s);
}

/* ---- variations ---- */

static void strip_accents(char *s)
{
	static const char *const from[] = {"á", "é", "í", "ó", "ú", "ñ", "ü",
					   "Á", "É", "Í", "Ó", "Ú", "Ñ", "Ü",
					   "ö", "ä"};
	static const char to[] = "aeiounuAEIOUNUoa";
	char out[96];
	size_t o = 0;
	for (const char *p = s; *p && o + 1 < sizeof(out);) {
		bool done = false;
		for (size_t i = 0; i < N(from); i++) {
			size_t l = strlen(from[i]);
			if (strncmp(p, from[i], l) == 0) {
				out[o++] = to[i];
				p += l;
				done = true;
				break;
			}
		}
		if (!done)
			out[o++] = *p++;
	}
	out[o] = 0;
	strcpy(s, out);
}

static void upper(char *s)
{
	for (; *s; s++)
		*s = (char)toupper((unsigned char)*s);
}

/* number of space-separated words */
static int words(const char *s, char w[8][48])
{
	int n = 0;
	while (*s && n < 8) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		size_t l = strcspn(s, " ");
		snprintf(w[n], 48, "%.*s", (int)l, s);
		n++;
		s += l;
	}
	return n;
}

static void join(char *out, size_t cap, char w[8][48], int n, int skip)
{
	size_t o = 0;
	out[0] = 0;
	for (int i = 0; i < n; i++) {
		if (i == skip)
			continue;
		o += (size_t)snprintf(out + o, cap - o, "%s%s", o ? " " : "", w[i]);
	}
}

static bool is_part(const char *w)
{
	return !strcmp(w, "de") || !strcmp(w, "del") || !strcmp(w, "la") ||
	       !strcmp(w, "los") || !strcmp(w, "las");
}

/* drops the last surname (and its particles) */
static bool drop_second_surname(char *sur)
{
	char w[8][48];
	int n = words(sur, w), k = n - 1;
	if (n < 2)
		return false;
	while (k > 0 && is_part(w[k - 1]))
		k--;
	if (k == 0)
		return false;
	w[k][0] = 0;
	join(sur, 96, w, k, -1);
	return true;
}

static bool typo(char *s, uint64_t *r)
{
	char w[8][48];
	int n = words(s, w), cand[8], nc = 0;
	for (int i = 0; i < n; i++) {
		size_t l = strlen(w[i]);
		bool ascii = true;
		for (size_t k = 0; k < l; k++)
			ascii &= (unsigned char)w[i][k] < 0x80;
		if (l >= 4 && ascii && !is_part(w[i]))
			cand[nc++] = i;
	}
	if (!nc)
		return false;
	char *t = w[cand[gen_rand(r) % (uint64_t)nc]];
	size_t l = strlen(t), p = 1 + gen_rand(r) % (l - 1);
	char c = (char)('a' + gen_rand(r) % 26);
	switch (gen_rand(r) % 4) {
	case 0: /* substitution */
		if (t[p] == c)
			c = c == 'z' ? 'a' : (char)(c + 1);
		t[p] = c;
		break;
	case 1: /* deletion */
		memmove(t + p, t + p + 1, l - p);
		break;
	case 2: /* insertion */
		memmove(t + p + 1, t + p, l - p + 1);
		t[p] = c;
		break;
	default: /* transposition */
		if (p + 1 >= l)
			p--;
		if (t[p] == t[p + 1])
			return false;
		char x = t[p];
		t[p] = t[p + 1];
		t[p + 1] = x;
	}
	join(s, 96, w, n, -1);
	return true;
}

struct vpick {
	int want;
	char out[8][NAMES_TOK_MAX];
	int n;
};

static void on_var(const char *form, int kind, void *ctx)
{
	struct vpick *v = ctx;
	if (kind == v->want && v->n < 8)
		snprintf(v->out[v->n++], NAMES_TOK_MAX, "%s", form);
}

/* replaces one word of s by a table variant of kind */
static bool table_swap(char *s, int kind, const struct names_table *t,
		       uint64_t *r, bool first_only)
{
	char w[8][48], f[NAMES_TOK_MAX + 8];
	int n = words(s, w);
	for (int tries = 0; tries < (first_only ? 1 : n); tries++) {
		int i = first_only ? 0 : (int)((gen_rand(r) + (uint64_t)tries) % (uint64_t)n);
		struct vpick v = {.want = kind};
		if (names_fold(w[i], f, sizeof(f), NULL) || !f[0])
			continue;
		names_table_each_variant(t, f, on_var, &v);
		if (!v.n)
			continue;
		snprintf(w[i], 48, "%s", v.out[gen_rand(r) % (uint64_t)v.n]);
		w[i][0] = (char)toupper((unsigned char)w[i][0]);
		join(s, 96, w, n, -1);
		return true;
	}
	return false;
}

static bool has_particle(const char *sur)
{
	return strstr(sur, "de ") || strstr(sur, "del ");
}

static bool vary(struct gquery *q, int kind, uint64_t *r,
		 const struct names_table *t)
{
	struct gperson *p = &q->p;
	char w[8][48];
	int n;

	switch (kind) {
	case V_EXACT:
		return true;
	case V_ACCENTS:
		if (!strpbrk(p->given, "\xc3") && !strpbrk(p->sur, "\xc3"))
			return false;
		strip_accents(p->given);
		strip_accents(p->sur);
		if (gen_rand(r) & 1) {
			upper(p->given);
			upper(p->sur);
		}
		return true;
	case V_NO_SECOND_SURNAME:
		return !p->married && drop_second_surname(p->sur);
	case V_NO_SECOND_GIVEN:
		n = words(p->given, w);
		if (n < 2)
			return false;
		join(p->given, sizeof(p->given), w, n, n - 1);
		return true;
	case V_TYPO:
		return typo((gen_rand(r) & 1) ? p->given : p->sur, r);
	case V_TYPO_AND_DROP:
		return !p->married && drop_second_surname(p->sur) &&
		       typo((gen_rand(r) & 1) ? p->given : p->sur, r);
	case V_SWAPPED: {
		char tmp[96];
		memcpy(tmp, p->given, 96);
		memcpy(p->given, p->sur, 96);
		memcpy(p->sur, tmp, 96);
		return true;
	}
	case V_PARTICLE_DROPPED:
	case V_PARTICLE_GLUED: {
		if (!has_particle(p->sur) || p->married)
			return false;
		n = words(p->sur, w);
		char out[96];
		size_t o = 0;
		out[0] = 0;
		for (int i = 0; i < n; i++) {
			if (is_part(w[i])) {
				if (kind == V_PARTICLE_GLUED) {
					o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%c%s",
							      o ? " " : "", toupper((unsigned char)w[i][0]),
							      w[i] + 1);
					/* glue the rest of the particle chain */
					while (i + 1 < n && is_part(w[i + 1]))
						o += (size_t)snprintf(out + o, sizeof(out) - o, "%s", w[++i]);
					if (i + 1 < n) {
						i++;
						w[i][0] = (char)tolower((unsigned char)w[i][0]);
						o += (size_t)snprintf(out + o, sizeof(out) - o, "%s", w[i]);
					}
				}
				continue;
			}
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s", o ? " " : "", w[i]);
		}
		snprintf(p->sur, sizeof(p->sur), "%s", out);
		return true;
	}
	case V_NICKNAME:
		return !p->intl && table_swap(p->given, NAMES_NICKNAME, t, r, true);
	case V_TRANSLIT:
		return p->intl && (table_swap(p->given, NAMES_VARIANT, t, r, false) ||
				   table_swap(p->sur, NAMES_VARIANT, t, r, false));
	case V_MRZ: {
		strip_accents(p->given);
		strip_accents(p->sur);
		upper(p->given);
		upper(p->sur);
		for (char *c = p->given; *c; c++)
			if (*c == ' ' || *c == '\'')
				*c = '<';
		for (char *c = p->sur; *c; c++)
			if (*c == ' ' || *c == '\'')
				*c = '<';
		/* TD3 name field: 39 characters, given names truncated */
		size_t sl = strlen(p->sur);
		if (sl + 2 + strlen(p->given) > 39 && sl + 2 < 39)
			p->given[39 - sl - 2] = 0;
		return true;
	}
	case V_MARRIED:
		if (!p->married)
			return false;
		n = words(p->sur, w); /* "López de Hernández" */
		if (gen_rand(r) & 1)
			snprintf(p->sur, sizeof(p->sur), "%s", w[0]);
		else
			snprintf(p->sur, sizeof(p->sur), "%s", w[n - 1]);
		return true;
	case V_DOB_SWAPPED: {
		int y, m, d;
		if (strlen(p->dob) != 10 || sscanf(p->dob, "%d-%d-%d", &y, &m, &d) != 3 ||
		    d > 12 || d == m)
			return false;
		snprintf(p->dob, sizeof(p->dob), "%04d-%02d-%02d", y, d, m);
		return true;
	}
	}
	return false;
}

/* ---- negatives, verified against the list ---- */

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* key: first given token + every surname token, folded (order-free) */
struct nkey {
	uint64_t *k;
	int *year;
	size_t cap;
};

static void first_tok(const char *s, char *out, size_t cap)
{
	char f[256];
	names_fold(s, f, sizeof(f), NULL);
	size_t l = strcspn(f, " ");
	snprintf(out, cap, "%.*s", (int)l, f);
}

static int year_of(const char *d)
{
	return d[0] ? atoi(d) : 0;
}

/* keys of a person: (first given, each surname token) */
static int pkeys(const struct gperson *p, uint64_t out[4])
{
	char g[64], f[256], k[400];
	int n = 0;
	first_tok(p->given, g, sizeof(g));
	names_fold(p->sur, f, sizeof(f), NULL);
	for (char *t = strtok(f, " "); t && n < 4; t = strtok(NULL, " ")) {
		snprintf(k, sizeof(k), "%s|%s", g, t);
		out[n++] = fnv(k);
	}
	return n;
}

static void nkey_add(struct nkey *nk, uint64_t k, int year)
{
	size_t h = k & (nk->cap - 1);
	while (nk->k[h] && !(nk->k[h] == k && nk->year[h] == year))
		h = (h + 1) & (nk->cap - 1);
	nk->k[h] = k;
	nk->year[h] = year;
}

/* true when the list holds a possible namesake: same first given name and
 * a shared surname with a birth year within 2 (or unknown on either side) */
static bool namesake(const struct nkey *nk, const struct gperson *p)
{
	uint64_t k[4];
	int n = pkeys(p, k), y = year_of(p->dob);
	for (int i = 0; i < n; i++)
		for (size_t h = k[i] & (nk->cap - 1); nk->k[h]; h = (h + 1) & (nk->cap - 1))
			if (nk->k[h] == k[i] &&
			    (!y || !nk->year[h] || abs(nk->year[h] - y) <= 2))
				return true;
	return false;
}

size_t gen_queries(const struct gperson *e, size_t n, struct gquery *q,
		   size_t per_kind, uint64_t seed,
		   const struct names_table *t)
{
	uint64_t s = seed * 0x2545f4914f6cdd1dull + 7;
	size_t nq = 0;
	struct nkey nk;

	pools_init();
	nk.cap = 1;
	while (nk.cap < n * 8)
		nk.cap *= 2;
	nk.k = calloc(nk.cap, sizeof(uint64_t));
	nk.year = calloc(nk.cap, sizeof(int));
	for (size_t i = 0; i < n; i++) {
		uint64_t k[4];
		int m = pkeys(&e[i], k);
		for (int j = 0; j < m; j++)
			nkey_add(&nk, k[j], year_of(e[i].dob));
	}
	for (int kind = 0; kind < V_NPOS; kind++) {
		size_t made = 0;
		for (int tries = 0; made < per_kind && tries < (int)per_kind * 400; tries++) {
			long idx = (long)(gen_rand(&s) % n);
			struct gquery *g = &q[nq];
			g->p = e[idx];
			g->kind = kind;
			g->truth = idx;
			if (!vary(g, kind, &s, t))
				continue;
			/* a fifth of the queries come without birth date */
			if (kind != V_DOB_SWAPPED && gen_rand(&s) % 5 == 0)
				g->p.dob[0] = 0;
			if (gen_rand(&s) % 2)
				g->p.doc[0] = 0; /* documents seldom match */
			else
				snprintf(g->p.doc, sizeof(g->p.doc), "X%07llu",
					 (unsigned long long)(gen_rand(&s) % 10000000));
			nq++;
			made++;
		}
	}
	for (int kind = V_NPOS; kind < V_NALL; kind++) {
		size_t made = 0;
		for (int tries = 0; made < per_kind && tries < (int)per_kind * 400; tries++) {
			struct gquery *g = &q[nq];
			g->kind = kind;
			g->truth = -1;
			if (kind == N_STRANGER) {
				make_person(&g->p, &s);
			} else {
				const struct gperson *src = &e[gen_rand(&s) % n];
				g->p = *src;
				if (kind == N_DOB_APART) {
					int y;
					if (strlen(src->dob) != 10)
						continue;
					y = atoi(src->dob) + (int)(5 + gen_rand(&s) % 30) *
						(gen_rand(&s) & 1 ? 1 : -1);
					if (y < 1900 || y > 2025)
						continue;
					char tmp[11];
					snprintf(tmp, sizeof(tmp), "%04d%s", y, src->dob + 4);
					memcpy(g->p.dob, tmp, 11);
				} else {
					char a[48], b[48], ga[64], gb[64];
					bool fem = src->sex[0] == 'F';
					pick_given(a, sizeof(a), fem, src->intl, &s);
					first_tok(a, ga, sizeof(ga));
					first_tok(src->given, gb, sizeof(gb));
					/* another given name: not the same, no shared
					 * initial, no nickname/variant relation */
					if (ga[0] == gb[0] || names_table_relation(t, ga, gb))
						continue;
					if (gen_rand(&s) & 1) {
						pick_given(b, sizeof(b), fem, src->intl, &s);
						char t2[64];
						first_tok(b, t2, sizeof(t2));
						char w[8][48];
						int nw = words(src->given, w);
						bool clash = false;
						for (int i = 0; i < nw; i++) {
							char f[64];
							first_tok(w[i], f, sizeof(f));
							clash |= f[0] == t2[0] || names_table_relation(t, f, t2);
						}
						if (clash)
							continue;
						snprintf(g->p.given, sizeof(g->p.given), "%s %s", a, b);
					} else
						snprintf(g->p.given, sizeof(g->p.given), "%s", a);
					if (kind == N_OTHER_GIVEN) {
						int y = 1940 + (int)(gen_rand(&s) % 66);
						snprintf(g->p.dob, sizeof(g->p.dob), "%04d-%02d-%02d", y,
							 1 + (int)(gen_rand(&s) % 12), 1 + (int)(gen_rand(&s) % 28));
					}
				}
				g->p.doc[0] = 0;
			}
			if (namesake(&nk, &g->p))
				continue;
			nq++;
			made++;
		}
	}
	free(nk.k);
	free(nk.year);
	return nq;
}
