// Identity at the booth, a renewal that cites its previous document
// (store/persons.c, match step 2): the previous document proves the
// renewal only when the holder's data agree with it, the given names
// included.  Twins share surnames and birth date: a sister's passport
// cited by mistake linked one twin's new passport to the other, silently.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';

let srv, ofi;
const PW = 'Identidad-Segura-2026';
before(async () => {
  srv = await startServer();
  ofi = await staffUser(srv.url, 'idp_oficial', 'oficial_control', PW);
});
after(async () => { await srv.stop(); });

const cross = async (number, person, document = {}, direction = 'entry') => {
  const r = await ofi.post('/api/v1/inspections', {
    port: 'SAL', direction, route_country: 'USA', transport: 'TA 390',
    document: { kind: 'passport', code: 'P', number, issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-05-01', ...document },
    person: { sex: 'F', nationality: 'SLV', ...person },
  });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json;
};
async function flagsBetween(a, b) {
  const list = await ofi.get('/api/v1/person-duplicates?status=open');
  assert.equal(list.status, 200, JSON.stringify(list.json));
  return list.json.items.filter((x) => x.persons.some((p) => p.id === a) && x.persons.some((p) => p.id === b));
}

test('a twin whose new passport cites her sister\'s old one is flagged beside her, not linked to her', async () => {
  const maria = await cross('T0000001', { given_names: 'María José', surnames: 'Hernández López', birth_date: '1990-05-05' });
  const ana = await cross('T0000002', { given_names: 'Ana Lucía', surnames: 'Hernández López', birth_date: '1990-05-05' }, { previous_number: 'T0000001' });
  assert.notEqual(ana.person_id, maria.person_id, 'two sisters are not one person');
  assert.equal(ana.possible_duplicates, 1);
  const flags = await flagsBetween(ana.person_id, maria.person_id);
  assert.deepEqual(flags.map((f) => f.reason), ['previous_document_holder_differs']);
  // María's record keeps her one document
  const p = await ofi.get(`/api/v1/persons/${maria.person_id}`);
  assert.deepEqual(p.json.documents.map((d) => d.number), ['T0000001']);
});

test('the same holder cites her previous passport: linked, the given names as the MRZ writes them', async () => {
  const a = await cross('T0000011', { given_names: 'Jürgen Andrés', surnames: 'Müller Peña', birth_date: '1980-02-02' });
  const b = await cross('T0000012', { given_names: 'JUERGEN ANDRES', surnames: 'MÜLLER PEÑA', birth_date: '1980-02-02' }, { previous_number: 'T0000011' }, 'exit');
  assert.equal(b.person_id, a.person_id);
  assert.equal(b.possible_duplicates, 0);
  assert.equal(b.decision, 'admit', 'she leaves on the new passport from where the old one entered');
});

test('another nationality on the renewal that cites the previous document is flagged, not linked', async () => {
  const a = await cross('T0000021', { given_names: 'Rosa', surnames: 'Campos', birth_date: '1979-09-09' });
  const b = await cross('T0000022', { given_names: 'Rosa', surnames: 'Campos', birth_date: '1979-09-09', nationality: 'GTM' }, { previous_number: 'T0000021' });
  assert.notEqual(b.person_id, a.person_id);
  assert.deepEqual((await flagsBetween(a.person_id, b.person_id)).map((f) => f.reason), ['previous_document_holder_differs']);
});

test('a previous document of another kind (her ID card) cited by another given name is not her renewal', async () => {
  const card = await cross('T0000031', { given_names: 'Carmen', surnames: 'Orellana Díaz', birth_date: '1995-03-03' }, { kind: 'id_card', code: 'ID' });
  const other = await cross('T0000032', { given_names: 'Patricia', surnames: 'Orellana Díaz', birth_date: '1995-03-03' }, { previous_number: 'T0000031' });
  assert.notEqual(other.person_id, card.person_id);
  assert.equal(other.possible_duplicates, 1);
});

test('a passport with no nationality stated is not linked to whoever shares the names and birth date: flagged', async () => {
  const usa = await cross('T0000041', { given_names: 'Juan', surnames: 'Pérez Soto', birth_date: '1990-01-01', nationality: 'USA' },
    { issuing_state: 'USA', nationality: 'USA' });
  // a Mexican passport typed without any nationality: the American's
  // record took it as his renewal, and the booth read his entry
  const r = await ofi.post('/api/v1/inspections', {
    port: 'SAL', direction: 'entry', transport: 'TA 390',
    document: { kind: 'passport', code: 'P', number: 'T0000042', issuing_state: 'MEX', expiry_date: '2031-05-01' },
    person: { given_names: 'Juan', surnames: 'Pérez Soto', birth_date: '1990-01-01', sex: 'M' },
  });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.notEqual(r.json.person_id, usa.person_id);
  assert.equal(r.json.renewal, false);
  assert.ok(!r.json.reasons.some((x) => x.code === 'entry_without_exit'), 'the American\'s entry is not his');
  assert.deepEqual((await flagsBetween(usa.person_id, r.json.person_id)).map((f) => f.reason), ['same_birth_date_and_surnames']);
  // stated, the same data link as before
  const again = await cross('T0000043', { given_names: 'JUAN', surnames: 'PEREZ SOTO', birth_date: '1990-01-01', nationality: 'USA' },
    { issuing_state: 'USA', nationality: 'USA' }, 'exit');
  assert.equal(again.person_id, usa.person_id);
});

test('a twin leaving on her sister\'s passport is not taken for her: the document is on file under other given names', async () => {
  const maria = await cross('T1000001', { given_names: 'María José', surnames: 'Hernández Pineda', birth_date: '1991-07-07' });
  const ana = await cross('T1000001', { given_names: 'Ana Lucía', surnames: 'Hernández Pineda', birth_date: '1991-07-07' }, {}, 'exit');
  assert.equal(ana.decision, 'secondary', JSON.stringify(ana.reasons));
  const r = ana.reasons.find((x) => x.code === 'document_holder_mismatch');
  assert.ok(r, JSON.stringify(ana.reasons));
  assert.match(r.message, /María José Hernández Pineda/);
  assert.notEqual(ana.person_id, maria.person_id, 'Ana Lucía has a record of her own');
  // the holder herself, as an MRZ cuts her given names, is still the holder
  const back = await cross('T1000001', { given_names: 'MARIA JOS', surnames: 'HERNANDEZ PINEDA', birth_date: '1991-07-07' }, {}, 'exit');
  assert.equal(back.person_id, maria.person_id, JSON.stringify(back));
  assert.ok(!back.reasons.some((x) => x.code === 'document_holder_mismatch'), JSON.stringify(back.reasons));
});
