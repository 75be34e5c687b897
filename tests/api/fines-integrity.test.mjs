// What a hostile client found around the fines and the border's lists:
// an overstay charged twice for one exit (two cases closing on it, or the
// exit voided and recorded again), a carrier fine paid with no amount ever
// recorded or charged twice for one inadmission, a stay granted on a
// crossing that had its own and silently dropped, and the secondary queue
// and the overstayers' cursor taking anything.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser, Client, ADMIN_PASSWORD } from '../lib/server.mjs';

const PW = 'Turno-Seguro-2026';
const DAY = 86400e3;
const daysAgo = (n) => new Date(Date.now() - n * DAY).toISOString().slice(0, 16) + 'Z';
const today = new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10);

let srv, ofi, sup, sup2;
before(async () => {
  srv = await startServer();
  ofi = await staffUser(srv.url, 'fi_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'fi_sup', 'supervisor_control', PW);
  sup2 = await staffUser(srv.url, 'fi_sup2', 'supervisor_control', PW);
});
after(async () => { await srv.stop(); });

const passport = (number, state = 'USA') => ({ kind: 'passport', code: 'P', number, issuing_state: state, nationality: state, expiry_date: '2031-05-01' });
const person = (given, surnames, nat = 'USA') => ({ given_names: given, surnames, birth_date: '1970-02-02', sex: 'F', nationality: nat });

test('the secondary queue takes the post as the other lists do: any case, an unknown one is 400', async () => {
  const c = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 1', document: passport('QP0000001', 'BOL'), person: person('Quela', 'Cola', 'BOL') });
  assert.equal(c.json.decision, 'secondary', JSON.stringify(c.json));
  const ids = async (q) => (await sup.get(`/api/v1/inspections?${q}`)).json.items.map((x) => x.id);
  assert.ok((await ids('port=SAL')).includes(c.json.inspection_id));
  assert.ok((await ids('port=sal')).includes(c.json.inspection_id), 'lower case, as /movements takes it');
  for (const bad of ['ZZZ', 'SALX']) {
    const r = await sup.get(`/api/v1/inspections?port=${bad}`);
    assert.deepEqual([r.status, r.json.error?.code, r.json.error?.field], [400, 'unknown_port', 'port'], `${bad}: ${JSON.stringify(r.json)}`);
  }
});

test('the overstayers cursor is a next_cursor or 400, as the movements cursor', async () => {
  for (const c of ['2026-01-01, 5', '2026-01-01,+5', '2026-01-01,99999999999999999999', '2026-01-01,05', '2026-01-01,0', '2026-01-01,', '2026-02-30,5', '2026-1-01,5', ' 2026-01-01,5']) {
    const r = await sup.get(`/api/v1/overstayers?cursor=${encodeURIComponent(c)}`);
    assert.deepEqual([r.status, r.json.error?.code, r.json.error?.field], [400, 'invalid_parameter', 'cursor'], `${c}: ${JSON.stringify(r.json)}`);
  }
  const ok = await sup.get(`/api/v1/overstayers?cursor=${encodeURIComponent('2026-01-01,5')}`);
  assert.equal(ok.status, 200, JSON.stringify(ok.json));
  // the pages follow each other through it
  for (let i = 0; i < 3; i++) {
    const r = await sup.post('/api/v1/movements/contingency', { port: 'SAL', direction: 'entry', at: daysAgo(200 + i), transport: 'TA 1', reference: `FC-OV-${i}`,
      reason: 'Caída', document: passport(`OC000000${i}`), person: person(`Olga${'abc'[i]}`, 'Cursor') });
    assert.equal(r.status, 201, JSON.stringify(r.json));
  }
  const p1 = await sup.get('/api/v1/overstayers?limit=2');
  assert.equal(p1.json.items.length, 2);
  const p2 = await sup.get(`/api/v1/overstayers?limit=2&cursor=${encodeURIComponent(p1.json.next_cursor)}`);
  assert.equal(p2.status, 200, JSON.stringify(p2.json));
  assert.equal(p2.json.items.length, 1);
  assert.ok(!p1.json.items.some((x) => x.person_id === p2.json.items[0].person_id));
});

// A traveler refused entry at SAL, brought by TACA: compliance proposes the
// carrier's fine, its amount "según resolución".
async function inadmission(number) {
  const c = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 390', document: passport(number, 'BOL'), person: person('Carla', `Carrier ${number}`, 'BOL') });
  assert.equal(c.json.decision, 'secondary', JSON.stringify(c.json));
  const r = await sup.post(`/api/v1/inspections/${c.json.inspection_id}/resolve`, { resolution: 'refuse', legal_ground: 'Sin visa', carrier: 'TACA', return_transport: 'TA 391' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const fine = (await sup.get('/api/v1/carrier-fines?status=proposed')).json.items.find((x) => x.inspection_id === c.json.inspection_id);
  assert.ok(fine, 'proposed');
  assert.equal(fine.amount_cents, null);
  return { inspection: c.json.inspection_id, fine: fine.id };
}
const carrierFine = async (id) => (await sup.get('/api/v1/carrier-fines?limit=1000')).json.items.find((x) => x.id === id);

test('a carrier fine "según resolución" is paid with its amount, and not without it', async () => {
  const { fine } = await inadmission('CF0000001');
  assert.equal((await sup.post(`/api/v1/carrier-fines/${fine}/status`, { status: 'pending' })).status, 200);
  const bare = await sup.post(`/api/v1/carrier-fines/${fine}/status`, { status: 'paid', note: 'Recibo 77' });
  assert.deepEqual([bare.status, bare.json.error?.code, bare.json.error?.field], [422, 'missing_field', 'amount'], JSON.stringify(bare.json));
  assert.equal((await carrierFine(fine)).status, 'pending');
  const paid = await sup.post(`/api/v1/carrier-fines/${fine}/status`, { status: 'paid', note: 'Recibo 77', amount: 500 });
  assert.equal(paid.status, 200, JSON.stringify(paid.json));
  assert.deepEqual([(await carrierFine(fine)).status, (await carrierFine(fine)).amount_cents], ['paid', 50000]);
  const rep = await sup.get(`/api/v1/carrier-compliance/report?month=${today.slice(0, 7)}&carrier=TACA`);
  const row = rep.json.items.find((x) => x.carrier === 'TACA');
  assert.deepEqual([row.fines_collected, row.collected_amount_cents, row.fines_amount_unknown], [1, 50000, 0], JSON.stringify(row));
  // an amount on record is what is paid; another is refused
  const h = await sup.post('/api/v1/carrier-fines', { carrier: 'COPA', amount: 300, legal_basis: 'LEME', reason: 'Manifiesto tardío', port: 'SAL' });
  assert.equal(h.status, 201, JSON.stringify(h.json));
  const other = await sup.post(`/api/v1/carrier-fines/${h.json.id}/status`, { status: 'paid', note: 'Recibo 78', amount: 299.99 });
  assert.deepEqual([other.status, other.json.error?.code, other.json.error?.field], [422, 'amount_differs', 'amount'], JSON.stringify(other.json));
  assert.equal((await sup.post(`/api/v1/carrier-fines/${h.json.id}/status`, { status: 'paid', note: 'Recibo 78', amount: 300 })).status, 200);
  assert.equal((await carrierFine(h.json.id)).amount_cents, 30000);
  // not on other changes
  const h2 = await sup.post('/api/v1/carrier-fines', { carrier: 'COPA', amount: 300, legal_basis: 'LEME', reason: 'Manifiesto tardío', port: 'SAL' });
  const n = await sup.post(`/api/v1/carrier-fines/${h2.json.id}/status`, { status: 'notified', note: 'Oficio', amount: 300 });
  assert.deepEqual([n.status, n.json.error?.field], [422, 'amount']);
});

test('one inadmission is charged once to a carrier; a fine for an inadmissible passenger needs one', async () => {
  const { inspection, fine } = await inadmission('CF0000002');
  const hand = (over = {}) => ({ carrier: 'TACA', amount: 500, legal_basis: 'LEME', reason: 'Pasajero inadmitido', inspection_id: inspection, cause: 'inadmissible_passenger', ...over });
  // the proposal is the fine of that fact: by hand again, in any case, is 409 naming it
  for (const carrier of ['TACA', 'taca']) {
    const r = await sup.post('/api/v1/carrier-fines', hand({ carrier }));
    assert.deepEqual([r.status, r.json.error?.code, r.json.error?.field], [409, 'fine_exists', 'inspection_id'], JSON.stringify(r.json));
    assert.match(r.json.error.message, new RegExp(`n\\.º ${fine}\\b`));
    assert.match(r.json.error.message, /por pasajero inadmisible/, 'the cause in Spanish, not its code');
  }
  // paid, it still is
  assert.equal((await sup.post(`/api/v1/carrier-fines/${fine}/status`, { status: 'pending', amount: 500 })).status, 200);
  assert.equal((await sup.post(`/api/v1/carrier-fines/${fine}/status`, { status: 'paid', note: 'Recibo 9' })).status, 200);
  assert.equal((await sup.post('/api/v1/carrier-fines', hand())).status, 409);
  // another carrier for the same fact is not a second fine: one carrier
  // brought the passenger (a list's code «RCCL» and the company's name typed
  // by hand charged one passenger twice); the wrong one is cancelled first
  const other = await sup.post('/api/v1/carrier-fines', hand({ carrier: 'Avianca' }));
  assert.deepEqual([other.status, other.json.error?.code], [409, 'fine_exists'], JSON.stringify(other.json));
  assert.match(other.json.error.message, new RegExp(`n\\.º ${fine} ya cobra a TACA`));
  // another fact about the same passenger is another fine
  const inacc = await sup.post('/api/v1/carrier-fines', hand({ cause: 'inaccurate_manifest', reason: 'No figuraba en el manifiesto' }));
  assert.equal(inacc.status, 201, JSON.stringify(inacc.json));
  assert.equal((await sup.post('/api/v1/carrier-fines', hand({ cause: 'inaccurate_manifest' }))).status, 409, 'that one once too');
  // a cancelled fine does not stand in the way of the one that mends it
  const { inspection: i3, fine: f3 } = await inadmission('CF0000003');
  assert.equal((await sup.post(`/api/v1/carrier-fines/${f3}/status`, { status: 'cancelled' })).status, 200);
  assert.equal((await sup.post('/api/v1/carrier-fines', hand({ inspection_id: i3 }))).status, 201);
  assert.equal((await sup.post('/api/v1/carrier-fines', hand({ inspection_id: i3 }))).status, 409);
  // an admitted traveler is no inadmissible passenger
  const adm = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 390', document: passport('AD0000001'), person: person('Ada', 'Admitida') });
  assert.equal(adm.json.decision, 'admit', JSON.stringify(adm.json));
  const no = await sup.post('/api/v1/carrier-fines', hand({ inspection_id: adm.json.inspection_id }));
  assert.deepEqual([no.status, no.json.error?.code, no.json.error?.field], [422, 'no_inadmission', 'inspection_id'], JSON.stringify(no.json));
  // unsaid, the cause of a fine naming an inspection is an inadmissible passenger
  const unsaid = await sup.post('/api/v1/carrier-fines', hand({ inspection_id: adm.json.inspection_id, cause: undefined }));
  assert.deepEqual([unsaid.status, unsaid.json.error?.code, unsaid.json.error?.field], [422, 'no_inadmission', 'inspection_id'], JSON.stringify(unsaid.json));
  assert.equal((await sup.post('/api/v1/carrier-fines', hand({ cause: undefined }))).status, 409, 'that inadmission is fined');
  // an entry the booth refused, its case waiting for the supervisor, is one; an exit refused is not
  const exp = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 390', document: { ...passport('EX0000001', 'HND'), expiry_date: '2024-03-01' }, person: person('Elvin', 'Vencido', 'HND') });
  assert.deepEqual([exp.json.decision, exp.json.status], ['refuse', 'pending'], JSON.stringify(exp.json));
  const waiting = await sup.post('/api/v1/carrier-fines', hand({ inspection_id: exp.json.inspection_id, cause: undefined }));
  assert.equal(waiting.status, 201, JSON.stringify(waiting.json));
  assert.equal((await carrierFine(waiting.json.id)).cause, 'inadmissible_passenger');
  // the supervisor then records the inadmission: the carrier is not proposed a second fine for it
  const rec = await sup.post(`/api/v1/inspections/${exp.json.inspection_id}/resolve`, { resolution: 'refuse', legal_ground: 'Pasaporte vencido', carrier: 'TACA', return_transport: 'TA 391' });
  assert.equal(rec.status, 200, JSON.stringify(rec.json));
  assert.equal(srv.sql(`SELECT COUNT(*) FROM carrier_fines WHERE inspection_id = ${exp.json.inspection_id} AND cause = 'inadmissible_passenger' AND status <> 'cancelled'`).stdout.trim(), '1');
  // a refused entry let in after all: the carrier brought no inadmissible passenger, its fine goes
  const exp3 = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 390', document: { ...passport('EX0000004', 'HND'), expiry_date: '2024-03-01' }, person: person('Elena', 'Vencida', 'HND') });
  const f4 = await sup.post('/api/v1/carrier-fines', hand({ inspection_id: exp3.json.inspection_id }));
  assert.equal(f4.status, 201, JSON.stringify(f4.json));
  const letIn = await sup.post(`/api/v1/inspections/${exp3.json.inspection_id}/resolve`, { resolution: 'admit', notes: 'Pasaporte renovado presentado; vencido por error de lectura' });
  assert.equal(letIn.status, 200, JSON.stringify(letIn.json));
  const gone = await carrierFine(f4.json.id);
  assert.equal(gone.status, 'cancelled');
  assert.match(gone.status_note, new RegExp(`admitido en segunda revisión \\(inspección n\\.º ${exp3.json.inspection_id}\\)`));
  // paid already, it stays paid (the refund is the supervisors' to record) but says it is owed back
  const exp5 = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 390', document: { ...passport('EX0000005', 'HND'), expiry_date: '2024-03-01' }, person: person('Eloy', 'Vencido', 'HND') });
  const f5 = await sup.post('/api/v1/carrier-fines', hand({ inspection_id: exp5.json.inspection_id }));
  assert.equal(f5.status, 201, JSON.stringify(f5.json));
  assert.equal((await sup.post(`/api/v1/carrier-fines/${f5.json.id}/status`, { status: 'paid', note: 'Recibo TACA-55' })).status, 200);
  const paidAt = (await carrierFine(f5.json.id)).status_changed_at;
  assert.equal((await sup.post(`/api/v1/inspections/${exp5.json.inspection_id}/resolve`, { resolution: 'admit', notes: 'Pasaporte vigente verificado con el consulado' })).status, 200);
  const owed = await carrierFine(f5.json.id);
  assert.deepEqual([owed.status, owed.status_changed_at], ['paid', paidAt]);
  assert.match(owed.status_note, new RegExp(`^Recibo TACA-55\\. El pasajero fue admitido en segunda revisión \\(inspección n\\.º ${exp5.json.inspection_id}\\): no hubo inadmisión; lo pagado se reembolsa al transportista`));
  assert.equal(srv.sql(`SELECT count(*) FROM audit_log WHERE action = 'carrier_fine.refund_due' AND record_id = '${f5.json.id}'`).stdout.trim(), '1');
  // ...but a hand fine to another carrier does not spare the one the inadmission names
  const exp2 = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 390', document: { ...passport('EX0000003', 'HND'), expiry_date: '2024-03-01' }, person: person('Elmer', 'Vencido', 'HND') });
  assert.equal((await sup.post('/api/v1/carrier-fines', hand({ inspection_id: exp2.json.inspection_id, carrier: 'Avianca' }))).status, 201);
  assert.equal((await sup.post(`/api/v1/inspections/${exp2.json.inspection_id}/resolve`, { resolution: 'refuse', legal_ground: 'Pasaporte vencido', carrier: 'TACA', return_transport: 'TA 391' })).status, 200);
  const both = (await sup.get('/api/v1/carrier-fines?limit=1000')).json.items.filter((x) => x.inspection_id === exp2.json.inspection_id).map((x) => x.carrier).sort();
  assert.deepEqual(both, ['Avianca', 'TACA']);
  const ex = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'TA 390', document: { ...passport('EX0000002', 'HND'), expiry_date: '2024-03-01' }, person: person('Elsa', 'Vencida', 'HND') });
  assert.equal(ex.json.decision, 'refuse', JSON.stringify(ex.json));
  assert.equal((await sup.post('/api/v1/carrier-fines', hand({ inspection_id: ex.json.inspection_id }))).json.error?.code, 'no_inadmission');
  // an unknown cause; an inadmissible passenger's fine names the inspection
  for (const [over, code, field] of [[{ cause: 'rude_crew' }, 'invalid_value', 'cause'],
    [{ inspection_id: undefined }, 'missing_field', 'inspection_id']]) {
    const r = await sup.post('/api/v1/carrier-fines', hand(over));
    assert.deepEqual([r.status, r.json.error?.code, r.json.error?.field], [422, code, field], `${JSON.stringify(over)}: ${JSON.stringify(r.json)}`);
  }
  assert.equal((await sup.post('/api/v1/carrier-fines', hand({ inspection_id: undefined, cause: 'late_manifest', reason: 'Manifiesto tardío' }))).status, 201);
  assert.equal((await sup.post('/api/v1/carrier-fines', hand({ inspection_id: undefined, cause: undefined, reason: 'Sin causa dicha' }))).status, 201, 'a fine of no inspection, as before');
  assert.equal((await carrierFine(inacc.json.id)).cause, 'inaccurate_manifest');
});

test('a stay given on a case that closes on an entry recorded since is refused, not dropped', async () => {
  const doc = passport('SD0000001', 'BOL'), who = person('Sara', 'Dropped', 'BOL');
  const c = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 1', document: doc, person: who });
  assert.equal(c.json.decision, 'secondary', JSON.stringify(c.json));
  // a case of two days ago (one of today sends her to secondary at the next post)
  const twoDaysAgo = new Date(Date.now() - 48 * 3600e3).toISOString();
  assert.equal(srv.sql(`UPDATE inspections SET at = '${twoDaysAgo}' WHERE id = ${c.json.inspection_id}`).status, 0);
  const b = await ofi.post('/api/v1/inspections', { port: 'ILO', direction: 'entry', transport: 'XY 1', document: doc, person: who, visa: { type: 'consular', valid_until: '2027-12-31', reference: 'V' } });
  assert.equal(b.json.decision, 'admit', JSON.stringify(b.json));
  const stay = () => srv.sql(`SELECT permitted_stay_days FROM movements WHERE id = ${b.json.movement_id}`).stdout.trim();
  const before = stay();
  const r = await sup.post(`/api/v1/inspections/${c.json.inspection_id}/resolve`, { resolution: 'admit', notes: 'Visa vista', permitted_stay_days: 30 });
  assert.deepEqual([r.status, r.json.error?.code, r.json.error?.field], [422, 'stay_already_recorded', 'permitted_stay_days'], JSON.stringify(r.json));
  assert.match(r.json.error.message, new RegExp(`movimiento n\\.º ${b.json.movement_id}\\b.*prórroga`));
  assert.equal(stay(), before);
  const ok = await sup.post(`/api/v1/inspections/${c.json.inspection_id}/resolve`, { resolution: 'admit', notes: 'Visa vista' });
  assert.deepEqual([ok.status, ok.json.already_recorded, ok.json.movement_id], [200, true, b.json.movement_id], JSON.stringify(ok.json));
});

// An overstayer (entered 150 days ago on paper, 90 days' stay) sent to
// secondary on leaving at SAL and again at ILO: two cases, one exit.
async function twoCases(number, given) {
  const doc = passport(number), who = person(given, 'Doble');
  const ce = await sup.post('/api/v1/movements/contingency', { port: 'SAL', direction: 'entry', at: daysAgo(150), transport: 'TA 1', reference: `FC-${number}`, reason: 'Caída', document: doc, person: who });
  assert.equal(ce.status, 201, JSON.stringify(ce.json));
  const a = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'TA 2', document: doc, person: who });
  const b = await ofi.post('/api/v1/inspections', { port: 'ILO', direction: 'exit', transport: 'TA 3', document: doc, person: who });
  for (const x of [a, b]) {
    assert.equal(x.json.decision, 'secondary', JSON.stringify(x.json));
    assert.ok(x.json.reasons.some((r) => r.code === 'overstay'), JSON.stringify(x.json.reasons));
  }
  return { doc, who, pid: ce.json.person_id, entry: ce.json.movement_id, a: a.json.inspection_id, b: b.json.inspection_id };
}
const finesOf = async (pid) => (await sup.get(`/api/v1/traveler-fines?person_id=${pid}`)).json.items;

test('a case closing on an exit already fined does not fine it again: it names that fine', async () => {
  const t = await twoCases('DF0000001', 'Doris');
  const r1 = await sup.post(`/api/v1/inspections/${t.a}/resolve`, { resolution: 'admit', fine_amount: 150, fine_receipt: 'R-100' });
  assert.equal(r1.status, 200, JSON.stringify(r1.json));
  assert.equal(r1.json.fine.status, 'paid');
  const url = `/api/v1/inspections/${t.b}/resolve`;
  // a receipt, or another amount, would be a second charge: said, not taken
  for (const [body, field] of [[{ fine_receipt: 'R-101', fine_amount: 150 }, 'fine_receipt'], [{ fine_amount: 99 }, 'fine_amount']]) {
    const r = await sup2.post(url, { resolution: 'admit', notes: 'Salió por el aeropuerto', ...body });
    assert.deepEqual([r.status, r.json.error?.code, r.json.error?.field], [409, 'fine_already_recorded', field], JSON.stringify(r.json));
    assert.match(r.json.error.message, new RegExp(`movimiento n\\.º ${r1.json.movement_id}\\b.*multa n\\.º ${r1.json.fine.id}\\b`));
  }
  const r2 = await sup2.post(url, { resolution: 'admit', notes: 'Salió por el aeropuerto', fine_amount: 150 });
  assert.equal(r2.status, 200, JSON.stringify(r2.json));
  assert.deepEqual([r2.json.already_recorded, r2.json.movement_id], [true, r1.json.movement_id]);
  assert.deepEqual(r2.json.fine, r1.json.fine, 'the fine of that exit');
  assert.deepEqual((await finesOf(t.pid)).map((f) => [f.id, f.status]), [[r1.json.fine.id, 'paid']]);

  // closed the other way round (the ILO case first, a pending fine): the same
  const u = await twoCases('DF0000002', 'Dora');
  const s1 = await sup.post(`/api/v1/inspections/${u.b}/resolve`, { resolution: 'admit', notes: 'Caso de Comalapa visto', fine_amount: 150 });
  assert.deepEqual([s1.status, s1.json.fine?.status], [200, 'pending'], JSON.stringify(s1.json));
  // (the ILO admission closed the SAL case as superseded: a second case is made to close on it)
  assert.equal(srv.sql(`UPDATE inspections SET status = 'pending', resolution = NULL, movement_id = NULL WHERE id = ${u.a}`).status, 0);
  const s2 = await sup2.post(`/api/v1/inspections/${u.a}/resolve`, { resolution: 'admit' });
  assert.equal(s2.status, 200, JSON.stringify(s2.json));
  assert.deepEqual([s2.json.already_recorded, s2.json.fine], [true, s1.json.fine]);
  assert.equal((await finesOf(u.pid)).length, 1);
});

test('a case closing on an exit recorded on paper names the fine that exit owes, once', async () => {
  const doc = passport('DF0000003'), who = person('Delia', 'Papel');
  const ce = await sup.post('/api/v1/movements/contingency', { port: 'SAL', direction: 'entry', at: daysAgo(150), transport: 'TA 1', reference: 'FC-DF3', reason: 'Caída', document: doc, person: who });
  const a = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'TA 2', document: doc, person: who });
  assert.equal(a.json.decision, 'secondary', JSON.stringify(a.json));
  const cx = await sup.post('/api/v1/movements/contingency', { port: 'HAC', direction: 'exit', at: new Date(Date.now() + 1000).toISOString().slice(0, 19) + 'Z', transport: 'Bus 9', reference: 'FC-HAC-9', reason: 'Caída', document: doc, person: who });
  assert.equal(cx.status, 201, JSON.stringify(cx.json));
  // the paper exit owes the overstay itself (contingency-fines.test.mjs)
  assert.equal(cx.json.fine?.status, 'pending', JSON.stringify(cx.json));
  const again = await sup.post(`/api/v1/inspections/${a.json.inspection_id}/resolve`, { resolution: 'admit', fine_amount: 150 });
  assert.deepEqual([again.status, again.json.error?.code, again.json.error?.field], [409, 'fine_already_recorded', 'fine_amount'], JSON.stringify(again.json));
  assert.match(again.json.error.message, /su pago se registra en esa multa/);
  const r = await sup.post(`/api/v1/inspections/${a.json.inspection_id}/resolve`, { resolution: 'admit' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.deepEqual([r.json.already_recorded, r.json.movement_id, r.json.fine?.id, r.json.fine?.status], [true, cx.json.movement_id, cx.json.fine.id, 'pending']);
  assert.deepEqual((await finesOf(ce.json.person_id)).map((f) => f.id), [cx.json.fine.id]);
});

// An overstayer (entered 200 days ago, 90 days' stay) let out after
// secondary with a pending fine: { pid, fine, movement }.
async function overstayerOut(number, given, body = { fine_amount: 150 }) {
  const doc = passport(number), who = person(given, 'Vencido');
  const ce = await sup.post('/api/v1/movements/contingency', { port: 'SAL', direction: 'entry', at: daysAgo(200), transport: 'TA 1', reference: `FC-${number}`, reason: 'Caída', document: doc, person: who });
  assert.equal(ce.status, 201, JSON.stringify(ce.json));
  const exit = async () => {
    const x = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'TA 2', document: doc, person: who });
    assert.ok(x.json.reasons.some((r) => r.code === 'overstay'), JSON.stringify(x.json));
    return x.json.inspection_id;
  };
  const r = await sup.post(`/api/v1/inspections/${await exit()}/resolve`, { resolution: 'admit', ...body });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return { pid: ce.json.person_id, fine: r.json.fine, movement: r.json.movement_id, exit };
}
const fineRow = async (pid, id) => (await finesOf(pid)).find((f) => f.id === id);
const auditOf = (id) => srv.sql(`SELECT action FROM audit_log WHERE record_type = 'traveler_fine' AND record_id = '${id}' ORDER BY seq`).stdout.trim().split('\n');

test('voiding an exit cancels its pending fine, naming the correction; it is not collected', async () => {
  const o = await overstayerOut('OV0000001', 'Otto');
  assert.equal(o.fine.status, 'pending');
  const v = await sup2.post(`/api/v1/movements/${o.movement}/corrections`, { reason: 'Salida registrada por error' });
  assert.equal(v.status, 201, JSON.stringify(v.json));
  const f = await fineRow(o.pid, o.fine.id);
  assert.equal(f.status, 'cancelled');
  assert.match(f.status_note, new RegExp(`movimiento n\\.º ${o.movement}\\b.*corrección n\\.º ${v.json.id}\\b.*Salida registrada por error`));
  assert.ok(f.status_changed_at);
  assert.ok(auditOf(o.fine.id).includes('traveler_fine.exit_voided'), auditOf(o.fine.id).join());
  const pay = await sup.post(`/api/v1/traveler-fines/${o.fine.id}/payment`, { receipt: 'R-1', amount: 150 });
  assert.deepEqual([pay.status, pay.json.error?.code], [409, 'fine_closed'], JSON.stringify(pay.json));
  assert.deepEqual((await sup.get(`/api/v1/traveler-fines?person_id=${o.pid}&status=cancelled`)).json.items.map((x) => x.id), [o.fine.id]);
  // the person's history says why too
  const ev = (await sup.get(`/api/v1/persons/${o.pid}/timeline`)).json.events.find((e) => e.type === 'fine' && e.fine.id === o.fine.id);
  assert.ok(ev, 'the fine is in the history');
  assert.equal(ev.fine.status, 'cancelled');
  assert.match(ev.fine.status_note, /Salida registrada por error/);
  // the next exit owes it afresh, once
  const r = await sup.post(`/api/v1/inspections/${await o.exit()}/resolve`, { resolution: 'admit', fine_amount: 150 });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.fine.status, 'pending');
  assert.deepEqual((await finesOf(o.pid)).map((x) => x.status), ['pending', 'cancelled']);
});

test('voiding an exit whose fine was paid holds it; the next exit is credited with it, not charged again', async () => {
  const o = await overstayerOut('OV0000002', 'Olga');
  assert.equal((await sup.post(`/api/v1/traveler-fines/${o.fine.id}/payment`, { receipt: 'R-A', amount: 150 })).status, 200);
  assert.equal((await sup2.post(`/api/v1/movements/${o.movement}/corrections`, { reason: 'No abordó' })).status, 201);
  const held = await fineRow(o.pid, o.fine.id);
  assert.deepEqual([held.status, held.receipt, held.amount_cents], ['refund_review', 'R-A', 15000], 'kept, with its receipt');
  assert.match(held.status_note, /acredita a la próxima salida o se reembolsa/);
  // a second payment is refused saying where the first one stands
  const again = await sup.post(`/api/v1/traveler-fines/${o.fine.id}/payment`, { receipt: 'R-A2', amount: 150 });
  assert.deepEqual([again.status, again.json.error.code], [409, 'fine_closed']);
  assert.match(again.json.error.message, /su salida se anuló: el pago queda a favor de la persona/);
  // the person is inside again, over the stay
  assert.ok((await sup.get('/api/v1/overstayers?nationality=USA')).json.items.some((x) => x.person_id === o.pid));
  // leaving again: a receipt would charge twice
  const x2 = await o.exit();
  const twice = await sup.post(`/api/v1/inspections/${x2}/resolve`, { resolution: 'admit', fine_amount: 150, fine_receipt: 'R-B' });
  assert.deepEqual([twice.status, twice.json.error?.code, twice.json.error?.field], [409, 'fine_already_recorded', 'fine_receipt'], JSON.stringify(twice.json));
  const r = await sup.post(`/api/v1/inspections/${x2}/resolve`, { resolution: 'admit', fine_amount: 150 });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.deepEqual([r.json.fine.id, r.json.fine.status, r.json.fine.amount_cents, r.json.credited_fine_id], [o.fine.id, 'paid', 15000, o.fine.id]);
  const all = await finesOf(o.pid);
  assert.deepEqual(all.map((f) => [f.id, f.status, f.inspection_id]), [[o.fine.id, 'paid', x2]], 'one fine, re-attached to the exit that happened');
  assert.match(all[0].status_note, new RegExp(`acreditada a la salida autorizada en la inspección n\\.º ${x2}\\b`));
  assert.ok(auditOf(o.fine.id).includes('traveler_fine.credited'));
  // and voiding that exit holds it again
  assert.equal((await sup2.post(`/api/v1/movements/${r.json.movement_id}/corrections`, { reason: 'Tampoco abordó' })).status, 201);
  assert.equal((await fineRow(o.pid, o.fine.id)).status, 'refund_review');
});

test('days beyond those paid for an exit voided since are charged, and only they', async () => {
  const o = await overstayerOut('OV0000003', 'Oscar', { fine_amount: 150, fine_receipt: 'R-C' });
  assert.equal(o.fine.status, 'paid');
  assert.equal((await sup2.post(`/api/v1/movements/${o.movement}/corrections`, { reason: 'No abordó' })).status, 201);
  // as if the exit had been three days earlier than the next one
  assert.equal(srv.sql(`UPDATE traveler_fines SET days = days - 3 WHERE id = ${o.fine.id}`).status, 0);
  const r = await sup.post(`/api/v1/inspections/${await o.exit()}/resolve`, { resolution: 'admit', fine_amount: 5 });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.deepEqual([r.json.fine.days, r.json.fine.amount_cents, r.json.fine.status, r.json.credited_fine_id], [3, 500, 'pending', o.fine.id]);
  assert.deepEqual((await finesOf(o.pid)).map((f) => [f.status, f.days]), [['pending', 3], ['paid', o.fine.days - 3]]);
  // the resolved case names the fine still owed, with its own status (the
  // least id and the least status, each on its own, read «paid»)
  const ins = Number(srv.sql(`SELECT inspection_id FROM traveler_fines WHERE id = ${r.json.fine.id}`).stdout.trim());
  const done = (await sup.get('/api/v1/inspections?status=resolved&limit=200')).json.items.find((x) => x.id === ins);
  assert.deepEqual([done.fine_id, done.fine_status], [r.json.fine.id, 'pending'], JSON.stringify(done));
});
