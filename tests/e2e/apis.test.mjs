// The APIS desk: today's flights with the stage of their manifest, the hit
// list of a screened manifest with explanations, a review sent to the booth,
// and the reconciliation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD } from '../lib/server.mjs';
import { launch, newPage, login, SHOTS } from '../lib/browser.mjs';

let srv, browser, carrier;
const PW = 'Turno-Seguro-2026';
const local = (days) => new Date(Date.now() - 6 * 3600000 + days * 86400000);
const p2 = (x) => String(x).padStart(2, '0');
const stamp = (hhmm) => { const d = local(0); return `${p2(d.getUTCFullYear() % 100)}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}${hhmm}`; };
function paxlst(flight, persons) {
  const segs = ['UNB+UNOA:4+TAIRLINE+SLVAPIS+261125:1200+R1', 'UNH+M1+PAXLST:D:05B:UN:IATA', 'BGM+745', 'NAD+MS+++OPS',
    `TDT+20+${flight}+++TA`, 'LOC+125+GUA', `DTM+189:${stamp('2300')}:201`, 'LOC+87+SAL', `DTM+232:${stamp('2359')}:201`];
  for (const p of persons) segs.push(`NAD+FL+++${p.sur}:${p.given}`, `ATT+2++${p.sex}`, `DTM+329:${p.birth}`, `NAT+2+${p.nat}`, `DOC+P+${p.doc}`, 'DTM+36:300101', `LOC+91+${p.nat}`);
  segs.push(`CNT+42:${persons.length}`);
  segs.push(`UNT+${segs.length}+M1`, 'UNZ+1+R1');
  return "UNA:+.? '" + segs.map((s) => s + "'").join('\n') + '\n';
}

before(async () => {
  srv = await startServer();
  browser = await launch();
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  for (const [u, unit, role] of [['apis_sup1', 'DCM', 'supervisor_control'], ['apis_ta', 'DCM', 'transportista']])
    assert.equal((await admin.post('/api/v1/users', { username: u, display_name: u, unit, roles: [role], password: PW })).status, 201);
  assert.equal((await admin.post('/api/v1/apis/carriers', { username: 'apis_ta', carrier: 'TA' })).status, 200);
  const t = srv.cli('token', 'create', '--user', 'apis_ta');
  carrier = new Client(srv.url);
  carrier.token = t.stdout.trim();
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
  await page.click('.ver-manifiesto');
  await page.waitForSelector('tr.coincidencia');
  const first = page.locator('tr.coincidencia').first();
  assert.match(await first.textContent(), /Crítica/);
  assert.match(await first.textContent(), /XICARA/);
  assert.match(await first.textContent(), /Alerta migratoria: orden de captura/);
  assert.match(await page.textContent('#apis-detalle'), /visa consultada/);
  await first.locator('.nota-revision').fill('Orden de captura: a segunda línea');
  await first.locator('button.segunda').click();
  await page.waitForSelector('tr.coincidencia >> text=A segunda línea');
  assert.match(await page.textContent('#apis-conciliacion'), /3 no presentados/);
  await page.screenshot({ path: `${SHOTS}/e2e-apis.png`, fullPage: true });
  assert.deepEqual(page.problems.filter((p) => !/401 \(Unauthorized\)/.test(p)), []);
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
  assert.match(row, /incompleto/);
  // the complete list of the other flight has no such note
  assert.doesNotMatch(await page.textContent('#apis-vuelos tr:has-text("TA 701")'), /incompleto/);
});
