// A traveler recorded without any document (document {kind: "none"}: a
// stowaway, a returnee without papers) met by the rest of the system: the
// supervisor's decision, the records a supervisor links to them, and the
// certificates of their movements and restrictions.  Before 2026-12-07
// every inspection and movement had a document; these paths read one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, staffUser } from '../lib/server.mjs';

let srv, ofi, sup, sg, tmp;
const PW = 'Turno-Seguro-2026';
before(async () => {
  srv = await startServer();
  ofi = await staffUser(srv.url, 'nd_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'nd_sup', 'supervisor_control', PW);
  sg = await staffUser(srv.url, 'nd_sg', 'secretaria_general', PW, 'SG');
  tmp = mkdtempSync(path.join(tmpdir(), 'sigm-nodoc-'));
});
after(async () => { await srv.stop(); rmSync(tmp, { recursive: true, force: true }); });

const none = (person, over = {}) => ofi.post('/api/v1/inspections', {
  port: 'SAL', direction: 'entry', transport: 'Vuelo de retorno 1234', document: { kind: 'none' }, person, ...over,
});
// the pair flagged between two records, decided «same» by a supervisor
async function link(a, b) {
  const d = (await sup.get('/api/v1/person-duplicates?status=open')).json.items
    .find((x) => x.persons.some((p) => p.id === a) && x.persons.some((p) => p.id === b));
  assert.ok(d, `flagged: ${a} and ${b}`);
  const r = await sup.post(`/api/v1/person-duplicates/${d.id}/review`, { decision: 'same', note: 'Identidad confirmada con el RNPN' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
}
async function pdfText(code) {
  const r = await fetch(`${srv.url}/api/v1/certificates/${code}.pdf`, { headers: { cookie: sg.cookie } });
  assert.equal(r.status, 200);
  const f = path.join(tmp, `${code}.pdf`);
  writeFileSync(f, Buffer.from(await r.arrayBuffer()));
  const t = spawnSync('pdftotext', ['-layout', f, '-'], { encoding: 'utf8' });
  assert.equal(t.status, 0, t.stderr);
  return t.stdout;
}

test('admitting a traveler without a document needs the justification of how they were identified; the queue says so', async () => {
  const r = await none({ given_names: 'Xiomara', surnames: 'Sinpapeles Ayala', birth_date: '1979-01-09', sex: 'F', nationality: 'GTM' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const row = (await sup.get('/api/v1/inspections?status=pending&port=SAL')).json.items.find((x) => x.id === r.json.inspection_id);
  assert.equal(row.justification_required, true);
  const url = `/api/v1/inspections/${r.json.inspection_id}/resolve`;
  for (const body of [{ resolution: 'admit' }, { resolution: 'refer_atencion_migrante', referral_motive: 'vulnerable' }]) {
    const bare = await sup.post(url, body);
    assert.deepEqual([bare.status, bare.json.error?.code, bare.json.error?.field], [422, 'justification_required', 'notes'], JSON.stringify(bare.json));
    assert.match(bare.json.error.message, /no presentó documento de viaje/);
  }
  // nothing was recorded by the refusals
  assert.equal((await sup.get(`/api/v1/persons/${r.json.person_id}/timeline`)).json.events.filter((e) => e.type === 'movement').length, 0);
  const ok = await sup.post(url, { resolution: 'admit', notes: 'Identificada por el consulado de Guatemala (nota 55/2026)', permitted_stay_days: 30 });
  assert.equal(ok.status, 200, JSON.stringify(ok.json));
  assert.ok(ok.json.movement_id > 0);
});

test('the certificate of movements of a person without a document says «Sin documento», not a blank cell and a dash', async () => {
  const r = await none({ given_names: 'Mauricio', surnames: 'Cañas Sinpapel', birth_date: '1986-05-05', sex: 'M', nationality: 'SLV' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const res = await sup.post(`/api/v1/inspections/${r.json.inspection_id}/resolve`, { resolution: 'admit', notes: 'DUI verificado en línea con el RNPN' });
  assert.equal(res.status, 200, JSON.stringify(res.json));
  const c = await sg.post('/api/v1/certificates', { kind: 'movements', person_id: r.json.person_id, purpose: 'Trámite de pasaporte' });
  assert.equal(c.status, 201, JSON.stringify(c.json));
  assert.deepEqual(c.json.content.documents, []);
  assert.equal(c.json.content.movements.length, 1);
  const text = await pdfText(c.json.code);
  assert.match(text, /Documentos:\s+Ninguno registrado \(sin documento de viaje\)/);
  // the movement's row: its document column says there was none
  const line = text.split('\n').find((l) => /Entrada/.test(l));
  assert.ok(line, text);
  assert.match(line, /Entrada\s+Sin documento\s*$/);
});

test('a person without a document linked to their passport\'s record: the certificate of restrictions names the exit ban on that passport', async () => {
  const P = { given_names: 'Ernesto Alonso', surnames: 'Retornado Funes', birth_date: '1984-04-04', sex: 'M', nationality: 'SLV' };
  const pass = { kind: 'passport', code: 'P', number: 'A70000081', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2030-01-01' };
  const out = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'AV 611', route_country: 'USA', document: pass, person: P });
  assert.equal(out.status, 201, JSON.stringify(out.json));
  assert.equal(out.json.decision, 'admit', JSON.stringify(out.json.reasons));
  const ban = await sg.post('/api/v1/restrictions', { court: 'Juzgado Segundo de Familia de San Salvador', case_number: 'F-22-2026', measure: 'exit_ban', subject: { document_number: 'A70000081' }, effective_from: '2026-01-01' });
  assert.equal(ban.status, 201, JSON.stringify(ban.json));
  // deported back without papers: a record of their own, flagged beside
  // the passport's, linked by the supervisor once the RNPN identifies him
  const u = await none(P);
  assert.equal(u.status, 201, JSON.stringify(u.json));
  assert.notEqual(u.json.person_id, out.json.person_id);
  await link(u.json.person_id, out.json.person_id);
  const c = await sg.post('/api/v1/certificates', { kind: 'restrictions', person_id: u.json.person_id, purpose: 'Trámite' });
  assert.equal(c.status, 201, JSON.stringify(c.json));
  assert.deepEqual(c.json.content.restrictions.map((x) => x.id), [ban.json.id], 'the ban on his passport is his');
  assert.deepEqual(c.json.content.documents.map((d) => d.number), ['A70000081']);
  // the movements certificate lists the document its exit names
  const m = await sg.post('/api/v1/certificates', { kind: 'movements', person_id: u.json.person_id, purpose: 'Trámite' });
  assert.equal(m.status, 201, JSON.stringify(m.json));
  assert.deepEqual(m.json.content.documents.map((d) => d.number), ['A70000081']);
});

test('leaving without a document, linked to the record whose passport a court barred from leaving: not let out from secondary', async () => {
  const P = { given_names: 'Rigoberto', surnames: 'Impedido Menjívar', birth_date: '1977-07-17', sex: 'M', nationality: 'SLV' };
  const pass = { kind: 'passport', code: 'P', number: 'A70000082', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-01-01' };
  const en = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'AV 612', document: pass, person: P });
  assert.equal(en.status, 201, JSON.stringify(en.json));
  assert.equal(en.json.decision, 'admit', JSON.stringify(en.json.reasons));
  const ban = await sg.post('/api/v1/restrictions', { court: 'Juzgado Tercero de Paz de Soyapango', case_number: 'P-77-2026', measure: 'exit_ban', subject: { document_number: 'A70000082' }, effective_from: '2026-01-01' });
  assert.equal(ban.status, 201, JSON.stringify(ban.json));
  // with the passport the booth refuses him
  const withPass = await ofi.post('/api/v1/inspections', { port: 'AMA', direction: 'exit', transport: 'Bus P-9', route_country: 'HND', document: pass, person: P });
  assert.equal(withPass.json.decision, 'refuse', JSON.stringify(withPass.json.reasons));
  // without it: secondary, his data alone (the ban names only the number)
  const x = await ofi.post('/api/v1/inspections', { port: 'ACA', direction: 'exit', transport: 'MSC Seaview', route_country: 'PAN', document: { kind: 'none' }, person: P });
  assert.equal(x.status, 201, JSON.stringify(x.json));
  assert.equal(x.json.decision, 'secondary', JSON.stringify(x.json.reasons));
  assert.ok(!x.json.reasons.some((r) => r.code === 'exit_ban'));
  // the supervisor identifies him: the record with the passport
  await link(x.json.person_id, en.json.person_id);
  const url = `/api/v1/inspections/${x.json.inspection_id}/resolve`;
  const adm = await sup.post(url, { resolution: 'admit', notes: 'Identificado con el RNPN' });
  assert.deepEqual([adm.status, adm.json.error?.code, adm.json.error?.field], [409, 'linked_registry', 'resolution'], JSON.stringify(adm.json));
  assert.match(adm.json.error.message, /SLV A70000082.*impedimento de salida.*n\.º \d+/);
  assert.match(adm.json.error.message, /salida no autorizada/);
  // nothing recorded: he is still inside by the ledger
  const t = await sup.get(`/api/v1/persons/${en.json.person_id}/timeline`);
  assert.equal(t.json.stay.inside, true);
  assert.ok(!t.json.events.some((e) => e.type === 'movement' && e.movement.direction === 'exit'));
  // refused, with its legal ground: the departure not authorized
  const ref = await sup.post(url, { resolution: 'refuse', legal_ground: 'Impedimento de salida, Juzgado Tercero de Paz de Soyapango, P-77-2026' });
  assert.equal(ref.status, 200, JSON.stringify(ref.json));
});

test('an entry without a document of a person whose linked passport is barred from leaving is admitted (an exit ban bars exits only)', async () => {
  const P = { given_names: 'Wilfredo', surnames: 'Regresa Sinpase', birth_date: '1975-03-13', sex: 'M', nationality: 'SLV' };
  const pass = { kind: 'passport', code: 'P', number: 'A70000083', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-01-01' };
  const out = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'AV 613', route_country: 'USA', document: pass, person: P });
  assert.equal(out.json.decision, 'admit', JSON.stringify(out.json.reasons));
  const ban = await sg.post('/api/v1/restrictions', { court: 'Juzgado Cuarto de Instrucción', case_number: 'I-83-2026', measure: 'exit_ban', subject: { document_number: 'A70000083' }, effective_from: '2026-01-01' });
  assert.equal(ban.status, 201);
  const u = await none(P);
  await link(u.json.person_id, out.json.person_id);
  const adm = await sup.post(`/api/v1/inspections/${u.json.inspection_id}/resolve`, { resolution: 'admit', notes: 'Identificado con el RNPN' });
  assert.equal(adm.status, 200, JSON.stringify(adm.json));
  assert.ok(adm.json.movement_id > 0);
});

test('a stowaway admitted with a stay leaves without a document: the exit waits for the flag beside them to be reviewed, then closes their entry', async () => {
  const S = { given_names: 'Kwabena', surnames: 'Asare Ofori', birth_date: '1994-02-14', sex: 'M', nationality: 'GHA' };
  const inside = await none(S, { port: 'ACA', transport: 'MSC Seaview' });
  assert.equal(inside.status, 201, JSON.stringify(inside.json));
  const adm = await sup.post(`/api/v1/inspections/${inside.json.inspection_id}/resolve`,
    { resolution: 'admit', notes: 'Identificado por el consulado de Ghana', permitted_stay_days: 30 });
  assert.equal(adm.status, 200, JSON.stringify(adm.json));
  const later = new Date(Date.now() + 60 * 86400e3 - 6 * 3600e3).toISOString().slice(0, 10);
  const over = async () => (await sup.get(`/api/v1/overstayers?as_of=${later}&nationality=GHA`)).json.items.map((x) => x.person_id);
  assert.deepEqual(await over(), [inside.json.person_id], 'past the 30 days, on the list');
  // leaving: a record of his own (the booth links nobody without a
  // document), flagged beside the one inside
  const x = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'AV 500', route_country: 'GHA', document: { kind: 'none' }, person: S });
  assert.equal(x.status, 201, JSON.stringify(x.json));
  assert.notEqual(x.json.person_id, inside.json.person_id);
  assert.equal(x.json.possible_duplicates, 1);
  const url = `/api/v1/inspections/${x.json.inspection_id}/resolve`;
  const early = await sup.post(url, { resolution: 'admit', notes: 'Identificado por el consulado de Ghana' });
  assert.deepEqual([early.status, early.json.error?.code, early.json.error?.field], [409, 'duplicate_unreviewed', 'resolution'], JSON.stringify(early.json));
  assert.match(early.json.error.message, new RegExp(`persona n\\.º ${inside.json.person_id}`));
  // reviewed as the same person: the exit closes the entry
  await link(x.json.person_id, inside.json.person_id);
  const ok = await sup.post(url, { resolution: 'admit', notes: 'Identificado por el consulado de Ghana' });
  assert.equal(ok.status, 200, JSON.stringify(ok.json));
  assert.ok(ok.json.movement_id > 0);
  assert.deepEqual(await over(), [], 'gone: no longer an overstayer');
  const t = await sup.get(`/api/v1/persons/${inside.json.person_id}/timeline`);
  assert.equal(t.json.stay.inside, false);
});

test('a namesake inside is reviewed as another person: the exit without a document is then let out, the namesake stays', async () => {
  const S = { given_names: 'Ana Gabriela', surnames: 'Homónima Paz', birth_date: '1991-11-11', sex: 'F', nationality: 'HND' };
  const pass = { kind: 'passport', code: 'P', number: 'H7700001', issuing_state: 'HND', nationality: 'HND', expiry_date: '2031-01-01' };
  const en = await ofi.post('/api/v1/inspections', { port: 'AMA', direction: 'entry', transport: 'Bus P-1', document: pass, person: S });
  assert.equal(en.json.decision, 'admit', JSON.stringify(en.json.reasons));
  const x = await ofi.post('/api/v1/inspections', { port: 'ACA', direction: 'exit', transport: 'MSC Seaview', route_country: 'HND', document: { kind: 'none' }, person: S });
  assert.equal(x.status, 201, JSON.stringify(x.json));
  const url = `/api/v1/inspections/${x.json.inspection_id}/resolve`;
  assert.equal((await sup.post(url, { resolution: 'admit', notes: 'Tripulante identificada por la naviera' })).json.error?.code, 'duplicate_unreviewed');
  const d = (await sup.get('/api/v1/person-duplicates?status=open')).json.items.find((f) => f.persons.some((p) => p.id === x.json.person_id));
  assert.equal((await sup.post(`/api/v1/person-duplicates/${d.id}/review`, { decision: 'distinct', note: 'Otra persona: firma y fotografía distintas' })).status, 200);
  const ok = await sup.post(url, { resolution: 'admit', notes: 'Tripulante identificada por la naviera' });
  assert.equal(ok.status, 200, JSON.stringify(ok.json));
  assert.equal((await sup.get(`/api/v1/persons/${en.json.person_id}/timeline`)).json.stay.inside, true);
});
