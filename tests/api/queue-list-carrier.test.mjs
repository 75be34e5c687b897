// The secondary queue names the carrier of the list the traveler came on
// (`list_carrier`): the code carrier compliance proposes the inadmissible
// passenger's fine to, which the refusal's «Transportista» starts from.  A
// supervisor refusing a cruise or bus passenger typed the company's name
// instead of its code, and the month's summary of fines split in two.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser, carrierUser } from '../lib/server.mjs';

let srv, sup, ofi;
const PW = 'Turno-Seguro-2026';

const localAt = (minutes) => new Date(Date.now() - 6 * 3600000 + minutes * 60000).toISOString().slice(0, 16);
const today = () => localAt(0).slice(0, 10);
const laterToday = () => { const t = localAt(120); return t.slice(0, 10) === today() ? t : `${today()}T23:59`; };
// Bolivians need a visa: each one inspected without it waits in secondary
const T = (surnames, given_names, doc_number) =>
  ({ surnames, given_names, birth_date: '1984-04-04', sex: 'F', nationality: 'BOL', doc_type: 'P', doc_number, doc_issuing_state: 'BOL', doc_expiry: '2031-01-01' });
const inspect = (port, transport, p) => ofi.post('/api/v1/inspections', {
  port, direction: 'entry', transport, route_country: 'MEX',
  document: { kind: 'passport', code: 'P', number: p.doc_number, issuing_state: 'BOL', nationality: 'BOL', expiry_date: '2031-05-01' },
  person: { given_names: p.given_names, surnames: p.surnames, birth_date: p.birth_date, sex: p.sex, nationality: 'BOL' },
});
const queued = async (id, status = 'pending') =>
  (await sup.get(`/api/v1/inspections?status=${status}&limit=500`)).json.items.find((x) => x.id === id);

const ONSHIP = T('Quispe', 'Ana', 'BO100001');
const ONBUS = T('Mamani', 'Rosa', 'BO100002');

before(async () => {
  srv = await startServer();
  sup = await staffUser(srv.url, 'lc_sup', 'supervisor_control', PW);
  ofi = await staffUser(srv.url, 'lc_ofi', 'oficial_control', PW);
  const cruise = await carrierUser(srv, 'lc_rccl', 'RCCL', PW, { kind: 'cruise' });
  const bus = await carrierUser(srv, 'lc_tica', 'TICABUS', PW, { kind: 'bus' });
  const s = await cruise.req('POST', '/api/v1/prechequeo/lists', { port: 'ACA', vehicle: 'Rhapsody of the Seas', company: 'Royal Caribbean International',
    trip: 'RCCL-ACA-9', arrival: laterToday(), direction: 'entry', travelers: [ONSHIP] });
  assert.equal(s.status, 201, JSON.stringify(s.json));
  const b = await bus.req('POST', '/api/v1/prechequeo/lists', { port: 'HAC', vehicle: 'P-123 456', company: 'Transportes Tica Bus S.A.',
    trip: 'GUA-SAL-0800', arrival: laterToday(), direction: 'entry', travelers: [ONBUS] });
  assert.equal(b.status, 201, JSON.stringify(b.json));
});
after(async () => { await srv.stop(); });

test('the queue names the carrier code of the ship\'s or bus\'s list the traveler came on; the refusal records it and the fine goes to it', async () => {
  const ship = await inspect('ACA', 'Rhapsody of the Seas', ONSHIP);
  assert.deepEqual([ship.json.decision, ship.json.apis?.on_manifest], ['secondary', true], JSON.stringify(ship.json));
  const bus = await inspect('HAC', 'P 123-456', ONBUS);
  assert.deepEqual([bus.json.decision, bus.json.apis?.on_manifest], ['secondary', true], JSON.stringify(bus.json));
  const s = await queued(ship.json.inspection_id);
  const b = await queued(bus.json.inspection_id);
  assert.equal(s.list_carrier, 'RCCL', JSON.stringify(s));
  assert.equal(b.list_carrier, 'TICABUS', JSON.stringify(b));
  // refused with that code: the inadmission carries it, and so does the fine
  const r = await sup.post(`/api/v1/inspections/${ship.json.inspection_id}/resolve`, { resolution: 'refuse', legal_ground: 'LEME: sin visa',
    carrier: s.list_carrier, return_transport: 'Rhapsody of the Seas, zarpa hoy 18:00', arrival_transport: 'Rhapsody of the Seas' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const done = await queued(ship.json.inspection_id, 'resolved');
  assert.deepEqual([done.list_carrier, done.inadmission_carrier], ['RCCL', 'RCCL'], JSON.stringify(done));
  assert.equal((await sup.post('/api/v1/carrier-compliance/evaluate', { date: today() })).status, 200);
  const fines = (await sup.get('/api/v1/carrier-fines?limit=1000')).json.items.filter((f) => f.inspection_id === ship.json.inspection_id);
  assert.deepEqual(fines.map((f) => [f.carrier, f.cause]), [['RCCL', 'inadmissible_passenger']], JSON.stringify(fines));
});

test('a traveler who came on the ship but is not on its list: still its carrier; a vehicle without a list, or another post\'s list: null', async () => {
  const off = await inspect('ACA', 'Rhapsody of the Seas', T('Condori', 'Luz', 'BO100003'));
  assert.deepEqual([off.json.decision, off.json.apis?.on_manifest], ['secondary', false], JSON.stringify(off.json));
  assert.equal((await queued(off.json.inspection_id)).list_carrier, 'RCCL');
  const other = await inspect('ACA', 'Crucero sin lista', T('Choque', 'Eva', 'BO100004'));
  assert.equal(other.json.decision, 'secondary', JSON.stringify(other.json));
  const q = await queued(other.json.inspection_id);
  assert.ok('list_carrier' in q, JSON.stringify(q));
  assert.equal(q.list_carrier, null);
  // the same bus at another post is not on that list
  const elsewhere = await inspect('ANG', 'P-123 456', T('Limachi', 'Sara', 'BO100005'));
  assert.equal(elsewhere.json.decision, 'secondary', JSON.stringify(elsewhere.json));
  assert.equal((await queued(elsewhere.json.inspection_id)).list_carrier, null);
});
