// Informing the courts of blocked exits when an attempt crosses midnight
// (docs/secretaria.md «Blocked exits report»).  A double swipe at 23:59 and
// 00:01 is one attempt of the first day; the day can be informed between
// the two reads (at 23:59:30), and then:
// - informing the next day did not mark the 00:01 read (it is not that
//   day's attempt), so nothing ever marked it;
// - the attempt the court was told of showed «Pendiente» again, and
//   informing its day again told the court of it a second time.
// An attempt informed once is informed; a read that joins it later is
// counted apart (informed_reads) and marked when its own day is informed,
// or alone ({"later_reads_only": true}) when that day has no attempt of the
// court to inform.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, staffUser, Client, ADMIN_PASSWORD } from '../lib/server.mjs';

let srv, sec, ofi;
const PW = 'Turno-Seguro-2026';
before(async () => {
  srv = await startServer();
  sec = await staffUser(srv.url, 'bm_sg', 'secretaria_general', PW, 'SG');
  ofi = await staffUser(srv.url, 'bm_ofi', 'oficial_control', PW);
});
after(async () => { await srv.stop(); });

// D-1 and D in El Salvador (UTC-6): 23:59 of D-1 is 05:59 UTC of D
const PREV = '2026-04-14', D = '2026-04-15';
const AT_2359 = '2026-04-15T05:59:00.000Z', AT_0001 = '2026-04-15T06:01:00.000Z', AT_0030 = '2026-04-15T06:30:00.000Z';

// A court banning one passport, and a booth read of it at a chosen time
// (the row moved to that time and day, as the booth's clock would have
// stored it).
const setup = async (court, number) => {
  const r = await sec.post('/api/v1/restrictions', { court, case_number: `${number}-2026`, measure: 'exit_ban', subject: { document_number: number }, effective_from: '2026-01-01' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const doc = { kind: 'passport', code: 'P', number, issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-01-01' };
  const person = { given_names: 'Julio César', surnames: 'Amaya Portillo', birth_date: '1969-04-04', nationality: 'SLV', sex: 'M' };
  const read = async (at, day) => {
    const s = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'AV 611', route_country: 'GTM', document: doc, person });
    assert.equal(s.json.decision, 'refuse', JSON.stringify(s.json));
    const u = srv.sql(`UPDATE blocked_exits SET at = '${at}', day = '${day}' WHERE inspection_id = ${s.json.inspection_id}`);
    assert.equal(u.status, 0, u.stderr);
    return s.json.inspection_id;
  };
  const inform = async (date) => {
    const x = await sec.post('/api/v1/blocked-exits/informed', { date, court });
    assert.equal(x.status, 200, JSON.stringify(x.json));
    return [x.json.informed, x.json.reads];
  };
  const attempts = async (date) => {
    const x = await sec.get(`/api/v1/blocked-exits?court=${encodeURIComponent(court)}&date=${date}`);
    assert.equal(x.status, 200, JSON.stringify(x.json));
    return x.json.courts.flatMap((c) => c.cases.flatMap((k) => k.attempts));
  };
  const unmarked = () => srv.sql(`SELECT inspection_id FROM blocked_exits WHERE court = '${court}' AND informed_at IS NULL ORDER BY inspection_id`)
    .stdout.trim().split('\n').filter(Boolean).map(Number);
  return { read, inform, attempts, unmarked };
};

test('the day informed at 23:59:30, a read at 00:01 of its attempt: the attempt stays informed, and informing the next day marks the read', async () => {
  const c = await setup('Juzgado Primero de Instrucción de Usulután', 'U1000001');
  const i1 = await c.read(AT_2359, PREV);
  assert.deepEqual(await c.inform(PREV), [1, 1]);
  const [told] = await c.attempts(PREV);
  assert.ok(told.informed_at, JSON.stringify(told));
  // the second swipe reaches the server after the informing; half an
  // hour later, another attempt, the next day's
  const i2 = await c.read(AT_0001, D);
  const i3 = await c.read(AT_0030, D);

  // the court was told of the attempt: informed when it was, not
  // «Pendiente» again; its second read said apart, not hidden
  const [a] = await c.attempts(PREV);
  assert.deepEqual([a.inspection_ids, a.reads, a.informed_at, a.informed_reads], [[i1, i2], 2, told.informed_at, 1], JSON.stringify(a));
  assert.deepEqual((await c.attempts(D)).map((x) => [x.inspection_ids, x.informed_at, x.informed_reads]), [[[i3], null, 0]]);

  // informing the next day: its one attempt, and the 00:01 read made that
  // day, which nothing else would ever mark
  assert.deepEqual(await c.inform(D), [1, 2]);
  assert.deepEqual(c.unmarked(), []);
  const [b] = await c.attempts(PREV);
  assert.deepEqual([b.reads, b.informed_at, b.informed_reads], [2, told.informed_at, 2], JSON.stringify(b));
  // nothing left for either day
  assert.deepEqual(await c.inform(PREV), [0, 0]);
  assert.deepEqual(await c.inform(D), [0, 0]);
});

test('the day informed again after the 00:01 read tells the court of no attempt: the read is marked, the attempt was already told', async () => {
  const c = await setup('Juzgado Segundo de Paz de La Unión', 'U2000002');
  await c.read(AT_2359, PREV);
  assert.deepEqual(await c.inform(PREV), [1, 1]);
  const i2 = await c.read(AT_0001, D);
  assert.deepEqual(c.unmarked(), [i2]);
  assert.deepEqual(await c.inform(PREV), [0, 1]);
  assert.deepEqual(c.unmarked(), []);
  const [a] = await c.attempts(PREV);
  assert.deepEqual([a.reads, a.informed_reads], [2, 2], JSON.stringify(a));
  assert.deepEqual(await c.inform(D), [0, 0]);
});

test('both reads stored before the day is informed: informing it marks the 00:01 read too; the next day\'s informing finds nothing of it', async () => {
  const c = await setup('Juzgado Tercero de Instrucción de San Vicente', 'U3000003');
  const i1 = await c.read(AT_2359, PREV);
  const i2 = await c.read(AT_0001, D);
  assert.deepEqual(c.unmarked(), [i1, i2]);
  assert.deepEqual(await c.inform(PREV), [1, 2]);
  assert.deepEqual(c.unmarked(), []);
  const [a] = await c.attempts(PREV);
  assert.deepEqual([a.reads, a.informed_reads], [2, 2], JSON.stringify(a));
  assert.ok(a.informed_at, JSON.stringify(a));
  assert.deepEqual(await c.inform(D), [0, 0]);
});

test('the next day informed first: the 00:01 read of an attempt the court was not told of stays for its own day\'s informing', async () => {
  const c = await setup('Juzgado Cuarto de Paz de Chalatenango', 'U4000004');
  const i1 = await c.read(AT_2359, PREV);
  const i2 = await c.read(AT_0001, D);
  assert.deepEqual(await c.inform(D), [0, 0]);
  assert.deepEqual(c.unmarked(), [i1, i2]);
  const [a] = await c.attempts(PREV);
  assert.deepEqual([a.informed_at, a.informed_reads], [null, 0], JSON.stringify(a));
  assert.deepEqual(await c.inform(PREV), [1, 2]);
  assert.deepEqual(c.unmarked(), []);
});

// The day after has no attempt of the court: its screen has nothing to
// inform and the first day's nothing pending, so the 00:01 read stayed
// unmarked, «(1 lectura posterior al informe)» for good.  The first day's
// screen offers to mark it alone ({"later_reads_only": true}): reads that
// joined attempts already told, never an attempt the court was not told of
// (one that arrived after the screen was read stays «Pendiente»).
test('a later read on a day with no attempt of the court: marked alone from the attempt\'s day, no attempt told, and audited', async () => {
  const c = await setup('Juzgado Quinto de Paz de Sonsonate', 'U5000005');
  const i1 = await c.read(AT_2359, PREV);
  assert.deepEqual(await c.inform(PREV), [1, 1]);
  const i2 = await c.read(AT_0001, D);
  // the gap: the next day shows nothing, the first day's attempt is told
  assert.deepEqual(await c.attempts(D), []);
  const [a] = await c.attempts(PREV);
  assert.deepEqual([a.inspection_ids, a.reads, a.informed_reads, !!a.informed_at], [[i1, i2], 2, 1, true], JSON.stringify(a));
  // an attempt of the first day stored late (20:00 there), after the
  // screen was read: the court has not heard of it
  const i0 = await c.read('2026-04-15T02:00:00.000Z', PREV);
  assert.deepEqual(c.unmarked(), [i2, i0]);

  const court = 'Juzgado Quinto de Paz de Sonsonate';
  const x = await sec.post('/api/v1/blocked-exits/informed', { date: PREV, court, later_reads_only: true });
  assert.equal(x.status, 200, JSON.stringify(x.json));
  assert.deepEqual([x.json.informed, x.json.reads], [0, 1]);
  assert.deepEqual(c.unmarked(), [i0]);
  const [late, b] = await c.attempts(PREV);
  assert.deepEqual([late.inspection_ids, late.informed_at], [[i0], null], JSON.stringify(late));
  assert.deepEqual([b.reads, b.informed_reads, b.informed_at], [2, 2, a.informed_at], JSON.stringify(b));
  // audited as informing is, saying only the later reads were marked
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const [au] = (await admin.get('/api/v1/audit?action=blocked_exit.informed&limit=1')).json.items;
  assert.deepEqual([au.record_id, au.detail.court, au.detail.later_reads_only, au.detail.rows, au.detail.attempts],
    [PREV, court, true, 1, 0], JSON.stringify(au));
  // nothing more of the kind; the late attempt is told by the day's informing
  const y = await sec.post('/api/v1/blocked-exits/informed', { date: PREV, court, later_reads_only: true });
  assert.deepEqual([y.status, y.json.informed, y.json.reads], [200, 0, 0]);
  assert.deepEqual(await c.inform(PREV), [1, 1]);
  assert.deepEqual(c.unmarked(), []);
  // and from the next day's side too: its reads of told attempts only
  // (23:59 of D, told; 00:02 of D+1, a day with no attempt of the court)
  await c.read('2026-04-16T05:59:00.000Z', D);
  assert.deepEqual(await c.inform(D), [1, 1]);
  const i5 = await c.read('2026-04-16T06:02:00.000Z', '2026-04-16');
  assert.deepEqual(c.unmarked(), [i5]);
  const z = await sec.post('/api/v1/blocked-exits/informed', { date: '2026-04-16', court, later_reads_only: true });
  assert.deepEqual([z.status, z.json.informed, z.json.reads], [200, 0, 1]);
  assert.deepEqual(c.unmarked(), []);
});

test('later_reads_only must be true or false', async () => {
  const x = await sec.post('/api/v1/blocked-exits/informed', { date: PREV, court: 'Juzgado Quinto de Paz de Sonsonate', later_reads_only: 'yes' });
  assert.equal(x.status, 400, JSON.stringify(x.json));
  assert.deepEqual([x.json.error.code, x.json.error.field], ['invalid_type', 'later_reads_only'], JSON.stringify(x.json));
});

// The officer reads the day's list, sends the court the report, then
// clicks «Marcar como informado»; the day is still running at the posts,
// and an attempt stored in between was marked too: the court never heard
// of it, and nothing showed it pending again.  The list's record ids say
// what the officer saw ("seen_through": the highest): an attempt none of
// whose reads is that old stays «Pendiente» (left_pending), while a read
// that joined an attempt shown is marked with it, as any later read of an
// attempt told.  Without the field, as before: the day's every attempt.
test('an attempt stored after the list was read is not marked informed with it: seen_through', async () => {
  const court = 'Juzgado Sexto de Paz de Ahuachapán';
  const c = await setup(court, 'U6000006');
  const i1 = await c.read('2026-04-15T16:00:00.000Z', D);
  const seen = Math.max(...(await c.attempts(D)).flatMap((a) => a.ids));
  // after the screen was read: a retry of the attempt shown, and a new one
  const i2 = await c.read('2026-04-15T16:02:00.000Z', D);
  const i3 = await c.read('2026-04-15T16:30:00.000Z', D);
  const x = await sec.post('/api/v1/blocked-exits/informed', { date: D, court, seen_through: seen });
  assert.equal(x.status, 200, JSON.stringify(x.json));
  assert.deepEqual([x.json.informed, x.json.reads, x.json.left_pending], [1, 2, 1]);
  assert.deepEqual(c.unmarked(), [i3]);
  assert.deepEqual((await c.attempts(D)).map((a) => [a.inspection_ids, !!a.informed_at]), [[[i1, i2], true], [[i3], false]]);
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const [au] = (await admin.get('/api/v1/audit?action=blocked_exit.informed&limit=1')).json.items;
  assert.deepEqual([au.detail.court, au.detail.seen_through, au.detail.left_pending, au.detail.attempts], [court, seen, 1, 1], JSON.stringify(au));
  // the screen read again shows it; without seen_through, every attempt
  const y = await sec.post('/api/v1/blocked-exits/informed', { date: D, court });
  assert.deepEqual([y.status, y.json.informed, y.json.reads, y.json.left_pending], [200, 1, 1, 0]);
  assert.deepEqual(c.unmarked(), []);
  for (const bad of ['12', 0, 1.5]) {
    const z = await sec.post('/api/v1/blocked-exits/informed', { date: D, court, seen_through: bad });
    assert.deepEqual([z.status, z.json.error.field], [400, 'seen_through'], JSON.stringify(z.json));
  }
});

// Day D's list showed nothing of the 00:01 read of D-1's attempt already
// told when D has no attempt of the court: the officer working through D
// never learnt a read of that day waited to be marked from D-1's screen.
// The day's answer says it (later_reads_of_previous_day, added): per case,
// the unmarked reads of the day before's told attempts; none while the
// attempt is untold (its own day's «Marcar» takes it) or once marked.
test('a day\'s list names its reads of the day before\'s told attempts still unmarked: later_reads_of_previous_day', async () => {
  const court = 'Juzgado Séptimo de Paz de Morazán';
  const c = await setup(court, 'U7000007');
  const list = async (q) => {
    const x = await sec.get(`/api/v1/blocked-exits?${q}`);
    assert.equal(x.status, 200, JSON.stringify(x.json));
    return x.json;
  };
  const mine = async (date) => (await list(`date=${date}`)).later_reads_of_previous_day.filter((l) => l.court === court);
  await c.read(AT_2359, PREV);
  await c.read(AT_0001, D);
  // the attempt not told yet: D-1's «Marcar como informado» takes the read
  assert.deepEqual(await mine(D), []);
  assert.deepEqual(await c.inform(PREV), [1, 2]);
  const i3 = await c.read('2026-04-15T06:03:00.000Z', D); // a third swipe, after the informing
  const j = await list(`date=${D}&court=${encodeURIComponent(court)}`);
  assert.deepEqual(Object.keys(j).sort(), ['courts', 'day', 'later_reads_of_previous_day', 'next_offset', 'reads', 'total']);
  assert.deepEqual([j.total, j.courts], [0, []]);
  assert.deepEqual(j.later_reads_of_previous_day, [{ date: PREV, court, case_number: 'U7000007-2026', reads: 1 }]);
  assert.deepEqual(c.unmarked(), [i3]);
  // another court's list, the day before's own, a range: not this one's
  assert.deepEqual((await list(`date=${D}&court=${encodeURIComponent('Juzgado Quinto de Paz de Sonsonate')}`)).later_reads_of_previous_day, []);
  assert.deepEqual(await mine(PREV), []);
  assert.equal((await list(`from=${D}&to=${D}`)).later_reads_of_previous_day, undefined);
  // marked from D-1's screen: nothing more to say on D's
  const x = await sec.post('/api/v1/blocked-exits/informed', { date: PREV, court, later_reads_only: true });
  assert.deepEqual([x.status, x.json.informed, x.json.reads], [200, 0, 1]);
  assert.deepEqual(await mine(D), []);
});

// The report (PDF, CSV) is read when the officer opens it, maybe after the
// screen was drawn: it held an attempt the screen never showed, which
// went to the court in the file but stayed «Pendiente» after «Marcar»
// (seen_through left it), to be reported a second time.  The screen asks
// the files with the same seen_through: as mark(), an attempt counts when
// one of its reads is that old, with every read of it (a retry stored
// after is marked with it, so the file says it too).
test('the report asked with seen_through holds the attempts the list showed, as «Marcar» marks them', async () => {
  const court = 'Juzgado Octavo de Paz de Usulután';
  const c = await setup(court, 'U8000008');
  const i1 = await c.read('2026-04-15T16:00:00.000Z', D);
  const seen = Math.max(...(await c.attempts(D)).flatMap((a) => a.ids));
  const i2 = await c.read('2026-04-15T16:02:00.000Z', D); // a retry of the attempt shown
  const i3 = await c.read('2026-04-15T16:30:00.000Z', D); // a new attempt, after the list
  const q = (extra) => `/api/v1/blocked-exits?date=${D}&court=${encodeURIComponent(court)}${extra}`;
  const rows = async (extra) => {
    const x = await sec.get(q(`&format=csv${extra}`));
    assert.equal(x.status, 200, x.text);
    return x.text.trim().split('\r\n').slice(1).map((l) => l.split(',').slice(-3, -2).concat(l.split(',').slice(-1)));
  };
  assert.deepEqual(await rows(`&seen_through=${seen}`), [['2', `${i1} ${i2}`]]);
  assert.deepEqual(await rows(''), [['2', `${i1} ${i2}`], ['1', `${i3}`]], 'without it, as before');
  assert.deepEqual(await rows('&seen_through=0'), [], 'an empty list shown: nothing');
  const r = await fetch(srv.url + q(`&format=pdf&seen_through=${seen}`), { headers: { cookie: sec.cookie } });
  assert.equal(r.status, 200);
  const f = path.join(srv.dir, 'seen.pdf');
  writeFileSync(f, Buffer.from(await r.arrayBuffer()));
  const text = spawnSync('pdftotext', [f, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
  for (const s of ['Total: 1.', '(2 lecturas; la última a las 10:02)', `No incluye 1 intento registrado después de leerse la lista (registro n.º ${seen}); se informará aparte.`])
    assert.ok(text.includes(s), `${s}: ${text}`);
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const [au] = (await admin.get('/api/v1/audit?action=blocked_exit.report&limit=1')).json.items;
  assert.deepEqual([au.detail.format, au.detail.seen_through], ['pdf', seen], JSON.stringify(au));
  // «Marcar» with the same value marks what the file held, and no more
  const x = await sec.post('/api/v1/blocked-exits/informed', { date: D, court, seen_through: seen });
  assert.deepEqual([x.json.informed, x.json.reads, x.json.left_pending], [1, 2, 1]);
  assert.deepEqual(c.unmarked(), [i3]);
  for (const bad of ['-1', 'x', '1.5']) {
    const z = await sec.get(q(`&format=csv&seen_through=${bad}`));
    assert.deepEqual([z.status, z.json?.error?.field], [400, 'seen_through'], bad);
  }
  // the list reads what is stored: the value is the files'
  const z = await sec.get(q(`&seen_through=${seen}`));
  assert.deepEqual([z.status, z.json.error.field], [400, 'seen_through']);
});
