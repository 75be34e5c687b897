// Monthly movement statistics (issue 8): read from the rollup kept with
// every movement, identical on both engines; a voided movement is not
// counted (as the day's movements leave it out), in the month it was.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';

let srv, ofi, sup;
const PW = 'Turno-Seguro-2026';
const userWith = (name, role) => staffUser(srv.url, name, role, PW);
before(async () => { srv = await startServer(); ofi = await userWith('s_ofi', 'oficial_control'); sup = await userWith('s_sup', 'supervisor_control'); });
after(async () => { await srv.stop(); });

test('monthly statistics come from the rollup and match the ledger', async () => {
  const month = new Date().toISOString().slice(0, 7);
  const before0 = await sup.get(`/api/v1/statistics/movements?month=${month}`);
  assert.equal(before0.status, 200, JSON.stringify(before0.json));
  assert.equal(before0.json.total, 0);
  const ids = [];
  for (let i = 0; i < 3; i++) {
    const r = await ofi.post('/api/v1/inspections', {
      port: 'SAL', direction: 'entry', transport: 'TA 390',
      document: { kind: 'passport', code: 'P', number: `ST${i}00001`, issuing_state: 'USA', nationality: 'USA', expiry_date: '2031-05-01' },
      person: { given_names: 'Ann', surnames: `Stat${i}`, birth_date: '1975-03-02', sex: 'F', nationality: 'USA' },
    });
    assert.equal(r.json.decision, 'admit', JSON.stringify(r.json));
    ids.push(r.json.movement_id);
  }
  const corr = await sup.post(`/api/v1/movements/${ids[0]}/corrections`, { reason: 'Registro duplicado', approved_by: 's_sup' });
  assert.equal(corr.status, 201, JSON.stringify(corr.json));
  const s = await sup.get(`/api/v1/statistics/movements?month=${month}`);
  assert.equal(s.status, 200);
  // movements are dated by the server's clock: this month, or at the turn of a month the next
  const admits = s.json.items.find((x) => x.port === 'SAL' && x.direction === 'entry' && x.decision === 'admit');
  assert.equal(admits.count, 2);
  assert.ok(!s.json.items.some((x) => x.decision === 'void'), JSON.stringify(s.json));
  assert.equal(s.json.total, 2);
  // as the day's list counts them
  const day = await sup.get(`/api/v1/movements?day=${new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10)}`);
  assert.equal(day.json.totals.entry, 2);
  // the rollup agrees with a count over the ledger itself, voided movements left out
  const q = srv.sql(`SELECT COUNT(*) FROM movements m WHERE day LIKE '${month}-%' AND corrects_movement_id IS NULL AND NOT EXISTS (SELECT 1 FROM movements c WHERE c.corrects_movement_id = m.id)`);
  assert.equal(q.stdout.trim(), '2');
  // the same month as a sheet for Planificación: a row per post, direction
  // and decision, with the post's name
  const csv = await sup.get(`/api/v1/statistics/movements?month=${month}&format=csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.headers.get('content-disposition'), new RegExp(`movimientos-${month}\\.csv`));
  const lines = csv.text.trim().split('\r\n');
  assert.equal(lines[0], 'month,port,port_name,direction,decision,count');
  assert.deepEqual(lines.slice(1), s.json.items.map((x) => `${month},${x.port},${x.port === 'SAL' ? 'Aeropuerto Internacional de El Salvador San Óscar Arnulfo Romero y Galdámez (Comalapa)' : x.port},${x.direction},${x.decision},${x.count}`));
  assert.equal((await sup.get(`/api/v1/statistics/movements?month=${month}&format=xls`)).json.error.field, 'format');
  assert.equal((await sup.get('/api/v1/statistics/movements?month=2026-13')).status, 400);
  assert.equal((await sup.get('/api/v1/statistics/movements')).status, 400);
});
