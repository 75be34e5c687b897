// mrz-corpus.mjs - the MRZ corpus shared by the peer comparison
// (tests/peer/mrz.test.mjs) and the benchmark (bench/mrz): the 26 ICAO and
// national specimens plus generated documents of every format, valid and
// with one defect each.  Deterministic (seeded), so the committed
// tests/data/mrz/peer-corpus.txt can be checked against it.
//
// The zones are built here by an independent JavaScript writer, not by
// SIGM's own, so the comparison also checks our reader against a second
// reading of Doc 9303's layouts.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SPECIMENS = new URL('../data/mrz/specimens.txt', import.meta.url);
export const CORPUS = new URL('../data/mrz/peer-corpus.txt', import.meta.url);

const val = (c) => (c === '<' ? 0 : /[0-9]/.test(c) ? Number(c) : c.charCodeAt(0) - 55);
export const cd = (s) => String([...s].reduce((a, c, i) => a + val(c) * [7, 3, 1][i % 3], 0) % 10);
const pad = (s, n) => s.padEnd(n, '<').slice(0, n);

function rng(seed) { // mulberry32
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SUR = ['GARCIA', 'HERNANDEZ', 'MARTINEZ', 'LOPEZ', 'RAMIREZ', 'FLORES', 'SMITH', 'NGUYEN', 'MUELLER', 'OCONNOR',
  'VAN<DER<BERG', 'DE<LA<CRUZ', 'KOWALSKI', 'TKACHENKO', 'ABULIKEMU', 'NILAVADHANANANDA', 'BENNELONG<WOOLOOMOOLOO<WARRANDYTE'];
const GIV = ['JOSE', 'MARIA', 'ANA<LUCIA', 'JUAN<CARLOS', 'JOHN', 'WEI', 'ERIKA', 'CHAYAPA<DEJTHAMRONG<KRASUANG', 'PETER<JOHN', ''];
const CODES = ['SLV', 'GTM', 'HND', 'NIC', 'CRI', 'PAN', 'MEX', 'USA', 'CAN', 'DEU', 'D', 'ESP', 'FRA', 'ITA', 'GBR', 'CHN',
  'JPN', 'KOR', 'COL', 'VEN', 'BRA', 'ARG', 'PER', 'ECU', 'CUB', 'DOM', 'XXA', 'GBD', 'RKS'];
const AN = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export const FORMATS = {
  TD1: { lines: 3, width: 30, name: 39 - 9, code: ['I', 'ID', 'IR', 'AC', 'C'] },
  TD2: { lines: 2, width: 36, name: 31, code: ['I', 'ID', 'IP', 'A'] },
  TD3: { lines: 2, width: 44, name: 39, code: ['P', 'PO', 'PD', 'PS'] },
  MRVA: { lines: 2, width: 44, name: 39, code: ['V', 'VN', 'VI'] },
  MRVB: { lines: 2, width: 36, name: 31, code: ['V', 'VB'] },
};

// Writes a zone from plain fields (all already MRZ characters).
export function build(f, d) {
  const F = FORMATS[f];
  const code = pad(d.code, 2), st = pad(d.state, 3), nat = pad(d.nat, 3);
  let name = d.given ? `${d.sur}<<${d.given}` : d.sur;
  if (name.length > F.name) { name = name.slice(0, F.name); if (name.endsWith('<')) name = name.slice(0, -1) + 'A'; }
  name = pad(name, F.name);
  let num = d.number, numCd, ext = '';
  if (num.length > 9) { ext = num.slice(9) + cd(num); num = num.slice(0, 9); numCd = '<'; } else { num = pad(num, 9); numCd = cd(num); }
  const b = d.birth + cd(d.birth), e = d.expiry + cd(d.expiry);
  if (f === 'TD1') {
    const o1 = pad(ext ? `${ext}<${d.opt}` : d.opt, 15), o2 = pad(d.opt2 || '', 11);
    const l1 = code + st + num + numCd + o1;
    const l2 = b + d.sex + e + nat + o2;
    const comp = l1.slice(5) + l2.slice(0, 7) + l2.slice(8, 15) + l2.slice(18, 29);
    return [l1, l2 + cd(comp), name];
  }
  const l1 = code + st + name;
  if (f === 'TD2') {
    const o = pad(ext ? `${ext}<${d.opt}` : d.opt, 7);
    const l2 = num + numCd + nat + b + d.sex + e + o;
    return [l1, l2 + cd(l2.slice(0, 10) + l2.slice(13, 20) + l2.slice(21, 35))];
  }
  if (f === 'TD3') {
    const pn = pad(d.opt, 14);
    const l2 = num + numCd + nat + b + d.sex + e + pn + (d.opt ? cd(pn) : '<');
    return [l1, l2 + cd(l2.slice(0, 10) + l2.slice(13, 20) + l2.slice(21, 43))];
  }
  return [l1, num + numCd + nat + b + d.sex + e + pad(d.opt, f === 'MRVA' ? 16 : 8)];
}

function randomDoc(f, r) {
  const pick = (a) => a[Math.floor(r() * a.length)];
  const str = (n) => Array.from({ length: n }, () => pick(AN)).join('');
  const two = (n) => String(n).padStart(2, '0');
  const date = (y0, y1) => { const y = y0 + Math.floor(r() * (y1 - y0)); return two(y % 100) + two(1 + Math.floor(r() * 12)) + two(1 + Math.floor(r() * 28)); };
  let birth = date(1931, 2025);
  const u = r();
  if (u < 0.05) birth = birth.slice(0, 2) + '<<<<'; else if (u < 0.1) birth = birth.slice(0, 4) + '<<';
  const optLen = { TD1: 8, TD2: 0, TD3: 12, MRVA: 16, MRVB: 8 }[f];
  const long = (f === 'TD1' && r() < 0.3) || (f === 'TD2' && r() < 0.15);
  return {
    code: pick(FORMATS[f].code), state: pick(CODES), nat: pick(CODES), sur: pick(SUR), given: pick(GIV),
    number: long ? str(10 + Math.floor(r() * (f === 'TD1' ? 4 : 3))) : str(7 + Math.floor(r() * 3)),
    birth, expiry: date(1996, 2040), sex: pick(['M', 'F', '<']),
    opt: r() < 0.5 ? str(Math.floor(r() * optLen)) : '', opt2: f === 'TD1' && r() < 0.4 ? str(1 + Math.floor(r() * 10)) : '',
  };
}

// One defect each, with the check digits around it recomputed so that the
// defect is the only thing wrong (unless the defect is the check digit).
const DEFECTS = [
  ['check_digit', (f, d, L) => { const i = f === 'TD1' ? [1, 6] : [1, 19]; L[i[0]] = L[i[0]].slice(0, i[1]) + String((Number(L[i[0]][i[1]]) + 3) % 10) + L[i[0]].slice(i[1] + 1); return L; }],
  ['composite', (f, d, L) => { if (f.startsWith('MRV')) return null; const li = f === 'TD1' ? 1 : 1; const s = L[li]; L[li] = s.slice(0, -1) + String((Number(s.at(-1)) + 1) % 10); return L; }],
  ['ocr_O_for_0', (f, d) => { const i = d.expiry.indexOf('0'); if (i < 0) return null; const x = build(f, d); const e = d.expiry.slice(0, i) + 'O' + d.expiry.slice(i + 1); const li = f === 'TD1' ? 1 : 1; const at = (f === 'TD1' ? 8 : 21) + i; x[li] = x[li].slice(0, at) + 'O' + x[li].slice(at + 1); void e; return x; }],
  ['unknown_country', (f, d) => build(f, { ...d, nat: 'ZZZ' })],
  ['bad_sex', (f, d) => build(f, { ...d, sex: 'Q' })],
  ['month_13', (f, d) => build(f, { ...d, birth: d.birth.slice(0, 2) + '13' + '01' })],
  ['feb_30', (f, d) => build(f, { ...d, expiry: d.expiry.slice(0, 2) + '0230' })],
  ['bad_code', (f, d) => build(f, { ...d, code: f === 'TD3' ? 'I' : 'P' })],
  ['digit_in_name', (f, d) => build(f, { ...d, sur: d.sur.slice(0, 2) + '4' + d.sur.slice(3) })],
];

export function generate() {
  const r = rng(9303);
  const docs = [];
  for (const f of Object.keys(FORMATS)) {
    for (let i = 0; i < 40; i++) docs.push({ id: `GEN-${f}-OK-${i}`, lines: build(f, randomDoc(f, r)) });
    for (let i = 0; i < 27; i++) {
      const [name, fn] = DEFECTS[i % DEFECTS.length];
      const d = randomDoc(f, r);
      const z = fn(f, d, build(f, d));
      if (z) docs.push({ id: `GEN-${f}-${name}-${i}`, lines: z });
    }
  }
  return docs;
}

// The corpus file: the specimens, then the generated documents, each
// preceded by a "# ID" comment.
export function corpusText() {
  const spec = readFileSync(SPECIMENS, 'utf8').trim();
  return `${spec}\n\n# Generated by tests/peer/mrz-corpus.mjs (seed 9303)\n\n` +
    generate().map((d) => `# ${d.id}\n${d.lines.join('\n')}\n`).join('\n');
}

// Blocks of a corpus text: [{id, lines}].
export function readBlocks(text) {
  const out = [];
  let cur = null, id = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#')) { const m = /^#\s*([A-Z0-9][^|]*?)\s*(\||$)/.exec(line); if (m && !cur) id = m[1]; continue; }
    if (!line) { if (cur) out.push({ id, lines: cur }); cur = null; id = null; continue; }
    (cur ||= []).push(line);
  }
  if (cur) out.push({ id, lines: cur });
  return out;
}

// node tests/peer/mrz-corpus.mjs --write  regenerates the committed corpus.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--write')) {
  writeFileSync(CORPUS, corpusText());
  console.log(`${readBlocks(corpusText()).length} documents written to ${fileURLToPath(CORPUS)}`);
}
