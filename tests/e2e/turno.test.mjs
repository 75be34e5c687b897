// A shift walked as the users work it (fourth UI walk): an officer at a
// land post and at the sea port, keyboard only, and a supervisor behind
// them.  Each test is one thing the walk found wrong, as the user met it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser, carrierUser, Client } from '../lib/server.mjs';
import { launch, newPage, login, SHOTS, faults } from '../lib/browser.mjs';
import { td3 } from '../lib/mrz.mjs';

let srv, browser;
const PW = 'Turno-Seguro-2026';
before(async () => {
  srv = await startServer();
  browser = await launch();
  await staffUser(srv.url, 'tu_ofi', 'oficial_control', PW);
  await staffUser(srv.url, 'tu_sup', 'supervisor_control', PW);
});
after(async () => { await browser?.close(); await srv?.stop(); });


// The officer at a post, the cursor in the MRZ box.
async function booth(port, direction, transport = '', route = '') {
  const page = await newPage(browser, srv.url);
  await login(page, 'tu_ofi', PW);
  await page.goto('/#/cabina');
  await page.waitForSelector('#cab-mrz');
  await page.selectOption('#cab-puesto', port);
  await page.selectOption('#cab-sentido', direction);
  await page.fill('#cab-transporte', transport);
  await page.fill('#cab-ruta', route);
  await page.focus('#cab-mrz');
  return page;
}
const focused = (page) => page.evaluate(() => document.activeElement.id);

test('booth, CA-4 card typed by hand: Tab after a date goes to the next field, not to the calendar button', async () => {
  const page = await booth('HAC', 'entry', 'A pie', 'GTM');
  const k = page.keyboard;
  await page.focus('#m-tipo');
  await k.type('d'); await k.press('Tab');
  await k.type('2456 78901 0101'); await k.press('Tab');
  await k.type('GTM'); await k.press('Tab');
  // day and month alike: the same date whichever order the browser's locale writes
  await k.type('05052030'); await k.press('Tab');
  assert.equal(await focused(page), 'm-nombres', 'after the expiry, the names');
  await k.type('José Luis'); await k.press('Tab');
  await k.type('Pérez Ajú'); await k.press('Tab');
  await k.type('02021985'); await k.press('Tab');
  assert.equal(await focused(page), 'm-sexo', 'after the birth date, the sex');
  await k.type('M'); await k.press('Tab');
  await k.type('GTM'); await k.press('Enter');
  await page.waitForSelector('#veredicto:not(.espera)');
  assert.match(await page.getAttribute('#veredicto', 'class'), /admit/, await page.textContent('.decision'));
  assert.match(await page.textContent('#leido'), /Pérez Ajú/);
  assert.match(await page.textContent('#leido'), /5 may 2030/);
  await page.screenshot({ path: `${SHOTS}/e2e-turno-dpi.png` });
  assert.deepEqual(faults(page), []);
});

test('booth: Intro in the visa or carnet fields inspects again the traveler who was asked for them, or takes the cursor back to the reader', async () => {
  // a cruise passenger whose nationality needs a visa: the booth asks for it
  const page = await booth('ACA', 'entry', 'Crucero MS Pacific Dawn', 'MEX');
  const k = page.keyboard;
  await k.type(td3('BO5550001', 'QUISPE<MAMANI<<JUAN', 'BOL', '800505', 'M', '320101'));
  await page.waitForSelector('#veredicto.secondary');
  assert.equal(await page.evaluate(() => document.getElementById('cab-extranjero').open), true, 'the visa fields open');
  // keyboard only: from the MRZ box to the visa, typed, then Intro
  await k.press('Tab'); await k.press('Tab'); await k.press('Tab');
  assert.equal(await focused(page), 'cab-visa-tipo');
  await k.type('v'); await k.press('Tab');
  await k.type('SV-2026-88812'); await k.press('Tab');
  await k.type('05052027');
  await k.press('Enter');
  await page.waitForSelector('#veredicto.admit');
  assert.match(await page.textContent('#cab-caso-cerrado'), /quedó cerrado/, 'the case left open a moment ago closes with it');
  assert.equal(await focused(page), 'cab-mrz', 'the next key is the next traveler\'s');

  // A traveler decided (admitted): a visa typed now is the next one's;
  // Intro takes the cursor to the MRZ box, where the reader types, and
  // does not send the last traveler again with it.
  await k.press('Enter');
  await page.waitForSelector('#veredicto.espera');
  await page.click('#cab-extranjero summary');
  await page.fill('#cab-carne', 'R-2024-004512');
  await page.focus('#cab-carne-vence');
  await k.type('05052027');
  let sent = 0;
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/inspections')) sent++; });
  await k.press('Enter');
  assert.equal(await focused(page), 'cab-mrz', 'Intro in the carnet\'s date: back to the reader');
  assert.equal(await page.inputValue('#cab-carne'), 'R-2024-004512', 'what was typed stays');
  await k.type(td3('E12345678', 'WANG<<LI', 'CHN', '850101', 'F', '320101'));
  await page.waitForSelector('#veredicto.admit');
  assert.equal(sent, 1);
  assert.match(await page.textContent('#razones'), /Residente con carné vigente/);
  assert.match(await page.textContent('#razones'), /R-2024-004512/);

  // admitted: a visa typed for the next traveler and Intro send nobody
  await page.focus('#cab-visa-numero');
  await k.type('SV-1');
  await k.press('Enter');
  await page.waitForTimeout(300);
  assert.equal(sent, 1, 'the traveler admitted is not sent again');
  assert.equal(await focused(page), 'cab-mrz');
  assert.match(await page.getAttribute('#veredicto', 'class'), /admit/);
  assert.equal(await page.inputValue('#cab-visa-numero'), 'SV-1');
  assert.deepEqual(faults(page), []);
});

test('booth: the bus being processed (plate and route) is still there after a look at a traveler\'s history, and not for the next officer', async () => {
  const page = await booth('HAC', 'entry', 'P-512 334', 'GTM');
  await page.keyboard.type(td3('G80010001', 'MORALES<PINEDA<<CARLOS', 'GTM', '830521', 'M', '310101'));
  await page.waitForSelector('#veredicto.admit');
  await page.click('#hechos a');
  await page.waitForSelector('main h2');
  assert.match(page.url(), /#\/personas\?id=\d+/);
  await page.goBack();
  await page.waitForSelector('#cab-mrz');
  assert.equal(await page.inputValue('#cab-transporte'), 'P-512 334');
  assert.equal(await page.inputValue('#cab-ruta'), 'GTM');
  // through the menu too
  await page.click('nav a[href="#/movimientos"]');
  await page.waitForSelector('#mv-dia');
  await page.click('nav a[href="#/cabina"]');
  await page.waitForSelector('#cab-mrz');
  assert.equal(await page.inputValue('#cab-transporte'), 'P-512 334');
  // another officer signing in at this workstation starts without it
  await page.click('#salir');
  await page.waitForSelector('#usuario');
  await page.fill('#usuario', 'tu_sup');
  await page.fill('#clave', PW);
  await page.click('button[type=submit]');
  await page.waitForSelector('header.barra');
  await page.goto('/#/cabina');
  await page.waitForSelector('#cab-mrz');
  assert.equal(await page.inputValue('#cab-transporte'), '');
  assert.equal(await page.inputValue('#cab-ruta'), '');
  assert.deepEqual(faults(page), []);
});

test('booth: a minor\'s exit held for her authorization, let out once it is registered, says the case closed with the exit (not «con esta admisión»)', async () => {
  const page = await booth('HAC', 'exit', 'Vehículo P-777AAA', 'GTM');
  const k = page.keyboard;
  const zone = td3('A71110001', 'RIVAS<MOLINA<<SOFIA<ISABEL', 'SLV', '150310', 'F', '300101');
  await k.type(zone);
  // asked for her companions: the mother, her identity checked
  await page.waitForSelector('#acompanantes .acompanante');
  await k.type('Ana Lucía Molina de Rivas'); await k.press('Tab');
  await k.type('04567890-1'); await k.press('Tab');
  await k.press('Space'); await k.press('Enter');
  await page.waitForSelector('#veredicto.secondary');
  // the father's authorization, registered by the supervisor
  const sup = await newPage(browser, srv.url);
  await login(sup, 'tu_sup', PW);
  await sup.goto('/#/menores');
  await sup.waitForSelector('#form-menor');
  const today = new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10);
  for (const [id, v] of [['#me-nombres', 'Sofía Isabel'], ['#me-apellidos', 'Rivas Molina'], ['#me-nacimiento', '2015-03-10'], ['#me-pasaporte', 'A71110001'],
    ['#me-partida', 'Partida 1234, libro 5'], ['#me-aut-nombres', 'Carlos Alberto'], ['#me-aut-apellidos', 'Rivas Pérez'], ['#me-referencia', 'Acta 45, Lic. Marta Pineda'],
    ['#me-otorgada', today], ['#me-hasta', `${Number(today.slice(0, 4)) + 1}-01-31`], ['#me-ac-nombres', 'Ana Lucía'], ['#me-ac-apellidos', 'Molina de Rivas'],
    ['#me-ac-doc', '04567890-1'], ['#me-destino', 'GTM'], ['#me-estadia', '15 días']]) await sup.fill(id, v);
  await sup.click('#form-menor button[type=submit]');
  await sup.waitForSelector('#form-menor .aviso.ok');
  await sup.close();
  // read again with the mother
  await k.press('Enter');
  await k.type(zone);
  await page.waitForSelector('#acompanantes .acompanante');
  await k.type('Ana Lucía Molina de Rivas'); await k.press('Tab');
  await k.type('04567890-1'); await k.press('Tab');
  await k.press('Space'); await k.press('Enter');
  await page.waitForSelector('#veredicto.admit');
  assert.match(await page.textContent('#veredicto'), /AUTORIZAR LA SALIDA/);
  const closed = await page.textContent('#cab-caso-cerrado');
  assert.match(closed, /quedó cerrado al autorizar esta salida/, closed);
  assert.doesNotMatch(closed, /admisión/);
  // the two 422 are the booth asking for her companions
  assert.deepEqual(faults(page, /status of 422/), []);
});

test('booth, a bus with its prechequeo list: who is on the list is said, and a passenger missing from it points at the list, not at an APIS manifest', async () => {
  // the bus company's list for La Hachadura, arriving later today
  const bus = await carrierUser(srv, 'tu_tica', 'TICABUS', PW, { kind: 'bus', displayName: 'transportista' });
  const local = (min) => new Date(Date.now() - 6 * 3600e3 + min * 60e3).toISOString().slice(0, 16);
  const arrival = local(120).slice(0, 10) === local(0).slice(0, 10) ? local(120) : `${local(0).slice(0, 10)}T23:59`;
  const T = (surnames, given_names, birth_date, sex, nationality, doc_number) => ({ surnames, given_names, birth_date, sex, nationality, doc_type: 'P', doc_number, doc_issuing_state: nationality, doc_expiry: '2031-01-01' });
  const r = await bus.req('POST', '/api/v1/prechequeo/lists', { port: 'HAC', vehicle: 'P-900 100', company: 'Transportes Tica Bus S.A.', trip: 'GUA-SSA-0600', arrival, direction: 'entry',
    travelers: [T('Ixcoy Tum', 'Rosa Amalia', '1991-11-02', 'F', 'GTM', 'G80010002'), T('López Barrios', 'Marvin', '1987-10-10', 'M', 'GTM', 'G80010003')] });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const list = r.json.manifests[0].id;

  const page = await booth('HAC', 'entry', 'P-900 100', 'GTM');
  await page.keyboard.type(td3('G80010002', 'IXCOY<TUM<<ROSA<AMALIA', 'GTM', '911102', 'F', '310101'));
  await page.waitForSelector('#veredicto.admit');
  assert.match(await page.textContent('#cab-apis'), new RegExp(`Figura en la lista de prechequeo n\\.º ${list}, cotejada con las listas al recibirla`));
  // one who is not on it: the warning names the list as the officer knows it
  await page.keyboard.press('Enter');
  await page.keyboard.type(td3('G80019999', 'TZUL<CHAVAJAY<<PEDRO', 'GTM', '900101', 'M', '310101'));
  await page.waitForSelector('#veredicto.admit');
  assert.equal(await page.locator('#cab-apis').count(), 0);
  const why = await page.textContent('#razones');
  assert.match(why, new RegExp(`Lista de prechequeo n\\.º ${list}`), why);
  assert.doesNotMatch(why, /Manifiesto APIS n\.º/);
  await page.screenshot({ path: `${SHOTS}/e2e-turno-prechequeo.png` });
  assert.deepEqual(faults(page), []);
});

test('carrier fines: confirming or updating a fine down the list says what happened, and what is wrong, in its row and on its field', async () => {
  const ofi = new Client(srv.url);
  await ofi.login('tu_ofi', PW);
  const sup = new Client(srv.url);
  await sup.login('tu_sup', PW);
  // an expired passport off a flight: the inadmission proposes a fine to the airline
  const i = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'AV 630', route_country: 'USA',
    document: { kind: 'passport', number: 'X5550001', issuing_state: 'USA', nationality: 'USA', expiry_date: '2024-01-01' },
    person: { given_names: 'Mark', surnames: 'Evans', birth_date: '1970-01-01', sex: 'M', nationality: 'USA' } });
  assert.equal(i.status, 201, i.text);
  assert.equal(i.json.decision, 'refuse');
  const res = await sup.post(`/api/v1/inspections/${i.json.inspection_id}/resolve`, { resolution: 'refuse', legal_ground: 'Pasaporte vencido', carrier: 'AV', arrival_transport: 'AV 630', return_transport: 'AV 631' });
  assert.equal(res.status, 200, res.text);
  // and enough fines of the month before it that its row is well down the page
  for (let n = 0; n < 6; n++)
    assert.equal((await sup.post('/api/v1/carrier-fines', { carrier: `Transportes ${n} S.A.`, amount: 100 + n, legal_basis: 'LEME', reason: 'Pasajero sin visa', transport: `Bus ${n}`, port: 'HAC' })).status, 201);

  const page = await newPage(browser, srv.url);
  await login(page, 'tu_sup', PW);
  await page.goto('/#/multas');
  await page.waitForSelector('tr.multa.proposed');
  const row = page.locator('tr.multa.proposed').filter({ hasText: 'AV' });
  await row.scrollIntoViewIfNeeded();
  await row.locator('.importe-resolucion').fill('-5');
  await row.locator('.confirmar').click();
  await row.locator('.mu-msg .aviso.error').waitFor();
  const err = await row.locator('.mu-msg .aviso.error').textContent();
  assert.match(err, /^Importe de la resolución: /, err);
  assert.doesNotMatch(err, /«amount»/);
  assert.match(await row.locator('.importe-resolucion').getAttribute('class'), /invalido/);
  assert.equal(await page.evaluate(() => document.activeElement.className), 'importe-resolucion invalido');
  assert.equal(await page.locator('main > div > .aviso').count(), 0, 'nothing said at the top, out of sight');

  await row.locator('.importe-resolucion').fill('1000');
  await row.locator('.nota-multa').fill('Resolución DCM-SAL-0100-2026');
  await row.locator('.confirmar').click();
  const id = await row.getAttribute('data-multa').catch(() => null);
  const done = page.locator('tr.multa.pending').filter({ hasText: 'DCM-SAL-0100-2026' });
  await done.locator('.mu-hecho .aviso.ok').waitFor();
  assert.match(await done.locator('.mu-hecho').textContent(), /confirmada, pendiente de cobro/);
  const box = await done.locator('.mu-hecho').boundingBox();
  assert.ok(box && box.y >= 0 && box.y < 768, `said where the supervisor is looking (y=${box && box.y}, fine ${id})`);
  // its collection, with the receipt
  await done.locator('.estado-nuevo').selectOption('paid');
  await done.locator('.nota-multa').fill('Recibo 000123');
  await done.locator('button').click();
  const paid = page.locator('tr.multa.paid').filter({ hasText: 'Pasaporte vencido' });
  await paid.locator('.mu-hecho .aviso.ok').waitFor();
  assert.match(await paid.locator('.mu-hecho').textContent(), /pagada \(Recibo 000123\)/);
  await page.screenshot({ path: `${SHOTS}/e2e-turno-multas.png` });
  assert.deepEqual(faults(page, /status of 400/ /* the resolution's amount of -5 */), []);
});

test('LEPINA registry: the authorization just registered is shown under «Consultar», and every result says who authorized it', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'tu_sup', PW);
  await page.goto('/#/menores');
  await page.waitForSelector('#form-menor');
  const today = new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10);
  // a minor registered without a passport yet (found by surnames and birth)
  for (const [id, v] of [['#me-nombres', 'Mateo'], ['#me-apellidos', 'Portillo Ayala'], ['#me-nacimiento', '2013-06-01'],
    ['#me-partida', 'Partida 77, libro 2'], ['#me-aut-nombres', 'Gloria Estela'], ['#me-aut-apellidos', 'Ayala Ruiz'], ['#me-referencia', 'PGR-SS-2026-114'],
    ['#me-otorgada', today], ['#me-hasta', `${Number(today.slice(0, 4)) + 1}-01-31`], ['#me-ac-nombres', 'René'], ['#me-ac-apellidos', 'Portillo Mejía'],
    ['#me-ac-doc', '02345678-9'], ['#me-destino', 'USA, Houston'], ['#me-estadia', '30 días']]) await page.fill(id, v);
  await page.selectOption('#me-relacion', 'mother');
  await page.selectOption('#me-instrumento', 'pgr');
  await page.click('#form-menor button[type=submit]');
  await page.waitForSelector('#form-menor .aviso.ok');
  const row = page.locator('main .tabla-wrap tbody tr').first();
  await row.waitFor();
  const text = await row.textContent();
  assert.match(text, /Mateo Portillo Ayala/);
  assert.match(text, /Vigente hoy/);
  assert.match(await row.locator('.me-autoriza').textContent(), /^Gloria Estela Ayala Ruiz \(madre\)$/);
  assert.equal(await page.inputValue('#me-buscar-apellidos'), 'Portillo Ayala', 'the search that finds it');
  // found again by the minor's surnames and birth date, with who authorized it
  await page.click('main form:not(#form-menor) button[type=submit]');
  await page.waitForSelector('main .tabla-wrap tbody tr .me-autoriza');
  assert.match(await page.locator('main .tabla-wrap tbody tr .me-autoriza').first().textContent(), /Gloria Estela Ayala Ruiz \(madre\)/);
  await page.screenshot({ path: `${SHOTS}/e2e-turno-lepina.png`, fullPage: true });
  assert.deepEqual(faults(page), []);
});

test('movements of the day: the list of one day gives each crossing its time, not the day again in every row', async () => {
  const ofi = new Client(srv.url);
  await ofi.login('tu_ofi', PW);
  const i = await ofi.post('/api/v1/inspections', { port: 'AMA', direction: 'entry', transport: 'Bus King Quality 210', route_country: 'HND',
    document: { kind: 'id_card', number: '0801199012345', issuing_state: 'HND', nationality: 'HND', expiry_date: '2030-01-01' },
    person: { given_names: 'María José', surnames: 'Zúniga Ordóñez', birth_date: '1990-07-14', sex: 'F', nationality: 'HND' } });
  assert.equal(i.json.decision, 'admit', i.text);
  const page = await newPage(browser, srv.url, { viewport: { width: 1024, height: 768 } });
  await login(page, 'tu_sup', PW);
  await page.goto('/#/movimientos');
  await page.waitForSelector('#mv-lista tbody tr[data-id]');
  const times = await page.$$eval('#mv-lista tbody tr[data-id] td:first-child', (t) => t.map((x) => x.textContent));
  assert.ok(times.length > 0);
  for (const t of times) assert.match(t, /^\d{1,2}:\d{2}\s[ap]\.\s?m\.$/, t);
  // one line: the time does not wrap at 1024 px
  const h = await page.$eval('#mv-lista tbody tr[data-id] td:first-child', (td) => td.getBoundingClientRect().height);
  const line = await page.$eval('#mv-lista tbody tr[data-id] td:nth-child(2)', (td) => td.getBoundingClientRect().height);
  assert.ok(h <= line, `${h} > ${line}`);
  await page.screenshot({ path: `${SHOTS}/e2e-turno-movimientos-1024.png` });
  assert.deepEqual(faults(page), []);
});

test('keyboard: Intro in a secondary case\'s fields resolves it, and in a voiding\'s reason sends it', async () => {
  const ofi = new Client(srv.url);
  await ofi.login('tu_ofi', PW);
  // a traveler under a re-entry ban at El Amatillo, refused at the booth
  const sup = new Client(srv.url);
  await sup.login('tu_sup', PW);
  const al = await sup.post('/api/v1/alerts', { category: 'reentry_ban', subject: { given_names: 'Wilmer Josué', surnames: 'Zelaya Matamoros', birth_date: '1991-07-30', sex: 'M', nationality: 'HND', document_number: 'F1234567' },
    instructions: 'No admitir', reentry_ban_until: '2099-01-01' });
  assert.equal(al.status, 201, al.text);
  const i = await ofi.post('/api/v1/inspections', { port: 'AMA', direction: 'entry', transport: 'Bus King Quality 210', route_country: 'HND',
    document: { kind: 'passport', number: 'F1234567', issuing_state: 'HND', nationality: 'HND', expiry_date: '2030-01-01' },
    person: { given_names: 'Wilmer Josué', surnames: 'Zelaya Matamoros', birth_date: '1991-07-30', sex: 'M', nationality: 'HND' } });
  assert.equal(i.json.decision, 'refuse', i.text);
  const page = await newPage(browser, srv.url);
  await login(page, 'tu_sup', PW);
  await page.goto('/#/secundaria');
  const row = page.locator(`#sec-cola tr[data-id="${i.json.inspection_id}"]`);
  await row.waitFor();
  await row.locator('.res-tipo').selectOption('refuse');
  await row.locator('.res-tipo').focus();
  const k = page.keyboard;
  await k.press('Tab'); await k.type('Art. 29 LEME: prohibición de reingreso vigente');
  await k.press('Tab'); await k.type('King Quality');
  await k.press('Tab'); await k.type('Bus King Quality 211, hoy 14:00');
  await k.press('Enter');
  await page.waitForSelector(`#sec-resueltos tr[data-id="${i.json.inspection_id}"]`);
  assert.match(await page.textContent('main'), new RegExp(`Inspección n\\.º ${i.json.inspection_id} \\(Wilmer Josué Zelaya Matamoros\\) resuelta: acta de inadmisión n\\.º \\d+`));

  // a movement recorded by mistake: the officer asks for its voiding, Intro sends it
  const m = await ofi.post('/api/v1/inspections', { port: 'AMA', direction: 'entry', transport: 'A pie', route_country: 'HND',
    document: { kind: 'id_card', number: '0801198800011', issuing_state: 'HND', nationality: 'HND', expiry_date: '2030-01-01' },
    person: { given_names: 'Dunia', surnames: 'Cruz Ordóñez', birth_date: '1988-06-06', sex: 'F', nationality: 'HND' } });
  assert.equal(m.json.decision, 'admit', m.text);
  const op = await newPage(browser, srv.url);
  await login(op, 'tu_ofi', PW);
  await op.goto('/#/movimientos');
  const mv = op.locator(`#mv-lista tbody tr[data-id="${m.json.movement_id}"]`);
  await mv.locator('.mv-pedir').click();
  await op.keyboard.type('Registrada como entrada por error: salía');
  await op.keyboard.press('Enter');
  await op.waitForSelector(`#mv-lista tbody tr[data-id="${m.json.movement_id}"] >> text=Anulación solicitada`);
  assert.deepEqual(faults(page), []);
  assert.deepEqual(faults(op), []);
});

test('booth at 1024 px: a whole MRZ line shows in the box, nothing scrolled out of sight', async () => {
  const page = await newPage(browser, srv.url, { viewport: { width: 1024, height: 768 } });
  await login(page, 'tu_ofi', PW);
  await page.goto('/#/cabina');
  await page.waitForSelector('#cab-mrz');
  await page.fill('#cab-mrz', td3('L898902C3', 'ERIKSSON<<ANNA<MARIA', 'SWE', '740812', 'F', '340415'));
  const [client, scroll] = await page.$eval('#cab-mrz', (e) => [e.clientWidth, e.scrollWidth]);
  assert.ok(scroll <= client, `line ${scroll} px in a box of ${client} px`);
  await page.screenshot({ path: `${SHOTS}/cabina-1024.png` });
});

test('a person with a long history: the latest 200 events, and «Ver anteriores» adds the earlier ones above', async () => {
  const api = new Client(srv.url);
  assert.equal((await api.login('tu_ofi', PW)).status, 200);
  const r = await api.post('/api/v1/inspections', { port: 'AMA', direction: 'entry', transport: 'C 123-456', route_country: 'HND',
    document: { kind: 'passport', code: 'P', number: 'HN7000777', issuing_state: 'HND', nationality: 'HND', expiry_date: '2031-01-01' },
    person: { given_names: 'Camionero', surnames: 'Diario Lobo', birth_date: '1975-05-05', sex: 'M', nationality: 'HND' } });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  // 260 crossings of the years before, written behind the server's back
  const q = srv.sql(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 260)
    INSERT INTO movements (person_id, document_id, direction, port, at, day, officer, decision, created_at)
    SELECT ${r.json.person_id}, ${r.json.document_id}, CASE WHEN i % 2 = 0 THEN 'entry' ELSE 'exit' END, 'AMA',
      strftime('%Y-%m-%dT%H:%M:%fZ', '2024-01-01', '+' || i || ' days'), date('2024-01-01', '+' || i || ' days'), 'tu_ofi', 'admit',
      strftime('%Y-%m-%dT%H:%M:%fZ', '2024-01-01', '+' || i || ' days') FROM n;`);
  assert.equal(q.status, 0, q.stderr);
  const page = await newPage(browser, srv.url);
  await login(page, 'tu_ofi', PW);
  await page.goto(`/#/personas?id=${r.json.person_id}`);
  await page.waitForSelector('#pe-anteriores');
  // the rows of the table after «Historial» (the documents' is before it)
  const count = (over) => {
    const h3 = [...document.querySelectorAll('.panel h3')].find((x) => x.textContent === 'Historial');
    const all = [...document.querySelectorAll('.panel table')];
    const t = all.find((x) => h3.compareDocumentPosition(x) & Node.DOCUMENT_POSITION_FOLLOWING);
    const n = t.querySelectorAll('tbody tr').length;
    return over === undefined ? n : n > over;
  };
  const rows = () => page.evaluate(count);
  assert.equal(await rows(), 200);
  await page.click('#pe-anteriores');
  await page.waitForFunction(count, 200);
  // every event now: 261 crossings, the inspection and the document
  assert.equal(await rows(), 263);
  assert.equal(await page.$('#pe-anteriores'), null, 'nothing earlier');
  assert.deepEqual(faults(page), []);
});

test('booth: a DUI typed after an answer that asked for a visa is the next traveler\'s: Intro sends nobody', async () => {
  const page = await booth('SAL', 'entry', 'AV 611', 'GTM');
  const k = page.keyboard;
  await k.type(td3('BO5550077', 'MAMANI<<EVO', 'BOL', '800505', 'M', '320101'));
  await page.waitForSelector('#veredicto.secondary');
  let sent = 0;
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/inspections')) sent++; });
  // the next traveler, a Salvadoran, shows her DUI first
  await page.click('details.dui-doble:not(#cab-extranjero) summary');
  await page.focus('#cab-dui');
  await k.type('00016297-5');
  await k.press('Enter');
  await page.waitForTimeout(300);
  assert.equal(sent, 0, 'the Bolivian on screen was sent again as a Salvadoran, and admitted');
  assert.equal(await focused(page), 'cab-mrz');
  assert.ok(await page.$('#veredicto.secondary'), 'the answer on screen stands');
});

test('booth: a resident let out with a warning (carnet run out) was asked for nothing: a visa typed next and Intro send nobody', async () => {
  const mrz = td3('PE4400777', 'QUISPE<<ROSA', 'PER', '820303', 'F', '320101');
  const api = new Client(srv.url);
  assert.equal((await api.login('tu_ofi', PW)).status, 200);
  const inn = await api.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 390', mrz,
    residence: { carnet_number: 'RT-4400', valid_until: '2030-01-01' } });
  assert.equal(inn.json.decision, 'admit', JSON.stringify(inn.json));
  const page = await booth('SAL', 'exit', 'TA 391', 'PER');
  const k = page.keyboard;
  const ago = new Date(Date.now() - 40 * 86400e3).toISOString().slice(0, 10);
  await page.click('#cab-extranjero summary');
  await page.fill('#cab-carne', 'RT-4400');
  await page.fill('#cab-carne-vence', ago);
  await page.focus('#cab-mrz');
  await k.type(mrz);
  await page.waitForSelector('#veredicto.admit');
  assert.match(await page.textContent('#razones'), /renovación tardía/);
  // the carnet named as such, not a bare number
  assert.match(await page.textContent('#razones'), /Carné de residente n\.º RT-4400/);
  let sent = 0;
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/inspections')) sent++; });
  await page.focus('#cab-visa-numero');
  await k.type('SV-9'); await k.press('Enter');
  await page.waitForTimeout(300);
  assert.equal(sent, 0, 'the resident who just left was inspected again');
  assert.equal(await focused(page), 'cab-mrz');
});
