// The reconciliation counts travelers: records a supervisor confirmed to be
// the same person (person_links) are one traveler.  Found on the APIS desk:
// a Bolivian whose airline listed his old passport showed the new one
// (secondary: no visa in it), then the old one with the visa (admitted, on
// the list); once his two records were linked he still read as «1 sin
// figurar en él».  A traveler not on the list inspected on each of his two
// passports read as two, and a list that carried a traveler twice (once
// per passport) read «2 inspeccionados» for one man.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD, staffUser, carrierUser } from '../lib/server.mjs';
import { paxlst, inspectTraveler, VISA, svNow } from '../lib/apis.mjs';

let srv, carrier, sup, ofi;
const PW = 'Turno-Seguro-2026';
before(async () => {
  srv = await startServer();
  carrier = await carrierUser(srv, 'rl_ta', 'TA', PW);
  sup = await staffUser(srv.url, 'rl_sup', 'supervisor_control', PW);
  ofi = await staffUser(srv.url, 'rl_ofi', 'oficial_control', PW);
});
after(async () => { await srv.stop(); });

// the supervisor confirms the two records are one person
async function link(one, other) {
  const flag = (await sup.get('/api/v1/person-duplicates?limit=200')).json.items
    .find((x) => x.persons.some((p) => p.id === one) && x.persons.some((p) => p.id === other));
  assert.ok(flag, `flagged: ${one} ${other}`);
  const r = await sup.post(`/api/v1/person-duplicates/${flag.id}/review`, { decision: 'same', note: 'Misma fotografía; pasaporte renovado' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
}
const reconcile = async (mid) => {
  const r = await sup.get(`/api/v1/apis/manifests/${mid}/reconciliation`);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json;
};
const send = async (flight, persons) => {
  const r = await carrier.req('POST', '/api/v1/apis/manifests', paxlst(flight, persons), { 'content-type': 'application/edifact' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json.manifests[0].id;
};
const ok = (r, decision) => { assert.equal(r.json.decision, decision, JSON.stringify(r.json)); return r.json; };

// his old passport (on the list) and his new one, the given names in full
const QUISPE_OLD = { sur: 'QUISPE', given: 'JUAN', birth: '800202', sex: 'M', nat: 'BOL', doc: 'BO3610001' };
const QUISPE_NEW = { ...QUISPE_OLD, given: 'JUAN CARLOS', doc: 'BO3610002' };
const MAMANI_OLD = { sur: 'MAMANI', given: 'LUIS', birth: '810404', sex: 'M', nat: 'BOL', doc: 'BO3619001' };
const MAMANI_NEW = { ...MAMANI_OLD, given: 'LUIS ALBERTO', doc: 'BO3619002' };

test('linked records are one traveler: on the list when either was inspected as on it, and listed once when neither was', async () => {
  const SMITH = { sur: 'SMITH', given: 'ANNE', birth: '790303', sex: 'F', nat: 'USA', doc: 'US3610003' };
  const mid = await send('TA361', [QUISPE_OLD, SMITH]);
  const inspect = (p, extra) => inspectTraveler(ofi, 'TA 361', p, extra);
  // Quispe: the new passport, no visa in it, not on the list; then the old one with the visa
  const q1 = ok(await inspect(QUISPE_NEW), 'secondary');
  assert.equal(q1.apis.on_manifest, false);
  const q2 = ok(await inspect(QUISPE_OLD, VISA('V-361-1')), 'admit');
  assert.equal(q2.apis.on_manifest, true);
  // Mamani, not on the list: his old passport, then the new one with the visa
  const m1 = ok(await inspect(MAMANI_OLD), 'secondary');
  const m2 = ok(await inspect(MAMANI_NEW, VISA('V-361-9')), 'admit');
  assert.notEqual(q1.person_id, q2.person_id);
  assert.notEqual(m1.person_id, m2.person_id);

  // not known to be the same yet: two records are two travelers
  const apart = await reconcile(mid);
  assert.deepEqual(apart.not_on_manifest.map((x) => x.person_id).sort(), [q1.person_id, m1.person_id, m2.person_id].sort(), JSON.stringify(apart));

  await link(q1.person_id, q2.person_id);
  await link(m1.person_id, m2.person_id);
  const rec = await reconcile(mid);
  assert.deepEqual([rec.arrived, rec.passengers_arrived, rec.crew_ashore], [1, 1, 0], JSON.stringify(rec));
  assert.deepEqual(rec.passenger_no_shows.map((x) => x.doc_number), ['US3610003']);
  // Quispe is on the list; Mamani is listed once, his latest inspection's fields, both records named
  assert.equal(rec.not_on_manifest.length, 1, JSON.stringify(rec.not_on_manifest));
  const x = rec.not_on_manifest[0];
  assert.deepEqual([x.person_id, x.doc_number, x.decision, x.inspections, x.inspection_ids, x.person_ids],
    [m2.person_id, 'BO3619002', 'admit', 2, [m1.inspection_id, m2.inspection_id], [m1.person_id, m2.person_id]], JSON.stringify(x));
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const a = (await admin.get('/api/v1/audit?action=apis.reconciliation.read&limit=1')).json.items[0];
  assert.deepEqual([a.detail.no_shows, a.detail.not_on_manifest], [1, 1], JSON.stringify(a));
});

test('a list that carries a traveler twice, once per passport, inspected on each: one traveler arrived', async () => {
  const CONDORI_OLD = { sur: 'CONDORI', given: 'ELSA', birth: '880505', sex: 'F', nat: 'BOL', doc: 'BO3620001' };
  const CONDORI_NEW = { ...CONDORI_OLD, given: 'ELSA MARIA', doc: 'BO3620002' };
  const JONES = { sur: 'JONES', given: 'MARY', birth: '700606', sex: 'F', nat: 'USA', doc: 'US3620003' };
  const mid = await send('TA362', [CONDORI_OLD, CONDORI_NEW, JONES]);
  const inspect = (p, extra) => inspectTraveler(ofi, 'TA 362', p, extra);
  const c1 = ok(await inspect(CONDORI_OLD), 'secondary');
  const c2 = ok(await inspect(CONDORI_NEW, VISA('V-362-1')), 'admit');
  ok(await inspect(JONES), 'admit');
  assert.deepEqual([c1.apis.on_manifest, c2.apis.on_manifest], [true, true]);
  assert.equal((await reconcile(mid)).arrived, 3, 'two records: two travelers, until linked');
  await link(c1.person_id, c2.person_id);
  const rec = await reconcile(mid);
  assert.deepEqual([rec.arrived, rec.passengers_arrived, rec.crew_ashore, rec.no_shows, rec.not_on_manifest], [2, 2, 0, [], []], JSON.stringify(rec));
});

test('a ship\'s list: the post\'s lists count linked records as one traveler, as the reconciliation does', async () => {
  const cruise = await carrierUser(srv, 'rl_msc', 'MSC', PW, { kind: 'cruise' });
  const T = (p) => ({ surnames: p.sur, given_names: p.given, birth_date: `19${p.birth.slice(0, 2)}-${p.birth.slice(2, 4)}-${p.birth.slice(4)}`, sex: p.sex,
    nationality: p.nat, doc_type: 'P', doc_number: p.doc, doc_issuing_state: p.nat, doc_expiry: '2031-01-01', role: 'passenger' });
  const local = new Date(svNow().getTime() + 60 * 60000).toISOString().slice(0, 16);
  const today = svNow().toISOString().slice(0, 10);
  const arrival = local.slice(0, 10) === today ? local : `${today}T23:59`;
  const HUANCA_OLD = { sur: 'HUANCA', given: 'ROSA', birth: '900101', sex: 'F', nat: 'BOL', doc: 'BO3630001' };
  const HUANCA_NEW = { ...HUANCA_OLD, given: 'ROSA MARIA', doc: 'BO3630002' };
  const TICONA_OLD = { sur: 'TICONA', given: 'PEDRO', birth: '920202', sex: 'M', nat: 'BOL', doc: 'BO3639001' };
  const TICONA_NEW = { ...TICONA_OLD, given: 'PEDRO PABLO', doc: 'BO3639002' };
  const r = await cruise.req('POST', '/api/v1/prechequeo/lists', { port: 'ACA', vehicle: 'MSC Lirica', company: 'MSC Cruceros', trip: 'MSC-363', arrival, direction: 'entry',
    travelers: [T(HUANCA_OLD)] });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const mid = r.json.manifests[0].id;
  const at = (p, extra) => inspectTraveler(ofi, 'MSC Lirica', p, { port: 'ACA', ...extra });
  const h1 = ok(await at(HUANCA_NEW), 'secondary');
  const h2 = ok(await at(HUANCA_OLD, VISA('V-363-1')), 'admit');
  const t1 = ok(await at(TICONA_OLD), 'secondary');
  const t2 = ok(await at(TICONA_NEW, VISA('V-363-9')), 'admit');
  await link(h1.person_id, h2.person_id);
  await link(t1.person_id, t2.person_id);
  const item = (await ofi.get(`/api/v1/prechequeo/lists?port=ACA&date=${arrival.slice(0, 10)}`)).json.items.find((x) => x.id === mid);
  // four inspections; of the list's, one traveler; one more not on it
  assert.deepEqual([item.arrivals, item.arrivals_listed, item.arrivals_unlisted], [4, 1, 1], JSON.stringify(item));
  const rec = await reconcile(mid);
  assert.deepEqual([rec.arrived, rec.not_on_manifest.map((x) => x.person_ids)], [1, [[t1.person_id, t2.person_id]]], JSON.stringify(rec));
});
