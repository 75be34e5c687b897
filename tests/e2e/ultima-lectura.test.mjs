// The latest read wins on the lists that had no guard: a list read again
// (a search, after a user was created, another day chosen) while the
// page's first read is on its way shows its own answer, not the first one
// coming late (a slow link, the sanitized server); and nothing is left
// marked on its way (aria-busy) once both came.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser, ADMIN_PASSWORD } from '../lib/server.mjs';
import { launch, newPage, login, holdReplies, SHOTS, faults } from '../lib/browser.mjs';

let srv, browser, ofi, sg, sup;
const PW = 'Ultima-Lectura-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  ofi = await staffUser(srv.url, 'ul_ofi', 'oficial_control', PW);
  sg = await staffUser(srv.url, 'ul_sg', 'secretaria_general', PW);
  sup = await staffUser(srv.url, 'ul_sup', 'supervisor_control', PW);
});
after(async () => { await browser?.close(); await srv?.stop(); });

// Holds the answer to the first GET match(url) picks (see holdReplies);
// later ones pass.  broken: the answer that comes is a gateway's 502 instead.
const GATEWAY_502 = { status: 502, contentType: 'text/html', body: '<html><body><h1>502 Bad Gateway</h1></body></html>' };
const holdFirst = (page, match, broken = false) => holdReplies(page, match, { method: 'GET', count: 1, answer: broken ? GATEWAY_502 : null });

test('certificates: a search made while the first list is on its way shows its own answer when the first comes late', async () => {
  const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'AV 611', route_country: 'GTM',
    document: { kind: 'passport', code: 'P', number: 'E55544433', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-01-01' },
    person: { given_names: 'Marta Lidia', surnames: 'Lectura Tardía', birth_date: '1988-03-03', nationality: 'SLV', sex: 'F' } });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const issue = async () => {
    const c = await sg.post('/api/v1/certificates', { kind: 'movements', person_id: r.json.person_id, requester: { kind: 'person' }, purpose: 'Trámite' });
    assert.equal(c.status, 201, JSON.stringify(c.json));
    return c.json.code;
  };
  const valid = await issue();
  const revoked = await issue();
  assert.equal((await sg.post(`/api/v1/certificates/${revoked}/revoke`, { reason: 'Emitida por error' })).status, 200);
  const page = await newPage(browser, srv.url);
  await login(page, 'ul_sg', PW);
  const first = await holdFirst(page, (u) => u.pathname === '/api/v1/certificates');
  await page.goto('/#/certificados');
  await first.arrived();
  // the revoked ones asked for while every certificate is on its way
  await page.selectOption('#ce-estado', 'revoked');
  await page.click('form:has(#ce-estado) button[type=submit]');
  await page.waitForSelector(`#ce-lista:not([aria-busy]) td.codigo >> text=${revoked}`);
  await first.landed();
  const codes = await page.$$eval('#ce-lista td.codigo', (tds) => tds.map((td) => td.textContent));
  assert.deepEqual(codes, [revoked], `the revoked ones asked for, not every certificate (${valid} is valid)`);
  assert.equal(await page.$('#ce-lista[aria-busy]'), null, 'nothing on its way');
  assert.deepEqual(faults(page), []);
});

test('certificates: the first list failing after a search answered says nothing over it', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'ul_sg', PW);
  const first = await holdFirst(page, (u) => u.pathname === '/api/v1/certificates', true);
  await page.goto('/#/certificados');
  await first.arrived();
  await page.selectOption('#ce-estado', 'revoked');
  await page.click('form:has(#ce-estado) button[type=submit]');
  await page.waitForSelector('#ce-lista:not([aria-busy]) table');
  await first.landed();
  assert.equal(await page.locator('main .aviso.error').count(), 0, 'the list on screen is the one asked for: no error said over it');
  assert.equal(await page.$('#ce-lista[aria-busy]'), null, 'nothing on its way');
  assert.deepEqual(faults(page, /status of 502/ /* the gateway's, answered by the route */), []);
});

test('a list being read is dimmed, with the progress cursor, only once the read takes a moment; back at once when it lands', async () => {
  const page = await newPage(browser, srv.url);
  // how the list looks the moment it is marked busy (a fast read is
  // over about then: nothing may change yet, or every read flickers)
  await page.addInitScript(() => {
    window.busyLooks = [];
    new MutationObserver((ms) => {
      for (const m of ms) if (m.target.getAttribute('aria-busy') === 'true') window.busyLooks.push(getComputedStyle(m.target).opacity);
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['aria-busy'] });
  });
  await login(page, 'ul_sg', PW);
  await page.goto('/#/certificados');
  await page.waitForSelector('#ce-lista:not([aria-busy]) table');
  // the list asked for again, its answer held
  const first = await holdFirst(page, (u) => u.pathname === '/api/v1/certificates');
  await page.evaluate(() => { window.busyLooks = []; });
  await page.click('form:has(#ce-estado) button[type=submit]');
  await first.arrived();
  assert.equal(await page.getAttribute('#ce-lista', 'aria-busy'), 'true');
  assert.deepEqual(await page.evaluate(() => window.busyLooks), ['1'], 'as it was, when marked');
  const look = () => page.$eval('#ce-lista', (el) => { const cs = getComputedStyle(el); return { opacity: cs.opacity, cursor: cs.cursor }; });
  // while the read is held: dimmed, not hidden
  await page.waitForFunction(() => getComputedStyle(document.querySelector('#ce-lista')).opacity === '0.7', null, { timeout: 5000 })
    .catch(async () => assert.fail(`never dimmed while its read is on its way: ${JSON.stringify(await look())}`));
  assert.deepEqual(await look(), { opacity: '0.7', cursor: 'progress' });
  await page.locator('#ce-lista').screenshot({ path: `${SHOTS}/e2e-ultima-lectura-leyendo.png` });
  await first.landed();
  assert.equal(await page.$('#ce-lista[aria-busy]'), null, 'nothing on its way');
  assert.deepEqual(await look(), { opacity: '1', cursor: 'auto' }, 'back as it was once drawn');
  await page.locator('#ce-lista').screenshot({ path: `${SHOTS}/e2e-ultima-lectura-leida.png` });
  assert.deepEqual(faults(page), []);
});

test('users: the list read after a user is created, answering before the page\'s first read, is the one that stays', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'admin', ADMIN_PASSWORD);
  const first = await holdFirst(page, (u) => u.pathname === '/api/v1/users');
  await page.goto('/#/usuarios');
  await page.waitForSelector('#form-usuario');
  await first.arrived();
  await page.fill('#nu-usuario', 'ulrivas');
  await page.fill('#nu-nombre', 'Úrsula Rivas');
  await page.selectOption('#nu-unidad', 'DCM');
  await page.selectOption('#nu-roles', ['oficial_control']);
  await page.fill('#nu-clave', 'Lectura-Nueva-2026');
  await page.click('#form-usuario button[type=submit]');
  await page.waitForSelector('#form-usuario .aviso.ok');
  await page.waitForSelector('tr[data-user="ulrivas"]');
  await first.landed();
  // one list, the one read after the creation (the first read's list,
  // without her, was drawn under it)
  assert.equal(await page.locator('main table').count(), 1, 'one list');
  assert.equal(await page.locator('main tr[data-user="ulrivas"]').count(), 1, 'with the user just created');
  assert.equal(await page.$('main [aria-busy]'), null, 'nothing on its way');
  assert.deepEqual(faults(page), []);
});

test('APIS schedule: another day chosen while the last day\'s schedule is on its way shows the day chosen', async () => {
  const dayOf = (n) => new Date(Date.now() - 6 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
  const loadedDay = dayOf(3), emptyDay = dayOf(4);
  const load = await sup.post('/api/v1/apis/schedule', { flights: [{ date: loadedDay, carrier: 'TA', flight: '931', port: 'SAL', origin: 'GUA', arrival: '10:15' }] });
  assert.equal(load.status, 201, JSON.stringify(load.json));
  const page = await newPage(browser, srv.url);
  await login(page, 'ul_sup', PW);
  await page.goto('/#/apis');
  await page.waitForSelector('#apis-vuelos');
  await page.fill('#apis-dia', loadedDay);
  await page.dispatchEvent('#apis-dia', 'change');
  const first = await holdFirst(page, (u) => u.pathname === '/api/v1/apis/schedule');
  // the panel opened reads that day's schedule; the next day is chosen
  // while it is on its way
  await page.click('#apis-programacion summary');
  await first.arrived();
  await page.fill('#apis-dia', emptyDay);
  await page.dispatchEvent('#apis-dia', 'change');
  await page.waitForSelector(`#apis-prog-cargada:not([aria-busy]) >> text=Sin programación cargada para el ${emptyDay}`);
  await first.landed();
  assert.match(await page.textContent('#apis-prog-cargada'), new RegExp(`^Sin programación cargada para el ${emptyDay}\\.$`));
  assert.equal(await page.locator('#apis-prog-cargada tr[data-programado="TA931"]').count(), 0, `${loadedDay}'s flight not under ${emptyDay}`);
  assert.equal(await page.$('#apis-prog-cargada[aria-busy]'), null, 'nothing on its way');
  assert.deepEqual(faults(page), []);
});

test('secondary queue: marked aria-busy while it is read; La Hachadura chosen while every post\'s queue is on its way shows La Hachadura\'s cases when the first comes late', async () => {
  const refer = async (port, number, surnames) => {
    const r = await ofi.post('/api/v1/inspections', { port, direction: 'entry', transport: port === 'SAL' ? 'AV 630' : 'P 555-123', route_country: 'USA',
      document: { kind: 'passport', code: 'P', number, issuing_state: 'CHN', nationality: 'CHN', expiry_date: '2031-01-01' },
      person: { given_names: 'Wei', surnames, birth_date: '1980-01-01', sex: 'M', nationality: 'CHN' } });
    assert.equal(r.json.decision, 'secondary', JSON.stringify(r.json));
    return r.json.inspection_id;
  };
  const sal = await refer('SAL', 'X7650001', 'Cola Comalapa');
  const hac = await refer('HAC', 'X7650002', 'Cola Hachadura');
  // a case of Comalapa already resolved: the resolved list is read the same way
  const salDone = await refer('SAL', 'X7650003', 'Resuelta Comalapa');
  const n = await sup.post(`/api/v1/inspections/${salDone}/resolve`, { resolution: 'refuse', legal_ground: 'LEME: sin visa consular',
    carrier: 'AV', return_transport: 'AV 631, mañana 07:00', arrival_transport: 'AV 630' });
  assert.equal(n.status, 200, JSON.stringify(n.json));
  const page = await newPage(browser, srv.url);
  await login(page, 'ul_sup', PW);
  const reads = (status) => holdReplies(page, (u) => u.pathname === '/api/v1/inspections' && u.searchParams.get('status') === status, { method: 'GET', count: 1 });
  const queue = await reads('pending');
  const done = await reads('resolved');
  await page.goto('/#/secundaria');
  await queue.arrived();
  await done.arrived();
  assert.equal(queue.requests[0].url().includes('port='), false, 'the first read is every post\'s');
  assert.equal(await page.getAttribute('#sec-cola', 'aria-busy'), 'true', 'the queue marked as on its way');
  assert.equal(await page.getAttribute('#sec-resueltos', 'aria-busy'), 'true', 'the resolved cases too');
  await page.selectOption('#sec-puesto', 'HAC');
  await page.waitForSelector(`#sec-cola:not([aria-busy]) tr[data-id="${hac}"]`);
  await page.waitForSelector('#sec-resueltos:not([aria-busy]) td.sin-dato');
  await queue.landed();
  await done.landed();
  const ids = (box) => page.$$eval(`${box} tbody tr[data-id]`, (trs) => trs.map((tr) => Number(tr.dataset.id)));
  assert.deepEqual(await ids('#sec-cola'), [hac], `La Hachadura's case, not Comalapa's (n.º ${sal}) from the first read`);
  assert.deepEqual(await ids('#sec-resueltos'), [], `none resolved at La Hachadura (n.º ${salDone} is Comalapa's)`);
  assert.equal(await page.$('#sec-cola[aria-busy], #sec-resueltos[aria-busy]'), null, 'nothing on its way');
  await page.screenshot({ path: `${SHOTS}/e2e-ultima-lectura-secundaria.png`, fullPage: true });
  assert.deepEqual(faults(page), []);
});

test('certificates: a revocation is said at once and stays; the lists coming late (read before it, or after an issuance made meanwhile) leave it said and the certificate revoked', async () => {
  const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'AV 611', route_country: 'GTM',
    document: { kind: 'passport', code: 'P', number: 'E55544499', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-01-01' },
    person: { given_names: 'Rina Beatriz', surnames: 'Revocada Aprisa', birth_date: '1986-06-06', nationality: 'SLV', sex: 'F' } });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const c = await sg.post('/api/v1/certificates', { kind: 'movements', person_id: r.json.person_id, requester: { kind: 'person' }, purpose: 'Trámite' });
  assert.equal(c.status, 201, JSON.stringify(c.json));
  const code = c.json.code;
  const page = await newPage(browser, srv.url);
  await login(page, 'ul_sg', PW);
  await page.goto(`/#/certificados?persona=${r.json.person_id}`);
  await page.waitForSelector(`#ce-lista:not([aria-busy]) #ce-revocar-${code}`);
  // the next three list reads answer when the test lets them
  const lists = await holdReplies(page, (u) => u.pathname === '/api/v1/certificates', { method: 'GET', count: 3 });
  // a search, on its way (read before the revocation: still valid in it)
  await page.click('form:has(#ce-estado) button[type=submit]');
  await lists.arrived(1);
  await page.fill(`#ce-motivo-${code}`, 'Emitida por error');
  await page.click(`#ce-revocar-${code}`);
  const notice = `main .aviso.ok >> text=Certificación ${code} revocada.`;
  // said once recorded, while the list is read again
  await page.waitForSelector(notice, { timeout: 5000 });
  await lists.arrived(2);
  // meanwhile, a certificate issued for the same person: its list is read too
  await page.waitForSelector('#ce-persona >> text=Rina Beatriz Revocada Aprisa');
  await page.fill('#ce-finalidad', 'Trámite corregido');
  await page.click('#ce-emitir button[type=submit]');
  await page.waitForSelector('#ce-codigo');
  const again = await page.textContent('#ce-codigo');
  await lists.arrived(3);
  // the revocation's list, then the issuance's, then the search's
  await lists.landed(1);
  await lists.landed(2);
  await lists.landed(0);
  assert.equal(await page.isVisible(notice), true, 'the revocation still said');
  const row = page.locator('#ce-lista tr', { has: page.locator(`td.codigo:text-is("${code}")`) });
  assert.equal(await row.locator('.etiqueta').textContent(), 'Revocada');
  assert.match(await row.textContent(), /Emitida por error/);
  assert.equal(await page.locator(`#ce-revocar-${code}`).count(), 0, 'nothing to revoke again');
  assert.equal(await page.locator(`#ce-lista td.codigo:text-is("${again}")`).count(), 1, 'the new certificate listed');
  assert.equal(await page.$('#ce-lista[aria-busy]'), null, 'nothing on its way');
  await page.screenshot({ path: `${SHOTS}/e2e-ultima-lectura-certificado-revocado.png`, fullPage: true });
  // another list asked for: the officer has moved on
  await page.click('form:has(#ce-estado) button[type=submit]');
  await page.waitForSelector('#ce-lista:not([aria-busy]) table');
  assert.equal(await page.locator(notice).count(), 0, 'said until the officer asks for another list');
  assert.deepEqual(faults(page), []);
});
