// The pages that show a traveler recorded without a document (a stowaway
// who said neither nationality nor sex, a returnee linked by a supervisor
// to their passport's record): what was not said is said so, not left as
// an empty cell or «·  ·».
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';
import { launch, newPage, login, SHOTS, faults } from '../lib/browser.mjs';

let srv, browser, ofi, sup;
const PW = 'Polizon-Paginas-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  ofi = await staffUser(srv.url, 'ndp_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'ndp_sup', 'supervisor_control', PW);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('a stowaway who said no nationality: the overstayers list and their page say «No declarada», not a blank', async () => {
  const r = await ofi.post('/api/v1/inspections', { port: 'ACA', direction: 'entry', transport: 'Buque Río Lempa',
    document: { kind: 'none' }, person: { given_names: 'Desconocido', surnames: 'Polizón Cuarto', birth_date: '1999' } });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const res = await sup.post(`/api/v1/inspections/${r.json.inspection_id}/resolve`,
    { resolution: 'admit', notes: 'Admitido por razones humanitarias mientras se identifica', permitted_stay_days: 10 });
  assert.equal(res.status, 200, JSON.stringify(res.json));
  const later = new Date(Date.now() + 40 * 86400e3 - 6 * 3600e3).toISOString().slice(0, 10);
  const page = await newPage(browser, srv.url, { viewport: { width: 1366, height: 768 } });
  await login(page, 'ndp_sup', PW);
  await page.goto(`/#/permanencia?as_of=${later}`);
  const row = page.locator('tr', { hasText: 'Polizón Cuarto' });
  await row.waitFor();
  assert.equal((await row.locator('td').nth(1).textContent()).trim(), 'No declarada');
  await page.screenshot({ path: `${SHOTS}/e2e-nodoc-permanencia.png`, fullPage: true });
  await page.goto(`/#/personas?id=${r.json.person_id}`);
  await page.waitForSelector('#pe-sin-documento');
  const sub = await page.textContent('#pe-datos');
  assert.match(sub, /sexo no consta · nacionalidad no declarada · persona n\.º \d+/);
  assert.doesNotMatch(sub, /·\s+·/);
  assert.deepEqual(faults(page), []);
  await page.close();
});

test('a returnee without a document linked to their passport\'s record: their page points to the documents in the history', async () => {
  const P = { given_names: 'Teodoro', surnames: 'Vinculado Rivas', birth_date: '1982-08-08', sex: 'M', nationality: 'SLV' };
  const out = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'AV 611', route_country: 'USA',
    document: { kind: 'passport', code: 'P', number: 'A70000091', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2030-01-01' }, person: P });
  assert.equal(out.status, 201, JSON.stringify(out.json));
  const u = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'Vuelo de retorno', document: { kind: 'none' }, person: P });
  assert.equal(u.status, 201, JSON.stringify(u.json));
  const d = (await sup.get('/api/v1/person-duplicates?status=open')).json.items.find((x) => x.persons.some((p) => p.id === u.json.person_id));
  assert.equal((await sup.post(`/api/v1/person-duplicates/${d.id}/review`, { decision: 'same', note: 'RNPN' })).status, 200);
  const page = await newPage(browser, srv.url, { viewport: { width: 1366, height: 768 } });
  await login(page, 'ndp_sup', PW);
  await page.goto(`/#/personas?id=${u.json.person_id}`);
  await page.waitForSelector('#pe-sin-documento');
  assert.match(await page.textContent('#pe-sin-documento'), /Los documentos de los registros vinculados como la misma persona figuran en el historial/);
  // and there they are
  await page.waitForFunction(() => /A70000091/.test(document.body.textContent));
  assert.deepEqual(faults(page), []);
  await page.close();
});
