// pg.mjs - PostgreSQL for the tests (SIGM_TEST_ENGINE=pg).
//
// `make api` starts one throw-away server for the whole suite
// (scripts/pg-test-server.sh) and passes its base URL in SIGM_TEST_PG_URL;
// run alone (node --test with SIGM_TEST_ENGINE=pg), a test file starts its
// own and stops it on exit.  Every startServer() gets a fresh database, so
// tests stay as isolated as with one SQLite file each.
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
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
