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
