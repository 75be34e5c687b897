/* paxlst_json.c - PAXLST interchange to JSON; see paxlst_json.h. */
#include "api/paxlst_json.h"
#include "core/calendar.h"

/* A string, or null when empty: absent data is not an empty name. */
static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *day_json(int32_t day)
{
	char buf[11];
	if (day == CAL_NONE)
		return json_null();
	cal_format(day, buf);
	return json_string(buf);
}

static json_t *time_json(const struct paxlst_time *t)
{
	char buf[17];
	paxlst_time_format(t, buf);
	return str_or_null(buf);
}

static json_t *count_json(long n)
{
	return n < 0 ? json_null() : json_integer(n);
}

static json_t *place_json(const char *port, const struct paxlst_time *t)
{
	return json_pack("{s:o, s:o}", "port", str_or_null(port), "time",
			 time_json(t));
}

static json_t *leg_json(const struct paxlst_leg *l)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:b, s:i}", "carrier",
			 str_or_null(l->carrier), "flight",
			 str_or_null(l->flight), "departure",
			 place_json(l->dep_port, &l->dep), "arrival",
			 place_json(l->arr_port, &l->arr), "border", l->border,
			 "segment", (int)l->segment);
}

static json_t *person_json(const struct paxlst_person *p)
{
	json_t *docs = json_array(), *refs = json_object();
	for (unsigned i = 0; i < p->n_docs; i++) {
		const struct paxlst_document *d = &p->docs[i];
		json_array_append_new(
			docs,
			json_pack("{s:o, s:o, s:o, s:o, s:o}", "type",
				  str_or_null(d->type), "number",
				  str_or_null(d->number), "issuing_state",
				  str_or_null(d->issuing_state), "expiry_date",
				  day_json(d->expiry), "issue_date",
				  day_json(d->issued)));
	}
	for (unsigned i = 0; i < p->n_refs; i++)
		if (p->refs[i].qualifier[0] &&
		    !json_object_get(refs, p->refs[i].qualifier))
			json_object_set_new(refs, p->refs[i].qualifier,
					    str_or_null(p->refs[i].value));
	return json_pack(
		"{s:i, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
		" s:o, s:o, s:o, s:o}",
		"segment", (int)p->segment, "qualifier", p->qualifier,
		"surnames", str_or_null(p->surnames), "given_names",
		str_or_null(p->given_names), "birth_date",
		day_json(p->birth_date), "sex", str_or_null(p->sex),
		"nationality", str_or_null(p->nationality), "residence",
		str_or_null(p->residence), "birth_place",
		str_or_null(p->birth_place), "embarkation",
		str_or_null(p->embarkation), "disembarkation",
		str_or_null(p->disembarkation), "clearance",
		str_or_null(p->clearance), "address", str_or_null(p->address),
		"function", str_or_null(p->function), "references", refs,
		"documents", docs);
}

static json_t *message_json(const struct paxlst_message *m)
{
	json_t *legs = json_array(), *pax = json_array(), *crew = json_array();
	const struct paxlst_leg *f = paxlst_flight(m);
	static const struct paxlst_time none = {CAL_NONE, -1};

	for (unsigned i = 0; i < m->n_legs; i++)
		json_array_append_new(legs, leg_json(&m->legs[i]));
	for (unsigned i = 0; i < m->n_persons; i++)
		json_array_append_new(m->persons[i].role == PAXLST_CREW ? crew
									: pax,
				      person_json(&m->persons[i]));
	json_t *counts = json_pack(
		"{s:o, s:i, s:o, s:i, s:o, s:i}", "segments_declared",
		count_json(m->unt_declared), "segments_seen",
		(int)m->unt_seen, "passengers_declared",
		count_json(m->cnt_passengers), "passengers_seen",
		(int)m->n_passengers, "crew_declared", count_json(m->cnt_crew),
		"crew_seen", (int)m->n_crew);
	return json_pack(
		"{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
		" s:o, s:o, s:o, s:o, s:b, s:i}",
		"reference", str_or_null(m->reference), "version",
		str_or_null(m->version), "document", str_or_null(m->document),
		"document_id", str_or_null(m->document_id), "function",
		str_or_null(m->function), "part",
		json_pack("{s:o, s:o, s:o}", "access_ref", str_or_null(m->access_ref),
			  "sequence", str_or_null(m->sequence),
			  "status", str_or_null(m->part_status)),
		"reporting_party", str_or_null(m->reporting_party),
		"transaction_ref", str_or_null(m->transaction_ref), "carrier",
		str_or_null(f ? f->carrier : ""), "flight",
		str_or_null(f ? f->flight : ""), "departure",
		place_json(f ? f->dep_port : "", f ? &f->dep : &none),
		"arrival", place_json(f ? f->arr_port : "", f ? &f->arr : &none),
		"legs", legs, "passengers", pax, "crew", crew, "counts", counts,
		"complete", m->closed, "segment", (int)m->segment);
}

json_t *paxlst_diags_json(const struct paxlst_diag *d, unsigned n)
{
	json_t *a = json_array();
	for (unsigned i = 0; a && i < n; i++)
		json_array_append_new(
			a, json_pack("{s:i, s:s, s:s, s:s, s:s}", "segment",
				     (int)d[i].segment, "tag", d[i].tag,
				     "element", d[i].element, "code", d[i].code,
				     "message", d[i].message));
	return a;
}

json_t *paxlst_to_json(const struct paxlst_interchange *ix)
{
	json_t *msgs = json_array();
	char sep[7] = {ix->syntax.comp, ix->syntax.elem, ix->syntax.decimal,
		       ix->syntax.release ? ix->syntax.release : ' ',
		       ix->syntax.reserved, ix->syntax.term, '\0'};
	for (unsigned i = 0; msgs && i < ix->n_messages; i++)
		json_array_append_new(msgs, message_json(&ix->messages[i]));
	json_t *head = json_pack(
		"{s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:s, s:i, s:o, s:i, s:i}",
		"sender", str_or_null(ix->sender), "recipient",
		str_or_null(ix->recipient), "reference",
		str_or_null(ix->reference), "prepared",
		time_json(&ix->prepared), "charset", str_or_null(ix->charset),
		"syntax_version", str_or_null(ix->syntax_version), "una",
		ix->syntax.una, "separators", sep, "segments",
		(int)ix->n_segments, "messages_declared",
		count_json(ix->unz_declared), "messages_seen",
		(int)ix->n_messages, "groups", (int)ix->n_groups);
	return json_pack("{s:o, s:o, s:o, s:o, s:b}", "interchange", head,
			 "messages", msgs, "errors",
			 paxlst_diags_json(ix->errors, ix->n_errors), "warnings",
			 paxlst_diags_json(ix->warnings, ix->n_warnings),
			 "diagnostics_truncated", ix->diags_truncated);
}
