// server.mjs - start a real `sigm serve` for API and browser tests.
//
// Each call gets its own temporary folder and database, a loopback port
// chosen by the kernel (SIGM_LISTEN=127.0.0.1:0; the server logs the port it
// bound), a known admin password and passwords hashed at the test cost.
// stop() sends SIGTERM and waits.
// With SIGM_TEST_ENGINE=pg the database is a fresh PostgreSQL database,
// already migrated (tests/lib/pg.mjs) and the audit key a file in the folder; opts.db and
// opts.env.SIGM_AUDIT_KEY_FILE let two servers share both (several nodes).
// srv.sql(query) runs SQL behind the server's back (sqlite3 or psql), for
// tests that tamper with the database; output rows are "a|b" on both.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ENGINE, migratedDatabase, psql } from './pg.mjs';
import { keep, replay } from './replay-fuzz.mjs';

export { ENGINE };

export const BIN = process.env.SIGM_BIN || path.resolve('build/sigm');
export const ADMIN_PASSWORD = 'Clave-Prueba-2026!';

export async function startServer(opts = {}) {
  const dir = opts.dir || mkdtempSync(path.join(tmpdir(), 'sigm-test-'));
  const db = opts.db || (ENGINE === 'pg' ? migratedDatabase(BIN) : path.join(dir, 'sigm.db'));
  const env = {
    ...process.env,
    SIGM_DB: db,
    ...(ENGINE === 'pg' ? { SIGM_AUDIT_KEY_FILE: path.join(dir, 'audit.key') } : {}),
    SIGM_LISTEN: '127.0.0.1:0',
    SIGM_ADMIN_PASSWORD: ADMIN_PASSWORD,
    // passwords at argon2id's minimum cost: the suites create and sign in
    // some 800 users, and hashing was more than half the API suite's CPU
    // (tests/api/fast-passwords.test.mjs; opts.env may set it to '')
    SIGM_TEST_FAST_PASSWORDS: '1',
    ...(opts.env || {}),
  };
  const args = ['serve', ...(opts.args || [])];
  const child = spawn(BIN, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  // A server that does not say it listens is killed before the test is
  // failed: left running, its pipes kept the test file's process alive and
  // the suite hung (an ASan server slow to start on a loaded machine held
  // a browser shard for over 10 minutes).  60 s: starting takes ~1 s, but
  // under ASan at a load of 20 it took more than 15.
  const port = await new Promise((resolve, reject) => {
    const ms = Number(process.env.SIGM_TEST_START_MS) || 60000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${ms / 1000} s:\n${log}`));
    }, ms);
    child.stderr.on('data', (d) => {
      log += d;
      const m = /"msg":"listening"[^\n]*"port":(\d+)/.exec(log);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${log}`)); });
  });
  child.stdout.on('data', () => {});
  // A server that dies on its own (a sanitizer's abort, a crash) fails
  // the test that next asks it with no more than «fetch failed»: its log,
  // which says why, goes to the test's stderr (the suite's log).
  let stopping = false;
  child.on('exit', (code, signal) => {
    if (stopping || opts.quietExit) return;
    process.stderr.write(`sigm serve (pid ${child.pid}, ${url}) exited on its own: ${signal || `code ${code}`}\n${log.slice(-8000)}\n`);
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url, dir, db, child,
    get log() { return log; },
    env,
    cli(...a) { // run a CLI subcommand on the same database
      return spawnSync(BIN, a, { env, encoding: 'utf8', input: opts.input });
    },
    sql(query) { // SQL straight to the database, bypassing the server
      return ENGINE === 'pg' ? psql(db, query)
        : spawnSync('sqlite3', [db, query], { encoding: 'utf8' });
    },
    kill(signal) { // a kill the test means (kill -9 mid-burst): not reported
      stopping = true;
      child.kill(signal);
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      // make fuzz-api: the file's requests again, with bad input, first
      let fuzz = null;
      if (signal === 'SIGTERM') await replay(url, child).catch((e) => { fuzz = e; });
      const done = new Promise((r) => child.on('exit', (c, s) => r(c ?? s)));
      stopping = true;
      child.kill(signal);
      const r = await done;
      if (!opts.keep) rmSync(dir, { recursive: true, force: true });
      if (fuzz) throw fuzz;
      return r;
    },
  };
}

// A tiny client that keeps the session cookie and CSRF token like a browser.
export class Client {
  constructor(base) { this.base = base; this.cookie = null; this.csrf = null; this.token = null; }
  async req(method, p, body, headers = {}) {
    const h = { ...headers };
    const sent = body;
    if (body !== undefined && typeof body !== 'string') body = JSON.stringify(body);
    if (body !== undefined && !Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json';
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET' && method !== 'HEAD') h['x-csrf-token'] = this.csrf;
    if (this.token) h.authorization = `Bearer ${this.token}`;
    const r = await fetch(this.base + p, { method, headers: h, body });
    const sc = r.headers.get('set-cookie');
    if (sc) { const m = /sigm_session=([^;]*)/.exec(sc); if (m) this.cookie = m[1] ? `sigm_session=${m[1]}` : null; }
    const text = await r.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    keep(this, method, p, sent, r.status);
    return { status: r.status, headers: r.headers, json, text };
  }
  get(p, h) { return this.req('GET', p, undefined, h); }
  post(p, b, h) { return this.req('POST', p, b, h); }
  patch(p, b, h) { return this.req('PATCH', p, b, h); }
  del(p, h) { return this.req('DELETE', p, undefined, h); }
  async login(username, password) {
    const r = await this.post('/api/v1/session', { username, password });
    if (r.status === 200) this.csrf = r.json.csrf_token;
    return r;
  }
}

// A staff user made by the administrator, one role in one unit, at the
// server's (test) password cost.  `by` is the administrator's signed-in
// Client, or the server's URL for an administrator signed in afresh (a
// session.login in the audit).  The display name defaults to the role.
export async function addUser(by, username, role, password, unit = 'DCM', displayName = role) {
  const admin = typeof by === 'string' ? new Client(by) : by;
  if (typeof by === 'string') await admin.login('admin', ADMIN_PASSWORD);
  const r = await admin.post('/api/v1/users', { username, display_name: displayName, unit, roles: [role], password });
  if (r.status !== 201) throw new Error(`user ${username}: ${r.status} ${r.text}`);
  return r.json.user;
}

// A client signed in as username on url.
export async function signedIn(url, username, password) {
  const c = new Client(url);
  const s = await c.login(username, password);
  if (s.status !== 200) throw new Error(`login ${username}: ${s.status} ${s.text}`);
  return c;
}

// addUser, then a client signed in as them (what each API test file used
// to write out).  `by` as addUser's.
export async function staffUser(by, username, role, password, unit = 'DCM', displayName = role) {
  await addUser(by, username, role, password, unit, displayName);
  return signedIn(typeof by === 'string' ? by : by.base, username, password);
}

// A carrier's account: a transportista user tied to its carrier code by
// the administrator (only then may it send lists), and a client sending as
// the carrier's system does, with an API token.  The token comes from the
// CLI on the server's database, so this takes the server, not its URL.
// The display name defaults to the carrier code.
export async function carrierUser(srv, username, carrier, password, { kind, displayName = carrier, unit = 'DCM' } = {}) {
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  await addUser(admin, username, 'transportista', password, unit, displayName);
  const a = await admin.post('/api/v1/apis/carriers', { username, carrier, ...(kind ? { kind } : {}) });
  if (a.status !== 200) throw new Error(`carrier ${username} ${carrier}: ${a.status} ${a.text}`);
  const t = srv.cli('token', 'create', '--user', username);
  if (t.status !== 0) throw new Error(`token ${username}: ${t.status} ${t.stderr}`);
  const c = new Client(srv.url);
  c.token = t.stdout.trim();
  return c;
}
