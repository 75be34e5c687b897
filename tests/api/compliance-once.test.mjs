// Carrier compliance proposes one inaccurate-manifest fine per traveler and
// flight, not per inspection.  Found by a helper: a traveler not on the
// manifest inspected twice for the flight (sent to secondary for want of a
// visa, then admitted when he showed it; or an entry voided and recorded
// again) wrote two arrivals, and the carrier was proposed a fine for each:
// 4 proposals for 2 travelers, and the month's «Inexactos» counted 4.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser, carrierUser } from '../lib/server.mjs';
import { paxlst, inspectTraveler, VISA, svNow } from '../lib/apis.mjs';

let srv, carrier, sup, ofi;
const PW = 'Turno-Seguro-2026';

const today = () => svNow().toISOString().slice(0, 10);
const yesterday = () => svNow(-1).toISOString().slice(0, 10);
const inspect = (transport, p, extra) => inspectTraveler(ofi, transport, p, extra);
const manifest = async (flight, persons) => {
  const r = await carrier.req('POST', '/api/v1/apis/manifests', paxlst(flight, persons), { 'content-type': 'application/edifact' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json.manifests[0].id;
};
const evaluate = async (date = today()) => {
  const r = await sup.post('/api/v1/carrier-compliance/evaluate', { date });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json.proposed;
};
const inaccurate = async (mid) => (await sup.get('/api/v1/carrier-fines?limit=1000')).json.items
  .filter((f) => f.cause === 'inaccurate_manifest' && f.manifest_id === mid);
const sql = (q) => { const r = srv.sql(q); assert.equal(r.status, 0, r.stderr); return r.stdout; };
// a proposal as the evaluation before this fix wrote it for another
// inspection of the same traveler: a copy under that inspection's key
const legacyProposal = (from, insp) => sql(
  'INSERT INTO carrier_fines (carrier, amount_cents, currency, legal_basis, reason, port, transport, inspection_id,'
  + ' imposed_on, created_at, created_by, status, cause, flight, manifest_id, evidence, dedupe_key, amount_known)'
  + ` SELECT carrier, amount_cents, currency, legal_basis, reason, port, transport, ${insp}, imposed_on, created_at,`
  + ` created_by, status, cause, flight, manifest_id, evidence, 'inaccurate:${insp}', amount_known FROM carrier_fines`
  + ` WHERE dedupe_key = 'inaccurate:${from}'`);

before(async () => {
  srv = await startServer({ env: { SIGM_COMPLIANCE_MINUTES: '0' } });
  carrier = await carrierUser(srv, 'co_ta', 'TA', PW);
  sup = await staffUser(srv.url, 'co_sup', 'supervisor_control', PW);
  ofi = await staffUser(srv.url, 'co_ofi', 'oficial_control', PW);
});
after(async () => { await srv.stop(); });

test('a traveler inspected twice for a flight is one inaccurate-manifest fine, and one «inexacto» in the month', async () => {
  const SMITH = { sur: 'SMITH', given: 'ANNE', birth: '790303', sex: 'F', nat: 'USA', doc: 'US4610002' };
  const LISTED = { ...SMITH, doc: 'US4610099' }; // the list's passport is another
  const MAMANI = { sur: 'MAMANI', given: 'LUIS', birth: '810404', sex: 'M', nat: 'BOL', doc: 'BO4619999' };
  const mid = await manifest('TA461', [LISTED]);

  // Mamani, not on the manifest: to secondary, then admitted with his visa
  const m1 = await inspect('TA 461', MAMANI);
  assert.equal(m1.json.decision, 'secondary', JSON.stringify(m1.json));
  assert.equal(m1.json.apis?.on_manifest, false, JSON.stringify(m1.json.apis));
  const m2 = await inspect('TA 461', MAMANI, VISA('V-461-9'));
  assert.equal(m2.json.decision, 'admit', JSON.stringify(m2.json));
  assert.equal(m2.json.person_id, m1.json.person_id, 'one person');

  // Smith, on it with another passport: admitted, the entry voided,
  // recorded again
  const s1 = await inspect('TA461', SMITH);
  assert.equal(s1.json.decision, 'admit', JSON.stringify(s1.json));
  assert.equal(s1.json.apis?.on_manifest, true, JSON.stringify(s1.json.apis));
  const v = await sup.post(`/api/v1/movements/${s1.json.movement_id}/corrections`, { reason: 'Registrada por error' });
  assert.equal(v.status, 201, JSON.stringify(v.json));
  const s2 = await inspect('TA461', SMITH);
  assert.equal(s2.json.decision, 'admit', JSON.stringify(s2.json));

  // two travelers, two proposals (it was 4), each on the traveler's first
  // inspection; evaluated again, nothing more
  await evaluate();
  const fines = await inaccurate(mid);
  assert.deepEqual(fines.map((f) => [f.inspection_id, f.evidence.finding]).sort((a, b) => a[0] - b[0]),
    [[m1.json.inspection_id, 'not_on_manifest'], [s1.json.inspection_id, 'data_mismatch']], JSON.stringify(fines));
  assert.equal(await evaluate(), 0, 'idempotent');
  assert.equal((await inaccurate(mid)).length, 2);

  const month = today().slice(0, 7);
  const row = (await sup.get(`/api/v1/carrier-compliance/report?month=${month}&carrier=TA`)).json.items.find((x) => x.carrier === 'TA');
  assert.deepEqual([row.inaccurate, row.inaccurate_repeated, row.inaccurate_repeated_fines], [2, 0, []], JSON.stringify(row));
});

test('fines proposed before the fix for another inspection of the traveler are kept, never added to; the month counts the traveler once and the repeat apart', async () => {
  const QUISPE = { sur: 'QUISPE', given: 'RAUL', birth: '820505', sex: 'M', nat: 'BOL', doc: 'BO4629001' };
  const CONDORI = { sur: 'CONDORI', given: 'EVA', birth: '830606', sex: 'F', nat: 'BOL', doc: 'BO4629002' };
  const mid = await manifest('TA462', [{ sur: 'JONES', given: 'MARY', birth: '700606', sex: 'F', nat: 'USA', doc: 'US4620001' }]);
  const q1 = await inspect('TA462', QUISPE);
  const q2 = await inspect('TA462', QUISPE, VISA('V-462-1'));
  assert.deepEqual([q1.json.decision, q2.json.decision], ['secondary', 'admit']);
  await evaluate();
  assert.deepEqual((await inaccurate(mid)).map((f) => f.inspection_id), [q1.json.inspection_id]);
  // Quispe: the evaluation before the fix proposed both his inspections
  legacyProposal(q1.json.inspection_id, q2.json.inspection_id);
  // Condori: it proposed only her second (the first one's day never
  // evaluated), so her first's key is free
  const c1 = await inspect('TA462', CONDORI);
  const c2 = await inspect('TA462', CONDORI, VISA('V-462-2'));
  assert.deepEqual([c1.json.decision, c2.json.decision], ['secondary', 'admit']);
  legacyProposal(q1.json.inspection_id, c2.json.inspection_id);

  assert.equal(await evaluate(), 0, 'no third fine for Quispe, no second for Condori');
  const fines = await inaccurate(mid);
  assert.deepEqual(fines.map((f) => f.inspection_id).sort((a, b) => a - b),
    [q1.json.inspection_id, q2.json.inspection_id, c2.json.inspection_id], 'all kept');
  assert.ok(fines.every((f) => f.status === 'proposed'));

  const month = today().slice(0, 7);
  const report = async () => (await sup.get(`/api/v1/carrier-compliance/report?month=${month}&carrier=TA`)).json.items[0];
  const was = await report();
  assert.equal(was.inaccurate_repeated, 1, JSON.stringify(was));
  // which fine repeats which, for the desk to link the supervisor to both
  const dup = fines.find((f) => f.inspection_id === q2.json.inspection_id);
  const first = fines.find((f) => f.inspection_id === q1.json.inspection_id);
  assert.deepEqual(was.inaccurate_repeated_fines, [{ id: dup.id, repeats: first.id }], JSON.stringify(was));
  // the supervisor cancels the repeat: the traveler is still one, nothing
  // counted apart any more
  assert.equal((await sup.post(`/api/v1/carrier-fines/${dup.id}/status`, { status: 'cancelled', note: 'Duplicada' })).status, 200);
  const now = await report();
  assert.deepEqual([now.inaccurate, now.inaccurate_repeated, now.fines_cancelled - was.fines_cancelled],
    [was.inaccurate, 0, 1], JSON.stringify([was, now]));
  assert.deepEqual(now.inaccurate_repeated_fines, []);
  // the CSV's inaccurate is the same; its columns are as they were
  const csv = (await sup.get(`/api/v1/carrier-compliance/report?month=${month}&carrier=TA&format=csv`)).text.trim().split('\n');
  assert.match(csv[0], /,inaccurate,.*,fines_amount_unknown$/);
  assert.equal(csv[1].split(',')[csv[0].split(',').indexOf('inaccurate')], String(now.inaccurate), csv.join('\n'));
});

test('a traveler inspected late one day and again the next is proposed once, on the first inspection, whichever day is evaluated first', async () => {
  const TICONA = { sur: 'TICONA', given: 'JOSE', birth: '840707', sex: 'M', nat: 'BOL', doc: 'BO4639001' };
  const mid = await manifest('TA463', [{ sur: 'BROWN', given: 'ANN', birth: '710707', sex: 'F', nat: 'USA', doc: 'US4630001' }]);
  const t1 = await inspect('TA 463', TICONA);
  const t2 = await inspect('TA 463', TICONA, VISA('V-463-1'));
  assert.deepEqual([t1.json.decision, t2.json.decision], ['secondary', 'admit']);
  // the first inspection at 23:50 of yesterday (05:50Z today)
  const at = `${today()}T05:50:00.000Z`;
  sql(`UPDATE apis_arrivals SET at = '${at}' WHERE inspection_id = ${t1.json.inspection_id}`);
  sql(`UPDATE inspections SET at = '${at}' WHERE id = ${t1.json.inspection_id}`);
  await evaluate(today());
  let fines = await inaccurate(mid);
  assert.deepEqual(fines.map((f) => [f.inspection_id, f.imposed_on]), [[t1.json.inspection_id, today()]], JSON.stringify(fines));
  assert.equal(await evaluate(yesterday()), 0, JSON.stringify(await inaccurate(mid)));
  fines = await inaccurate(mid);
  assert.equal(fines.length, 1, JSON.stringify(fines));
});

test('a traveler the supervisor fined by hand for an inaccurate manifest is not proposed again', async () => {
  const APAZA = { sur: 'APAZA', given: 'ROSA', birth: '850808', sex: 'F', nat: 'BOL', doc: 'BO4649001' };
  const mid = await manifest('TA464', [{ sur: 'GREEN', given: 'AL', birth: '720808', sex: 'M', nat: 'USA', doc: 'US4640001' }]);
  const a1 = await inspect('TA464', APAZA);
  const a2 = await inspect('TA464', APAZA, VISA('V-464-1'));
  assert.deepEqual([a1.json.decision, a2.json.decision], ['secondary', 'admit']);
  const h = await sup.post('/api/v1/carrier-fines', { carrier: 'TA', amount: 300, legal_basis: 'LEME', reason: 'No figuraba en el manifiesto',
    port: 'SAL', inspection_id: a2.json.inspection_id, cause: 'inaccurate_manifest' });
  assert.equal(h.status, 201, JSON.stringify(h.json));
  await evaluate();
  const fines = (await sup.get('/api/v1/carrier-fines?limit=1000')).json.items
    .filter((f) => f.cause === 'inaccurate_manifest' && [a1, a2].some((x) => x.json.inspection_id === f.inspection_id));
  assert.deepEqual(fines.map((f) => f.id), [h.json.id], JSON.stringify(fines));
  assert.ok(!(await inaccurate(mid)).some((f) => f.status === 'proposed'), 'no proposal');
});

test('by hand too: a traveler fined for one of their inspections on a flight is not fined again through another; another traveler is, and a cancelled fine frees it', async () => {
  const CHOQUE = { sur: 'CHOQUE', given: 'LUIS', birth: '800303', sex: 'M', nat: 'BOL', doc: 'BO4650001' };
  const MACHACA = { sur: 'MACHACA', given: 'EVA', birth: '820404', sex: 'F', nat: 'BOL', doc: 'BO4650002' };
  await manifest('TA465', [{ sur: 'BROWN', given: 'JO', birth: '700101', sex: 'F', nat: 'USA', doc: 'US4650001' }]);
  const c1 = await inspect('TA465', CHOQUE);
  const c2 = await inspect('TA465', CHOQUE, VISA('V-465-1'));
  const m1 = await inspect('TA465', MACHACA, VISA('V-465-2'));
  assert.deepEqual([c1.json.decision, c2.json.decision, m1.json.decision], ['secondary', 'admit', 'admit']);
  const fine = (inspection_id) => sup.post('/api/v1/carrier-fines', { carrier: 'TA', amount: 300, legal_basis: 'LEME',
    reason: 'No figuraba en el manifiesto', port: 'SAL', inspection_id, cause: 'inaccurate_manifest' });
  const first = await fine(c2.json.inspection_id);
  assert.equal(first.status, 201, JSON.stringify(first.json));
  // the same traveler through the inspection that sent him to secondary
  const again = await fine(c1.json.inspection_id);
  assert.equal(again.status, 409, JSON.stringify(again.json));
  assert.equal(again.json.error.code, 'fine_exists');
  assert.equal(again.json.error.field, 'inspection_id');
  assert.match(again.json.error.message, new RegExp(`multa n\\.º ${first.json.id} ya cobra a TA por este viajero`));
  // another traveler missing from the same manifest is another fact
  assert.equal((await fine(m1.json.inspection_id)).status, 201);
  // cancelled, the first no longer stands in the way
  const cancel = await sup.post(`/api/v1/carrier-fines/${first.json.id}/status`, { status: 'cancelled', note: 'Registrada por error' });
  assert.equal(cancel.status, 200, JSON.stringify(cancel.json));
  assert.equal((await fine(c1.json.inspection_id)).status, 201);
});

test('records a supervisor linked as one traveler are one fact: one proposal, no second fine by hand, and proposals made before the link shown as a repeat', async () => {
  // a dual national not on the list: refused a visa-less entry on her
  // Bolivian passport, admitted on her US one; two records, flagged
  const BO = { sur: 'VARGAS', given: 'LIDIA', birth: '860909', sex: 'F', nat: 'BOL', doc: 'BO4660001' };
  const US = { ...BO, nat: 'USA', doc: 'US4660001' };
  const mid = await manifest('TA466', [{ sur: 'WHITE', given: 'TED', birth: '730303', sex: 'M', nat: 'USA', doc: 'US4660099' }]);
  const b1 = await inspect('TA466', BO);
  const u1 = await inspect('TA466', US);
  assert.deepEqual([b1.json.decision, u1.json.decision], ['secondary', 'admit'], JSON.stringify([b1.json, u1.json]));
  assert.notEqual(b1.json.person_id, u1.json.person_id, 'two records');
  const flag = (await sup.get('/api/v1/person-duplicates')).json.items.find((x) => x.persons.some((p) => p.id === u1.json.person_id));
  assert.ok(flag, 'flagged');
  const same = await sup.post(`/api/v1/person-duplicates/${flag.id}/review`, { decision: 'same', note: 'Doble nacionalidad: misma fotografía' });
  assert.equal(same.status, 200, JSON.stringify(same.json));

  await evaluate();
  const fines = await inaccurate(mid);
  assert.deepEqual(fines.map((f) => f.inspection_id), [b1.json.inspection_id], JSON.stringify(fines));
  // by hand, through the other record's inspection: the same traveler
  const again = await sup.post('/api/v1/carrier-fines', { carrier: 'TA', amount: 300, legal_basis: 'LEME',
    reason: 'No figuraba en el manifiesto', port: 'SAL', inspection_id: u1.json.inspection_id, cause: 'inaccurate_manifest' });
  assert.equal(again.status, 409, JSON.stringify(again.json));
  assert.equal(again.json.error.code, 'fine_exists');

  // proposed before the link (as an evaluation then did): the month shows
  // the second as a repeat of the first
  legacyProposal(b1.json.inspection_id, u1.json.inspection_id);
  const month = today().slice(0, 7);
  const row = (await sup.get(`/api/v1/carrier-compliance/report?month=${month}&carrier=TA`)).json.items[0];
  const dup = (await inaccurate(mid)).find((f) => f.inspection_id === u1.json.inspection_id);
  assert.ok(row.inaccurate_repeated_fines.some((x) => x.id === dup.id && x.repeats === fines[0].id), JSON.stringify(row));
});

// A list's number the ingest refuses («AB1») is stored as none, with a
// warning (docs/paxlst.md).  Before, the refused number was stored and
// differed from the passport shown: a proposal.  Stored as none, it
// differed from nothing, and a carrier that sent junk numbers was never
// proposed a fine for them.
test('a traveler whose list number the ingest refused is an inaccurate-manifest proposal on the number, as another document\'s number is', async () => {
  const JUNK = { sur: 'QUISPE', given: 'ROSA', birth: '880808', sex: 'F', nat: 'USA', doc: 'AB1' };
  const mid = await manifest('TA468', [JUNK]);
  const r = await inspect('TA 468', { ...JUNK, doc: 'US4680001' });
  assert.equal(r.json.apis?.on_manifest, true, JSON.stringify(r.json));
  await evaluate();
  const fines = await inaccurate(mid);
  assert.deepEqual(fines.map((f) => [f.inspection_id, f.evidence.finding, f.evidence.manifest.doc_number ?? null, f.evidence.presented.doc_number]),
    [[r.json.inspection_id, 'data_mismatch', null, 'US4680001']], JSON.stringify(fines));
  assert.match(fines[0].reason, /\(número de documento\)/);
});

// A list that sends a traveler's visa before the passport (PAXLST fixes no
// order for the DOCs) stored the visa's number as the travel document: the
// passport shown at the booth never matched it, and the carrier was
// proposed an inaccurate-manifest fine for a list that carried it.  Nor is
// a traveler who shows the second of two passports the list carried.
test('the passport shown matches the list\'s second DOC (the visa sent first; or a second passport): no inaccurate-manifest proposal', async () => {
  const VISA_FIRST = { sur: 'CONDORI', given: 'JOSE', birth: '830303', sex: 'M', nat: 'USA', doc: 'US4700001',
    docs: [{ type: 'V', number: 'VSLV4700' }, { type: 'P', number: 'US4700001' }] };
  const TWO = { sur: 'BLACK', given: 'MARY', birth: '860606', sex: 'F', nat: 'USA', doc: 'US4700099',
    docs: [{ type: 'P', number: 'US4700002' }, { type: 'P', number: 'US4700099' }] };
  const mid = await manifest('TA470', [VISA_FIRST, TWO]);
  for (const p of [VISA_FIRST, TWO]) {
    const r = await inspect('TA 470', p);
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.equal(r.json.apis?.on_manifest, true, JSON.stringify(r.json));
  }
  await evaluate();
  assert.deepEqual(await inaccurate(mid), []);
});
