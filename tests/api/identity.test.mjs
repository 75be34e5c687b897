// Identity at the booth (store/persons.h): a renewed passport links to the
// same person when the data agree, whoever else shares the birth date and
// in whatever script the names are written; a document on file is not
// taken as the traveler's when the surnames given have no letter.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';

let srv, ofi;
const PW = 'Identidad-Segura-2026';
before(async () => {
  srv = await startServer();
  ofi = await staffUser(srv.url, 'id_oficial', 'oficial_control', PW);
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

test('surnames without a Latin letter are not a wildcard: a passport on file is not theirs', async () => {
  const holder = { given_names: 'Ana', surnames: 'Zelaya Cañas', birth_date: '1985-01-15', nationality: 'GTM' };
  const a = await cross('entry', 'K1000001', holder);
  assert.equal(a.decision, 'admit', JSON.stringify(a.reasons));
  for (const surnames of ['---', '😀', 'Зелая']) {
    const r = await cross('exit', 'K1000001', { ...holder, surnames });
    assert.ok(codes(r).includes('document_holder_mismatch'), `${surnames}: ${JSON.stringify(r.reasons)}`);
    assert.notEqual(r.decision, 'admit', surnames);
  }
  // and the other way round: a passport on file under «---» is not
  // Zelaya's, but is again the traveler's who wrote «---»
  const dash = { ...holder, given_names: 'Bea', surnames: '---' };
  const d = await cross('entry', 'K1000002', dash);
  const z = await cross('exit', 'K1000002', { ...dash, surnames: 'Zelaya' });
  assert.ok(codes(z).includes('document_holder_mismatch'), JSON.stringify(z.reasons));
  const same = await cross('exit', 'K1000002', dash);
  assert.ok(!codes(same).includes('document_holder_mismatch'), JSON.stringify(same.reasons));
  assert.equal(same.person_id, d.person_id);
});

test('names written in Cyrillic: a renewal links', async () => {
  const ivan = { given_names: 'Иван', surnames: 'Иванов', birth_date: '1970-03-03', nationality: 'RUS', sex: 'M' };
  const a = await cross('entry', 'R1000001', ivan);
  const b = await cross('exit', 'R1000002', ivan);
  assert.equal(b.person_id, a.person_id, JSON.stringify(b));
  assert.equal(b.renewal, true);
  assert.ok(!codes(b).includes('exit_without_entry'), JSON.stringify(b.reasons));
  // the old passport presented under other Cyrillic surnames is not his
  const d = await cross('exit', 'R1000001', { ...ivan, surnames: 'Петров' });
  assert.ok(codes(d).includes('document_holder_mismatch'), JSON.stringify(d.reasons));
});
