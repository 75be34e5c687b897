// Every route × every role (issue 2 §5): a route that answers without a
// permission check, or grants what a role lacks, fails this test.
//
// The routes come from /api/v1/openapi.json (generated from routes.c, each
// with its x-permission), so routes added later are walked automatically.
// The grants come from GET /api/v1/roles (generated from authz.c), and a
// small table below pins a few facts of the DGME's organization so that a
// mistaken grant in authz.c fails here too.
//
// Each role is exercised twice: signed in with a cookie (+ CSRF token) and
// with a bearer token from `sigm token create`.  Requests are harmless:
// path parameters name records that do not exist and bodies are empty
// objects, so a permitted call ends in 400/404/422, never in a change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, Client, ADMIN_PASSWORD, BIN } from '../lib/server.mjs';

const ROLES = ['oficial_control', 'supervisor_control', 'secretaria_general', 'pasaportes', 'extranjeria',
  'atencion_migrante', 'uaip', 'planificacion', 'admin_ti', 'direccion', 'transportista'];
const UNIT = {
  oficial_control: 'DCM', supervisor_control: 'DCM', secretaria_general: 'SG', pasaportes: 'DEP',
  extranjeria: 'DEX', atencion_migrante: 'DAM', uaip: 'UAIP', planificacion: 'UPDI', admin_ti: 'UIDT', direccion: 'DG',
  // carriers' machine accounts are attached to the unit that coordinates with them
  transportista: 'DCM',
};
const PW = 'Matriz-Roles-2026';

// Facts of the manual that authz.c must respect, independent of authz.c.
const MUST = [
  ['oficial_control', 'POST', '/api/v1/inspections', true],
  ['oficial_control', 'POST', '/api/v1/inspections/{id}/resolve', false],
  // undoing a «same person» link is for who decides a duplicate (a supervisor)
  ['supervisor_control', 'POST', '/api/v1/person-duplicates/{id}/unlink', true],
  ['oficial_control', 'POST', '/api/v1/person-duplicates/{id}/unlink', false],
  ['direccion', 'POST', '/api/v1/person-duplicates/{id}/unlink', false],
  ['supervisor_control', 'POST', '/api/v1/inspections/{id}/resolve', true],
  ['oficial_control', 'POST', '/api/v1/restrictions', false],
  ['secretaria_general', 'POST', '/api/v1/restrictions', true],
  ['secretaria_general', 'POST', '/api/v1/inspections', false],
  ['pasaportes', 'POST', '/api/v1/documents/lost-stolen', true],
  ['pasaportes', 'GET', '/api/v1/persons/{id}', false],
  ['uaip', 'GET', '/api/v1/users', false],
  ['uaip', 'GET', '/api/v1/audit', false],
  ['uaip', 'GET', '/api/v1/persons', false],
  ['uaip', 'GET', '/api/v1/org/units', true],
  // statistics are figures; who crossed is personal data (manual, UPDI 18-20)
  ['planificacion', 'GET', '/api/v1/movements', false],
  ['planificacion', 'GET', '/api/v1/overstayers', false],
  ['planificacion', 'GET', '/api/v1/statistics/movements', true],
  ['uaip', 'GET', '/api/v1/statistics/movements', true],
  ['uaip', 'GET', '/api/v1/movements', false],
  ['planificacion', 'GET', '/api/v1/persons/{id}', false],
  ['admin_ti', 'POST', '/api/v1/users', true],
  ['admin_ti', 'GET', '/api/v1/audit', true],
  ['admin_ti', 'GET', '/api/v1/persons/{id}', false],
  ['admin_ti', 'POST', '/api/v1/inspections', false],
  ['direccion', 'GET', '/api/v1/audit', true],
  ['direccion', 'POST', '/api/v1/users', false],
  ['direccion', 'POST', '/api/v1/inspections', false],
  ['atencion_migrante', 'GET', '/api/v1/restrictions', false],
  ['transportista', 'POST', '/api/v1/apis/manifests', true],
  ['transportista', 'GET', '/api/v1/apis/manifests', false],
  ['transportista', 'GET', '/api/v1/org/units', false],
  ['transportista', 'GET', '/api/v1/persons', false],
  ['transportista', 'POST', '/api/v1/inspections', false],
  ['oficial_control', 'GET', '/api/v1/apis/manifests', true],
  ['oficial_control', 'POST', '/api/v1/apis/manifests', false],
  ['oficial_control', 'POST', '/api/v1/apis/hits/{id}/review', true],
  ['supervisor_control', 'POST', '/api/v1/apis/manifests/{id}/screen', true],
  ['direccion', 'GET', '/api/v1/apis/manifests/{id}/hits', true],
  ['direccion', 'POST', '/api/v1/apis/hits/{id}/review', false],
  ['transportista', 'GET', '/api/v1/apis/manifests/{id}/hits', false],
  ['secretaria_general', 'GET', '/api/v1/apis/manifests/{id}/reconciliation', false],
  ['secretaria_general', 'POST', '/api/v1/certificates', true],
  // prechequeo: a carrier sends lists and reads only what it sent; the
  // posts read the lists; supervisors evaluate carrier compliance
  ['transportista', 'POST', '/api/v1/prechequeo/lists', true],
  ['transportista', 'GET', '/api/v1/prechequeo/submissions/{id}', true],
  ['transportista', 'GET', '/api/v1/prechequeo/lists', false],
  ['transportista', 'GET', '/api/v1/carrier-compliance/report', false],
  ['oficial_control', 'GET', '/api/v1/prechequeo/lists', true],
  ['oficial_control', 'POST', '/api/v1/prechequeo/lists', false],
  ['oficial_control', 'POST', '/api/v1/carrier-compliance/evaluate', false],
  ['supervisor_control', 'POST', '/api/v1/carrier-compliance/evaluate', true],
  ['direccion', 'GET', '/api/v1/carrier-compliance/report', true],
  ['direccion', 'POST', '/api/v1/carrier-compliance/evaluate', false],
  ['oficial_control', 'POST', '/api/v1/certificates', false],
  // Extranjería grants extensions of stay; the booth and its supervisor do not
  ['extranjeria', 'POST', '/api/v1/persons/{id}/stay-extensions', true],
  ['oficial_control', 'POST', '/api/v1/persons/{id}/stay-extensions', false],
  ['supervisor_control', 'POST', '/api/v1/persons/{id}/stay-extensions', false],
  ['extranjeria', 'POST', '/api/v1/stay-extensions/{id}/annul', true],
  // and sees who is past their stay, to act before and after it ends
  ['extranjeria', 'GET', '/api/v1/overstayers', true],
  ['oficial_control', 'POST', '/api/v1/stay-extensions/{id}/annul', false],
];

let srv, routes, grants;
const cookieClients = {}, tokenClients = {};

// The server's environment: SIGM_DB and, on PostgreSQL, the audit key file
// that every process writing to the database needs.
function cli(args, input) {
  return spawnSync(BIN, args, { env: srv.env, encoding: 'utf8', input });
}

before(async () => {
  srv = await startServer();
  const admin = new Client(srv.url);
  assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
  const api = await admin.get('/api/v1/openapi.json');
  assert.equal(api.status, 200);
  routes = [];
  for (const [p, ops] of Object.entries(api.json.paths))
    for (const [m, op] of Object.entries(ops)) routes.push({ method: m.toUpperCase(), pattern: p, perm: op['x-permission'] });
  const roles = await admin.get('/api/v1/roles');
  assert.equal(roles.status, 200);
  grants = Object.fromEntries(roles.json.map((r) => [r.code, new Set(r.permissions)]));
  for (const role of ROLES) {
    const name = `m_${role}`;
    // through the API, hashed at the test cost: `sigm user add` hashes at
    // full cost (11 users and their logins were most of this file's CPU),
    // and platform.test.mjs tests the command
    const r = await admin.post('/api/v1/users', { username: name, display_name: name, unit: UNIT[role], roles: [role], password: PW });
    assert.equal(r.status, 201, r.text);
    const c = new Client(srv.url);
    assert.equal((await c.login(name, PW)).status, 200, role);
    cookieClients[role] = c;
    const t = cli(['token', 'create', '--user', name]);
    assert.equal(t.status, 0, t.stderr);
    const tc = new Client(srv.url);
    tc.token = t.stdout.trim();
    assert.match(tc.token, /^\S{20,}$/);
    tokenClients[role] = tc;
  }
  // A carrier's account sends only once it is tied to its airline.
  const a = await admin.post('/api/v1/apis/carriers', { username: 'm_transportista', carrier: 'ZZ' });
  assert.ok(a.status === 200 || a.status === 201, a.text);
});
after(async () => { await srv.stop(); });

const FILL = { id: '987654321', code: 'NOEXISTE', username: 'nadie-existe' };
function concrete(pattern) {
  return pattern.replace(/\{(\w+)\}/g, (_, n) => FILL[n] || 'noexiste');
}
function call(client, rt) {
  const body = ['POST', 'PATCH', 'PUT'].includes(rt.method) ? {} : undefined;
  return client.req(rt.method, concrete(rt.pattern), body);
}
function allowed(role, perm) {
  return perm === 'public' || perm === 'session' || grants[role].has(perm);
}

test('the roles and the route table are what the test expects', () => {
  assert.deepEqual(Object.keys(grants).sort(), [...ROLES].sort());
  assert.ok(routes.length >= 20, 'openapi lists the routes');
  const known = new Set(['public', 'session', ...Object.values(grants).flatMap((s) => [...s])]);
  for (const rt of routes) {
    assert.ok(rt.perm, `${rt.method} ${rt.pattern} declares x-permission`);
    // A permission no role holds makes a dead route; the only exception would
    // be a route still being built, which should not be in the table.
    assert.ok(known.has(rt.perm), `${rt.method} ${rt.pattern}: permission ${rt.perm} is granted to no role`);
  }
  const pub = routes.filter((r) => r.perm === 'public').map((r) => `${r.method} ${r.pattern}`).sort();
  // /metrics is not public: it says which routes are used and how they fail
  assert.deepEqual(pub, ['GET /api/v1/openapi.json', 'GET /healthz', 'GET /verificar/{code}', 'POST /api/v1/session']);
});

test('the grants respect the organization (fixed expectations, independent of authz.c)', () => {
  for (const [role, method, pattern, expect] of MUST) {
    const rt = routes.find((r) => r.method === method && r.pattern === pattern);
    assert.ok(rt, `route ${method} ${pattern} exists`);
    assert.equal(allowed(role, rt.perm), expect, `${role} ${method} ${pattern} (${rt.perm})`);
  }
  // Every staff role reads the organization (a carrier's account does
  // not); nobody but admin_ti writes users.
  for (const role of ROLES) {
    assert.equal(grants[role].has('org.read'), role !== 'transportista', `${role} org.read`);
    assert.equal(grants[role].has('users.write'), role === 'admin_ti', `${role} users.write`);
  }
});

test('anonymous callers get 401 on every non-public route', async () => {
  const anon = new Client(srv.url);
  for (const rt of routes) {
    const r = await call(anon, rt);
    const what = `${rt.method} ${rt.pattern} → ${r.status} ${r.text.slice(0, 200)}`;
    assert.ok(r.status < 500, what);
    if (rt.perm === 'public') assert.ok(r.status !== 401 && r.status !== 403, what);
    else {
      assert.equal(r.status, 401, what);
      assert.equal(typeof r.json?.error?.code, 'string', what);
    }
  }
});

// DELETE /api/v1/session signs the cookie client out: run it last.
const ordered = () => [...routes].sort((a, b) =>
  (a.method === 'DELETE' && a.pattern === '/api/v1/session') - (b.method === 'DELETE' && b.pattern === '/api/v1/session'));

for (const [kind, clients] of [['cookie session', cookieClients], ['bearer token', tokenClients]]) {
  test(`every route × every role (${kind})`, async () => {
    const failures = [];
    for (const role of ROLES) {
      for (const rt of ordered()) {
        const r = await call(clients[role], rt);
        const what = `${role} ${rt.method} ${rt.pattern} [${rt.perm}] → ${r.status} ${r.text.slice(0, 160)}`;
        if (r.status >= 500) failures.push('5xx: ' + what);
        else if (allowed(role, rt.perm)) {
          if (r.status === 401 || r.status === 403) failures.push('refused what the role holds: ' + what);
        } else if (r.status !== 403 || r.json?.error?.code !== 'forbidden') {
          failures.push('granted what the role lacks: ' + what);
        }
      }
    }
    assert.deepEqual(failures, []);
  });
}

test('a cookie without the CSRF token is refused before the permission check', async () => {
  const c = new Client(srv.url); // the matrix signed the others out
  assert.equal((await c.login('m_admin_ti', PW)).status, 200);
  const raw = new Client(srv.url);
  raw.cookie = c.cookie; // no csrf
  for (const rt of routes.filter((r) => r.method !== 'GET' && r.perm !== 'public')) {
    const r = await call(raw, rt);
    assert.equal(r.status, 403, `${rt.method} ${rt.pattern} → ${r.status}`);
    assert.equal(r.json.error.code, 'csrf_missing');
    assert.equal(r.json.error.field, 'X-CSRF-Token');
  }
});
