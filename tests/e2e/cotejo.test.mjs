// The screening page as the Secretaría General and the booth's supervisors
// use it: a name written the way a court clerk or an airline would write it
// finds the alert, and the page says why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD } from '../lib/server.mjs';
import { launch, newPage, login, SHOTS, faults } from '../lib/browser.mjs';

let srv, browser;
const PW = 'Turno-Seguro-2026';
before(async () => {
  srv = await startServer();
  browser = await launch();
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  for (const [u, unit, role] of [['super1', 'DCM', 'supervisor_control'], ['uaip1', 'UAIP', 'uaip']])
    assert.equal((await admin.post('/api/v1/users', { username: u, display_name: u, unit, roles: [role], password: PW })).status, 201);
  const sup = new Client(srv.url);
  await sup.login('super1', PW);
  const a = await sup.post('/api/v1/alerts', {
    category: 'missing_child', subject: { given_names: 'Guadalupe Abigail', surnames: 'Menjívar de la Cruz', birth_date: '2015-03-02', sex: 'F' },
    instructions: 'Retener y avisar a la PNC y al CONNA', valid_until: '2099-01-01',
  });
  assert.equal(a.status, 201, JSON.stringify(a.json));
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('screening page: a nickname, a dropped particle and swapped day/month still find the alert, with the reasons', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'super1', PW);
  await page.click('nav >> text=Cotejo con las listas');
  await page.waitForSelector('#co-form');
  await page.fill('#co-nombres', 'Lupe');
  await page.fill('#co-apellidos', 'MENJIVAR CRUZ');
  await page.fill('#co-nacimiento', '2015-02-03');
  await page.click('#co-buscar');
  await page.waitForSelector('#co-resultado table');
  const text = await page.textContent('#co-resultado');
  assert.match(text, /Alerta migratoria/);
  assert.match(text, /niña, niño o adolescente desaparecido/);
  assert.match(text, /día y mes invertidos/);
  assert.match(text, /hipocorístico/);
  assert.match(text, /nacimiento \+/);
  await page.screenshot({ path: `${SHOTS}/e2e-cotejo.png` });
  // a stranger finds nothing, and the page says so
  await page.fill('#co-nombres', 'Rigoberto');
  await page.fill('#co-apellidos', 'Alfaro Castaneda');
  await page.fill('#co-nacimiento', '1961-11-30');
  await page.click('#co-buscar');
  await page.waitForSelector('#co-resultado >> text=Sin coincidencias');
  // a birth date the server cannot read is said on its field, in Spanish
  await page.fill('#co-nacimiento', '1961-13-45');
  await page.click('#co-buscar');
  await page.waitForSelector('main .aviso.error');
  const err = await page.textContent('main .aviso.error');
  assert.match(err, /^Nacimiento: /, err);
  assert.doesNotMatch(err, /birth_date/, err);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'co-nacimiento');
  assert.deepEqual(faults(page, /status of 400/ /* the birth date 1961-13-45 */), []);
});

test('screening page: a role without screening.query does not see it', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'uaip1', PW);
  assert.equal(await page.locator('nav >> text=Cotejo con las listas').count(), 0);
  await page.goto('/#/cotejo');
  await page.waitForSelector('text=Su rol no permite ver esta página.');
});

test('a lost or stolen report opened by its number (a match\'s or the booth\'s link) is shown first, not the register\'s top', async () => {
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  assert.equal((await admin.post('/api/v1/users', { username: 'pas1', display_name: 'pas1', unit: 'DEX', roles: ['pasaportes'], password: PW })).status, 201);
  const pas = new Client(srv.url);
  await pas.login('pas1', PW);
  const r = await pas.post('/api/v1/documents/lost-stolen', { document_number: 'A70707070', document_type: 'passport', issuing_state: 'SLV', reason: 'stolen' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const page = await newPage(browser, srv.url);
  await login(page, 'super1', PW);
  await page.goto(`/#/extraviados?id=${r.json.id}`);
  const shown = page.locator(`#ex-detalle tr[data-reporte="${r.json.id}"]`);
  await shown.waitFor();
  assert.match(await page.textContent('#ex-detalle h2'), new RegExp(`Reporte n\\.º ${r.json.id}`));
  assert.match(await shown.textContent(), /Pasaporte A70707070.*SLV.*Robo.*Vigente/);
  assert.deepEqual(faults(page), []);
});
