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
