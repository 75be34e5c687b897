// LEPINA Art. 44 exit authorizations for minors: the registry and its rules.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD, staffUser } from '../lib/server.mjs';

let srv, ofi, uaip;
const PW = 'Turno-Seguro-2026';
before(async () => { srv = await startServer(); ofi = await staffUser(srv.url, 'm_oficial_control', 'oficial_control', PW, 'DG'); uaip = await staffUser(srv.url, 'm_uaip', 'uaip', PW, 'DG'); });
after(async () => { await srv.stop(); });

const auth = (over = {}) => ({
  minor: { given_names: 'Sofía Alejandra', surnames: 'Martínez Ramos', birth_date: '2014-06-01', nationality: 'SLV', document_number: 'B1234567' },
  birth_certificate_ref: 'Partida 125, folio 33, libro 7, Alcaldía de San Salvador',
  authorizing: [{ relation: 'father', given_names: 'Carlos', surnames: 'Martínez' }],
  instrument: 'notarial_act',
  instrument_reference: 'Acta notarial ante Lic. Ana Pérez, 10 de noviembre de 2026',
  issued_on: '2026-11-10',
  valid_to: '2027-02-10',
  companion: { given_names: 'Laura', surnames: 'Ramos de Martínez', dui: '00016297-5' },
  destination: 'USA, Houston',
  length_of_stay: '30 días, temporal',
  ...over,
});

test('an officer registers an authorization; it is found by minor and date', async () => {
  const r = await ofi.post('/api/v1/minor-authorizations', auth());
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(r.json.valid_from, '2026-11-10');
  assert.equal(r.json.authorizing[0].relation, 'father');
  assert.equal(r.json.travels_alone, false);
  const l = await ofi.get('/api/v1/minor-authorizations?document_number=B1234567&valid_on=2026-12-24');
  assert.equal(l.status, 200);
  assert.equal(l.json.items.length, 1);
  const out = await ofi.get('/api/v1/minor-authorizations?document_number=B1234567&valid_on=2027-03-01');
  assert.equal(out.json.items.length, 0, 'not valid after valid_to');
  // by surname as people write it, and birth date
  const ids = async (q) => (await ofi.get(`/api/v1/minor-authorizations?${q}`)).json.items.map((a) => a.id);
  assert.deepEqual(await ids('surnames=martinez%20ramos&birth_date=2014-06-01'), [r.json.id]);
  assert.deepEqual(await ids('surnames=MART%C3%8DNEZ'), [r.json.id]);
  assert.deepEqual(await ids('surnames=Martinez%20Ramoz'), []);
  // the second surname alone (the one parent known), or its start
  assert.deepEqual(await ids('surnames=Ramos'), [r.json.id]);
  assert.deepEqual(await ids('surnames=ram'), [r.json.id]);
  assert.deepEqual(await ids('surnames=amos'), [], 'a word is found by its start, not its middle');
  assert.equal((await ofi.get('/api/v1/minor-authorizations?surnames=%20-%20')).status, 400);
  assert.equal((await ofi.get(`/api/v1/minor-authorizations/${r.json.id}`)).status, 200);
});

test('LEPINA limits: one year at most, a real minor, an identified companion', async () => {
  const cases = [
    [{ valid_to: '2027-11-11' }, 'valid_to', 'validity_over_one_year'],
    [{ minor: { given_names: 'A', surnames: 'B', birth_date: '2000-01-01' } }, 'minor.birth_date', 'not_a_minor'],
    [{ minor: { given_names: 'A', surnames: 'B', birth_date: '2014' } }, 'minor.birth_date', 'minor_not_identified'],
    // a child is named by names and surnames, not by a DUI (was «…o el DUI»)
    [{ minor: { given_names: '', surnames: 'B', birth_date: '2014-01-01' } }, 'minor.given_names', 'minor_not_identified'],
    [{ minor: { given_names: 'A', birth_date: '2014-01-01' } }, 'minor.surnames', 'minor_not_identified'],
    [{ companion: { given_names: 'Laura', surnames: 'Ramos' } }, 'companion', 'companion_not_identified'],
    [{ instrument: 'email' }, 'instrument', 'invalid_value'],
    [{ authorizing: [] }, 'authorizing', 'invalid_authorizing'],
    [{ authorizing: [{ relation: 'uncle', given_names: 'X', surnames: 'Y' }] }, 'authorizing[0]', 'invalid_authorizing'],
    [{ travels_alone: true }, 'companion', 'companion_with_alone'],
    [{ issued_on: '2026-13-01' }, 'issued_on', 'invalid_date'],
    // each person who authorizes is checked like any field, and only checked fields are kept
    [{ authorizing: [{ relation: 'father', given_names: 'Carlos', surnames: 'Martínez', evil: { nested: 'x' } }] }, 'authorizing[0].evil', 'unknown_field'],
    [{ authorizing: [{ relation: 'father', given_names: 'Ro\u0007sa', surnames: 'Martínez' }] }, 'authorizing[0].given_names', 'invalid_characters'],
    [{ authorizing: [{ relation: 'father', given_names: '   ', surnames: 'Martínez' }] }, 'authorizing[0].given_names', 'empty_field'],
    [{ authorizing: [{ relation: 'mother', given_names: 'Ana', surnames: 'Ramos' }, { relation: 'mother', given_names: 'Eva', surnames: 'Ramos' }] }, 'authorizing[1]', 'duplicate_relation'],
    [{ authorizing: 'father' }, 'authorizing', 'invalid_authorizing'],
    [{ minor: { given_names: 'A', surnames: 'B', birth_date: '2014-06-01T00', document_number: 'B1000001' } }, 'minor.birth_date', 'too_long'],
    [{ minor: { given_names: 'A'.repeat(201), surnames: 'B', birth_date: '2014-06-01' } }, 'minor.given_names', 'too_long'],
    [{ companion: { given_names: 'A'.repeat(201), surnames: 'Ramos', document_number: 'A1000001' } }, 'companion.given_names', 'too_long'],
    [{ minor: { given_names: 'A', surnames: 'B', birth_date: '2026-12-04' }, issued_on: '2026-11-01', valid_to: '2026-12-20' }, 'minor.birth_date', 'born_after_issue'],
  ];
  for (const [over, field, code] of cases) {
    const r = await ofi.post('/api/v1/minor-authorizations', auth(over));
    assert.ok(r.status >= 400 && r.status < 500, JSON.stringify(r.json));
    assert.equal(r.json.error.field, field, JSON.stringify(r.json));
    assert.equal(r.json.error.code, code);
  }
  // the day said as an officer says it
  assert.match((await ofi.post('/api/v1/minor-authorizations', auth({ valid_to: '2027-11-11' }))).json.error.message, /hasta el 10 nov 2027\)/);
  const alone = auth({ travels_alone: true });
  delete alone.companion;
  assert.equal((await ofi.post('/api/v1/minor-authorizations', alone)).status, 201);
});

// El Salvador's day (UTC-6), n days from today.
const svDay = (n) => new Date(Date.now() - 6 * 3600000 + n * 86400000).toISOString().slice(0, 10);

test('an authorization granted after today (El Salvador) is refused naming issued_on; today is fine', async () => {
  const minor = { given_names: 'Nonato', surnames: 'Futuro', birth_date: '2015-03-01', nationality: 'SLV', document_number: 'A79990001' };
  const future = await ofi.post('/api/v1/minor-authorizations', auth({ minor, issued_on: svDay(1), valid_to: svDay(30) }));
  assert.equal(future.status, 422, future.text);
  assert.equal(future.json.error.field, 'issued_on');
  assert.equal(future.json.error.code, 'issued_in_future');
  const later = await ofi.post('/api/v1/minor-authorizations', auth({ minor, issued_on: '2099-06-01', valid_to: '2099-07-01' }));
  assert.equal(later.status, 422, later.text);
  assert.equal(later.json.error.field, 'issued_on');
  const today = await ofi.post('/api/v1/minor-authorizations', auth({ minor, issued_on: svDay(0), valid_to: svDay(30) }));
  assert.equal(today.status, 201, today.text);
});

// A child born on 29 February turns 18 on 1 March of a common year: the
// booth (cal_age) asks an authorization for her on 28 February 2026, so the
// registry must take one dated that day (it answered not_a_minor).
test('born on 29 February: still a minor on 28 February of a common year, of age on 1 March', async () => {
  const minor = { given_names: 'Bisiesta', surnames: 'Febrero', birth_date: '2008-02-29', nationality: 'SLV', document_number: 'A80080229' };
  const feb28 = await ofi.post('/api/v1/minor-authorizations', auth({ minor, issued_on: '2026-02-28', valid_to: '2026-03-15' }));
  assert.equal(feb28.status, 201, feb28.text);
  const mar1 = await ofi.post('/api/v1/minor-authorizations', auth({ minor, issued_on: '2026-03-01', valid_to: '2026-03-15' }));
  assert.equal(mar1.status, 422, mar1.text);
  assert.equal(mar1.json.error.code, 'not_a_minor');
  assert.equal(mar1.json.error.field, 'minor.birth_date');
  // a valid_from of 1 March on an instrument of 28 February: of age by then
  const from = await ofi.post('/api/v1/minor-authorizations', auth({ minor, issued_on: '2026-02-28', valid_from: '2026-03-01', valid_to: '2026-03-15' }));
  assert.equal(from.status, 422, from.text);
  assert.equal(from.json.error.code, 'not_a_minor');
  // an ordinary birthday: the day before the 18th, a minor; the day itself, not
  const june = { ...minor, birth_date: '2008-06-15', document_number: 'A80080615' };
  assert.equal((await ofi.post('/api/v1/minor-authorizations', auth({ minor: june, issued_on: '2026-06-14', valid_to: '2026-06-20' }))).status, 201);
  assert.equal((await ofi.post('/api/v1/minor-authorizations', auth({ minor: june, issued_on: '2026-06-15', valid_to: '2026-06-20' }))).json.error.code, 'not_a_minor');
});

// Limits are said in characters and count characters: 200 accented letters
// are 400 bytes of UTF-8, and within «supera 200 caracteres» (they were
// refused from 101 on).  api_get_str, for every field of every endpoint.
test('name limits count characters, not bytes', async () => {
  const minor = (g) => ({ given_names: g, surnames: 'Núñez', birth_date: '2014-06-01', nationality: 'SLV', document_number: 'A7000200' });
  for (const g of ['é'.repeat(101), 'é'.repeat(200), 'ñ'.repeat(199) + '😀']) {
    const r = await ofi.post('/api/v1/minor-authorizations', auth({ minor: minor(g) }));
    assert.equal(r.status, 201, `${[...g].length} characters: ${r.text.slice(0, 200)}`);
  }
  const over = await ofi.post('/api/v1/minor-authorizations', auth({ minor: minor('é'.repeat(201)) }));
  assert.equal(over.status, 400, over.text.slice(0, 200));
  assert.equal(over.json.error.code, 'too_long');
  assert.equal(over.json.error.field, 'minor.given_names');
  assert.match(over.json.error.message, /supera 200 caracteres/);
});

test('roles without minors.write cannot register', async () => {
  assert.equal((await uaip.post('/api/v1/minor-authorizations', auth())).status, 403);
  assert.equal((await uaip.get('/api/v1/minor-authorizations')).status, 403);
});

test('a list of authorizations names the ones it shows in its audit entry: the trail of each says who listed it', async () => {
  const a = await ofi.post('/api/v1/minor-authorizations', auth({ minor: { given_names: 'Lucía', surnames: 'Trazada Lista', birth_date: '2016-04-04', nationality: 'SLV', document_number: 'B7654321' } }));
  assert.equal(a.status, 201, JSON.stringify(a.json));
  const l = await ofi.get('/api/v1/minor-authorizations?document_number=B7654321');
  assert.deepEqual(l.json.items.map((x) => x.id), [a.json.id]);
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const trail = await admin.get(`/api/v1/audit?record_type=minor_authorization&record_id=${a.json.id}&action=minor_authorization.search`);
  assert.equal(trail.status, 200);
  assert.equal(trail.json.items.length, 1, JSON.stringify(trail.json));
  const e = trail.json.items[0];
  assert.equal(e.user, 'm_oficial_control');
  assert.deepEqual(e.detail, { document_number: 'B7654321', surnames: null, birth_date: null, valid_on: null, ids: [a.json.id] });
  // an empty page names nobody
  await ofi.get('/api/v1/minor-authorizations?document_number=B0000000');
  const none = await admin.get('/api/v1/audit?action=minor_authorization.search&limit=1');
  assert.deepEqual(none.json.items[0].detail.ids, []);
});

test('the destination is a country by its code, the city after it if wanted: free text was taken at the booth as any destination', async () => {
  for (const d of ['Guatemala', 'Estados Unidos de América', 'LOS ANGELES, USA', 'XXX', 'GTMX'])
    assert.deepEqual(await (async () => { const r = await ofi.post('/api/v1/minor-authorizations', auth({ destination: d })); return [r.status, r.json.error && r.json.error.code, r.json.error && r.json.error.field]; })(),
      [422, 'invalid_destination', 'destination'], d);
  const ok = await ofi.post('/api/v1/minor-authorizations', auth({ destination: 'gtm, Ciudad de Guatemala', minor: { given_names: 'Ana', surnames: 'Destino Código', birth_date: '2015-01-01', nationality: 'SLV', document_number: 'B7654321' } }));
  assert.equal(ok.status, 201, JSON.stringify(ok.json));
  assert.equal(ok.json.destination, 'GTM, Ciudad de Guatemala');
  // one registered before, written as text: at the booth it fits no route
  // by itself (the supervisor decides), it was admitted for any
  const minor = { given_names: 'Luis', surnames: 'Texto Libre', birth_date: '2016-02-02', nationality: 'SLV', sex: 'M' };
  const a = await ofi.post('/api/v1/minor-authorizations', auth({ destination: 'MEX', minor: { ...minor, document_number: 'B1616161' } }));
  assert.equal(a.status, 201, JSON.stringify(a.json));
  assert.equal(srv.sql(`UPDATE minor_authorizations SET destination = 'Guatemala' WHERE id = ${a.json.id}`).status, 0);
  const exit = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', route_country: 'MEX',
    document: { kind: 'passport', code: 'P', number: 'B1616161', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2030-01-01' }, person: minor,
    companions: [{ relation: 'parent', name: 'Laura Ramos de Martínez', document_number: '00016297-5', identity_checked: true }] });
  assert.equal(exit.status, 201, JSON.stringify(exit.json));
  assert.equal(exit.json.decision, 'secondary', JSON.stringify(exit.json.reasons));
  assert.match(exit.json.reasons.find((x) => x.code === 'minor_without_authorization').message, /es para viajar a Guatemala, no a .*MEX/);
});

test('a minor is found by surname as written or plainly on both engines: every Latin letter folds alike', async () => {
  const made = [];
  for (const [sur, doc] of [['Dăscălescu Kňourek', 'B5550001'], ['Ōtomo Groß', 'B5550002']]) {
    const r = await ofi.post('/api/v1/minor-authorizations', auth({ destination: 'USA', minor: { given_names: 'Ioana', surnames: sur, birth_date: '2013-03-03', nationality: 'ROU', document_number: doc } }));
    assert.equal(r.status, 201, JSON.stringify(r.json));
    made.push(r.json.id);
  }
  const ids = async (q) => (await ofi.get(`/api/v1/minor-authorizations?surnames=${encodeURIComponent(q)}`)).json.items.map((a) => a.id);
  for (const q of ['Dăscălescu', 'Dascalescu', 'DASCALESCU KNOUREK']) assert.deepEqual(await ids(q), [made[0]], q);
  for (const q of ['Ōtomo', 'Otomo', 'otomo gros']) assert.deepEqual(await ids(q), [made[1]], q);
});

test('the companion\'s relation to the child, as the act words it, is kept and returned (a body giving it was refused as an unknown key)', async () => {
  const r = await ofi.post('/api/v1/minor-authorizations', auth({
    minor: { given_names: 'Tomás', surnames: 'Girón Beltrán', birth_date: '2016-02-03', nationality: 'SLV', document_number: 'B7654321' },
    companion: { given_names: 'Marta', surnames: 'Beltrán', document_number: 'C2233445', relation: 'tía materna' } }));
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(r.json.companion_relation, 'tía materna');
  assert.equal(r.json.companion_document_number, 'C2233445');
  const l = await ofi.get('/api/v1/minor-authorizations?document_number=B7654321');
  assert.equal(l.json.items[0].companion_relation, 'tía materna');
  // not given: none recorded
  const n = await ofi.post('/api/v1/minor-authorizations', auth({
    minor: { given_names: 'Ema', surnames: 'Girón Beltrán', birth_date: '2018-05-06', nationality: 'SLV', document_number: 'B7654322' } }));
  assert.equal(n.status, 201, JSON.stringify(n.json));
  assert.equal(n.json.companion_relation, null);
  // words, within 60 characters, a text
  for (const [relation, code] of [['---', 'invalid_value'], ['x'.repeat(61), 'too_long'], [7, 'invalid_type']]) {
    const e = await ofi.post('/api/v1/minor-authorizations', auth({
      minor: { given_names: 'Iris', surnames: 'Girón Beltrán', birth_date: '2019-05-06', nationality: 'SLV', document_number: 'B7654323' },
      companion: { given_names: 'Marta', surnames: 'Beltrán', document_number: 'C2233445', relation } }));
    assert.equal(e.status, 400, JSON.stringify(e.json));
    assert.equal(e.json.error.field, 'companion.relation', JSON.stringify(e.json));
    assert.equal(e.json.error.code, code);
  }
});

// The child's own passport (or DUI) typed in a parent's row is not the
// other parent: with the one real parent along, the child left as
// «acompañada por ambos padres», without the absent parent's consent.
test('a parent\'s row with the child\'s own document number does not count as the other parent', async () => {
  const person = { given_names: 'Iván', surnames: 'Sosa Propio', birth_date: svDay(-15 * 365), nationality: 'SLV', sex: 'M' };
  const doc = { kind: 'passport', code: 'P', number: 'B55443324', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2030-01-01' };
  const mother = { relation: 'parent', name: 'Laura Propio', document_number: '00016297-5', identity_checked: true };
  const exitWith = (other) => ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', route_country: 'USA', document: doc, person, companions: [mother, other] });
  const own = await exitWith({ relation: 'parent', name: 'Iván Sosa', document_number: 'b5544-3324', identity_checked: true });
  assert.equal(own.status, 201, JSON.stringify(own.json));
  assert.equal(own.json.decision, 'secondary', JSON.stringify(own.json.reasons));
  assert.ok(own.json.reasons.some((x) => x.code === 'minor_without_authorization'), JSON.stringify(own.json.reasons));
  assert.ok(!own.json.reasons.some((x) => x.code === 'minor_with_both_parents'), JSON.stringify(own.json.reasons));
  // the father's own document: both parents
  const both = await exitWith({ relation: 'parent', name: 'Iván Sosa', document_number: '01234567-8', identity_checked: true });
  assert.equal(both.json.decision, 'admit', JSON.stringify(both.json.reasons));
  assert.ok(both.json.reasons.some((x) => x.code === 'minor_with_both_parents'));
});

// Two registered authorizations that fit but for the trip's destination,
// none declared: the booth named only one of them, and a child going to
// the other country was sent to secondary on the officer's «si es a otro
// país, envíe a segunda revisión».
test('two authorizations for two countries, no destination declared: the warning names both', async () => {
  const minor = { given_names: 'Paula', surnames: 'Dos Destinos', birth_date: svDay(-11 * 365), nationality: 'SLV', sex: 'F' };
  const ids = [];
  for (const dest of ['USA', 'MEX']) {
    const a = await ofi.post('/api/v1/minor-authorizations', auth({ minor: { ...minor, document_number: 'B22334455' }, destination: dest, instrument_reference: `Acta ${dest}`, issued_on: svDay(-3), valid_to: svDay(30) }));
    assert.equal(a.status, 201, JSON.stringify(a.json));
    ids.push(a.json.id);
  }
  const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit',
    document: { kind: 'passport', code: 'P', number: 'B22334455', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2030-01-01' }, person: minor,
    companions: [{ relation: 'parent', name: 'Laura Ramos de Martínez', document_number: '00016297-5', identity_checked: true }] });
  assert.equal(r.json.decision, 'admit', JSON.stringify(r.json.reasons));
  const w = r.json.reasons.find((x) => x.code === 'destination_unconfirmed');
  assert.match(w.message, /^Autorizaciones de salida registradas \(n\.º \d+\) para viajar a .* y \(n\.º \d+\) para viajar a .*, y no se declaró el destino del viaje: confirme en el pasaje o la tarjeta de embarque que el viaje es a [^;]+ o a [^;]+; si es a otro país, envíe a segunda revisión\.$/);
  const to = w.message.split('que el viaje es a ')[1];
  assert.ok(/\(USA\)/.test(to) && /\(MEX\)/.test(to), w.message);
  for (const id of ids) assert.match(w.message, new RegExp(`n\\.º ${id}\\)`));
});

// The child's own passport given as the companion's document: registered,
// and at the booth the child listed as his own companion left as if
// accompanied, on an authorization for an accompanied trip.
test('the companion named is not the child: 422 companion_is_minor; one on record does not let the child out alone', async () => {
  const minor = { given_names: 'Yo', surnames: 'Mismo Acompaña', birth_date: svDay(-12 * 365), nationality: 'SLV', sex: 'M' };
  const self = await ofi.post('/api/v1/minor-authorizations', auth({ minor: { ...minor, document_number: 'B31313131' },
    companion: { given_names: 'Yo', surnames: 'Mismo Acompaña', document_number: 'b3131-3131' }, destination: 'USA' }));
  assert.deepEqual([self.status, self.json.error && self.json.error.code, self.json.error && self.json.error.field], [422, 'companion_is_minor', 'companion.document_number'], JSON.stringify(self.json));
  // one registered so before: the booth does not take it
  const a = await ofi.post('/api/v1/minor-authorizations', auth({ minor: { ...minor, document_number: 'B31313131' }, destination: 'USA' }));
  assert.equal(a.status, 201, JSON.stringify(a.json));
  assert.equal(srv.sql(`UPDATE minor_authorizations SET companion_document_number = 'B31313131' WHERE id = ${a.json.id}`).status, 0);
  const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', route_country: 'USA',
    document: { kind: 'passport', code: 'P', number: 'B31313131', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2030-01-01' }, person: minor,
    companions: [{ relation: 'other', name: 'Yo Mismo', document_number: 'B31313131', identity_checked: true }] });
  assert.equal(r.json.decision, 'secondary', JSON.stringify(r.json.reasons));
  assert.match(r.json.reasons.find((x) => x.code === 'minor_without_authorization').message, /nombra como acompañante a la propia persona menor de edad/);
});
