// A traveler without any document (a stowaway found aboard, a returnee
// without papers): the booth records them with `document: {kind: "none"}`,
// never admits them, and a supervisor identifies them in secondary.  A
// placeholder number ("SIN DOCUMENTO") tied strangers together: the second
// stowaway got document_holder_mismatch naming the first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';

let srv, ofi, sup;
const PW = 'Turno-Seguro-2026';
before(async () => {
  srv = await startServer();
  ofi = await staffUser(srv.url, 'ud_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'ud_sup', 'supervisor_control', PW);
});
after(async () => { await srv.stop(); });

const none = (person, extra = {}) => ofi.post('/api/v1/inspections', {
  port: 'ACA', direction: 'entry', transport: 'MSC Seaview',
  document: { kind: 'none' }, person, ...extra,
});

test('without a document: secondary with document_missing, a person of their own, no document record', async () => {
  const r = await none({ given_names: 'Kwame', surnames: 'Mensah Boateng', birth_date: '1996-03-02', sex: 'M', nationality: 'GHA' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(r.json.decision, 'secondary');
  const codes = r.json.reasons.map((x) => x.code);
  assert.ok(codes.includes('document_missing'), codes.join());
  // nothing said of a document that was not shown
  for (const c of ['document_expiry_missing', 'issuing_state_unknown', 'document_not_accepted'])
    assert.ok(!codes.includes(c), c);
  assert.equal(r.json.document_id, null);
  assert.equal(r.json.movement_id, null);
  assert.ok(r.json.person_id > 0);
  const q = await sup.get('/api/v1/inspections?status=pending&port=ACA');
  assert.equal(q.status, 200, JSON.stringify(q.json));
  const row = q.json.items.find((x) => x.id === r.json.inspection_id);
  assert.ok(row, 'in the secondary queue');
  assert.equal(row.document_id, null);
  assert.equal(row.surnames, 'Mensah Boateng');
});

test('two stowaways are two persons, neither the holder of anything; the same one checked again is the same case', async () => {
  const a = await none({ given_names: 'Ana', surnames: 'Polizón Uno', birth_date: '1990-01-01', nationality: 'HND' });
  const b = await none({ given_names: 'Berta', surnames: 'Polizón Dos', birth_date: '1991-02-02', nationality: 'NIC' });
  assert.equal(a.status, 201); assert.equal(b.status, 201);
  assert.notEqual(a.json.person_id, b.json.person_id);
  const codes = b.json.reasons.map((x) => x.code);
  assert.ok(!codes.includes('document_holder_mismatch'), codes.join());
  // the check run again (the same data, the case waiting): the same
  // person and case, not one more
  const again = await none({ given_names: 'Ana', surnames: 'Polizón Uno', birth_date: '1990-01-01', nationality: 'HND' });
  assert.equal(again.status, 201, JSON.stringify(again.json));
  assert.equal(again.json.person_id, a.json.person_id);
  assert.equal(again.json.inspection_id, a.json.inspection_id);
  assert.equal(again.json.case_already_open, true);
});

test('never linked to a namesake on file: flagged as a possible duplicate for review instead', async () => {
  const doc = await ofi.post('/api/v1/inspections', {
    port: 'SAL', direction: 'entry', transport: 'TA 111',
    document: { kind: 'passport', code: 'P', number: 'N0D0C0001', issuing_state: 'HND', nationality: 'HND', expiry_date: '2031-01-01' },
    person: { given_names: 'Carlos Alberto', surnames: 'Reyes Mejía', birth_date: '1985-07-07', sex: 'M', nationality: 'HND' },
  });
  assert.equal(doc.status, 201, JSON.stringify(doc.json));
  const r = await none({ given_names: 'Carlos Alberto', surnames: 'Reyes Mejía', birth_date: '1985-07-07', sex: 'M', nationality: 'HND' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.notEqual(r.json.person_id, doc.json.person_id, 'a namesake with a passport is not the undocumented traveler');
  assert.equal(r.json.possible_duplicates, 1);
  assert.equal(r.json.decision, 'secondary');
  // the passport holder entered an hour ago; nothing of theirs is this
  // traveler's (no entry_without_exit from the holder's ledger)
  assert.ok(!r.json.reasons.some((x) => x.code === 'entry_without_exit'));
  const d = await sup.get('/api/v1/person-duplicates?status=open');
  assert.equal(d.status, 200);
  const flag = d.json.items.find((x) => x.persons.some((p) => p.id === r.json.person_id));
  assert.ok(flag, 'flagged beside the namesake');
  assert.ok(flag.persons.some((p) => p.id === doc.json.person_id));
});

test('screening by names and birth date still runs without a document', async () => {
  const al = await sup.post('/api/v1/alerts', {
    category: 'arrest_warrant', subject: { given_names: 'Walter Osmín', surnames: 'Quintanilla Ruano', birth_date: '1979-09-09' },
    instructions: 'Detener y avisar a la PNC', valid_until: '2099-01-01',
  });
  assert.equal(al.status, 201, JSON.stringify(al.json));
  const r = await none({ given_names: 'Walter Osmín', surnames: 'Quintanilla Ruano', birth_date: '1979-09-09', nationality: 'SLV' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const codes = r.json.reasons.map((x) => x.code);
  assert.ok(codes.includes('document_missing'));
  assert.ok(codes.includes('watchlist_match') || codes.includes('wanted_person'), codes.join());
});

test('the supervisor admits a Salvadoran returnee once identified: a movement without a document, in the timeline', async () => {
  const r = await none({ given_names: 'José Mauricio', surnames: 'Hernández Alas', birth_date: '1988-12-12', sex: 'M', nationality: 'SLV' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(r.json.decision, 'secondary');
  const res = await sup.post(`/api/v1/inspections/${r.json.inspection_id}/resolve`,
    { resolution: 'admit', notes: 'Identificado por el RNPN (DUI verificado en línea)' });
  assert.equal(res.status, 200, JSON.stringify(res.json));
  assert.ok(res.json.movement_id > 0, JSON.stringify(res.json));
  const t = await sup.get(`/api/v1/persons/${r.json.person_id}/timeline`);
  assert.equal(t.status, 200, JSON.stringify(t.json));
  const mv = t.json.events.filter((e) => e.type === 'movement');
  assert.equal(mv.length, 1);
  assert.equal(mv[0].movement.direction, 'entry');
  assert.equal(t.json.events.filter((e) => e.type === 'document').length, 0);
  // the supervisor by name, as the staff know each other (it read ud_sup)
  const ins = t.json.events.find((e) => e.type === 'inspection').inspection;
  assert.equal(ins.resolved_by, 'ud_sup');
  assert.equal(ins.resolved_by_name, 'supervisor_control');
  // found by the surnames, listed in the day's movements of the post
  const f = await ofi.get('/api/v1/persons?surnames=Hernández Alas');
  assert.equal(f.status, 200, JSON.stringify(f.json));
  assert.ok(f.json.items.some((x) => x.id === r.json.person_id), JSON.stringify(f.json).slice(0, 300));
  const day = new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10); // El Salvador's day
  const m = await sup.get(`/api/v1/movements?port=ACA&day=${day}`);
  assert.equal(m.status, 200, JSON.stringify(m.json));
  const row = m.json.items.find((x) => x.id === res.json.movement_id);
  assert.ok(row, 'in the day\'s movements');
  assert.equal(row.document_id ?? null, null);
  // leaving later with a passport issued meanwhile: that passport is theirs
  // (the data agree), and the exit closes the entry made without one
  const out = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'AV 500',
    document: { kind: 'passport', code: 'P', number: 'A77001122', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2036-01-01' },
    person: { given_names: 'José Mauricio', surnames: 'Hernández Alas', birth_date: '1988-12-12', sex: 'M', nationality: 'SLV' } });
  assert.equal(out.status, 201, JSON.stringify(out.json));
  assert.equal(out.json.person_id, r.json.person_id);
  assert.equal(out.json.decision, 'admit', JSON.stringify(out.json.reasons));
});

test('the supervisor refuses a stowaway: an inadmission with the ship that returns them', async () => {
  const r = await none({ given_names: 'Ibrahim', surnames: 'Diallo', birth_date: '2000-05-05', sex: 'M', nationality: 'GIN' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const res = await sup.post(`/api/v1/inspections/${r.json.inspection_id}/resolve`,
    { resolution: 'refuse', legal_ground: 'Sin documento de viaje (polizón)', carrier: 'MSC Cruceros', return_transport: 'MSC Seaview' });
  assert.equal(res.status, 200, JSON.stringify(res.json));
  assert.ok(res.json.inadmission_id > 0, JSON.stringify(res.json));
});

test('without a document, the document fields are refused, naming the field; a paper form needs the document', async () => {
  const person = { given_names: 'X', surnames: 'Prueba', birth_date: '1990-01-01', nationality: 'GTM' };
  for (const [k, v] of [['number', 'SINDOC01'], ['issuing_state', 'GTM'], ['expiry_date', '2030-01-01']]) {
    const r = await ofi.post('/api/v1/inspections', { port: 'ACA', direction: 'entry', document: { kind: 'none', [k]: v }, person });
    assert.equal(r.status, 400, `${k}: ${JSON.stringify(r.json)}`);
    assert.equal(r.json.error.code, 'conflicting_fields');
    assert.equal(r.json.error.field, 'document.kind');
    assert.match(r.json.error.message, new RegExp(k));
  }
  // a minor without a document still needs the companions listed
  const m = await ofi.post('/api/v1/inspections', { port: 'ACA', direction: 'entry', document: { kind: 'none' },
    person: { given_names: 'Niño', surnames: 'Sin Papeles', birth_date: '2015-01-01', nationality: 'GTM' } });
  assert.equal(m.status, 422, JSON.stringify(m.json));
  assert.equal(m.json.error.field, 'companions');
  const c = await sup.post('/api/v1/movements/contingency', {
    port: 'ACA', direction: 'entry', at: new Date(Date.now() - 3600e3).toISOString().slice(0, 16) + 'Z',
    transport: 'MSC Seaview', permitted_stay_days: 90, reference: 'FC-ACA-1', reason: 'Caída del enlace',
    document: { kind: 'none' }, person,
  });
  assert.ok(c.status === 422 || c.status === 400, JSON.stringify(c.json));
  assert.equal(c.json.error.field, 'document.kind');
});
