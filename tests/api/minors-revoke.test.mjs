// A parent withdraws the consent (LEPINA Art. 44): the written revocation
// is recorded on the authorization, which the booth then no longer reads.
// There was no way to record it: the registry kept a status column that
// nothing could set, and a mother who revoked her consent could not stop
// the trip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';

let srv, ofi, sup;
const PW = 'Menores-Seguro-2026';
before(async () => {
  srv = await startServer();
  ofi = await staffUser(srv.url, 'rv_oficial', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'rv_super', 'supervisor_control', PW);
});
after(async () => { await srv.stop(); });

const today = new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10);
const addDays = (d, n) => new Date(Date.parse(d + 'T12:00:00Z') + n * 86400e3).toISOString().slice(0, 10);
const minor = { given_names: 'Valeria', surnames: 'Campos Orellana', birth_date: '2015-09-09', document_number: 'V15090901' };
const companion = { given_names: 'Rosa', surnames: 'Orellana', document_number: '05000001' };
const withMother = [{ relation: 'parent', name: 'Rosa Orellana', document_number: '05000001', identity_checked: true }];
const exit = () => ofi.post('/api/v1/inspections', {
  port: 'SAL', direction: 'exit', route_country: 'USA',
  document: { kind: 'passport', code: 'P', number: minor.document_number, issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2030-01-01' },
  person: { ...minor, document_number: undefined, nationality: 'SLV', sex: 'F' }, companions: withMother,
});
const codes = (r) => r.json.reasons.map((x) => x.code);

test('a revoked authorization no longer lets the child out; the record keeps it, who entered it and why', async () => {
  const a = await ofi.post('/api/v1/minor-authorizations', {
    minor, birth_certificate_ref: 'Partida 77', authorizing: [{ relation: 'father', given_names: 'Luis', surnames: 'Campos', document_number: '05000002' }],
    instrument: 'notarial_act', instrument_reference: 'Acta 77-2026', issued_on: addDays(today, -3), valid_to: addDays(today, 90),
    companion, destination: 'USA', length_of_stay: '15 días' });
  assert.equal(a.status, 201, JSON.stringify(a.json));
  const ok = await exit();
  assert.ok(codes(ok).includes('minor_authorization_applies'), JSON.stringify(ok.json.reasons));
  assert.equal((await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', companions: withMother,
    document: { kind: 'passport', code: 'P', number: minor.document_number, issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2030-01-01' },
    person: { given_names: minor.given_names, surnames: minor.surnames, birth_date: minor.birth_date, nationality: 'SLV', sex: 'F' } })).json.decision, 'admit');

  // bad input, each named; nothing changes
  for (const [body, field] of [[{ reference: 'Escrito 1' }, 'reason'], [{ reason: 'Retira su consentimiento' }, 'reference'], [{ reason: 'x'.repeat(501), reference: 'E' }, 'reason']]) {
    const r = await ofi.post(`/api/v1/minor-authorizations/${a.json.id}/revoke`, body);
    assert.ok(r.status >= 400 && r.status < 500, JSON.stringify(r.json));
    assert.equal(r.json.error?.field, field, JSON.stringify(r.json));
  }
  const none = await ofi.post('/api/v1/minor-authorizations/999999/revoke', { reason: 'r', reference: 'e' });
  assert.deepEqual([none.status, none.json.error?.code], [404, 'not_found'], JSON.stringify(none.json));

  const rv = await ofi.post(`/api/v1/minor-authorizations/${a.json.id}/revoke`, { reason: 'El padre retira su consentimiento', reference: 'Escrito ante notario, 5 dic 2026' });
  assert.equal(rv.status, 200, JSON.stringify(rv.json));
  assert.deepEqual([rv.json.status, rv.json.revoke_reason, rv.json.revoke_reference, rv.json.revoked_by], ['revoked', 'El padre retira su consentimiento', 'Escrito ante notario, 5 dic 2026', 'rv_oficial']);
  assert.match(rv.json.revoked_at, /^\d{4}-\d\d-\d\dT/);
  // the booth no longer reads it
  const after = await exit();
  assert.equal(after.json.decision, 'secondary', JSON.stringify(after.json.reasons));
  assert.ok(codes(after).includes('minor_without_authorization') && !codes(after).includes('minor_authorization_applies'));
  // once
  const again = await sup.post(`/api/v1/minor-authorizations/${a.json.id}/revoke`, { reason: 'r', reference: 'e' });
  assert.deepEqual([again.status, again.json.error?.code, again.json.error?.field], [409, 'not_active', 'id'], JSON.stringify(again.json));
  assert.match(again.json.error.message, /ya fue revocada el \d{4}-/);
  // the registry shows it revoked, and not among those valid today
  const list = await sup.get(`/api/v1/minor-authorizations?document_number=${minor.document_number}`);
  assert.deepEqual(list.json.items.map((x) => [x.id, x.status]), [[a.json.id, 'revoked']]);
  assert.deepEqual((await sup.get(`/api/v1/minor-authorizations?document_number=${minor.document_number}&valid_on=${today}`)).json.items, []);
  // audited with the reason and the written revocation
  const au = srv.sql(`SELECT actor || ' ' || action FROM audit_log WHERE record_type = 'minor_authorization' AND record_id = '${a.json.id}' AND action = 'minor_authorization.revoke'`);
  assert.equal(au.stdout.trim(), 'rv_oficial minor_authorization.revoke', au.stderr);
});

test('the same act registered twice, or six times at once, is one authorization; the others 409 naming it', async () => {
  const body = (ref) => ({
    minor: { given_names: 'Tomás', surnames: 'Durán Funes', birth_date: '2017-03-03', document_number: 'T17030303' },
    birth_certificate_ref: 'Partida 31', authorizing: [{ relation: 'mother', given_names: 'Ada', surnames: 'Funes', document_number: '07000001' }],
    instrument: 'notarial_act', instrument_reference: ref, issued_on: addDays(today, -1), valid_to: addDays(today, 20),
    companion: { given_names: 'Raúl', surnames: 'Durán', document_number: '07000002' }, destination: 'MEX', length_of_stay: '8 días' });
  const all = await Promise.all(Array.from({ length: 6 }, () => ofi.post('/api/v1/minor-authorizations', body('Acta 31-2026'))));
  const made = all.filter((r) => r.status === 201);
  assert.equal(made.length, 1, JSON.stringify(all.map((r) => r.status)));
  for (const r of all.filter((x) => x.status !== 201)) {
    assert.deepEqual([r.status, r.json.error?.code, r.json.error?.field], [409, 'duplicate_authorization', 'instrument_reference'], JSON.stringify(r.json));
    assert.match(r.json.error.message, new RegExp(`n\\.º ${made[0].json.id}\\b`));
  }
  // written in another case, the same act
  const again = await ofi.post('/api/v1/minor-authorizations', body('acta 31-2026'));
  assert.equal(again.status, 409, JSON.stringify(again.json));
  // another act for the same child is another authorization; once the first is revoked, the same act may be entered again
  assert.equal((await ofi.post('/api/v1/minor-authorizations', body('Acta 44-2026'))).status, 201);
  assert.equal((await ofi.post(`/api/v1/minor-authorizations/${made[0].json.id}/revoke`, { reason: 'Registrada con datos errados', reference: 'Nota interna 3' })).status, 200);
  assert.equal((await ofi.post('/api/v1/minor-authorizations', body('Acta 31-2026'))).status, 201);
});
