// A person's timeline read side by side by two (or more) sigm binaries on
// one SQLite database: a person with 40 crossings, 50 reads to warm, then
// 600 timed, two rounds, each binary a fresh server in turn.
//
//   node bench/timeline/ab.mjs BIN...
//
// Prints the mean time per read (the client's, on loopback; each read also
// writes its audit entry, durably).
import { symlinkSync, unlinkSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const bins = process.argv.slice(2).map((b) => path.resolve(b));
if (!bins.length) { console.error('uso: node bench/timeline/ab.mjs BIN...'); process.exit(2); }
const dir = mkdtempSync(path.join(tmpdir(), 'sigm-tl-'));
// the test library starts $SIGM_BIN: a link switched to each binary in turn
const link = path.join(dir, 'sigm');
process.env.SIGM_BIN = link;
const { startServer, staffUser } = await import('../../tests/lib/server.mjs');
const db = path.join(dir, 'tl.db');
const PW = 'Timeline-Bench-2026!';
const N = 600;
let person;
for (let round = 0; round < 2; round++) for (const [k, bin] of bins.entries()) {
  try { unlinkSync(link); } catch {}
  symlinkSync(bin, link);
  const srv = await startServer({ db });
  const sup = await staffUser(srv.url, `tb_sup_${round}_${k}`, 'supervisor_control', PW);
  if (!person) {
    const ofi = await staffUser(srv.url, 'tb_ofi', 'oficial_control', PW);
    const doc = { kind: 'passport', number: 'TB0000001', issuing_state: 'HND', nationality: 'HND', expiry_date: '2033-01-01' };
    for (let i = 0; i < 40; i++) {
      const r = await ofi.post('/api/v1/inspections', { port: i % 2 ? 'HAC' : 'SAL', direction: i % 2 ? 'exit' : 'entry', transport: 'TA 1', route_country: 'GTM', document: doc,
        person: { given_names: 'Karla', surnames: 'Mejía Paz', birth_date: '1992-02-02', sex: 'F', nationality: 'HND' } });
      if (i === 0) person = r.json.person_id;
    }
  }
  for (let i = 0; i < 50; i++) await sup.get(`/api/v1/persons/${person}/timeline`);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    const r = await sup.get(`/api/v1/persons/${person}/timeline`);
    if (r.status !== 200) throw new Error(`${bin}: ${r.status}`);
  }
  console.log(`round ${round + 1}  ${bin}  ${(Number(process.hrtime.bigint() - t0) / 1e6 / N).toFixed(3)} ms per read`);
  await srv.stop();
}
