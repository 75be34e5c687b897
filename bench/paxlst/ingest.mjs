// ingest.mjs - end-to-end APIS ingest: a real `sigm serve`, a carrier
// account with a token, and a generated 500-passenger manifest
// (build/bench/paxlst --print / --print-gen) POSTed again and again (each
// one replaces the previous version: an amendment, screened like a new
// manifest).  Prints per-request latency as the carrier sees it: parse,
// checks, screening of every person, one transaction with the manifest,
// 512 persons, the hits and the audit, fsync.
//
//   node bench/paxlst/ingest.mjs BUILD_DIR [REQUESTS]
//       a fresh SQLite database (an empty screening index)
//   node bench/paxlst/ingest.mjs BUILD_DIR REQUESTS INDEX [SIGM_BIN...]
//       a database whose alerts hold the first INDEX entries of the
//       bench's watch list (bench/screen/gen.c, seed 1: the same
//       1,000,000-entry index as `build/bench/paxlst`), built once and
//       cached in BUILD_DIR/bench-data/paxlst-INDEX.db, copied for each
//       server.  With several binaries (e.g. this branch's and main's),
//       one server each, all loaded at once, and the requests alternate
//       between them so that they share the machine's load; each binary
//       gets the common-name manifest, then the generated one.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ADMIN_PASSWORD = 'Clave-Prueba-2026!';
const build = process.argv[2] || 'build';
const n = Number(process.argv[3] || 30);
const index = Number(process.argv[4] || 0);
const bins = process.argv.slice(5).length ? process.argv.slice(5) : [path.resolve(build, 'sigm')];
const paxlst = path.resolve(build, 'bench/paxlst');
const manifests = [
  // without its UNH part (TA0101, part 1 of 1): a re-sent part would be a
  // duplicate_part warning, neither stored nor screened again
  ['common names', spawnSync(paxlst, ['--print', '500']).stdout.toString().replace("+TA0101+01:F'", "'")],
  ['generated', spawnSync(paxlst, ['--print-gen', '500']).stdout],
];

function run(bin, args, env) {
  const r = spawnSync(bin, args, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

// The cached database with `index` alerts from the watch-list generator.
function dataset() {
  const dir = path.resolve(build, 'bench-data');
  const db = path.join(dir, `paxlst-${index}.db`);
  if (existsSync(db)) return db;
  mkdirSync(dir, { recursive: true });
  const tmp = db + '.tmp';
  for (const f of [tmp, tmp + '-wal', tmp + '-shm', tmp + '.auditkey']) rmSync(f, { force: true });
  const t0 = Date.now();
  run(bins[0], ['migrate', '--db', tmp]);
  const csv = path.join(dir, `paxlst-${index}.csv`);
  writeFileSync(csv, run(paxlst, ['--print-list', String(index)]));
  run('sqlite3', [tmp, '.mode csv', `.import ${csv} gen`,
    "INSERT INTO alerts (category, issuing_unit, given_names, surnames, birth_date, sex, nationality, document_number,"
    + " valid_from, instructions, created_at, created_by, updated_at)"
    + " SELECT 'other', 'DCM', NULLIF(given_names, ''), NULLIF(surnames, ''), NULLIF(birth_date, ''), NULLIF(sex, ''),"
    + " NULLIF(nationality, ''), NULLIF(document_number, ''), '2020-01-01', 'Remitir a segunda revisión',"
    + " '2026-01-01T00:00:00Z', 'carga', '2026-01-01T00:00:00Z' FROM gen ORDER BY rowid",
    'DROP TABLE gen', 'VACUUM']);
  rmSync(csv);
  if (existsSync(tmp + '.auditkey')) renameSync(tmp + '.auditkey', db + '.auditkey');
  renameSync(tmp, db);
  console.log(`dataset: ${index} alerts in ${db} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  return db;
}

async function start(bin, db) {
  const dir = mkdtempSync(path.join(tmpdir(), 'sigm-paxlst-'));
  const mydb = path.join(dir, 'sigm.db');
  if (db) {
    spawnSync('cp', ['--reflink=auto', db, mydb]);
    // the copy's pages to disk now: left dirty, the server's first
    // checkpoint flushed them all (~200 ms for 230 MB) and the manifest
    // committing beside it waited (the p99 of every earlier run)
    spawnSync('sync', [mydb]);
    if (existsSync(db + '.auditkey')) copyFileSync(db + '.auditkey', mydb + '.auditkey');
  }
  const env = { ...process.env, SIGM_DB: mydb, SIGM_LISTEN: '127.0.0.1:0', SIGM_ADMIN_PASSWORD: ADMIN_PASSWORD };
  const child = spawn(bin, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const t0 = Date.now();
  const port = await new Promise((resolve, reject) => {
    child.stderr.on('data', (d) => {
      log += d;
      const m = /"msg":"listening"[^\n]*"port":(\d+)/.exec(log);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}:\n${log}`)));
  });
  child.stdout.on('data', () => {});
  const url = `http://127.0.0.1:${port}`;
  const j = async (method, p, body, headers = {}) => {
    const r = await fetch(url + p, { method, headers: { 'content-type': 'application/json', ...headers }, body: body && JSON.stringify(body) });
    return { status: r.status, headers: r.headers, json: await r.json().catch(() => null) };
  };
  const s = await j('POST', '/api/v1/session', { username: 'admin', password: ADMIN_PASSWORD });
  const h = { cookie: /sigm_session=[^;]*/.exec(s.headers.get('set-cookie'))[0], 'x-csrf-token': s.json.csrf_token };
  const unit = (await j('GET', '/api/v1/org/units', undefined, h)).json[0].code;
  await j('POST', '/api/v1/users', { username: 'bench_ta', display_name: 'TA', unit, roles: ['transportista'], password: 'Bench-Clave-2026!' }, h);
  await j('POST', '/api/v1/apis/carriers', { username: 'bench_ta', carrier: 'TA' }, h);
  const token = run(bin, ['token', 'create', '--user', 'bench_ta'], env).trim();
  return {
    bin, url, token, loaded: (Date.now() - t0) / 1000,
    // the server's CPU time so far (user + system, ms): steadier than the
    // wall clock on a shared machine
    cpu() {
      const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(f[11]) + Number(f[12])) * 10; // fields 14, 15 at 100 Hz
    },
    async stop() {
      const done = new Promise((r) => child.on('exit', r));
      child.kill('SIGTERM');
      await done;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function post(srv, body) {
  const t0 = process.hrtime.bigint();
  const r = await fetch(srv.url + '/api/v1/apis/manifests', { method: 'POST', headers: { authorization: `Bearer ${srv.token}` }, body });
  const j = await r.json();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 201) throw new Error(`${srv.bin}: status ${r.status} ${JSON.stringify(j)}`);
  const sc = j.manifests[0].screening;
  if (j.manifests[0].action !== 'replaced' && j.manifests[0].action !== 'created') throw new Error(`${srv.bin}: ${JSON.stringify(j)}`);
  if (!sc || sc.error) throw new Error(`${srv.bin}: screening ${JSON.stringify(j)}`);
  return { ms, hits: sc.hits };
}

const pct = (t, p) => t[Math.min(t.length - 1, Math.floor(t.length * p))];
const db = index ? dataset() : null;
const srvs = [];
try {
  for (const b of bins) {
    srvs.push(await start(path.resolve(b), db));
    console.log(`${b}: listening after ${srvs.at(-1).loaded.toFixed(1)} s${index ? ` (screening index of ${index} alerts)` : ''}`);
  }
  for (const [name, body] of manifests) {
    const t = srvs.map(() => []), hits = srvs.map(() => new Set());
    for (const s of srvs) await post(s, body); // warm-up
    const cpu0 = srvs.map((s) => s.cpu());
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < srvs.length; k++) {
        const r = await post(srvs[k], body);
        t[k].push(r.ms);
        hits[k].add(r.hits);
      }
    }
    for (let k = 0; k < srvs.length; k++) {
      const x = t[k].sort((a, b) => a - b);
      const sum = x.reduce((a, b) => a + b, 0);
      const cpu = (srvs[k].cpu() - cpu0[k]) / n;
      console.log(`${bins[k]}: ingest 500 pax ${name} (${body.length} bytes, index ${index}) x${n}: median ${pct(x, 0.5).toFixed(1)} ms, p90 ${pct(x, 0.9).toFixed(1)} ms, p99 ${pct(x, 0.99).toFixed(1)} ms, ${(n * 1000 / sum).toFixed(1)} manifests/s sequential, server CPU ${cpu.toFixed(0)} ms/manifest, hits ${[...hits[k]].join('/')}`);
    }
  }
  // sustained: 4 requests in flight, one server at a time, each of the 4
  // clients its own flight (the same flight would replace a version while
  // it is being screened)
  for (const [name, body] of manifests) {
    for (const s of srvs) {
      const t0 = Date.now();
      let next = 0;
      await Promise.all([0, 1, 2, 3].map(async (w) => {
        const b = body.toString().replace('TDT+20+TA101+', `TDT+20+TA${201 + w}+`);
        while (next++ < n) await post(s, b);
      }));
      console.log(`${s.bin}: ${name}, 4 in flight: ${(n * 1000 / (Date.now() - t0)).toFixed(1)} manifests/s sustained`);
    }
  }
} finally {
  for (const s of srvs) await s.stop();
}
