// An overstayer who left during an outage: the exit is entered later from
// the paper form (POST /api/v1/movements/contingency), and the fine the
// booth would have sent to secondary is owed all the same.  It went
// unrecorded: a traveler over the stay by months left on paper owing
// nothing, and an exit voided at the wrong post (its fine cancelled) and
// entered again from the form charged nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser, ENGINE } from '../lib/server.mjs';

const PW = 'Turno-Seguro-2026';
const DAY = 86400e3;
const daysAgo = (n) => new Date(Date.now() - n * DAY).toISOString().slice(0, 16) + 'Z';
const soon = () => new Date(Date.now() - 60e3).toISOString().slice(0, 19) + 'Z';

let srv, ofi, sup, sup2;
before(async () => {
  srv = await startServer();
  ofi = await staffUser(srv.url, 'cf_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'cf_sup', 'supervisor_control', PW);
  sup2 = await staffUser(srv.url, 'cf_sup2', 'supervisor_control', PW);
});
after(async () => { await srv.stop(); });

const passport = (number) => ({ kind: 'passport', code: 'P', number, issuing_state: 'USA', nationality: 'USA', expiry_date: '2031-05-01' });
const person = (given) => ({ given_names: given, surnames: 'Papel', birth_date: '1971-03-03', sex: 'M', nationality: 'USA' });
const form = (number, given, over) => ({ port: 'SAL', transport: 'TA 1', reason: 'Caída del enlace', document: passport(number), person: person(given), ...over });
const finesOf = async (pid) => (await sup.get(`/api/v1/traveler-fines?person_id=${pid}`)).json.items;
const auditOf = (id) => srv.sql(`SELECT action FROM audit_log WHERE record_type = 'traveler_fine' AND record_id = '${id}' ORDER BY seq`).stdout.trim().split('\n');

// entered on paper 200 days ago with 90 days' stay: { pid, entry }
async function overstayer(number, given) {
  const en = await sup.post('/api/v1/movements/contingency', form(number, given, { direction: 'entry', at: daysAgo(200), permitted_stay_days: 90, reference: `FC-E-${number}` }));
  assert.equal(en.status, 201, JSON.stringify(en.json));
  return { pid: en.json.person_id, number, given };
}

test('an overstayer\'s exit entered from the paper form owes the fine: pending, on the movement, said in it, audited', async () => {
  const o = await overstayer('CF0000001', 'Camilo');
  const x = await sup.post('/api/v1/movements/contingency', form(o.number, o.given, { direction: 'exit', port: 'HAC', at: soon(), reference: 'FC-HAC-1' }));
  assert.equal(x.status, 201, JSON.stringify(x.json));
  const f = x.json.fine;
  assert.ok(f && Number.isInteger(f.id), JSON.stringify(x.json));
  assert.equal(f.status, 'pending');
  // 200 days ago, the entry's day counted: over by about 110 days
  assert.ok(f.days >= 109 && f.days <= 111, JSON.stringify(f));
  assert.equal(f.amount_cents, null, 'no amount in the tables: según resolución');
  const rows = await finesOf(o.pid);
  assert.deepEqual(rows.map((r) => [r.id, r.status, r.movement_id, r.inspection_id, r.port]), [[f.id, 'pending', x.json.movement_id, null, 'HAC']]);
  // the movement says the overstay after the form
  const mv = (await sup.get(`/api/v1/persons/${o.pid}/timeline`)).json.events.find((e) => e.type === 'movement' && e.movement.id === x.json.movement_id);
  assert.deepEqual(mv.movement.reasons.map((r) => r.code), ['contingency_record', 'overstay']);
  assert.match(mv.movement.reasons[1].message, /^Permanencia excedida en \d+ días: multa según resolución pendiente de cobro$/);
  assert.ok(auditOf(f.id).includes('traveler_fine.contingency'), auditOf(f.id).join());
  // the next crossing hears of the debt, and it is paid like any other
  const back = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 3', document: passport(o.number), person: person(o.given) });
  assert.ok(back.json.reasons.some((r) => r.code === 'fine_pending' && r.record === `traveler_fine:${f.id}`), JSON.stringify(back.json.reasons));
  const pay = await sup.post(`/api/v1/traveler-fines/${f.id}/payment`, { receipt: 'R-9', amount: 120 });
  assert.equal(pay.status, 200, JSON.stringify(pay.json));
});

test('the form\'s receipt: the fine is recorded paid, with the amount it says; none without an overstay or on an entry', async () => {
  const o = await overstayer('CF0000002', 'Carla');
  const noAmount = await sup.post('/api/v1/movements/contingency', form(o.number, o.given, { direction: 'exit', at: soon(), reference: 'FC-X-2', fine_receipt: 'R-77' }));
  assert.deepEqual([noAmount.status, noAmount.json.error?.code, noAmount.json.error?.field], [422, 'missing_field', 'fine_amount'], JSON.stringify(noAmount.json));
  assert.deepEqual(await finesOf(o.pid), [], 'nothing recorded');
  const x = await sup.post('/api/v1/movements/contingency', form(o.number, o.given, { direction: 'exit', at: soon(), reference: 'FC-X-2', fine_receipt: 'R-77', fine_amount: 210.5 }));
  assert.equal(x.status, 201, JSON.stringify(x.json));
  assert.deepEqual([x.json.fine.status, x.json.fine.amount_cents], ['paid', 21050]);
  const [row] = await finesOf(o.pid);
  assert.deepEqual([row.receipt, row.paid_by, row.movement_id], ['R-77', 'cf_sup', x.json.movement_id]);
  const mv = (await sup.get(`/api/v1/persons/${o.pid}/timeline`)).json.events.find((e) => e.type === 'movement' && e.movement.id === x.json.movement_id);
  assert.match(mv.movement.reasons[1].message, /multa de US\$ 210\.50 pagada según el formulario/);
  assert.equal(mv.movement.reasons[1].detail, 'recibo R-77');

  // a traveler within the stay, and an entry, owe none: 422, nothing recorded
  const w = await sup.post('/api/v1/movements/contingency', form('CF0000003', 'Ciro', { direction: 'entry', at: daysAgo(5), permitted_stay_days: 90, reference: 'FC-E-3' }));
  assert.equal(w.status, 201);
  const within = await sup.post('/api/v1/movements/contingency', form('CF0000003', 'Ciro', { direction: 'exit', at: soon(), reference: 'FC-X-3', fine_receipt: 'R-1', fine_amount: 10 }));
  assert.deepEqual([within.status, within.json.error?.code, within.json.error?.field], [422, 'no_fine', 'fine_receipt'], JSON.stringify(within.json));
  const entry = await sup.post('/api/v1/movements/contingency', form('CF0000004', 'Cesar', { direction: 'entry', at: daysAgo(1), reference: 'FC-E-4', fine_amount: 10 }));
  assert.deepEqual([entry.status, entry.json.error?.code, entry.json.error?.field], [422, 'no_fine', 'fine_amount'], JSON.stringify(entry.json));
  assert.equal(srv.sql(`SELECT count(*) FROM movements WHERE reasons LIKE '%FC-X-3%' OR reasons LIKE '%FC-E-4%'`).stdout.trim(), '0');
  // and within the stay, no fine at all
  const ok = await sup.post('/api/v1/movements/contingency', form('CF0000003', 'Ciro', { direction: 'exit', at: soon(), reference: 'FC-X-3' }));
  assert.equal(ok.status, 201, JSON.stringify(ok.json));
  assert.equal(ok.json.fine, null);
  assert.deepEqual(await finesOf(w.json.person_id), []);
});

test('an exit recorded at the wrong post, voided and entered again from the form: the fine is owed once, not lost', async () => {
  const o = await overstayer('CF0000005', 'Cosme');
  const ins = await ofi.post('/api/v1/inspections', { port: 'AMA', direction: 'exit', transport: 'Bus 1', document: passport(o.number), person: person(o.given) });
  assert.equal(ins.json.decision, 'secondary', JSON.stringify(ins.json));
  const r = await sup.post(`/api/v1/inspections/${ins.json.inspection_id}/resolve`, { resolution: 'admit', fine_amount: 150 });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.fine.status, 'pending');
  // it was not at El Amatillo: voided, its fine cancelled
  const v = await sup2.post(`/api/v1/movements/${r.json.movement_id}/corrections`, { reason: 'Registrada en la delegación equivocada' });
  assert.equal(v.status, 201, JSON.stringify(v.json));
  // the crossing at La Hachadura, from its paper form
  const x = await sup.post('/api/v1/movements/contingency', form(o.number, o.given, { direction: 'exit', port: 'HAC', at: soon(), reference: 'FC-HAC-5' }));
  assert.equal(x.status, 201, JSON.stringify(x.json));
  assert.equal(x.json.fine?.status, 'pending', JSON.stringify(x.json));
  assert.deepEqual((await finesOf(o.pid)).map((f) => [f.status, f.movement_id]), [['pending', x.json.movement_id], ['cancelled', r.json.movement_id]]);
  // voiding the paper exit too cancels its fine, naming the correction
  const v2 = await sup2.post(`/api/v1/movements/${x.json.movement_id}/corrections`, { reason: 'Formulario de otra persona' });
  assert.equal(v2.status, 201, JSON.stringify(v2.json));
  const [f] = await finesOf(o.pid);
  assert.equal(f.status, 'cancelled');
  assert.match(f.status_note, new RegExp(`movimiento n\\.º ${x.json.movement_id}\\b.*corrección n\\.º ${v2.json.id}\\b`));
  assert.ok(auditOf(f.id).includes('traveler_fine.exit_voided'));
});

test('what was paid for an exit voided since is credited to the paper exit, as to a booth\'s', async () => {
  const o = await overstayer('CF0000006', 'Celia');
  const ins = await ofi.post('/api/v1/inspections', { port: 'AMA', direction: 'exit', transport: 'Bus 1', document: passport(o.number), person: person(o.given) });
  const r = await sup.post(`/api/v1/inspections/${ins.json.inspection_id}/resolve`, { resolution: 'admit', fine_amount: 150, fine_receipt: 'R-P' });
  assert.equal(r.json.fine?.status, 'paid', JSON.stringify(r.json));
  assert.equal((await sup2.post(`/api/v1/movements/${r.json.movement_id}/corrections`, { reason: 'No salió por aquí' })).status, 201);
  assert.equal((await finesOf(o.pid))[0].status, 'refund_review');
  // a second receipt for the same stay is refused
  const twice = await sup.post('/api/v1/movements/contingency', form(o.number, o.given, { direction: 'exit', port: 'HAC', at: soon(), reference: 'FC-HAC-6', fine_receipt: 'R-Q', fine_amount: 150 }));
  assert.deepEqual([twice.status, twice.json.error?.code], [409, 'fine_already_recorded'], JSON.stringify(twice.json));
  const x = await sup.post('/api/v1/movements/contingency', form(o.number, o.given, { direction: 'exit', port: 'HAC', at: soon(), reference: 'FC-HAC-6' }));
  assert.equal(x.status, 201, JSON.stringify(x.json));
  assert.deepEqual([x.json.fine.id, x.json.fine.status, x.json.fine.credited_fine], [r.json.fine.id, 'paid', r.json.fine.id]);
  const all = await finesOf(o.pid);
  assert.deepEqual(all.map((f) => [f.id, f.status, f.movement_id, f.inspection_id]), [[r.json.fine.id, 'paid', x.json.movement_id, null]]);
  assert.match(all[0].status_note, new RegExp(`acreditada a la salida registrada por contingencia \\(movimiento n\\.º ${x.json.movement_id}\\)`));
  // voided again: held again
  assert.equal((await sup2.post(`/api/v1/movements/${x.json.movement_id}/corrections`, { reason: 'Tampoco' })).status, 201);
  assert.equal((await finesOf(o.pid))[0].status, 'refund_review');
});

// SQLite picks an index by the terms it is given: the fines of one exit,
// and a carrier's fines of one case (every entry a supervisor lets in
// reads them, border_api.c), are read by the person's fines and by the
// case, not by walking every fine in the register.
test('the fines of an exit and a carrier\'s fines of a case are read by their keys', { skip: ENGINE === 'pg' && 'SQLite query plans' }, () => {
  const plan = (q) => srv.sql(`EXPLAIN QUERY PLAN ${q}`).stdout;
  assert.match(plan('SELECT id, status FROM carrier_fines WHERE inspection_id = 1 AND (cause = \'inadmissible_passenger\' OR cause IS NULL) AND status IN (\'proposed\', \'pending\', \'notified\')'), /carrier_fines_inspection/);
  const exit = plan(`SELECT f.id FROM traveler_fines f LEFT JOIN inspections i ON i.id = f.inspection_id
    WHERE f.person_id IN (1, 2) AND (i.movement_id = 5 OR f.movement_id = 5) AND (f.status || '') IN ('pending', 'paid')`);
  assert.match(exit, /traveler_fines_person/);
  assert.doesNotMatch(exit, /traveler_fines_status|SCAN f\b/);
});
