// A day at El Amatillo (the land post on the Honduran border) and at the
// airport, walked as three users work it (eighth UI walk): the supervisor
// with the secondary queue, the carriers' fines, the overstayers and a
// person's history; a clerk with the LEPINA registry; a booth officer on
// the keyboard.  Each test is one thing the walk found wrong, as the user
// met it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';
import { launch, newPage, login, SHOTS } from '../lib/browser.mjs';

let srv, browser, ofi, sup;
const PW = 'Amatillo-Dia-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  ofi = await staffUser(srv.url, 'am_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'am_sup', 'supervisor_control', PW);
});
after(async () => { await browser?.close(); await srv?.stop(); });
const faults = (page) => page.problems.filter((p) => !/401 \(Unauthorized\)/.test(p));
async function signedIn(user, hash, width = 1366) {
  const page = await newPage(browser, srv.url, { viewport: { width, height: 768 } });
  await login(page, user, PW);
  await page.goto(`/#/${hash}`);
  return page;
}
const passport = (number, nat, expiry = '2031-01-01') => ({ kind: 'passport', code: 'P', number, issuing_state: nat, nationality: nat, expiry_date: expiry });
// a traveler off a bus at El Amatillo without the visa his nationality
// needs, refused by the supervisor: the inadmission proposes a fine to the bus line
async function refusedOffBus(number, given, surnames, carrier) {
  const r = await ofi.post('/api/v1/inspections', { port: 'AMA', direction: 'entry', transport: `${carrier} 8521`, document: passport(number, 'CHN'),
    person: { given_names: given, surnames, birth_date: '1990-02-02', nationality: 'CHN', sex: 'M' } });
  assert.equal(r.json.decision, 'secondary', JSON.stringify(r.json));
  const n = await sup.post(`/api/v1/inspections/${r.json.inspection_id}/resolve`, { resolution: 'refuse', legal_ground: 'LEME: sin visa consultada aprobada',
    carrier, return_transport: `${carrier} 8522, 06:00` });
  assert.equal(n.status, 200, JSON.stringify(n.json));
  return r.json;
}

test('carriers\' fines: the state chosen is the list shown (the paid and proposed ones stayed under «Pendiente» until «Consultar»)', async () => {
  await refusedOffBus('E7100001', 'Li', 'Wang', 'Tica Bus');
  assert.equal((await sup.post('/api/v1/carrier-fines', { carrier: 'Transportes del Golfo', amount: 250, legal_basis: 'LEME', reason: 'Lista de pasajeros tardía', transport: 'Bus 12', port: 'AMA' })).status, 201);
  const page = await signedIn('am_sup', 'multas', 1024);
  await page.locator('tr.multa.proposed', { hasText: 'Tica Bus' }).waitFor();
  await page.locator('tr.multa.pending', { hasText: 'Transportes del Golfo' }).waitFor();
  await page.selectOption('#mu-estado', 'proposed');
  // only what is in that state, with nothing else clicked
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('tr.multa')];
    return rows.length > 0 && rows.every((r) => r.classList.contains('proposed'));
  }, null, { timeout: 5000 });
  assert.equal(await page.locator('tr.multa', { hasText: 'Transportes del Golfo' }).count(), 0);
  await page.selectOption('#mu-estado', 'pending');
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('tr.multa')];
    return rows.length > 0 && rows.every((r) => r.classList.contains('pending'));
  }, null, { timeout: 5000 });
  assert.match(await page.locator('tr.multa').first().textContent(), /Transportes del Golfo/);
  assert.deepEqual(faults(page), []);
});

test('carriers\' fines, keyboard: after confirming a fine or recording its payment the cursor stays on that fine, not at the top of the page', async () => {
  await refusedOffBus('E7100002', 'Kai', 'Zhou', 'King Quality');
  const page = await signedIn('am_sup', 'multas');
  const row = page.locator('tr.multa.proposed', { hasText: 'King Quality' });
  await row.waitFor();
  const id = await row.getAttribute('data-multa');
  await row.locator('.importe-resolucion').focus();
  await page.keyboard.type('500');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Resolución DCM-AMA-2026-015');
  await page.keyboard.press('Enter');
  const pending = page.locator(`tr.multa.pending[data-multa="${id}"]`);
  await pending.locator('.mu-hecho .aviso.ok').waitFor();
  // the next step of that fine: its new state, where the collection is recorded
  assert.equal(await page.evaluate((id) => document.activeElement.closest(`tr[data-multa="${id}"]`) !== null && document.activeElement.classList.contains('estado-nuevo'), id), true,
    `the cursor is on ${await page.evaluate(() => document.activeElement.outerHTML.slice(0, 80))}`);
  // paid from the keyboard: the state, the receipt, Intro
  await page.keyboard.press('ArrowDown'); // Notificada → Pagada
  assert.equal(await pending.locator('.estado-nuevo').inputValue(), 'paid');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Recibo DGME-2026-000901');
  await page.keyboard.press('Enter');
  const paid = page.locator(`tr.multa.paid[data-multa="${id}"]`);
  await paid.locator('.mu-hecho .aviso.ok').waitFor();
  // nothing left to do on it: the cursor on what was said about it
  assert.equal(await page.evaluate((id) => !!document.activeElement.closest(`tr[data-multa="${id}"] .mu-hecho`), id), true,
    `the cursor is on ${await page.evaluate(() => document.activeElement.outerHTML.slice(0, 80))}`);
  assert.match(await paid.textContent(), /US\$\s*500\.00.*Pagada.*Recibo DGME-2026-000901/);
  await page.screenshot({ path: `${SHOTS}/e2e-uiwalk-multa-pagada.png` });
  assert.deepEqual(faults(page), []);
});
