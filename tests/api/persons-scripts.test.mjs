// Persons whose surnames are written in another script than Latin (a
// Russian typed by hand as «ИВАНОВ», a visa from records in Greek):
// persons.surnames_key was empty for them (persons_fold keeps Latin
// letters only), so the person search refused «Иванов» (400, no letter)
// and IVANOV did not find him, and a renewal on a crowded birth date,
// read by that key, never saw him.  The key now reads those letters
// (store/persons.h, persons_surnames_key): Cyrillic as ICAO 9303 spells it
// in the MRZ, other scripts as themselves; and migration 39 keys again the
// persons stored before.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser, ENGINE } from '../lib/server.mjs';

let srv, ofi, sup;
const PW = 'Escrituras-Segura-2026';
before(async () => {
  srv = await startServer();
  ofi = await staffUser(srv.url, 'esc_oficial', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'esc_super', 'supervisor_control', PW);
});
after(async () => { await srv.stop(); });

const cross = async (direction, number, person) => {
  const r = await ofi.post('/api/v1/inspections', {
    port: 'SAL', direction, transport: 'TA 390',
    document: { kind: 'passport', code: 'P', number, issuing_state: person.nationality, nationality: person.nationality, expiry_date: '2031-05-01' },
    person: { sex: 'M', ...person },
  });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json;
};
const search = async (q) => {
  const r = await sup.get(`/api/v1/persons?limit=500&surnames=${encodeURIComponent(q)}`);
  assert.equal(r.status, 200, `${q}: ${r.text}`);
  return r.json.items.map((p) => p.id);
};
const flagsBetween = async (a, b) => {
  const list = await sup.get('/api/v1/person-duplicates?status=open&limit=200');
  assert.equal(list.status, 200, list.text);
  return list.json.items.filter((x) => x.persons.some((p) => p.id === a) && x.persons.some((p) => p.id === b));
};
const sql = (q) => {
  const r = srv.sql(q);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
};

test('the person search finds surnames typed in Cyrillic, by them and by the MRZ spelling, and other scripts by themselves', async () => {
  const ivan = await cross('entry', 'RS100001', { given_names: 'Иван', surnames: 'ИВАНОВ', birth_date: '1971-04-04', nationality: 'RUS' });
  const olga = await cross('entry', 'RS100002', { given_names: 'Ольга', surnames: 'Иванова-Щербакова', birth_date: '1975-06-06', nationality: 'RUS' });
  const mrz = await cross('entry', 'RS100003', { given_names: 'PETR', surnames: 'IVANOV', birth_date: '1960-01-02', nationality: 'RUS' });
  const nikos = await cross('entry', 'GR100001', { given_names: 'Νίκος', surnames: 'Παπαδόπουλος', birth_date: '1980-02-02', nationality: 'GRC' });
  const lan = await cross('entry', 'VN100001', { given_names: 'Thị Lan', surnames: 'Nguyễn', birth_date: '1990-03-03', nationality: 'VNM' });
  assert.equal(sql(`SELECT surnames_key FROM persons WHERE id = ${ivan.person_id}`), 'IVANOV');
  // in Cyrillic, any case, and its start: he and the IVANOV of an MRZ
  for (const q of ['ИВАНОВ', 'Иванов', 'ива']) {
    const ids = await search(q);
    assert.ok(ids.includes(ivan.person_id), `${q}: ${ids}`);
    assert.ok(ids.includes(mrz.person_id), `${q}: ${ids}`);
  }
  // the MRZ's spelling finds the Cyrillic records; the start finds the rest
  assert.deepEqual((await search('IVANOV')).sort((a, b) => a - b), [ivan.person_id, olga.person_id, mrz.person_id]);
  assert.deepEqual(await search('Ivanova Shch'), [olga.person_id]);
  assert.deepEqual(await search('Иванова-Щербакова'), [olga.person_id]);
  // Greek matches itself, accents and case aside
  assert.deepEqual(await search('ΠΑΠΑΔΟΠΟΥΛΟΣ'), [nikos.person_id]);
  assert.deepEqual(await search('Παπα'), [nikos.person_id]);
  // a Latin letter past Latin Extended-A keeps its base letter
  assert.deepEqual(await search('NGUYEN'), [lan.person_id]);
  assert.deepEqual(await search('Nguyễn'), [lan.person_id]);
  // still no search without a letter of any script
  const none = await sup.get(`/api/v1/persons?surnames=${encodeURIComponent('😀 -')}`);
  assert.equal(none.status, 400);
  assert.equal(none.json.error.code, 'invalid_surnames');
});

// A birth date shared by more persons than the booth weighs one by one (a
// state that prints 1 January for an unknown date): the renewal reads the
// persons of that date by their surnames key.
const crowd = (date, nat) => {
  sql(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200)
    INSERT INTO persons (given_names, surnames, birth_date, sex, nationality, created_at, updated_at, surnames_key)
    SELECT 'X', 'AHMADI ' || i, '${date}', 'M', '${nat}', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'AHMADI ' || i FROM n;`);
};

test('a crowded birth date: the Russian passport (MRZ IVANOV) of a person typed in Cyrillic is flagged beside him, not a stranger', async () => {
  const typed = { given_names: 'Сергей', surnames: 'Смирнов', birth_date: '1969-01-01', nationality: 'RUS' };
  // the crowd first: the booth's first DAY_READ of the date are theirs,
  // whichever order the engine reads them in (an index, or the table's)
  crowd('1969-01-01', 'RUS');
  const a = await cross('entry', 'RS200001', typed);
  // the same person as his new passport's MRZ writes him
  const b = await cross('exit', 'RS200002', { ...typed, given_names: 'SERGEI', surnames: 'SMIRNOV' });
  assert.notEqual(b.person_id, a.person_id, 'another script is another spelling: not linked by the machine');
  assert.equal(b.renewal, false);
  assert.equal(b.possible_duplicates, 1, JSON.stringify(b));
  const flags = await flagsBetween(a.person_id, b.person_id);
  assert.equal(flags.length, 1, JSON.stringify(flags));
  assert.equal(flags[0].reason, 'similar_names_and_birth_date');
  // and the other way: an MRZ first, a record typed in Cyrillic after
  const mrz = { given_names: 'ANNA', surnames: 'KUZNETSOVA', birth_date: '1968-01-01', nationality: 'RUS' };
  crowd('1968-01-01', 'RUS');
  const c = await cross('entry', 'RS200003', mrz);
  const d = await cross('exit', 'RS200004', { ...mrz, given_names: 'Анна', surnames: 'Кузнецова' });
  assert.equal(d.possible_duplicates, 1, JSON.stringify(d));
  assert.equal((await flagsBetween(c.person_id, d.person_id)).length, 1);
  // a renewal written in Cyrillic both times links, crowd or not
  const e = await cross('exit', 'RS200005', typed);
  assert.equal(e.person_id, a.person_id, JSON.stringify(e));
  assert.equal(e.renewal, true);
});

// migrate runs what comes after the latest version applied: to run one
// again, the ones after it are undone too (one line here for each later
// migration)
const LATER = {
  ...(ENGINE === 'pg'
    ? { 40: 'ALTER TABLE traveler_fines DROP COLUMN status_note; ALTER TABLE traveler_fines DROP COLUMN status_changed_at;',
      41: 'DROP TRIGGER inadmissions_no_update ON inadmissions; DROP TRIGGER inadmissions_no_delete ON inadmissions; DROP TRIGGER inadmissions_no_truncate ON inadmissions;' }
    : { 40: 'ALTER TABLE traveler_fines DROP COLUMN status_changed_at; ALTER TABLE traveler_fines DROP COLUMN status_note;',
      41: 'DROP TRIGGER inadmissions_no_update; DROP TRIGGER inadmissions_no_delete;' }),
  // the same on both engines
  42: 'ALTER TABLE minor_authorizations DROP COLUMN minor_surnames_key;',
  43: 'ALTER TABLE traveler_fines DROP COLUMN movement_id;',
  44: 'DROP INDEX carrier_fines_inspection;',
  45: 'ALTER TABLE minor_authorizations DROP COLUMN revoked_by; ALTER TABLE minor_authorizations DROP COLUMN revoked_at; ALTER TABLE minor_authorizations DROP COLUMN revoke_reference;',
  46: '',
  47: 'ALTER TABLE inspections DROP COLUMN previous_resolved_at; ALTER TABLE inspections DROP COLUMN previous_resolved_by; ALTER TABLE inspections DROP COLUMN previous_resolution_notes; ALTER TABLE inspections DROP COLUMN previous_resolution;',
  48: '',
};
// the SQL that takes the database back to migration v (its later ones undone)
const undoAfter = (v) => Object.keys(LATER).map(Number).filter((x) => x > v).sort((a, b) => b - a).map((x) => LATER[x]).join(' ');

test('migration 39 keys again the persons stored before it, on either engine', async () => {
  const p = await cross('entry', 'RS300001', { given_names: 'Дмитрий', surnames: 'Соколов', birth_date: '1972-07-07', nationality: 'RUS' });
  const q = await cross('entry', 'VN300001', { given_names: 'Văn', surnames: 'Trần Đức', birth_date: '1973-07-07', nationality: 'VNM' });
  const r = await cross('entry', 'SV300001', { given_names: 'Ana', surnames: 'Ramírez Mejía', birth_date: '1974-07-07', nationality: 'SLV' });
  // as the earlier server keyed them (or a dataset loaded without keys)
  sql(`UPDATE persons SET surnames_key = '' WHERE id = ${p.person_id};
       UPDATE persons SET surnames_key = 'TRN DUC' WHERE id = ${q.person_id};
       UPDATE persons SET surnames_key = NULL WHERE id = ${r.person_id};
       ${undoAfter(39)}
       DELETE FROM schema_migrations WHERE version >= 39;`);
  assert.equal((await sup.get(`/api/v1/persons?surnames=${encodeURIComponent('Соколов')}`)).json.items.length, 0);
  const m = srv.cli('migrate');
  assert.equal(m.status, 0, m.stderr);
  assert.equal(sql(`SELECT surnames_key FROM persons WHERE id IN (${p.person_id}, ${q.person_id}, ${r.person_id}) ORDER BY id`),
    'SOKOLOV\nTRAN DUC\nRAMIREZ MEJIA');
  assert.equal(sql('SELECT count(*) FROM schema_migrations WHERE version = 39'), '1');
  assert.deepEqual(await search('Соколов'), [p.person_id]);
  assert.deepEqual(await search('SOKOLOV'), [p.person_id]);
  assert.deepEqual(await search('Tran Duc'), [q.person_id]);
});

test('migration 46 keys again the surnames typed in Serbian Cyrillic (ђ, ћ, љ, њ, џ were kept as letters), persons and LEPINA registry, on either engine', async () => {
  const p = await cross('entry', 'RS460001', { given_names: 'Ђорђе', surnames: 'Ђорђевић', birth_date: '1975-05-05', nationality: 'SRB' });
  assert.equal(sql(`SELECT surnames_key FROM persons WHERE id = ${p.person_id}`), 'DORDEVIC');
  // found by the MRZ's spelling and by the typed one
  assert.deepEqual(await search('Dordevic'), [p.person_id]);
  assert.deepEqual(await search('Ђорђевић'), [p.person_id]);
  const m = await ofi.post('/api/v1/minor-authorizations', {
    minor: { given_names: 'Јована', surnames: 'Ђорђевић', birth_date: '2015-03-03', nationality: 'SRB', document_number: 'RS460002' },
    birth_certificate_ref: 'Izvod 12', authorizing: [{ relation: 'father', given_names: 'Ђорђе', surnames: 'Ђорђевић' }],
    instrument: 'notarial_act', instrument_reference: 'Acta 46-2026', issued_on: '2026-11-01', valid_to: '2027-01-31',
    companion: { given_names: 'Милица', surnames: 'Ћирић', document_number: 'RS460003' }, destination: 'SRB', length_of_stay: '20 días' });
  assert.equal(m.status, 201, JSON.stringify(m.json));
  // keyed as an earlier server keyed them: the letters kept
  sql(`UPDATE persons SET surnames_key = 'ЂОРЂЕВИЋ' WHERE id = ${p.person_id};
       UPDATE minor_authorizations SET minor_surnames_key = 'ЂОРЂЕВИЋ' WHERE id = ${m.json.id};
       ${undoAfter(46)}
       DELETE FROM schema_migrations WHERE version >= 46;`);
  assert.deepEqual(await search('Ђорђевић'), [], 'the old key is not what a search reads');
  const mg = srv.cli('migrate');
  assert.equal(mg.status, 0, mg.stderr);
  assert.equal(sql(`SELECT surnames_key FROM persons WHERE id = ${p.person_id}`), 'DORDEVIC');
  assert.equal(sql(`SELECT minor_surnames_key FROM minor_authorizations WHERE id = ${m.json.id}`), 'DORDEVIC');
  assert.deepEqual(await search('Ђорђевић'), [p.person_id]);
  const l = await sup.get(`/api/v1/minor-authorizations?surnames=${encodeURIComponent('Đorđević')}`);
  assert.deepEqual(l.json.items.map((a) => a.id), [m.json.id]);
});

// Not a person's script, but a migration run again as 39 and 46 are: a
// lost/stolen report stored as issued by «usa» before the report took the
// code in any case (api_country_field) was never found by the booth, which
// compares USA.
test('migration 48 upper-cases the issuing state of lost/stolen reports stored before, on either engine: the booth finds them', async () => {
  const row = (num, state, status = 'active') => `('${num}', 'passport', '${state}', 'stolen', '2026-01-01', 'DGME', '${status}', 'x', 'x')`;
  sql(`INSERT INTO lost_stolen (document_number, document_type, issuing_state, reason, reported_on, source, status, created_at, created_by) VALUES
         ${row('LS4800001', 'usa')}, ${row('LS4800002', 'd')}, ${row('LS4800003', 'USA')}, ${row('LS4800003', 'Usa')},
         ${row('LS4800004', 'usa')}, ${row('LS4800004', 'uSa')}, ${row('LS4800004', 'usA', 'recovered')}, ${row('LS4800005', 'ña')};
       ${undoAfter(48)}
       DELETE FROM schema_migrations WHERE version >= 48;`);
  const m = srv.cli('migrate');
  assert.equal(m.status, 0, m.stderr);
  assert.equal(sql("SELECT document_number || ':' || issuing_state || ':' || status FROM lost_stolen WHERE document_number LIKE 'LS48%' ORDER BY id"),
    ['LS4800001:USA:active', 'LS4800002:DEU:active', 'LS4800003:USA:active', 'LS4800003:Usa:active',
      'LS4800004:USA:active', 'LS4800004:uSa:active', 'LS4800004:USA:recovered', 'LS4800005:ñA:active'].join('\n'));
  assert.equal(sql('SELECT count(*) FROM schema_migrations WHERE version = 48'), '1');
  const r = await cross('entry', 'LS4800001', { given_names: 'Ruth', surnames: 'Robada', birth_date: '1971-01-01', nationality: 'USA' });
  assert.equal(r.decision, 'refuse', JSON.stringify(r.reasons));
  assert.ok(r.reasons.some((x) => x.code === 'document_lost_stolen'), JSON.stringify(r.reasons));
});
