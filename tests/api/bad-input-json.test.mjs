// Bad input the generic sweep (bad-input-sweep.test.mjs) only saw as a
// whole-body or unnamed error: a NUL escape inside a JSON string, error
// texts that quote what the client sent cut inside a letter, a query
// parameter without a name, and PAXLST travelers whose names hold no
// letter.  Each is a 4xx naming the field (or, for a manifest's traveler,
// a warning naming it), never a 500 or a record taken silently.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD, staffUser, carrierUser } from '../lib/server.mjs';
import { paxlst } from '../lib/apis.mjs';

let srv, admin, ofi, sup, carrier;
const PW = 'Entrada-Mala-2026';
before(async () => {
  srv = await startServer();
  admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  ofi = await staffUser(srv.url, 'bij_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'bij_sup', 'supervisor_control', PW);
  carrier = await carrierUser(srv, 'bij_ta', 'TA', PW);
});
after(async () => { await srv.stop(); });

let seq = 0;
const insp = (person = {}) => ({
  port: 'SAL', direction: 'entry', transport: 'TA 390',
  document: { kind: 'passport', code: 'P', number: `BIJ${String(++seq).padStart(6, '0')}`, issuing_state: 'USA', nationality: 'USA', expiry_date: '2031-05-01' },
  person: { given_names: 'Ana', surnames: `Nulo${seq}`, birth_date: '1980-03-02', sex: 'F', nationality: 'USA', ...person },
});

// A 400 invalid_characters naming field, and nothing stored.
function refusedNul(r, field) {
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.code, 'invalid_characters', r.text);
  assert.equal(r.json.error.field, field, r.text);
  assert.match(r.json.error.message, new RegExp(field.replace(/[.[\]]/g, '\\$&')));
}

test('a NUL escape inside a JSON string is a 400 invalid_characters naming the field, on every endpoint', async () => {
  // the booth: a nested field, and the traveler is not recorded
  const people = async () => { const r = await ofi.get('/api/v1/persons?surnames=Nulo'); assert.equal(r.status, 200, r.text); return r.json; };
  const before_ = await people();
  refusedNul(await ofi.post('/api/v1/inspections', insp({ given_names: 'ANA\u0000X' })), 'person.given_names');
  refusedNul(await ofi.post('/api/v1/inspections', { ...insp(), transport: 'TA\u0000390' }), 'transport');
  assert.deepEqual(await people(), before_);
  // a user (top level, and inside a list)
  refusedNul(await admin.post('/api/v1/users', { username: 'bij_nul', display_name: 'Ana\u0000X', unit: 'DCM', roles: ['oficial_control'], password: PW }), 'display_name');
  refusedNul(await admin.post('/api/v1/users', { username: 'bij_nul', display_name: 'Ana', unit: 'DCM', roles: ['oficial_control', 'x\u0000'], password: PW }), 'roles[1]');
  const u = await admin.get('/api/v1/users/bij_nul');
  assert.equal(u.status, 404, u.text);
  assert.equal((await admin.get('/api/v1/users/bij_ofi')).status, 200);
  // a public route, before any handler: the sign-in
  refusedNul(await new Client(srv.url).post('/api/v1/session', { username: 'admin\u0000x', password: ADMIN_PASSWORD }), 'username');
  // a NUL written as raw bytes is still not JSON at all
  const raw = await new Client(srv.url).req('POST', '/api/v1/session', '{"username":"a\u0000b","password":"x"}');
  assert.equal(raw.status, 400, raw.text);
  assert.equal(raw.json.error.code, 'malformed_json');
});

test('white space around a text (a cell pasted from a spreadsheet) is taken off before it is read; a password is kept as typed', async () => {
  // « SAL » was `unknown_port`, « 1980-03-02» `too_long` («supera 10
  // caracteres»), «USA\u00a0» `too_long` (3), until 2026-12-07
  const b = insp({ birth_date: ' 1980-03-02', nationality: 'usa ' });
  Object.assign(b, { port: ' SAL ', transport: 'TA 390\t' });
  Object.assign(b.document, { issuing_state: 'USA\u00a0', expiry_date: '2031-05-01\r\n' });
  const r = await ofi.post('/api/v1/inspections', b);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.decision, 'admit', r.text);
  assert.equal(srv.sql(`SELECT port || '|' || transport FROM movements WHERE id = ${r.json.movement_id}`).stdout.trim(), 'SAL|TA 390');
  // blank is still blank: a required field of spaces is refused
  const blank = await ofi.post('/api/v1/inspections', { ...insp(), port: ' \u00a0 ' });
  assert.equal(blank.status, 400, blank.text);
  assert.equal(blank.json.error.field, 'port', blank.text);
  // a password with a space at its end is that password
  const pw = `${PW} `;
  assert.equal((await admin.post('/api/v1/users', { username: ' bij_esp ', display_name: 'Espacio', unit: 'DCM', roles: ['oficial_control'], password: pw })).status, 201);
  assert.equal((await new Client(srv.url).login('bij_esp', pw)).status, 200);
  assert.equal((await new Client(srv.url).login('bij_esp', PW)).status, 401);
});

test('texts of an error body that quote the client are valid UTF-8 even when cut inside a letter', async () => {
  // an unknown field of 100 "é" (200 bytes): the field is cut at 159
  // bytes, inside the 80th letter; it came out missing from the answer
  const key = 'é'.repeat(100);
  const r = await ofi.post('/api/v1/inspections', { ...insp(), [key]: 1 });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.code, 'unknown_field');
  assert.equal(typeof r.json.error.field, 'string', r.text);
  assert.ok(r.json.error.field.startsWith('é'.repeat(79)), r.json.error.field);
  assert.ok(!r.text.includes('\ufffd'), r.text);
  // the same nested (person.<key>)
  const n = await ofi.post('/api/v1/inspections', insp({ [key]: 1 }));
  assert.equal(n.status, 400, n.text);
  assert.ok(n.json.error.field?.startsWith('person.é'), n.text);
});

test('a query parameter without a name: a control character in its value is a 400 naming "query"; plain, ignored as any unknown one', async () => {
  const day = new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10);
  for (const q of ['?=%0A', `?day=${day}&=%0A`, '?=%00', '?=a%0Ab', '?zz=1&=%0A']) {
    const r = await ofi.get(`/api/v1/movements${q}`);
    assert.equal(r.status, 400, `${q}: ${r.text}`);
    assert.equal(r.json.error.code, 'invalid_characters', q);
    assert.equal(r.json.error.field, 'query', q);
    assert.match(r.json.error.message, /sin nombre/, q);
  }
  const enc = await ofi.get('/api/v1/movements?=%FF');
  assert.equal(enc.status, 400, enc.text);
  assert.equal(enc.json.error.code, 'invalid_encoding');
  assert.equal(enc.json.error.field, 'query');
  // a named one is still named
  const named = await ofi.get('/api/v1/movements?port=%0A');
  assert.equal(named.json.error.field, 'port', named.text);
  // no bad bytes: as ?zz=x, a parameter no route reads
  const plain = await ofi.get(`/api/v1/movements?day=${day}&=x`);
  const unknown = await ofi.get(`/api/v1/movements?day=${day}&zz=x`);
  assert.equal(plain.status, 200, plain.text);
  assert.equal(unknown.status, 200, unknown.text);
  assert.deepEqual(plain.json, unknown.json);
});

test('PAXLST: a traveler whose surnames or given names hold no letter is left out with a warning naming the field; the rest goes in', async () => {
  const t = (sur, given, doc) => ({ sur, given, sex: 'F', birth: '850614', nat: 'SLV', doc });
  const r = await carrier.req('POST', '/api/v1/apis/manifests',
    paxlst('TA461', [t('PEREZ', 'ANA', 'BIJ901'), t('12345', 'JUAN', 'BIJ902'), t('LOPEZ', '--- 7', 'BIJ903'), t('GOMEZ', 'LUISA', 'BIJ904')]),
    { 'content-type': 'application/edifact' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'accepted');
  const m = r.json.manifests[0];
  assert.equal(m.passengers, 2, r.text);
  // the two travelers' warnings and nothing else (the list is otherwise well made)
  assert.deepEqual(r.json.warnings.map((w) => w.code), ['invalid_name', 'invalid_name'], r.text);
  const bad = r.json.warnings.filter((w) => w.code === 'invalid_name');
  assert.deepEqual(bad.map((w) => [w.tag, w.element, w.field]),
    [['NAD', 'NAD+4:1', 'surnames'], ['NAD', 'NAD+4:2', 'given_names']], r.text);
  assert.ok(bad.every((w) => w.segment > 0 && /viajero [23]/.test(w.message)), r.text);
  // stored: the two with names, and the warnings with the interchange
  const g = await sup.get(`/api/v1/apis/manifests/${m.id}`);
  assert.equal(g.status, 200, g.text);
  assert.deepEqual(g.json.persons.map((p) => p.surnames), ['PEREZ', 'GOMEZ']);
  assert.deepEqual(g.json.persons.map((p) => p.doc_number), ['BIJ901', 'BIJ904']);
  const ix = await sup.get(`/api/v1/apis/interchanges/${r.json.id}`);
  assert.equal(ix.status, 200, ix.text);
  assert.equal(ix.json.warnings.filter((w) => w.code === 'invalid_name').length, 2, ix.text);
});
