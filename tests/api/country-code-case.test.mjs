// ICAO 9303 writes a state's code in upper case, and so does every record
// SIGM keeps; a client typing «usa» or «Gtm» means USA and GTM.  The booth
// answered 400 to a lower-case issuing state or nationality (its own pages
// upper-case them first; another client could not), the LEPINA registry,
// the alerts and the restrictions refused a lower-case nationality, and a
// passport reported lost or stolen as issued by «usa» was stored so and
// never found by the booth, which compares USA.  Each now takes three ASCII
// letters in any case as the code and keeps it in upper case (one helper,
// api_country_field); anything that is not three letters is still a 400
// naming the field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';

const PW = 'Turno-Seguro-2026';
let srv, ofi, sup, sec, pas;
before(async () => {
  srv = await startServer();
  ofi = await staffUser(srv.url, 'cc_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'cc_sup', 'supervisor_control', PW);
  sec = await staffUser(srv.url, 'cc_sec', 'secretaria_general', PW, 'SG');
  pas = await staffUser(srv.url, 'cc_pas', 'pasaportes', PW);
});
after(async () => { await srv.stop(); });

const doc = (number, state = 'USA', nat = state) => ({ kind: 'passport', code: 'P', number, issuing_state: state, nationality: nat, expiry_date: '2031-05-01' });
const who = (given, nat = 'USA') => ({ given_names: given, surnames: 'Minúscula', birth_date: '1975-04-04', sex: 'F', nationality: nat });
const inspect = (body) => ofi.post('/api/v1/inspections', { port: 'SAL', transport: 'TA 1', ...body });

test('the booth takes issuing_state and nationality in lower or mixed case as the code, and keeps them upper case', async () => {
  const r = await inspect({ direction: 'entry', document: doc('CC0000001', 'usa', 'Usa'), person: who('Carla', 'uSa') });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(r.json.decision, 'admit', JSON.stringify(r.json.reasons));
  assert.ok(!r.json.reasons.some((x) => x.code === 'issuing_state_unknown'), JSON.stringify(r.json.reasons));
  const p = (await ofi.get(`/api/v1/persons/${r.json.person_id}`)).json;
  assert.equal(p.nationality, 'USA', JSON.stringify(p));
  assert.deepEqual(p.documents.map((d) => d.issuing_state), ['USA'], JSON.stringify(p.documents));
  // the same passport typed in upper case is the same person and the same
  // document: her exit finds her entry
  const x = await inspect({ direction: 'exit', route_country: 'gtm', document: doc('CC0000001'), person: who('Carla') });
  assert.equal(x.status, 201, JSON.stringify(x.json));
  assert.equal(x.json.person_id, r.json.person_id);
  assert.ok(!x.json.reasons.some((y) => y.code === 'exit_without_entry'), JSON.stringify(x.json.reasons));
  assert.equal((await ofi.get(`/api/v1/persons/${r.json.person_id}`)).json.documents.length, 1);
});

test('a paper form\'s record takes them in any case too', async () => {
  const r = await sup.post('/api/v1/movements/contingency', { port: 'HAC', direction: 'entry', at: new Date(Date.now() - 3600e3).toISOString().slice(0, 19) + 'Z',
    transport: 'Bus 3', reference: 'FC-CC-1', reason: 'Caída del sistema', document: doc('CC0000002', 'gtm'), person: who('Gloria', 'Gtm') });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const p = (await ofi.get(`/api/v1/persons/${r.json.person_id}`)).json;
  assert.deepEqual([p.nationality, p.documents[0].issuing_state], ['GTM', 'GTM'], JSON.stringify(p));
});

test('what is not three letters is still a 400 naming the field; an unknown code is named in upper case', async () => {
  for (const [over, field, code] of [
    [{ document: doc('CC0000003', 'u5a', 'USA') }, 'document.issuing_state', 'invalid_code'],
    [{ document: doc('CC0000003', 'US', 'USA') }, 'document.issuing_state', 'invalid_code'],
    [{ document: doc('CC0000003', 'usaa', 'USA') }, 'document.issuing_state', 'too_long'],
    [{ document: doc('CC0000003', 'ÚSA', 'USA') }, 'document.issuing_state', 'invalid_code'],
    [{ document: doc('CC0000003', 'USA', 'u s') }, 'document.nationality', 'invalid_code'],
    [{ person: who('Carla', 'qqq') }, 'person.nationality', 'unknown_country'],
    [{ route_country: 'g1m' }, 'route_country', 'invalid_code'],
    [{ route_country: 'xxx' }, 'route_country', 'invalid_country'],
  ]) {
    const r = await inspect({ direction: 'exit', document: doc('CC0000003'), person: who('Carla'), ...over });
    assert.deepEqual([r.status, r.json?.error?.code, r.json?.error?.field], [400, code, field], `${JSON.stringify(over)}: ${JSON.stringify(r.json)}`);
    if (code === 'unknown_country')
      assert.match(r.json.error.message, /«QQQ»/);
  }
  // a German passport's one-letter code, as its zone writes it, is Germany
  const d = await inspect({ direction: 'entry', document: doc('CC0000004', 'd', 'D'), person: who('Dora', 'deu') });
  assert.equal(d.status, 201, JSON.stringify(d.json));
  const p = (await ofi.get(`/api/v1/persons/${d.json.person_id}`)).json;
  assert.deepEqual([p.nationality, p.documents[0].issuing_state], ['DEU', 'DEU'], JSON.stringify(p));
});

test('a passport reported lost or stolen as issued by «usa» is found by the booth', async () => {
  const ls = await pas.post('/api/v1/documents/lost-stolen', { document_number: 'CC0000005', document_type: 'passport', issuing_state: 'usa', reason: 'stolen' });
  assert.equal(ls.status, 201, JSON.stringify(ls.json));
  assert.equal((await pas.get(`/api/v1/documents/lost-stolen/${ls.json.id}`)).json.issuing_state, 'USA');
  const r = await inspect({ direction: 'entry', document: doc('CC0000005'), person: who('Lucía') });
  assert.equal(r.json.decision, 'refuse', JSON.stringify(r.json.reasons));
  assert.ok(r.json.reasons.some((x) => x.code === 'document_lost_stolen'), JSON.stringify(r.json.reasons));
  for (const bad of ['us', 'u5a'])
    assert.deepEqual((await pas.post('/api/v1/documents/lost-stolen', { document_number: 'CC0000006', document_type: 'passport', issuing_state: bad, reason: 'lost' })).json.error?.field,
      'issuing_state', bad);
});

// The booth keeps a passport number as the MRZ writes it (upper case, the
// spaces and hyphens that group it aside: rules_docno_read); a report typed
// «ab 123-456» was a 400, and a number kept otherwise would never be found.
test('a passport reported lost or stolen as «cc 000-0107» is found by the booth scanning CC0000107', async () => {
  const ls = await pas.post('/api/v1/documents/lost-stolen', { document_number: 'cc 000-0107', document_type: 'passport', issuing_state: 'USA', reason: 'stolen' });
  assert.equal(ls.status, 201, JSON.stringify(ls.json));
  assert.equal((await pas.get(`/api/v1/documents/lost-stolen/${ls.json.id}`)).json.document_number, 'CC0000107');
  // the same passport reported again, typed otherwise, is the same report
  assert.equal((await pas.post('/api/v1/documents/lost-stolen', { document_number: 'CC-0000107', document_type: 'passport', issuing_state: 'usa', reason: 'lost' })).json.error?.code, 'already_reported');
  assert.deepEqual((await pas.get('/api/v1/documents/lost-stolen?document_number=cc%20000-0107')).json.items.map((x) => x.id), [ls.json.id]);
  const r = await inspect({ direction: 'entry', document: doc('CC0000107'), person: who('Luisa') });
  assert.equal(r.json.decision, 'refuse', JSON.stringify(r.json.reasons));
  assert.ok(r.json.reasons.some((x) => x.code === 'document_lost_stolen'), JSON.stringify(r.json.reasons));
  // what is no number still a 400 naming the field: a mark, a letter with an accent, too short
  for (const bad of ['CC#0000108', 'ÑA0000108', 'c-1', ' - '])
    assert.deepEqual((await pas.post('/api/v1/documents/lost-stolen', { document_number: bad, document_type: 'passport', issuing_state: 'USA', reason: 'lost' })).json.error?.field,
      'document_number', bad);
});

test('alerts, restrictions and minors\' authorizations take a subject\'s nationality in any case, kept upper case', async () => {
  const al = await sup.post('/api/v1/alerts', { category: 'other', subject: { given_names: 'Ana', surnames: 'Alerta', birth_date: '1980-01-01', nationality: 'gtm' },
    instructions: 'Avisar', valid_until: '2099-01-01' });
  assert.equal(al.status, 201, JSON.stringify(al.json));
  assert.equal((await sup.get(`/api/v1/alerts/${al.json.id}`)).json.nationality, 'GTM');
  const rs = await sec.post('/api/v1/restrictions', { court: 'Juzgado Primero de Paz', case_number: 'CC-1-2026', measure: 'exit_ban',
    subject: { given_names: 'Rosa', surnames: 'Restringida', birth_date: '1981-02-03', nationality: 'Hnd' }, effective_from: '2026-01-01' });
  assert.equal(rs.status, 201, JSON.stringify(rs.json));
  assert.equal((await sec.get(`/api/v1/restrictions/${rs.json.id}`)).json.subject?.nationality, 'HND');
  const m = await ofi.post('/api/v1/minor-authorizations', {
    minor: { given_names: 'Sofía', surnames: 'Martínez', birth_date: '2014-06-01', nationality: 'slv', document_number: 'C000077' },
    birth_certificate_ref: 'Partida 125', authorizing: [{ relation: 'father', given_names: 'Carlos', surnames: 'Martínez' }],
    instrument: 'notarial_act', instrument_reference: 'Acta CC', issued_on: '2026-11-10', valid_to: '2027-02-10',
    companion: { given_names: 'Laura', surnames: 'Ramos', dui: '00016297-5', nationality: 'slv' }, destination: 'usa, Houston', length_of_stay: '30 días' });
  assert.equal(m.status, 201, JSON.stringify(m.json));
  const g = (await ofi.get(`/api/v1/minor-authorizations/${m.json.id}`)).json;
  assert.deepEqual([g.minor_nationality, g.destination], ['SLV', 'USA, Houston'], JSON.stringify(g));
  const bad = await sup.post('/api/v1/alerts', { category: 'other', subject: { given_names: 'Ana', surnames: 'Alerta', birth_date: '1980-01-01', nationality: 'gt' },
    instructions: 'Avisar', valid_until: '2099-01-01' });
  assert.deepEqual([bad.status, bad.json.error?.field], [400, 'subject.nationality'], JSON.stringify(bad.json));
});
