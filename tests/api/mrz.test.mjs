// The MRZ engine over HTTP (POST /api/v1/documents/mrz, GET /api/v1/countries),
// on the command line (sigm mrz), and at the booth: POST /api/v1/inspections
// with {"mrz": "..."} decides on what the zone says, and a zone that fails
// validation is never admitted (reason mrz_invalid).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startServer, Client, ADMIN_PASSWORD, BIN } from '../lib/server.mjs';

let srv, ofi, admin;
const PW = 'Turno-Seguro-2026';
const OFFICER_ROLES = ['oficial_control', 'supervisor_control', 'secretaria_general', 'pasaportes', 'extranjeria', 'atencion_migrante'];
const clients = {};
before(async () => {
  srv = await startServer();
  admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  for (const role of OFFICER_ROLES) {
    const r = await admin.post('/api/v1/users', { username: `m_${role}`, display_name: role, unit: 'DCM', roles: [role], password: PW });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const c = new Client(srv.url);
    assert.equal((await c.login(`m_${role}`, PW)).status, 200);
    clients[role] = c;
  }
  ofi = clients.oficial_control;
});
after(async () => { await srv.stop(); });

const TD3 = 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10';

// 7-3-1 check digits, to build zones the tests need
const val = (c) => (c === '<' ? 0 : /[0-9]/.test(c) ? Number(c) : c.charCodeAt(0) - 55);
const cd = (s) => String([...s].reduce((a, c, i) => a + val(c) * [7, 3, 1][i % 3], 0) % 10);
function td3({ state = 'USA', name = 'SMITH<<JOHN', number, nat = 'USA', birth = '750302', sex = 'M', expiry = '310501', personal = '' }) {
  const l1 = `P<${state}${name}`.padEnd(44, '<');
  const num = number.padEnd(9, '<');
  const pn = personal.padEnd(14, '<');
  const body = num + cd(num) + nat + birth + cd(birth) + sex + expiry + cd(expiry) + pn + cd(pn);
  const comp = body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 43);
  return `${l1}\n${body}${cd(comp)}`;
}

test('POST /api/v1/documents/mrz returns the fixed object for the ICAO TD3 specimen', async () => {
  const r = await ofi.post('/api/v1/documents/mrz', { mrz: TD3 });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, {
    format: 'TD3', valid: true,
    fields: { document_code: 'P', issuing_state: 'UTO', surnames: 'ERIKSSON', given_names: 'ANNA MARIA', document_number: 'L898902C3', nationality: 'UTO', birth_date: '1974-08-12', sex: 'F', expiry_date: '2012-04-15', optional_data: 'ZE184226B' },
    errors: [], suggestions: [],
  });
  // the CLI prints the very same object, byte for byte as the issue fixes it
  const c = spawnSync(BIN, ['mrz'], { input: TD3 + '\n', encoding: 'utf8' });
  assert.equal(c.status, 0, c.stderr);
  assert.equal(c.stdout, '{"format":"TD3","valid":true,"fields":{"document_code":"P","issuing_state":"UTO","surnames":"ERIKSSON","given_names":"ANNA MARIA","document_number":"L898902C3","nationality":"UTO","birth_date":"1974-08-12","sex":"F","expiry_date":"2012-04-15","optional_data":"ZE184226B"},"errors":[],"suggestions":[]}\n');
  assert.deepEqual(JSON.parse(c.stdout), r.json);
  // a warning appears only when there is one: a name filling its field
  const t = await ofi.post('/api/v1/documents/mrz', { mrz: 'I<PRT007666667<ZZ00<<<<<<<<<<<\n8303143M3405293PRT<<<<<<<<<<<4\nCACADOR<DE<ARAUJO<<ANDRE<ESTEV' });
  assert.equal(t.json.valid, true);
  assert.deepEqual(t.json.warnings.map((w) => w.code), ['name_truncated']);
});

test('errors name the field with a stable code and a Spanish message; OCR confusions are suggested, never fixed', async () => {
  const r = await ofi.post('/api/v1/documents/mrz', { mrz: TD3.replace('7408122F', '74O8122F') });
  assert.equal(r.status, 200);
  assert.equal(r.json.valid, false);
  assert.equal(r.json.fields.birth_date, null);
  assert.ok(r.json.errors.some((e) => e.code === 'invalid_date' && e.field === 'birth_date' && /fecha/.test(e.message)));
  assert.deepEqual(r.json.suggestions.map(({ field, line, position, found, suggested }) => ({ field, line, position, found, suggested })),
    [{ field: 'birth_date', line: 2, position: 16, found: 'O', suggested: '0' }]);
  const bad = await ofi.post('/api/v1/documents/mrz', { mrz: 'hola' });
  assert.equal(bad.status, 200);
  assert.equal(bad.json.format, null);
  assert.equal(bad.json.errors[0].code, 'unknown_format');
  assert.equal((await ofi.post('/api/v1/documents/mrz', {})).status, 400);
  assert.equal((await ofi.post('/api/v1/documents/mrz', { mrz: 'x'.repeat(2000) })).status, 413);
});

test('every officer role may read an MRZ; anonymous may not', async () => {
  for (const role of OFFICER_ROLES) {
    const r = await clients[role].post('/api/v1/documents/mrz', { mrz: TD3 });
    assert.equal(r.status, 200, role);
  }
  assert.equal((await new Client(srv.url).post('/api/v1/documents/mrz', { mrz: TD3 })).status, 401);
});

test('GET /api/v1/countries lists ISO 3166-1 with Spanish names and ICAO codes', async () => {
  const r = await ofi.get('/api/v1/countries');
  assert.equal(r.status, 200);
  const by = Object.fromEntries(r.json.countries.map((c) => [c.code, c]));
  assert.equal(by.SLV.name, 'El Salvador');
  assert.equal(by.DEU.name, 'Alemania');
  assert.equal(by.D.icao, true);
  assert.ok(by.XXA && by.UTO && by.RKS);
  assert.ok(r.json.countries.length > 270);
});

test('sigm mrz: one JSON line per document; exit 0 all valid, 1 any invalid, 2 unusable', () => {
  const corpus = readFileSync(new URL('../data/mrz/specimens.txt', import.meta.url), 'utf8');
  const all = spawnSync(BIN, ['mrz', '--today', '2026-11-25'], { input: corpus, encoding: 'utf8' });
  assert.equal(all.status, 1, all.stderr);
  const rows = all.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(rows.length, 26);
  assert.equal(rows.filter((r) => !r.valid).length, 2);
  assert.equal(spawnSync(BIN, ['mrz'], { input: `${TD3}\r\n\r\n${TD3}\r\n`, encoding: 'utf8' }).status, 0);
  assert.equal(spawnSync(BIN, ['mrz'], { input: '\n\n', encoding: 'utf8' }).status, 2);
  assert.equal(spawnSync(BIN, ['mrz', '/nonexistent/file'], { encoding: 'utf8' }).status, 2);
});

test('booth: a scanned TD3 is decided on its fields and recorded', async () => {
  const mrz = td3({ number: 'MZ1000001', name: 'DOE<<JANE<ANN', sex: 'F', birth: '800115' });
  const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 390', mrz });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.decision, 'admit', JSON.stringify(r.json.reasons));
  assert.equal(r.json.mrz.valid, true);
  assert.equal(r.json.mrz.fields.document_number, 'MZ1000001');
  const p = await ofi.get(`/api/v1/persons/${r.json.person_id}`);
  assert.equal(p.status, 200);
  const s = JSON.stringify(p.json);
  assert.ok(s.includes('DOE') && s.includes('1980-01-15') && s.includes('MZ1000001'), s);
});

test('booth: a German passport (state and nationality "D<<") is Germany: admitted with the 90 days, the person recorded as DEU', async () => {
  const mrz = td3({ state: 'D<<', nat: 'D<<', number: 'C01X00T47', name: 'MUSTERMANN<<ERIKA', sex: 'F', birth: '640812' });
  const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'LH 510', mrz });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.decision, 'admit', JSON.stringify(r.json.reasons));
  assert.ok(r.json.reasons.some((x) => x.code === 'stay_granted' && x.days === 90), JSON.stringify(r.json.reasons));
  const p = await ofi.get(`/api/v1/persons/${r.json.person_id}`);
  assert.equal(p.json.nationality, 'DEU', JSON.stringify(p.json));
  // the same person typed by hand with DEU is the same record
  const byHand = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'LH 511',
    document: { kind: 'passport', code: 'P', number: 'C01X00T47', issuing_state: 'DEU', nationality: 'DEU' },
    person: { given_names: 'ERIKA', surnames: 'MUSTERMANN', birth_date: '1964-08-12', sex: 'F', nationality: 'DEU' } });
  assert.equal(byHand.json.person_id, r.json.person_id, JSON.stringify(byHand.json));
  assert.ok(!byHand.json.reasons.some((x) => x.code === 'exit_without_entry'), JSON.stringify(byHand.json.reasons));
  // a German passport reported stolen with the state as its MRZ writes it ("D") is found by the booth
  const sec = new Client(srv.url);
  assert.equal((await admin.post('/api/v1/users', { username: 'mrz_sec', display_name: 'SG', unit: 'SG', roles: ['secretaria_general'], password: PW })).status, 201);
  assert.equal((await sec.login('mrz_sec', PW)).status, 200);
  const rep = await sec.post('/api/v1/documents/lost-stolen', { document_number: 'C01X00T55', document_type: 'passport', issuing_state: 'D', reason: 'stolen' });
  assert.equal(rep.status, 201, JSON.stringify(rep.json));
  const stolen = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'LH 510',
    mrz: td3({ state: 'D<<', nat: 'D<<', number: 'C01X00T55', name: 'MUSTERMANN<<MAX', sex: 'M', birth: '700101' }) });
  assert.equal(stolen.json.decision, 'refuse', JSON.stringify(stolen.json.reasons));
  assert.ok(stolen.json.reasons.some((x) => x.code === 'document_lost_stolen'), JSON.stringify(stolen.json.reasons));
});

test('booth: an MRZ that fails validation is never admitted (mrz_invalid, secondary)', async () => {
  const good = td3({ number: 'MZ1000002', name: 'ROE<<RICHARD' });
  const bad = good.slice(0, -1) + (good.endsWith('1') ? '2' : '1'); // break the composite
  const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', mrz: bad });
  assert.equal(r.status, 201, r.text);
  assert.notEqual(r.json.decision, 'admit');
  const reason = r.json.reasons.find((x) => x.code === 'mrz_invalid');
  assert.ok(reason, JSON.stringify(r.json.reasons));
  // in the officer's words, not the engine's codes
  assert.match(reason.detail, /dígito de control compuesto: el dígito de control no coincide/, reason.detail);
  assert.doesNotMatch(reason.detail, /[a-z]+_[a-z]+/, reason.detail);
  assert.equal(r.json.mrz.valid, false);
});

test('booth: an unreadable MRZ is refused with 422; mrz with document/person is 400', async () => {
  const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', mrz: 'P<UTO\nL898' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'mrz_unreadable');
  const both = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', mrz: TD3, document: {}, person: {} });
  assert.equal(both.status, 400);
  assert.equal(both.json.error.code, 'conflicting_fields');
});
