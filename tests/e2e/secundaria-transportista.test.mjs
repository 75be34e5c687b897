// A cruise passenger on the ship's prechequeo list waits in secondary at
// Acajutla.  Refusing her, the supervisor found «Transportista» empty (only
// a flight number's designator filled it) and typed the cruise line's name:
// the inadmission, and the month's summary of fines, counted «Royal
// Caribbean» apart from RCCL, the code of the line's lists.  The field now
// starts from the list's code, and the refusal records it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser, carrierUser } from '../lib/server.mjs';
import { launch, newPage, login, SHOTS, faults } from '../lib/browser.mjs';

let srv, browser, ofi, sup, cruise;
const PW = 'Acajutla-Turno-2026!';
const localAt = (minutes) => new Date(Date.now() - 6 * 3600000 + minutes * 60000).toISOString().slice(0, 16);
const today = () => localAt(0).slice(0, 10);
const laterToday = () => { const t = localAt(120); return t.slice(0, 10) === today() ? t : `${today()}T23:59`; };
const ANA = { surnames: 'Quispe Mamani', given_names: 'Ana', birth_date: '1984-04-04', sex: 'F', nationality: 'BOL',
  doc_type: 'P', doc_number: 'BO700001', doc_issuing_state: 'BOL', doc_expiry: '2031-01-01' };

before(async () => {
  srv = await startServer();
  browser = await launch();
  cruise = await carrierUser(srv, 'st_rccl', 'RCCL', PW, { kind: 'cruise', displayName: 'Royal Caribbean (listas)' });
  ofi = await staffUser(srv.url, 'st_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'st_sup', 'supervisor_control', PW);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('secondary: refusing a passenger of a ship\'s list, «Transportista» is the list\'s carrier code, and the inadmission and its fine go to it', async () => {
  const l = await cruise.req('POST', '/api/v1/prechequeo/lists', { port: 'ACA', vehicle: 'Rhapsody of the Seas', company: 'Royal Caribbean International',
    trip: 'RCCL-ACA-7', arrival: laterToday(), direction: 'entry', travelers: [ANA] });
  assert.equal(l.status, 201, JSON.stringify(l.json));
  // a Bolivian without a visa: secondary
  const r = await ofi.post('/api/v1/inspections', { port: 'ACA', direction: 'entry', transport: 'Rhapsody of the Seas', route_country: 'MEX',
    document: { kind: 'passport', code: 'P', number: ANA.doc_number, issuing_state: 'BOL', nationality: 'BOL', expiry_date: '2031-05-01' },
    person: { given_names: ANA.given_names, surnames: ANA.surnames, birth_date: ANA.birth_date, sex: 'F', nationality: 'BOL' } });
  assert.deepEqual([r.status, r.json.decision, r.json.apis?.on_manifest], [201, 'secondary', true], JSON.stringify(r.json));

  const page = await newPage(browser, srv.url);
  await login(page, 'st_sup', PW);
  await page.evaluate(() => localStorage.setItem('sigm.sec.port', 'ACA'));
  await page.goto('/#/secundaria');
  const row = page.locator(`#sec-cola tr[data-id="${r.json.inspection_id}"]`);
  await row.waitFor();
  await row.locator('select.res-tipo').selectOption('refuse');
  const carrier = row.locator('input.res-transportista');
  await carrier.waitFor({ state: 'visible' });
  assert.equal(await carrier.inputValue(), 'RCCL', 'the list\'s carrier code, not a name to type');
  await page.screenshot({ path: `${SHOTS}/secundaria-transportista-lista.png`, fullPage: true });
  await row.locator('input.res-fundamento').fill('LEME: sin visa consular');
  await row.locator('input.res-retorno').fill('Rhapsody of the Seas, zarpa hoy 18:00');
  const sent = [];
  page.on('request', (q) => { if (q.url().includes('/resolve') && q.method() === 'POST') sent.push(q.postDataJSON()); });
  await row.getByRole('button', { name: 'Resolver' }).click();
  const done = page.locator('#sec-resueltos tr', { hasText: 'Quispe Mamani' });
  await done.waitFor();
  assert.match(await done.textContent(), /Retorno: RCCL, Rhapsody of the Seas/);
  assert.equal(sent.length, 1);
  assert.equal(sent[0].carrier, 'RCCL');
  const resolved = (await sup.get('/api/v1/inspections?port=ACA&status=resolved')).json.items.find((x) => x.id === r.json.inspection_id);
  assert.equal(resolved.inadmission_carrier, 'RCCL', JSON.stringify(resolved));
  // the carrier's fine: one, to the code
  assert.equal((await sup.post('/api/v1/carrier-compliance/evaluate', { date: today() })).status, 200);
  const fines = (await sup.get('/api/v1/carrier-fines?limit=1000')).json.items.filter((f) => f.inspection_id === r.json.inspection_id && f.status !== 'cancelled');
  assert.deepEqual(fines.map((f) => [f.carrier, f.cause]), [['RCCL', 'inadmissible_passenger']], JSON.stringify(fines));
  await page.screenshot({ path: `${SHOTS}/secundaria-transportista-resuelto.png`, fullPage: true });
  assert.deepEqual(faults(page), []);
  await page.close();
});
