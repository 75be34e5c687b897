// `sigm screen`: the CSV interface (header, threshold, top, --explain) and
// bad input, on tests/data/screen/{watchlist,queries}.csv.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BIN } from '../lib/server.mjs';

const W = 'tests/data/screen/watchlist.csv';
const Q = 'tests/data/screen/queries.csv';
const run = (...args) => spawnSync(BIN, ['screen', ...args], { encoding: 'utf8', env: { ...process.env, SIGM_DATA: 'data' } });

test('CSV out: header, one row per match at or above the threshold, best first', () => {
  const r = run('--watchlist', W, '--queries', Q);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], 'query_id,entry_id,score');
  const rows = lines.slice(1).map((l) => l.split(','));
  const got = Object.fromEntries(rows.map(([q, e]) => [q, e]));
  assert.deepEqual(got, { Q1: 'W1', Q2: 'W1', Q3: 'W1', Q4: 'W4', Q8: 'W2' });
  for (const [, , s] of rows) assert.ok(Number(s) >= 73 && Number(s) <= 100);
  // bad rows are skipped with a message naming the line
  assert.match(r.stderr, /línea 7: el nombre no es UTF-8 válido/);
  assert.match(r.stderr, /línea 8: .*no tiene nombre/);
  // the 30-years-earlier namesake appears only when the threshold allows
  const low = run('--watchlist', W, '--queries', Q, '--threshold', '40', '--top', '1');
  const q5 = low.stdout.split('\n').filter((l) => l.startsWith('Q5,'));
  assert.equal(q5.length, 1);
  assert.equal(q5[0].split(',')[1], 'W5');
});

test('--explain prints JSON lines with the reasons', () => {
  const r = run('--watchlist', W, '--queries', Q, '--explain');
  assert.equal(r.status, 0, r.stderr);
  const hits = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const q3 = hits.find((h) => h.query_id === 'Q3');
  assert.equal(q3.entry_id, 'W1');
  const hows = Object.fromEntries(q3.tokens.map((t) => [t.query, t.how]));
  assert.equal(hows.chepe, 'nickname');
  assert.equal(hows.hernandes, 'typo');
  assert.equal(q3.birth_date_match, 'exact');
  const sum = q3.tokens.reduce((a, t) => a + t.points, 0);
  assert.ok(Math.abs(sum - q3.parts.names) < 0.5, `${sum} vs ${q3.parts.names}`);
  assert.deepEqual(q3.unmatched_entry, ['luis']);
});

test('usage errors', () => {
  assert.equal(run('--watchlist', W).status, 2);
  assert.equal(run('--watchlist', W, '--queries', Q, '--threshold', '101').status, 2);
  assert.equal(run('--watchlist', W, '--queries', Q, '--top', '0').status, 2);
  assert.equal(run('--watchlist', '/nonexistent.csv', '--queries', Q).status, 2);
  const r = spawnSync(BIN, ['screen', '--watchlist', W, '--queries', '-'], { input: 'given_names\nAna\n', encoding: 'utf8', env: { ...process.env, SIGM_DATA: 'data' } });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /columna id/);
});
