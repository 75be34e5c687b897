// The daily report of blocked exits by court and case (issue 6, part 5), as
// JSON, CSV and a signed PDF for the courts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, Client, ADMIN_PASSWORD } from '../lib/server.mjs';

let srv, sec, ofi, sup;
const PW = 'Turno-Seguro-2026';
async function userWith(role, unit, display) {
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const r = await admin.post('/api/v1/users', { username: `r_${role}`, display_name: display || role, unit, roles: [role], password: PW });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const c = new Client(srv.url);
  assert.equal((await c.login(`r_${role}`, PW)).status, 200);
  return c;
}
before(async () => {
  srv = await startServer();
  sec = await userWith('secretaria_general', 'SG', 'Lic. Roberto Menjívar');
  ofi = await userWith('oficial_control', 'DCM');
  sup = await userWith('supervisor_control', 'DCM');
});
after(async () => { await srv.stop(); });

test('blocked exits: the day report by court and case, as JSON, CSV and PDF', async () => {
  const person = { given_names: 'Rosa Elena', surnames: 'Quintanilla Flores', birth_date: '1975-07-07', nationality: 'SLV', sex: 'F' };
  const doc = { kind: 'passport', code: 'P', number: 'D55555555', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-01-01' };
  const c = await sec.post('/api/v1/restrictions', { court: 'Juzgado Quinto de Instrucción de San Salvador', case_number: 'INS-500-2026', measure: 'exit_ban', subject: { document_number: 'D55555555' }, effective_from: '2026-01-01' });
  assert.equal(c.status, 201);
  for (let i = 0; i < 2; i++) {
    const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'AV 611', route_country: 'GTM', document: doc, person });
    assert.equal(r.json.decision, 'refuse');
  }
  // the day the rows were stored under (the report's key)
  const all = await sec.get('/api/v1/blocked-exits');
  // (El Salvador's: from 18:00 there the UTC date is the next day)
  const day = new Date(Date.parse(all.json.courts[0].cases[0].attempts[0].at) - 6 * 3600e3).toISOString().slice(0, 10);
  const j = await sec.get(`/api/v1/blocked-exits?date=${day}`);
  assert.equal(j.status, 200);
  assert.equal(j.json.total, 2);

  const csv = await sec.get(`/api/v1/blocked-exits?date=${day}&format=csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  const lines = csv.text.trim().split('\r\n');
  assert.equal(lines.length, 3);
  assert.ok(lines[1].startsWith('Juzgado Quinto de Instrucción de San Salvador,INS-500-2026,'));
  // who read which attempts, in either format: the persons shown and the filters
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const [ac, aj] = (await admin.get('/api/v1/audit?action=blocked_exit.report&limit=2')).json.items;
  const pid = j.json.courts[0].cases[0].attempts[0].person_id;
  assert.deepEqual([ac.record_type, ac.detail.format, ac.detail.day, ac.detail.ids], ['person', 'csv', day, [pid]], JSON.stringify(ac));
  assert.deepEqual([aj.detail.format, aj.detail.ids.length], ['json', 1], JSON.stringify(aj));
  await sec.get(`/api/v1/blocked-exits?court=${encodeURIComponent('Juzgado Quinto de Instrucción de San Salvador')}`);
  const ak = (await admin.get('/api/v1/audit?action=blocked_exit.report&limit=1')).json.items[0];
  assert.equal(ak.detail.court, 'Juzgado Quinto de Instrucción de San Salvador');

  const r = await fetch(srv.url + `/api/v1/blocked-exits?date=${day}&format=pdf`, { headers: { cookie: sec.cookie } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  const f = path.join(srv.dir, 'rep.pdf');
  writeFileSync(f, Buffer.from(await r.arrayBuffer()));
  const out = process.env.SIGM_TEST_OUTPUT || 'build/test-output';
  mkdirSync(out, { recursive: true });
  copyFileSync(f, `${out}/informe-salidas-bloqueadas.pdf`);
  const text = spawnSync('pdftotext', [f, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
  for (const s of ['INFORME DIARIO DE SALIDAS BLOQUEADAS', 'Juzgado Quinto de Instrucción de San Salvador', 'INS-500-2026',
    'Rosa Elena Quintanilla Flores', 'Lic. Roberto Menjívar', 'Total: 2']) assert.ok(text.includes(s), `${s}: ${text}`);

  const empty = await fetch(srv.url + '/api/v1/blocked-exits?date=2020-01-01&format=pdf', { headers: { cookie: sec.cookie } });
  assert.equal(empty.status, 200);
  assert.equal((await sec.get('/api/v1/blocked-exits?format=xml')).status, 400);
  assert.equal((await sec.get('/api/v1/blocked-exits?date=2026-13-01')).json.error.field, 'date');
  assert.equal((await ofi.get('/api/v1/blocked-exits?format=csv')).status, 403);
  assert.equal((await sup.get(`/api/v1/blocked-exits?date=${day}&format=csv`)).status, 200, 'supervisors read restrictions');

  // the court was informed: recorded once, with who and when
  assert.equal((await sup.post('/api/v1/blocked-exits/informed', { date: day, court: 'Juzgado Quinto de Instrucción de San Salvador' })).status, 403);
  const inf = await sec.post('/api/v1/blocked-exits/informed', { date: day, court: 'Juzgado Quinto de Instrucción de San Salvador', reference: 'Oficio SG-1-2026' });
  assert.equal(inf.status, 200, JSON.stringify(inf.json));
  assert.equal(inf.json.informed, 2);
  assert.equal((await sec.post('/api/v1/blocked-exits/informed', { date: day, court: 'Juzgado Quinto de Instrucción de San Salvador' })).json.informed, 0);
  const after = await sec.get(`/api/v1/blocked-exits?date=${day}`);
  assert.ok(after.json.courts[0].cases[0].attempts.every((a) => a.informed_at));
  assert.equal((await sec.post('/api/v1/blocked-exits/informed', { date: 'ayer', court: 'x' })).json.error.field, 'date');
});
