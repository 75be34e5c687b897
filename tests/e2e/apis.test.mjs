// The APIS desk: today's flights with the stage of their manifest, the hit
// list of a screened manifest with explanations, a review sent to the booth,
// and the reconciliation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD, carrierUser, staffUser } from '../lib/server.mjs';
import { launch, newPage, login, SHOTS, faults } from '../lib/browser.mjs';

let srv, browser, carrier;
const PW = 'Turno-Seguro-2026';
const local = (days) => new Date(Date.now() - 6 * 3600000 + days * 86400000);
const p2 = (x) => String(x).padStart(2, '0');
const stamp = (hhmm) => { const d = local(0); return `${p2(d.getUTCFullYear() % 100)}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}${hhmm}`; };
function paxlst(flight, persons) {
  const segs = ['UNB+UNOA:4+TAIRLINE+SLVAPIS+261125:1200+R1', 'UNH+M1+PAXLST:D:05B:UN:IATA', 'BGM+745', 'NAD+MS+++OPS',
    `TDT+20+${flight}+++TA`, 'LOC+125+GUA', `DTM+189:${stamp('2300')}:201`, 'LOC+87+SAL', `DTM+232:${stamp('2359')}:201`];
  for (const p of persons) segs.push(`NAD+FL+++${p.sur}:${p.given}`, `ATT+2++${p.sex}`, `DTM+329:${p.birth}`, `NAT+2+${p.nat}`, ...(p.visa ? [`DOC+V+${p.visa}`, 'DTM+36:271231', 'LOC+91+SLV'] : []), `DOC+P+${p.doc}`, 'DTM+36:300101', `LOC+91+${p.nat}`);
  segs.push(`CNT+42:${persons.length}`);
  segs.push(`UNT+${segs.length}+M1`, 'UNZ+1+R1');
  return "UNA:+.? '" + segs.map((s) => s + "'").join('\n') + '\n';
}

before(async () => {
  srv = await startServer();
  browser = await launch();
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  for (const [u, unit, role] of [['apis_sup1', 'DCM', 'supervisor_control'], ['apis_of1', 'DCM', 'oficial_control']])
    assert.equal((await admin.post('/api/v1/users', { username: u, display_name: u, unit, roles: [role], password: PW })).status, 201);
  carrier = await carrierUser(srv, 'apis_ta', 'TA', PW, { displayName: 'apis_ta' });
  const sup = new Client(srv.url);
  await sup.login('apis_sup1', PW);
  assert.equal((await sup.post('/api/v1/alerts', { category: 'arrest_warrant', subject: { given_names: 'Rigoberto', surnames: 'Xicará', birth_date: '1977-03-09', sex: 'M' }, instructions: 'Retener', valid_until: '2099-01-01' })).status, 201);
  const r = await carrier.req('POST', '/api/v1/apis/manifests', paxlst('TA701', [
    { sur: 'PEREZ', given: 'ANA', birth: '850614', sex: 'F', nat: 'SLV', doc: 'A1000' },
    { sur: 'XICARA', given: 'RIGOBERTO', birth: '770309', sex: 'M', nat: 'GTM', doc: 'G5550001' },
    { sur: 'WANG', given: 'LI', birth: '880202', sex: 'F', nat: 'CHN', doc: 'E9876543' },
  ]), { 'content-type': 'application/edifact' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('APIS desk: flights of the day, hits most severe first, review to secondary, reconciliation', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'apis_sup1', PW);
  await page.goto('/#/apis');
  await page.waitForSelector('#apis-vuelos table');
  assert.match(await page.textContent('#apis-vuelos'), /TA 701/);
  assert.match(await page.textContent('#apis-vuelos'), /Cotejado/);
  // the arrival as the screens write a date and time (the manifest's 23:59, local), not «2026-12-06 23:59»
  const arrival = await page.textContent('#apis-vuelos tr[data-manifiesto] td:nth-child(4)');
  assert.doesNotMatch(arrival, /\d{4}-\d{2}-\d{2}/, arrival);
  assert.match(arrival, /^\d{1,2} [a-z]{3,4}\.? \d{4}, 11:59\s?p\.\s?m\.$/, arrival);
  await page.click('.ver-manifiesto');
  await page.waitForSelector('tr.coincidencia');
  assert.doesNotMatch(await page.textContent('#apis-detalle h2'), /\d{4}-\d{2}-\d{2}/, 'the flight\'s day as a day');
  const first = page.locator('tr.coincidencia').first();
  assert.match(await first.textContent(), /Crítica/);
  assert.match(await first.textContent(), /XICARA/);
  assert.match(await first.textContent(), /Alerta migratoria: orden de captura/);
  assert.match(await page.textContent('#apis-detalle'), /visa consultada/);
  // records named as the officer names them, and no part of a score left "null"
  assert.match(await first.textContent(), /Alerta n\.º \d+/);
  assert.doesNotMatch(await page.textContent('#apis-detalle'), /\bnull\b|alert:\d|nationality:/);
  await first.locator('.nota-revision').fill('Orden de captura: a segunda línea');
  await first.locator('button.segunda').click();
  await page.waitForSelector('tr.coincidencia >> text=A segunda línea');
  assert.match(await page.textContent('#apis-conciliacion'), /Del manifiesto: 0 inspeccionados, 3 no presentados; 0 inspeccionados sin figurar en él/);
  await page.screenshot({ path: `${SHOTS}/e2e-apis.png`, fullPage: true });
  assert.deepEqual(faults(page), []);
});

test('APIS desk: tomorrow\'s scheduled flight that sent nothing yet is «Esperado»', async () => {
  const sup = new Client(srv.url);
  await sup.login('apis_sup1', PW);
  const tomorrow = local(1).toISOString().slice(0, 10);
  const sch = await sup.post('/api/v1/apis/schedule', { flights: [{ date: tomorrow, carrier: 'TA', flight: '709', port: 'SAL', origin: 'SJO', arrival: '10:15' }] });
  assert.equal(sch.status, 201, JSON.stringify(sch.json));
  const page = await newPage(browser, srv.url);
  await login(page, 'apis_sup1', PW);
  await page.goto('/#/apis');
  await page.waitForSelector('#apis-vuelos');
  await page.fill('#apis-dia', tomorrow);
  await page.dispatchEvent('#apis-dia', 'change');
  await page.waitForSelector('#apis-vuelos tr.esperado');
  const row = await page.textContent('#apis-vuelos tr.esperado');
  assert.match(row, /TA 709/);
  assert.match(row, /SJO → SAL/);
  assert.match(row, /10:15/);
  assert.match(row, /Esperado/);
});

test('APIS desk: a split list with parts missing shows "parte 1 de ?" and "incompleto"', async () => {
  const body = paxlst('TA702', [{ sur: 'LOPEZ', given: 'EVA', birth: '900101', sex: 'F', nat: 'SLV', doc: 'A2000' }])
    .replace('UNH+M1+PAXLST:D:05B:UN:IATA', 'UNH+M1+PAXLST:D:05B:UN:IATA+TA702SET+1:C');
  const r = await carrier.req('POST', '/api/v1/apis/manifests', body, { 'content-type': 'application/edifact' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const page = await newPage(browser, srv.url);
  await login(page, 'apis_sup1', PW);
  await page.goto('/#/apis');
  await page.waitForSelector(`#apis-vuelos tr[data-manifiesto="${r.json.manifests[0].id}"]`);
  const row = await page.textContent(`#apis-vuelos tr[data-manifiesto="${r.json.manifests[0].id}"]`);
  assert.match(row, /parte 1 de \?/);
  assert.match(row, /incompleto: falta la última parte/);
  // parts 1 and 3 (the last) of another list: part 2 is missing
  const p13 = paxlst('TA703', [{ sur: 'RUIZ', given: 'LEO', birth: '900101', sex: 'M', nat: 'SLV', doc: 'A3000' }])
    .replace('UNH+M1+PAXLST:D:05B:UN:IATA', 'UNH+M1+PAXLST:D:05B:UN:IATA+TA703SET+1:C');
  const p3 = paxlst('TA703', [{ sur: 'SOTO', given: 'IVAN', birth: '910101', sex: 'M', nat: 'SLV', doc: 'A3001' }])
    .replace('UNH+M1+PAXLST:D:05B:UN:IATA', 'UNH+M1+PAXLST:D:05B:UN:IATA+TA703SET+3:F');
  assert.equal((await carrier.req('POST', '/api/v1/apis/manifests', p13, { 'content-type': 'application/edifact' })).status, 201);
  const r3 = await carrier.req('POST', '/api/v1/apis/manifests', p3, { 'content-type': 'application/edifact' });
  assert.equal(r3.status, 201, JSON.stringify(r3.json));
  await page.reload();
  await page.waitForSelector(`#apis-vuelos tr[data-manifiesto="${r3.json.manifests[0].id}"]`);
  const row3 = await page.textContent(`#apis-vuelos tr[data-manifiesto="${r3.json.manifests[0].id}"]`);
  assert.match(row3, /partes 1, 3 de 3/);
  assert.match(row3, /incompleto: falta la parte 2/);
  await page.screenshot({ path: `${SHOTS}/e2e-apis-incompleto.png`, fullPage: true });
  // the complete list of the other flight has no such note
  assert.doesNotMatch(await page.textContent('#apis-vuelos tr:has-text("TA 701")'), /incompleto/);
});

test('APIS desk: a lost visa the airline listed before the passport is found and said as the traveler\'s other document', async () => {
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const pas = await staffUser(admin, 'apis_pas1', 'pasaportes', PW);
  assert.equal((await pas.post('/api/v1/documents/lost-stolen', { document_number: 'SV7700123', document_type: 'visa', issuing_state: 'SLV', reason: 'lost' })).status, 201);
  const r = await carrier.req('POST', '/api/v1/apis/manifests', paxlst('TA704', [
    { sur: 'TANAKA', given: 'YUKI', birth: '900303', sex: 'F', nat: 'JPN', doc: 'TK1234567', visa: 'SV7700123' }]), { 'content-type': 'application/edifact' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const page = await newPage(browser, srv.url);
  await login(page, 'apis_sup1', PW);
  await page.goto('/#/apis');
  await page.click(`#apis-vuelos tr[data-manifiesto="${r.json.manifests[0].id}"] .ver-manifiesto`);
  const hit = page.locator('tr.coincidencia', { hasText: 'TANAKA' });
  await hit.waitFor();
  const text = await hit.textContent();
  assert.match(text, /Documento SLV SV7700123 reportado por extravío; coincidencia exacta\. Es otro documento del viajero en la lista \(visa\), no el de viaje\./);
  assert.deepEqual(faults(page), []);
});

test('APIS desk: the officer loads the day\'s schedule from CSV, sees each wrong field in Spanish, fixes it and sees the flights «Esperado»', async () => {
  const day = local(2).toISOString().slice(0, 10);
  const page = await newPage(browser, srv.url);
  await login(page, 'apis_sup1', PW);
  await page.goto('/#/apis');
  await page.waitForSelector('#apis-vuelos');
  await page.fill('#apis-dia', day);
  await page.dispatchEvent('#apis-dia', 'change');
  await page.click('#apis-programacion summary');
  await page.waitForSelector('#apis-prog-cargada >> text=Sin programación cargada');
  // a spreadsheet saved in Spanish (';', Spanish headers): two wrong rows
  const bad = [
    'Transportista;Vuelo;Aeropuerto;Origen;Llegada',
    'TA;711;SAL;GUA;07:40',
    'TA;TA 712;SAL;MIA;25:10',
    'AV;611;HAC;BOG;09:05',
    'TA;713;SAL;SJO;11:30',
  ].join('\n');
  await page.fill('#apis-prog-texto', bad);
  await page.click('#apis-prog-cargar');
  await page.waitForSelector('#apis-prog-informe tr.error-programacion');
  const rep = await page.textContent('#apis-prog-informe');
  assert.match(rep, /Programación rechazada: 2 vuelo\(s\) con errores/);
  const rows = await page.$$eval('#apis-prog-informe tr.error-programacion', (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
  // line (as in the file), flight, field, value, the server's reason
  assert.deepEqual(rows.map((r) => r.slice(0, 4)), [
    ['3', 'TA TA 712', 'Vuelo', 'TA 712'],
    ['3', 'TA TA 712', 'Hora de llegada', '25:10'],
    ['4', 'AV 611', 'Aeropuerto', 'HAC'],
  ]);
  assert.match(rows[0][4], /sin el código de la aerolínea/);
  assert.match(rows[1][4], /HH:MM/);
  assert.equal(rows[2][4], 'No es un aeropuerto activo. Use SAL o ILO.');
  // nothing was loaded
  assert.doesNotMatch(await page.textContent('#apis-vuelos'), /TA 711/);
  await page.screenshot({ path: `${SHOTS}/e2e-apis-programacion-errores.png`, fullPage: true });

  // fixed (one flight cancelled by the operator): loaded, listed «Esperado»
  await page.fill('#apis-prog-texto', [
    'transportista,vuelo,aeropuerto,origen,llegada,estado',
    'TA,711,SAL,GUA,07:40,programado',
    'TA,712,SAL,MIA,10:10,',
    'AV,611,SAL,BOG,09:05,cancelado',
    'TA,713,ILO,SJO,11:30,',
  ].join('\n'));
  await page.click('#apis-prog-cargar');
  await page.waitForSelector('#apis-prog-informe .aviso.ok');
  assert.match(await page.textContent('#apis-prog-informe'), new RegExp(`Programación cargada: 4 vuelos para el ${day}`));
  await page.waitForSelector('#apis-vuelos tr.esperado');
  const expected = await page.$$eval('#apis-vuelos tr.esperado', (trs) => trs.map((tr) => tr.cells[0].textContent + ' ' + tr.cells[2].textContent + ' ' + tr.cells[3].textContent));
  assert.deepEqual(expected, ['TA 711 GUA → SAL 07:40', 'TA 712 MIA → SAL 10:10', 'TA 713 SJO → ILO 11:30']);
  await page.waitForSelector('#apis-prog-cargada table');
  const sched = await page.textContent('#apis-prog-cargada');
  assert.match(sched, /Programación del .* \(4 vuelos\)/);
  assert.match(await page.textContent('#apis-prog-cargada tr[data-programado="AV611"]'), /Cancelado/);
  await page.screenshot({ path: `${SHOTS}/e2e-apis-programacion.png`, fullPage: true });

  // JSON as the API takes it works too (the date of the page fills in)
  await page.fill('#apis-prog-texto', JSON.stringify({ flights: [{ carrier: 'TA', flight: '714', port: 'SAL', origin: 'PTY', arrival: '12:00' }] }));
  await page.click('#apis-prog-cargar');
  await page.waitForSelector('#apis-vuelos tr.esperado:has-text("TA 714")');
  // an unknown column is named before anything is sent
  await page.fill('#apis-prog-texto', 'vuelo,puerta\n711,4');
  await page.click('#apis-prog-cargar');
  await page.waitForSelector('#apis-prog-informe tr.error-programacion');
  assert.match(await page.textContent('#apis-prog-informe'), /Columna desconocida «puerta»/);
  assert.deepEqual(faults(page, /status of 422/ /* the schedule with bad rows, refused */), []);
});

test('APIS desk as a booth officer: the flights, without the carriers\' compliance panel, and nothing printed in its place', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'apis_of1', PW);
  await page.goto('/#/apis');
  await page.waitForSelector('#apis-vuelos table');
  assert.equal(await page.locator('#apis-panel-cumplimiento').count(), 0, 'fines are the supervisors\'');
  // what main holds directly: elements only, no stray text such as "null"
  const stray = await page.$$eval('main', ([m]) => [...m.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim()).map((n) => n.textContent));
  assert.deepEqual(stray, []);
  assert.doesNotMatch(await page.textContent('main'), /\bnull\b|undefined/);
  assert.deepEqual(faults(page), []);
});
