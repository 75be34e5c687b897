// The reconciliation counts manifest entries, not inspections.  Found on a
// flight's reconciliation: a list of 2 read «3 inspeccionados» when one
// traveler was inspected twice for the flight (sent to secondary for want
// of a visa, then admitted when he showed it; or an entry voided and
// recorded again): each inspection wrote an arrival, and arrived counted
// arrivals.  A traveler not on the manifest inspected twice was likewise
// listed twice among not_on_manifest.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD, staffUser, carrierUser } from '../lib/server.mjs';
import { paxlst, inspectTraveler, VISA } from '../lib/apis.mjs';

let srv, carrier, sup, ofi;
const PW = 'Turno-Seguro-2026';

// El Salvador (UTC-6) day as "YYMMDDHHMM"
const inspect = (transport, p, extra) => inspectTraveler(ofi, transport, p, extra);

before(async () => {
  srv = await startServer();
  carrier = await carrierUser(srv, 'rc_ta', 'TA', PW);
  sup = await staffUser(srv.url, 'rc_sup', 'supervisor_control', PW);
  ofi = await staffUser(srv.url, 'rc_ofi', 'oficial_control', PW);
});
after(async () => { await srv.stop(); });

test('a traveler inspected twice for the flight is one manifest entry inspected; one not on it is listed once', async () => {
  const QUISPE = { sur: 'QUISPE', given: 'JUAN', birth: '800202', sex: 'M', nat: 'BOL', doc: 'BO3510001' };
  const SMITH = { sur: 'SMITH', given: 'ANNE', birth: '790303', sex: 'F', nat: 'USA', doc: 'US3510002' };
  const MAMANI = { sur: 'MAMANI', given: 'LUIS', birth: '810404', sex: 'M', nat: 'BOL', doc: 'BO3519999' };
  const r = await carrier.req('POST', '/api/v1/apis/manifests', paxlst('TA351', [QUISPE, SMITH]), { 'content-type': 'application/edifact' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const mid = r.json.manifests[0].id;

  // Quispe: to secondary without a visa, then admitted when he shows it
  const q1 = await inspect('TA 351', QUISPE);
  assert.equal(q1.json.decision, 'secondary', JSON.stringify(q1.json));
  assert.equal(q1.json.apis?.on_manifest, true, JSON.stringify(q1.json.apis));
  const q2 = await inspect('TA 351', QUISPE, VISA('V-351-1'));
  assert.equal(q2.json.decision, 'admit', JSON.stringify(q2.json));
  assert.notEqual(q2.json.inspection_id, q1.json.inspection_id, 'a new inspection');

  // Smith: admitted, the entry voided, recorded again
  const s1 = await inspect('TA351', SMITH);
  assert.equal(s1.json.decision, 'admit', JSON.stringify(s1.json));
  const v = await sup.post(`/api/v1/movements/${s1.json.movement_id}/corrections`, { reason: 'Registrada por error' });
  assert.equal(v.status, 201, JSON.stringify(v.json));
  const s2 = await inspect('TA351', SMITH);
  assert.equal(s2.status, 201, JSON.stringify(s2.json));
  assert.equal(s2.json.decision, 'admit', JSON.stringify(s2.json));

  // Mamani, not on the manifest: to secondary, then admitted with his visa
  const m1 = await inspect('TA 351', MAMANI);
  assert.equal(m1.json.decision, 'secondary', JSON.stringify(m1.json));
  assert.ok(m1.json.reasons.some((x) => x.code === 'not_on_manifest'), JSON.stringify(m1.json.reasons));
  const m2 = await inspect('TA 351', MAMANI, VISA('V-351-9'));
  assert.equal(m2.json.decision, 'admit', JSON.stringify(m2.json));

  const rc = await sup.get(`/api/v1/apis/manifests/${mid}/reconciliation`);
  assert.equal(rc.status, 200, JSON.stringify(rc.json));
  const rec = rc.json;
  // a list of 2, both inspected: 2, never 4
  assert.deepEqual([rec.arrived, rec.passengers_arrived, rec.crew_ashore], [2, 2, 0], JSON.stringify(rec));
  assert.deepEqual(rec.no_shows, []);
  assert.deepEqual(rec.passenger_no_shows, []);
  // Mamani once: his latest inspection (the admission), both named
  assert.equal(rec.not_on_manifest.length, 1, JSON.stringify(rec.not_on_manifest));
  const x = rec.not_on_manifest[0];
  assert.deepEqual([x.person_id, x.inspection_id, x.decision, x.doc_number], [m2.json.person_id, m2.json.inspection_id, 'admit', 'BO3519999'], JSON.stringify(x));
  assert.deepEqual([x.inspections, x.inspection_ids], [2, [m1.json.inspection_id, m2.json.inspection_id]], JSON.stringify(x));

  // the audit of the read counts persons too
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const a = (await admin.get('/api/v1/audit?action=apis.reconciliation.read&limit=1')).json.items[0];
  assert.deepEqual([a.detail.no_shows, a.detail.not_on_manifest], [0, 1], JSON.stringify(a));
});

test('a crew member inspected twice for the ship is one crew member ashore', async () => {
  const cruise = await carrierUser(srv, 'rc_msc', 'MSC', PW, { kind: 'cruise' });
  const T = (p, role) => ({ surnames: p.sur, given_names: p.given, birth_date: `19${p.birth.slice(0, 2)}-${p.birth.slice(2, 4)}-${p.birth.slice(4)}`, sex: p.sex,
    nationality: p.nat, doc_type: 'P', doc_number: p.doc, doc_issuing_state: p.nat, doc_expiry: '2031-01-01', role });
  const CREW = { sur: 'CONDORI', given: 'ELSA', birth: '880505', sex: 'F', nat: 'BOL', doc: 'BO3520001' };
  const PAX = { sur: 'JONES', given: 'MARY', birth: '700606', sex: 'F', nat: 'USA', doc: 'US3520002' };
  const local = new Date(Date.now() - 6 * 3600000 + 60 * 60000).toISOString().slice(0, 16);
  const arrival = local.slice(0, 10) === new Date(Date.now() - 6 * 3600000).toISOString().slice(0, 10) ? local : `${local.slice(0, 10)}T23:59`;
  const r = await cruise.req('POST', '/api/v1/prechequeo/lists', { port: 'ACA', vehicle: 'MSC Armonia', company: 'MSC Cruceros', trip: 'MSC-352', arrival, direction: 'entry',
    travelers: [T(PAX, 'passenger'), T(CREW, 'crew')] });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const mid = r.json.manifests[0].id;
  const at = (p, extra) => inspect('MSC Armonia', p, { port: 'ACA', ...extra });
  const c1 = await at(CREW, {});
  assert.equal(c1.json.decision, 'secondary', JSON.stringify(c1.json));
  const c2 = await at(CREW, VISA('V-352-1'));
  assert.equal(c2.json.decision, 'admit', JSON.stringify(c2.json));
  assert.equal(c2.json.apis?.on_manifest, true, JSON.stringify(c2.json.apis));
  // a passenger of another ship, inspected under this one's name twice
  const STRAY = { sur: 'FLORES', given: 'ANA', birth: '910909', sex: 'F', nat: 'BOL', doc: 'BO3529999' };
  assert.equal((await at(STRAY, {})).json.decision, 'secondary');
  assert.equal((await at(STRAY, VISA('V-352-9'))).json.decision, 'admit');
  const rec = (await sup.get(`/api/v1/apis/manifests/${mid}/reconciliation`)).json;
  assert.deepEqual([rec.arrived, rec.passengers_arrived, rec.crew_ashore], [1, 0, 1], JSON.stringify(rec));
  assert.deepEqual(rec.passenger_no_shows.map((x) => x.doc_number), ['US3520002']);
  assert.deepEqual(rec.crew_aboard, []);
  assert.deepEqual(rec.not_on_manifest.map((x) => [x.doc_number, x.inspections]), [['BO3529999', 2]]);
  // the post's lists say as much: 1 of the list inspected, 1 more not on
  // it (four inspections: the row read «1 inspeccionado; 3 más sin
  // figurar en ella»)
  const item = (await ofi.get(`/api/v1/prechequeo/lists?port=ACA&date=${arrival.slice(0, 10)}`)).json.items.find((x) => x.id === mid);
  assert.deepEqual([item.arrivals, item.arrivals_listed, item.arrivals_unlisted], [4, 1, 1], JSON.stringify(item));
});
