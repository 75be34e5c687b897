// The audit trail of a person (GET /api/v1/audit?record_type=person&
// record_id=N) answers everything done about them, not only the reads
// filed on the person: the booth's inspections (filed on the inspection),
// the cases' resolutions, supersedings and reopenings, contingency
// records and corrections of their movements, their referrals' changes,
// the payment of their fines, the review of a possible duplicate (both
// records) and the certificates issued on them.  The change entries name
// the person in their detail ("person_id").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser, Client, ADMIN_PASSWORD } from '../lib/server.mjs';

let srv, ofi, sup, dam, sg, admin;
const PW = 'Turno-Seguro-2026';
before(async () => {
  srv = await startServer();
  ofi = await staffUser(srv.url, 'at_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'at_sup', 'supervisor_control', PW);
  dam = await staffUser(srv.url, 'at_dam', 'atencion_migrante', PW, 'DAM');
  sg = await staffUser(srv.url, 'at_sg', 'secretaria_general', PW, 'SG');
  admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
});
after(async () => { await srv.stop(); });

const daysAgo = (n) => new Date(Date.now() - n * 86400e3).toISOString().slice(0, 16) + 'Z';
const person = (given) => ({ given_names: given, surnames: 'Rastro Completo', birth_date: '1985-08-09', sex: 'F', nationality: 'COL' });
const passport = (number, over = {}) => ({ kind: 'passport', code: 'P', number, issuing_state: 'COL', nationality: 'COL', expiry_date: '2033-01-31', ...over });
const ok = (r, status = 200) => { assert.equal(r.status, status, JSON.stringify(r.json)); return r.json; };
const trail = async (id, q = '') => ok(await admin.get(`/api/v1/audit?record_type=person&record_id=${id}&limit=500${q}`)).items;

test("a person's trail holds every change made about them, each naming them", async () => {
  // in on paper 120 days ago with 90 days; out today, 31 days over
  const en = ok(await sup.post('/api/v1/movements/contingency', {
    port: 'AMA', direction: 'entry', at: daysAgo(120), transport: 'Bus 1', permitted_stay_days: 90,
    reference: 'FC-AMA-AT1', reason: 'Caída del enlace', document: passport('ATC0001'), person: person('Ana'),
  }), 201);
  const pid = en.person_id;
  const ex = ok(await ofi.post('/api/v1/inspections', { port: 'AMA', direction: 'exit', transport: 'Bus 2', document: passport('ATC0001'), person: person('Ana') }), 201);
  assert.ok(ex.reasons.some((x) => x.code === 'overstay'), JSON.stringify(ex.reasons));
  const res = ok(await sup.post(`/api/v1/inspections/${ex.inspection_id}/resolve`, { resolution: 'admit', notes: 'Pagará en banco' }));
  ok(await sup.post(`/api/v1/traveler-fines/${res.fine.id}/payment`, { receipt: 'BANCO-77', amount: 40 }));
  // back: sent to secondary (no expiry typed), then admitted on a second
  // look, which closes the case (superseded); the admission voided, the
  // case opens again and is referred to Atención al Migrante
  const c1 = ok(await ofi.post('/api/v1/inspections', { port: 'AMA', direction: 'entry', transport: 'Bus 3', document: passport('ATC0001', { expiry_date: undefined }), person: person('Ana') }), 201);
  assert.equal(c1.decision, 'secondary', JSON.stringify(c1.reasons));
  const c2 = ok(await ofi.post('/api/v1/inspections', { port: 'AMA', direction: 'entry', transport: 'Bus 3', document: passport('ATC0001'), person: person('Ana') }), 201);
  assert.equal(c2.decision, 'admit', JSON.stringify(c2.reasons));
  ok(await sup.post(`/api/v1/movements/${c2.movement_id}/corrections`, { reason: 'Admitida por error: el caso sigue abierto' }), 201);
  const ref = ok(await sup.post(`/api/v1/inspections/${c1.inspection_id}/resolve`, { resolution: 'refer_atencion_migrante', referral_motive: 'vulnerable', notes: 'Sin recursos' }));
  ok(await dam.post(`/api/v1/referrals/${ref.referral_id}/status`, { status: 'received' }));
  const cert = ok(await sg.post('/api/v1/certificates', { kind: 'movements', person_id: pid, purpose: 'Trámite' }), 201);
  // another record of her under other given names: flagged, reviewed
  const other = ok(await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'TA 1', document: passport('ATC0002'), person: person('Ana María') }), 201);
  const flag = ok(await sup.get('/api/v1/person-duplicates?status=open')).items.find((x) => x.persons.some((p) => p.id === other.person_id));
  assert.ok(flag, 'flagged');
  ok(await sup.post(`/api/v1/person-duplicates/${flag.id}/review`, { decision: 'distinct', note: 'Otra persona: otra foto' }));

  const mine = await trail(pid);
  const acts = mine.map((e) => e.action);
  for (const a of ['movement.contingency', 'inspection.create', 'inspection.resolve', 'traveler_fine.payment', 'inspection.superseded',
    'movement.correct', 'inspection.reopened', 'referral.status', 'certificate.issue', 'person_duplicate.review'])
    assert.ok(acts.includes(a), `${a}: ${JSON.stringify(acts)}`);
  assert.equal(acts.filter((a) => a === 'inspection.resolve').length, 2);
  // the reads as before
  assert.ok(acts.includes('person.timeline') || acts.includes('movement.list') || acts.includes('person_duplicate.list'), JSON.stringify(acts));
  // newest first, each entry once
  const seqs = mine.map((e) => e.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a));
  assert.equal(new Set(seqs).size, seqs.length);
  // the change entries name her
  for (const a of ['inspection.resolve', 'traveler_fine.payment', 'movement.correct', 'inspection.reopened', 'referral.status', 'person_duplicate.review', 'inspection.superseded'])
    for (const e of mine.filter((x) => x.action === a))
      assert.ok(e.detail.person_id === pid || e.detail.other_person_id === pid, `${a}: ${JSON.stringify(e.detail)}`);
  const review = mine.find((e) => e.action === 'person_duplicate.review');
  assert.deepEqual([review.detail.person_id, review.detail.other_person_id].sort(), [pid, other.person_id].sort());
  assert.equal(mine.find((e) => e.action === 'certificate.issue').record_id, cert.code);
  // each entry is hers: on her, a list naming her, or on a record of hers
  const onHer = (e) => e.record_id === String(pid) || (e.record_id === null && e.detail.ids.includes(pid))
    || e.detail?.person_id === pid || e.detail?.other_person_id === pid || e.record_type === 'inspection' || e.action === 'certificate.issue';
  for (const e of mine) assert.ok(onHer(e), JSON.stringify(e));
  assert.ok(!mine.some((e) => e.record_type === 'inspection' && e.record_id === String(other.inspection_id)), 'not the other record\'s inspection');
  // the other record's trail has the review and its own inspection, not her cases
  const theirs = (await trail(other.person_id)).map((e) => `${e.action} ${e.record_type}:${e.record_id}`);
  assert.ok(theirs.includes(`person_duplicate.review person_duplicate:${flag.id}`), JSON.stringify(theirs));
  assert.ok(theirs.includes(`inspection.create inspection:${other.inspection_id}`), JSON.stringify(theirs));
  assert.ok(!theirs.some((x) => x.startsWith('inspection.resolve') || x.startsWith('traveler_fine.payment')), JSON.stringify(theirs));
  // the other criteria still apply to every kind of entry
  assert.deepEqual((await trail(pid, '&action=inspection.resolve')).map((e) => e.record_id).sort(), [String(ex.inspection_id), String(c1.inspection_id)].sort());
  assert.deepEqual([...new Set((await trail(pid, '&user=at_dam')).map((e) => e.action))], ['referral.status']);
  // and it pages: small pages make up the whole, in order
  const paged = [];
  let cursor = null;
  do {
    const r = ok(await admin.get(`/api/v1/audit?record_type=person&record_id=${pid}&limit=4${cursor ? `&cursor=${cursor}` : ''}`));
    paged.push(...r.items.map((e) => e.seq));
    cursor = r.next_cursor;
  } while (cursor);
  // (the searches themselves are audited, on no person: the trail stands still)
  assert.deepEqual(paged, seqs);
});
