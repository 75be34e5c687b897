// A list with nothing to show says what was looked for (UI review, border
// control): a day without crossings at a post read «Sin resultados», as if
// the list had failed or a filter were wrong, and so did the overstayers
// of a nationality with nobody past the stay.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';
import { launch, newPage, login, SHOTS, faults } from '../lib/browser.mjs';

let srv, browser;
const PW = 'Revision-Vacios-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  await staffUser(srv.url, 'rv_sup', 'supervisor_control', PW);
});
after(async () => { await browser?.close(); await srv?.stop(); });
const empty = (page, list) => page.locator(`${list} td.sin-dato`).textContent();
// a day as the page writes it (dom.js fmtDay: «7 dic 2026»)
const DAY = '\\d{1,2} [a-z]+\\.? \\d{4}';

test('«Movimientos del día»: a day without crossings says the day and the post', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'rv_sup', PW);
  await page.goto('/#/movimientos');
  await page.locator('#mv-lista td.sin-dato').waitFor();
  assert.match(await empty(page, '#mv-lista'), new RegExp(`^Ningún movimiento registrado el ${DAY} en ninguna delegación\\.$`));
  await page.selectOption('#mv-puesto', 'AMA');
  await page.waitForFunction(() => /Amatillo/.test(document.querySelector('#mv-lista td.sin-dato')?.textContent || ''));
  assert.match(await empty(page, '#mv-lista'), new RegExp(`^Ningún movimiento registrado el ${DAY} en Frontera El Amatillo\\.$`));
  await page.fill('#mv-dia', '2026-03-04');
  await page.locator('#mv-dia').dispatchEvent('change');
  await page.waitForFunction(() => /4 mar/.test(document.querySelector('#mv-lista td.sin-dato')?.textContent || ''));
  assert.equal(await empty(page, '#mv-lista'), 'Ningún movimiento registrado el 4 mar 2026 en Frontera El Amatillo.');
  await page.screenshot({ path: `${SHOTS}/e2e-revision-vacio-movimientos.png` });
  assert.deepEqual(faults(page), []);
});

test('«Permanencia vencida»: nobody past the stay is said so, with the filters that apply', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'rv_sup', PW);
  await page.goto('/#/permanencia');
  await page.locator('#pv-total').waitFor();
  const td = () => page.locator('main td.sin-dato').textContent();
  assert.match(await td(), new RegExp(`^Ningún extranjero con la permanencia vencida al ${DAY}\\.$`));
  await page.fill('#pv-nacionalidad', 'usa');
  await page.press('#pv-nacionalidad', 'Enter');
  await page.waitForFunction(() => /USA/.test(document.querySelector('main td.sin-dato')?.textContent || ''));
  await page.selectOption('#pv-puesto', 'SAL');
  await page.waitForFunction(() => /ingresado por/.test(document.querySelector('main td.sin-dato')?.textContent || ''));
  assert.match(await td(), new RegExp(`^Ningún extranjero ingresado por .*Comalapa.*, de nacionalidad USA con la permanencia vencida al ${DAY}\\.$`));
  await page.screenshot({ path: `${SHOTS}/e2e-revision-vacio-permanencia.png` });
  assert.deepEqual(faults(page), []);
});
