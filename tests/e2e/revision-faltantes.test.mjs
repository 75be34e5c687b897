// A form left with several required fields empty says all of them at
// once, each marked, the cursor in the first (UI review, border control).
// The supervisor refusing a traveler was told «Fundamento legal: una
// inadmisión requiere el fundamento legal y el transporte de retorno»,
// only the ground marked, then the carrier on the next try, then the
// return; the LEPINA clerk with an empty form got «Nombres del menor: el
// menor requiere…» and found the other eleven blanks one request at a time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';
import { launch, newPage, login, SHOTS, faults } from '../lib/browser.mjs';

let srv, browser, ofi;
const PW = 'Revision-Faltan-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  ofi = await staffUser(srv.url, 'rf_ofi', 'oficial_control', PW);
  await staffUser(srv.url, 'rf_sup', 'supervisor_control', PW);
});
after(async () => { await browser?.close(); await srv?.stop(); });

// a traveler without the visa his nationality needs: to secondary
async function toSecondary(port, transport, number, surnames) {
  const r = await ofi.post('/api/v1/inspections', { port, direction: 'entry', transport,
    document: { kind: 'passport', number, issuing_state: 'CHN', nationality: 'CHN', expiry_date: '2031-01-01' },
    person: { given_names: 'Wei', surnames, birth_date: '1985-05-05', sex: 'M', nationality: 'CHN' } });
  assert.equal(r.json.decision, 'secondary', JSON.stringify(r.json));
  return r.json.inspection_id;
}
const marked = (row) => row.evaluate((tr) => [...tr.querySelectorAll('.invalido')].map((e) => e.className.split(' ')[0]));

test('secondary: refusing with the ground, the carrier and the return empty says the three at once, before anything is sent', async () => {
  await toSecondary('SAL', 'Vuelo privado', 'E5500001', 'Liu');
  await toSecondary('AMA', 'Bus Tica 12', 'E5500002', 'Chen');
  const page = await newPage(browser, srv.url, { viewport: { width: 1024, height: 768 } });
  await login(page, 'rf_sup', PW);
  let sent = 0;
  page.on('request', (r) => { if (/\/resolve$/.test(r.url())) sent++; });
  await page.goto('/#/secundaria');
  // at the airport: somebody flew the traveler in, the carrier is asked
  const air = page.locator('#sec-cola tbody tr', { hasText: 'Liu' });
  await air.waitFor();
  await air.locator('.res-tipo').selectOption('refuse');
  await air.locator('button', { hasText: 'Resolver' }).click();
  await air.locator('.res-msg .aviso.error').waitFor();
  assert.equal(await air.locator('.res-msg').textContent(), 'Faltan: Fundamento legal, Transportista, Transporte de retorno.');
  assert.deepEqual(await marked(air), ['res-fundamento', 'res-transportista', 'res-retorno']);
  assert.match(await page.evaluate(() => document.activeElement.className), /^res-fundamento/);
  await page.screenshot({ path: `${SHOTS}/e2e-revision-faltan-inadmision.png` });
  // the ground typed: what is still missing, and only that
  await air.locator('.res-fundamento').fill('LEME art. 17: sin visa consultada');
  assert.deepEqual(await marked(air), ['res-transportista', 'res-retorno']);
  await air.locator('.res-fundamento').press('Enter');
  await page.waitForFunction(() => /^Faltan: Transportista, Transporte de retorno\.$/.test(document.querySelector('#sec-cola tr .res-msg .aviso')?.textContent || ''));
  assert.match(await page.evaluate(() => document.activeElement.className), /^res-transportista/);
  assert.equal(sent, 0, 'nothing sent while fields are missing');
  // all given: refused, the inadmission made
  await air.locator('.res-transportista').fill('TA');
  await air.locator('.res-retorno').fill('TA 511, 8 dic 06:00');
  await air.locator('.res-retorno').press('Enter');
  await page.locator('main .aviso.ok', { hasText: 'acta de inadmisión' }).waitFor();
  assert.equal(sent, 1);
  // at a land post nobody is asked for a carrier
  const land = page.locator('#sec-cola tbody tr', { hasText: 'Chen' });
  await land.locator('.res-tipo').selectOption('refuse');
  await land.locator('button', { hasText: 'Resolver' }).click();
  await land.locator('.res-msg .aviso.error').waitFor();
  assert.equal(await land.locator('.res-msg').textContent(), 'Faltan: Fundamento legal, Transporte de retorno.');
  assert.deepEqual(await marked(land), ['res-fundamento', 'res-retorno']);
  assert.deepEqual(faults(page), []);
});

test('LEPINA registry: an empty registration names every required field at once, marks them and puts the cursor in the first', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'rf_sup', PW);
  let sent = 0;
  page.on('request', (r) => { if (r.method() === 'POST' && /minor-authorizations$/.test(r.url())) sent++; });
  await page.goto('/#/menores');
  await page.waitForSelector('#form-menor');
  await page.click('#form-menor button[type=submit]');
  await page.waitForSelector('#form-menor .aviso.error');
  assert.equal(await page.textContent('#form-menor .aviso.error'), 'Faltan: Nombres del menor, Apellidos del menor, Nacimiento del menor, Partida de nacimiento, '
    + 'Nombres de quien autoriza, Apellidos de quien autoriza, Referencia del instrumento, Otorgada el, Válida hasta, '
    + 'Nombres del acompañante, Apellidos del acompañante, Documento del acompañante, Destino, Duración de la estadía.');
  const ids = () => page.evaluate(() => [...document.querySelectorAll('#form-menor .invalido')].map((e) => e.id));
  assert.deepEqual(await ids(), ['me-nombres', 'me-apellidos', 'me-nacimiento', 'me-partida', 'me-aut-nombres', 'me-aut-apellidos', 'me-referencia',
    'me-otorgada', 'me-hasta', 'me-ac-nombres', 'me-ac-apellidos', 'me-ac-doc', 'me-destino', 'me-estadia']);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'me-nombres');
  await page.screenshot({ path: `${SHOTS}/e2e-revision-faltan-lepina.png`, fullPage: true });
  // traveling alone: no companion asked; a second signer half typed is asked whole
  await page.check('#me-solo');
  await page.fill('#me-aut2-nombres', 'Carmen');
  for (const [sel, v] of [['#me-nombres', 'Diego'], ['#me-apellidos', 'Portillo Sánchez'], ['#me-nacimiento', '2016-04-04'], ['#me-partida', 'Partida 77, libro 3'],
    ['#me-aut-nombres', 'Luis'], ['#me-aut-apellidos', 'Portillo'], ['#me-referencia', 'Acta notarial 9-2026']]) await page.fill(sel, v);
  await page.click('#form-menor button[type=submit]');
  await page.waitForFunction(() => /^Faltan: Apellidos de la segunda persona, Otorgada el, Válida hasta, Destino, Duración de la estadía\.$/.test(document.querySelector('#form-menor .aviso.error')?.textContent || ''));
  assert.deepEqual(await ids(), ['me-aut2-apellidos', 'me-otorgada', 'me-hasta', 'me-destino', 'me-estadia']);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'me-aut2-apellidos');
  assert.equal(sent, 0, 'nothing sent while fields are missing');
  assert.deepEqual(faults(page), []);
});
