// pg.mjs - PostgreSQL for the tests (SIGM_TEST_ENGINE=pg).
//
// `make api` starts one throw-away server for the whole suite
// (scripts/pg-test-server.sh) and passes its base URL in SIGM_TEST_PG_URL;
// run alone (node --test with SIGM_TEST_ENGINE=pg), a test file starts its
// own and stops it on exit.  Every startServer() gets a fresh database, so
// tests stay as isolated as with one SQLite file each.
import { spawnSync, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

export const ENGINE = process.env.SIGM_TEST_ENGINE === 'pg' ? 'pg' : 'sqlite';
const SCRIPT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../scripts/pg-test-server.sh');

let base = process.env.SIGM_TEST_PG_URL || null;
let n = 0;

function ensureServer() {
  if (base) return base;
  // Short path: the Unix socket path must fit in 107 bytes.
  const dir = mkdtempSync('/tmp/sigm-pg-');
  base = execFileSync(SCRIPT, ['start', dir], { encoding: 'utf8' }).trim();
  process.on('exit', () => { spawnSync(SCRIPT, ['stop', dir]); });
  return base;
}

// URL of the base server's database `name`.
export function pgUrl(name) {
  return ensureServer().replace(/^postgresql:\/\/\/[^?]*/, `postgresql:///${name}`);
}

export function psql(url, sql) {
  return spawnSync('psql', ['-X', '-q', '-At', '-F', '|', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], { encoding: 'utf8' });
}

// A new empty database; returns its URL.
export function createDatabase() {
  const name = `t_${process.pid}_${Date.now().toString(36)}_${n++}`;
  const r = psql(pgUrl('postgres'), `CREATE DATABASE ${name}`);
  if (r.status !== 0) throw new Error(`CREATE DATABASE failed: ${r.stderr}`);
  return pgUrl(name);
}

// A new database with the schema already applied, for a test server: a copy
// of a template that the first call migrates with `bin`.  Migrating took
// half of a test server's start on PostgreSQL (0.3 of 0.6 s; 0.1 s on
// SQLite), some two minutes of the suite; CREATE DATABASE ... TEMPLATE
// costs what copying the default template did.  createDatabase() stays
// empty for the tests of `sigm migrate` itself, and the template is made by
// that same command, so the migrations still run on every suite.  It is
// named after the binary (path, size, time), so a rebuilt schema gets its
// own; it is migrated under a name of this process's and renamed when
// complete, so another process never copies half a template.
const templates = new Map();
export function migratedDatabase(bin) {
  let tpl = templates.get(bin);
  if (!tpl) {
    const st = statSync(bin);
    tpl = `tpl_${createHash('sha256').update(`${path.resolve(bin)}|${st.size}|${st.mtimeMs}`).digest('hex').slice(0, 20)}`;
    const found = psql(pgUrl('postgres'), `SELECT 1 FROM pg_database WHERE datname = '${tpl}'`);
    if (found.status !== 0) throw new Error(`pg_database: ${found.stderr}`);
    if (found.stdout.trim() !== '1') {
      const mine = `${tpl}_${process.pid}`;
      const c = psql(pgUrl('postgres'), `CREATE DATABASE ${mine}`);
      if (c.status !== 0) throw new Error(`CREATE DATABASE failed: ${c.stderr}`);
      const keyDir = mkdtempSync('/tmp/sigm-tpl-');
      const m = spawnSync(bin, ['migrate', '--db', pgUrl(mine)], {
        encoding: 'utf8',
        env: { ...process.env, SIGM_DB: '', SIGM_AUDIT_KEY_FILE: path.join(keyDir, 'audit.key') },
      });
      rmSync(keyDir, { recursive: true, force: true });
      if (m.status !== 0) throw new Error(`sigm migrate (template) failed: ${m.stderr}`);
      // Another process may have renamed its own first: then ours goes.
      if (psql(pgUrl('postgres'), `ALTER DATABASE ${mine} RENAME TO ${tpl}`).status !== 0) {
        psql(pgUrl('postgres'), `DROP DATABASE ${mine}`);
      }
    }
    templates.set(bin, tpl);
  }
  const name = `t_${process.pid}_${Date.now().toString(36)}_${n++}`;
  const r = psql(pgUrl('postgres'), `CREATE DATABASE ${name} TEMPLATE ${tpl}`);
  if (r.status !== 0) throw new Error(`CREATE DATABASE ${name} TEMPLATE ${tpl} failed: ${r.stderr}`);
  return pgUrl(name);
}
