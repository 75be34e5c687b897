// LEPINA Art. 44 registry, probed as a hostile client: an authorization
// whose only authorizing parent is the companion (a notarial act is the
// absent parent's consent), and one whose destination is El Salvador
// itself (an authorization to leave it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';

let srv, ofi;
const PW = 'Menores-Seguro-2026';
before(async () => {
  srv = await startServer();
  ofi = await staffUser(srv.url, 'idp_menores', 'oficial_control', PW);
});
after(async () => { await srv.stop(); });

const today = new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10);
const addDays = (d, n) => new Date(Date.parse(d + 'T12:00:00Z') + n * 86400e3).toISOString().slice(0, 10);
const father = { relation: 'father', given_names: 'José Ernesto', surnames: 'Portillo', document_number: '04000002' };
const mother = { relation: 'mother', given_names: 'Marta', surnames: 'Rivas', document_number: '04000001' };
const auth = (given, number, over = {}) => ({
  minor: { given_names: given, surnames: 'Portillo Rivas', birth_date: '2013-04-04', document_number: number },
  birth_certificate_ref: 'Partida 9, libro 2, Alcaldía de Soyapango',
  authorizing: [father], instrument: 'notarial_act', instrument_reference: 'Acta 9-2026',
  issued_on: addDays(today, -5), valid_to: addDays(today, 60),
  companion: { given_names: 'Marta', surnames: 'Rivas', document_number: '04000001' },
  destination: 'GTM', length_of_stay: '10 días', ...over,
});
const exit = (given, number, companions) => ofi.post('/api/v1/inspections', {
  port: 'SAL', direction: 'exit', route_country: 'GTM',
  document: { kind: 'passport', code: 'P', number, issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2030-01-01' },
  person: { given_names: given, surnames: 'Portillo Rivas', birth_date: '2013-04-04', nationality: 'SLV', sex: 'M' },
  companions,
});
const codes = (r) => r.json.reasons.map((x) => x.code);

test('a father who "authorizes" himself by notarial act is not the absent mother\'s consent: 422, nothing registered, the child is not let out', async () => {
  const self = await ofi.post('/api/v1/minor-authorizations', auth('Bruno', 'P7000001', {
    companion: { given_names: 'José Ernesto', surnames: 'Portillo', document_number: '04000002' } }));
  assert.deepEqual([self.status, self.json.error?.code, self.json.error?.field], [422, 'companion_self_authorized', 'authorizing'], JSON.stringify(self.json));
  assert.match(self.json.error.message, /no viaja/);
  // the same by names alone, the number not given for the authorizing parent, accents and case aside
  const byName = await ofi.post('/api/v1/minor-authorizations', auth('Bruno', 'P7000001', {
    authorizing: [{ relation: 'mother', given_names: 'MARTA', surnames: 'RIVAS' }] }));
  assert.deepEqual([byName.status, byName.json.error?.code], [422, 'companion_self_authorized'], JSON.stringify(byName.json));
  // the companion named by DUI, the authorizing parent by the same number written without its dash
  const byDui = await ofi.post('/api/v1/minor-authorizations', auth('Bruno', 'P7000001', {
    authorizing: [{ relation: 'mother', given_names: 'Marta', surnames: 'Rivas', document_number: '040000016' }],
    companion: { given_names: 'Marta Elena', surnames: 'Rivas', dui: '04000001-6' } }));
  assert.deepEqual([byDui.status, byDui.json.error?.code], [422, 'companion_self_authorized'], JSON.stringify(byDui.json));
  assert.equal((await ofi.get('/api/v1/minor-authorizations?document_number=P7000001')).json.items.length, 0, 'nothing registered');
  const out = await exit('Bruno', 'P7000001', [{ relation: 'parent', name: 'José Ernesto Portillo', document_number: '04000002', identity_checked: true }]);
  assert.equal(out.status, 201, JSON.stringify(out.json));
  assert.equal(out.json.decision, 'secondary', JSON.stringify(out.json.reasons));
  assert.ok(codes(out).includes('minor_without_authorization'));
});

test('what LEPINA allows still registers: the other parent\'s act, both parents\' act naming one of them, the PGR or a judge for the parent who travels', async () => {
  const other = await ofi.post('/api/v1/minor-authorizations', auth('Carlos', 'P7000002'));
  assert.equal(other.status, 201, JSON.stringify(other.json));
  const ok = await exit('Carlos', 'P7000002', [{ relation: 'parent', name: 'Marta Rivas', document_number: '04000001', identity_checked: true }]);
  assert.equal(ok.json.decision, 'admit', JSON.stringify(ok.json.reasons));
  assert.ok(codes(ok).includes('minor_authorization_applies'));
  const both = await ofi.post('/api/v1/minor-authorizations', auth('Diego', 'P7000003', { authorizing: [father, mother] }));
  assert.equal(both.status, 201, JSON.stringify(both.json));
  for (const instrument of ['pgr', 'court']) {
    const r = await ofi.post('/api/v1/minor-authorizations', auth('Ernesto', 'P7000004', {
      instrument, authorizing: [mother] }));
    assert.equal(r.status, 201, `${instrument}: ${JSON.stringify(r.json)}`);
  }
  // a legal guardian appointed by a judge holds the authority alone
  const tutor = await ofi.post('/api/v1/minor-authorizations', auth('Félix', 'P7000005', {
    authorizing: [{ relation: 'legal_guardian', given_names: 'Marta', surnames: 'Rivas', document_number: '04000001' }] }));
  assert.equal(tutor.status, 201, JSON.stringify(tutor.json));
  // travelling alone: no companion to compare
  const alone = await ofi.post('/api/v1/minor-authorizations', auth('Gabriel', 'P7000006', { travels_alone: true, companion: undefined }));
  assert.equal(alone.status, 201, JSON.stringify(alone.json));
});

test('an authorization to leave El Salvador for El Salvador is refused naming destination', async () => {
  for (const destination of ['SLV', 'SLV, San Miguel', 'slv']) {
    const r = await ofi.post('/api/v1/minor-authorizations', auth('Hugo', 'P7000007', { destination }));
    assert.deepEqual([r.status, r.json.error?.code, r.json.error?.field], [422, 'destination_is_origin', 'destination'], `${destination}: ${JSON.stringify(r.json)}`);
  }
  assert.equal((await ofi.get('/api/v1/minor-authorizations?document_number=P7000007')).json.items.length, 0);
});

test('malformed names and numbers are a 4xx naming the field, not a storage error nor a record no booth can find', async () => {
  const cases = [
    // blank once trimmed: it reached the insert (409 "constraint", no field)
    [{ minor: { given_names: '   ', surnames: 'Portillo Rivas', birth_date: '2013-04-04' } }, 422, 'minor_not_identified', 'minor.given_names'],
    [{ minor: { given_names: 'Iván', surnames: ' ', birth_date: '2013-04-04' } }, 422, 'minor_not_identified', 'minor.surnames'],
    [{ minor: { given_names: 'Iván', surnames: '---', birth_date: '2013-04-04' } }, 400, 'invalid_name', 'minor.surnames'],
    [{ minor: { given_names: '2013-04-04', surnames: 'Portillo', birth_date: '2013-04-04' } }, 400, 'invalid_name', 'minor.given_names'],
    [{ minor: { given_names: 'Iván', surnames: 'Portillo', birth_date: '2013-04-04', document_number: 'D' } }, 400, 'invalid_document_number', 'minor.document_number'],
    [{ companion: { given_names: 'Marta', surnames: 'Rivas', document_number: 'US' } }, 400, 'invalid_document_number', 'companion.document_number'],
    [{ companion: { given_names: '...', surnames: 'Rivas', document_number: '04000001' } }, 400, 'invalid_name', 'companion.given_names'],
    [{ authorizing: [{ ...father, document_number: 'N/A' }] }, 400, 'invalid_document_number', 'authorizing[0].document_number'],
    [{ authorizing: [father, { ...mother, document_number: 'DUI: 04000001-6' }] }, 400, 'invalid_document_number', 'authorizing[1].document_number'],
    [{ authorizing: [{ ...father, surnames: '--' }] }, 400, 'invalid_name', 'authorizing[0].surnames'],
  ];
  for (const [over, status, code, field] of cases) {
    const r = await ofi.post('/api/v1/minor-authorizations', auth('Iván', 'P7000008', over));
    assert.deepEqual([r.status, r.json.error?.code, r.json.error?.field], [status, code, field], `${JSON.stringify(over)}: ${JSON.stringify(r.json)}`);
  }
  assert.equal((await ofi.get('/api/v1/minor-authorizations?birth_date=2013-04-04&surnames=Portillo')).json.items.filter((a) => a.minor_given_names === 'Iván' || !a.minor_given_names?.trim()).length, 0);
  // what people write still registers: a DUI with its dash, a passport number grouped
  const ok = await ofi.post('/api/v1/minor-authorizations', auth('Iván', 'P7000008', { authorizing: [{ ...father, document_number: '04000002-5' }, { ...mother, document_number: 'A 123 456' }], companion: { given_names: 'Rosa', surnames: 'Sánchez', document_number: 'A555' } }));
  assert.equal(ok.status, 201, JSON.stringify(ok.json));
});

test('a companion named with a passport and a DUI is 422 naming companion.dui: the registry keeps one, and the DUI was dropped without a word', async () => {
  const r = await ofi.post('/api/v1/minor-authorizations', auth('Jorge', 'P7000009', {
    companion: { given_names: 'Marta', surnames: 'Rivas', document_number: 'A5550001', dui: '04000001-6' } }));
  assert.deepEqual([r.status, r.json.error?.code, r.json.error?.field], [422, 'companion_two_documents', 'companion.dui'], JSON.stringify(r.json));
  assert.equal((await ofi.get('/api/v1/minor-authorizations?document_number=P7000009')).json.items.length, 0);
  // the same number twice (the DUI typed also as the number) is one document
  const same = await ofi.post('/api/v1/minor-authorizations', auth('Jorge', 'P7000009', {
    companion: { given_names: 'Marta', surnames: 'Rivas', document_number: '040000016', dui: '04000001-6' } }));
  assert.equal(same.status, 201, JSON.stringify(same.json));
  assert.equal(same.json.companion_document_number, '040000016');
  // by DUI alone, the one the booth compares
  const dui = await ofi.post('/api/v1/minor-authorizations', auth('Julio', 'P7000010', {
    companion: { given_names: 'Marta', surnames: 'Rivas', dui: '04000001-6' } }));
  assert.equal(dui.status, 201, JSON.stringify(dui.json));
  const out = await exit('Julio', 'P7000010', [{ relation: 'parent', name: 'Marta Rivas', document_number: '04000001-6', identity_checked: true }]);
  assert.equal(out.json.decision, 'admit', JSON.stringify(out.json.reasons));
});

test('an authorization lets out the child it names, not another child whose passport of another state bears the same number, nor a twin', async () => {
  const a = await ofi.post('/api/v1/minor-authorizations', auth('Sofía', 'B10000001'));
  assert.equal(a.status, 201, JSON.stringify(a.json));
  const withMother = [{ relation: 'parent', name: 'Marta Rivas', document_number: '04000001', identity_checked: true }];
  // a Guatemalan boy, another child entirely, on a GTM passport of that number
  const boy = { port: 'SAL', route_country: 'GTM', companions: withMother,
    document: { kind: 'passport', code: 'P', number: 'B10000001', issuing_state: 'GTM', nationality: 'GTM', expiry_date: '2030-01-01' },
    person: { given_names: 'Pedro', surnames: 'López Ajú', birth_date: '2016-03-03', nationality: 'GTM', sex: 'M' } };
  assert.equal((await ofi.post('/api/v1/inspections', { ...boy, direction: 'entry' })).json.decision, 'admit');
  const out = await ofi.post('/api/v1/inspections', { ...boy, direction: 'exit' });
  assert.equal(out.json.decision, 'secondary', JSON.stringify(out.json.reasons));
  assert.ok(codes(out).includes('minor_without_authorization') && !codes(out).includes('minor_authorization_applies'), JSON.stringify(out.json.reasons));
  // Sofía's twin brother, same surnames and birth date, on the same number typed by mistake
  const twin = await exit('Santiago', 'B10000001', withMother);
  assert.ok(!codes(twin).includes('minor_authorization_applies'), JSON.stringify(twin.json.reasons));
  // Sofía herself is let out
  const sofia = await exit('Sofía', 'B10000001', withMother);
  assert.ok(codes(sofia).includes('minor_authorization_applies'), JSON.stringify(sofia.json.reasons));
});
