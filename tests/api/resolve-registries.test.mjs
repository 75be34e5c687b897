// A court's order or an alert registered for a traveler after the booth
// sent the case to secondary: the case's reasons never named it, and the
// supervisor's admission crossed it unseen (an exit recorded over an exit
// ban registered a minute after the booth; found by the concurrency
// probe).  The admission is 409 registry_changed naming it; refusing
// stays possible; inspected again, the booth weighs it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';

const PW = 'Turno-Seguro-2026';
let srv, ofi, sup, sec;
before(async () => {
  srv = await startServer();
  ofi = await staffUser(srv.url, 'rr_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'rr_sup', 'supervisor_control', PW);
  sec = await staffUser(srv.url, 'rr_sec', 'secretaria_general', PW, 'SG');
});
after(async () => { await srv.stop(); });

const traveler = (number, surnames, direction) => ({ port: 'SAL', direction, transport: 'TA 390',
  document: { kind: 'passport', code: 'P', number, issuing_state: 'USA', nationality: 'USA', expiry_date: '2031-05-01' },
  person: { given_names: 'Ruth', surnames, birth_date: '1975-05-05', sex: 'F', nationality: 'USA' } });

test('an exit ban registered after the booth sent the exit to secondary: the admission is refused naming it; a refusal is recorded; an entry is not barred by it', async () => {
  // an exit with no entry on record: secondary for a foreigner
  const x = await ofi.post('/api/v1/inspections', traveler('RR0000001', 'Ban Later', 'exit'));
  assert.equal(x.json.decision, 'secondary', JSON.stringify(x.json));
  const ban = await sec.post('/api/v1/restrictions', { court: 'Juzgado Tercero de Paz', case_number: 'RR-1', measure: 'exit_ban',
    subject: { given_names: 'Ruth', surnames: 'Ban Later', birth_date: '1975-05-05' }, effective_from: '2026-01-01' });
  assert.equal(ban.status, 201, JSON.stringify(ban.json));
  const adm = await sup.post(`/api/v1/inspections/${x.json.inspection_id}/resolve`, { resolution: 'admit', notes: 'Salida verificada' });
  assert.deepEqual([adm.status, adm.json.error?.code, adm.json.error?.field], [409, 'registry_changed', 'resolution'], JSON.stringify(adm.json));
  assert.match(adm.json.error.message, new RegExp(`un impedimento de salida de esta persona \\(n\\.º ${ban.json.id}\\)`));
  assert.equal(srv.sql(`SELECT count(*) FROM movements m JOIN documents d ON d.id = m.document_id WHERE d.number = 'RR0000001'`).stdout.trim(), '0', 'no exit recorded');
  const ref = await sup.post(`/api/v1/inspections/${x.json.inspection_id}/resolve`, { resolution: 'refuse', legal_ground: 'Impedimento de salida, Juzgado Tercero de Paz, RR-1' });
  assert.equal(ref.status, 200, JSON.stringify(ref.json));
  // an entry case: an exit ban registered meanwhile does not bar an entry
  const en = await ofi.post('/api/v1/inspections', { ...traveler('RR0000002', 'Ban Entry', 'entry'), document: { ...traveler('RR0000002', 'x', 'entry').document, issuing_state: 'BOL', nationality: 'BOL' }, person: { ...traveler('RR0000002', 'Ban Entry', 'entry').person, nationality: 'BOL' } });
  assert.equal(en.json.decision, 'secondary', JSON.stringify(en.json));
  assert.equal((await sec.post('/api/v1/restrictions', { court: 'Juzgado Tercero de Paz', case_number: 'RR-2', measure: 'exit_ban',
    subject: { given_names: 'Ruth', surnames: 'Ban Entry', birth_date: '1975-05-05' }, effective_from: '2026-01-01' })).status, 201);
  const ok = await sup.post(`/api/v1/inspections/${en.json.inspection_id}/resolve`, { resolution: 'admit', notes: 'Visa verificada con el consulado' });
  assert.equal(ok.status, 200, JSON.stringify(ok.json));
});

test('an alert registered after the booth bars the admission either way; one the booth weighed does not', async () => {
  const x = await ofi.post('/api/v1/inspections', traveler('RR0000003', 'Alert Later', 'exit'));
  assert.equal(x.json.decision, 'secondary', JSON.stringify(x.json));
  const al = await sup.post('/api/v1/alerts', { category: 'arrest_warrant', subject: { given_names: 'Ruth', surnames: 'Alert Later', birth_date: '1975-05-05' }, instructions: 'Avisar a la PNC' });
  assert.equal(al.status, 201, JSON.stringify(al.json));
  const adm = await sup.post(`/api/v1/inspections/${x.json.inspection_id}/resolve`, { resolution: 'admit', notes: 'x' });
  assert.deepEqual([adm.status, adm.json.error?.code], [409, 'registry_changed'], JSON.stringify(adm.json));
  assert.match(adm.json.error.message, /una alerta migratoria de esta persona/);
  // inspected again, the booth weighs it; that case's admission is the supervisor's to justify
  const again = await ofi.post('/api/v1/inspections', traveler('RR0000003', 'Alert Later', 'exit'));
  assert.ok(again.json.reasons.some((r) => r.code === 'watchlist_match' && r.record === `alert:${al.json.id}`), JSON.stringify(again.json.reasons));
  assert.notEqual(again.json.inspection_id, x.json.inspection_id, JSON.stringify(again.json));
  const adm2 = await sup.post(`/api/v1/inspections/${again.json.inspection_id}/resolve`, { resolution: 'admit', notes: 'La PNC fue avisada y autorizó la salida' });
  assert.equal(adm2.status, 200, JSON.stringify(adm2.json));
});

test('refused at another post since: the case left open here is not admitted over that refusal', async () => {
  const bol = (port) => ({ port, direction: 'entry', transport: 'TA 390',
    document: { kind: 'passport', code: 'P', number: 'RR0000009', issuing_state: 'BOL', nationality: 'BOL', expiry_date: '2031-05-01' },
    person: { given_names: 'Ruth', surnames: 'Dos Puestos', birth_date: '1975-05-05', sex: 'F', nationality: 'BOL' } });
  const here = await ofi.post('/api/v1/inspections', bol('SAL'));
  assert.equal(here.json.decision, 'secondary', JSON.stringify(here.json));
  const there = await ofi.post('/api/v1/inspections', bol('ILO'));
  assert.equal(there.json.decision, 'secondary', JSON.stringify(there.json));
  assert.notEqual(there.json.inspection_id, here.json.inspection_id);
  const refused = await sup.post(`/api/v1/inspections/${there.json.inspection_id}/resolve`, { resolution: 'refuse', legal_ground: 'LEME: sin visa', carrier: 'TACA', return_transport: 'TA 391' });
  assert.equal(refused.status, 200, JSON.stringify(refused.json));
  const adm = await sup.post(`/api/v1/inspections/${here.json.inspection_id}/resolve`, { resolution: 'admit', notes: 'Visa verificada' });
  assert.deepEqual([adm.status, adm.json.error?.code, adm.json.error?.field], [409, 'other_case_refused', 'resolution'], JSON.stringify(adm.json));
  assert.match(adm.json.error.message, new RegExp(`inspección n\\.º ${there.json.inspection_id} en Aeropuerto`));
  assert.equal(srv.sql(`SELECT count(*) FROM movements m JOIN documents d ON d.id = m.document_id WHERE d.number = 'RR0000009'`).stdout.trim(), '0', 'not let in');
  // refusing it too is what is left
  assert.equal((await sup.post(`/api/v1/inspections/${here.json.inspection_id}/resolve`, { resolution: 'refuse', legal_ground: 'LEME: sin visa', carrier: 'TACA', return_transport: 'TA 391' })).status, 200);
});
