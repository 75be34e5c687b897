// One rule for a document number taken from outside (rules_docno_read):
// every endpoint that takes one reads it as the booth does - spaces,
// hyphens, dots and slashes that group it dropped, letters upper-cased,
// 4 to 20 letters or digits - and refuses anything else with the same
// 400 invalid_document_number naming the field.  Before, each module had
// its own: a prechequeo list took «A», the registries' subjects «A» and
// refused «ab1234», the minors' search refused «C-000001», the booth said
// too_long of 21 characters and a companion's number was invalid_companion.
//
// A prechequeo list answers a whole list (422 list_rejected with each
// record's errors): there the same code and field are the record's.
// A blank optional number is no number, as every optional text of the API
// (src/api/README.md); a blank required one is refused by the rule (in a
// prechequeo list an empty cell is a missing field, as any other's).
// Read off a document rather than typed, the rule is said where the number
// came from: an airline's PAXLST traveler keeps their place on the list
// without the number (a warning naming the DOC), and a booth's MRZ is
// refused on «mrz», the field the officer sent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser, carrierUser } from '../lib/server.mjs';
import { paxlst, inspectTraveler } from '../lib/apis.mjs';
import { td3 } from '../lib/mrz.mjs';

const PW = 'Turno-Docno-2026!';
let srv, ofi, sup, sec, pas, bus, air;
before(async () => {
  srv = await startServer();
  ofi = await staffUser(srv.url, 'dn_ofi', 'oficial_control', PW, 'DG');
  sup = await staffUser(srv.url, 'dn_sup', 'supervisor_control', PW, 'DG');
  sec = await staffUser(srv.url, 'dn_sec', 'secretaria_general', PW, 'DG');
  pas = await staffUser(srv.url, 'dn_pas', 'pasaportes', PW, 'DG');
  bus = await carrierUser(srv, 'dn_bus', 'DNBUS', PW, { kind: 'bus' });
  air = await carrierUser(srv, 'dn_ta', 'TA', PW);
});
after(async () => { await srv.stop(); });

const BAD = ['A', 'AB1', '😀😀😀😀', 'ABC$123', 'A'.repeat(40), '--', '1234567890-12345678901'];
const GOOD = '  ab 12-34 ';
const NORM = 'AB1234';

const localAt = (minutes) => new Date(Date.now() - 6 * 3600000 + minutes * 60000).toISOString().slice(0, 16);
const laterToday = () => { const t = localAt(120); return t.slice(0, 10) === localAt(0).slice(0, 10) ? t : `${localAt(0).slice(0, 10)}T23:59`; };
let seq = 0;
const uniq = (p) => `${p}${String(++seq).padStart(6, '0')}`;

const insp = (over = {}) => ({
  port: 'SAL', direction: 'entry', transport: 'TA 390',
  document: { kind: 'passport', code: 'P', number: uniq('DN'), issuing_state: 'USA', nationality: 'USA', expiry_date: '2031-05-01', ...over.document },
  person: { given_names: 'John', surnames: `Docno${'abcdefghij'[seq % 10]}`, birth_date: '1975-03-02', sex: 'M', nationality: 'USA' },
  ...Object.fromEntries(Object.entries(over).filter(([k]) => k !== 'document')),
});
const minor = (over = {}) => ({
  minor: { given_names: 'Sofía', surnames: 'Docno Ramos', birth_date: '2014-06-01', nationality: 'SLV', document_number: uniq('C'), ...over.minor },
  birth_certificate_ref: 'Partida 125',
  authorizing: [{ relation: 'father', given_names: 'Carlos', surnames: 'Docno', ...over.authorizing }],
  instrument: 'notarial_act', instrument_reference: 'Acta', issued_on: '2026-11-10', valid_to: '2027-02-10',
  companion: { given_names: 'Laura', surnames: 'Ramos', document_number: uniq('L'), ...over.companion },
  destination: 'USA, Houston', length_of_stay: '30 días',
});
const traveler = (doc_number) => ({ surnames: 'Gómez', given_names: 'Ana', birth_date: '1980-01-01', sex: 'F', nationality: 'GTM',
  doc_type: 'P', doc_number, doc_issuing_state: 'GTM', doc_expiry: '2031-01-01' });

// Each endpoint: how to send a number v, the field the error names, whether
// the number is required (blank refused) and where the kept number is read
// back from the answer.
const BODY = [
  { what: 'booth document.number', field: 'document.number', required: true,
    send: (v) => ofi.post('/api/v1/inspections', insp({ document: { number: v } })) },
  { what: 'booth document.previous_number', field: 'document.previous_number',
    send: (v) => ofi.post('/api/v1/inspections', insp({ document: { previous_number: v } })) },
  { what: 'booth companion', field: 'companions[0].document_number', required: true,
    send: (v) => ofi.post('/api/v1/inspections', insp({ companions: [{ relation: 'parent', name: 'Eva Docno', document_number: v, identity_checked: true }] })) },
  { what: 'booth residence carnet', field: 'residence.carnet_number', required: true,
    send: (v) => ofi.post('/api/v1/inspections', insp({ residence: { carnet_number: v, valid_until: '2030-01-01' } })) },
  { what: 'alert subject', field: 'subject.document_number', kept: (r) => r.json.document_number,
    send: (v) => sup.post('/api/v1/alerts', { category: 'other', subject: { given_names: 'Ana', surnames: 'Docno', document_number: v }, instructions: 'Avisar' }) },
  { what: 'restriction subject', field: 'subject.document_number', kept: (r) => r.json.subject?.document_number ?? r.json.document_number,
    send: (v) => sec.post('/api/v1/restrictions', { court: 'Juzgado Segundo de Instrucción de San Salvador', case_number: uniq('INS-'), measure: 'exit_ban',
      subject: { given_names: 'José', surnames: 'Docno', birth_date: '1980-05-17', document_number: v }, effective_from: '2026-01-01' }) },
  { what: 'lost/stolen report', field: 'document_number', required: true, kept: (r) => r.json.document_number,
    send: (v) => pas.post('/api/v1/documents/lost-stolen', { document_number: v, document_type: 'passport', issuing_state: 'SLV', reason: 'stolen' }) },
  { what: 'minor', field: 'minor.document_number', kept: (r) => r.json.minor_document_number,
    send: (v) => ofi.post('/api/v1/minor-authorizations', minor({ minor: { document_number: v } })) },
  // a companion needs a document (or a DUI): blank is companion_not_identified
  { what: 'minor companion', field: 'companion.document_number', kept: (r) => r.json.companion_document_number, blank: 'companion_not_identified',
    send: (v) => ofi.post('/api/v1/minor-authorizations', minor({ companion: { document_number: v } })) },
  { what: 'minor authorizing parent', field: 'authorizing[0].document_number', kept: (r) => r.json.authorizing?.[0]?.document_number,
    send: (v) => ofi.post('/api/v1/minor-authorizations', minor({ authorizing: { document_number: v } })) },
];
const QUERY = [
  ['persons', (q) => ofi.get(`/api/v1/persons?${q}`)],
  ['minor-authorizations', (q) => ofi.get(`/api/v1/minor-authorizations?${q}`)],
  ['alerts', (q) => sup.get(`/api/v1/alerts?${q}`)],
  ['documents/lost-stolen', (q) => pas.get(`/api/v1/documents/lost-stolen?${q}`)],
  ['restrictions', (q) => sec.get(`/api/v1/restrictions?${q}`)],
];

// every answer that is not the rule's, listed whole: which endpoints
// differ, not only the first
test('every body that takes a document number refuses the same bad ones with 400 invalid_document_number naming the field', async () => {
  const off = [];
  for (const e of BODY) {
    for (const v of [...BAD, ...(e.required ? ['', '   '] : [])]) {
      const r = await e.send(v);
      const err = r.json?.error ?? {};
      if (r.status !== 400 || err.code !== 'invalid_document_number' || err.field !== e.field || !err.message?.includes(`«${e.field}»`))
        off.push(`${e.what} ${JSON.stringify(v)}: ${r.status} ${err.code} ${err.field} ${err.message}`);
    }
  }
  assert.deepEqual(off, []);
});

test('a blank optional number is no number (API-wide), never a number «»', async () => {
  for (const e of BODY.filter((x) => !x.required && x.kept)) {
    const r = await e.send('  ');
    if (e.blank) {
      assert.deepEqual([r.status, r.json.error?.code], [422, e.blank], `${e.what}: ${JSON.stringify(r.json)}`);
      continue;
    }
    assert.equal(r.status, 201, `${e.what}: ${JSON.stringify(r.json)}`);
    assert.ok(e.kept(r) == null, `${e.what}: ${JSON.stringify(r.json)}`);
  }
});

test('the same number in any grouping or case is taken, kept as the booth keeps it, and found by any other spelling', async () => {
  for (const e of BODY) {
    const r = await e.send(GOOD);
    assert.equal(r.status, 201, `${e.what}: ${JSON.stringify(r.json)}`);
    if (e.kept)
      assert.equal(e.kept(r), NORM, `${e.what}: ${JSON.stringify(r.json)}`);
  }
  // the booth's traveler (document.number AB1234, the first BODY row) is
  // found by every spelling; so are the registries' records
  for (const [what, get] of QUERY) {
    const found = [];
    for (const spelling of ['AB1234', 'ab1234', 'ab-12 34', ' AB.12/34 ']) {
      const q = await get(`document_number=${encodeURIComponent(spelling)}`);
      assert.equal(q.status, 200, `${what} ${spelling}: ${JSON.stringify(q.json)}`);
      found.push(JSON.stringify(q.json.items.map((x) => x.id).sort()));
    }
    assert.ok(JSON.parse(found[0]).length >= 1, `${what}: the record of AB1234 is found`);
    assert.deepEqual(found, [found[0], found[0], found[0], found[0]], `${what}: every spelling finds the same records`);
  }
});

test('every search by document number refuses the same bad ones with 400 invalid_document_number naming the parameter', async () => {
  const off = [];
  for (const [what, get] of QUERY)
    for (const v of BAD) {
      const r = await get(`document_number=${encodeURIComponent(v)}`);
      const err = r.json?.error ?? {};
      if (r.status !== 400 || err.code !== 'invalid_document_number' || err.field !== 'document_number')
        off.push(`${what} ${JSON.stringify(v)}: ${r.status} ${err.code} ${err.field}`);
    }
  assert.deepEqual(off, []);
});

test('a prechequeo list refuses the same bad numbers, each the record\'s invalid_document_number on doc_number; a grouped one is kept as the booth reads it', async () => {
  const send = (travelers) => bus.post('/api/v1/prechequeo/lists', { port: 'HAC', vehicle: `P-DN ${++seq}`, company: 'Buses DN',
    arrival: laterToday(), direction: 'entry', travelers });
  for (const v of BAD) {
    const r = await send([traveler(uniq('G')), traveler(v)]);
    assert.equal(r.status, 422, `${JSON.stringify(v)}: ${JSON.stringify(r.json)}`);
    const errs = r.json.errors.filter((x) => x.record === 2 && x.field === 'doc_number');
    assert.deepEqual(errs.map((x) => x.code), ['invalid_document_number'], `${JSON.stringify(v)}: ${JSON.stringify(r.json.errors)}`);
    assert.ok(!r.json.errors.some((x) => x.record === 1), 'the good record has no error');
  }
  // an empty cell is a missing one, as for every field of a list
  for (const v of ['', '   ']) {
    const r = await send([traveler(uniq('G')), traveler(v)]);
    assert.deepEqual(r.json.errors?.map((x) => [x.record, x.field, x.code]), [[2, 'doc_number', 'missing_field']], JSON.stringify(r.json));
  }
  const ok = await send([traveler(GOOD)]);
  assert.equal(ok.status, 201, JSON.stringify(ok.json));
  const d = await ofi.get(`/api/v1/apis/manifests/${ok.json.manifests[0].id}`);
  assert.deepEqual(d.json.persons.map((p) => p.doc_number), [NORM]);
});

test('the restrictions search finds a DUI however its dash and spaces are typed', async () => {
  const r = await sec.post('/api/v1/restrictions', { court: 'Juzgado Segundo de Instrucción de San Salvador', case_number: uniq('INS-'), measure: 'exit_ban',
    subject: { given_names: 'Marta', surnames: 'Duidocno', birth_date: '1979-03-02', dui: '00016297-5' }, effective_from: '2026-01-01' });
  assert.equal(r.status, 201, r.text);
  for (const typed of ['00016297-5', '000162975', ' 00016297 - 5 ']) {
    const q = await sec.get(`/api/v1/restrictions?document_number=${encodeURIComponent(typed)}`);
    assert.equal(q.status, 200, `${typed}: ${q.text}`);
    assert.deepEqual(q.json.items.map((x) => x.id), [r.json.id], `${typed}: ${q.text}`);
  }
});

test('the screening form takes the number by the same rule: a bad one is 400 naming it, a grouped one matches the alert on its number', async () => {
  const a = await sup.post('/api/v1/alerts', { category: 'other', subject: { given_names: 'Rita', surnames: 'Cribado', document_number: 'CR 55-01' }, instructions: 'Avisar' });
  assert.equal(a.status, 201, a.text);
  for (const v of BAD) {
    const r = await sup.post('/api/v1/screen', { given_names: 'Rita', surnames: 'Cribado', document_number: v });
    assert.deepEqual([r.status, r.json?.error?.code, r.json?.error?.field], [400, 'invalid_document_number', 'document_number'], `${JSON.stringify(v)}: ${r.text}`);
  }
  const r = await sup.post('/api/v1/screen', { given_names: 'Rita', surnames: 'Cribado', document_number: 'cr-5501' });
  assert.equal(r.status, 200, r.text);
  const m = r.json.matches.find((x) => x.record_ref === `alert:${a.json.id}`);
  assert.equal(m?.document_match, true, r.text);
});

// Before, a PAXLST traveler's «AB1» was stored as their number without a
// word (the desk read it as one; nobody could ever be found by it), and
// an MRZ's «AB<<<<<<<» was refused on «document.number», never typed.
test('a PAXLST traveler whose number the rule refuses stays on the list without it, with a warning naming the DOC; a grouped one is kept as the booth reads it', async () => {
  const BADPAX = ['A', 'AB1', '--', 'ABC$123', '1234567890-12345678901'];
  const t = (i, doc) => ({ sur: `DOCNO${'ABCDEFGHIJ'[i]}`, given: 'ANA', sex: 'F', birth: '850614', nat: 'USA', doc });
  const travelers = [t(0, 'DN-45 67.8'), ...BADPAX.map((v, i) => t(i + 1, v))];
  const r = await air.req('POST', '/api/v1/apis/manifests', paxlst('TA471', travelers), { 'content-type': 'application/edifact' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.manifests[0].passengers, travelers.length, r.text);
  const w = r.json.warnings.filter((x) => x.code === 'invalid_document_number');
  assert.deepEqual(w.map((x) => [x.tag, x.element, x.field]), BADPAX.map(() => ['DOC', 'DOC+2:1', 'doc_number']), r.text);
  assert.ok(w.every((x, i) => x.segment > 0 && x.message.includes(`viajero ${i + 2}:`) && x.message.includes('«doc_number»')), r.text);
  const g = await sup.get(`/api/v1/apis/manifests/${r.json.manifests[0].id}`);
  assert.deepEqual(g.json.persons.map((p) => p.doc_number), ['DN45678', ...BADPAX.map(() => null)], g.text);
  // the booth finds the traveler on the list by name and birth date
  const b = await inspectTraveler(ofi, 'TA 471', { ...travelers[2], doc: 'AB1000001' });
  assert.equal(b.status, 201, b.text);
  assert.equal(b.json.apis?.on_manifest, true, JSON.stringify(b.json.apis));
});

// Before, a DOC without a number (or with an empty one) was an error of
// the reader, and an error rejects the whole interchange: the flight's
// other travelers went unscreened for one traveler's missing number.  A
// traveler with no DOC at all was kept without a word.  So too, until
// later, a DOC without a type: an entirely empty «DOC'» or «DOC++X»
// (missing_element on DOC+1) refused the whole flight.
test('a PAXLST traveler with a DOC without a number, or no DOC, stays on the list without one, with a warning naming the DOC (or NAD); the rest of the flight goes in', async () => {
  const t = (i, doc) => ({ sur: `SINDOC${'ABCDE'[i]}`, given: 'LUIS', sex: 'M', birth: '790312', nat: 'USA', doc });
  const travelers = [t(0, 'SN100200'), t(1, ''), t(2, ':::'), t(3, 'NODOC'), t(4, 'VACIO'), t(5, 'SN300400')];
  // traveler 4 sends no DOC group at all, 5 an empty DOC, 6 a DOC without a type
  const edi = paxlst('TA472', travelers).replace("DOC+P+NODOC'\nDTM+36:300101'\nLOC+91+USA'\n", '')
    .replace("DOC+P+VACIO'", "DOC'").replace("DOC+P+SN300400'", "DOC++SN300400'");
  const r = await air.req('POST', '/api/v1/apis/manifests', edi, { 'content-type': 'application/edifact' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.manifests[0].passengers, travelers.length, r.text);
  const w = r.json.warnings.filter((x) => x.code === 'missing_document_number');
  // the reader's own warnings, restated in place, before the ingest's NAD one
  assert.deepEqual(w.map((x) => [x.message.match(/viajero (\d+):/)?.[1], x.tag, x.element, x.field]),
    [['2', 'DOC', 'DOC+2:1', 'doc_number'], ['3', 'DOC', 'DOC+2:1', 'doc_number'], ['5', 'DOC', 'DOC+2:1', 'doc_number'],
      ['4', 'NAD', '', 'doc_number']], r.text);
  assert.ok(w.every((x) => x.segment > 0 && x.message.includes('sin número de documento')), r.text);
  assert.deepEqual(r.json.warnings.filter((x) => x.code === 'missing_document_type').map((x) => [x.tag, x.element, x.field, x.message.match(/viajero (\d+):/)?.[1]]),
    [['DOC', 'DOC+1:1', 'doc_type', '6']], r.text);
  const g = await sup.get(`/api/v1/apis/manifests/${r.json.manifests[0].id}`);
  assert.deepEqual(g.json.persons.map((p) => [p.doc_type, p.doc_number]),
    [['P', 'SN100200'], ['P', null], ['P', null], [null, null], [null, null], [null, 'SN300400']], g.text);
  // the booth finds them on the list by name and birth date
  for (const k of [1, 3]) {
    const b = await inspectTraveler(ofi, 'TA 472', { ...travelers[k], doc: uniq('SD') });
    assert.equal(b.status, 201, b.text);
    assert.equal(b.json.apis?.on_manifest, true, JSON.stringify(b.json.apis));
  }
  const rec = await sup.get(`/api/v1/apis/manifests/${r.json.manifests[0].id}/reconciliation`);
  assert.equal(rec.status, 200, rec.text);
  assert.equal(rec.json.arrived, 2, rec.text);
});

test('an MRZ whose number the rule refuses is 400 invalid_document_number on «mrz»; a TD1 long number is still read whole', async () => {
  for (const n of ['AB', 'ABC', 'AB<<<<<<<']) {
    const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 390', mrz: td3(n, 'DOCNO<<MRZ', 'USA', '750302', 'M') });
    const err = r.json?.error ?? {};
    assert.deepEqual([r.status, err.code, err.field], [400, 'invalid_document_number', 'mrz'], `${n}: ${r.text}`);
    assert.match(err.message, /MRZ «mrz»: al menos 4 letras o dígitos \(tiene [23]\)/, r.text);
  }
  // ICAO 9303 Part 11's TD1 with the number D23145890734 (9 + 3 in the optional data)
  const td1 = 'I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<';
  const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 390', mrz: td1 });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.mrz.fields.document_number, 'D23145890734', r.text);
});
