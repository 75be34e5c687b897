// ingest.mjs - end-to-end APIS ingest: a real `sigm serve` on a fresh SQLite
// database, a carrier account with a token, and the generated 500-passenger
// manifest (build/bench/paxlst --print) POSTed again and again (each one
// replaces the previous version: an amendment).  Prints per-request latency
// (parse + checks + one transaction with 512 persons + audit + fsync).
//   node bench/paxlst/ingest.mjs BUILD_DIR [REQUESTS]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startServer, Client, ADMIN_PASSWORD } from '../../tests/lib/server.mjs';

const build = process.argv[2] || 'build';
const n = Number(process.argv[3] || 30);
process.env.SIGM_BIN ||= path.resolve(build, 'sigm');
const body = spawnSync(path.resolve(build, 'bench/paxlst'), ['--print', '500']).stdout;

const srv = await startServer();
try {
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const unit = (await admin.get('/api/v1/org/units')).json[0].code;
  await admin.post('/api/v1/users', { username: 'bench_ta', display_name: 'TA', unit, roles: ['transportista'], password: 'Bench-Clave-2026!' });
  await admin.post('/api/v1/apis/carriers', { username: 'bench_ta', carrier: 'TA' });
  const token = srv.cli('token', 'create', '--user', 'bench_ta').stdout.trim();
  const t = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const r = await fetch(srv.url + '/api/v1/apis/manifests', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
    await r.text();
    t.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 201) throw new Error(`status ${r.status}`);
  }
  t.sort((a, b) => a - b);
  const sum = t.reduce((a, b) => a + b, 0);
  console.log(`ingest 500 pax (${body.length} bytes) x${n}: median ${t[n >> 1].toFixed(1)} ms, p90 ${t[Math.floor(n * 0.9)].toFixed(1)} ms, ${(n * 1000 / sum).toFixed(1)} manifests/s sequential`);
} finally {
  await srv.stop();
}
