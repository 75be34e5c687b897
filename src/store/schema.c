/*
 * schema.c - the numbered migrations, applied in order by store_migrate_conn
 * (at every store_open, and by `sigm migrate`).  SQL is the portable subset;
 * {{ID}} stands for the engine's auto-increment primary key; {{FUNCTIONS}},
 * {{APPEND_ONLY table prefix}} and {{NOTIFY table}} for what the engines
 * spell differently (triggers, functions; see ddl() in sqlite.c and pg.c).
 * A migration may have a part in C (migration_runs), run after its SQL in
 * the same transaction.
 * A migration is never edited once released: add a new one.  (Migrations 1
 * and 3 gained tokens with PostgreSQL; on SQLite they expand to the very
 * text released before, so existing databases are unaffected.)
 *
 * Append-only tables (audit_log) carry triggers that refuse UPDATE and
 * DELETE, so no code path can rewrite history by mistake; deliberate
 * tampering is what the audit hash chain detects.
 */
#include "store/store_int.h"
#include "store/persons.h"

#include <stdlib.h>
#include <string.h>

struct migration {
	int version;
	const char *name;
	const char *sql;
};

static const struct migration migrations[] = {
	{1, "platform",
	 "{{FUNCTIONS}}"
	 "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
	 "CREATE TABLE users (\n"
	 "  username TEXT PRIMARY KEY,\n"
	 "  display_name TEXT NOT NULL,\n"
	 "  unit_code TEXT NOT NULL,\n"
	 "  password_hash TEXT NOT NULL,\n"
	 "  disabled INTEGER NOT NULL DEFAULT 0,\n"
	 "  failed_logins INTEGER NOT NULL DEFAULT 0,\n"
	 "  locked_until TEXT,\n"
	 "  created_at TEXT NOT NULL,\n"
	 "  updated_at TEXT NOT NULL,\n"
	 "  last_login_at TEXT,\n"
	 "  password_changed_at TEXT NOT NULL);\n"
	 "CREATE TABLE user_roles (\n"
	 "  username TEXT NOT NULL REFERENCES users(username),\n"
	 "  role TEXT NOT NULL,\n"
	 "  PRIMARY KEY (username, role));\n"
	 "CREATE TABLE sessions (\n"
	 "  id_hash TEXT PRIMARY KEY,\n"
	 "  username TEXT NOT NULL REFERENCES users(username),\n"
	 "  csrf_token TEXT NOT NULL,\n"
	 "  created_at TEXT NOT NULL,\n"
	 "  expires_at TEXT NOT NULL,\n"
	 "  idle_expires_at TEXT NOT NULL,\n"
	 "  remote_addr TEXT,\n"
	 "  revoked_at TEXT);\n"
	 "CREATE INDEX sessions_user ON sessions(username);\n"
	 "CREATE TABLE api_tokens (\n"
	 "  id {{ID}},\n"
	 "  token_hash TEXT NOT NULL UNIQUE,\n"
	 "  username TEXT NOT NULL REFERENCES users(username),\n"
	 "  label TEXT,\n"
	 "  created_at TEXT NOT NULL,\n"
	 "  revoked_at TEXT);\n"
	 "CREATE TABLE audit_log (\n"
	 "  seq BIGINT PRIMARY KEY,\n"
	 "  at TEXT NOT NULL,\n"
	 "  actor TEXT NOT NULL,\n"
	 "  action TEXT NOT NULL,\n"
	 "  record_type TEXT,\n"
	 "  record_id TEXT,\n"
	 "  remote_addr TEXT,\n"
	 "  detail TEXT,\n"
	 "  prev_hash TEXT NOT NULL,\n"
	 "  hash TEXT NOT NULL);\n"
	 "CREATE INDEX audit_actor ON audit_log(actor, seq);\n"
	 "CREATE INDEX audit_record ON audit_log(record_type, record_id, seq);\n"
	 "CREATE INDEX audit_at ON audit_log(at);\n"
	 "{{APPEND_ONLY audit_log audit}}"
	 "CREATE TABLE idempotency (\n"
	 "  key TEXT NOT NULL,\n"
	 "  actor TEXT NOT NULL,\n"
	 "  method TEXT NOT NULL,\n"
	 "  path TEXT NOT NULL,\n"
	 "  status INTEGER NOT NULL,\n"
	 "  body TEXT,\n"
	 "  created_at TEXT NOT NULL,\n"
	 "  PRIMARY KEY (actor, key));\n"},
	{2, "restrictions_alerts_lost_stolen",
	 /* Court measures, kept with every version (Secretaría General). */
	 "CREATE TABLE restrictions (\n"
	 "  id {{ID}},\n"
	 "  court TEXT NOT NULL,\n"
	 "  case_number TEXT NOT NULL,\n"
	 "  measure TEXT NOT NULL,\n"
	 "  given_names TEXT, surnames TEXT, birth_date TEXT, sex TEXT,\n"
	 "  nationality TEXT, document_number TEXT, dui TEXT,\n"
	 "  order_date TEXT, effective_from TEXT NOT NULL, effective_to TEXT,\n"
	 "  document_reference TEXT,\n"
	 "  status TEXT NOT NULL DEFAULT 'active',\n"
	 "  lift_order_reference TEXT, lifted_at TEXT,\n"
	 "  version INTEGER NOT NULL DEFAULT 1,\n"
	 "  created_at TEXT NOT NULL, created_by TEXT NOT NULL,\n"
	 "  updated_at TEXT NOT NULL);\n"
	 "CREATE INDEX restrictions_case ON restrictions(court, case_number);\n"
	 "CREATE INDEX restrictions_doc ON restrictions(document_number);\n"
	 "CREATE INDEX restrictions_dui ON restrictions(dui);\n"
	 "CREATE TABLE restriction_versions (\n"
	 "  restriction_id BIGINT NOT NULL REFERENCES restrictions(id),\n"
	 "  version INTEGER NOT NULL,\n"
	 "  at TEXT NOT NULL, actor TEXT NOT NULL, change TEXT NOT NULL,\n"
	 "  snapshot TEXT NOT NULL,\n"
	 "  PRIMARY KEY (restriction_id, version));\n"
	 "CREATE TABLE restriction_permits (\n"
	 "  id {{ID}},\n"
	 "  restriction_id BIGINT NOT NULL REFERENCES restrictions(id),\n"
	 "  valid_from TEXT NOT NULL, valid_to TEXT NOT NULL,\n"
	 "  destination TEXT NOT NULL, authorization_ref TEXT NOT NULL,\n"
	 "  created_at TEXT NOT NULL, created_by TEXT NOT NULL);\n"
	 "CREATE INDEX permits_restriction ON restriction_permits(restriction_id);\n"
	 /* Migration alerts (Control Migratorio, function 39). */
	 "CREATE TABLE alerts (\n"
	 "  id {{ID}},\n"
	 "  category TEXT NOT NULL,\n"
	 "  issuing_unit TEXT NOT NULL,\n"
	 "  given_names TEXT, surnames TEXT, birth_date TEXT, sex TEXT,\n"
	 "  nationality TEXT, document_number TEXT,\n"
	 "  valid_from TEXT NOT NULL, valid_until TEXT,\n"
	 "  reentry_ban_until TEXT,\n"
	 "  instructions TEXT NOT NULL,\n"
	 "  reference TEXT,\n"
	 "  status TEXT NOT NULL DEFAULT 'active',\n"
	 "  cancel_reason TEXT,\n"
	 "  created_at TEXT NOT NULL, created_by TEXT NOT NULL,\n"
	 "  updated_at TEXT NOT NULL);\n"
	 "CREATE INDEX alerts_doc ON alerts(document_number);\n"
	 /* Lost and stolen travel documents: national reports and imported
	  * foreign lists. */
	 "CREATE TABLE lost_stolen (\n"
	 "  id {{ID}},\n"
	 "  document_number TEXT NOT NULL,\n"
	 "  document_type TEXT NOT NULL,\n"
	 "  issuing_state TEXT NOT NULL,\n"
	 "  reason TEXT NOT NULL,\n"
	 "  reported_on TEXT NOT NULL,\n"
	 "  holder_given_names TEXT, holder_surnames TEXT, holder_birth_date TEXT,\n"
	 "  source TEXT NOT NULL,\n"
	 "  status TEXT NOT NULL DEFAULT 'active',\n"
	 "  created_at TEXT NOT NULL, created_by TEXT NOT NULL);\n"
	 "CREATE UNIQUE INDEX lost_stolen_active ON lost_stolen(issuing_state, document_number) WHERE status = 'active';\n"
	 "CREATE INDEX lost_stolen_number ON lost_stolen(document_number);\n"},
	{3, "identity_and_ledger",
	 /* One person, many documents; a renewed passport points at the one
	  * it replaces.  Possible duplicates are flagged for a person to
	  * decide, never merged by the machine. */
	 "CREATE TABLE persons (\n"
	 "  id {{ID}},\n"
	 "  given_names TEXT, surnames TEXT, birth_date TEXT, sex TEXT,\n"
	 "  nationality TEXT,\n"
	 "  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);\n"
	 "CREATE INDEX persons_names ON persons(surnames, given_names);\n"
	 "CREATE INDEX persons_birth ON persons(birth_date);\n"
	 "CREATE TABLE documents (\n"
	 "  id {{ID}},\n"
	 "  person_id BIGINT NOT NULL REFERENCES persons(id),\n"
	 "  kind TEXT NOT NULL,\n"
	 "  document_code TEXT,\n"
	 "  number TEXT NOT NULL,\n"
	 "  issuing_state TEXT NOT NULL,\n"
	 "  expiry_date TEXT,\n"
	 "  replaces_document_id BIGINT REFERENCES documents(id),\n"
	 "  first_seen_at TEXT NOT NULL, last_seen_at TEXT NOT NULL,\n"
	 "  UNIQUE (issuing_state, kind, number));\n"
	 "CREATE INDEX documents_person ON documents(person_id);\n"
	 "CREATE INDEX documents_number ON documents(number);\n"
	 "CREATE TABLE person_duplicates (\n"
	 "  id {{ID}},\n"
	 "  person_id BIGINT NOT NULL REFERENCES persons(id),\n"
	 "  other_person_id BIGINT NOT NULL REFERENCES persons(id),\n"
	 "  reason TEXT NOT NULL,\n"
	 "  status TEXT NOT NULL DEFAULT 'open',\n"
	 "  created_at TEXT NOT NULL,\n"
	 "  UNIQUE (person_id, other_person_id));\n"
	 /* Every primary inspection, whatever its decision. */
	 "CREATE TABLE inspections (\n"
	 "  id {{ID}},\n"
	 "  person_id BIGINT REFERENCES persons(id),\n"
	 "  document_id BIGINT REFERENCES documents(id),\n"
	 "  port TEXT NOT NULL, direction TEXT NOT NULL,\n"
	 "  transport TEXT,\n"
	 "  decision TEXT NOT NULL,\n"
	 "  reasons TEXT NOT NULL,\n"
	 "  officer TEXT NOT NULL,\n"
	 "  at TEXT NOT NULL,\n"
	 "  status TEXT NOT NULL,\n"
	 "  resolved_by TEXT, resolved_at TEXT, resolution TEXT,\n"
	 "  movement_id BIGINT);\n"
	 "CREATE INDEX inspections_queue ON inspections(port, status, at);\n"
	 "CREATE INDEX inspections_person ON inspections(person_id, at);\n"
	 /* The ledger of entries and exits: append-only.  A mistake is
	  * corrected by a compensating entry naming the one it corrects,
	  * its reason and the supervisor who approved it. */
	 "CREATE TABLE movements (\n"
	 "  id {{ID}},\n"
	 "  person_id BIGINT NOT NULL REFERENCES persons(id),\n"
	 "  document_id BIGINT REFERENCES documents(id),\n"
	 "  inspection_id BIGINT,\n"
	 "  direction TEXT NOT NULL,\n"
	 "  port TEXT NOT NULL,\n"
	 "  at TEXT NOT NULL,\n"
	 "  day TEXT NOT NULL,\n"
	 "  officer TEXT NOT NULL,\n"
	 "  transport TEXT,\n"
	 "  decision TEXT NOT NULL,\n"
	 "  reasons TEXT,\n"
	 "  permitted_stay_days INTEGER,\n"
	 "  corrects_movement_id BIGINT REFERENCES movements(id),\n"
	 "  correction_reason TEXT, approved_by TEXT,\n"
	 "  created_at TEXT NOT NULL);\n"
	 "CREATE INDEX movements_person ON movements(person_id, at);\n"
	 "CREATE INDEX movements_port_day ON movements(port, day);\n"
	 "{{APPEND_ONLY movements movements}}"},
	{4, "minor_authorizations",
	 /* LEPINA Art. 44: the absent parent's authorization for a minor to
	  * leave the country, by notarial act, the Procuraduría General de la
	  * República or a judge; valid for at most one year. */
	 "CREATE TABLE minor_authorizations (\n"
	 "  id {{ID}},\n"
	 "  minor_given_names TEXT NOT NULL, minor_surnames TEXT NOT NULL,\n"
	 "  minor_birth_date TEXT NOT NULL, minor_nationality TEXT,\n"
	 "  minor_document_number TEXT, birth_certificate_ref TEXT NOT NULL,\n"
	 "  authorizing TEXT NOT NULL,\n"
	 "  instrument TEXT NOT NULL, instrument_reference TEXT NOT NULL,\n"
	 "  issued_on TEXT NOT NULL, valid_from TEXT NOT NULL, valid_to TEXT NOT NULL,\n"
	 "  travels_alone INTEGER NOT NULL DEFAULT 0,\n"
	 "  companion_given_names TEXT, companion_surnames TEXT,\n"
	 "  companion_document_number TEXT, companion_relation TEXT,\n"
	 "  destination TEXT NOT NULL, length_of_stay TEXT NOT NULL,\n"
	 "  status TEXT NOT NULL DEFAULT 'active', revoke_reason TEXT,\n"
	 "  created_at TEXT NOT NULL, created_by TEXT NOT NULL);\n"
	 "CREATE INDEX minor_auth_doc ON minor_authorizations(minor_document_number);\n"
	 "CREATE INDEX minor_auth_name ON minor_authorizations(minor_surnames, minor_birth_date);\n"},
	{5, "secondary_inadmissions_fines",
	 /* A refusal after secondary inspection: the legal ground, the
	  * carrier that brought the traveler and the transport back. */
	 "CREATE TABLE inadmissions (\n"
	 "  id {{ID}},\n"
	 "  inspection_id BIGINT NOT NULL REFERENCES inspections(id),\n"
	 "  person_id BIGINT REFERENCES persons(id),\n"
	 "  legal_ground TEXT NOT NULL,\n"
	 "  carrier TEXT, arrival_transport TEXT, return_transport TEXT,\n"
	 "  notes TEXT,\n"
	 "  created_at TEXT NOT NULL, created_by TEXT NOT NULL);\n"
	 /* Fines imposed on carriers at the posts (manual, Control
	  * Migratorio 27: follow-up of their collection). */
	 "CREATE TABLE carrier_fines (\n"
	 "  id {{ID}},\n"
	 "  carrier TEXT NOT NULL,\n"
	 "  amount_cents BIGINT NOT NULL,\n"
	 "  currency TEXT NOT NULL DEFAULT 'USD',\n"
	 "  legal_basis TEXT NOT NULL,\n"
	 "  reason TEXT NOT NULL,\n"
	 "  port TEXT, transport TEXT,\n"
	 "  inspection_id BIGINT REFERENCES inspections(id),\n"
	 "  imposed_on TEXT NOT NULL,\n"
	 "  status TEXT NOT NULL DEFAULT 'pending',\n"
	 "  status_note TEXT, status_changed_at TEXT,\n"
	 "  created_at TEXT NOT NULL, created_by TEXT NOT NULL);\n"
	 "CREATE INDEX carrier_fines_carrier ON carrier_fines(carrier, imposed_on);\n"
	 /* Who is inside the country now, kept with every movement: the
	  * overstayers list must not scan the whole ledger. */
	 "CREATE TABLE presence (\n"
	 "  person_id BIGINT PRIMARY KEY REFERENCES persons(id),\n"
	 "  inside INTEGER NOT NULL,\n"
	 "  since TEXT NOT NULL,\n"
	 "  port TEXT,\n"
	 "  permitted_until TEXT,\n"
	 "  movement_id BIGINT NOT NULL);\n"
	 "CREATE INDEX presence_overstay ON presence(inside, permitted_until);\n"},
	{6, "blocked_exits",
	 /* Every attempt to leave under an active restriction, by court and
	  * case, for the Secretaría General to inform the courts (manual,
	  * Secretaría General 20). */
	 "CREATE TABLE blocked_exits (\n"
	 "  id {{ID}},\n"
	 "  inspection_id BIGINT NOT NULL REFERENCES inspections(id),\n"
	 "  restriction_id BIGINT NOT NULL REFERENCES restrictions(id),\n"
	 "  person_id BIGINT REFERENCES persons(id),\n"
	 "  court TEXT NOT NULL, case_number TEXT NOT NULL,\n"
	 "  port TEXT NOT NULL, at TEXT NOT NULL, day TEXT NOT NULL,\n"
	 "  informed_at TEXT, informed_by TEXT);\n"
	 "CREATE INDEX blocked_exits_day ON blocked_exits(day, court);\n"
	 "CREATE INDEX blocked_exits_case ON blocked_exits(court, case_number);\n"},
	{7, "certificates",
	 /* Certificates of migratory movements and of restrictions issued by
	  * the Secretaría General (manual, functions 21-22).  What was
	  * certified is kept as a JSON snapshot, so a later download prints
	  * the same document whatever happened to the registries since; the
	  * public verification page shows only code, date, holder's name
	  * and status.  A certificate is revoked, never deleted. */
	 "CREATE TABLE certificates (\n"
	 "  id {{ID}},\n"
	 "  code TEXT NOT NULL UNIQUE,\n"
	 "  kind TEXT NOT NULL,\n"
	 "  person_id BIGINT NOT NULL REFERENCES persons(id),\n"
	 "  holder_name TEXT NOT NULL,\n"
	 "  requester_kind TEXT NOT NULL,\n"
	 "  requester_name TEXT, requester_reference TEXT,\n"
	 "  purpose TEXT,\n"
	 "  as_of TEXT NOT NULL,\n"
	 "  content TEXT NOT NULL,\n"
	 "  issued_at TEXT NOT NULL, issued_by TEXT NOT NULL,\n"
	 "  signer_name TEXT NOT NULL, signer_unit TEXT NOT NULL,\n"
	 "  status TEXT NOT NULL DEFAULT 'valid',\n"
	 "  revoked_at TEXT, revoked_by TEXT, revoke_reason TEXT);\n"
	 "CREATE INDEX certificates_person ON certificates(person_id, issued_at);\n"
	 "CREATE INDEX certificates_issued ON certificates(issued_at);\n"},
	{8, "apis_manifests",
	 /* Advance passenger information (issue 7): every interchange kept
	  * byte for byte as received (base64, so that PostgreSQL's UTF-8
	  * text takes it), the manifests read from the good ones, and their
	  * passengers and crew.  A re-sent or amended manifest for the same
	  * flight and date replaces the current one; a cancellation
	  * withdraws it; nothing is deleted. */
	 "CREATE TABLE apis_carrier_accounts (\n"
	 "  username TEXT PRIMARY KEY REFERENCES users(username),\n"
	 "  carrier TEXT NOT NULL,\n"
	 "  created_at TEXT NOT NULL, created_by TEXT NOT NULL);\n"
	 "CREATE TABLE apis_interchanges (\n"
	 "  id {{ID}},\n"
	 "  received_at TEXT NOT NULL, source TEXT NOT NULL,\n"
	 "  submitted_by TEXT NOT NULL, file_name TEXT,\n"
	 "  raw_bytes BIGINT NOT NULL, raw_sha256 TEXT NOT NULL,\n"
	 "  raw_base64 TEXT NOT NULL,\n"
	 "  status TEXT NOT NULL,\n"
	 "  errors_json TEXT NOT NULL, warnings_json TEXT NOT NULL,\n"
	 "  sender TEXT, reference TEXT);\n"
	 "CREATE INDEX apis_interchanges_received ON apis_interchanges(received_at);\n"
	 "CREATE TABLE apis_manifests (\n"
	 "  id {{ID}},\n"
	 "  interchange_id BIGINT NOT NULL REFERENCES apis_interchanges(id),\n"
	 "  message_ref TEXT, carrier TEXT NOT NULL, flight TEXT NOT NULL,\n"
	 "  flight_date TEXT NOT NULL, list_type TEXT NOT NULL,\n"
	 "  dep_port TEXT, dep_time TEXT, arr_port TEXT, arr_time TEXT,\n"
	 "  function TEXT NOT NULL, status TEXT NOT NULL,\n"
	 "  replaced_by BIGINT, passengers INTEGER NOT NULL, crew INTEGER NOT NULL,\n"
	 "  received_at TEXT NOT NULL);\n"
	 "CREATE INDEX apis_manifests_flight ON apis_manifests(carrier, flight, flight_date, list_type, status);\n"
	 "CREATE TABLE apis_persons (\n"
	 "  id {{ID}},\n"
	 "  manifest_id BIGINT NOT NULL REFERENCES apis_manifests(id),\n"
	 "  seq INTEGER NOT NULL, role TEXT NOT NULL,\n"
	 "  surnames TEXT, given_names TEXT, birth_date TEXT, sex TEXT,\n"
	 "  nationality TEXT, residence TEXT,\n"
	 "  doc_type TEXT, doc_number TEXT, doc_issuing_state TEXT, doc_expiry TEXT,\n"
	 "  embarkation TEXT, disembarkation TEXT);\n"
	 "CREATE INDEX apis_persons_manifest ON apis_persons(manifest_id, seq);\n"
	 "CREATE INDEX apis_persons_doc ON apis_persons(doc_number);\n"},
	/* Numbered 9 so that the migrations 7 and 8 of parallel branches
	 * merge before it. */
	{9, "watchlist_notify",
	 /* Several nodes on one PostgreSQL: a change to the screening lists
	  * made through one node reaches the others' in-memory index
	  * (store_listen); nothing on SQLite. */
	 "{{NOTIFY restrictions}}{{NOTIFY restriction_permits}}"
	 "{{NOTIFY alerts}}{{NOTIFY lost_stolen}}"},
	{10, "movements_monthly",
	 /* Monthly statistics read from a rollup kept with every movement
	  * (a trigger, in the writing transaction), not by scanning the
	  * ledger: the report costs the same at 100 million movements. */
	 "CREATE TABLE movement_stats_monthly (\n"
	 "  month TEXT NOT NULL,\n"
	 "  port TEXT NOT NULL,\n"
	 "  direction TEXT NOT NULL,\n"
	 "  decision TEXT NOT NULL,\n"
	 "  n BIGINT NOT NULL,\n"
	 "  PRIMARY KEY (month, port, direction, decision));\n"
	 "INSERT INTO movement_stats_monthly (month, port, direction, decision, n)\n"
	 "  SELECT substr(day, 1, 7), port, direction, decision, COUNT(*)\n"
	 "  FROM movements GROUP BY substr(day, 1, 7), port, direction, decision;\n"
	 "{{ROLLUP_TRIGGER}}"
	 /* PostgreSQL: the ledger partitioned by month (old months can be
	  * detached, archived, moved to cheaper storage); nothing on SQLite. */
	 "{{PARTITION_MOVEMENTS}}"},
	{11, "inspection_read_indexes",
	 /* What every primary inspection reads, found by index instead of a
	  * table scan (measured with 10 million movements, bench/inspections):
	  * the ledger's "is this movement corrected?" test scanned the whole
	  * ledger once per candidate movement; the registries are searched
	  * by birth date (a traveler's full date: exact, year-month or year
	  * entries) or by birth year (a partial date), the minors'
	  * authorizations by birth date.  Double parentheses: an expression
	  * index in both engines. */
	 "CREATE INDEX movements_corrects ON movements(corrects_movement_id)\n"
	 "  WHERE corrects_movement_id IS NOT NULL;\n"
	 "CREATE INDEX restrictions_birth ON restrictions(birth_date);\n"
	 "CREATE INDEX restrictions_birth_year ON restrictions((substr(birth_date, 1, 4)));\n"
	 "CREATE INDEX alerts_birth ON alerts(birth_date);\n"
	 "CREATE INDEX alerts_birth_year ON alerts((substr(birth_date, 1, 4)));\n"
	 "CREATE INDEX minor_auth_birth ON minor_authorizations(minor_birth_date);\n"
	 /* a person's documents of one kind and state (renewal linking) */
	 "CREATE INDEX documents_person_kind ON documents(person_id, kind, issuing_state);\n"},
	{12, "registry_partial_indexes",
	 /* Registries often lack a document number or a DUI.  A plain index
	  * counts every NULL as one value, so once statistics exist (ANALYZE,
	  * PRAGMA optimize) the planner believes "dui = ?" matches most of the
	  * table and scans all of it on every inspection; indexing only the
	  * rows that have a value keeps the estimate honest. */
	 "DROP INDEX restrictions_doc;\n"
	 "CREATE INDEX restrictions_doc ON restrictions(document_number)\n"
	 "  WHERE document_number IS NOT NULL;\n"
	 "DROP INDEX restrictions_dui;\n"
	 "CREATE INDEX restrictions_dui ON restrictions(dui) WHERE dui IS NOT NULL;\n"
	 "DROP INDEX alerts_doc;\n"
	 "CREATE INDEX alerts_doc ON alerts(document_number)\n"
	 "  WHERE document_number IS NOT NULL;\n"},
	{13, "apis_screening",
	 /* Screening of whole APIS manifests (issue 7, part 3): every hit of
	  * a passenger or crew member against the watch lists, the exact
	  * lost/stolen check and the nationality rules, with its severity and
	  * explanation, and the APIS desk's review (cleared / secondary) that
	  * the booth shows.  A re-screen supersedes the hits it no longer
	  * finds (superseded_at) and keeps the reviewed ones it finds again;
	  * nothing is deleted. */
	 "CREATE TABLE apis_hits (\n"
	 "  id {{ID}},\n"
	 "  manifest_id BIGINT NOT NULL REFERENCES apis_manifests(id),\n"
	 "  apis_person_id BIGINT NOT NULL REFERENCES apis_persons(id),\n"
	 "  severity TEXT NOT NULL, severity_rank INTEGER NOT NULL,\n"
	 "  category TEXT NOT NULL, score INTEGER NOT NULL,\n"
	 "  record_ref TEXT NOT NULL, explanation TEXT NOT NULL,\n"
	 "  screened_at TEXT NOT NULL, superseded_at TEXT,\n"
	 "  review TEXT, review_note TEXT, reviewed_by TEXT, reviewed_at TEXT);\n"
	 "CREATE INDEX apis_hits_manifest ON apis_hits(manifest_id, severity_rank);\n"
	 "CREATE INDEX apis_hits_person ON apis_hits(apis_person_id);\n"
	 "ALTER TABLE apis_manifests ADD COLUMN screened_at TEXT;\n"
	 "ALTER TABLE apis_manifests ADD COLUMN screen_hits INTEGER;\n"
	 /* the booth looks a traveler up by flight, then document */
	 "CREATE INDEX apis_manifests_flight_day ON apis_manifests(flight, flight_date, status);\n"
	 /* Arrivals of screened flights (part 4): written with the
	  * inspection of a traveler whose flight has a current manifest;
	  * apis_person_id NULL = not on the manifest.  The reconciliation
	  * reads it: manifest entries without an arrival are no-shows. */
	 "CREATE TABLE apis_arrivals (\n"
	 "  inspection_id BIGINT PRIMARY KEY REFERENCES inspections(id),\n"
	 "  manifest_id BIGINT NOT NULL REFERENCES apis_manifests(id),\n"
	 "  apis_person_id BIGINT REFERENCES apis_persons(id),\n"
	 "  at TEXT NOT NULL);\n"
	 "CREATE INDEX apis_arrivals_manifest ON apis_arrivals(manifest_id);\n"
	 "CREATE INDEX apis_arrivals_person ON apis_arrivals(apis_person_id);\n"},
	{14, "persons_birth_covering",
	 /* A first-time traveler is compared, inside the single writer's
	  * transaction, with every person born the same day (renewal or
	  * possible duplicate, persons.c).  With the names in the index the
	  * comparison reads a few adjacent index pages instead of one random
	  * table page per person born that day (about 50 at 2 million
	  * persons), which held up every inspection queued behind it. */
	 "DROP INDEX persons_birth;\n"
	 "CREATE INDEX persons_birth ON persons(birth_date, nationality, surnames, given_names);\n"},
	{15, "watchlist_change_log",
	 /* The booth's exact registry checks are answered from memory
	  * (api/subject_ix.h), so every process must hear of every change to
	  * the screening lists.  PostgreSQL tells the other nodes by NOTIFY
	  * (migration 9); SQLite, where several processes may share one
	  * file, gets a change log that store_listen polls.  Nothing on
	  * PostgreSQL. */
	 "{{CHANGE_LOG_TABLE}}"
	 "{{CHANGE_LOG restrictions}}{{CHANGE_LOG restriction_permits}}"
	 "{{CHANGE_LOG alerts}}{{CHANGE_LOG lost_stolen}}"},
	{16, "prechequeo_carrier_compliance",
	 /* Land and sea prechequeo (issue 7, part 6): bus companies and
	  * cruise lines send passenger lists that become apis_manifests rows
	  * like an airline's, so that screening, review, the booth link and
	  * the reconciliation serve all three; mode tells them apart, flight
	  * holds the plate or vessel folded for the booth's lookup, vehicle
	  * as sent.  A carrier account gets a kind (airline, bus, cruise). */
	 "ALTER TABLE apis_manifests ADD COLUMN mode TEXT NOT NULL DEFAULT 'air';\n"
	 "ALTER TABLE apis_manifests ADD COLUMN direction TEXT;\n"
	 "ALTER TABLE apis_manifests ADD COLUMN vehicle TEXT;\n"
	 "ALTER TABLE apis_manifests ADD COLUMN company TEXT;\n"
	 "CREATE INDEX apis_manifests_port_day ON apis_manifests(arr_port, flight_date, mode);\n"
	 "ALTER TABLE apis_carrier_accounts ADD COLUMN kind TEXT NOT NULL DEFAULT 'airline';\n"
	 "ALTER TABLE apis_interchanges ADD COLUMN format TEXT NOT NULL DEFAULT 'paxlst';\n"
	 /* Carrier compliance (part 5): fines proposed by the machine (late,
	  * missing or inaccurate manifests, inadmissible passengers) carry
	  * their cause, the evidence (JSON: manifest, inspection ids) and a
	  * key that makes a second evaluation of the same facts a no-op.
	  * amount_known = 0: the law's amount is not established here, the
	  * fine is "según resolución" (amount_cents then 0, shown as null). */
	 "ALTER TABLE carrier_fines ADD COLUMN cause TEXT;\n"
	 "ALTER TABLE carrier_fines ADD COLUMN flight TEXT;\n"
	 "ALTER TABLE carrier_fines ADD COLUMN manifest_id BIGINT;\n"
	 "ALTER TABLE carrier_fines ADD COLUMN evidence TEXT;\n"
	 "ALTER TABLE carrier_fines ADD COLUMN dedupe_key TEXT;\n"
	 "ALTER TABLE carrier_fines ADD COLUMN amount_known INTEGER NOT NULL DEFAULT 1;\n"
	 "CREATE UNIQUE INDEX carrier_fines_dedupe ON carrier_fines(dedupe_key);\n"
	 "CREATE INDEX carrier_fines_imposed ON carrier_fines(imposed_on);\n"
	 /* what an evaluation of one day reads: the manifests of the day,
	  * the inspections that named a transport (partial: most land
	  * crossings name none, and the booth's write pays for this index
	  * only when they do), the arrivals and the refusals */
	 "CREATE INDEX apis_manifests_day ON apis_manifests(flight_date);\n"
	 "CREATE INDEX inspections_transport_at ON inspections(at) WHERE transport IS NOT NULL;\n"
	 "CREATE INDEX apis_arrivals_at ON apis_arrivals(at);\n"
	 "CREATE INDEX inadmissions_created ON inadmissions(created_at);\n"},
	{17, "movements_by_day",
	 /* The movements of a post and day (GET /api/v1/movements, newest
	  * first) found by day instead of walking the ledger back from its
	  * newest row: with 2 million movements a day of June 2024 took
	  * 155 ms on SQLite, growing with every movement recorded after that
	  * day (bench/pg, bench/RESULTS.md); on PostgreSQL it walked the
	  * month's partition.  The id makes "newest first, after the cursor"
	  * an index range in both engines. */
	 "CREATE INDEX movements_day ON movements(day, id);\n"},
	{18, "apis_multipart",
	 /* Airlines split a long list into several PAXLST messages (UNH
	  * 0070 part number, 0073 C/F, sharing the 0068 common access
	  * reference).  The parts are joined into one manifest: the set's
	  * reference, the part numbers received ("1,2,3", ascending), the
	  * number of the final ("F") part once seen, and whether every part
	  * up to it arrived.  NULL parts_received: a whole, unsplit message.
	  * Each person keeps the part that brought it. */
	 "ALTER TABLE apis_manifests ADD COLUMN access_ref TEXT;\n"
	 "ALTER TABLE apis_manifests ADD COLUMN parts_received TEXT;\n"
	 "ALTER TABLE apis_manifests ADD COLUMN parts_final INTEGER;\n"
	 "ALTER TABLE apis_manifests ADD COLUMN parts_complete INTEGER;\n"
	 "ALTER TABLE apis_persons ADD COLUMN part INTEGER;\n"},
	{19, "apis_schedule",
	 /* The day's scheduled arrivals at the airports (from the airport
	  * operator), so that the APIS desk sees a flight as expected before
	  * its carrier sends a manifest, and as overdue after its arrival time
	  * without one (schedule_api.c).  One row per day, carrier and flight:
	  * a new load updates it, "cancelled" withdraws it. */
	 "CREATE TABLE apis_schedule (\n"
	 "  id {{ID}},\n"
	 "  flight_date TEXT NOT NULL,\n"
	 "  carrier TEXT NOT NULL,\n"
	 "  flight TEXT NOT NULL,\n"
	 "  port TEXT NOT NULL,\n"
	 "  origin TEXT,\n"
	 "  arrival TEXT NOT NULL,\n"
	 "  status TEXT NOT NULL,\n"
	 "  loaded_at TEXT NOT NULL,\n"
	 "  loaded_by TEXT NOT NULL,\n"
	 "  UNIQUE (flight_date, carrier, flight));\n"},
	{20, "apis_parts_complete_at",
	 /* When the last part a split list needed arrived (UTC, as
	  * received_at): the list is usable - and on time for carrier
	  * compliance - only once complete, not when its first part came.
	  * NULL while incomplete, for a whole message (received_at is its
	  * time), and for sets completed before this migration. */
	 "ALTER TABLE apis_manifests ADD COLUMN parts_complete_at TEXT;\n"},
	{21, "presence_keyed_by_person",
	 /* SQLite only (the token is empty on PostgreSQL): presence rebuilt
	  * with person_id as its rowid.  "BIGINT PRIMARY KEY" is not a rowid
	  * alias there, so every booth read of a traveler's presence and
	  * every movement's upsert of it went through two B-trees, a unique
	  * index and the table, instead of one. */
	 "{{PRESENCE_BY_ROWID}}"},
	{22, "persons_surnames_key",
	 /* A person is looked up by surname as people write it: "Ramírez
	  * Mejía" finds the RAMIREZ MEJIA an MRZ gave, and "Gutiérrez" finds
	  * "Gutiérrez Membreño".  New rows take persons_fold(); the rows
	  * before it, the same fold in SQL (persons.h).  Compared byte by
	  * byte on both engines (TEXT_BYTES), so that a prefix is a range
	  * of the index whatever the PostgreSQL database's collation. */
	 "ALTER TABLE persons ADD COLUMN surnames_key {{TEXT_BYTES}};\n"
	 "UPDATE persons SET surnames_key = {{FOLD surnames}};\n"
	 "CREATE INDEX persons_surnames_key ON persons(surnames_key);\n"},
	{23, "resolution_record_traveler_fines",
	 /* The supervisor's resolution kept with the case, not only in the
	  * audit: the legal ground of a refusal and the notes (the
	  * justification of admitting over an alert) show in the person's
	  * timeline.  And the fine of a foreigner leaving after the permitted
	  * stay: paid (with the receipt) before the exit is authorized, or
	  * left pending, so that the debt is on record. */
	 "ALTER TABLE inspections ADD COLUMN legal_ground TEXT;\n"
	 "ALTER TABLE inspections ADD COLUMN resolution_notes TEXT;\n"
	 "CREATE TABLE traveler_fines (\n"
	 "  id {{ID}},\n"
	 "  person_id BIGINT NOT NULL REFERENCES persons(id),\n"
	 "  inspection_id BIGINT REFERENCES inspections(id),\n"
	 "  cause TEXT NOT NULL,\n"
	 "  days INTEGER,\n"
	 "  amount_cents BIGINT,\n"
	 "  legal_basis TEXT NOT NULL,\n"
	 "  status TEXT NOT NULL,\n"
	 "  receipt TEXT, paid_at TEXT, paid_by TEXT,\n"
	 "  port TEXT,\n"
	 "  created_at TEXT NOT NULL, created_by TEXT NOT NULL);\n"
	 "CREATE INDEX traveler_fines_person ON traveler_fines(person_id, id);\n"
	 "CREATE INDEX traveler_fines_status ON traveler_fines(status, id);\n"},
	{24, "person_duplicates_review",
	 /* A possible duplicate is decided by a supervisor: the same person
	  * (the two records are linked) or two persons (closed); who, when
	  * and why (duplicates_api.c). */
	 "ALTER TABLE person_duplicates ADD COLUMN reviewed_by TEXT;\n"
	 "ALTER TABLE person_duplicates ADD COLUMN reviewed_at TEXT;\n"
	 "ALTER TABLE person_duplicates ADD COLUMN review_note TEXT;\n"
	 "CREATE INDEX person_duplicates_status ON person_duplicates(status, id);\n"
	 "CREATE INDEX person_duplicates_other ON person_duplicates(other_person_id);\n"},
	{25, "referrals_atencion_migrante",
	 /* A case the supervisor refers to Atención al Migrante at a post (a
	  * possible asylum seeker, a victim of trafficking, an unaccompanied
	  * child, a returnee): its work list, received and closed with the
	  * outcome by that Dirección (referrals_api.c). */
	 "CREATE TABLE referrals (\n"
	 "  id {{ID}},\n"
	 "  inspection_id BIGINT NOT NULL REFERENCES inspections(id),\n"
	 "  person_id BIGINT REFERENCES persons(id),\n"
	 "  port TEXT NOT NULL, direction TEXT NOT NULL,\n"
	 "  motive TEXT NOT NULL, notes TEXT,\n"
	 "  status TEXT NOT NULL,\n"
	 "  created_at TEXT NOT NULL, created_by TEXT NOT NULL,\n"
	 "  received_at TEXT, received_by TEXT,\n"
	 "  outcome TEXT, closed_at TEXT, closed_by TEXT);\n"
	 "CREATE INDEX referrals_status ON referrals(status, id);\n"
	 "CREATE INDEX referrals_person ON referrals(person_id);\n"},
	{26, "person_links",
	 /* Records a supervisor confirmed to be the same person, one row per
	  * direction: where the person is and what they owe are asked of them
	  * all at every inspection (inspections_api.c), and a key lookup is
	  * what that can afford; person_duplicates keeps the review. */
	 "CREATE TABLE person_links (\n"
	 "  person_id BIGINT NOT NULL REFERENCES persons(id),\n"
	 "  linked_person_id BIGINT NOT NULL REFERENCES persons(id),\n"
	 "  duplicate_id BIGINT NOT NULL REFERENCES person_duplicates(id),\n"
	 "  PRIMARY KEY (person_id, linked_person_id));\n"
	 "INSERT INTO person_links (person_id, linked_person_id, duplicate_id)"
	 " SELECT person_id, other_person_id, id FROM person_duplicates WHERE status = 'same'"
	 " UNION SELECT other_person_id, person_id, id FROM person_duplicates WHERE status = 'same'"
	 " ON CONFLICT DO NOTHING;\n"},
	{27, "stay_extensions",
	 /* Prórrogas de permanencia granted by Extranjería (manual: the
	  * Dirección de Extranjería grants them; LEME): each extends the stay
	  * of one entry, and presence's last permitted day includes them
	  * (stay_api.c, ledger.c), so the booth and the overstayers list read
	  * them at no cost. */
	 "CREATE TABLE stay_extensions (\n"
	 "  id {{ID}},\n"
	 "  person_id BIGINT NOT NULL REFERENCES persons(id),\n"
	 /* no foreign key: PostgreSQL's partitioned ledger has no unique
	  * id alone (pg.c); the grant reads the movement from presence */
	 "  entry_movement_id BIGINT NOT NULL,\n"
	 "  days INTEGER NOT NULL,\n"
	 "  previous_until TEXT NOT NULL, permitted_until TEXT NOT NULL,\n"
	 "  resolution TEXT NOT NULL, requested_on TEXT, note TEXT,\n"
	 "  granted_at TEXT NOT NULL, granted_by TEXT NOT NULL);\n"
	 "CREATE INDEX stay_extensions_entry ON stay_extensions(entry_movement_id);\n"
	 "CREATE INDEX stay_extensions_person ON stay_extensions(person_id, id);\n"},
	{28, "stay_extensions_annulled",
	 /* A grant made in error (300 days for 30, the wrong person) is
	  * annulled with its reason, never deleted; the presence is recounted
	  * without it (ledger.c). */
	 "ALTER TABLE stay_extensions ADD COLUMN annulled_at TEXT;\n"
	 "ALTER TABLE stay_extensions ADD COLUMN annulled_by TEXT;\n"
	 "ALTER TABLE stay_extensions ADD COLUMN annul_reason TEXT;\n"},
	{29, "idempotency_request_hash",
	 /* A key is taken before the handler runs (status 0 while it runs)
	  * and remembers a hash of the request's body: the same key with
	  * another body is refused, not answered with the first request's
	  * answer (server.c). */
	 "ALTER TABLE idempotency ADD COLUMN request_hash TEXT;\n"},
	{30, "germany_is_deu",
	 /* A German passport's MRZ writes the state "D" (Doc 9303 Part 3 §5):
	  * it is now read as DEU everywhere it comes in (mrz_iso_state), so
	  * what was stored as "D" is DEU too - else a stolen passport
	  * reported as "D" is not found by a booth that reads DEU, nor a
	  * German's earlier record.  A row whose DEU twin exists keeps "D"
	  * (the unique keys), for a supervisor's review. */
	 "UPDATE persons SET nationality = 'DEU' WHERE nationality = 'D';\n"
	 "UPDATE documents SET issuing_state = 'DEU' WHERE issuing_state = 'D' AND NOT EXISTS"
	 " (SELECT 1 FROM documents t WHERE t.issuing_state = 'DEU' AND t.kind = documents.kind AND t.number = documents.number);\n"
	 "UPDATE lost_stolen SET issuing_state = 'DEU' WHERE issuing_state = 'D' AND (status <> 'active' OR NOT EXISTS"
	 " (SELECT 1 FROM lost_stolen t WHERE t.issuing_state = 'DEU' AND t.document_number = lost_stolen.document_number AND t.status = 'active'));\n"
	 "UPDATE alerts SET nationality = 'DEU' WHERE nationality = 'D';\n"
	 "UPDATE restrictions SET nationality = 'DEU' WHERE nationality = 'D';\n"
	 "UPDATE minor_authorizations SET minor_nationality = 'DEU' WHERE minor_nationality = 'D';\n"},
	{31, "germany_is_deu_apis",
	 /* The same for the passengers of APIS manifests and prechequeo
	  * lists, screened against the registers by exact match. */
	 "UPDATE apis_persons SET nationality = 'DEU' WHERE nationality = 'D';\n"
	 "UPDATE apis_persons SET residence = 'DEU' WHERE residence = 'D';\n"
	 "UPDATE apis_persons SET doc_issuing_state = 'DEU' WHERE doc_issuing_state = 'D';\n"},
	{32, "germany_twins_flagged",
	 /* A passport stored under both "D" and DEU (read once by an MRZ,
	  * once typed) on two person records is one person until a
	  * supervisor says otherwise: the pair goes to the review of possible
	  * duplicates, dated when the second record appeared. */
	 /* one row per pair, however many twin documents the two records
	  * share, and in either direction */
	 "INSERT INTO person_duplicates (person_id, other_person_id, reason, created_at)"
	 " SELECT a, b, 'same_passport_d_and_deu', max(seen) FROM"
	 " (SELECT CASE WHEN t.person_id > d.person_id THEN t.person_id ELSE d.person_id END AS a,"
	 "  CASE WHEN t.person_id > d.person_id THEN d.person_id ELSE t.person_id END AS b,"
	 "  CASE WHEN t.first_seen_at > d.first_seen_at THEN t.first_seen_at ELSE d.first_seen_at END AS seen"
	 "  FROM documents d JOIN documents t ON t.issuing_state = 'DEU' AND t.kind = d.kind AND t.number = d.number"
	 "  WHERE d.issuing_state = 'D' AND t.person_id <> d.person_id) tw"
	 " WHERE NOT EXISTS (SELECT 1 FROM person_duplicates x WHERE (x.person_id = tw.a AND x.other_person_id = tw.b)"
	 "  OR (x.person_id = tw.b AND x.other_person_id = tw.a))"
	 " GROUP BY a, b;\n"},
	{33, "rollup_without_voided",
	 /* The monthly figures leave a voided movement out, as the day's
	  * movements do: a compensating entry used to count as one more
	  * ("void") and its movement stayed counted.  The rollup is counted
	  * again from the ledger. */
	 "{{ROLLUP_VOID_TRIGGER}}"
	 "DELETE FROM movement_stats_monthly;\n"
	 "INSERT INTO movement_stats_monthly (month, port, direction, decision, n)\n"
	 "  SELECT substr(m.day, 1, 7), m.port, m.direction, m.decision, COUNT(*) FROM movements m\n"
	 "  WHERE m.corrects_movement_id IS NULL\n"
	 "  AND NOT EXISTS (SELECT 1 FROM movements c WHERE c.corrects_movement_id = m.id)\n"
	 "  GROUP BY substr(m.day, 1, 7), m.port, m.direction, m.decision;\n"},
	{34, "queue_by_status",
	 /* The secondary queue of every post (the page's default) and the
	  * cases resolved are read by status, latest first: without this
	  * index a read with few cases walked every inspection ever made
	  * (24 s over 1.2 M, cold, every 20 s of the page's refresh).  A
	  * case's inadmission and referral are found by its inspection, in
	  * the queue and in the person's timeline. */
	 "CREATE INDEX inspections_status ON inspections(status, id);\n"
	 "CREATE INDEX inadmissions_inspection ON inadmissions(inspection_id);\n"
	 "CREATE INDEX referrals_inspection ON referrals(inspection_id);\n"},
	{35, "queue_by_port",
	 /* A post's queue and its resolved cases, latest first: the
	  * inspections_queue index ordered a post's by time, not by the id
	  * the pages follow (no query reads it by time), and the status
	  * index alone walked every post's cases to find one post's.  One
	  * index for the other: a booth's write keeps as many as before. */
	 "DROP INDEX inspections_queue;\n"
	 "CREATE INDEX inspections_port_status ON inspections(port, status, id);\n"},
	{36, "correction_requests",
	 /* An officer who finds a movement recorded wrong (the wrong post,
	  * the wrong direction, a double record) asks for its voiding, and a
	  * supervisor, not the one who asked, approves it (the compensating
	  * entry) or rejects it with a note: four eyes on every change of
	  * the ledger asked from the booth.  One pending request a movement. */
	 "CREATE TABLE correction_requests (\n"
	 "  id {{ID}},\n"
	 /* no foreign key: the ledger is partitioned on PostgreSQL
	  * (inspections.movement_id has none either) */
	 "  movement_id BIGINT NOT NULL,\n"
	 "  reason TEXT NOT NULL,\n"
	 "  requested_by TEXT NOT NULL, requested_at TEXT NOT NULL,\n"
	 "  status TEXT NOT NULL,\n"
	 "  decided_by TEXT, decided_at TEXT, decision_note TEXT,\n"
	 "  correction_movement_id BIGINT);\n"
	 "CREATE INDEX correction_requests_status ON correction_requests(status, id);\n"
	 "CREATE UNIQUE INDEX correction_requests_pending ON correction_requests(movement_id) WHERE status = 'pending';\n"},
	{37, "inadmissions_person",
	 /* the booth asks whether a traveler was refused entry lately,
	  * whichever post (rules.c, inadmission_recent) */
	 "CREATE INDEX inadmissions_person ON inadmissions(person_id, created_at);\n"},
	{38, "persons_surnames_key_birth",
	 /* a renewal on a crowded birth date is found by its surnames and
	  * that date (persons.c born()); the person search's prefix ranges
	  * read the same index by its first column */
	 "DROP INDEX persons_surnames_key;\n"
	 "CREATE INDEX persons_surnames_key ON persons(surnames_key, birth_date);\n"},
	{39, "persons_surnames_key_scripts",
	 /* The surnames key reads the letters that persons_fold drops
	  * (persons_surnames_key): «ИВАНОВ» typed by a clerk was keyed ''
	  * (a search by it was refused, and a renewal on a crowded birth
	  * date never read it), «Nguyễn» NGUYN.  The rows keyed before are
	  * keyed again in C (rekey_surnames): no SQL of either engine
	  * spells the ICAO transliteration and the Unicode folds alike. */
	 ""},
	{40, "traveler_fines_status_note",
	 /* a traveler's fine whose exit was voided is cancelled (pending) or
	  * held for refund or credit (paid), and says why and when, as a
	  * carrier's fine does: the register showed a debt gone, or money
	  * kept for a crossing that did not happen, with no word
	  * (border_api.c, api_movement_void_tx) */
	 "ALTER TABLE traveler_fines ADD COLUMN status_note TEXT;\n"
	 "ALTER TABLE traveler_fines ADD COLUMN status_changed_at TEXT;\n"},
	{41, "inadmissions_append_only",
	 /* An inadmission is a legal record (LEME): the traveler refused, on
	 * what ground, the carrier that returns them.  No code path rewrites
	 * one (a refusal mended is a new case), and nothing else may: the
	 * same triggers as the ledger's. */
	 "{{APPEND_ONLY inadmissions inadmissions}}"},
	{42, "minor_authorizations_surnames_key",
	 /* The LEPINA registry searched by the minor's surnames as the person
	  * search reads them (persons_surnames_key): its fold in SQL dropped
	  * every letter outside Latin-1 and Extended-A, so «Иванова» was
	  * refused as no surname and «Nguyễn» searched as NGUYN.  Keyed in C
	  * (rekey_minors), as migration 39 keyed the persons. */
	 "ALTER TABLE minor_authorizations ADD COLUMN minor_surnames_key TEXT;\n"},
	{43, "traveler_fines_movement",
	 /* An exit decided on paper and entered later (a contingency record,
	  * inspections_api.c) has no case: the overstay fine it owes goes on
	  * the movement itself, so that voiding that exit cancels or holds it
	  * as it does a case's (border_api.c, exit_fines).  An overstayer who
	  * left during an outage owed nothing on record.  No REFERENCES:
	  * PostgreSQL partitions movements by day, keyed (id, day), not by id
	  * alone (inspections.movement_id is the same plain column). */
	 "ALTER TABLE traveler_fines ADD COLUMN movement_id BIGINT;\n"},
	{44, "carrier_fines_inspection",
	 /* A carrier's fines are read by their case: every entry a
	  * supervisor lets in drops the carrier's unpaid fine for an
	  * inadmissible passenger (border_api.c, drop_inadmissible_fines), a
	  * fine by hand is refused twice for one case, and compliance skips
	  * a carrier fined by hand.  Each walked the whole register. */
	 "CREATE INDEX carrier_fines_inspection ON carrier_fines(inspection_id);\n"},
	{45, "minor_authorizations_revocation",
	 /* A parent withdraws the consent: the written revocation's
	  * reference, when and by whom it was entered (minors_api.c); the
	  * status and reason columns were there, with no way to set them. */
	 "ALTER TABLE minor_authorizations ADD COLUMN revoke_reference TEXT;\n"
	 "ALTER TABLE minor_authorizations ADD COLUMN revoked_at TEXT;\n"
	 "ALTER TABLE minor_authorizations ADD COLUMN revoked_by TEXT;\n"},
	{46, "surnames_key_serbian",
	 /* The ICAO letters of Serbian and Macedonian Cyrillic (ђ, ћ, љ, њ,
	  * џ, ј, ѕ: names.c) are read as the MRZ writes them: the surnames
	  * typed with them before were keyed with the letters themselves,
	  * and a search for «Ђорђевић» (DORDEVIC) would not find them.  The
	  * persons and the LEPINA registry are keyed again in C, as 39 and
	  * 42 keyed them. */
	 ""},
	{47, "inspections_previous_resolution",
	 /* A case sent back to the queue because the crossing it closed on
	  * was voided (border_api.c, reopen_cases) keeps what had been
	  * decided, by whom, when and with what note: the supervisor who
	  * decides it again read only «Reabierta…», the earlier notes left
	  * in the audit alone.  The decision before the latest reopening. */
	 "ALTER TABLE inspections ADD COLUMN previous_resolution TEXT;\n"
	 "ALTER TABLE inspections ADD COLUMN previous_resolution_notes TEXT;\n"
	 "ALTER TABLE inspections ADD COLUMN previous_resolved_by TEXT;\n"
	 "ALTER TABLE inspections ADD COLUMN previous_resolved_at TEXT;\n"},
	{48, "lost_stolen_state_upper_case",
	 /* A lost or stolen passport reported as issued by «usa» (or «d»)
	  * was stored so, and the booth, which compares USA, never found it;
	  * the report takes the code in any case now (api_country_field) and
	  * what was stored before is upper-cased too, "D" as DEU (migration
	  * 30).  An active report whose upper-case twin is active already
	  * keeps its value (the unique key lost_stolen_active), for a
	  * supervisor's review, as 30 did; of two that would become one
	  * («usa» and «Usa»), the first reported.  Only ASCII letters change
	  * (UPPER_ASCII), alike on both engines.  The other registers refused
	  * a lower-case code (400): persons, documents, alerts, restrictions
	  * and the LEPINA registry hold none. */
	 "UPDATE lost_stolen SET issuing_state = CASE WHEN {{UPPER_ASCII issuing_state}} = 'D' THEN 'DEU' ELSE {{UPPER_ASCII issuing_state}} END"
	 " WHERE issuing_state <> CASE WHEN {{UPPER_ASCII issuing_state}} = 'D' THEN 'DEU' ELSE {{UPPER_ASCII issuing_state}} END"
	 " AND (status <> 'active' OR NOT EXISTS (SELECT 1 FROM lost_stolen t"
	 "  WHERE t.status = 'active' AND t.document_number = lost_stolen.document_number AND t.id <> lost_stolen.id"
	 "  AND (t.issuing_state = CASE WHEN {{UPPER_ASCII lost_stolen.issuing_state}} = 'D' THEN 'DEU' ELSE {{UPPER_ASCII lost_stolen.issuing_state}} END"
	 "   OR (t.id < lost_stolen.id AND CASE WHEN {{UPPER_ASCII t.issuing_state}} = 'D' THEN 'DEU' ELSE {{UPPER_ASCII t.issuing_state}} END = CASE WHEN {{UPPER_ASCII lost_stolen.issuing_state}} = 'D' THEN 'DEU' ELSE {{UPPER_ASCII lost_stolen.issuing_state}} END))));\n"},
	{49, "prechequeo_submissions_indexes",
	 /* What a bus company or cruise line reads of the lists it sent
	  * (GET /api/v1/prechequeo/submissions, its newest 100): found by
	  * account instead of walking every interchange received, reading
	  * each one's raw bytes to learn its format, and each list's
	  * manifest by its interchange instead of scanning the manifests
	  * three times per list.  A year of lists (20,000 manifests, 30 KB
	  * each as received) took 2.6 s for a company's 100 (bench/apis-lists).
	  * Partial: an airline's PAXLST interchanges are never asked so.
	  * IF NOT EXISTS: tests take migrations back and apply them again. */
	 "CREATE INDEX IF NOT EXISTS apis_interchanges_lists ON apis_interchanges(submitted_by, id)\n"
	 "  WHERE format <> 'paxlst';\n"
	 "CREATE INDEX IF NOT EXISTS apis_manifests_interchange ON apis_manifests(interchange_id);\n"},
	{50, "apis_person_documents",
	 /* A PAXLST traveler's documents other than the travel document
	  * stored on apis_persons (apis_travel_doc: the first DOC that is
	  * not a visa): the visa, a residence card, a second passport.
	  * They were dropped, so a stolen passport sent after the visa was
	  * never screened and the booth's passport never matched the visa
	  * stored in its place.  seq: the DOC's place among the traveler's
	  * DOCs as sent (from 1).  Read by traveler (the manifest's detail,
	  * the booth's lookup, carrier compliance) and by manifest (its
	  * lost/stolen check, one query).  IF NOT EXISTS: tests take
	  * migrations back and apply them again. */
	 "CREATE TABLE IF NOT EXISTS apis_person_documents (\n"
	 "  id {{ID}},\n"
	 "  apis_person_id BIGINT NOT NULL REFERENCES apis_persons(id),\n"
	 "  manifest_id BIGINT NOT NULL REFERENCES apis_manifests(id),\n"
	 "  seq INTEGER NOT NULL,\n"
	 "  doc_type TEXT, doc_number TEXT, doc_issuing_state TEXT, doc_expiry TEXT);\n"
	 "CREATE INDEX IF NOT EXISTS apis_person_documents_person ON apis_person_documents(apis_person_id, seq);\n"
	 "CREATE INDEX IF NOT EXISTS apis_person_documents_manifest ON apis_person_documents(manifest_id);\n"},
	{51, "person_link_ends",
	 /* A «same person» decision undone (POST .../person-duplicates/{id}/unlink,
	  * duplicates_api.c): the case's person_links rows are deleted, so
	  * every reader of person_links (API_LINKED, API_TRAVELER, the booth's
	  * key probe, identity) sees only the links in force without a filter
	  * each must remember, and this row keeps what is undone - the
	  * decision (who linked, when, why: the case's review, cleared when
	  * it is reopened) and its undoing (who, when, why).  One row per
	  * undoing; written once, never updated.  IF NOT EXISTS: tests take
	  * migrations back and apply them again. */
	 "CREATE TABLE IF NOT EXISTS person_link_ends (\n"
	 "  id {{ID}},\n"
	 "  duplicate_id BIGINT NOT NULL REFERENCES person_duplicates(id),\n"
	 "  person_id BIGINT NOT NULL REFERENCES persons(id),\n"
	 "  other_person_id BIGINT NOT NULL REFERENCES persons(id),\n"
	 "  linked_by TEXT, linked_at TEXT, link_note TEXT,\n"
	 "  unlinked_at TEXT NOT NULL, unlinked_by TEXT NOT NULL, unlink_note TEXT NOT NULL);\n"
	 "CREATE INDEX IF NOT EXISTS person_link_ends_duplicate ON person_link_ends(duplicate_id, id);\n"},
};

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

#define REKEY_PAGE 5000

/*
 * Migration 39: every person's surnames key as persons_surnames_key writes
 * it now.  Only surnames with a character that is not ASCII may key
 * otherwise than persons_fold did, and keys never written (a dataset
 * loaded behind the server's back) are written: those rows are read, a
 * page at a time in id order, and the keys that differ rewritten.
 */
static int rekey_surnames(struct store *s, struct store_conn *c,
			  struct sigm_error *err)
{
	/* characters against bytes: a text longer in bytes is not ASCII */
	const char *sql = store_engine(s) == STORE_PG
		? "SELECT id, surnames, surnames_key FROM persons WHERE id > $1 AND surnames IS NOT NULL"
		  " AND (surnames_key IS NULL OR octet_length(surnames) <> length(surnames)) ORDER BY id LIMIT $2"
		: "SELECT id, surnames, surnames_key FROM persons WHERE id > $1 AND surnames IS NOT NULL"
		  " AND (surnames_key IS NULL OR length(CAST(surnames AS BLOB)) <> length(surnames)) ORDER BY id LIMIT $2";
	int64_t last = 0;
	for (;;) {
		struct store_rows *r = NULL;
		struct store_val p[] = {sv_int(last), sv_int(REKEY_PAGE)};
		int rc = s->ops->exec(c, sql, p, 2, &r, NULL, err);
		if (rc)
			return rc;
		int n = store_rows_count(r);
		for (int i = 0; i < n && rc == 0; i++) {
			char key[256];
			const char *had = store_rows_text(r, i, 2);
			last = store_rows_int(r, i, 0);
			persons_surnames_key(store_rows_text(r, i, 1), key, sizeof(key));
			if (had && !strcmp(had, key))
				continue;
			struct store_val u[] = {sv_int(last), sv_text(key)};
			rc = s->ops->exec(c, "UPDATE persons SET surnames_key = $2 WHERE id = $1",
					  u, 2, NULL, NULL, err);
		}
		store_rows_free(&r);
		if (rc || n < REKEY_PAGE)
			return rc;
	}
}

/* Migration 42: the minors' authorizations keyed as the persons are (the
 * registry is small: every row, a page at a time). */
static int rekey_minors(struct store *s, struct store_conn *c,
			struct sigm_error *err)
{
	int64_t last = 0;
	for (;;) {
		struct store_rows *r = NULL;
		struct store_val p[] = {sv_int(last), sv_int(REKEY_PAGE)};
		int rc = s->ops->exec(c, "SELECT id, minor_surnames FROM minor_authorizations WHERE id > $1 ORDER BY id LIMIT $2",
				      p, 2, &r, NULL, err);
		if (rc)
			return rc;
		int n = store_rows_count(r);
		for (int i = 0; i < n && rc == 0; i++) {
			char key[256];
			last = store_rows_int(r, i, 0);
			persons_surnames_key(store_rows_text(r, i, 1), key, sizeof(key));
			struct store_val u[] = {sv_int(last), sv_text(key)};
			rc = s->ops->exec(c, "UPDATE minor_authorizations SET minor_surnames_key = $2 WHERE id = $1",
					  u, 2, NULL, NULL, err);
		}
		store_rows_free(&r);
		if (rc || n < REKEY_PAGE)
			return rc;
	}
}

/* The migrations with a part in C, run after their SQL in the same
 * transaction: what SQL cannot say alike on both engines. */
static const struct {
	int version;
	int (*run)(struct store *s, struct store_conn *c, struct sigm_error *err);
} migration_runs[] = {
	{39, rekey_surnames},
	{42, rekey_minors},
	{46, rekey_surnames},
	{46, rekey_minors},
};

static int run_c_part(int version, struct store *s, struct store_conn *c,
		      struct sigm_error *err)
{
	int rc = 0;
	/* a version may have more than one part (46: both registries) */
	for (size_t i = 0; !rc && i < sizeof(migration_runs) / sizeof(migration_runs[0]); i++)
		if (migration_runs[i].version == version)
			rc = migration_runs[i].run(s, c, err);
	return rc;
}

int store_schema_latest(void) { return migrations[NMIGRATIONS - 1].version; }

/* Replaces {{TOKEN}} by the engine's spelling.  Caller frees. */
static char *expand(const struct store_engine_ops *ops, const char *sql)
{
	size_t cap = strlen(sql) + 4096, len = 0;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	for (const char *p = sql; *p;) {
		const char *end;
		const char *rep = NULL;
		size_t rl = 1;
		char tok[96], buf[2048];
		if (p[0] == '{' && p[1] == '{' && (end = strstr(p, "}}")) &&
		    (size_t)(end - p - 2) < sizeof(tok)) {
			size_t tl = (size_t)(end - p - 2);
			memcpy(tok, p + 2, tl);
			tok[tl] = 0;
			rep = ops->ddl(tok, buf, sizeof(buf));
			if (rep)
				rl = strlen(rep);
		}
		if (len + rl + 1 > cap) {
			cap = (len + rl + 1) * 2;
			char *n = realloc(out, cap);
			if (!n)
				goto fail;
			out = n;
		}
		if (rep) {
			memcpy(out + len, rep, rl);
			len += rl;
			p = end + 2;
		} else {
			out[len++] = *p++;
		}
	}
	out[len] = 0;
	return out;
fail:
	free(out);
	return NULL;
}

static int current_version(struct store *s, struct store_conn *c,
			   int64_t *out, struct sigm_error *err)
{
	struct store_rows *r = NULL;
	int rc = s->ops->exec(c, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
			      NULL, 0, &r, NULL, err);
	if (rc == 0)
		*out = store_rows_int(r, 0, 0);
	store_rows_free(&r);
	return rc;
}

/* Commits what rc says went well, or takes it back (err keeps the first
 * error). */
static int end_tx(struct store *s, struct store_conn *c, int rc,
		  struct sigm_error *err)
{
	if (rc == 0)
		rc = s->ops->exec_script(c, "COMMIT", err);
	if (rc) {
		struct sigm_error e2;
		s->ops->exec_script(c, "ROLLBACK", &e2);
	}
	return rc;
}

int store_migrate_conn(struct store *s, struct store_conn *c,
		       struct sigm_error *err)
{
	/* Inside the writer's transaction (on PostgreSQL its advisory
	 * lock): nodes starting together migrate one after the other. */
	int rc = s->ops->exec_script(c, s->ops->begin_sql, err);
	if (rc == 0)
		rc = s->ops->exec_script(
			c,
			"CREATE TABLE IF NOT EXISTS schema_migrations ("
			" version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
			" applied_at TEXT NOT NULL)",
			err);
	if ((rc = end_tx(s, c, rc, err)))
		return rc;
	int64_t have = 0;
	rc = current_version(s, c, &have, err);
	if (rc)
		return rc;
	if (have > store_schema_latest()) {
		sigm_error_set(err, SIGM_EUNSUP, "schema_too_new", "db",
			       "la base de datos está en la versión de esquema %lld y este programa solo conoce hasta la %d",
			       (long long)have, store_schema_latest());
		sigm_error_hint(err, "actualice sigm antes de usar esta base de datos");
		return SIGM_EUNSUP;
	}
	if (have == store_schema_latest())
		return 0;
	/*
	 * Every pending migration in one transaction: an upgrade is whole or
	 * not at all.  One transaction each left a database that failed at
	 * the 47th of 48 at 46 - newer than the old binary accepts
	 * (schema_too_new), older than the new one needs - so neither could
	 * serve until someone repaired it by hand.  One commit instead of one
	 * per migration also makes a new database ready sooner (on
	 * PostgreSQL each commit waits for its WAL flush).
	 */
	rc = s->ops->exec_script(c, s->ops->begin_sql, err);
	/* Another node may have migrated while we waited for the lock. */
	if (rc == 0)
		rc = current_version(s, c, &have, err);
	const struct migration *m = NULL;
	for (int i = 0; rc == 0 && i < NMIGRATIONS; i++) {
		m = &migrations[i];
		if (m->version <= have)
			continue;
		char *sql = expand(s->ops, m->sql);
		if (!sql) {
			rc = sigm_error_set(err, SIGM_ENOMEM, NULL, NULL, "sin memoria");
			break;
		}
		char now[40];
		store_now_iso(now, sizeof(now));
		rc = s->ops->exec_script(c, sql, err);
		free(sql);
		if (rc == 0)
			rc = run_c_part(m->version, s, c, err);
		if (rc == 0) {
			struct store_val p[] = {sv_int(m->version), sv_text(m->name),
						sv_text(now)};
			rc = s->ops->exec(c, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
					  p, 3, NULL, NULL, err);
		}
		if (rc)
			sigm_error_hint(err, "migración %d (%s) no aplicada; la base de datos sigue en la versión %lld",
					m->version, m->name, (long long)have);
	}
	return end_tx(s, c, rc, err);
}

int store_schema_version(struct store *s, int64_t *out, struct sigm_error *err)
{
	return store_query_int(s, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
			       NULL, 0, out, err);
}
