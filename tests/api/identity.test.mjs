// Identity at the booth (store/persons.h): a renewed passport links to the
// same person when the data agree, whoever else shares the birth date and
// in whatever script the names are written; the ordinary variations of a
// renewal (a surname dropped or swapped, an ICAO transliteration, a partial
// birth date, another nationality) are flagged as possible duplicates,
// never merged; a document on file is not taken as the traveler's when the
// surnames given have no letter.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';

let srv, ofi, sup;
const PW = 'Identidad-Segura-2026';
before(async () => {
  srv = await startServer();
  ofi = await staffUser(srv.url, 'id_oficial', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'id_supervisor', 'supervisor_control', PW);
});
after(async () => { await srv.stop(); });

// One crossing of a traveler (person) on passport number: issued by their
// nationality's state unless said otherwise.
const cross = async (direction, number, person, document = {}) => {
  const r = await ofi.post('/api/v1/inspections', {
    port: 'SAL', direction, transport: 'TA 390',
    document: { kind: 'passport', code: 'P', number, issuing_state: person.nationality, nationality: person.nationality, expiry_date: '2031-05-01', ...document },
    person: { sex: 'F', ...person },
  });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json;
};
const codes = (r) => r.reasons.map((x) => x.code);
// the open flags that pair the two records
async function flagsBetween(a, b) {
  const list = await ofi.get('/api/v1/person-duplicates?status=open');
  assert.equal(list.status, 200, JSON.stringify(list.json));
  return list.json.items.filter((x) => x.persons.some((p) => p.id === a) && x.persons.some((p) => p.id === b));
}

test('a renewed passport links to its holder however many persons share the birth date and nationality', async () => {
  const ana = { given_names: 'Ana', surnames: 'ZELAYA', birth_date: '1980-05-05', nationality: 'USA' };
  const entry = await cross('entry', 'Z1000001', ana);
  assert.equal(entry.decision, 'admit', JSON.stringify(entry.reasons));
  // 55 others born the same day, of the same nationality, whose surnames
  // sort before hers
  for (let i = 0; i < 55; i++) {
    const s = String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26));
    await cross('entry', `Z20000${String(i).padStart(2, '0')}`, { given_names: 'X', surnames: `ABARCA ${s}`, birth_date: '1980-05-05', nationality: 'USA' });
  }
  const exit = await cross('exit', 'Z1000002', ana);
  assert.equal(exit.person_id, entry.person_id, 'the renewed passport is hers');
  assert.equal(exit.renewal, true);
  assert.equal(exit.possible_duplicates, 0);
  assert.ok(!codes(exit).includes('exit_without_entry'), JSON.stringify(exit.reasons));
  assert.equal(exit.decision, 'admit', JSON.stringify(exit.reasons));
});

test('a crowded birth date (1,200 persons born on a 1 January): the renewal still links, by its surnames', async () => {
  const omar = { given_names: 'Omar', surnames: 'ZAHIR', birth_date: '1975-01-01', nationality: 'AFG' };
  const entry = await cross('entry', 'AF1000001', omar);
  // the crowd, written behind the server's back, its surnames sorting first
  const q = srv.sql(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200)
    INSERT INTO persons (given_names, surnames, birth_date, sex, nationality, created_at, updated_at, surnames_key)
    SELECT 'X', 'AHMADI ' || i, '1975-01-01', 'M', 'AFG', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'AHMADI ' || i FROM n;`);
  assert.equal(q.status, 0, q.stderr);
  const exit = await cross('exit', 'AF1000002', omar);
  assert.equal(exit.person_id, entry.person_id, 'the renewed passport is his');
  assert.equal(exit.renewal, true);
});

test('the ordinary variations of a renewal are flagged as possible duplicates, never merged', async () => {
  const cases = [
    ['second surname dropped', { given_names: 'Rosa Elena', surnames: 'Martínez Flores' }, { surnames: 'MARTINEZ' }],
    ['surnames swapped', { given_names: 'Carlos', surnames: 'Ramos Cruz' }, { surnames: 'CRUZ RAMOS' }],
    ['ICAO transliteration', { given_names: 'Jürgen', surnames: 'Müller' }, { given_names: 'JUERGEN', surnames: 'MUELLER' }],
    ['partial birth date', { given_names: 'Sonia', surnames: 'Quijada Rivas' }, { birth_date: '1988-08' }],
    ['partial birth date on file', { given_names: 'Rina', surnames: 'Lemus Paz', birth_date: '1988-08' }, { birth_date: '1988-08-08' }],
    ['another nationality', { given_names: 'Marco', surnames: 'Bianchi Russo' }, { nationality: 'ITA' }],
    // her first surname, then her husband's after «de» (Ley del Nombre)
    ['married name for the second surname', { given_names: 'Ana María', surnames: 'López Rivas' }, { surnames: 'López de Hernández' }],
    ['names cut short by the MRZ', { given_names: 'Maximiliano Alejandro Sebastián', surnames: 'Villavicencio Santamaría Echeverría' },
      { given_names: 'MAXIMILIANO A', surnames: 'VILLAVICENCIO SANTAMARIA ECHEV' }],
  ];
  let n = 0;
  for (const [what, was, now] of cases) {
    const before = { birth_date: '1988-08-08', nationality: 'HND', ...was };
    const a = await cross('entry', `V${String(++n).padStart(7, '0')}`, before);
    assert.equal(a.possible_duplicates, 0, what);
    const b = await cross('exit', `W${String(n).padStart(7, '0')}`, { ...before, ...now });
    assert.notEqual(b.person_id, a.person_id, `${what}: not merged`);
    assert.equal(b.renewal, false, what);
    assert.equal(b.possible_duplicates, 1, `${what}: flagged`);
    const flags = await flagsBetween(a.person_id, b.person_id);
    assert.equal(flags.length, 1, `${what}: ${JSON.stringify(flags)}`);
    assert.equal(flags[0].reason, 'similar_names_and_birth_date', what);
  }
});

test('two records a supervisor linked as one traveler: her next passport is hers, not a third record', async () => {
  const p = { given_names: 'Lucía Fernanda', surnames: 'Portillo Sosa', birth_date: '1992-04-04', nationality: 'HND' };
  const a = await cross('entry', 'L1000001', p);
  const b = await cross('entry', 'L1000002', { ...p, given_names: 'LUCIA' });
  assert.equal(b.possible_duplicates, 1);
  const [flag] = await flagsBetween(a.person_id, b.person_id);
  const rv = await sup.post(`/api/v1/person-duplicates/${flag.id}/review`, { decision: 'same', note: 'fotografía y firma' });
  assert.equal(rv.status, 200, JSON.stringify(rv.json));
  // a renewal of either record is that record, read where the other
  // left her (a third record flagged beside both left «sin entrada»)
  const c = await cross('exit', 'L1000003', p);
  assert.deepEqual([c.person_id, c.renewal, c.possible_duplicates], [a.person_id, true, 0], JSON.stringify(c));
  assert.ok(!codes(c).includes('exit_without_entry'), JSON.stringify(c.reasons));
  const d = await cross('entry', 'L1000004', { ...p, given_names: 'LUCIA' });
  assert.deepEqual([d.person_id, d.renewal, d.possible_duplicates], [b.person_id, true, 0], JSON.stringify(d));
  assert.ok(!codes(d).includes('entry_without_exit'), JSON.stringify(d.reasons));
});

// the records whose events a record's timeline shows
const recordsIn = async (id) => {
  const t = await sup.get(`/api/v1/persons/${id}/timeline?limit=200`);
  assert.equal(t.status, 200, JSON.stringify(t.json));
  return [...new Set(t.json.events.filter((e) => e.type === 'movement').map((e) => e.movement.person_id))].sort((x, y) => x - y);
};
const inside = async (id, asOf) => (await sup.get(`/api/v1/overstayers?limit=200&as_of=${asOf}`)).json.items.some((x) => x.person_id === id);
const unlink = (id, body) => sup.post(`/api/v1/person-duplicates/${id}/unlink`, body);

test('twins linked by mistake: the link is undone with a reason, the case reopens, each record is its own again', async () => {
  const far = new Date(Date.now() + 400 * 86400e3).toISOString().slice(0, 10);
  const twin = { surnames: 'Quintanilla Rosales', birth_date: '1990-03-03', nationality: 'USA' };
  const a = await cross('entry', 'QT100001', { ...twin, given_names: 'Mario' });
  const b = await cross('entry', 'QT100002', { ...twin, given_names: 'Marco', sex: 'M' });
  assert.equal(b.possible_duplicates, 1, JSON.stringify(b));
  const [flag] = await flagsBetween(a.person_id, b.person_id);
  // before the decision, an unlink is refused naming why
  const early = await unlink(flag.id, { note: 'no' });
  assert.deepEqual([early.status, early.json.error?.code, early.json.error?.field], [409, 'not_linked', 'id'], JSON.stringify(early.json));
  assert.match(early.json.error.message, /por revisar/);
  assert.equal((await sup.post(`/api/v1/person-duplicates/${flag.id}/review`, { decision: 'same', note: 'misma foto (error)' })).status, 200);
  // linked: Mario leaves, and his exit "closes" Marco's entry too
  const out = await cross('exit', 'QT100001', { ...twin, given_names: 'Mario' });
  assert.equal(out.person_id, a.person_id);
  const both = [a.person_id, b.person_id].sort((x, y) => x - y);
  assert.deepEqual(await recordsIn(b.person_id), both);
  assert.equal(await inside(b.person_id, far), false, 'linked: Marco reads as gone');

  // errors: the note, the role, an unknown case
  for (const body of [{}, { note: '   ' }, { note: null }]) {
    const r = await unlink(flag.id, body);
    assert.deepEqual([r.status, r.json.error?.code, r.json.error?.field], [422, 'missing_field', 'note'], JSON.stringify(body));
  }
  assert.equal((await ofi.post(`/api/v1/person-duplicates/${flag.id}/unlink`, { note: 'x' })).status, 403);
  const none = await unlink(987654321, { note: 'x' });
  assert.deepEqual([none.status, none.json.error?.code], [404, 'not_found']);

  const r = await unlink(flag.id, { note: 'Son gemelos: otra fotografía y otra firma' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.deepEqual(r.json, { id: flag.id, status: 'open', still_linked: false });
  // apart: each timeline its own movements; Marco is inside again (past his stay on a far day)
  assert.deepEqual(await recordsIn(a.person_id), [a.person_id]);
  assert.deepEqual(await recordsIn(b.person_id), [b.person_id]);
  assert.equal(await inside(b.person_id, far), true, 'unlinked: Marco still inside');
  assert.equal(await inside(a.person_id, far), false);
  // the booth: Marco's exit is his own, Mario's second exit has no entry
  const m = await cross('exit', 'QT100002', { ...twin, given_names: 'Marco', sex: 'M' });
  assert.equal(m.person_id, b.person_id);
  assert.ok(!codes(m).includes('exit_without_entry'), JSON.stringify(m.reasons));
  // audited with the reason; the undone decision is kept
  const au = srv.sql(`SELECT detail FROM audit_log WHERE action = 'person_duplicate.unlink' AND record_id = '${flag.id}'`).stdout.trim();
  assert.match(au, /Son gemelos/);
  assert.match(srv.sql(`SELECT link_note || '|' || unlinked_by || '|' || unlink_note FROM person_link_ends WHERE duplicate_id = ${flag.id}`).stdout,
    /misma foto \(error\)\|id_supervisor\|Son gemelos/);
  // the case is open again, to be decided anew; a second unlink is refused
  assert.equal((await flagsBetween(a.person_id, b.person_id)).length, 1);
  const again = await unlink(flag.id, { note: 'otra vez' });
  assert.deepEqual([again.status, again.json.error?.code], [409, 'not_linked']);
  assert.equal((await sup.post(`/api/v1/person-duplicates/${flag.id}/review`, { decision: 'distinct', note: 'gemelos' })).status, 200);
  const closed = await unlink(flag.id, { note: 'x' });
  assert.deepEqual([closed.status, closed.json.error?.code], [409, 'not_linked']);
  assert.match(closed.json.error.message, /personas distintas/);
});

test('a chain A-B, B-C: undoing A-B parts A only; B and C stay one', async () => {
  const t = { surnames: 'Cañas Ulloa', birth_date: '1988-08-08', nationality: 'USA' };
  const a = await cross('entry', 'CU100001', { ...t, given_names: 'Ana' });
  const b = await cross('entry', 'CU100002', { ...t, given_names: 'Berta' });
  const c = await cross('entry', 'CU100003', { ...t, given_names: 'Carla' });
  const [ab] = await flagsBetween(a.person_id, b.person_id);
  const [bc] = await flagsBetween(b.person_id, c.person_id);
  assert.ok(ab && bc, 'flagged');
  for (const f of [ab, bc]) assert.equal((await sup.post(`/api/v1/person-duplicates/${f.id}/review`, { decision: 'same', note: 'x' })).status, 200);
  const all = [a.person_id, b.person_id, c.person_id].sort((x, y) => x - y);
  assert.deepEqual(await recordsIn(a.person_id), all);
  const r = await unlink(ab.id, { note: 'Ana es otra persona' });
  assert.deepEqual([r.status, r.json.still_linked], [200, false], JSON.stringify(r.json));
  assert.deepEqual(await recordsIn(a.person_id), [a.person_id]);
  assert.deepEqual(await recordsIn(c.person_id), [b.person_id, c.person_id].sort((x, y) => x - y));
});

test('data that agree only by chance are not flagged; the same data still link', async () => {
  const base = { given_names: 'José Luis', surnames: 'Hernández López', birth_date: '1977-07-07', nationality: 'GTM' };
  const a = await cross('entry', 'G7000001', base);
  // another second surname, other given names, another year, another
  // first surname: other persons
  for (const [i, other] of [
    { surnames: 'Hernández Pérez' },
    { given_names: 'Juan', surnames: 'López' },
    { birth_date: '1978-07-07', surnames: 'HERNANDEZ' },
    { surnames: 'Portillo López', nationality: 'MEX' },
  ].entries()) {
    const r = await cross('entry', `G700010${i}`, { ...base, ...other });
    assert.equal(r.possible_duplicates, 0, JSON.stringify(other));
    assert.notEqual(r.person_id, a.person_id);
  }
  // the same data as an MRZ writes them: the same person
  const b = await cross('exit', 'G7000002', { ...base, given_names: 'JOSE LUIS', surnames: 'HERNANDEZ LOPEZ' });
  assert.equal(b.person_id, a.person_id);
  assert.equal(b.renewal, true);
  assert.equal(b.possible_duplicates, 0);
});

test('surnames without a Latin letter are not a wildcard: a passport on file is not theirs', async () => {
  const holder = { given_names: 'Ana', surnames: 'Zelaya Cañas', birth_date: '1985-01-15', nationality: 'GTM' };
  const a = await cross('entry', 'K1000001', holder);
  assert.equal(a.decision, 'admit', JSON.stringify(a.reasons));
  // a name of no letter at all is refused at the booth (a store that gets
  // one still takes it for nobody else: tests/unit/test_persons.c)
  for (const surnames of ['---', '😀']) {
    const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'TA 390',
      document: { kind: 'passport', code: 'P', number: 'K1000001', issuing_state: 'GTM', nationality: 'GTM', expiry_date: '2031-05-01' },
      person: { ...holder, surnames } });
    assert.deepEqual([r.status, r.json.error?.code, r.json.error?.field], [400, 'invalid_name', 'person.surnames'], surnames);
  }
  // letters of another script are a name, and not the holder's
  const r = await cross('exit', 'K1000001', { ...holder, surnames: 'Зелая' });
  assert.ok(codes(r).includes('document_holder_mismatch'), JSON.stringify(r.reasons));
  assert.notEqual(r.decision, 'admit');
});

test('names written in Cyrillic: a renewal links, one in Latin letters (ICAO) is flagged', async () => {
  const ivan = { given_names: 'Иван', surnames: 'Иванов', birth_date: '1970-03-03', nationality: 'RUS', sex: 'M' };
  const a = await cross('entry', 'R1000001', ivan);
  const b = await cross('exit', 'R1000002', ivan);
  assert.equal(b.person_id, a.person_id, JSON.stringify(b));
  assert.equal(b.renewal, true);
  assert.ok(!codes(b).includes('exit_without_entry'), JSON.stringify(b.reasons));
  // the same person as an MRZ writes him: a possible duplicate
  const c = await cross('entry', 'R1000003', { ...ivan, given_names: 'IVAN', surnames: 'IVANOV' });
  assert.equal(c.possible_duplicates, 1, JSON.stringify(c));
  // the old passport presented under other Cyrillic surnames is not his
  const d = await cross('exit', 'R1000001', { ...ivan, surnames: 'Петров' });
  assert.ok(codes(d).includes('document_holder_mismatch'), JSON.stringify(d.reasons));
});

test('letters past Latin Extended-A are read without their marks: «Nguyễn» typed by hand is the NGUYEN of his passport\'s MRZ', async () => {
  for (const [n, typed, mrz, nat] of [['VN', 'Nguyễn Thị', 'NGUYEN THI', 'VNM'], ['RO', 'Ștefănescu', 'STEFANESCU', 'ROU']]) {
    const p = { given_names: 'Lan', surnames: typed, birth_date: '1991-03-03', nationality: nat };
    const a = await cross('entry', `${n}1000001`, p);
    // the same passport, its MRZ read at the exit: its holder, no mismatch
    const b = await cross('exit', `${n}1000001`, { ...p, surnames: mrz });
    assert.ok(!codes(b).includes('document_holder_mismatch'), `${typed}: ${JSON.stringify(b.reasons)}`);
    assert.equal(b.person_id, a.person_id, typed);
    // a renewed passport with the MRZ's spelling links as «Hernández» and HERNANDEZ do
    const c = await cross('entry', `${n}1000002`, { ...p, surnames: mrz });
    assert.equal(c.person_id, a.person_id, typed);
    assert.equal(c.renewal, true, typed);
    assert.equal(c.possible_duplicates, 0, typed);
  }
});

test('a birth date on file without its day («XX») is not a different birth date', async () => {
  const p = { given_names: 'Ayaan', surnames: 'Warsame', birth_date: '1981-05-XX', nationality: 'SOM', sex: 'M' };
  const a = await cross('entry', 'S1000001', p);
  const b = await cross('exit', 'S1000001', { ...p, birth_date: '1981-05-17' });
  assert.ok(!codes(b).includes('document_holder_mismatch'), JSON.stringify(b.reasons));
  assert.equal(b.person_id, a.person_id);
  // but another full date is another person's
  const c = await cross('entry', 'S1000002', { ...p, birth_date: '1981-05-17' });
  const d = await cross('exit', 'S1000002', { ...p, birth_date: '1981-05-18' });
  assert.ok(codes(d).includes('document_holder_mismatch'), JSON.stringify(d.reasons));
  assert.notEqual(d.person_id, c.person_id);
});

test('a document number as people write it (a DUI with its hyphen, a passport in lower case or groups) is the number on record; other characters are still refused', async () => {
  const p = { given_names: 'Laura', surnames: 'Ramos Funes', birth_date: '1985-03-03', nationality: 'SLV' };
  const r = await ofi.post('/api/v1/inspections', { port: 'HAC', direction: 'entry', transport: 'P 123', route_country: 'GTM',
    document: { kind: 'id_card', number: '00016297-5', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2030-01-01' }, person: { sex: 'F', ...p } });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  // the same card, written as the record keeps it: the same document and person
  const again = await ofi.post('/api/v1/inspections', { port: 'HAC', direction: 'exit', transport: 'P 123', route_country: 'GTM',
    document: { kind: 'id_card', number: '000162975', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2030-01-01' }, person: { sex: 'F', ...p } });
  assert.equal(again.status, 201, JSON.stringify(again.json));
  assert.deepEqual([again.json.person_id, again.json.document_id], [r.json.person_id, r.json.document_id]);
  const lower = await cross('entry', 'x1234-567', { given_names: 'Ana', surnames: 'Lowe', birth_date: '1980-01-01', nationality: 'USA' });
  const upper = await cross('exit', 'X1234567', { given_names: 'Ana', surnames: 'Lowe', birth_date: '1980-01-01', nationality: 'USA' });
  assert.equal(upper.document_id, lower.document_id);
  assert.ok(!codes(upper).includes('exit_without_entry'), JSON.stringify(upper.reasons));
  for (const [number, code] of [['AB#1234', 'invalid_document_number'], ['Ñ1234567', 'invalid_document_number'], ['--1--', 'invalid_document_number'], ['a-b', 'invalid_document_number']]) {
    const bad = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 1',
      document: { kind: 'passport', number, issuing_state: 'USA', nationality: 'USA', expiry_date: '2031-01-01' }, person: { sex: 'F', given_names: 'Ana', surnames: 'Lowe', birth_date: '1980-01-01', nationality: 'USA' } });
    assert.deepEqual([bad.status, bad.json.error?.code, bad.json.error?.field], [400, code, 'document.number'], number);
  }
});

// The DUI shown beside a passport (document.dui, or national_dui beside an
// MRZ) is kept with the person, as the DUI card itself would be: the one
// national number a Salvadoran keeps for life.
test('one DUI shown with the passports of two persons: the second is not its holder (document_holder_mismatch, flagged beside the first)', async () => {
  const carmen = await cross('entry', 'SV1000001', { given_names: 'Carmen', surnames: 'Flores Ayala', birth_date: '1979-02-02', nationality: 'SLV' }, { dui: '04444441-6' });
  assert.equal(carmen.decision, 'admit', JSON.stringify(carmen.reasons));
  const jorge = await cross('entry', 'SV1000002', { given_names: 'Jorge', surnames: 'Mejía Orellana', birth_date: '1990-09-09', nationality: 'SLV', sex: 'M' }, { dui: '04444441-6' });
  assert.ok(codes(jorge).includes('document_holder_mismatch'), JSON.stringify(jorge.reasons));
  // the DUI is the number on file under Carmen, not Jorge's passport: said so
  const said = jorge.reasons.find((x) => x.code === 'document_holder_mismatch').message;
  assert.match(said, /^El DUI 04444441-6, mostrado con el documento SV1000002, ya está registrado a nombre de otra persona \(Carmen Flores Ayala, nacimiento 2 feb 1979\)/, said);
  assert.notEqual(jorge.decision, 'admit');
  assert.notEqual(jorge.person_id, carmen.person_id);
  assert.equal(jorge.possible_duplicates, 1, JSON.stringify(jorge));
  const f = await flagsBetween(jorge.person_id, carmen.person_id);
  assert.equal(f.length, 1, 'flagged for an officer, never merged');
  // the DUI stays its holder's: found under Carmen alone
  const s = await ofi.get('/api/v1/persons?document_number=04444441-6');
  assert.equal(s.status, 200, s.text);
  assert.deepEqual(s.json.items.map((x) => x.id), [carmen.person_id]);
});

test('a new passport shown with the DUI of a person whose data agree is that person\'s renewal, without previous_number', async () => {
  const rosa = { given_names: 'Rosa Elena', surnames: 'Martínez Flores', birth_date: '1983-04-04', nationality: 'SLV' };
  const entry = await cross('entry', 'SV2000001', rosa, { dui: '04444442-4' });
  assert.equal(entry.decision, 'admit', JSON.stringify(entry.reasons));
  // a second surname dropped on the new passport: a possible duplicate by
  // the data alone, her renewal by her DUI
  const exit = await cross('exit', 'SV2000002', { ...rosa, surnames: 'MARTINEZ' }, { dui: '04444442-4' });
  assert.equal(exit.person_id, entry.person_id, JSON.stringify(exit));
  assert.equal(exit.renewal, true);
  assert.equal(exit.possible_duplicates, 0);
  assert.ok(!codes(exit).includes('exit_without_entry'), JSON.stringify(exit.reasons));
  assert.ok(!codes(exit).includes('document_holder_mismatch'), JSON.stringify(exit.reasons));
});
