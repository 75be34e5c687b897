// The exact match of court orders and alerts (api_subject_matches, and the
// index in memory that finds their candidates, subject_ix.c) compares
// birth dates as far as both are known.  The booth takes an MRZ's unknown
// parts as «XX» or «00» (1980-XX-XX, 1980-00-00): compared as written,
// they agreed with no date of the registry, and the exit ban of Tomás born
// 1980-05-17 was not found for the Tomás whose passport says 1980-XX-XX
// (only a fuzzy hit, secondary), while «1980» typed was.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';

let srv, ofi, sec;
const PW = 'Sujeto-Seguro-2026';
before(async () => {
  srv = await startServer();
  ofi = await staffUser(srv.url, 'idp_ofs', 'oficial_control', PW);
  sec = await staffUser(srv.url, 'idp_sec', 'secretaria_general', PW, 'SG');
});
after(async () => { await srv.stop(); });

const codes = (r) => r.json.reasons.map((x) => x.code);

test('an exit ban is found exactly for a traveler whose birth date is known only in part, however the part is written', async () => {
  const c = await sec.post('/api/v1/restrictions', { court: 'Juzgado Noveno de Paz de San Salvador', case_number: 'PAZ-9-2026', measure: 'exit_ban',
    subject: { given_names: 'Tomás Alberto', surnames: 'Quintanilla Ayala', birth_date: '1980-05-17' }, effective_from: '2026-01-01', effective_to: null });
  assert.equal(c.status, 201, JSON.stringify(c.json));
  let k = 0;
  for (const birth of ['1980-XX-XX', '1980-00-00', '1980-05-XX', '1980-05-00', '1980-05', '1980']) {
    const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', route_country: 'USA',
      document: { kind: 'passport', code: 'P', number: `QA${String(++k).padStart(7, '0')}`, issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-01-01' },
      person: { given_names: 'Tomás Alberto', surnames: 'Quintanilla Ayala', birth_date: birth, sex: 'M', nationality: 'SLV' } });
    assert.equal(r.status, 201, `${birth}: ${JSON.stringify(r.json)}`);
    assert.equal(r.json.decision, 'refuse', `${birth}: ${JSON.stringify(r.json.reasons)}`);
    const ban = r.json.reasons.find((x) => x.code === 'exit_ban');
    assert.ok(ban, `${birth}: ${codes(r)}`);
    assert.equal(ban.record, `restriction:${c.json.id}`, birth);
  }
  // another month, or another year, is somebody else
  for (const birth of ['1980-06-XX', '1981-XX-XX']) {
    const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', route_country: 'USA',
      document: { kind: 'passport', code: 'P', number: `QA${String(++k).padStart(7, '0')}`, issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-01-01' },
      person: { given_names: 'Tomás Alberto', surnames: 'Quintanilla Ayala', birth_date: birth, sex: 'M', nationality: 'SLV' } });
    assert.equal(r.status, 201, `${birth}: ${JSON.stringify(r.json)}`);
    assert.ok(!codes(r).includes('exit_ban'), `${birth}: ${codes(r)}`);
  }
});
