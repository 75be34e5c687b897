// An officer asks for a movement recorded wrong to be voided; another
// supervisor approves it (the compensating entry) or rejects it: four eyes
// on every change of the ledger asked from the booth.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD, staffUser } from '../lib/server.mjs';

let srv, ofi, ofi2, sup, sup2;
const PW = 'Cuatro-Ojos-2026';
const userWith = (name, role) => staffUser(srv.url, name, role, PW);
before(async () => {
  srv = await startServer();
  ofi = await userWith('k_ofi', 'oficial_control');
  ofi2 = await userWith('k_ofi2', 'oficial_control');
  sup = await userWith('k_sup', 'supervisor_control');
  sup2 = await userWith('k_sup2', 'supervisor_control');
});
after(async () => { await srv.stop(); });

const admitted = async (n) => {
  const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 390',
    document: { kind: 'passport', code: 'P', number: `KO${n}00001`, issuing_state: 'USA', nationality: 'USA', expiry_date: '2031-05-01' },
    person: { given_names: 'Kim', surnames: `Ojos${n}`, birth_date: '1979-03-02', sex: 'F', nationality: 'USA' } });
  assert.equal(r.json.decision, 'admit', JSON.stringify(r.json));
  return r.json;
};
const day = () => new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10);

test('an officer asks, another supervisor voids: the compensating entry names who approved it, the request says who asked', async () => {
  const m = await admitted(1);
  const q = await ofi.post(`/api/v1/movements/${m.movement_id}/correction-requests`, { reason: 'Registrado en la delegación equivocada' });
  assert.equal(q.status, 201, JSON.stringify(q.json));
  assert.equal(q.json.status, 'pending');
  // one request a movement at a time
  const again = await ofi2.post(`/api/v1/movements/${m.movement_id}/correction-requests`, { reason: 'Otra vez' });
  assert.deepEqual([again.status, again.json.error.code], [409, 'request_pending']);
  // the day's list says a request waits
  const list = await ofi.get(`/api/v1/movements?day=${day()}&port=SAL`);
  assert.equal(list.json.items.find((x) => x.id === m.movement_id).correction_requested, q.json.id);
  // the supervisors' list
  const pend = await sup.get('/api/v1/correction-requests?status=pending');
  const it = pend.json.items.find((x) => x.id === q.json.id);
  assert.ok(it, JSON.stringify(pend.json));
  assert.deepEqual([it.movement_id, it.reason, it.requested_by, it.surnames, it.port], [m.movement_id, 'Registrado en la delegación equivocada', 'k_ofi', 'Ojos1', 'SAL']);
  // officers neither list nor decide
  assert.equal((await ofi.get('/api/v1/correction-requests')).status, 403);
  assert.equal((await ofi2.post(`/api/v1/correction-requests/${q.json.id}/approve`, {})).status, 403);
  const ok = await sup.post(`/api/v1/correction-requests/${q.json.id}/approve`, { note: 'Verificado con el manifiesto' });
  assert.equal(ok.status, 200, JSON.stringify(ok.json));
  assert.equal(ok.json.status, 'approved');
  // the ledger: the compensating entry, approved by the supervisor who decided
  const t = await sup.get(`/api/v1/persons/${m.person_id}/timeline`);
  const comp = t.json.events.filter((e) => e.type === 'movement').map((e) => e.movement).find((x) => x.id === ok.json.correction_movement_id);
  assert.deepEqual([comp.corrects_movement_id, comp.correction_reason, comp.approved_by], [m.movement_id, 'Registrado en la delegación equivocada', 'k_sup']);
  // and by name, as the staff know each other, in the history and the day's
  // movements (staffUser gives each user its role as display name)
  assert.equal(comp.approved_by_name, 'supervisor_control');
  const mday = (await sup.get(`/api/v1/movements?port=SAL&day=${new Date(Date.parse(comp.at) - 6 * 3600e3).toISOString().slice(0, 10)}`)).json;
  assert.equal(mday.items.find((x) => x.id === comp.id)?.approved_by_name, 'supervisor_control', JSON.stringify(mday).slice(0, 300));
  assert.ok(!t.json.stay || t.json.stay.inside === false, 'the entry voided: not inside');
  const done = (await sup.get('/api/v1/correction-requests?status=approved')).json.items.find((x) => x.id === q.json.id);
  assert.deepEqual([done.decided_by, done.decision_note, done.correction_movement_id], ['k_sup', 'Verificado con el manifiesto', ok.json.correction_movement_id]);
  // decided once
  assert.deepEqual([(await sup2.post(`/api/v1/correction-requests/${q.json.id}/reject`, { note: 'x' })).json.error.code], ['request_decided']);
  // a voided movement takes no request
  assert.equal((await ofi.post(`/api/v1/movements/${m.movement_id}/correction-requests`, { reason: 'x' })).json.error.code, 'already_corrected');
  // the trail says who asked (on the person) and who approved (on the movement)
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const asked = (await admin.get(`/api/v1/audit?record_type=person&record_id=${m.person_id}`)).json;
  assert.ok((asked.items || asked).some((e) => e.action === 'movement.correction_request' && e.user === 'k_ofi'), JSON.stringify(asked).slice(0, 400));
  const voided = (await admin.get(`/api/v1/audit?record_type=movement&record_id=${m.movement_id}`)).json;
  assert.ok((voided.items || voided).some((e) => e.action === 'movement.correct' && e.user === 'k_sup' && e.detail.request === q.json.id), JSON.stringify(voided).slice(0, 400));
});

test('four eyes: who asked does not decide; a rejection says why and leaves the movement standing', async () => {
  const m = await admitted(2);
  const q = await sup.post(`/api/v1/movements/${m.movement_id}/correction-requests`, { reason: 'Sentido equivocado' });
  assert.equal(q.status, 201, JSON.stringify(q.json));
  const self = await sup.post(`/api/v1/correction-requests/${q.json.id}/approve`, {});
  assert.deepEqual([self.status, self.json.error.code], [409, 'four_eyes']);
  const bare = await sup2.post(`/api/v1/correction-requests/${q.json.id}/reject`, {});
  assert.deepEqual([bare.status, bare.json.error.field], [400, 'note']);
  const no = await sup2.post(`/api/v1/correction-requests/${q.json.id}/reject`, { note: 'El registro es correcto: salió por SAL' });
  assert.equal(no.status, 200, JSON.stringify(no.json));
  assert.equal(no.json.status, 'rejected');
  const list = await ofi.get(`/api/v1/movements?day=${day()}&port=SAL`);
  const row = list.json.items.find((x) => x.id === m.movement_id);
  assert.deepEqual([row.voided_by, row.correction_requested], [null, null]);
  const rej = (await sup.get('/api/v1/correction-requests?status=rejected')).json.items.find((x) => x.id === q.json.id);
  assert.deepEqual([rej.decided_by, rej.decision_note], ['k_sup2', 'El registro es correcto: salió por SAL']);
  // asked again, voided directly by a supervisor: the request is answered by it
  const q2 = await ofi.post(`/api/v1/movements/${m.movement_id}/correction-requests`, { reason: 'Sentido equivocado, confirmado' });
  assert.equal(q2.status, 201);
  const v = await sup2.post(`/api/v1/movements/${m.movement_id}/corrections`, { reason: 'Sentido equivocado, confirmado' });
  assert.equal(v.status, 201, JSON.stringify(v.json));
  const ans = (await sup.get('/api/v1/correction-requests?status=approved')).json.items.find((x) => x.id === q2.json.id);
  assert.deepEqual([ans.decided_by, ans.correction_movement_id], ['k_sup2', v.json.id]);
  // and the voiding's audit entry names the request it answered
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const trail = (await admin.get(`/api/v1/audit?record_type=movement&record_id=${m.movement_id}`)).json.items;
  assert.ok(trail.some((e) => e.action === 'movement.correct' && e.detail.request === q2.json.id), JSON.stringify(trail));
  // a supervisor who asked does not void it directly either (it answered
  // their own request)
  const m3 = await admitted(4);
  const q3 = await sup.post(`/api/v1/movements/${m3.movement_id}/correction-requests`, { reason: 'Duplicado' });
  assert.equal(q3.status, 201);
  const own = await sup.post(`/api/v1/movements/${m3.movement_id}/corrections`, { reason: 'Duplicado' });
  assert.deepEqual([own.status, own.json.error.code], [409, 'four_eyes'], JSON.stringify(own.json));
  const other = await sup2.post(`/api/v1/movements/${m3.movement_id}/corrections`, { reason: 'Duplicado' });
  assert.equal(other.status, 201, JSON.stringify(other.json));
});

test('bad requests are said: an unknown movement or request, no reason, an unknown status', async () => {
  assert.deepEqual([(await ofi.post('/api/v1/movements/999999/correction-requests', { reason: 'x' })).status], [404]);
  const m = await admitted(3);
  const nr = await ofi.post(`/api/v1/movements/${m.movement_id}/correction-requests`, { reason: '\u00a0' });
  assert.deepEqual([nr.status, nr.json.error.field], [400, 'reason']);
  assert.equal((await ofi.post(`/api/v1/movements/${m.movement_id}/correction-requests`, { reason: 'x', extra: 1 })).json.error.field, 'extra');
  assert.equal((await sup.post('/api/v1/correction-requests/999999/approve', {})).status, 404);
  assert.equal((await sup.get('/api/v1/correction-requests?status=bogus')).json.error.field, 'status');
  assert.equal((await sup.get('/api/v1/correction-requests?limit=0')).json.error.field, 'limit');
});

test('the lists name the staff as the supervisors know them (display name), beside the username', async () => {
  const m = await admitted(90);
  const rq = await ofi.post(`/api/v1/movements/${m.movement_id}/correction-requests`, { reason: 'Registrado en la delegación equivocada' });
  assert.equal(rq.status, 201, JSON.stringify(rq.json));
  const q = (await sup.get('/api/v1/correction-requests')).json.items.find((x) => x.id === rq.json.id);
  // staffUser gives each user its role as display name
  assert.deepEqual([q.officer, q.officer_name, q.requested_by, q.requested_by_name], ['k_ofi', 'oficial_control', 'k_ofi', 'oficial_control']);
  const mv = (await sup.get(`/api/v1/movements?day=${day()}`)).json.items.find((x) => x.id === m.movement_id);
  assert.deepEqual([mv.officer, mv.officer_name], ['k_ofi', 'oficial_control']);
});
