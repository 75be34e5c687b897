/*
 * gen.h - seeded generator of labelled screening data for bench/screen:
 * a watch list of Salvadoran, other Hispanic and international persons and
 * queries that are variations of listed persons (positives, labelled with
 * the variation) or verified non-matches (strangers and hard negatives).
 */
#ifndef SIGM_BENCH_SCREEN_GEN_H
#define SIGM_BENCH_SCREEN_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "core/names.h"

struct gperson {
	char given[96];
	char sur[96];
	char dob[11];
	char sex[2];
	char nat[4];
	char doc[16];
	uint8_t intl;    /* international name */
	uint8_t married; /* "López de Hernández" */
};

enum gvar {
	V_EXACT, V_ACCENTS, V_NO_SECOND_SURNAME, V_NO_SECOND_GIVEN, V_TYPO,
	V_SWAPPED, V_PARTICLE_DROPPED, V_PARTICLE_GLUED, V_NICKNAME,
	V_TRANSLIT, V_MRZ, V_MARRIED, V_DOB_SWAPPED, V_TYPO_AND_DROP,
	V_NPOS,
	N_STRANGER = V_NPOS, N_OTHER_GIVEN, N_OTHER_GIVEN_SAME_DOB,
	N_DOB_APART, V_NALL,
};

extern const char *const gvar_name[V_NALL];

struct gquery {
	struct gperson p;
	int kind;      /* enum gvar */
	long truth;    /* entry index, -1 for negatives */
};

uint64_t gen_rand(uint64_t *s);
void gen_entries(struct gperson *e, size_t n, uint64_t seed);
/* Builds nq queries spread over the kinds; returns how many were made.
 * names: the variant table (nicknames, transliterations). */
size_t gen_queries(const struct gperson *e, size_t n, struct gquery *q,
		   size_t per_kind, uint64_t seed,
		   const struct names_table *names);

#endif
