// The demo data of `make run` (scripts/demo-data.mjs) loads through the API
// into a fresh server, with every screen's records, and the audit chain stays
// intact: CI keeps the demo working when the API changes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startServer, Client, ADMIN_PASSWORD } from '../lib/server.mjs';

let srv, admin;
const PW = 'Turno-Demo-2026';
const LOADER = path.resolve('scripts/demo-data.mjs');

before(async () => {
  srv = await startServer();
  admin = new Client(srv.url);
  assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
  // the accounts scripts/run-demo.sh creates, those the loader uses
  for (const [username, unit, role] of [['oficial', 'DCM', 'oficial_control'], ['supervisor', 'DCM', 'supervisor_control'],
    ['secretaria', 'SG', 'secretaria_general'], ['pasaportes', 'DEP', 'pasaportes'], ['aerolinea', 'DCM', 'transportista'], ['autobuses', 'DCM', 'transportista']]) {
    const r = await admin.post('/api/v1/users', { username, display_name: `${username} (demo)`, unit, roles: [role], password: PW });
    assert.equal(r.status, 201, JSON.stringify(r.json));
  }
});
after(async () => { await srv.stop(); });

function load(env) {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [LOADER], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    c.stdout.on('data', (d) => { out += d; });
    c.stderr.on('data', (d) => { err += d; });
    c.on('exit', (status) => resolve({ status, out, err }));
  });
}

test('the demo data loads through the API and every screen has records', async () => {
  const t = srv.cli('token', 'create', '--user', 'aerolinea');
  assert.equal(t.status, 0, t.stderr);
  const bt = srv.cli('token', 'create', '--user', 'autobuses');
  assert.equal(bt.status, 0, bt.stderr);
  const r = await load({ SIGM_URL: srv.url, SIGM_ADMIN_PASSWORD: ADMIN_PASSWORD, SIGM_DEMO_PASSWORD: PW, SIGM_CARRIER_TOKEN: t.stdout.trim(), SIGM_BUS_TOKEN: bt.stdout.trim() });
  assert.equal(r.status, 0, r.err);
  const got = JSON.parse(r.out.trim());
  assert.equal(got.ok, true);
  assert.equal(got.restrictions, 3);
  assert.equal(got.alerts, 4);
  assert.equal(got.lost_stolen, 3);
  assert.ok(got.inspections >= 30, JSON.stringify(got));
  assert.ok(got.decisions.secondary >= 1 && got.decisions.refuse >= 2, JSON.stringify(got.decisions));
  assert.equal(got.apis_manifests, 1);
  assert.equal(got.prechequeo_lists, 1);
  assert.equal(got.prechequeo_travelers, 4);

  const sup = new Client(srv.url);
  assert.equal((await sup.login('supervisor', PW)).status, 200);
  const sec = new Client(srv.url);
  assert.equal((await sec.login('secretaria', PW)).status, 200);
  const ports = new Set((await sup.get(`/api/v1/movements?day=${got.today}&limit=500`)).json.items.map((m) => m.port));
  for (const p of ['SAL', 'HAC', 'AMA', 'ACA']) assert.ok(ports.has(p), `movements at ${p}`);
  assert.ok((await sup.get('/api/v1/inspections?status=pending')).json.items.length >= 1, 'a case waits in secondary');
  const fines = (await sup.get('/api/v1/carrier-fines')).json.items;
  assert.equal(fines.filter((f) => f.status !== 'proposed').length, 1);
  // the refusals propose fines to the carriers that brought the travelers
  assert.ok(fines.some((f) => f.status === 'proposed' && f.cause === 'inadmissible_passenger'), JSON.stringify(fines));
  assert.equal((await sup.get('/api/v1/minor-authorizations')).json.items.length, 1);
  // entries recorded after an outage: two visitors are past their 90 days
  assert.equal(got.contingency_records, 4);
  const over = (await sup.get('/api/v1/overstayers')).json.items;
  assert.equal(over.length, 2, JSON.stringify(over));
  for (const o of over) assert.ok(o.port === 'AMA' && o.days_over >= 30, JSON.stringify(o));
  assert.equal((await sup.get('/api/v1/apis/manifests')).json.items[0].passengers, 4);
  const restr = (await sec.get('/api/v1/restrictions')).json.items;
  assert.deepEqual(restr.map((x) => x.status).sort(), ['active', 'active', 'lifted']);
  const blocked = await sec.get(`/api/v1/blocked-exits?day=${got.today}`);
  assert.equal(blocked.json.courts.length, 1);
  assert.equal((await sec.get('/api/v1/certificates')).json.items.length, 1);

  const v = srv.cli('audit', 'verify');
  assert.equal(v.status, 0, v.stdout + v.stderr);
});

test('a refused request stops the loader with status 1 and says what failed', async () => {
  const r = await load({ SIGM_URL: srv.url, SIGM_ADMIN_PASSWORD: ADMIN_PASSWORD, SIGM_DEMO_PASSWORD: 'wrong-password', SIGM_CARRIER_TOKEN: 'x' });
  assert.equal(r.status, 1);
  assert.match(r.err, /POST \/api\/v1\/session -> 401/);
});
