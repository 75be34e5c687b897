// SIGM_TEST_FAST_PASSWORDS=1: the test suites' servers hash passwords at
// argon2id's minimum cost (tests/lib/server.mjs sets it).  It must never
// reach a server others can reach, and a hash made so must not stay weak:
// the next login on a server without it makes it again at full cost.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, Client, ADMIN_PASSWORD, BIN } from '../lib/server.mjs';

const PW = 'Clave-Rapida-2026';
const servers = [];
after(async () => { for (const s of servers) await s.stop(); for (const s of servers) rmSync(s.dir, { recursive: true, force: true }); });

// the stored hash and when the password was last set, behind the server's back
function stored(srv, username) {
  const r = srv.sql(`SELECT password_hash, password_changed_at FROM users WHERE username = '${username}'`);
  const [hash, changed] = r.stdout.trim().split('|');
  return { hash, changed };
}

test('a server listening beyond loopback refuses to start with SIGM_TEST_FAST_PASSWORDS=1, naming it, before it opens the database', () => {
  const db = path.join(tmpdir(), `sigm-fast-passwords-${process.pid}.db`);
  for (const listen of ['0.0.0.0:0', '192.0.2.1:8080']) {
    const r = spawnSync(BIN, ['serve'], { encoding: 'utf8', timeout: 15000,
      env: { ...process.env, SIGM_DB: db, SIGM_LISTEN: listen, SIGM_TEST_FAST_PASSWORDS: '1', SIGM_ADMIN_PASSWORD: ADMIN_PASSWORD } });
    assert.equal(r.status, 2, `${listen}: ${r.stderr}`);
    assert.match(r.stderr, /SIGM_TEST_FAST_PASSWORDS/);
    assert.match(r.stderr, /solo para pruebas/);
  }
  assert.equal(existsSync(db), false, 'no database made');
});

test('a hash made at the test cost is made again at full cost at the next login on a server without it; the password stays, its date too', async () => {
  const a = await startServer({ keep: true }); // at the test cost, as every test server
  servers.push(a);
  assert.match(a.log, /SIGM_TEST_FAST_PASSWORDS/, 'the server says so on start');
  const admin = new Client(a.url);
  assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
  assert.equal((await admin.post('/api/v1/users', { username: 'rapido', display_name: 'Rápido', unit: 'DCM', roles: ['uaip'], password: PW })).status, 201);
  const weak = stored(a, 'rapido');
  assert.match(weak.hash, /^\$argon2id\$v=19\$m=8,t=1,p=1\$/, 'the test cost');
  await a.stop();

  const b = await startServer({ db: a.db, keep: true, env: { SIGM_AUDIT_KEY_FILE: a.env.SIGM_AUDIT_KEY_FILE || '', SIGM_TEST_FAST_PASSWORDS: '' } });
  servers.push(b);
  assert.doesNotMatch(b.log, /SIGM_TEST_FAST_PASSWORDS/);
  // a wrong password changes nothing
  assert.equal((await new Client(b.url).login('rapido', 'Otra-Clave-2026')).status, 401);
  assert.equal(stored(b, 'rapido').hash, weak.hash);
  const u = new Client(b.url);
  assert.equal((await u.login('rapido', PW)).status, 200);
  const strong = stored(b, 'rapido');
  assert.match(strong.hash, /^\$argon2id\$v=19\$m=65536,t=2,p=1\$/, 'interactive limits');
  assert.equal(strong.changed, weak.changed, 'not a password change');
  // the same password still signs in, and the hash is not made again
  assert.equal((await new Client(b.url).login('rapido', PW)).status, 200);
  assert.equal(stored(b, 'rapido').hash, strong.hash);
  const badmin = new Client(b.url);
  assert.equal((await badmin.login('admin', ADMIN_PASSWORD)).status, 200);
  const trail = (await badmin.get('/api/v1/audit?record_type=user&record_id=rapido')).json.items.map((e) => e.action);
  assert.equal(trail.filter((x) => x === 'user.password_rehash').length, 1, trail.join(', '));
});
