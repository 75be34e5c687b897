// The blocked-exits report counts attempts to leave, one per traveler
// (docs/secretaria.md «Blocked exits report»).  Three ways the count went
// wrong, found in the reports sent to the courts:
// - a dual national refused on her Salvadoran passport tried her US one a
//   minute later: two records, which a supervisor then confirmed to be one
//   person, and the court still read two attempts;
// - a passport swiped at 23:59 and again at 00:01 was one attempt in each
//   of two days' reports;
// - ?limit= counted reads, so a page cut an attempt in two and held fewer
//   attempts than asked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, staffUser } from '../lib/server.mjs';

let srv, sec, ofi, sup;
const PW = 'Turno-Seguro-2026';
before(async () => {
  srv = await startServer();
  sec = await staffUser(srv.url, 'bc_sg', 'secretaria_general', PW, 'SG');
  ofi = await staffUser(srv.url, 'bc_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'bc_sup', 'supervisor_control', PW);
});
after(async () => { await srv.stop(); });

const ban = async (court, caseNumber, subject) => {
  const r = await sec.post('/api/v1/restrictions', { court, case_number: caseNumber, measure: 'exit_ban', subject, effective_from: '2026-01-01' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
};
const swipe = async (doc, person) => {
  const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'AV 611', route_country: 'GTM', document: doc, person });
  assert.equal(r.json.decision, 'refuse', JSON.stringify(r.json));
  return r.json;
};
const report = async (court, extra = '') => {
  const r = await sec.get(`/api/v1/blocked-exits?court=${encodeURIComponent(court)}${extra}`);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json;
};
const file = async (court, extra) => {
  const r = await fetch(srv.url + `/api/v1/blocked-exits?court=${encodeURIComponent(court)}${extra}`, { headers: { cookie: sec.cookie } });
  assert.equal(r.status, 200);
  return Buffer.from(await r.arrayBuffer());
};
const csvRows = async (court, extra) => (await file(court, `${extra}&format=csv`)).toString('utf8').trim().split('\r\n');
const pdfText = async (court, extra, name) => {
  const f = path.join(srv.dir, name);
  writeFileSync(f, await file(court, `${extra}&format=pdf`));
  return spawnSync('pdftotext', [f, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
};
// El Salvador's day of a stored UTC time
const svDay = (at) => new Date(Date.parse(at) - 6 * 3600e3).toISOString().slice(0, 10);
const attemptsOf = (j) => j.courts.flatMap((c) => c.cases.flatMap((k) => k.attempts));

test('records a supervisor linked as one traveler are one attempt to leave, in JSON, CSV, PDF and the informing', async () => {
  const COURT = 'Juzgado Tercero de Familia de Santa Ana';
  await ban(COURT, 'FAM-31-2026', { given_names: 'Rosa Elena', surnames: 'Quintanilla Flores', birth_date: '1975-07-07' });
  const person = (nat) => ({ given_names: 'Rosa Elena', surnames: 'Quintanilla Flores', birth_date: '1975-07-07', nationality: nat, sex: 'F' });
  const doc = (number, nat) => ({ kind: 'passport', code: 'P', number, issuing_state: nat, nationality: nat, expiry_date: '2031-01-01' });
  // refused on her Salvadoran passport, she shows her US one a minute later
  const a = await swipe(doc('A3100001', 'SLV'), person('SLV'));
  const b = await swipe(doc('A3100002', 'USA'), person('USA'));
  assert.notEqual(a.person_id, b.person_id, 'two records');
  const day = svDay(attemptsOf(await report(COURT))[0].at);
  // two records, not yet known to be one person: two attempts
  assert.deepEqual([(await report(COURT, `&date=${day}`)).total], [2]);
  const flag = (await sup.get('/api/v1/person-duplicates')).json.items.find((x) => x.persons.some((p) => p.id === b.person_id));
  assert.ok(flag, 'flagged');
  const ok = await sup.post(`/api/v1/person-duplicates/${flag.id}/review`, { decision: 'same', note: 'Doble nacionalidad: misma fotografía y firma' });
  assert.equal(ok.status, 200, JSON.stringify(ok.json));

  const j = await report(COURT, `&date=${day}`);
  assert.deepEqual([j.total, j.reads], [1, 2], JSON.stringify(j));
  const [att] = attemptsOf(j);
  // the first read's fields, the traveler's two records beside them
  assert.deepEqual([att.person_id, att.nationality, att.reads, att.inspection_ids, att.person_ids],
    [a.person_id, 'SLV', 2, [a.inspection_id, b.inspection_id], [a.person_id, b.person_id]], JSON.stringify(att));

  const csv = await csvRows(COURT, `&date=${day}`);
  assert.equal(csv.length, 2, csv.join('\n'));
  assert.deepEqual(csv[1].split(',').slice(10), [String(a.inspection_id), '2', csv[1].split(',')[12], `${a.inspection_id} ${b.inspection_id}`]);
  const text = await pdfText(COURT, `&date=${day}`, 'linked.pdf');
  assert.ok(text.includes('Total: 1.'), text);
  assert.equal((text.match(/Rosa Elena Quintanilla Flores/g) || []).length, 1, text);
  assert.match(text, /\(2 lecturas; la última a las \d\d:\d\d\)/, text);

  const inf = await sec.post('/api/v1/blocked-exits/informed', { date: day, court: COURT });
  assert.deepEqual([inf.status, inf.json.informed, inf.json.reads], [200, 1, 2], JSON.stringify(inf.json));
});

test('a double swipe across midnight is one attempt, of the day of its first read, in a day, a range and every format', async () => {
  const COURT = 'Juzgado Cuarto de Instrucción de San Miguel';
  const D = '2026-03-10', NEXT = '2026-03-11';
  await ban(COURT, 'INS-410-2026', { document_number: 'D41000041' });
  const doc = { kind: 'passport', code: 'P', number: 'D41000041', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-01-01' };
  const person = { given_names: 'Julio César', surnames: 'Amaya Portillo', birth_date: '1969-04-04', nationality: 'SLV', sex: 'M' };
  const i1 = (await swipe(doc, person)).inspection_id;
  const i2 = (await swipe(doc, person)).inspection_id;
  const i3 = (await swipe(doc, person)).inspection_id;
  // 23:59 and 00:01 in El Salvador (UTC-6), each stored under its day; a
  // third read half an hour later is another attempt, the next day's
  srv.sql(`UPDATE blocked_exits SET at = '2026-03-11T05:59:00.000Z', day = '${D}' WHERE inspection_id = ${i1}`);
  srv.sql(`UPDATE blocked_exits SET at = '2026-03-11T06:01:00.000Z', day = '${NEXT}' WHERE inspection_id = ${i2}`);
  srv.sql(`UPDATE blocked_exits SET at = '2026-03-11T06:30:00.000Z', day = '${NEXT}' WHERE inspection_id = ${i3}`);

  const first = await report(COURT, `&date=${D}`);
  assert.deepEqual([first.total, first.reads], [1, 2], JSON.stringify(first));
  const [att] = attemptsOf(first);
  assert.deepEqual([att.inspection_ids, att.first_at, att.last_at, att.day],
    [[i1, i2], '2026-03-11T05:59:00.000Z', '2026-03-11T06:01:00.000Z', D], JSON.stringify(att));
  // the next day: only its own attempt, not the 00:01 read again
  const next = await report(COURT, `&date=${NEXT}`);
  assert.deepEqual([next.total, next.reads, attemptsOf(next).map((a) => a.inspection_ids)], [1, 1, [[i3]]], JSON.stringify(next));
  // a range over both days, and every day: two attempts, three reads
  for (const q of [`&from=${D}&to=${NEXT}`, `&from=${D}`, `&to=${NEXT}`, '']) {
    const r = await report(COURT, q);
    assert.deepEqual([r.total, r.reads, attemptsOf(r).map((a) => a.inspection_ids)], [2, 3, [[i1, i2], [i3]]], `${q}: ${JSON.stringify(r)}`);
  }
  assert.equal((await report(COURT, `&from=${NEXT}&to=${NEXT}`)).total, 1);
  assert.equal((await report(COURT, '&from=2026-03-12')).total, 0);

  // the files say the same
  const c1 = await csvRows(COURT, `&date=${D}`);
  assert.equal(c1.length, 2, c1.join('\n'));
  assert.deepEqual(c1[1].split(',').slice(11), ['2', '2026-03-11 00:01', `${i1} ${i2}`]);
  assert.ok(c1[1].includes(',2026-03-10 23:59,'), c1[1]);
  const c2 = await csvRows(COURT, `&date=${NEXT}`);
  assert.deepEqual(c2.slice(1).map((l) => l.split(',').slice(11)), [['1', '2026-03-11 00:30', String(i3)]], c2.join('\n'));
  assert.ok((await pdfText(COURT, `&date=${D}`, 'd1.pdf')).includes('Total: 1.'));
  const t2 = await pdfText(COURT, `&date=${NEXT}`, 'd2.pdf');
  assert.ok(t2.includes('Total: 1.'), t2);
  assert.doesNotMatch(t2, /lecturas/, t2);

  // informing a day tells the court of that day's attempts, every read
  const inf1 = await sec.post('/api/v1/blocked-exits/informed', { date: D, court: COURT });
  assert.deepEqual([inf1.json.informed, inf1.json.reads], [1, 2], JSON.stringify(inf1.json));
  assert.ok(attemptsOf(await report(COURT, `&date=${D}`))[0].informed_at);
  assert.equal(attemptsOf(await report(COURT, `&date=${NEXT}`))[0].informed_at, null);
  const inf2 = await sec.post('/api/v1/blocked-exits/informed', { date: NEXT, court: COURT });
  assert.deepEqual([inf2.json.informed, inf2.json.reads], [1, 1], JSON.stringify(inf2.json));

  // the range is of the list: asked wrongly, a 400 naming the field
  const bad = async (q) => (await sec.get(`/api/v1/blocked-exits?court=x${q}`)).json.error?.field;
  assert.equal(await bad(`&from=${D}&date=${D}`), 'from');
  assert.equal(await bad(`&to=${D}&format=csv`), 'to');
  assert.equal(await bad('&from=2026-02-30'), 'from');
  assert.equal(await bad(`&from=${NEXT}&to=${D}`), 'to');
});

test('limit and offset count attempts: a page never cuts an attempt, and says where the next begins', async () => {
  const COURT = 'Juzgado Primero de Paz de Apopa';
  await ban(COURT, 'APO-5-2026', { document_number: 'D50500505' });
  const doc = { kind: 'passport', code: 'P', number: 'D50500505', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-01-01' };
  const person = { given_names: 'Ana Gloria', surnames: 'Ventura Sosa', birth_date: '1980-05-05', nationality: 'SLV', sex: 'F' };
  // three attempts of two reads each, ten minutes apart (the day kept)
  const pairs = [];
  for (const back of [20, 10, 0]) {
    const ids = [(await swipe(doc, person)).inspection_id, (await swipe(doc, person)).inspection_id];
    for (const i of ids)
      srv.sql(`UPDATE blocked_exits SET at = '${new Date(Date.parse(srv.sql(`SELECT at FROM blocked_exits WHERE inspection_id = ${i}`).stdout.trim()) - back * 60e3).toISOString()}' WHERE inspection_id = ${i}`);
    pairs.push(ids);
  }
  const all = await report(COURT);
  assert.deepEqual([all.total, all.reads], [3, 6], JSON.stringify(all));
  const day = svDay(attemptsOf(all)[0].at);
  // three asked were three reads: an attempt and half of the next
  const three = await report(COURT, '&limit=3');
  assert.deepEqual([three.total, three.reads, attemptsOf(three).map((a) => a.reads)], [3, 6, [2, 2, 2]], JSON.stringify(three));
  const one = await report(COURT, '&limit=1');
  assert.deepEqual([one.total, one.reads, attemptsOf(one).map((a) => a.inspection_ids)], [1, 2, [pairs[0]]], JSON.stringify(one));
  // where the next page begins: null at the last
  assert.deepEqual([one.next_offset, all.next_offset], [1, null]);
  const rest = await report(COURT, '&limit=2&offset=1');
  assert.deepEqual([rest.total, rest.reads, rest.next_offset, attemptsOf(rest).map((a) => a.inspection_ids)], [2, 4, null, pairs.slice(1)], JSON.stringify(rest));
  const mid = await report(COURT, `&date=${day}&limit=1&offset=1`);
  assert.deepEqual([mid.total, mid.next_offset, attemptsOf(mid).map((a) => a.inspection_ids)], [1, 2, [pairs[1]]], JSON.stringify(mid));
  const past = await report(COURT, '&offset=3');
  assert.deepEqual([past.total, past.reads, past.courts, past.next_offset], [0, 0, [], null]);

  // the files page the same way
  const csv = await csvRows(COURT, `&date=${day}&limit=2`);
  assert.deepEqual(csv.slice(1).map((l) => l.split(',').slice(11).join(',')).map((x) => x.replace(/,\d{4}-\d\d-\d\d \d\d:\d\d,/, ',')), [`2,${pairs[0].join(' ')}`, `2,${pairs[1].join(' ')}`], csv.join('\n'));
  const text = await pdfText(COURT, `&date=${day}&limit=1`, 'page.pdf');
  assert.ok(text.includes('Total: 1.'), text);
  assert.match(text, /\(2 lecturas; la última a las \d\d:\d\d\)/, text);
  assert.equal((await sec.get('/api/v1/blocked-exits?offset=-1')).json.error.field, 'offset');
});

test('the day\'s file for a court holds every attempt, past the list\'s default page of 500', async () => {
  const COURT = 'Juzgado Segundo de Paz de Sonsonate';
  await ban(COURT, 'PAZ-77-2026', { given_names: 'Mauricio Alfredo', surnames: 'Zepeda Guardado', birth_date: '1969-04-12' });
  const r = await swipe({ kind: 'passport', code: 'P', number: 'A7700001', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-01-01' },
    { given_names: 'Mauricio Alfredo', surnames: 'Zepeda Guardado', birth_date: '1969-04-12', nationality: 'SLV', sex: 'M' });
  // 500 more attempts of that day, each under a case of its own (the
  // booth would need 500 people banned by the court)
  const ins = srv.sql(`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 500)
    INSERT INTO blocked_exits (inspection_id, restriction_id, person_id, court, case_number, port, at, day)
    SELECT b.inspection_id, b.restriction_id, b.person_id, b.court, b.case_number || '-' || k.i, b.port, b.at, b.day
    FROM blocked_exits b, k WHERE b.inspection_id = ${r.inspection_id}`);
  assert.equal(ins.status, 0, ins.stderr);
  const day = svDay(attemptsOf(await report(COURT)).find((a) => a.inspection_id === r.inspection_id).at);
  const rows = await csvRows(COURT, `&date=${day}`);
  assert.equal(rows.length, 1 + 501, 'a header and every attempt');
  assert.match(await pdfText(COURT, `&date=${day}`, 'sonsonate.pdf'), /Total: 501\./);
  // the list pages at 500 and says where the next page starts
  const j = await report(COURT, `&date=${day}`);
  assert.deepEqual([j.total, j.next_offset], [500, 500]);
  // a page of the file only when asked for
  assert.equal((await csvRows(COURT, `&date=${day}&limit=10`)).length, 1 + 10);
});
