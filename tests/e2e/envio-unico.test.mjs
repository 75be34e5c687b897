// An action is sent once: while its answer is on its way (a post's slow
// link), a second Intro or click sends nothing.  A carrier's fine marked
// paid twice, or an officer's voiding request sent twice, had the second
// refused as already done, and its «ya …» said over the first's answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';
import { launch, newPage, login, holdReplies, faults } from '../lib/browser.mjs';

let srv, browser, ofi, sup, sg;
const PW = 'Envio-Unico-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  ofi = await staffUser(srv.url, 'eu_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'eu_sup', 'supervisor_control', PW);
  sg = await staffUser(srv.url, 'eu_sg', 'secretaria_general', PW);
});
after(async () => { await browser?.close(); await srv?.stop(); });

// Holds the replies to POSTs whose path matches re until release(); counts them.
const hold = (page, re) => holdReplies(page, (u) => re.test(u.pathname), { method: 'POST' });

test('a carrier\'s fine: Intro again in the receipt while «Actualizar» is on its way sends nothing', async () => {
  const f = await sup.post('/api/v1/carrier-fines', { carrier: 'Naviera Envío Único', amount: 500, legal_basis: 'LEME', reason: 'Lista tardía', transport: 'Buque X', port: 'ACA' });
  assert.equal(f.status, 201, JSON.stringify(f.json));
  const page = await newPage(browser, srv.url, { viewport: { width: 1366, height: 768 } });
  await login(page, 'eu_sup', PW);
  await page.goto('/#/multas');
  await page.waitForSelector('#mu-resultado:not([aria-busy]) tr.multa');
  const row = page.locator(`tr.multa[data-multa="${f.json.id}"]`);
  await row.waitFor();
  await row.locator('.estado-nuevo').selectOption('paid');
  await row.locator('.nota-multa').fill('Recibo DGME-2026-000900');
  const h = await hold(page, /\/api\/v1\/carrier-fines\/\d+\/status$/);
  await row.locator('.nota-multa').press('Enter');
  await page.waitForFunction(() => document.querySelector('tr.multa button.sec:disabled'));
  await row.locator('.nota-multa').press('Enter');
  await row.locator('.nota-multa').press('Enter');
  h.release();
  await page.locator(`tr.multa.paid[data-multa="${f.json.id}"]`).waitFor();
  assert.equal(h.requests.length, 1, `sent once: ${h.requests.length}`);
  assert.equal(await page.locator('main .aviso.error').count(), 0, 'no «ya …» said');
});

test('an officer\'s voiding request: Intro again while it is on its way sends nothing', async () => {
  const r = await ofi.post('/api/v1/inspections', { port: 'HAC', direction: 'entry', transport: 'P 1', route_country: 'GTM',
    document: { kind: 'passport', number: 'G5050505', issuing_state: 'GTM', nationality: 'GTM', expiry_date: '2031-01-01' },
    person: { given_names: 'Edwin', surnames: 'Once Solo', birth_date: '1984-04-14', nationality: 'GTM', sex: 'M' } });
  assert.equal(r.json.decision, 'admit', JSON.stringify(r.json));
  const page = await newPage(browser, srv.url, { viewport: { width: 1366, height: 768 } });
  await login(page, 'eu_ofi', PW);
  await page.goto('/#/movimientos');
  await page.selectOption('#mv-puesto', 'HAC');
  await page.waitForSelector('#mv-resultado:not([aria-busy]) #mv-lista');
  const row = page.locator(`#mv-lista tbody tr[data-id="${r.json.movement_id}"]`);
  await row.waitFor();
  await row.locator('.mv-pedir').click();
  await row.locator('.mv-motivo').fill('Registrado dos veces');
  const h = await hold(page, /\/api\/v1\/movements\/\d+\/correction-requests$/);
  await row.locator('.mv-motivo').press('Enter');
  await page.waitForFunction(() => document.querySelector('#mv-lista button.peligro:disabled'));
  await row.locator('.mv-motivo').press('Enter');
  h.release();
  await page.waitForSelector(`main .aviso.ok >> text=Anulación del movimiento n.º ${r.json.movement_id} solicitada`);
  assert.equal(h.requests.length, 1, `sent once: ${h.requests.length}`);
  assert.equal(await page.locator('main .aviso.error').count(), 0, 'no «ya …» said');
});

test('possible duplicates: the justification being typed for one pair stays when the list is read again after a decision on another', async () => {
  const pair = async (n, given) => {
    const who = (number, g) => ({ port: 'HAC', direction: 'entry', transport: 'P 1', route_country: 'GTM',
      document: { kind: 'passport', code: 'P', number, issuing_state: 'GTM', nationality: 'GTM', expiry_date: '2031-01-01' },
      person: { given_names: g, surnames: `Par ${n} Tzoc`, birth_date: '1987-12-12', nationality: 'GTM', sex: 'M' } });
    await ofi.post('/api/v1/inspections', who(`G66${n}0001`, `${given} Pablo`));
    const b = await ofi.post('/api/v1/inspections', who(`G66${n}0002`, given));
    assert.equal(b.json.possible_duplicates, 1, JSON.stringify(b.json));
  };
  await pair(1, 'Juan');
  await pair(2, 'Luis');
  const page = await newPage(browser, srv.url, { viewport: { width: 1366, height: 768 } });
  await login(page, 'eu_sup', PW);
  await page.goto('/#/duplicados');
  await page.waitForSelector('#dup-lista:not([aria-busy]) .panel.dup');
  const one = page.locator('.panel.dup', { hasText: 'Par 1 Tzoc' });
  const two = page.locator('.panel.dup', { hasText: 'Par 2 Tzoc' });
  await one.locator('.dup-nota').fill('Misma fotografía');
  // the list read after the decision is held while the other is typed
  const held = await holdReplies(page, (u) => u.pathname === '/api/v1/person-duplicates');
  await one.locator('.dup-misma').click();
  await page.waitForSelector('#dup-lista[aria-busy]');
  await two.locator('.dup-nota').click();
  await page.keyboard.type('Firmas distintas');
  held.release();
  await page.waitForSelector('#dup-lista:not([aria-busy])');
  assert.equal(await page.locator('.panel.dup', { hasText: 'Par 1 Tzoc' }).count(), 0, 'the one decided is off the list');
  assert.equal(await two.locator('.dup-nota').inputValue(), 'Firmas distintas', 'what was typed stays through the redraw');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'dup-nota', 'and the cursor in it');
  await page.keyboard.type(' y fotografía');
  assert.equal(await two.locator('.dup-nota').inputValue(), 'Firmas distintas y fotografía');
});

test('a certificate is issued once: a second submit while the first is on its way makes no second certificate', async () => {
  const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'AV 611', route_country: 'GTM',
    document: { kind: 'passport', code: 'P', number: 'E77766655', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-01-01' },
    person: { given_names: 'Rosa Elena', surnames: 'Una Sola', birth_date: '1990-05-05', nationality: 'SLV', sex: 'F' } });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const page = await newPage(browser, srv.url, { viewport: { width: 1366, height: 768 } });
  await login(page, 'eu_sg', PW);
  await page.goto(`/#/certificados?persona=${r.json.person_id}`);
  await page.waitForSelector('#ce-persona >> text=Rosa Elena Una Sola');
  await page.selectOption('#ce-clase', 'movements');
  await page.selectOption('#ce-solicitante', 'person');
  await page.fill('#ce-sol-nombre', 'Rosa Elena Una Sola');
  await page.fill('#ce-finalidad', 'Trámite de residencia en el extranjero');
  const h = await hold(page, /^\/api\/v1\/certificates$/);
  // the button, then the form submitted again as Intro would
  await page.click('#ce-emitir button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#ce-emitir button[type=submit]').disabled);
  await page.evaluate(() => { const f = document.querySelector('#ce-emitir'); f.requestSubmit(); f.requestSubmit(); });
  h.release();
  await page.waitForSelector('#ce-codigo');
  assert.equal(h.requests.length, 1, `sent once: ${h.requests.length}`);
  const issued = await sg.get(`/api/v1/certificates?person_id=${r.json.person_id}`);
  assert.equal(issued.status, 200, JSON.stringify(issued.json));
  assert.equal(issued.json.items.length, 1, `one certificate: ${JSON.stringify(issued.json)}`);
});

test('a certificate is revoked once: a double click on «Revocar» sends one revocation; after an error the button takes another try', async () => {
  const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'AV 611', route_country: 'GTM',
    document: { kind: 'passport', code: 'P', number: 'E77766656', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-01-01' },
    person: { given_names: 'Irma Yolanda', surnames: 'Revoca Una Vez', birth_date: '1991-06-06', nationality: 'SLV', sex: 'F' } });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const issue = async () => {
    const c = await sg.post('/api/v1/certificates', { kind: 'movements', person_id: r.json.person_id, requester: { kind: 'person' }, purpose: 'Trámite' });
    assert.equal(c.status, 201, JSON.stringify(c.json));
    return c.json.code;
  };
  const twice = await issue(), retried = await issue();
  const page = await newPage(browser, srv.url, { viewport: { width: 1366, height: 768 } });
  await login(page, 'eu_sg', PW);
  await page.goto('/#/certificados');
  await page.waitForSelector(`#ce-lista:not([aria-busy]) #ce-revocar-${twice}`);
  const disabled = (code) => page.$eval(`#ce-revocar-${code}`, (b) => b.disabled);
  const row = (code) => page.locator('#ce-lista tr', { has: page.locator(`td.codigo:text-is("${code}")`) });
  const h = await hold(page, /^\/api\/v1\/certificates\/[^/]+\/revoke$/);
  const sent = (code) => h.requests.filter((q) => q.url().includes(`/${code}/`)).length;
  // without a reason: disabled while on its way; refused, and back for another try
  await page.click(`#ce-revocar-${retried}`);
  await h.arrived(1);
  assert.equal(await disabled(retried), true, 'disabled while the revocation is on its way');
  h.release(0);
  await row(retried).locator('.aviso.error').waitFor();
  assert.match(await row(retried).locator('.aviso.error').textContent(), /^Motivo de la revocación: /);
  assert.equal(await disabled(retried), false, 'the button back for another try');
  // clicked twice while the answer is held
  await page.fill(`#ce-motivo-${twice}`, 'Emitida por error');
  await page.dblclick(`#ce-revocar-${twice}`);
  await h.arrived(2);
  await page.waitForTimeout(300);
  h.release();
  await page.waitForSelector(`#ce-lista:not([aria-busy]) tr:has(td.codigo:text-is("${twice}")) .etiqueta.mal`);
  assert.equal(sent(twice), 1, `one revocation sent: ${sent(twice)}`);
  assert.equal(await row(twice).locator('.etiqueta').textContent(), 'Revocada');
  assert.match(await row(twice).textContent(), /Emitida por error/);
  assert.equal(await page.locator('main .aviso.error').count(), 0, 'no «ya revocada» said');
  assert.equal(await page.isVisible(`main .aviso.ok >> text=Certificación ${twice} revocada.`), true);
  // the one refused, tried again
  await page.fill(`#ce-motivo-${retried}`, 'Solicitud duplicada');
  await page.click(`#ce-revocar-${retried}`);
  await page.waitForSelector(`#ce-lista:not([aria-busy]) tr:has(td.codigo:text-is("${retried}")) .etiqueta.mal`);
  const got = await sg.get(`/api/v1/certificates?person_id=${r.json.person_id}`);
  assert.deepEqual(got.json.items.map((c) => c.status), ['revoked', 'revoked'], JSON.stringify(got.json));
  assert.deepEqual(faults(page, /status of 400/ /* the revocation sent without its reason */), []);
});

test('certificates: a person searched twice while the answer is on its way is listed once', async () => {
  const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'AV 611', route_country: 'GTM',
    document: { kind: 'passport', code: 'P', number: 'E77766657', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-01-01' },
    person: { given_names: 'Olga Marina', surnames: 'Buscada Dosveces', birth_date: '1979-07-07', nationality: 'SLV', sex: 'F' } });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const page = await newPage(browser, srv.url, { viewport: { width: 1366, height: 768 } });
  await login(page, 'eu_sg', PW);
  await page.goto('/#/certificados');
  await page.waitForSelector('#ce-apellidos');
  await page.fill('#ce-apellidos', 'Buscada');
  const h = await holdReplies(page, (u) => u.pathname === '/api/v1/persons', { method: 'GET' });
  await page.dblclick('#ce-buscar button[type=submit]');
  await h.arrived(1);
  await page.waitForTimeout(200);
  h.release();
  await page.waitForSelector('#ce-buscar + div:not([aria-busy]) table');
  await page.waitForTimeout(300);
  assert.equal(await page.locator('#ce-buscar + div table').count(), 1, 'one list of the people found');
  assert.equal(await page.locator('#ce-buscar + div tbody tr').count(), 1, 'she is listed once');
  await page.click('#ce-buscar + div button:text("Elegir")');
  await page.waitForSelector('#ce-persona >> text=Olga Marina Buscada Dosveces');
});
