// paxlst.test.mjs - compares the segments SIGM's PAXLST reader sees
// (`sigm paxlst --segments`) with those of the npm `edifact` parser
// (node-edifact, Apache-2.0) on every message in tests/data/paxlst.
//
// Tags, element counts, component counts and values must agree segment by
// segment.  The peer's quirks are worked around as docs/paxlst.md says:
//   * it recognises a UNA only when its 6th service character (the
//     reserved / repetition position) is a space, so the UNA is read here
//     and the peer is configured with its separators;
//   * it accepts no white space between segments (line breaks, the leading
//     spaces of gtas_apisMessage), so CR/LF and blanks after a terminator
//     are removed before it sees the text — SIGM skips them itself;
//   * it stops at a space between tag and separator ("UNG *PAXLST") and at
//     junk after UNZ ("13Nov09"); SIGM warns and goes on.  There the
//     comparison covers the segments the peer did read, and the test checks
//     that SIGM's reader reported the same place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const Parser = require('edifact/parser.js');

const BIN = process.env.SIGM_BIN || path.resolve('build/sigm');
const DIR = path.resolve('tests/data/paxlst');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.edi')).sort();

function unaOf(text) {
  if (!text.startsWith('UNA')) return null;
  const s = text.slice(3, 9);
  return { comp: s[0], elem: s[1], dec: s[2], rel: s[3], term: s[5] };
}

// Removes CR/LF anywhere and blanks right after a terminator, keeping
// released characters as they are.
function normalise(text, una) {
  const term = una ? una.term : "'";
  const rel = una ? una.rel : '?';
  let out = '';
  let afterTerm = true; // blanks before the first segment too
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\r' || c === '\n') continue;
    if (afterTerm && (c === ' ' || c === '\t')) continue;
    afterTerm = false;
    out += c;
    if (c === rel && rel !== ' ' && i + 1 < text.length) { out += text[++i]; continue; }
    if (c === term) afterTerm = true;
  }
  return out;
}

function peerSegments(buf) {
  const text = buf.toString('utf8').replace(/^\uFEFF?\s+/, '');
  const una = unaOf(text);
  let body = normalise(una ? text.slice(9) : text, una);
  const cfg = una ? {
    componentDataSeparator: una.comp.charCodeAt(0),
    dataElementSeparator: una.elem.charCodeAt(0),
    decimalMark: una.dec.charCodeAt(0),
    releaseCharacter: una.rel.charCodeAt(0),
    segmentTerminator: una.term.charCodeAt(0),
  } : undefined;
  const parser = new Parser(undefined, cfg);
  parser.encoding('UNOY'); // structure only: SIGM checks the character set
  const segs = [];
  let cur = null, el = null;
  parser.on('opensegment', (tag) => { cur = { tag, elements: [] }; segs.push(cur); });
  parser.on('element', () => { el = []; cur.elements.push(el); });
  parser.on('component', (v) => { el.push(v); });
  let error = null;
  try { parser.write(body); parser.end(); } catch (e) { error = e.message; }
  return { segs, error };
}

function sigmSegments(file) {
  const r = spawnSync(BIN, ['paxlst', '--segments', file], { encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, `sigm paxlst --segments exit ${r.status}: ${r.stderr}`);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l));
}

function sigmManifest(file) {
  const r = spawnSync(BIN, ['paxlst', file], { encoding: 'utf8' });
  return { status: r.status, json: JSON.parse(r.stdout) };
}

// Where the peer stops, and what SIGM says at that place instead.
const PEER_STOPS = {
  'gtas_airline2.edi': { at: 1, sigmWarning: 'tag_space' },
  'gtas_multiple_flight_leg_apis.edi': { at: 50, sigmWarning: 'trailing_data' },
};

for (const f of FILES) {
  test(`segments agree with the edifact peer: ${f}`, () => {
    const file = path.join(DIR, f);
    const peer = peerSegments(readFileSync(file));
    const ours = sigmSegments(file);
    const stop = PEER_STOPS[f];
    if (stop) {
      assert.ok(peer.error, `peer was expected to stop in ${f}`);
      assert.equal(peer.segs.length, stop.at, `peer stopped at ${peer.segs.length}: ${peer.error}`);
      const m = sigmManifest(file);
      assert.ok(m.json.warnings.some((w) => w.code === stop.sigmWarning),
        `sigm should warn ${stop.sigmWarning}`);
    } else {
      assert.equal(peer.error, null, `peer failed on ${f}: ${peer.error}`);
      assert.equal(ours.length, peer.segs.length, 'segment count');
    }
    const n = stop ? stop.at : peer.segs.length;
    for (let i = 0; i < n; i++) {
      const a = ours[i], b = peer.segs[i];
      assert.ok(!a.error, `sigm: segment ${i}: ${a.error}`);
      assert.equal(a.tag, b.tag, `segment ${i} tag`);
      assert.equal(a.elements.length, b.elements.length, `segment ${i} (${a.tag}) element count`);
      assert.deepEqual(a.elements, b.elements, `segment ${i} (${a.tag}) values`);
    }
  });
}

test('the peer really is picky about UNA (the quirk is still there)', () => {
  const text = "UNA:+.?*'UNB+UNOA:4+A+B+240101:1200+R'";
  const p = new Parser();
  p.encoding('UNOY');
  assert.throws(() => { p.write(text); p.end(); });
  const q = new Parser();
  q.encoding('UNOY');
  assert.doesNotThrow(() => { q.write(text.replace('?*', '? ')); q.end(); });
});

test('sigm paxlst exit status: 0 clean, 1 with errors, 2 unusable', () => {
  assert.equal(sigmManifest(path.join(DIR, 'cbp_d05b_guide_example.edi')).status, 0);
  assert.equal(sigmManifest(path.join(DIR, 'gtas_airline2.edi')).status, 0); // warnings only
  assert.equal(sigmManifest(path.join(DIR, 'wco_d02b_no_una_sample.edi')).status, 1);
  const bad = sigmManifest(path.join(DIR, 'GTAS_LICENSE.txt'));
  assert.equal(bad.status, 2);
  assert.equal(bad.json.errors[0].code, 'not_edifact');
  const r = spawnSync(BIN, ['paxlst', '--now', '2030-01-01T00:00', path.join(DIR, 'cbp_d05b_guide_example.edi')], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  const j = JSON.parse(r.stdout);
  assert.equal(j.errors[0].code, 'flight_in_past');
  assert.equal(j.errors[0].segment, 12);
  assert.equal(j.errors[0].element, 'DTM+1:2');
  assert.equal(spawnSync(BIN, ['paxlst'], { encoding: 'utf8' }).status, 2);
  assert.equal(spawnSync(BIN, ['paxlst', '/nonexistent.edi'], { encoding: 'utf8' }).status, 2);
});
