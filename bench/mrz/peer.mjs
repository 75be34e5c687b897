// peer.mjs - the npm peer `mrz` (cheminfo) parsing the same corpus as
// bench/mrz/bench_mrz.c, the same way: every document, round after round,
// for SECONDS; rate per CPU second of the process and per wall second.
//   node bench/mrz/peer.mjs [CORPUS [SECONDS]]
import { readFileSync } from 'node:fs';
import { parse } from 'mrz';
import { readBlocks } from '../../tests/peer/mrz-corpus.mjs';

const path = process.argv[2] || 'tests/data/mrz/peer-corpus.txt';
const secs = Number(process.argv[3] || 3);
const docs = readBlocks(readFileSync(path, 'utf8')).map((b) => b.lines);
const one = (lines) => { try { return parse(lines).valid; } catch { return false; } };
let valid = 0;
for (let k = 0; k < 3; k++) valid = docs.reduce((a, l) => a + (one(l) ? 1 : 0), 0); // warm up the JIT
let parses = 0;
const w0 = process.hrtime.bigint(), c0 = process.cpuUsage();
let w1;
do {
  for (const l of docs) one(l);
  parses += docs.length;
  w1 = process.hrtime.bigint();
} while (Number(w1 - w0) / 1e9 < secs);
const c = process.cpuUsage(c0), cpu = (c.user + c.system) / 1e6, wall = Number(w1 - w0) / 1e9;
console.log(`peer: ${docs.length} documents (${valid} valid to the peer), ${Math.round(parses / cpu)} parses/s per CPU second (${Math.round(1e9 * cpu / parses)} ns/parse), ${Math.round(parses / wall)} parses/s wall`);
