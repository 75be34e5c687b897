// Idempotency-Key: a retried POST returns the first answer, not a second effect.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD } from '../lib/server.mjs';

let srv, admin, UNIT;
before(async () => {
  srv = await startServer();
  admin = new Client(srv.url);
  assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
  UNIT = (await admin.get('/api/v1/org/units')).json[0].code;
});
after(async () => { await srv.stop(); });

const body = (u) => ({ username: u, display_name: 'Prueba', unit: UNIT, roles: ['uaip'], password: 'Una-Clave-Larga-1' });

test('a retried POST with the same key is replayed, not repeated', async () => {
  const h = { 'idempotency-key': 'k-1' };
  const a = await admin.post('/api/v1/users', body('idem1'), h);
  assert.equal(a.status, 201);
  const b = await admin.post('/api/v1/users', body('idem1'), h);
  assert.equal(b.status, 201, 'the replay answers like the first time, not 409');
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(b.json, a.json);
  const c = await admin.post('/api/v1/users', body('idem1'));
  assert.equal(c.status, 409, 'without the key the duplicate is a conflict');
});

test('reusing a key for another request is refused', async () => {
  const h = { 'idempotency-key': 'k-2' };
  assert.equal((await admin.post('/api/v1/users', body('idem2'), h)).status, 201);
  const r = await admin.post('/api/v1/users/idem2/disable', {}, h);
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'idempotency_key_reused');
  assert.equal(r.json.error.field, 'Idempotency-Key');
});

test('an over-long key is a 400 naming the header', async () => {
  const r = await admin.post('/api/v1/users', body('idem3'), { 'idempotency-key': 'x'.repeat(200) });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'Idempotency-Key');
});

test('the same request sent eight times at once has one effect; the key with another body is refused', async () => {
  const pw = 'Una-Clave-Larga-1';
  assert.equal((await admin.post('/api/v1/users', { username: 'idem_sup', display_name: 'Sup', unit: 'DCM', roles: ['supervisor_control'], password: pw })).status, 201);
  const sup = new Client(srv.url);
  assert.equal((await sup.login('idem_sup', pw)).status, 200);
  const alert = { category: 'other', subject: { given_names: 'Ida', surnames: 'Carrera Doble', birth_date: '1990-01-01' }, instructions: 'Verificar' };
  const h = { 'idempotency-key': 'k-race' };
  const all = await Promise.all(Array.from({ length: 8 }, () => sup.post('/api/v1/alerts', alert, h)));
  const fresh = all.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') !== 'true');
  assert.equal(fresh.length, 1, all.map((r) => `${r.status} ${r.headers.get('idempotent-replayed')} ${JSON.stringify(r.json)}`).join('\n'));
  for (const r of all) {
    if (r === fresh[0]) continue;
    // still running: told to retry; finished: the first answer again
    if (r.status === 409) assert.equal(r.json.error.code, 'idempotency_in_progress', JSON.stringify(r.json));
    else assert.deepEqual([r.status, r.json.id], [201, fresh[0].json.id]);
  }
  const again = await sup.post('/api/v1/alerts', alert, h);
  assert.deepEqual([again.status, again.json.id, again.headers.get('idempotent-replayed')], [201, fresh[0].json.id, 'true']);
  const n = srv.sql("SELECT COUNT(*) FROM alerts WHERE surnames = 'Carrera Doble'");
  assert.equal(n.stdout.trim(), '1', 'one alert, not eight');
  // the same key with another body: refused, not answered with the first
  const other = await sup.post('/api/v1/alerts', { ...alert, instructions: 'Detener' }, h);
  assert.deepEqual([other.status, other.json.error.code], [422, 'idempotency_key_reused'], JSON.stringify(other.json));
  // nor with another query string (?dry_run=1 is another request)
  const q = await sup.post('/api/v1/alerts?x=1', alert, h);
  assert.deepEqual([q.status, q.json.error && q.json.error.code], [422, 'idempotency_key_reused'], JSON.stringify(q.json));
});

test('a request that failed (4xx) keeps its answer for its key; a server failure does not', async () => {
  const h = { 'idempotency-key': 'k-bad' };
  const a = await admin.post('/api/v1/users', { username: 'x' }, h);
  assert.equal(a.status, 400);
  const b = await admin.post('/api/v1/users', { username: 'x' }, h);
  assert.deepEqual([b.status, b.headers.get('idempotent-replayed')], [400, 'true']);
});
