// The APIS desk counts travelers, not inspections.  A traveler inspected
// twice for a ship (sent to secondary without a visa, admitted when he
// showed it) wrote two arrivals: the reconciliation read «2 inspeccionados»
// for a list of whom one came ashore, and the post's lists one more
// traveler «sin figurar en ella» for each repeat (docs/paxlst.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD, carrierUser } from '../lib/server.mjs';
import { launch, newPage, login, SHOTS, faults } from '../lib/browser.mjs';

let srv, browser;
const PW = 'Turno-Seguro-2026';
const localAt = (minutes) => new Date(Date.now() - 6 * 3600000 + minutes * 60000).toISOString().slice(0, 16);
const today = () => localAt(0).slice(0, 10);
const laterToday = () => { const t = localAt(60); return t.slice(0, 10) === today() ? t : `${today()}T23:59`; };
const T = (surnames, given_names, birth_date, sex, nationality, doc_number, role) =>
  ({ surnames, given_names, birth_date, sex, nationality, doc_type: 'P', doc_number, doc_issuing_state: nationality, doc_expiry: '2031-01-01', role });

before(async () => {
  srv = await startServer();
  browser = await launch();
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  for (const [u, role] of [['ac_sup', 'supervisor_control'], ['ac_ofi', 'oficial_control']])
    assert.equal((await admin.post('/api/v1/users', { username: u, display_name: u, unit: 'DCM', roles: [role], password: PW })).status, 201);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('a ship\'s list: a crew member and a stranger each inspected twice read as one each, on the post\'s lists and in the reconciliation', async () => {
  const cruise = await carrierUser(srv, 'ac_msc', 'MSC', PW, { kind: 'cruise' });
  const ofi = new Client(srv.url);
  await ofi.login('ac_ofi', PW);
  const CREW = T('Condori', 'Elsa', '1988-05-05', 'F', 'BOL', 'BO4520001', 'crew');
  const PAX = T('Jones', 'Mary', '1970-06-06', 'F', 'USA', 'US4520002', 'passenger');
  const STRAY = T('Flores', 'Ana', '1991-09-09', 'F', 'BOL', 'BO4529999');
  const r = await cruise.req('POST', '/api/v1/prechequeo/lists', { port: 'ACA', vehicle: 'MSC Lirica', company: 'MSC Cruceros', trip: 'MSC-452',
    arrival: laterToday(), direction: 'entry', travelers: [PAX, CREW] });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const inspect = (p, visa) => ofi.post('/api/v1/inspections', { port: 'ACA', direction: 'entry', transport: 'MSC Lirica',
    document: { kind: 'passport', code: 'P', number: p.doc_number, issuing_state: p.nationality, nationality: p.nationality, expiry_date: '2031-05-01' },
    person: { given_names: p.given_names, surnames: p.surnames, birth_date: p.birth_date, sex: p.sex, nationality: p.nationality },
    ...(visa ? { visa: { type: 'consular', valid_until: '2030-01-01', reference: visa } } : {}) });
  for (const p of [CREW, STRAY]) {
    assert.equal((await inspect(p)).json.decision, 'secondary');
    assert.equal((await inspect(p, `V-${p.doc_number}`)).json.decision, 'admit');
  }
  const page = await newPage(browser, srv.url);
  await login(page, 'ac_sup', PW);
  await page.goto('/#/apis');
  await page.selectOption('#apis-puesto', 'ACA');
  const row = page.locator(`#apis-listas tr[data-lista="${r.json.manifests[0].id}"]`);
  await row.waitFor();
  // four inspections: one of the list, one more not on it
  assert.match(await row.textContent(), /1 \+ 1 tripulante \(1 inspeccionado; 1 más sin figurar en ella\)/);
  await row.locator('.ver-lista').click();
  await page.waitForSelector('#apis-conciliacion');
  const rec = (await page.textContent('#apis-conciliacion p.sub')).replace(/\s+/g, ' ');
  assert.match(rec, /De la lista: 1 inspeccionado \(0 pasajeros, 1 tripulante\), 1 no presentado; 1 inspeccionado sin figurar en ella\./, rec);
  await page.screenshot({ path: `${SHOTS}/e2e-apis-conciliacion-una-vez.png`, fullPage: true });
  assert.deepEqual(faults(page), []);
});
