// Our MRZ engine against the npm package `mrz` (cheminfo) over the shared
// corpus (tests/data/mrz/peer-corpus.txt: the 26 specimens and generated
// documents of every format).  Every disagreement must fall under one of the
// explanations below, each documented in docs/mrz.md with the Doc 9303
// clause that makes ours right; an unexplained one fails the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'mrz';
import { BIN } from '../lib/server.mjs';
import { CORPUS, corpusText, readBlocks } from './mrz-corpus.mjs';

const TODAY = '2026-11-25';
const text = readFileSync(CORPUS, 'utf8');
const blocks = readBlocks(text);

// YYMMDD as printed, from our ISO (possibly partial) date.
const yymmdd = (d) => (d ? (d.slice(2, 4) + (d.slice(5, 7) || '<<') + (d.slice(8, 10) || '<<')) : null);
const SEX = { M: 'male', F: 'female', X: 'nonspecified' };
const norm = (s) => (s == null ? s : String(s).replace(/</g, ' ').replace(/ +/g, ' ').trim());
const peerErrs = (p) => p.details.filter((d) => !d.valid).map((d) => `${d.field}: ${d.error}`);
const ourErr = (o, field) => o.errors.some((e) => e.field === field);

// Each explanation: (block, ours, peer, what) -> true when it accounts for
// the disagreement `what` ("valid", "format" or "field:<name>").
const EXPLAIN = {
  // Doc 9303 Part 3 §5 Part G (UTO) and Part 3 Appendix A (YTO): ICAO's own
  // specimen codes; the peer's state list lacks them.
  specimen_codes: (b, o, p, what) => /UTO|YTO/.test(`${o.fields.issuing_state}${o.fields.nationality}`) &&
    what === 'valid' && o.valid && peerErrs(p).every((e) => /invalid state code: (UTO|YTO)/.test(e) || EXPLAIN.visa(b, o, p, what)),
  // Doc 9303 Part 7: MRV-A (2x44) and MRV-B (2x36) have their own layout
  // (no composite check digit, 16/8 optional characters); the peer reads
  // them as TD3/TD2 and rejects the V document code.
  visa: (b, o, p, what) => (o.format === 'MRVA' || o.format === 'MRVB') &&
    ['format', 'valid', 'field:optional_data', 'peer_threw'].includes(what),
  // Doc 9303 Part 3 §4.8: dates are calendar dates (YYMMDD); the peer checks
  // only 01-31 for the day, so 30 February passes it.
  calendar_day: (b, o, p, what) => what === 'valid' && !o.valid && o.errors.every((e) => e.code === 'invalid_date') &&
    /(0[2469]|11)(29|30|31)/.test(b.lines.join('')),
  // Doc 9303 Part 5 note j / Part 6 note j: the characters of a long
  // document number in the optional data field are part of the number, not
  // optional data; the peer leaves them in optional1.
  long_number_optional: (b, o, p, what) => what === 'field:optional_data' && (o.format === 'TD1' || o.format === 'TD2') &&
    o.fields.document_number.length > 9,
  // Doc 9303 Part 3 §4.6 and Part 4 §4.2.2.1: a name without "<<" is a
  // primary identifier only; the secondary identifier is empty.  The peer
  // repeats the primary identifier as the first name.
  primary_only_name: (b, o, p, what) => what === 'field:given_names' && o.fields.given_names === '' &&
    p.fields.firstName === p.fields.lastName,
  // Doc 9303 Part 6: a 2x36 zone whose code starts with I, A or C is a TD2.
  // The peer reads every 2x36 "ID" + "FRA" zone as the pre-2021 French
  // identity card, a national layout outside Doc 9303.
  french_national_id: (b, o, p) => p.format === 'FRENCH_NATIONAL_ID' && o.format === 'TD2',
};

function compare(b, o, p) {
  const out = [];
  if (o.format !== p.format) out.push('format');
  if (o.valid !== p.valid) out.push('valid');
  const f = o.fields, q = p.fields;
  const pairs = [
    ['surnames', f.surnames, q.lastName], ['given_names', f.given_names, q.firstName],
    ['document_number', f.document_number, q.documentNumber], ['nationality', f.nationality, q.nationality],
    ['issuing_state', f.issuing_state, q.issuingState], ['birth_date', yymmdd(f.birth_date), q.birthDate],
    ['expiry_date', yymmdd(f.expiry_date), q.expirationDate], ['sex', SEX[f.sex], q.sex],
    ['optional_data', f.optional_data, o.format === 'TD3' ? q.personalNumber : o.format === 'TD1' ? q.optional1 : q.optional],
  ];
  if (o.format === 'TD1') pairs.push(['optional_data_2', f.optional_data_2, q.optional2]);
  for (const [name, ours, peer] of pairs) {
    if (ours == null || peer == null || ourErr(o, name)) continue; // one side could not read it
    if (norm(ours) !== norm(peer)) out.push(`field:${name}`);
  }
  return out;
}

test('the committed corpus is what mrz-corpus.mjs generates, with at least 300 documents of every format', () => {
  assert.equal(text, corpusText(), 'regenerate with: node tests/peer/mrz-corpus.mjs --write');
  assert.ok(blocks.length >= 300, `${blocks.length} documents`);
});

test('ours and the npm peer agree on fields and validity, or the difference is explained', () => {
  const r = spawnSync(BIN, ['mrz', '--today', TODAY, CORPUS.pathname], { encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  const ours = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(ours.length, blocks.length);
  const counts = {}, unexplained = [];
  let agreed = 0, disagreements = 0;
  const byFormat = {};
  blocks.forEach((b, i) => {
    const o = ours[i];
    byFormat[o.format] = (byFormat[o.format] || 0) + 1;
    let p;
    try { p = parse(b.lines); } catch (e) { p = null; }
    if (!p) { (EXPLAIN.visa(b, o, null, 'peer_threw') ? (counts.visa = (counts.visa || 0) + 1) : unexplained.push(`${b.id}: peer threw`)); return; }
    const diffs = compare(b, o, p);
    if (!diffs.length) { agreed++; return; }
    for (const what of diffs) {
      disagreements++;
      const why = Object.keys(EXPLAIN).find((k) => EXPLAIN[k](b, o, p, what));
      if (why) counts[why] = (counts[why] || 0) + 1;
      else unexplained.push(`${b.id}: ${what} ours=${JSON.stringify({ valid: o.valid, errors: o.errors.map((e) => `${e.code}:${e.field}`), fields: o.fields })} peer=${JSON.stringify({ valid: p.valid, errors: peerErrs(p), fields: p.fields })}`);
    }
  });
  for (const f of ['TD1', 'TD2', 'TD3', 'MRVA', 'MRVB']) assert.ok(byFormat[f] >= 40, `${f}: ${byFormat[f]}`);
  console.log(`# mrz peer: ${blocks.length} documents, ${agreed} fully agreed, ${disagreements} explained differences:`, JSON.stringify(counts));
  assert.deepEqual(unexplained, []);
});
