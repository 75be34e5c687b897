// A stowaway found aboard a ship at Acajutla, without any document: the
// booth officer records them from the manual form with «Sin documento»
// (the booth needed a number and an issuing state, and a placeholder
// number tied the next stowaway to this one), the case goes to secondary,
// and the supervisor sees «Sin documento» in the queue.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';
import { launch, newPage, login, SHOTS, faults } from '../lib/browser.mjs';

let srv, browser, ofi, sup;
const PW = 'Polizon-Turno-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  ofi = await staffUser(srv.url, 'sd_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'sd_sup', 'supervisor_control', PW);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('booth: «Sin documento» shuts the document\'s fields, sends the traveler to secondary; the next traveler shows a document again', async () => {
  const page = await newPage(browser, srv.url, { viewport: { width: 1366, height: 768 } });
  await login(page, 'sd_ofi', PW);
  await page.goto('/#/cabina');
  await page.waitForSelector('#cab-mrz');
  await page.selectOption('#cab-puesto', 'ACA');
  await page.fill('#cab-transporte', 'Crucero MSC Seaview');
  // something typed in the number before the kind was chosen is not sent
  await page.fill('#m-numero', 'X999');
  await page.selectOption('#m-tipo', 'none');
  for (const id of ['#m-numero', '#m-emisor', '#m-vence']) {
    assert.equal(await page.isDisabled(id), true, `${id} shut`);
    assert.equal(await page.inputValue(id), '');
  }
  const sent = [];
  page.on('request', (r) => { if (r.url().endsWith('/api/v1/inspections') && r.method() === 'POST') sent.push(r.postDataJSON()); });
  await page.fill('#m-nombres', 'Kofi');
  await page.fill('#m-apellidos', 'Asante Owusu');
  await page.fill('#m-nacimiento', '1998-04-04');
  await page.fill('#m-nacionalidad', 'gha');
  await page.click('#m-inspeccionar');
  await page.waitForSelector('#veredicto:not(.espera)');
  assert.match(await page.getAttribute('#veredicto', 'class'), /secondary/);
  assert.match(await page.textContent('#razones'), /No presenta documento de viaje/);
  assert.deepEqual(sent[0].document, { kind: 'none' });
  assert.equal(sent[0].person.nationality, 'GHA');
  // who the system took them to be: no number
  assert.match(await page.textContent('#leido'), /Sin documento/);
  await page.screenshot({ path: `${SHOTS}/e2e-sin-documento-cabina.png`, fullPage: true });
  // the next traveler: Intro clears, and the kind is a document again
  await page.focus('#cab-mrz');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#veredicto.espera');
  assert.equal(await page.inputValue('#m-tipo'), 'passport');
  assert.equal(await page.isDisabled('#m-numero'), false);
  assert.deepEqual(faults(page), []);
  await page.close();
});

test('secondary: the queue says «Sin documento»; the supervisor refuses and records the ship that returns them', async () => {
  const r = await ofi.post('/api/v1/inspections', { port: 'ACA', direction: 'entry', transport: 'Buque Mercante Río Lempa',
    document: { kind: 'none' }, person: { given_names: 'Moussa', surnames: 'Traoré', birth_date: '2001-06-06', sex: 'M', nationality: 'MLI' } });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const page = await newPage(browser, srv.url, { viewport: { width: 1366, height: 768 } });
  await login(page, 'sd_sup', PW);
  await page.goto('/#/secundaria');
  const row = page.locator(`#sec-cola tr[data-id="${r.json.inspection_id}"]`);
  await row.waitFor();
  assert.equal((await row.locator('td').nth(3).textContent()).trim(), 'Sin documento');
  assert.match(await row.textContent(), /No presenta documento de viaje/);
  await page.screenshot({ path: `${SHOTS}/e2e-sin-documento-secundaria.png`, fullPage: true });
  await row.locator('select.res-tipo').selectOption('refuse');
  await row.locator('input.res-fundamento').fill('LEME: ingreso sin documento de viaje (polizón)');
  await row.locator('input.res-transportista').fill('Naviera Río Lempa S.A.');
  await row.locator('input.res-retorno').fill('Buque Mercante Río Lempa, zarpa mañana 06:00');
  await row.getByRole('button', { name: 'Resolver' }).click();
  const done = page.locator('#sec-resueltos tr', { hasText: 'Moussa' });
  await done.waitFor();
  assert.match(await done.textContent(), /Sin documento/);
  assert.match(await done.textContent(), /Acta de inadmisión n\.º \d+/);
  const n = (await sup.get('/api/v1/inspections?status=resolved&port=ACA')).json.items.find((x) => x.id === r.json.inspection_id);
  assert.equal(n.resolution, 'refuse');
  assert.equal(n.inadmission_carrier, 'Naviera Río Lempa S.A.');
  // the person's page: no document, said so; the inspection in the history
  await page.goto(`/#/personas?id=${r.json.person_id}`);
  await page.waitForSelector('#pe-sin-documento');
  assert.match(await page.textContent('#pe-sin-documento'), /se inspeccionó sin documento de viaje/);
  // who resolved, by name (the staff user's display name is its role here)
  assert.match(await page.textContent('main'), /no admitida \(inadmisión\) \(supervisor_control\)/);
  await page.screenshot({ path: `${SHOTS}/e2e-sin-documento-persona.png`, fullPage: true });
  assert.deepEqual(faults(page), []);
  await page.close();
});

test('booth: the fields the check needs, left empty, are said at once and marked, nothing sent (the API named one a request)', async () => {
  const page = await newPage(browser, srv.url, { viewport: { width: 1366, height: 768 } });
  await login(page, 'sd_ofi', PW);
  await page.goto('/#/cabina');
  await page.waitForSelector('#cab-mrz');
  const sent = [];
  page.on('request', (r) => { if (r.url().endsWith('/api/v1/inspections') && r.method() === 'POST') sent.push(r.postDataJSON()); });
  await page.fill('#m-nombres', 'Lucía');
  await page.fill('#m-emisor', 'GTM');
  await page.click('#m-inspeccionar');
  const err = page.locator('main .aviso.error');
  await err.waitFor();
  assert.equal(await err.textContent(), 'Faltan: Número, Apellidos, Nacimiento.');
  const marked = await page.evaluate(() => [...document.querySelectorAll('#form-manual .invalido')].map((e) => e.id));
  assert.deepEqual(marked, ['m-numero', 'm-apellidos', 'm-nacimiento']);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'm-numero');
  // without a document, the number and the issuer are not asked for
  await page.selectOption('#m-tipo', 'none');
  await page.fill('#m-apellidos', 'Ajú Tzoc');
  await page.click('#m-inspeccionar');
  await page.waitForFunction(() => document.querySelector('main .aviso.error')?.textContent === 'Falta: Nacimiento.');
  assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('#form-manual .invalido')].map((e) => e.id)), ['m-nacimiento']);
  assert.equal(sent.length, 0, 'nothing sent while a needed field is empty');
  await page.fill('#m-nacimiento', '1993-08-08');
  await page.click('#m-inspeccionar');
  await page.waitForSelector('#veredicto.secondary');
  assert.equal(sent.length, 1);
  assert.deepEqual(faults(page), []);
  await page.close();
});

test('possible duplicates: the record made without a document says so beside its namesake\'s passport (it read «Sin resultados»)', async () => {
  const doc = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'AV 611',
    document: { kind: 'passport', code: 'P', number: 'E7700112', issuing_state: 'HND', nationality: 'HND', expiry_date: '2031-01-01' },
    person: { given_names: 'Elvin Josué', surnames: 'Maradiaga Paz', birth_date: '1990-10-10', sex: 'M', nationality: 'HND' } });
  assert.equal(doc.status, 201, JSON.stringify(doc.json));
  const r = await ofi.post('/api/v1/inspections', { port: 'ACA', direction: 'entry', transport: 'Buque Mercante Río Lempa', document: { kind: 'none' },
    person: { given_names: 'Elvin Josué', surnames: 'Maradiaga Paz', birth_date: '1990-10-10', sex: 'M', nationality: 'HND' } });
  assert.equal(r.json.possible_duplicates, 1, JSON.stringify(r.json));
  const page = await newPage(browser, srv.url, { viewport: { width: 1366, height: 768 } });
  await login(page, 'sd_sup', PW);
  await page.goto('/#/duplicados');
  const pair = page.locator('#dup-lista .dup-par', { hasText: 'Maradiaga Paz' });
  await pair.waitFor();
  const sides = pair.locator('.dup-persona');
  assert.equal(await sides.count(), 2);
  const texts = [await sides.nth(0).textContent(), await sides.nth(1).textContent()];
  assert.ok(texts.some((t) => /Ningún documento registrado: se inspeccionó sin documento de viaje/.test(t)), texts.join(' | '));
  assert.ok(texts.some((t) => /Pasaporte E7700112/.test(t)), texts.join(' | '));
  assert.ok(!texts.some((t) => /Sin resultados/.test(t)));
  await page.screenshot({ path: `${SHOTS}/e2e-sin-documento-duplicados.png`, fullPage: true });
  assert.deepEqual(faults(page), []);
  await page.close();
});
