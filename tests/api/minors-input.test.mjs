// The minors' authorizations registry says which field is wrong, and its
// search takes a document number as creation takes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';

const PW = 'Turno-Seguro-2026';
let srv, ofi;
before(async () => { srv = await startServer(); ofi = await staffUser(srv.url, 'mi_ofi', 'oficial_control', PW); });
after(async () => { await srv.stop(); });

const auth = (minor) => ({
  minor: { given_names: 'Sofía', surnames: 'Martínez Ramos', birth_date: '2014-06-01', nationality: 'SLV', document_number: 'C000001', ...minor },
  birth_certificate_ref: 'Partida 125', authorizing: [{ relation: 'father', given_names: 'Carlos', surnames: 'Martínez' }],
  instrument: 'notarial_act', instrument_reference: 'Acta', issued_on: '2026-11-10', valid_to: '2027-02-10',
  companion: { given_names: 'Laura', surnames: 'Ramos', dui: '00016297-5' }, destination: 'USA, Houston', length_of_stay: '30 días',
});

test('a minor without a whole birth date names minor.birth_date; a name of another type is 400 invalid_type', async () => {
  for (const [minor, status, code, field] of [
    [{ birth_date: undefined }, 422, 'minor_not_identified', 'minor.birth_date'],
    [{ birth_date: null }, 422, 'minor_not_identified', 'minor.birth_date'],
    [{ birth_date: '2014' }, 422, 'minor_not_identified', 'minor.birth_date'],
    [{ birth_date: '2014-06' }, 422, 'minor_not_identified', 'minor.birth_date'],
    [{ given_names: 5 }, 400, 'invalid_type', 'minor.given_names'],
    [{ surnames: ['Martínez'] }, 400, 'invalid_type', 'minor.surnames'],
    [{ given_names: '' }, 422, 'minor_not_identified', 'minor.given_names'],
    [{ surnames: undefined }, 422, 'minor_not_identified', 'minor.surnames'],
  ]) {
    const r = await ofi.post('/api/v1/minor-authorizations', auth(minor));
    assert.deepEqual([r.status, r.json.error?.code, r.json.error?.field], [status, code, field], `${JSON.stringify(minor)}: ${JSON.stringify(r.json)}`);
  }
});

test('the search by document number takes it in any case and grouping, as registered; what no document number is, is 400', async () => {
  const r = await ofi.post('/api/v1/minor-authorizations', auth({}));
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const ids = async (n) => (await ofi.get(`/api/v1/minor-authorizations?document_number=${encodeURIComponent(n)}`)).json.items.map((x) => x.id);
  assert.deepEqual(await ids('C000001'), [r.json.id]);
  assert.deepEqual(await ids('c000001'), [r.json.id]);
  // the booth's rule (rules_docno_read): hyphens and spaces group a
  // number, they are not part of it
  assert.deepEqual(await ids('C-000001'), [r.json.id]);
  assert.deepEqual(await ids('C000001 '), [r.json.id]);
  for (const bad of ['X'.repeat(21), '%', 'C1', 'C-0.1']) {
    const q = await ofi.get(`/api/v1/minor-authorizations?document_number=${encodeURIComponent(bad)}`);
    assert.deepEqual([q.status, q.json.error?.code, q.json.error?.field], [400, 'invalid_document_number', 'document_number'], `${bad}: ${JSON.stringify(q.json)}`);
  }
});

test('the search by surnames reads any script, as the person search: Cyrillic by itself and as the MRZ spells it, Latin of any block', async () => {
  const ru = await ofi.post('/api/v1/minor-authorizations', auth({ given_names: 'Анна', surnames: 'Иванова Петрова', document_number: 'RU0000077' }));
  assert.equal(ru.status, 201, JSON.stringify(ru.json));
  const vn = await ofi.post('/api/v1/minor-authorizations', auth({ given_names: 'Lan', surnames: 'Nguyễn Thị', document_number: 'VN0000077' }));
  assert.equal(vn.status, 201, JSON.stringify(vn.json));
  assert.equal(ru.json.minor_surnames_key, undefined, 'the key is the search\'s, not shown');
  const ids = async (q) => {
    const r = await ofi.get(`/api/v1/minor-authorizations?surnames=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200, `${q}: ${JSON.stringify(r.json)}`);
    return r.json.items.map((x) => x.id);
  };
  assert.deepEqual(await ids('Иванова'), [ru.json.id]);
  assert.deepEqual(await ids('IVANOVA'), [ru.json.id]);
  assert.deepEqual(await ids('петрова'), [ru.json.id], 'the second surname, any case');
  assert.deepEqual(await ids('Nguyen'), [vn.json.id]);
  assert.deepEqual(await ids('Nguyễn'), [vn.json.id]);
  assert.deepEqual(await ids('Martínez'), (await ids('MARTINEZ')), 'Latin as before');
});
