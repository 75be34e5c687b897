// Names and a carnet number nothing could ever match, found by the
// bad-input sweep:
// - a prechequeo list (a bus or ship company's travelers) took surnames
//   and given names with no letter at all («😀», «123», «---»), which the
//   booth refuses (400 invalid_name): a record no inspection could match
//   by name.  The list now refuses them by the booth's own rule
//   (names_has_letter), per record, as its other errors.
// - the booth took «😀» or «-» as a resident's carnet number, recorded
//   with the crossing and printed on its certificate.  It is now read as a
//   document's number: letters and digits, hyphens, dots, slashes or
//   spaces grouping them, 4 at least; kept as typed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser, carrierUser } from '../lib/server.mjs';

let srv, bus, ofi;
const PW = 'Turno-Nombres-2026!';
const localAt = (minutes) => new Date(Date.now() - 6 * 3600000 + minutes * 60000).toISOString().slice(0, 16);
const today = localAt(0).slice(0, 10);
const laterToday = () => { const t = localAt(120); return t.slice(0, 10) === today ? t : `${today}T23:59`; };
const addDays = (d, n) => new Date(Date.parse(d + 'T12:00:00Z') + n * 86400e3).toISOString().slice(0, 10);

before(async () => {
  srv = await startServer();
  bus = await carrierUser(srv, 'nc_bus', 'NCBUS', PW, { kind: 'bus', displayName: 'Buses NC' });
  ofi = await staffUser(srv.url, 'nc_ofi', 'oficial_control', PW);
});
after(async () => { await srv.stop(); });

let seq = 0;
const traveler = (over = {}) => ({ surnames: 'Gómez', given_names: 'Ana', birth_date: '1980-01-01', sex: 'F', nationality: 'GTM',
  doc_type: 'P', doc_number: `NC${String(++seq).padStart(6, '0')}`, doc_issuing_state: 'GTM', doc_expiry: '2031-01-01', ...over });
const list = (travelers) => bus.post('/api/v1/prechequeo/lists', { port: 'HAC', vehicle: `P-NC ${++seq}`, company: 'Buses NC',
  arrival: laterToday(), direction: 'entry', travelers });
const insp = (over = {}) => ({
  port: 'SAL', direction: 'entry', transport: 'TA 390',
  document: { kind: 'passport', code: 'P', number: `NC${String(++seq).padStart(7, '0')}`, issuing_state: 'USA', nationality: 'USA', expiry_date: '2031-05-01' },
  person: { given_names: 'John', surnames: `Carnet${'abcdefghij'[seq % 10]}`, birth_date: '1975-03-02', sex: 'M', nationality: 'USA' },
  ...over,
});

test('a prechequeo list refuses a surname or given names without a letter, as the booth does: 422 list_rejected naming each record and field', async () => {
  const NOLETTER = ['😀', '123', '---', '. .'];
  for (const junk of NOLETTER) {
    // the booth's verdict on the same name, the rule the list follows
    const b = await ofi.post('/api/v1/inspections', insp({ person: { given_names: 'John', surnames: junk, birth_date: '1975-03-02', sex: 'M', nationality: 'USA' } }));
    assert.deepEqual([b.status, b.json.error?.code, b.json.error?.field], [400, 'invalid_name', 'person.surnames'], `${junk}: ${JSON.stringify(b.json)}`);
    const r = await list([traveler(), traveler({ surnames: junk }), traveler({ given_names: junk })]);
    assert.equal(r.status, 422, `${junk}: ${JSON.stringify(r.json)}`);
    assert.equal(r.json.error.code, 'list_rejected');
    const errs = r.json.errors.map((x) => [x.record, x.field, x.code]);
    assert.deepEqual(errs, [[2, 'surnames', 'invalid_name'], [3, 'given_names', 'invalid_name']], `${junk}: ${JSON.stringify(r.json.errors)}`);
    assert.match(r.json.errors[0].message, /viajero 2: «surnames» no contiene ninguna letra/);
  }
  // in CSV too, with the line
  const csv = 'surnames,given_names,birth_date,sex,nationality,doc_type,doc_number,doc_issuing_state,doc_expiry\r\n' +
    'SMITH,JOHN,1975-03-02,M,USA,P,NCV00001,USA,2031-01-01\r\n' +
    '123,Mary,1980-01-01,F,USA,P,NCV00002,USA,2031-01-01\r\n';
  const c = await bus.req('POST', `/api/v1/prechequeo/lists?${new URLSearchParams({ port: 'HAC', vehicle: 'P-NC CSV', arrival: laterToday(), direction: 'entry' })}`,
    csv, { 'content-type': 'text/csv' });
  assert.equal(c.status, 422, JSON.stringify(c.json));
  assert.deepEqual(c.json.errors.map((x) => [x.record, x.line, x.field, x.code]), [[2, 3, 'surnames', 'invalid_name']], JSON.stringify(c.json.errors));
  // names of any script, with a particle or an apostrophe, and no given
  // names (optional) are names: the list is accepted
  const ok = await list([traveler({ surnames: "O'Neil-Ñúñez" }), traveler({ surnames: '李', given_names: '小龙' }),
    traveler({ surnames: 'Ивanova' }), traveler({ given_names: undefined }), traveler({ given_names: '' })]);
  assert.equal(ok.status, 201, JSON.stringify(ok.json));
  assert.equal(ok.json.manifests[0].passengers, 5);
});

test('the booth refuses a residence carnet number that is no number: 400 invalid_document_number naming residence.carnet_number; one grouped by hyphens is kept as typed', async () => {
  const residence = (carnet_number) => ({ residence: { carnet_number, valid_until: addDays(today, 300) },
    document: { kind: 'passport', code: 'P', number: `NC${String(++seq).padStart(7, '0')}`, issuing_state: 'PRT', nationality: 'PRT', expiry_date: '2031-05-01' } });
  for (const junk of ['😀', '-', '---', 'RC1', 'R-1 2', 'RT#4400', 'RÉ-4400', '漢字漢字漢字']) {
    const r = await ofi.post('/api/v1/inspections', insp(residence(junk)));
    assert.deepEqual([r.status, r.json.error?.code, r.json.error?.field], [400, 'invalid_document_number', 'residence.carnet_number'], `${junk}: ${JSON.stringify(r.json)}`);
    assert.match(r.json.error.message, /carné/);
  }
  // too long is said as such, by the one rule of document numbers
  // (rules_docno_read: at most 20 letters or digits)
  for (const long of ['R'.repeat(31), 'R'.repeat(21), 'RT-'.repeat(10) + '1']) {
    const r = await ofi.post('/api/v1/inspections', insp(residence(long)));
    assert.deepEqual([r.status, r.json.error?.code, r.json.error?.field], [400, 'invalid_document_number', 'residence.carnet_number'], JSON.stringify(r.json));
    assert.match(r.json.error.message, /carné.*hasta 20/);
  }
  for (const good of ['RT-4400', 'rd 778.81', 'RC/2024/0001', 'R1234567']) {
    const r = await ofi.post('/api/v1/inspections', insp(residence(good)));
    assert.equal(r.status, 201, `${good}: ${JSON.stringify(r.json)}`);
    const rec = r.json.reasons.find((x) => x.code === 'resident_carnet_valid');
    assert.equal(rec?.record, good, JSON.stringify(r.json.reasons));
  }
});
