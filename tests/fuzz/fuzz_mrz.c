/*
 * fuzz_mrz.c - libFuzzer target for the MRZ engine (src/core/mrz.c).
 *
 * Any byte string goes through mrz_parse(); beyond "no crash, no UB" it
 * checks the engine's own promises: the verdict agrees with the error
 * list, every string field is NUL-terminated within its buffer, and a zone
 * found valid survives format -> parse with the same fields (the writer
 * and the reader agree).  The core is linked alone, so the country table
 * is a small one in memory.
 */
#include "core/mrz.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const struct mrz_country TABLE[] = {
	{"BEL", "Bélgica"}, {"BIH", "Bosnia y Herzegovina"}, {"CAN", "Canadá"},
	{"CHN", "China"}, {"CZE", "Chequia"}, {"ESP", "España"},
	{"FIN", "Finlandia"}, {"GBR", "Reino Unido"}, {"LIE", "Liechtenstein"},
	{"PRT", "Portugal"}, {"SLV", "El Salvador"}, {"SRB", "Serbia"},
	{"SWE", "Suecia"}, {"UKR", "Ucrania"}, {"USA", "Estados Unidos"},
};

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static void same_fields(const struct mrz_doc *a, const struct mrz_doc *b)
{
	CHECK(a->format == b->format);
	CHECK(!strcmp(a->document_code, b->document_code));
	CHECK(!strcmp(a->issuing_state, b->issuing_state));
	CHECK(!strcmp(a->surnames, b->surnames));
	CHECK(!strcmp(a->given_names, b->given_names));
	CHECK(!strcmp(a->document_number, b->document_number));
	CHECK(!strcmp(a->nationality, b->nationality));
	CHECK(!memcmp(&a->birth, &b->birth, sizeof(a->birth)));
	CHECK(!memcmp(&a->expiry, &b->expiry, sizeof(a->expiry)));
	CHECK(a->sex == b->sex);
	CHECK(!strcmp(a->optional_data, b->optional_data));
	CHECK(!strcmp(a->optional_data_2, b->optional_data_2));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mrz_doc d, d2;
	const struct mrz_countries t = {TABLE, sizeof(TABLE) / sizeof(TABLE[0])};
	int32_t today = cal_from_ymd(2026, 11, 25);
	if (mrz_parse((const char *)data, size, today, &t, &d, NULL)) {
		CHECK(size > MRZ_INPUT_MAX);
		return 0;
	}
	CHECK(d.valid == (d.n_errors == 0));
	CHECK(d.n_errors <= MRZ_MAX_ISSUES && d.n_suggestions <= MRZ_MAX_SUGGESTIONS);
	CHECK(memchr(d.surnames, 0, sizeof(d.surnames)));
	CHECK(memchr(d.given_names, 0, sizeof(d.given_names)));
	CHECK(memchr(d.document_number, 0, sizeof(d.document_number)));
	CHECK(memchr(d.optional_data, 0, sizeof(d.optional_data)));
	for (int i = 0; i < d.n_errors; i++)
		CHECK(d.errors[i].code && d.errors[i].field && d.errors[i].message);
	if (!d.valid)
		return 0;
	struct mrz_input in = {
		.format = d.format, .document_code = d.document_code,
		.issuing_state = d.issuing_state, .surnames = d.surnames,
		.given_names = d.given_names,
		.document_number = d.document_number,
		.nationality = d.nationality, .birth = d.birth,
		.sex = d.sex, .expiry = d.expiry,
		.optional_data = d.optional_data,
		.optional_data_2 = d.optional_data_2,
	};
	char out[3 * 45 + 1];
	CHECK(mrz_format_zone(&in, out, sizeof(out), NULL) == 0);
	CHECK(mrz_parse(out, strlen(out), today, &t, &d2, NULL) == 0);
	CHECK(d2.valid);
	same_fields(&d, &d2);
	return 0;
}
