// A case a supervisor closed on a crossing recorded since (already_recorded:
// the traveler admitted at another post, or out on a paper form) stayed
// resolved when that crossing was voided: the person had no crossing on
// record and the case looked finished.  Voiding the movement now sends the
// case back to the secondary queue, says why on it, and names it in the
// voiding's answer (both ways of voiding: a supervisor's correction, an
// officer's request approved by another supervisor).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser, Client, ADMIN_PASSWORD } from '../lib/server.mjs';

const PW = 'Turno-Seguro-2026';
const DAY = 86400e3;
const daysAgo = (n) => new Date(Date.now() - n * DAY).toISOString().slice(0, 16) + 'Z';

let srv, ofi, sup, sup2;
before(async () => {
  srv = await startServer();
  ofi = await staffUser(srv.url, 'vr_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'vr_sup', 'supervisor_control', PW);
  sup2 = await staffUser(srv.url, 'vr_sup2', 'supervisor_control', PW);
  // the supervisors as the others know them (the reopen note names them so)
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  for (const [u, name] of [['vr_sup', 'Marta Quintanilla'], ['vr_sup2', 'Óscar Rivas']])
    assert.equal((await admin.patch(`/api/v1/users/${u}`, { display_name: name })).status, 200);
});
after(async () => { await srv.stop(); });

const passport = (number, state = 'BOL') => ({ kind: 'passport', code: 'P', number, issuing_state: state, nationality: state, expiry_date: '2031-05-01' });
const person = (given, surnames, nat = 'BOL') => ({ given_names: given, surnames, birth_date: '1970-02-02', sex: 'F', nationality: nat });
const pending = async (id) => (await sup.get('/api/v1/inspections?status=pending&limit=500')).json.items.find((x) => x.id === id);
const resolved = async (id) => (await sup.get('/api/v1/inspections?status=resolved&limit=500')).json.items.find((x) => x.id === id);
const audit = (type, id) => srv.sql(`SELECT action, detail FROM audit_log WHERE record_type = '${type}' AND record_id = '${id}' ORDER BY seq`)
  .stdout.trim().split('\n').filter(Boolean).map((l) => { const i = l.indexOf('|'); return { action: l.slice(0, i), detail: l.slice(i + 1) }; });

// A Bolivian without a visa waits in secondary at SAL (a case of two days
// ago: one of today would send her to secondary at Ilopango too), is let
// in at Ilopango with her visa, and the SAL supervisor closes the case on
// that entry: { c, entry, r }.
async function closedOnEntry(number, given) {
  const doc = passport(number), who = person(given, 'Cerrada');
  const c = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 1', document: doc, person: who });
  assert.equal(c.json.decision, 'secondary', JSON.stringify(c.json));
  const twoDaysAgo = new Date(Date.now() - 48 * 3600e3).toISOString();
  assert.equal(srv.sql(`UPDATE inspections SET at = '${twoDaysAgo}' WHERE id = ${c.json.inspection_id}`).status, 0);
  const e = await ofi.post('/api/v1/inspections', { port: 'ILO', direction: 'entry', transport: 'XY 1', document: doc, person: who,
    visa: { type: 'consular', valid_until: '2030-01-01', reference: `V-${number}` } });
  assert.deepEqual([e.json.decision, e.json.cases_closed], ['admit', 0], JSON.stringify(e.json));
  const r = await sup.post(`/api/v1/inspections/${c.json.inspection_id}/resolve`, { resolution: 'admit', notes: 'Ingresó por Ilopango con su visa' });
  assert.deepEqual([r.status, r.json.already_recorded, r.json.movement_id], [200, true, e.json.movement_id], JSON.stringify(r.json));
  return { c: c.json.inspection_id, pid: c.json.person_id, entry: e.json.movement_id };
}

test('voiding the entry a case closed on (already_recorded) sends the case back to the queue, named in the answer and the audit', async () => {
  const t = await closedOnEntry('VR0000001', 'Vera');
  const v = await sup2.post(`/api/v1/movements/${t.entry}/corrections`, { reason: 'La visa resultó falsa' });
  assert.equal(v.status, 201, JSON.stringify(v.json));
  assert.deepEqual(v.json.reopened_cases, [t.c], JSON.stringify(v.json));
  assert.equal(await resolved(t.c), undefined, 'no longer among the resolved');
  const back = await pending(t.c);
  assert.ok(back, 'back in the queue');
  assert.equal(back.movement_id, null, 'no longer pointing at the voided crossing');
  assert.equal(back.resolution, null);
  assert.match(back.resolution_notes, new RegExp(`^Reabierta: el cruce sobre el que Marta Quintanilla la admitió, ya registrado \\(movimiento n\\.º ${t.entry}\\), fue anulado por Óscar Rivas`));
  const re = audit('inspection', t.c).filter((a) => a.action === 'inspection.reopened');
  assert.equal(re.length, 1, JSON.stringify(audit('inspection', t.c)));
  assert.deepEqual(JSON.parse(re[0].detail), { voided_movement: t.entry, person_id: t.pid, was: 'admit', resolved_by: 'vr_sup' });
  const corr = audit('movement', t.entry).find((a) => a.action === 'movement.correct');
  assert.deepEqual(JSON.parse(corr.detail).reopened_cases, [t.c]);
  // the traveler is not inside on record: the case is decided again, and
  // a refusal is no longer refused as «crossing_recorded»
  const r = await sup.post(`/api/v1/inspections/${t.c}/resolve`, { resolution: 'refuse', legal_ground: 'Visa falsa', carrier: 'TA', return_transport: 'TA 2' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.ok(r.json.inadmission_id);
});

test('the reopened case keeps what had been decided, by whom and with what note, until it is decided again', async () => {
  const t = await closedOnEntry('VR0000011', 'Vanesa');
  const before = await resolved(t.c);
  assert.equal(before.previous_resolution, null, 'a case never reopened has none');
  const v = await sup2.post(`/api/v1/movements/${t.entry}/corrections`, { reason: 'La visa resultó falsa' });
  assert.deepEqual(v.json.reopened_cases, [t.c], JSON.stringify(v.json));
  const back = await pending(t.c);
  assert.deepEqual(back.previous_resolution, { resolution: 'admit', notes: 'Ingresó por Ilopango con su visa', resolved_by: 'vr_sup',
    resolved_by_name: 'Marta Quintanilla', resolved_at: before.resolved_at }, JSON.stringify(back));
  assert.equal(back.previous_notes, undefined, 'said once, in the object');
  // a case closed by a later admission at the booth (superseded) keeps it too
  const doc = passport('VR0000012'), who = person('Vicenta', 'Cerrada');
  const c = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 1', document: doc, person: who });
  assert.equal(c.json.decision, 'secondary', JSON.stringify(c.json));
  const e = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 1', document: doc, person: who,
    visa: { type: 'consular', valid_until: '2030-01-01', reference: 'V-VR12' } });
  assert.deepEqual([e.json.decision, e.json.cases_closed], ['admit', 1], JSON.stringify(e.json));
  const sup1 = await resolved(c.json.inspection_id);
  assert.equal(sup1.resolution, 'superseded');
  const v2 = await sup.post(`/api/v1/movements/${e.json.movement_id}/corrections`, { reason: 'Visa no válida' });
  assert.deepEqual(v2.json.reopened_cases, [c.json.inspection_id], JSON.stringify(v2.json));
  const back2 = await pending(c.json.inspection_id);
  assert.equal(back2.resolution_notes, `Reabierta: la admisión que la cerró (movimiento n.º ${e.json.movement_id}) fue anulada por Marta Quintanilla`);
  assert.deepEqual(back2.previous_resolution, { resolution: 'superseded', notes: sup1.resolution_notes, resolved_by: 'vr_ofi',
    resolved_by_name: 'oficial_control', resolved_at: sup1.resolved_at }, JSON.stringify(back2));
  // decided again, the earlier decision still says what came before
  const r = await sup.post(`/api/v1/inspections/${t.c}/resolve`, { resolution: 'refuse', legal_ground: 'Visa falsa', carrier: 'TA', return_transport: 'TA 2' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const now = await resolved(t.c);
  assert.deepEqual([now.resolution, now.previous_resolution?.resolution, now.previous_resolution?.resolved_by], ['refuse', 'admit', 'vr_sup'], JSON.stringify(now));
});

test('an officer\'s request to void it, approved by another supervisor, reopens the case the same way', async () => {
  const t = await closedOnEntry('VR0000002', 'Vilma');
  const q = await ofi.post(`/api/v1/movements/${t.entry}/correction-requests`, { reason: 'Ingreso registrado a otra persona' });
  assert.equal(q.status, 201, JSON.stringify(q.json));
  const a = await sup2.post(`/api/v1/correction-requests/${q.json.id}/approve`, {});
  assert.equal(a.status, 200, JSON.stringify(a.json));
  assert.deepEqual(a.json.reopened_cases, [t.c], JSON.stringify(a.json));
  assert.ok(await pending(t.c), 'back in the queue');
  // a rejected request voids nothing and reopens nothing
  const u = await closedOnEntry('VR0000003', 'Valeria');
  const q2 = await ofi.post(`/api/v1/movements/${u.entry}/correction-requests`, { reason: 'Duda' });
  const rj = await sup2.post(`/api/v1/correction-requests/${q2.json.id}/reject`, { note: 'El ingreso es correcto' });
  assert.equal(rj.status, 200, JSON.stringify(rj.json));
  assert.equal(rj.json.reopened_cases, undefined);
  assert.equal((await resolved(u.c))?.movement_id, u.entry);
});

test('an exit case closed on a paper exit, charging the overstay itself: voiding the exit cancels its fine and reopens it; admitted again, a new exit', async () => {
  const doc = passport('VR0000004', 'USA'), who = person('Violeta', 'Salida', 'USA');
  const ce = await sup.post('/api/v1/movements/contingency', { port: 'SAL', direction: 'entry', at: daysAgo(150), transport: 'TA 1', reference: 'FC-VR4', reason: 'Caída', document: doc, person: who });
  assert.equal(ce.status, 201, JSON.stringify(ce.json));
  const a = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'TA 2', document: doc, person: who });
  assert.equal(a.json.decision, 'secondary', JSON.stringify(a.json));
  const cx = await sup.post('/api/v1/movements/contingency', { port: 'HAC', direction: 'exit', at: new Date(Date.now() + 1000).toISOString().slice(0, 19) + 'Z',
    transport: 'Bus 9', reference: 'FC-HAC-VR4', reason: 'Caída', document: doc, person: who });
  assert.equal(cx.status, 201, JSON.stringify(cx.json));
  // (as a paper exit entered before such exits owed their fine: none on
  // it, so the case charges the overstay itself)
  assert.equal(srv.sql(`UPDATE traveler_fines SET status = 'cancelled' WHERE id = ${cx.json.fine.id}`).status, 0);
  const r = await sup.post(`/api/v1/inspections/${a.json.inspection_id}/resolve`, { resolution: 'admit', fine_amount: 150 });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.deepEqual([r.json.already_recorded, r.json.movement_id, r.json.fine?.status], [true, cx.json.movement_id, 'pending'], JSON.stringify(r.json));
  assert.notEqual(r.json.fine.id, cx.json.fine.id);
  const v = await sup2.post(`/api/v1/movements/${cx.json.movement_id}/corrections`, { reason: 'No salió: la persona sigue en el país' });
  assert.equal(v.status, 201, JSON.stringify(v.json));
  assert.deepEqual(v.json.reopened_cases, [a.json.inspection_id]);
  // the case's fine was found by the case before it left the exit
  const f = (await sup.get(`/api/v1/traveler-fines?person_id=${ce.json.person_id}`)).json.items.find((x) => x.id === r.json.fine.id);
  assert.equal(f.status, 'cancelled', JSON.stringify(f));
  assert.ok(await pending(a.json.inspection_id), 'back in the queue');
  // let out again: the exit is recorded now, with its fine
  const again = await sup.post(`/api/v1/inspections/${a.json.inspection_id}/resolve`, { resolution: 'admit', fine_amount: 150 });
  assert.equal(again.status, 200, JSON.stringify(again.json));
  assert.equal(again.json.already_recorded, false);
  assert.ok(again.json.movement_id && again.json.movement_id !== cx.json.movement_id, JSON.stringify(again.json));
  assert.equal(again.json.fine?.status, 'pending');
});

test('a case whose own resolution recorded the movement is what the voiding corrects: not reopened', async () => {
  const doc = passport('VR0000005'), who = person('Virginia', 'Propia');
  const c = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 1', document: doc, person: who });
  assert.equal(c.json.decision, 'secondary', JSON.stringify(c.json));
  const r = await sup.post(`/api/v1/inspections/${c.json.inspection_id}/resolve`, { resolution: 'admit', notes: 'Visa vista' });
  assert.deepEqual([r.status, r.json.already_recorded], [200, false], JSON.stringify(r.json));
  const v = await sup2.post(`/api/v1/movements/${r.json.movement_id}/corrections`, { reason: 'Registrado dos veces' });
  assert.equal(v.status, 201, JSON.stringify(v.json));
  assert.deepEqual(v.json.reopened_cases, []);
  assert.equal((await resolved(c.json.inspection_id))?.resolution, 'admit');
});
