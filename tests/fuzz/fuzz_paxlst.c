/*
 * fuzz_paxlst.c - libFuzzer target for the PAXLST reader (core/paxlst.h).
 *
 * Besides "no crash, no leak, no undefined behaviour", it checks what the
 * reader promises: every string it hands out is NUL-terminated valid UTF-8
 * (JSON and the database depend on it), counts stay within the caps, and
 * a parse that failed leaves nothing to free but what release frees.
 */
#include "core/paxlst.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_utf8(const char *s, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s;
	if (!memchr(s, '\0', cap))
		abort();
	while (*p) {
		int n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2
				 : (*p & 0xF0) == 0xE0 ? 3
				 : (*p & 0xF8) == 0xF0 ? 4 : 0;
		if (n == 0 || (n == 2 && *p < 0xC2))
			abort();
		for (int i = 1; i < n; i++)
			if ((p[i] & 0xC0) != 0x80)
				abort();
		p += n;
	}
}

#define CHECK(field) check_utf8((field), sizeof(field))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct paxlst_interchange ix;
	struct paxlst_options opt;
	paxlst_options_init(&opt);
	/* one input in two also checks the clock path */
	if (size && (data[0] & 1)) {
		opt.now_day = 19000;
		opt.now_minute = 600;
	}
	int rc = paxlst_parse((const char *)data, size, &opt, &ix, NULL);
	if (rc == 0 && ix.n_messages == 0)
		abort();
	if (ix.n_errors > PAXLST_MAX_DIAGS || ix.n_warnings > PAXLST_MAX_DIAGS)
		abort();
	for (unsigned i = 0; i < ix.n_messages; i++) {
		const struct paxlst_message *m = &ix.messages[i];
		if (m->n_legs > PAXLST_MAX_LEGS ||
		    m->n_passengers + m->n_crew != m->n_persons)
			abort();
		CHECK(m->reference);
		CHECK(m->reporting_party);
		for (unsigned k = 0; k < m->n_legs; k++) {
			CHECK(m->legs[k].flight);
			CHECK(m->legs[k].carrier);
			CHECK(m->legs[k].dep_port);
			CHECK(m->legs[k].arr_port);
		}
		for (unsigned k = 0; k < m->n_persons; k++) {
			const struct paxlst_person *p = &m->persons[k];
			CHECK(p->surnames);
			CHECK(p->given_names);
			CHECK(p->address);
			CHECK(p->birth_place);
			CHECK(p->nationality);
			if (p->n_docs > PAXLST_MAX_DOCS)
				abort();
			for (unsigned d = 0; d < p->n_docs; d++)
				CHECK(p->docs[d].number);
		}
		char t[17];
		const struct paxlst_leg *l = paxlst_flight(m);
		if (l)
			paxlst_time_format(&l->dep, t);
	}
	for (unsigned i = 0; i < ix.n_errors; i++) {
		CHECK(ix.errors[i].message);
		CHECK(ix.errors[i].element);
	}
	paxlst_release(&ix);
	return 0;
}
