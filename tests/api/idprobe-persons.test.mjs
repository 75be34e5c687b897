// The person search by document number reads the number as the booth
// records it (upper case letters and digits): a supervisor who typed it in
// lower case or grouped it with a hyphen got an empty list and a 200, as
// if the traveler had never crossed.  What is no number at all is a 400.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';

let srv, ofi, sup;
const PW = 'Personas-Segura-2026';
before(async () => {
  srv = await startServer();
  ofi = await staffUser(srv.url, 'idp_of', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'idp_sup', 'supervisor_control', PW);
});
after(async () => { await srv.stop(); });

test('a person is found by document number however the number is typed; what is no number is 400 naming it', async () => {
  const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 390',
    document: { kind: 'passport', code: 'P', number: 'AB1234567', issuing_state: 'USA', nationality: 'USA', expiry_date: '2031-01-01' },
    person: { given_names: 'Ann', surnames: 'Lee', birth_date: '1980-01-01', sex: 'F', nationality: 'USA' } });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  for (const typed of ['AB1234567', 'ab1234567', 'AB-123-4567', ' AB 1234567 ', 'ab.1234567']) {
    const s = await sup.get(`/api/v1/persons?document_number=${encodeURIComponent(typed)}`);
    assert.equal(s.status, 200, JSON.stringify(s.json));
    assert.deepEqual(s.json.items.map((p) => p.id), [r.json.person_id], typed);
  }
  // each search is in the audit, with the number as searched for
  const dir = await staffUser(srv.url, 'idp_dir', 'direccion', PW, 'DG');
  const a = await dir.get(`/api/v1/audit?action=person.search&record_type=person&record_id=${r.json.person_id}&limit=50`);
  assert.equal(a.status, 200, JSON.stringify(a.json));
  assert.equal(a.json.items.length, 5, JSON.stringify(a.json.items));
  assert.ok(a.json.items.every((x) => x.detail.document_number === 'AB1234567'), JSON.stringify(a.json.items.map((x) => x.detail)));
  for (const bad of ['A'.repeat(21), 'AB#123', '---', 'ÁB123']) {
    const s = await sup.get(`/api/v1/persons?document_number=${encodeURIComponent(bad)}`);
    assert.deepEqual([s.status, s.json.error?.code, s.json.error?.field], [400, 'invalid_document_number', 'document_number'], bad);
  }
});
