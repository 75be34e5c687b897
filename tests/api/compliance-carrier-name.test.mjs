// A carrier's fines under one key.  Carrier compliance proposes a list's
// fines to the list's carrier code («RCCL»), whatever the supervisor typed
// as the carrier in an inadmission («Royal Caribbean»); fines typed by hand
// carry what the supervisor typed.  Found in a shift at Acajutla: the
// monthly summary split one company into two names, and a passenger the
// supervisor had fined by hand to «Royal Caribbean» was proposed again to
// «RCCL» (one inadmission, two fines).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser, carrierUser } from '../lib/server.mjs';

let srv, cruise, sup, ofi, mid;
const PW = 'Turno-Seguro-2026';

const localAt = (minutes) => new Date(Date.now() - 6 * 3600000 + minutes * 60000).toISOString().slice(0, 16);
const today = () => localAt(0).slice(0, 10);
const laterToday = () => { const t = localAt(120); return t.slice(0, 10) === today() ? t : `${today()}T23:59`; };
const T = (surnames, given_names, birth_date, sex, nationality, doc_number) =>
  ({ surnames, given_names, birth_date, sex, nationality, doc_type: 'P', doc_number, doc_issuing_state: nationality, doc_expiry: '2031-01-01' });
const inspect = (p, expiry = '2031-05-01') => ofi.post('/api/v1/inspections', {
  port: 'ACA', direction: 'entry', transport: 'Rhapsody of the Seas', route_country: 'MEX',
  document: { kind: 'passport', code: 'P', number: p.doc_number, issuing_state: p.nationality, nationality: p.nationality, expiry_date: expiry },
  person: { given_names: p.given_names, surnames: p.surnames, birth_date: p.birth_date, sex: p.sex, nationality: p.nationality },
});
const JANE = T('Doe', 'Jane', '1980-01-01', 'F', 'GBR', 'P1112223');
const JOHN = T('Roe', 'John', '1981-02-02', 'M', 'GBR', 'P1112224');
const EMILY = T('Johnson', 'Emily', '1975-03-03', 'F', 'USA', 'US5550001');
const fines = async () => (await sup.get('/api/v1/carrier-fines?limit=1000')).json.items;
const hand = (carrier, extra = {}) => sup.post('/api/v1/carrier-fines', { carrier, amount: 300, legal_basis: 'LEME', reason: 'Registrada a mano', port: 'ACA', ...extra });

before(async () => {
  srv = await startServer();
  cruise = await carrierUser(srv, 'cn_rccl', 'RCCL', PW, { kind: 'cruise', displayName: 'Royal Caribbean (listas)' });
  sup = await staffUser(srv.url, 'cn_sup', 'supervisor_control', PW);
  ofi = await staffUser(srv.url, 'cn_ofi', 'oficial_control', PW);
  const l = await cruise.req('POST', '/api/v1/prechequeo/lists', { port: 'ACA', vehicle: 'Rhapsody of the Seas', company: 'Royal Caribbean International',
    trip: 'RCCL-ACA-1', arrival: laterToday(), direction: 'entry', travelers: [EMILY, JANE, JOHN] });
  assert.equal(l.status, 201, JSON.stringify(l.json));
  mid = l.json.manifests[0].id;
});
after(async () => { await srv.stop(); });

test('a passenger of a list fined by hand to the name the supervisor typed is not proposed again to the list\'s code', async () => {
  // on the list, with an expired passport: refused at the booth
  const r = await inspect(JANE, '2025-01-01');
  assert.equal(r.json.decision, 'refuse', JSON.stringify(r.json));
  assert.equal(r.json.apis.on_manifest, true);
  // while the case waits, the supervisor fines the cruise line by hand, by its name
  const h = await hand('Royal Caribbean', { inspection_id: r.json.inspection_id, cause: 'inadmissible_passenger' });
  assert.equal(h.status, 201, JSON.stringify(h.json));
  const n = await sup.post(`/api/v1/inspections/${r.json.inspection_id}/resolve`, { resolution: 'refuse', legal_ground: 'LEME: pasaporte vencido',
    carrier: 'Royal Caribbean', return_transport: 'Rhapsody of the Seas, zarpa hoy 18:00', arrival_transport: 'Rhapsody of the Seas' });
  assert.equal(n.status, 200, JSON.stringify(n.json));
  assert.equal((await sup.post('/api/v1/carrier-compliance/evaluate', { date: today() })).status, 200);
  const charged = (await fines()).filter((f) => f.inspection_id === r.json.inspection_id && f.status !== 'cancelled');
  assert.deepEqual(charged.map((f) => [f.carrier, f.cause]), [['Royal Caribbean', 'inadmissible_passenger']], JSON.stringify(charged));
});

test('a proposal keeps the carrier\'s code, with the company\'s name from its list and the name the supervisor typed', async () => {
  const r = await inspect(JOHN, '2025-01-01');
  assert.equal(r.json.decision, 'refuse', JSON.stringify(r.json));
  const n = await sup.post(`/api/v1/inspections/${r.json.inspection_id}/resolve`, { resolution: 'refuse', legal_ground: 'LEME: pasaporte vencido',
    carrier: 'Royal Caribbean', return_transport: 'Rhapsody of the Seas, zarpa hoy 18:00', arrival_transport: 'Rhapsody of the Seas' });
  assert.equal(n.status, 200, JSON.stringify(n.json));
  // and a traveler not on the list
  const s = await inspect(T('Williams', 'Robert', '1960-01-01', 'M', 'USA', 'US5550099'));
  assert.equal(s.status, 201, JSON.stringify(s.json));
  assert.equal((await sup.post('/api/v1/carrier-compliance/evaluate', { date: today() })).status, 200);
  const all = await fines();
  const inad = all.find((f) => f.inspection_id === r.json.inspection_id);
  assert.equal(inad.carrier, 'RCCL', JSON.stringify(inad));
  assert.equal(inad.evidence.company, 'Royal Caribbean International');
  assert.equal(inad.evidence.carrier_named, 'Royal Caribbean');
  const inacc = all.find((f) => f.inspection_id === s.json.inspection_id);
  assert.deepEqual([inacc.carrier, inacc.cause, inacc.manifest_id, inacc.evidence.company], ['RCCL', 'inaccurate_manifest', mid, 'Royal Caribbean International']);
  assert.equal(inacc.evidence.carrier_named, undefined);
});

test('the monthly report counts a fine typed by hand under the carrier\'s code or its company\'s name in the carrier\'s row', async () => {
  assert.equal((await hand('Royal Caribbean International', { amount: 200 })).status, 201);
  assert.equal((await hand('rccl', { amount: 100 })).status, 201);
  const month = today().slice(0, 7);
  const rep = await sup.get(`/api/v1/carrier-compliance/report?month=${month}`);
  assert.equal(rep.status, 200, JSON.stringify(rep.json));
  const names = rep.json.items.map((x) => x.carrier);
  assert.ok(!names.includes('Royal Caribbean International') && !names.includes('rccl'), JSON.stringify(names));
  const rc = rep.json.items.find((x) => x.carrier === 'RCCL');
  assert.equal(rc.company, 'Royal Caribbean International');
  assert.equal(rc.manifests_received, 1);
  // the two typed by hand (pending), the proposals apart
  assert.deepEqual([rc.fines_confirmed, rc.confirmed_amount_cents], [2, 30000], JSON.stringify(rc));
  const proposed = (await fines()).filter((f) => f.carrier === 'RCCL' && f.status === 'proposed').length;
  assert.equal(rc.fines_proposed, proposed);
  assert.equal(rc.inadmissible, 1);
  assert.equal(rc.inaccurate, 1);
  // a name the company never gave itself is not guessed: its own row
  const typed = rep.json.items.find((x) => x.carrier === 'Royal Caribbean');
  assert.deepEqual([typed.fines_confirmed, typed.inadmissible, typed.company], [1, 1, null], JSON.stringify(typed));
  // asked for by code in any case: the same row
  const one = await sup.get(`/api/v1/carrier-compliance/report?month=${month}&carrier=rccl`);
  assert.deepEqual(one.json.items, [rc]);
  const csv = await sup.req('GET', `/api/v1/carrier-compliance/report?month=${month}&format=csv`);
  assert.equal(csv.text.trim().split('\n').filter((l) => /,RCCL,|Royal Caribbean International|,rccl,/.test(l)).length, 1, csv.text);
});

test('a passenger proposed to the list\'s code is not charged again by hand under the company\'s name: 409 fine_exists naming the fine', async () => {
  const ANNA = T('Smith', 'Anna', '1982-04-04', 'F', 'GBR', 'P1112230');
  const l = await cruise.req('POST', '/api/v1/prechequeo/lists', { port: 'ACA', vehicle: 'Rhapsody of the Seas', company: 'Royal Caribbean International',
    trip: 'RCCL-ACA-2', arrival: laterToday(), direction: 'entry', travelers: [ANNA] });
  assert.equal(l.status, 201, JSON.stringify(l.json));
  const r = await inspect(ANNA, '2025-01-01');
  assert.equal(r.json.decision, 'refuse', JSON.stringify(r.json));
  const n = await sup.post(`/api/v1/inspections/${r.json.inspection_id}/resolve`, { resolution: 'refuse', legal_ground: 'LEME: pasaporte vencido',
    carrier: 'Royal Caribbean', return_transport: 'Rhapsody of the Seas, zarpa hoy 18:00', arrival_transport: 'Rhapsody of the Seas' });
  assert.equal(n.status, 200, JSON.stringify(n.json));
  const proposed = (await fines()).filter((f) => f.inspection_id === r.json.inspection_id && f.status !== 'cancelled');
  assert.deepEqual(proposed.map((f) => [f.carrier, f.cause]), [['RCCL', 'inadmissible_passenger']], JSON.stringify(proposed));
  // one passenger, one carrier that brought her: the same fact by another name
  const h = await hand('Royal Caribbean', { inspection_id: r.json.inspection_id, cause: 'inadmissible_passenger' });
  assert.equal(h.status, 409, JSON.stringify(h.json));
  assert.equal(h.json.error.code, 'fine_exists');
  assert.match(h.json.error.message, new RegExp(`multa n\\.º ${proposed[0].id} ya cobra a RCCL`));
  assert.equal((await fines()).filter((f) => f.inspection_id === r.json.inspection_id && f.status !== 'cancelled').length, 1);
});
