// A ship's name typed at the booth as it is written in Spanish («Crucero
// Río Lempa») is the vessel of the list a cruise line sent as «Crucero Rio
// Lempa» (a list's vehicle has no accents): the booth links it, and carrier
// compliance groups it, as it does the same name typed without the accent.
// Found on the Acajutla UI walk: the officer saw no pre-check, the
// passengers' arrivals were not recorded and nobody was found missing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser, carrierUser } from '../lib/server.mjs';

let srv, cruise, ofi, sup;
const PW = 'Turno-Puerto-2026!';
const localAt = (minutes) => new Date(Date.now() - 6 * 3600000 + minutes * 60000).toISOString().slice(0, 16);
const today = () => localAt(0).slice(0, 10);
// later today when possible (the booth links lists of today and yesterday)
const laterToday = () => { const t = localAt(120); return t.slice(0, 10) === today() ? t : `${today()}T23:59`; };

before(async () => {
  srv = await startServer();
  cruise = await carrierUser(srv, 'pa_naviera', 'LEMPA', PW, { kind: 'cruise', displayName: 'Naviera' });
  ofi = await staffUser(srv.url, 'pa_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'pa_sup', 'supervisor_control', PW);
});
after(async () => { await srv.stop(); });

const traveler = (doc_number, surnames, given_names, birth_date) => ({ surnames, given_names, birth_date, sex: 'F', nationality: 'CHE', doc_type: 'P', doc_number, doc_issuing_state: 'CHE', doc_expiry: '2031-01-01' });
const inspect = (transport, number, surnames, birth_date, direction = 'entry') => ofi.post('/api/v1/inspections', { port: 'ACA', direction, transport, route_country: 'GTM',
  document: { kind: 'passport', number, issuing_state: 'CHE', nationality: 'CHE', expiry_date: '2031-01-01' },
  person: { given_names: 'Anna', surnames, birth_date, sex: 'F', nationality: 'CHE' } });

test('the booth links «Crucero Río Lempa» to the list of «Crucero Rio Lempa»; a name with a character that has no base letter is still not looked up', async () => {
  const l = await cruise.post('/api/v1/prechequeo/lists', { port: 'ACA', vehicle: 'Crucero Rio Lempa', company: 'Naviera Río Lempa S.A.', arrival: laterToday(), direction: 'entry',
    travelers: [traveler('X5550011', 'Keller', 'Anna', '1970-01-01'), traveler('X5550012', 'Brunner', 'Anna', '1971-01-01')] });
  assert.equal(l.status, 201, JSON.stringify(l.json));
  const mid = l.json.manifests[0].id;
  assert.equal(l.json.manifests[0].flight, 'CRUCERORIOLEMPA');
  // on the list, typed with the accent (and in lower case)
  const on = await inspect('crucero Río Lempa', 'X5550011', 'Keller', '1970-01-01');
  assert.equal(on.status, 201, JSON.stringify(on.json));
  assert.deepEqual(on.json.apis && { id: on.json.apis.manifest_id, on: on.json.apis.on_manifest }, { id: mid, on: true }, JSON.stringify(on.json));
  // not on it: said at the booth
  const off = await inspect('Crucero Río Lempa', 'X5550019', 'Zeller', '1972-01-01');
  assert.equal(off.status, 201, JSON.stringify(off.json));
  assert.equal(off.json.apis?.manifest_id, mid, JSON.stringify(off.json));
  assert.ok(off.json.reasons.some((x) => x.code === 'not_on_manifest'), JSON.stringify(off.json.reasons));
  // the list's reconciliation counts them
  const rec = (await sup.get(`/api/v1/apis/manifests/${mid}/reconciliation`)).json;
  assert.equal(rec.arrived, 1, JSON.stringify(rec));
  assert.deepEqual(rec.not_on_manifest.map((x) => x.doc_number), ['X5550019']);
  assert.deepEqual(rec.no_shows.map((x) => x.doc_number), ['X5550012']);
  // Æ has no base letter: not looked up, as before (no link, no warning)
  const other = await inspect('Crucero Río Lempæ', 'X5550020', 'Huber', '1973-01-01');
  assert.equal(other.status, 201, JSON.stringify(other.json));
  assert.equal(other.json.apis, undefined, JSON.stringify(other.json.apis));
});

test('carrier compliance: a ship typed «Crucero Río Lempa» that came back without a list is found as missing as «Crucero Rio Lempa» would be', async () => {
  // the way back, with no list for it: the company is known from its list
  const a = await inspect('Crucero Río Lempa', 'X5550031', 'Graf', '1974-01-01', 'exit');
  const b = await inspect('CRUCERO RIO LEMPA', 'X5550032', 'Frei', '1975-01-01', 'exit');
  for (const x of [a, b]) assert.equal(x.status, 201, JSON.stringify(x.json));
  const ev = await sup.post('/api/v1/carrier-compliance/evaluate', { date: today() });
  assert.equal(ev.status, 200, JSON.stringify(ev.json));
  const fines = (await sup.get('/api/v1/carrier-fines?status=proposed&limit=1000')).json.items
    .filter((f) => f.cause === 'missing_manifest' && f.flight === 'CRUCERORIOLEMPA');
  assert.equal(fines.length, 1, JSON.stringify(fines));
  assert.equal(fines[0].carrier, 'LEMPA');
  assert.equal(fines[0].evidence.direction, 'exit');
  // both crossings, the accented one too, in one proposal
  assert.deepEqual(fines[0].evidence.inspection_ids, [a.json.inspection_id, b.json.inspection_id]);
});

test('carrier compliance speaks of a ship\'s list as a list: «lista de … recibida», «no figura en la lista de …» (it read «lista … recibido», «en el manifiesto de»)', async () => {
  assert.equal((await sup.post('/api/v1/carrier-compliance/evaluate', { date: today() })).status, 200);
  const fines = (await sup.get('/api/v1/carrier-fines?status=proposed&limit=1000')).json.items.filter((f) => f.carrier === 'LEMPA');
  // sent two hours before the arrival, a day is asked of a ship
  const late = fines.filter((f) => f.cause === 'late_manifest');
  assert.equal(late.length, 1, JSON.stringify(fines));
  assert.match(late[0].reason, /: lista de Crucero Rio Lempa recibida el /, late[0].reason);
  const absent = fines.filter((f) => f.cause === 'inaccurate_manifest');
  assert.equal(absent.length, 1, JSON.stringify(fines));
  assert.match(absent[0].reason, /que no figura en la lista de Crucero Rio Lempa$/, absent[0].reason);
  assert.doesNotMatch(fines.map((f) => f.reason).join('\n'), /manifiesto de|recibido el/);
});
