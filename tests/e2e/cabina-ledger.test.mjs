// The booth when another booth records the same traveler meanwhile: the
// server answers the admission 409 ledger_changed (nothing recorded) and
// the booth asks again, once, on the ledger as it stands now, showing that
// decision with a line saying why it may differ.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD } from '../lib/server.mjs';
import { launch, newPage, login, SHOTS, faults } from '../lib/browser.mjs';

let srv, browser, ofi;
const PW = 'Turno-Seguro-2026';
before(async () => {
  srv = await startServer();
  browser = await launch();
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  assert.equal((await admin.post('/api/v1/users', { username: 'oficial1', display_name: 'oficial1', unit: 'DCM', roles: ['oficial_control'], password: PW })).status, 201);
  ofi = new Client(srv.url);
  assert.equal((await ofi.login('oficial1', PW)).status, 200);
});
after(async () => { await browser?.close(); await srv?.stop(); });

// ICAO 9303 check digits; a passport's (TD3) two lines
const val = (c) => (c === '<' ? 0 : /[0-9]/.test(c) ? Number(c) : c.charCodeAt(0) - 55);
const cd = (s) => String([...s].reduce((a, c, i) => a + val(c) * [7, 3, 1][i % 3], 0) % 10);
function td3({ state, name, number, birth, sex, expiry = '310630' }) {
  const num = number.padEnd(9, '<');
  const pn = ''.padEnd(14, '<');
  const body = num + cd(num) + state + birth + cd(birth) + sex + expiry + cd(expiry) + pn + cd(pn);
  return [`P<${state}${name}`.padEnd(44, '<'), body + cd(body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 43))];
}

test('booth: an admission answered «ledger_changed» is inspected again once, and the new decision says the record changed at another booth', async () => {
  const number = 'L7700101';
  const doc = { kind: 'passport', number, issuing_state: 'CRI', nationality: 'CRI', expiry_date: '2031-06-30' };
  const person = { given_names: 'Laura', surnames: 'Solano Mora', birth_date: '1984-02-10', sex: 'F', nationality: 'CRI' };
  const en = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 501', route_country: 'CRI', document: doc, person });
  assert.equal(en.json.decision, 'admit', JSON.stringify(en.json));

  const page = await newPage(browser, srv.url);
  await login(page, 'oficial1', PW);
  await page.goto('/#/cabina');
  await page.waitForSelector('#cab-mrz');
  await page.selectOption('#cab-puesto', 'SAL');
  await page.selectOption('#cab-sentido', 'exit');
  await page.fill('#cab-transporte', 'TA 502');
  await page.fill('#cab-ruta', 'CRI');
  // The race the server guards against, made to happen: while this booth's
  // inspection is on its way, La Hachadura records her exit (a real
  // crossing, through the API), and the server's answer to this booth is
  // the one it gives when that write lands between its read and its own.
  const sent = [];
  let other = null;
  await page.route('**/api/v1/inspections', async (route) => {
    sent.push(route.request().postDataJSON());
    if (sent.length > 1) return route.continue();
    other = await ofi.post('/api/v1/inspections', { port: 'HAC', direction: 'exit', transport: 'P 123-456', route_country: 'GTM', document: doc, person });
    assert.equal(other.status, 201, JSON.stringify(other.json));
    return route.fulfill({ status: 409, contentType: 'application/json', body: JSON.stringify({ error: { code: 'ledger_changed', field: 'document.number',
      message: `se acaba de registrar otro cruce de esta persona (movimiento n.º ${other.json.movement_id}) mientras se inspeccionaba: inspeccione de nuevo` } }) });
  });
  await page.focus('#cab-mrz');
  // the reader types each line and Enter
  for (const l of td3({ state: 'CRI', name: 'SOLANO<MORA<<LAURA', number, birth: '840210', sex: 'F' })) {
    await page.keyboard.type(l);
    await page.keyboard.press('Enter');
  }
  // the decision on the ledger as it is now: her exit is already recorded
  await page.waitForSelector('#veredicto:not(.espera)');
  await page.waitForSelector('#cab-cambio');
  assert.equal(sent.length, 2, 'inspected again once, by itself');
  assert.deepEqual(sent[1], sent[0], 'the same traveler, the same request');
  const verdict = await page.textContent('#veredicto');
  const reasons = await page.textContent('#razones');
  assert.doesNotMatch(verdict, /En espera|INSPECCIONE/, verdict);
  assert.match(reasons, /[Ss]alida sin entrada/, reasons);
  const said = await page.textContent('#cab-cambio');
  assert.match(said, new RegExp(`Otra cabina registró un cruce de esta persona mientras se inspeccionaba \\(movimiento n\\.º ${other.json.movement_id}\\)`), said);
  // nothing said on the manual form's «Número», which the officer never typed
  assert.equal(await page.$('.invalido'), null);
  assert.equal(await page.$('.aviso.error'), null);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'cab-mrz', 'the next key is the next traveler\'s');
  await page.screenshot({ path: `${SHOTS}/e2e-cabina-ledger-changed.png` });
  // Intro: the next traveler, and the line goes with the last one
  await page.keyboard.press('Enter');
  await page.waitForSelector('#veredicto.espera');
  assert.equal(await page.$('#cab-cambio'), null);
  assert.deepEqual(faults(page, /status of 409/ /* answered by the route in the server's stead */), []);
});

test('booth: a second «ledger_changed» in a row is not asked again: it says to pass the document again, and nothing points at the manual form', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'oficial1', PW);
  await page.goto('/#/cabina');
  await page.waitForSelector('#cab-mrz');
  await page.selectOption('#cab-puesto', 'SAL');
  await page.selectOption('#cab-sentido', 'entry');
  await page.fill('#cab-transporte', 'TA 501');
  await page.fill('#cab-ruta', 'CRI');
  let n = 0;
  await page.route('**/api/v1/inspections', (route) => {
    n++;
    return route.fulfill({ status: 409, contentType: 'application/json', body: JSON.stringify({ error: { code: 'ledger_changed', field: 'document.number',
      message: 'se acaba de registrar otro cruce de esta persona (movimiento n.º 99) mientras se inspeccionaba: inspeccione de nuevo' } }) });
  });
  await page.focus('#cab-mrz');
  for (const l of td3({ state: 'CRI', name: 'VARGAS<<ANA', number: 'L7700202', birth: '900101', sex: 'F' })) {
    await page.keyboard.type(l);
    await page.keyboard.press('Enter');
  }
  await page.waitForSelector('#veredicto.releer');
  assert.equal(n, 2, 'asked again once, not more');
  assert.match(await page.textContent('#veredicto'), /INSPECCIONE DE NUEVO.*Pase el documento de nuevo/);
  assert.equal(await page.$('.invalido'), null);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'cab-mrz');
});

test('booth: an admission answered «registry_changed» (a court\'s exit ban registered meanwhile) is inspected again once, and the ban refuses the exit', async () => {
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  assert.equal((await admin.post('/api/v1/users', { username: 'secre1', display_name: 'secre1', unit: 'SG', roles: ['secretaria_general'], password: PW })).status, 201);
  const sec = new Client(srv.url);
  assert.equal((await sec.login('secre1', PW)).status, 200);
  const number = 'L7700909';
  const person = { given_names: 'Marco', surnames: 'Vargas Quirós', birth_date: '1979-09-09', sex: 'M', nationality: 'CRI' };
  const doc = { kind: 'passport', number, issuing_state: 'CRI', nationality: 'CRI', expiry_date: '2031-06-30' };
  assert.equal((await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 501', route_country: 'CRI', document: doc, person })).json.decision, 'admit');
  const page = await newPage(browser, srv.url);
  await login(page, 'oficial1', PW);
  await page.goto('/#/cabina');
  await page.waitForSelector('#cab-mrz');
  await page.selectOption('#cab-puesto', 'SAL');
  await page.selectOption('#cab-sentido', 'exit');
  await page.fill('#cab-transporte', 'TA 502');
  await page.fill('#cab-ruta', 'CRI');
  // the court's ban lands between the server's read and its write
  const sent = [];
  let ban = null;
  await page.route('**/api/v1/inspections', async (route) => {
    sent.push(route.request().postDataJSON());
    if (sent.length > 1) return route.continue();
    ban = await sec.post('/api/v1/restrictions', { court: 'Juzgado Cuarto de Paz de San Salvador', case_number: 'PAZ-4-2026', measure: 'exit_ban',
      subject: { given_names: person.given_names, surnames: person.surnames, birth_date: person.birth_date, document_number: number }, effective_from: '2026-01-01', effective_to: null });
    assert.equal(ban.status, 201, JSON.stringify(ban.json));
    return route.fulfill({ status: 409, contentType: 'application/json', body: JSON.stringify({ error: { code: 'registry_changed', field: 'document.number',
      message: `se acaba de registrar una restricción judicial que corresponde a esta persona (n.º ${ban.json.id}) mientras se inspeccionaba: no se registró nada; inspeccione de nuevo` } }) });
  });
  await page.focus('#cab-mrz');
  for (const l of td3({ state: 'CRI', name: 'VARGAS<QUIROS<<MARCO', number, birth: '790909', sex: 'M' })) {
    await page.keyboard.type(l);
    await page.keyboard.press('Enter');
  }
  await page.waitForSelector('#cab-cambio');
  assert.equal(sent.length, 2, 'inspected again once, by itself');
  assert.match(await page.getAttribute('#veredicto', 'class'), /refuse/, await page.textContent('#razones'));
  assert.match(await page.textContent('#razones'), /Impedimento de salida/);
  assert.match(await page.textContent('#cab-cambio'), new RegExp(`^Se registró una restricción, alerta o denuncia de esta persona mientras se inspeccionaba \\(registro n\\.º ${ban.json.id}\\)\\. Esta decisión se tomó de nuevo`));
  assert.deepEqual(faults(page, /status of 409/ /* answered by the route in the server's stead */), []);
});
