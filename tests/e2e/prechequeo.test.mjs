// The APIS desk at a land post: the buses of the day with their prechequeo
// lists, a list's hits and travelers, a flight that arrived without a
// manifest, the carriers' compliance evaluated and reported, and a proposed
// fine confirmed by the supervisor with the resolution's amount.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD, carrierUser } from '../lib/server.mjs';
import { launch, newPage, login, SHOTS, faults } from '../lib/browser.mjs';

let srv, browser, mid, late;
const PW = 'Turno-Seguro-2026';
const localAt = (minutes) => new Date(Date.now() - 6 * 3600000 + minutes * 60000).toISOString().slice(0, 16);
const today = () => localAt(0).slice(0, 10);
const laterToday = () => { const t = localAt(120); return t.slice(0, 10) === today() ? t : `${today()}T23:59`; };
const T = (surnames, given_names, birth_date, sex, nationality, doc_number) => ({ surnames, given_names, birth_date, sex, nationality, doc_type: 'P', doc_number, doc_issuing_state: nationality, doc_expiry: '2031-01-01' });

before(async () => {
  srv = await startServer();
  browser = await launch();
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  for (const [u, role] of [['pq_sup1', 'supervisor_control'], ['pq_ofi1', 'oficial_control']])
    assert.equal((await admin.post('/api/v1/users', { username: u, display_name: u === 'pq_sup1' ? 'Marta Supervisora' : u, unit: 'DCM', roles: [role], password: PW })).status, 201);
  const bus = await carrierUser(srv, 'pq_tica1', 'TICABUS', PW, { kind: 'bus', displayName: 'pq_tica1' });
  const sup = new Client(srv.url);
  await sup.login('pq_sup1', PW);
  const ofi = new Client(srv.url);
  await ofi.login('pq_ofi1', PW);
  assert.equal((await sup.post('/api/v1/alerts', { category: 'arrest_warrant', subject: { given_names: 'Rigoberto', surnames: 'Xicará', birth_date: '1977-03-09', sex: 'M' }, instructions: 'Retener', valid_until: '2099-01-01' })).status, 201);
  // Late in the evening the arrival (today, for the booth to link it) is
  // within a bus list's lead time (data/border/fines.json: 60 min), and
  // the list is rightly a late one: one finding and one proposal more,
  // made when the list arrives (not by the evaluation).
  const arrival = laterToday();
  late = Date.parse(`${arrival}:00Z`) - (Date.now() - 6 * 3600000) < 60 * 60000 ? 1 : 0;
  const r = await bus.req('POST', '/api/v1/prechequeo/lists', {
    port: 'HAC', vehicle: 'P-123 456', company: 'Transportes Tica Bus S.A.', trip: 'GUA-SAL-0800', arrival, direction: 'entry',
    travelers: [T('Pérez Gómez', 'Ana María', '1985-06-14', 'F', 'SLV', 'A1000001'), T('Xicará', 'Rigoberto', '1977-03-09', 'M', 'GTM', 'G5550001'),
      T('Wang', 'Li', '1988-02-02', 'F', 'CHN', 'E9876543'), T('Mejía', 'Luis', '1990-02-02', 'M', 'HND', 'H0000123')],
  });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  mid = r.json.manifests[0].id;
  const insp = (port, transport, p) => ofi.post('/api/v1/inspections', {
    port, direction: 'entry', transport,
    document: { kind: 'passport', code: 'P', number: p.doc_number, issuing_state: p.nationality, nationality: p.nationality, expiry_date: '2031-05-01' },
    person: { given_names: p.given_names, surnames: p.surnames, birth_date: p.birth_date, sex: p.sex, nationality: p.nationality },
  });
  // Ana arrives on the bus; a traveler not on its list too; a flight with no manifest
  for (const [port, tr, p] of [['HAC', 'P123456', T('Pérez Gómez', 'Ana María', '1985-06-14', 'F', 'SLV', 'A1000001')],
    ['HAC', 'P-123 456', T('Ajeno', 'Tomás', '1970-07-07', 'M', 'GTM', 'G9990001')],
    ['SAL', 'ZZ 999', T('Otro', 'Juan', '1971-07-07', 'M', 'USA', 'U9990002')],
    // the same bus at Las Chinamas, where Tica sent no list
    ['CHI', 'P-123 456', T('Ramos', 'Elsa', '1979-09-09', 'F', 'GTM', 'G9990003')]]) {
    const x = await insp(port, tr, p);
    assert.equal(x.status, 201, JSON.stringify(x.json));
  }
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('APIS desk at a land post: buses with their lists, hits and travelers; compliance evaluated; a proposed fine confirmed', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'pq_sup1', PW);
  await page.goto('/#/apis');
  await page.selectOption('#apis-puesto', 'HAC');
  await page.waitForSelector('#apis-listas tr[data-lista]');
  const row = page.locator(`#apis-listas tr[data-lista="${mid}"]`);
  const text = await row.textContent();
  assert.match(text, /P-123 456/);
  assert.match(text, /Transportes Tica Bus/);
  assert.match(text, /Entrada/);
  assert.match(text, /Arribado/);
  // of the 4 on the list, 1 inspected; the other inspected was not on it
  assert.match(text, /4 \(1 inspeccionado; 1 más sin figurar en ella\)/);

  await row.locator('.ver-lista').click();
  await page.waitForSelector('tr.coincidencia');
  assert.match(await page.textContent('#apis-detalle h2'), /Autobús P-123 456/);
  // the day and the expected arrival as the screens write them, not as the API does
  const head = await page.textContent('#apis-detalle');
  assert.doesNotMatch(head, /\d{4}-\d{2}-\d{2}/, head);
  const first = page.locator('tr.coincidencia').first();
  assert.match(await first.textContent(), /Crítica/);
  assert.match(await first.textContent(), /XICARA|Xicará/);
  assert.equal(await page.locator('#apis-viajeros tbody tr').count(), 4);
  assert.match(await page.textContent('#apis-conciliacion'), /De la lista: 1 inspeccionado, 3 no presentados; 1 inspeccionado sin figurar en ella/);
  await first.locator('.nota-revision').fill('Orden de captura: a segunda línea');
  await first.locator('button.segunda').click();
  await page.waitForSelector('tr.coincidencia >> text=A segunda línea');

  // the supervisor evaluates the day: the flight that came without a
  // manifest appears among the flights, the report counts the findings
  await page.click('#apis-evaluar');
  await page.waitForSelector('#apis-panel-cumplimiento .aviso.ok');
  assert.match(await page.textContent('#apis-panel-cumplimiento .aviso.ok'), /3 multa\(s\) propuesta\(s\)/); // a late list is proposed on arrival
  await page.waitForSelector('#apis-vuelos tr.sin-manifiesto');
  assert.match(await page.locator('#apis-vuelos tr.sin-manifiesto', { hasText: 'ZZ 999' }).textContent(), /Sin manifiesto/);
  // the bus that came to Las Chinamas without a list is not a flight...
  assert.equal(await page.locator('#apis-vuelos tr', { hasText: 'P-123 456' }).count(), 0);
  const tica = page.locator('#apis-cumplimiento tr[data-transportista="TICABUS"]');
  await tica.waitFor();
  const cells = await tica.locator('td').allTextContents();
  assert.deepEqual(cells.slice(0, 6), ['TICABUS', '1', String(late), '1', '1', '0']);
  assert.match(cells[6], new RegExp(`${2 + late} por confirmar`));
  assert.match(cells[7], /Confirmado 0\.00/);
  assert.match(await page.getAttribute('#apis-csv', 'href'), /format=csv/);
  await page.screenshot({ path: `${SHOTS}/e2e-prechequeo.png`, fullPage: true });
  // ...it is Las Chinamas' bus without a list, Tica's, already proposed
  await page.selectOption('#apis-puesto', 'CHI');
  const sin = page.locator('#apis-listas tr.sin-lista', { hasText: 'P-123 456' });
  await sin.waitFor();
  assert.match(await sin.textContent(), /Autobús.*TICABUS.*Entrada.*1 inspeccionado(?!s).*Sin lista.*Multa propuesta/s);
  await page.locator('#apis-listas').screenshot({ path: `${SHOTS}/e2e-prechequeo-sin-lista.png` });

  // the proposals wait in the fines register; one confirmed with the
  // resolution's amount
  await page.goto('/#/multas');
  await page.waitForSelector('tr.multa.proposed');
  assert.equal(await page.locator('tr.multa.proposed').count(), 3 + late);
  const p = page.locator('tr.multa.proposed', { hasText: 'Manifiesto inexacto' });
  assert.match(await p.textContent(), /TICABUS/);
  assert.match(await p.textContent(), /Según resolución/);
  assert.match(await p.textContent(), /manifiesto \d+ · inspección \d+/);
  // the bus without a list at Las Chinamas: Tica's, by the list that named it
  const nolist = page.locator('tr.multa.proposed', { hasText: 'P-123 456 en CHI' });
  assert.match(await nolist.textContent(), /TICABUS/);
  assert.match(await nolist.textContent(), new RegExp(`empresa según su lista ${mid} `));
  await page.screenshot({ path: `${SHOTS}/e2e-multas-propuestas.png`, fullPage: true });
  await p.locator('.importe-resolucion').fill('500');
  await p.locator('.nota-multa').fill('Resolución DGME 12/2026');
  await p.locator('button.confirmar').click();
  await page.waitForSelector('tr.multa.pending');
  assert.match(await page.textContent('tr.multa.pending'), /US\$ 500\.00/);
  // said, and the resolution kept on the row
  assert.match(await page.textContent('main .aviso.ok'), /Multa n\.º \d+ a .+: confirmada, pendiente de cobro/);
  assert.match(await page.textContent('tr.multa.pending'), /Resolución DGME 12\/2026/);
  assert.equal(await page.locator('tr.multa.proposed').count(), 2 + late);
  // a fine registered by hand: a missing amount is said by the form's name for it, and marked
  await page.fill('#mu-n-empresa', 'Transportes del Golfo');
  await page.fill('#mu-n-base', 'LEME art. 308');
  await page.fill('#mu-n-motivo', 'Pasajero sin visa');
  await page.click('#mu-n-importe ~ button, form:has(#mu-n-importe) button[type=submit]');
  await page.waitForSelector('form:has(#mu-n-importe) .aviso.error');
  assert.match(await page.textContent('form:has(#mu-n-importe) .aviso.error'), /^Importe: /);
  assert.equal(await page.$eval('#mu-n-importe', (e) => e.classList.contains('invalido')), true);
  await page.fill('#mu-n-importe', '1500');
  await page.click('form:has(#mu-n-importe) button[type=submit]');
  await page.waitForSelector('form:has(#mu-n-importe) .aviso.ok');
  assert.match(await page.textContent('form:has(#mu-n-importe) .aviso.ok'), /Multa n\.º \d+ registrada: Transportes del Golfo, US\$ 1,500\.00\./);
  // collected: found by part of the name, whatever its month; paid with its receipt
  await page.fill('#mu-mes', '');
  await page.fill('#mu-transportista', 'golfo');
  await page.selectOption('#mu-estado', 'pending');
  await page.click('form:has(#mu-estado) button[type=submit]');
  const golfo = page.locator('tr.multa.pending', { hasText: 'Transportes del Golfo' });
  // the filtered list, not the whole one still on screen
  await page.waitForFunction(() => document.querySelectorAll('tr.multa').length === 1 && !document.querySelector('#mu-resultado[aria-busy]'));
  await golfo.waitFor();
  // the state it is in is not offered again: the next one first
  assert.equal(await golfo.locator('.estado-nuevo').inputValue(), 'notified');
  await golfo.locator('.estado-nuevo').selectOption('paid');
  await golfo.locator('.nota-multa').fill('Recibo DGME-2026-000777');
  await golfo.locator('button:has-text("Actualizar")').click();
  await page.waitForSelector('main .aviso.ok:has-text("pagada")');
  assert.equal(await page.locator('main .aviso.ok').count(), 1, 'one notice: the last');
  await page.selectOption('#mu-estado', 'paid');
  await page.click('form:has(#mu-estado) button[type=submit]');
  await page.waitForSelector('tr.multa.paid:has-text("Recibo DGME-2026-000777")');
  assert.deepEqual(faults(page, /status of 400/ /* the fine's Importe refused */), []);
});

// A list's crew (a bus's driver, a ship's crew going ashore) are its
// travelers too: the desk says how many of each, and which of them are crew,
// as the hits say «tripulante».  Last: its list is not one of the day's
// findings the test above counts.
test('APIS desk: a list\'s crew are counted apart and marked among its travelers', async () => {
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const bus = new Client(srv.url);
  bus.token = srv.cli('token', 'create', '--user', 'pq_tica1').stdout.trim();
  const r = await bus.req('POST', '/api/v1/prechequeo/lists', {
    port: 'AMA', vehicle: 'P-777 888', company: 'Transportes Tica Bus S.A.', trip: 'TGU-SAL-0600', arrival: laterToday(), direction: 'entry',
    travelers: [T('Zelaya', 'Marco', '1981-01-01', 'M', 'HND', 'H7770001'), { ...T('Ramírez', 'José', '1970-01-01', 'M', 'GTM', 'G7770009'), role: 'crew' },
      T('Ortiz', 'Lucía', '1995-05-05', 'F', 'HND', 'H7770002')],
  });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const id = r.json.manifests[0].id;
  const page = await newPage(browser, srv.url);
  await login(page, 'pq_sup1', PW);
  await page.goto('/#/apis');
  await page.selectOption('#apis-puesto', 'AMA');
  const row = page.locator(`#apis-listas tr[data-lista="${id}"]`);
  await row.waitFor();
  assert.match(await row.textContent(), /P-777 888.*2 \+ 1 tripulante(?!s)/s);
  await row.locator('.ver-lista').click();
  await page.waitForFunction(() => /Autobús P-777 888/.test(document.querySelector('#apis-detalle h2')?.textContent || '') && document.querySelector('#apis-viajeros'));
  assert.equal(await page.textContent('#apis-viajeros h2'), 'Viajeros de la lista (2 pasajeros y 1 tripulante)');
  const rows = await page.locator('#apis-viajeros tbody tr').allTextContents();
  assert.equal(rows.length, 3);
  assert.deepEqual(rows.map((t) => /tripulante/.test(t)), [false, true, false], rows.join('\n'));
  // not ashore yet: the driver is among the crew aboard, said to be crew,
  // not among the no-shows
  const noShow = page.locator('#apis-a-bordo tr', { hasText: 'Ramírez' });
  assert.match(await noShow.textContent(), /José Ramírez tripulante/);
  assert.equal(await page.locator('#apis-no-presentados tr', { hasText: 'Ramírez' }).count(), 0);
  await page.locator('#apis-viajeros').screenshot({ path: `${SHOTS}/e2e-prechequeo-tripulantes.png` });
  assert.deepEqual(faults(page), []);
});

// Compliance proposes to the carrier's code (TICABUS); a supervisor types
// the company's name.  The summary of the month had a row for each, one
// company split in two; the row of a proposal said the code alone.
test('carriers\' fines: the summary has one row per carrier, a fine typed by hand under its company\'s name counted in the code\'s', async () => {
  const sup = new Client(srv.url);
  await sup.login('pq_sup1', PW);
  // a passenger refused off a bus that sent no list, its company named as
  // its lists name it: proposed under that name (no list tells the code),
  // which is no code of its own in the summary
  const ofi = new Client(srv.url);
  await ofi.login('pq_ofi1', PW);
  const x = await ofi.post('/api/v1/inspections', { port: 'SCR', direction: 'entry', transport: 'P-000 111', route_country: 'GTM',
    document: { kind: 'passport', code: 'P', number: 'P7712223', issuing_state: 'GBR', nationality: 'GBR', expiry_date: '2025-01-01' },
    person: { given_names: 'Jane', surnames: 'Doe', birth_date: '1980-01-01', nationality: 'GBR', sex: 'F' } });
  assert.equal(x.json.decision, 'refuse', JSON.stringify(x.json));
  assert.equal((await sup.post(`/api/v1/inspections/${x.json.inspection_id}/resolve`, { resolution: 'refuse', legal_ground: 'LEME: pasaporte vencido',
    carrier: 'Transportes Tica Bus S.A.', return_transport: 'P-000 111, hoy 18:00', arrival_transport: 'P-000 111' })).status, 200);
  const hand = await sup.post('/api/v1/carrier-fines', { carrier: 'transportes tica bus s.a.', amount: 100, legal_basis: 'LEME', reason: 'Lista de tripulantes incompleta', port: 'HAC' });
  assert.equal(hand.status, 201, JSON.stringify(hand.json));
  const all = (await sup.get('/api/v1/carrier-fines?limit=1000')).json.items;
  const tica = all.filter((f) => (f.carrier === 'TICABUS' || f.id === hand.json.id) && !['proposed', 'cancelled'].includes(f.status));
  assert.ok(tica.length >= 2, JSON.stringify(all));
  const total = tica.reduce((a, f) => a + (f.amount_cents || 0), 0);
  const page = await newPage(browser, srv.url);
  await login(page, 'pq_sup1', PW);
  await page.goto('/#/multas');
  await page.waitForFunction((id) => document.querySelector(`tr.multa[data-multa="${id}"]`) && !document.querySelector('#mu-resultado[aria-busy]'), hand.json.id);
  const summary = await page.locator('#mu-resultado table').first().locator('tbody tr').allTextContents();
  const rows = summary.filter((t) => /tica ?bus/i.test(t));
  assert.equal(rows.length, 1, summary.join('\n'));
  assert.equal(rows[0], `TICABUS · Transportes Tica Bus S.A.US$ ${(total / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`);
  // a proposal's row says the company with the code (the bus without a
  // list at Las Chinamas: by the list that named it), and so does the one
  // confirmed above
  assert.match(await page.locator('tr.multa.proposed', { hasText: 'P-123 456 en CHI' }).textContent(), /^[^·]*TICABUS · Transportes Tica Bus S\.A\.Frontera/);
  assert.match(await page.locator('tr.multa.pending', { hasText: 'Manifiesto inexacto' }).textContent(), /TICABUS · Transportes Tica Bus S\.A\./);
  // the form offers the carriers by code as «Transportista» is typed
  assert.deepEqual(await page.$$eval('#mu-transportistas option', (o) => o.map((x) => [x.value, x.label])).then((o) => o.filter(([v]) => v === 'TICABUS')),
    [['TICABUS', 'TICABUS · Transportes Tica Bus S.A.']]);
  assert.equal(await page.getAttribute('#mu-n-empresa', 'list'), 'mu-transportistas');
  await page.screenshot({ path: `${SHOTS}/e2e-multas-resumen-codigo.png`, fullPage: true });
  assert.deepEqual(faults(page), []);
});

// Found at Acajutla: a cruise ship's crew mostly stay aboard, and the
// reconciliation listed each of them among the «no presentados», burying
// the passengers who did not present themselves under the crew's rows.  The
// desk says the passengers' no-shows first, the crew aboard folded after.
test('APIS desk: a ship\'s reconciliation says the passengers who did not present themselves apart from the crew aboard', async () => {
  const ship = await carrierUser(srv, 'pq_msc1', 'MSC', PW, { kind: 'cruise', displayName: 'pq_msc1' });
  const crew = (...a) => ({ ...T(...a), role: 'crew' });
  const ANNE = T('Miller', 'Anne', '1961-01-01', 'F', 'USA', 'US6660001');
  const PAUL = T('Davis', 'Paul', '1962-02-02', 'M', 'USA', 'US6660002');
  const MARA = crew('Reyes', 'Mara', '1985-05-05', 'F', 'PHL', 'P6660005');
  const r = await ship.req('POST', '/api/v1/prechequeo/lists', {
    port: 'ACA', vehicle: 'MSC Seaview', company: 'MSC Cruceros', trip: 'MSC-ACA-1', arrival: laterToday(), direction: 'entry',
    travelers: [crew('Santos', 'Joel', '1984-04-04', 'M', 'PHL', 'P6660004'), ANNE, MARA, PAUL,
      crew('Kowalski', 'Jan', '1986-06-06', 'M', 'POL', 'PL6660006'), crew('Tan', 'Wei', '1987-07-07', 'M', 'SGP', 'S6660007')],
  });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const id = r.json.manifests[0].id;
  // ashore: Paul, a passenger, and Mara, of the crew
  const ofi = new Client(srv.url);
  await ofi.login('pq_ofi1', PW);
  for (const p of [PAUL, MARA]) {
    const x = await ofi.post('/api/v1/inspections', { port: 'ACA', direction: 'entry', transport: 'MSC Seaview',
      document: { kind: 'passport', code: 'P', number: p.doc_number, issuing_state: p.nationality, nationality: p.nationality, expiry_date: '2031-05-01' },
      person: { given_names: p.given_names, surnames: p.surnames, birth_date: p.birth_date, sex: p.sex, nationality: p.nationality } });
    assert.equal(x.status, 201, JSON.stringify(x.json));
  }
  const page = await newPage(browser, srv.url);
  await login(page, 'pq_sup1', PW);
  await page.goto('/#/apis');
  await page.selectOption('#apis-puesto', 'ACA');
  const row = page.locator(`#apis-listas tr[data-lista="${id}"]`);
  await row.waitFor();
  await row.locator('.ver-lista').click();
  await page.waitForFunction(() => /Buque MSC Seaview/.test(document.querySelector('#apis-detalle h2')?.textContent || '') && document.querySelector('#apis-viajeros'));
  const rec = page.locator('#apis-conciliacion');
  // the count of no-shows is the passengers'; the crew aboard said apart;
  // of those inspected, how many were passengers and how many crew ashore
  assert.match(await rec.locator('p.sub').textContent(), /^De la lista: 2 inspeccionados \(1 pasajero, 1 tripulante\), 1 no presentado, 3 tripulantes a bordo; 0 inspeccionados sin figurar en ella\.$/);
  // the no-shows: Anne alone, no crew among them
  const noShows = await rec.locator('#apis-no-presentados tbody tr').allTextContents();
  assert.equal(noShows.length, 1, noShows.join('\n'));
  assert.match(noShows[0], /Anne Miller/);
  assert.doesNotMatch(noShows[0], /tripulante/);
  // the crew aboard after them, folded: «3 tripulantes a bordo»
  const aboard = rec.locator('details#apis-a-bordo');
  assert.match(await aboard.locator('summary').textContent(), /^3 tripulantes a bordo/);
  assert.equal(await aboard.evaluate((d) => d.open), false);
  assert.ok(await page.evaluate(() => !!(document.querySelector('#apis-no-presentados').compareDocumentPosition(document.querySelector('#apis-a-bordo')) & Node.DOCUMENT_POSITION_FOLLOWING)));
  assert.equal(await aboard.locator('tbody tr').first().isVisible(), false);
  await rec.screenshot({ path: `${SHOTS}/e2e-prechequeo-a-bordo.png` });
  await aboard.locator('summary').click();
  const crewRows = aboard.locator('tbody tr');
  await crewRows.first().waitFor({ state: 'visible' });
  assert.deepEqual((await crewRows.allTextContents()).map((t) => t.match(/^\d+/)[0]), ['1', '5', '6']);
  assert.ok((await crewRows.allTextContents()).every((t) => /tripulante/.test(t)));
  await rec.screenshot({ path: `${SHOTS}/e2e-prechequeo-a-bordo-abierto.png` });
  assert.deepEqual(faults(page), []);
});
