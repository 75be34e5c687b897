// `sigm user add` and a name already taken.  The CLI hashes at argon2id's
// full cost (some 0.3 s; it never takes SIGM_TEST_FAST_PASSWORDS), so the
// name is checked before the password: a taken name is refused without
// spending the hash.  The proof is the order of the refusals, not a clock:
// a password is hashed only after the policy accepts it, so a taken name
// refused as taken even with a password the policy refuses was refused
// before any hash.  Two adds of one new name at once both pass that check;
// the insert's unique key refuses the second, with the same message.
//
// On both engines (the server gives the database and, on PostgreSQL, the
// audit key the CLI needs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { startServer, Client, ADMIN_PASSWORD, BIN } from '../lib/server.mjs';

const PW = 'Clave-Larga-2026';
let srv, admin;

const add = (name, input) => spawnSync(BIN, ['user', 'add', name, '--unit', 'DEP', '--role', 'pasaportes',
  ...(input === undefined ? [] : ['--password-stdin'])], { env: srv.env, encoding: 'utf8', input });

// the same, not waiting: resolves to { status, signal, stdout, stderr }
function addAsync(name, input) {
  return new Promise((resolve) => {
    const c = spawn(BIN, ['user', 'add', name, '--unit', 'DEP', '--role', 'pasaportes', '--password-stdin'], { env: srv.env });
    let stdout = '', stderr = '';
    c.stdout.on('data', (d) => { stdout += d; });
    c.stderr.on('data', (d) => { stderr += d; });
    c.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
    c.stdin.end(input);
  });
}

before(async () => {
  srv = await startServer();
  admin = new Client(srv.url);
  assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
});
after(async () => { await srv.stop(); });

test('a taken name is refused as taken (exit 1, naming it) before the password is judged or hashed', async () => {
  let r = add('rosa.mejia', PW + '\n');
  assert.equal(r.status, 0, r.stderr);
  for (const pw of ['corta', 'rosa.mejia-2026', PW]) { // too short, contains the name, a good one
    r = add('rosa.mejia', pw + '\n');
    assert.equal(r.status, 1, `${pw}: ${r.stderr}`);
    assert.equal(r.stderr, 'sigm user: ya existe un usuario «rosa.mejia»\n', pw);
    assert.equal(r.stdout, '');
  }
  // a generated password is not printed for an account that was not made
  r = add('rosa.mejia');
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /ya existe un usuario «rosa\.mejia»/);
  assert.doesNotMatch(r.stdout, /contraseña/);
  // a free name still gets the policy's refusal, as unusable input
  r = add('rosa.mejia2', 'corta\n');
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /10 caracteres/);
  // the first password still signs in: nothing above replaced it
  assert.equal((await new Client(srv.url).login('rosa.mejia', PW)).status, 200);
});

test('three adds of one new name at once: one makes it, the others are refused by the unique key (exit 1, the same message), no crash', async () => {
  const rs = await Promise.all([1, 2, 3].map(() => addAsync('tomas.rivas', PW + '\n')));
  assert.deepEqual(rs.map((r) => r.signal), [null, null, null]);
  assert.deepEqual(rs.map((r) => r.status).sort(), [0, 1, 1], rs.map((r) => r.stderr).join(''));
  for (const r of rs.filter((x) => x.status === 1))
    assert.equal(r.stderr, 'sigm user: ya existe un usuario «tomas.rivas»\n');
  assert.equal((await new Client(srv.url).login('tomas.rivas', PW)).status, 200);
  // one account, one audit entry: a refused insert left nothing behind
  const trail = (await admin.get('/api/v1/audit?record_type=user&record_id=tomas.rivas')).json.items;
  assert.equal(trail.filter((e) => e.action === 'user.create').length, 1, JSON.stringify(trail));
});

test('sigm user disable|enable of no such user names it (exit 1); a 16th --role is named as the fault (exit 2)', () => {
  for (const verb of ['disable', 'enable']) {
    const r = spawnSync(BIN, ['user', verb, 'nadie.aqui'], { env: srv.env, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, 'sigm user: no existe el usuario «nadie.aqui»\n', verb);
  }
  const roles = Array.from({ length: 16 }, () => ['--role', 'uaip']).flat();
  const r = spawnSync(BIN, ['user', 'add', 'muchos.roles', '--unit', 'DEP', ...roles], { env: srv.env, encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr, 'sigm user: a lo sumo 15 --role\n');
});

test('sigm user add refuses a name the API refuses (exit 2, naming it and the rule): such a user could not be managed from the screens', async () => {
  for (const name of ['Juan Pérez', 'JUAN', 'j', 'x'.repeat(33)]) {
    const r = add(name, PW + '\n');
    assert.equal(r.status, 2, `${name}: ${r.stderr}`);
    assert.equal(r.stderr, `sigm user: «${name}»: el usuario debe tener de 2 a 32 caracteres: minúsculas, dígitos, «.», «_» o «-»\n`);
  }
  const users = (await admin.get('/api/v1/users?limit=200')).json.items.map((u) => u.username);
  assert.ok(!users.some((u) => /juan|^j$|^x+$/i.test(u)), users.join(' '));
  // the rule's edges are accepted
  for (const name of ['jp', 'j.p-2_x', 'y'.repeat(32)])
    assert.equal(add(name, PW + '\n').status, 0, name);
});
