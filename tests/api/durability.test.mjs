// Issue 5 §9: kill -9 the server while inspections are flowing; after
// restart every inspection that got a 2xx is in the ledger and
// `sigm audit verify` passes.
//
// 32 clients post inspections as fast as the server answers; after a
// while the server gets SIGKILL with requests in flight.  A second server
// on the same database must show every acknowledged inspection (its row,
// its movement in the ledger, its audit entry) and an intact audit chain.
// On both engines: SQLite recovers its WAL; on PostgreSQL the database
// server stays up and only the sigm process dies (commits already answered
// by PostgreSQL must all be there).  The CLI runs with the server's
// environment (SIGM_DB and, on PostgreSQL, SIGM_AUDIT_KEY_FILE).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { startServer, Client, ADMIN_PASSWORD, BIN } from '../lib/server.mjs';

const PW = 'Durabilidad-2026-Clave';
const CLIENTS = 32;
// the kill comes once KILL_AT inspections are acknowledged, or after
// RUN_MS if MIN_ACKED are: a 2.5 s burst kept both cores busy for ~500
// inspections on SQLite, PostgreSQL acknowledges fewer than 100 in that
// time, and on a machine loaded by other suites (load 20 on 2 cores) fewer
// than 50 were, and the test failed.  MAX_MS bounds the wait.
const KILL_AT = 150;
const MIN_ACKED = 50;
const RUN_MS = 2500;
const MAX_MS = 30000;

const sql = (srv, s) => { // sqlite3 or psql, behind the server's back
  const r = srv.sql(s);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
};

test('kill -9 during a burst of inspections: every acknowledged one survives, the audit verifies', async () => {
  const srv = await startServer({ keep: true });
  const { db, dir } = srv;
  try {
    const admin = new Client(srv.url);
    assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
    assert.equal((await admin.post('/api/v1/users', { username: 'dur.oficial', display_name: 'Oficial', unit: 'DCM', roles: ['oficial_control'], password: PW })).status, 201);
    // A bearer token: the load is a machine client, and needs no cookies.
    const t = spawnSync(BIN, ['token', 'create', '--user', 'dur.oficial'], { encoding: 'utf8', env: srv.env });
    assert.equal(t.status, 0, t.stderr);
    const token = t.stdout.trim();

    const acked = []; // {inspection_id, movement_id, person_id, number}
    let sent = 0, failed = 0, stop = false, seq = 0;
    const body = (n) => JSON.stringify({
      port: 'SAL', direction: 'entry', transport: 'AV 611',
      document: { kind: 'passport', code: 'P', number: `K${String(n).padStart(8, '0')}`, issuing_state: 'USA', nationality: 'USA', expiry_date: '2031-05-01' },
      person: { given_names: 'Kim', surnames: `Durable${n}`, birth_date: '1980-01-01', sex: 'F', nationality: 'USA' },
    });
    async function worker() {
      while (!stop) {
        const n = ++seq;
        sent++;
        try {
          const r = await fetch(srv.url + '/api/v1/inspections', {
            method: 'POST', body: body(n),
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          });
          const j = await r.json();
          if (r.status >= 200 && r.status < 300) acked.push({ ...j, number: `K${String(n).padStart(8, '0')}` });
          else assert.fail(`unexpected ${r.status} ${JSON.stringify(j)}`);
        } catch (e) {
          if (e.code === 'ERR_ASSERTION') throw e;
          failed++; // connection cut by the kill: not acknowledged
          if (stop || srv.child.exitCode !== null || srv.child.signalCode) return;
        }
      }
    }
    const workers = Array.from({ length: CLIENTS }, worker);
    const t0 = Date.now();
    const burst = () => acked.length < KILL_AT && (Date.now() - t0 < RUN_MS || acked.length < MIN_ACKED) && Date.now() - t0 < MAX_MS;
    while (burst()) await new Promise((r) => setTimeout(r, 10));
    const ackedAtKill = acked.length;
    srv.kill('SIGKILL');
    await new Promise((r) => srv.child.once('exit', r));
    stop = true;
    await Promise.all(workers);
    assert.ok(ackedAtKill >= MIN_ACKED, `only ${ackedAtKill} inspections acknowledged before the kill`);
    assert.ok(failed >= 1, 'the kill caught requests in flight');
    assert.ok(acked.every((a) => a.decision === 'admit' && Number.isInteger(a.movement_id)));

    // restart on the same database (WAL recovery on SQLite) and audit key
    const s2 = await startServer({ db, dir, keep: true, env: { SIGM_AUDIT_KEY_FILE: srv.env.SIGM_AUDIT_KEY_FILE || '' } });
    try {
      const c = new Client(s2.url);
      c.token = token;
      const v = spawnSync(BIN, ['audit', 'verify', '--db', db], { encoding: 'utf8', env: srv.env });
      assert.equal(v.status, 0, v.stdout + v.stderr);

      const day = new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10);
      const seen = new Set();
      let cursor = null;
      do {
        const r = await c.get(`/api/v1/movements?port=SAL&day=${day}&limit=1000` + (cursor ? `&cursor=${cursor}` : ''));
        assert.equal(r.status, 200, r.text);
        for (const m of r.json.items) seen.add(m.id);
        cursor = r.json.next_cursor;
      } while (cursor);
      const lostMovements = acked.filter((a) => !seen.has(a.movement_id));
      assert.deepEqual(lostMovements, [], 'acknowledged movements missing from the ledger');

      // the inspections and their audit entries, straight from the database
      const ids = new Set(sql(s2, 'SELECT id FROM inspections').split('\n').map(Number));
      assert.deepEqual(acked.filter((a) => !ids.has(a.inspection_id)), [], 'acknowledged inspections missing');
      const audited = new Set(sql(s2, "SELECT record_id FROM audit_log WHERE action = 'inspection.create'").split('\n').map(Number));
      assert.deepEqual(acked.filter((a) => !audited.has(a.inspection_id)), [], 'acknowledged inspections not audited');
      // a few through the persons' timelines
      for (const a of acked.slice(0, 5)) {
        const tl = await c.get(`/api/v1/persons/${a.person_id}/timeline`);
        assert.equal(tl.status, 200);
        assert.ok(tl.json.events.some((e) => e.type === 'movement'));
      }
      // the server still takes inspections after the recovery
      const r = await c.req('POST', '/api/v1/inspections', body(999999999));
      assert.equal(r.status, 201, r.text);
      console.log(`durability: ${sent} sent, ${acked.length} acknowledged (${ackedAtKill} at the kill), ${failed} cut, ${ids.size} inspections on disk, all acknowledged present`);
    } finally { await s2.stop(); }
  } finally {
    if (srv.child.exitCode === null && !srv.child.signalCode) srv.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
