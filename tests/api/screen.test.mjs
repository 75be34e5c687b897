// POST /api/v1/screen: the server's screening index over restrictions,
// alerts and lost/stolen documents, kept current by the writes that change
// them; permissions and bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD, staffUser } from '../lib/server.mjs';

let srv, sec, sup, ofi, pas, uaip;
const PW = 'Turno-Seguro-2026';

before(async () => {
  srv = await startServer();
  sec = await staffUser(srv.url, 's_secretaria_general', 'secretaria_general', PW, 'DG');
  sup = await staffUser(srv.url, 's_supervisor_control', 'supervisor_control', PW, 'DG');
  ofi = await staffUser(srv.url, 's_oficial_control', 'oficial_control', PW, 'DG');
  pas = await staffUser(srv.url, 's_pasaportes', 'pasaportes', PW, 'DG');
  uaip = await staffUser(srv.url, 's_uaip', 'uaip', PW, 'DG');
});
after(async () => { await srv.stop(); });

const ids = (r) => r.json.matches.map((m) => m.entry_id);

test('a restriction is found under another spelling, explained, and gone once lifted', async () => {
  const c = await sec.post('/api/v1/restrictions', {
    court: 'Juzgado Segundo de Instrucción de San Salvador', case_number: 'INS-0999-2026', measure: 'exit_ban',
    subject: { given_names: 'José Luis', surnames: 'Hernández de la Cruz', birth_date: '1980-05-17', nationality: 'SLV' },
    effective_from: '2026-01-01', effective_to: null,
  });
  assert.equal(c.status, 201, JSON.stringify(c.json));
  const id = `restriction:${c.json.id}`;

  // MRZ spelling, order swapped by a carrier, second given name dropped
  const r = await ofi.post('/api/v1/screen', { given_names: 'HERNANDEZ<DE<LA<CRUZ', surnames: 'JOSE', birth_date: '1980-05-17' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.threshold, 73);
  const m = r.json.matches.find((x) => x.entry_id === id);
  assert.ok(m, JSON.stringify(r.json));
  assert.equal(m.category, 'restriction/exit_ban');
  assert.ok(m.score >= 73);
  assert.equal(m.order_swapped, true);
  assert.equal(m.birth_date_match, 'exact');
  assert.equal(m.parts.birth_date, 20);
  assert.ok(m.tokens.some((t) => t.query === 'hernandez' && t.entry === 'hernandez' && t.how === 'exact'));
  assert.deepEqual(m.unmatched_entry, ['luis']);
  // who screened is audited with the records shown (not the names asked)
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const au = (await admin.get('/api/v1/audit?action=screen.query&user=s_oficial_control&limit=1')).json.items[0];
  assert.ok(au.detail.records.includes(m.record_ref || m.entry_id), JSON.stringify(au));
  assert.equal(au.detail.matches, r.json.matches.length);
  assert.ok(!JSON.stringify(au).toLowerCase().includes('hernandez'), 'the names asked are not in the log');

  // a nickname and a typo
  const n = await pas.post('/api/v1/screen', { given_names: 'Chepe', surnames: 'Hernandes Cruz', birth_date: '1980-05-17' });
  assert.ok(ids(n).includes(id), JSON.stringify(n.json));

  // the same name born 30 years earlier is someone else
  const o = await ofi.post('/api/v1/screen', { given_names: 'José Luis', surnames: 'Hernández de la Cruz', birth_date: '1950-05-17' });
  assert.ok(!ids(o).includes(id));

  // lifted in one request, gone in the next
  const l = await sec.post(`/api/v1/restrictions/${c.json.id}/lift`, { order_reference: 'Auto de cese 12-2026' });
  assert.equal(l.status, 200, JSON.stringify(l.json));
  const after = await ofi.post('/api/v1/screen', { given_names: 'José Luis', surnames: 'Hernández de la Cruz', birth_date: '1980-05-17' });
  assert.ok(!ids(after).includes(id));
});

test('alerts enter the index when issued and leave it when cancelled', async () => {
  const a = await sup.post('/api/v1/alerts', {
    category: 'missing_child', subject: { given_names: 'Guadalupe Abigail', surnames: 'Menjívar Quintanilla', birth_date: '2015-03-02', sex: 'F' },
    instructions: 'Retener y avisar a la PNC y al CONNA', valid_until: '2099-01-01',
  });
  assert.equal(a.status, 201, JSON.stringify(a.json));
  const id = `alert:${a.json.id}`;
  const r = await ofi.post('/api/v1/screen', { given_names: 'Lupe', surnames: 'Menjivar', birth_date: '2015-02-03', sex: 'F' });
  const m = r.json.matches.find((x) => x.entry_id === id);
  assert.ok(m, JSON.stringify(r.json));
  assert.equal(m.category, 'alert/missing_child');
  assert.equal(m.birth_date_match, 'day_month_swapped');
  assert.ok(m.tokens.some((t) => t.how === 'nickname'));
  const c = await sup.post(`/api/v1/alerts/${a.json.id}/cancel`, { reason: 'Localizada' });
  assert.equal(c.status, 200, JSON.stringify(c.json));
  const again = await ofi.post('/api/v1/screen', { given_names: 'Lupe', surnames: 'Menjivar', birth_date: '2015-02-03', sex: 'F' });
  assert.ok(!ids(again).includes(id));
});

test('a stolen passport matches on its number alone', async () => {
  const d = await pas.post('/api/v1/documents/lost-stolen', { document_number: 'C7654321', document_type: 'passport', issuing_state: 'SLV', reason: 'stolen' });
  assert.equal(d.status, 201, JSON.stringify(d.json));
  const r = await ofi.post('/api/v1/screen', { given_names: 'Cualquier', surnames: 'Persona', document_number: 'c-765 4321', threshold: 30 });
  const m = r.json.matches.find((x) => x.entry_id === `lost_stolen:${d.json.id}`);
  assert.ok(m, JSON.stringify(r.json));
  assert.equal(m.document_match, true);
  assert.equal(m.parts.document, 40);
});

test('permissions and bad input', async () => {
  const body = { given_names: 'Ana', surnames: 'Pérez' };
  assert.equal((await uaip.post('/api/v1/screen', body)).status, 403);
  assert.equal((await new Client(srv.url).post('/api/v1/screen', body)).status, 401);
  const empty = await ofi.post('/api/v1/screen', { given_names: '', surnames: '' });
  assert.equal(empty.status, 400, JSON.stringify(empty.json));
  assert.equal(empty.json.error.code, 'empty_name');
  const date = await ofi.post('/api/v1/screen', { ...body, birth_date: '1980-02-30' });
  assert.ok([400, 422].includes(date.status), String(date.status));
  assert.equal(date.json.error.field, 'birth_date');
  assert.equal((await ofi.post('/api/v1/screen', { ...body, threshold: 500 })).status, 422);
  assert.equal((await ofi.post('/api/v1/screen', { ...body, top: 0 })).status, 422);
  assert.equal((await ofi.post('/api/v1/screen', { ...body, colour: 'x' })).status, 400);
  const long = await ofi.post('/api/v1/screen', { given_names: 'a'.repeat(10000), surnames: 'Pérez' });
  assert.deepEqual([long.status, long.json.error.field], [400, 'given_names']);
  // the limit is in characters of any script: 512 four-byte letters screen, 513 are a 400
  const wide = await ofi.post('/api/v1/screen', { given_names: '𠀀'.repeat(512), surnames: 'Pérez' });
  assert.equal(wide.status, 200, JSON.stringify(wide.json));
  const wider = await ofi.post('/api/v1/screen', { given_names: '𠀀'.repeat(513), surnames: 'Pérez' });
  assert.deepEqual([wider.status, wider.json.error.code, wider.json.error.field], [400, 'too_long', 'given_names']);
});

test('a long name of another script screens: the booth does not fail its check, the registry holds it', async () => {
  // 200 CJK letters (600 bytes) were over the name engine's 512 bytes: the
  // restriction was left out of the index, the traveler got check_failed
  const sur = '王'.repeat(200);
  const c = await sec.post('/api/v1/restrictions', {
    court: 'Juzgado Quinto de Instrucción de San Salvador', case_number: 'INS-5151-2026', measure: 'exit_ban',
    subject: { given_names: 'Wei', surnames: sur, birth_date: '1985-04-03' }, effective_from: '2026-01-01', effective_to: null,
  });
  assert.equal(c.status, 201, JSON.stringify(c.json));
  const s = await ofi.post('/api/v1/screen', { given_names: 'Wei', surnames: sur, birth_date: '1985-04-03' });
  assert.equal(s.status, 200, JSON.stringify(s.json));
  assert.ok(ids(s).includes(`restriction:${c.json.id}`), JSON.stringify(s.json));

  const doc = { kind: 'passport', code: 'P', number: 'E55501234', issuing_state: 'CHN', nationality: 'CHN', expiry_date: '2030-01-01' };
  const person = { given_names: '李'.repeat(200), surnames: '张'.repeat(200), birth_date: '1990-02-03', nationality: 'CHN', sex: 'F' };
  for (const [i, p] of [person, { ...person, surnames: 'Li' + '😀'.repeat(198) }].entries()) { // 600 and 794 bytes
    const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', document: { ...doc, number: `E5550123${i}` }, person: p });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.ok(!r.json.reasons.some((x) => x.code === 'check_failed'), JSON.stringify(r.json.reasons));
  }
  // emoji alone is no name, however short
  const e = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', document: { ...doc, number: 'E55501239' }, person: { ...person, surnames: '😀😀' } });
  assert.deepEqual([e.status, e.json.error?.field], [400, 'person.surnames']);
});

test('inspections: a fuzzy hit on an exit ban or an alert sends the traveler to secondary with the explanation', async () => {
  const doc = { kind: 'passport', code: 'P', number: 'Z90011223', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2030-01-01' };
  const c = await sec.post('/api/v1/restrictions', {
    court: 'Juzgado Cuarto de Instrucción de San Salvador', case_number: 'INS-4242-2026', measure: 'exit_ban',
    subject: { given_names: 'Wilfredo Antonio', surnames: 'Xicará Menjívar', birth_date: '1979-08-09' }, effective_from: '2026-01-01', effective_to: null,
  });
  assert.equal(c.status, 201, JSON.stringify(c.json));
  // a typo and the second given name dropped: the exact check misses it
  const person = { given_names: 'WILFREDO', surnames: 'XICARA MENJIVAR', birth_date: '1979-09-08', nationality: 'SLV', sex: 'M' };
  const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'AV 611', route_country: 'GTM', document: doc, person });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(r.json.decision, 'secondary', JSON.stringify(r.json));
  const w = r.json.reasons.find((x) => x.code === 'watchlist_match');
  assert.ok(w, JSON.stringify(r.json.reasons));
  assert.equal(w.record, `restriction:${c.json.id}`);

  const a = await sup.post('/api/v1/alerts', {
    category: 'arrest_warrant', subject: { given_names: 'Ovidio', surnames: 'Quezada Portillo', birth_date: '1970-01-20' },
    instructions: 'Retener y avisar a la PNC', valid_until: '2099-01-01',
  });
  assert.equal(a.status, 201, JSON.stringify(a.json));
  const doc2 = { ...doc, number: 'Z90011224' };
  const p2 = { given_names: 'Ovidio', surnames: 'Quesada Portillo', birth_date: '1970-01-20', nationality: 'SLV', sex: 'M' };
  const r2 = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', document: doc2, person: p2 });
  assert.equal(r2.json.decision, 'secondary', JSON.stringify(r2.json));
  const w2 = r2.json.reasons.find((x) => x.code === 'watchlist_match');
  assert.equal(w2.record, `alert:${a.json.id}`);
});
