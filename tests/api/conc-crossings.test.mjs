// A crossing is recorded once at a post: the same traveler inspected the
// same way at the same post within 5 minutes of a crossing recorded there
// is a repeat (409 already_recorded), also when another post recorded a
// crossing of the person in between (the same passport at two posts at
// once).  The booth looked only at where the person is now, so the other
// post's entry hid the first one: entry at SAL, entry at ILO, entry at SAL
// again wrote two entries at SAL a moment apart.  The way back is another
// crossing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser, ENGINE } from '../lib/server.mjs';

let srv, ofi, ofi2;
const PW = 'Carrera-Paralela-2026';
before(async () => {
  srv = await startServer();
  ofi = await staffUser(srv.url, 'cx_ofi', 'oficial_control', PW);
  ofi2 = await staffUser(srv.url, 'cx_ofi2', 'oficial_control', PW);
});
after(async () => { await srv.stop(); });

let seq = 0;
const traveler = () => {
  const n = ++seq;
  return {
    port: 'SAL', direction: 'entry', transport: 'TA 390',
    document: { kind: 'passport', code: 'P', number: `CX${String(n).padStart(7, '0')}`, issuing_state: 'USA', nationality: 'USA', expiry_date: '2031-05-01' },
    person: { given_names: 'Mary', surnames: `Twice${n}`, birth_date: '1977-07-07', sex: 'F', nationality: 'USA' },
  };
};
const perPort = (pid) => Object.fromEntries(srv.sql(`SELECT port || '/' || direction, count(*) FROM movements WHERE person_id = ${pid} GROUP BY port, direction`)
  .stdout.trim().split('\n').filter(Boolean).map((l) => l.split('|')).map(([k, v]) => [k, Number(v)]));

test('an entry at another post in between does not hide the crossing recorded here a moment ago', async () => {
  const t = traveler();
  const first = await ofi.post('/api/v1/inspections', t);
  assert.equal(first.json.decision, 'admit', JSON.stringify(first.json));
  const other = await ofi.post('/api/v1/inspections', { ...t, port: 'ILO' });
  assert.equal(other.json.decision, 'admit', JSON.stringify(other.json));
  assert.ok(other.json.reasons.some((r) => r.code === 'entry_without_exit'));
  const again = await ofi2.post('/api/v1/inspections', t);
  assert.deepEqual([again.status, again.json.error && again.json.error.code, again.json.error && again.json.error.field],
    [409, 'already_recorded', 'document.number'], JSON.stringify(again.json));
  assert.match(again.json.error.message, new RegExp(`movimiento n\\.º ${first.json.movement_id}\\)`));
  assert.deepEqual(perPort(first.json.person_id), { 'SAL/entry': 1, 'ILO/entry': 1 });
});

test('the way back is another crossing: entry, exit and entry again at the same post are recorded', async () => {
  const t = traveler();
  assert.equal((await ofi.post('/api/v1/inspections', t)).json.decision, 'admit');
  const out = await ofi.post('/api/v1/inspections', { ...t, direction: 'exit' });
  assert.equal(out.json.decision, 'admit', JSON.stringify(out.json));
  const back = await ofi.post('/api/v1/inspections', t);
  assert.equal(back.status, 201, JSON.stringify(back.json));
  assert.equal(back.json.decision, 'admit', JSON.stringify(back.json));
  assert.deepEqual(perPort(back.json.person_id), { 'SAL/entry': 2, 'SAL/exit': 1 });
  // a crossing voided does not make the next one a repeat
  const t2 = traveler();
  const a = await ofi.post('/api/v1/inspections', t2);
  await ofi.post('/api/v1/inspections', { ...t2, port: 'ILO' });
  const sup = await staffUser(srv.url, 'cx_sup', 'supervisor_control', PW);
  const v = await sup.post(`/api/v1/movements/${a.json.movement_id}/corrections`, { reason: 'Registrado por error' });
  assert.equal(v.status, 201, JSON.stringify(v.json));
  const b = await ofi.post('/api/v1/inspections', t2);
  assert.equal(b.status, 201, JSON.stringify(b.json));
});

test('the same passport swiped at two posts at once, several times at each: one entry a post', async () => {
  const pids = [];
  for (let i = 0; i < 20; i++) {
    const t = traveler();
    const posts = ['SAL', 'ILO', 'SAL', 'ILO', 'SAL', 'SAL'];
    const rs = await Promise.all(posts.map((port, k) => new Promise((r) => setTimeout(r, k % 3))
      .then(() => (k % 2 ? ofi : ofi2).post('/api/v1/inspections', { ...t, port }))));
    for (const r of rs) assert.ok([201, 409].includes(r.status), JSON.stringify(r.json));
    pids.push(rs.find((r) => r.status === 201).json.person_id);
  }
  // counted in one query (a psql each on PostgreSQL)
  const per = srv.sql(`SELECT person_id, port, count(*) FROM movements WHERE direction = 'entry' AND person_id IN (${pids.join(', ')})
    GROUP BY person_id, port`).stdout.trim().split('\n').filter(Boolean).map((l) => l.split('|'));
  assert.deepEqual([...new Set(per.map(([pid]) => Number(pid)))].sort((a, b) => a - b), [...pids].sort((a, b) => a - b), 'each traveler entered');
  for (const [pid, port, n] of per) assert.ok(Number(n) <= 1, `person ${pid}: ${n} entries at ${port}`);
  const v = srv.cli('audit', 'verify');
  assert.equal(v.status, 0, v.stdout + v.stderr);
});

// The post's recent crossings of the person are read by the person: with
// the post as a plain term SQLite took movements_port_day for the linked
// records' form and walked every movement of the post (seconds per
// inspection on the benchmark's ten million).  The query as
// inspections_api.c writes it (same_crossing).
test('a crossing repeated at this post is read by the person, not by the post', { skip: ENGINE === 'pg' && 'SQLite query plans' }, () => {
  const linked = "m.person_id IN (WITH RECURSIVE linked(id) AS (SELECT CAST(5 AS BIGINT) UNION SELECT k.linked_person_id FROM person_links k JOIN linked l ON k.person_id = l.id) SELECT id FROM linked)";
  for (const who of [linked, 'm.person_id = 5']) {
    const plan = srv.sql(`EXPLAIN QUERY PLAN SELECT m.id, m.at FROM movements m WHERE ${who} AND m.direction = 'entry'
      AND (m.port || '') = 'SAL' AND m.at >= '2026-01-01' AND m.corrects_movement_id IS NULL
      AND NOT EXISTS (SELECT 1 FROM movements c WHERE c.corrects_movement_id = m.id) ORDER BY m.at DESC, m.id DESC LIMIT 1`).stdout;
    assert.match(plan, /SEARCH m USING INDEX movements_person/, plan);
    assert.doesNotMatch(plan, /movements_port_day/, plan);
  }
});
