// Planificación's figures: the month's movements by post, direction and
// how they were authorized, as GET /api/v1/statistics/movements gives them,
// in a page of its own (the role reads no names, and had nothing to open).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD } from '../lib/server.mjs';
import { launch, newPage, login, SHOTS, holdReplies, faults } from '../lib/browser.mjs';

let srv, browser;
const PW = 'Turno-Seguro-2026';
const month = new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 7); // El Salvador's
before(async () => {
  srv = await startServer();
  browser = await launch();
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  for (const [u, unit, role] of [['plan1', 'UPDI', 'planificacion'], ['uaip1', 'UAIP', 'uaip'], ['ofi1', 'DCM', 'oficial_control'], ['sup1', 'DCM', 'supervisor_control']])
    assert.equal((await admin.post('/api/v1/users', { username: u, display_name: u, unit, roles: [role], password: PW })).status, 201);
  const ofi = new Client(srv.url);
  await ofi.login('ofi1', PW);
  const cross = async (port, direction, number, nat, surnames) => {
    const r = await ofi.post('/api/v1/inspections', { port, direction, transport: 'AV 611',
      document: { kind: 'passport', code: 'P', number, issuing_state: nat, nationality: nat, expiry_date: '2031-01-01' },
      person: { given_names: 'Ana', surnames, birth_date: '1980-01-01', nationality: nat, sex: 'F' } });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    return r.json;
  };
  for (const [port, dir, n, nat, sur] of [['SAL', 'entry', 'P1000001', 'SWE', 'Berg'], ['SAL', 'entry', 'P1000002', 'SWE', 'Lund'], ['SAL', 'exit', 'P1000003', 'SLV', 'Pérez'],
    ['HAC', 'entry', 'P1000004', 'GTM', 'Cojtí']]) assert.equal((await cross(port, dir, n, nat, sur)).decision, 'admit');
  // one let in by the supervisor after secondary
  const sec = await cross('AMA', 'entry', 'E5550009', 'CHN', 'Zhang');
  assert.equal(sec.decision, 'secondary');
  const sup = new Client(srv.url);
  await sup.login('sup1', PW);
  const res = await sup.post(`/api/v1/inspections/${sec.inspection_id}/resolve`, { resolution: 'admit', notes: 'Visa consultada presentada' });
  assert.equal(res.status, 200, JSON.stringify(res.json));
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('statistics: a Planificación user opens «Estadísticas» and reads the month\'s figures as the API gives them, in Spanish', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'plan1', PW);
  // the menu and the home page offer it
  await page.waitForSelector('nav.menu a[href="#/estadisticas"]');
  assert.equal(await page.locator('main a.tarjeta[href="#/estadisticas"]').count(), 1);
  await page.click('nav.menu a[href="#/estadisticas"]');
  await page.waitForSelector('#es-detalle tbody tr');
  assert.equal(`${await page.inputValue('#es-anio')}-${await page.inputValue('#es-mes')}`, month);
  assert.match(await page.textContent('#es-mes option:checked'), /^(enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)$/);
  const api = await page.evaluate(async (m) => (await fetch(`/api/v1/statistics/movements?month=${m}`)).json(), month);
  assert.equal(api.total, 5, JSON.stringify(api));
  const numOf = (t) => Number(t.replace(/\D/g, ''));
  // every figure of the API, row by row, with the post's and the decision's names
  const rows = await page.$$eval('#es-detalle tbody tr', (trs) => trs.map((tr) => ({ ...tr.dataset, cells: [...tr.cells].map((c) => c.textContent) })));
  assert.equal(rows.length, api.items.length);
  api.items.forEach((x, i) => {
    assert.equal(rows[i].puesto, x.port);
    assert.equal(rows[i].sentido, x.direction);
    assert.equal(rows[i].decision, x.decision);
    assert.equal(numOf(rows[i].cells[3]), x.count, JSON.stringify(rows[i]));
    assert.equal(rows[i].cells[1], x.direction === 'entry' ? 'Entrada' : 'Salida');
  });
  const text = await page.textContent('#es-detalle');
  assert.match(text, /Aeropuerto Comalapa · SAL/);
  assert.match(text, /Tras segunda revisión/);
  assert.match(text, /Directa/);
  assert.doesNotMatch(text, /\badmit|entry|exit\b/, text);
  // totals: the month, entries, exits, and each post
  assert.equal(numOf(await page.textContent('#es-total b')), api.total);
  const sum = (f) => api.items.filter(f).reduce((a, x) => a + x.count, 0);
  assert.equal(numOf(await page.textContent('#es-entry b')), sum((x) => x.direction === 'entry'));
  assert.equal(numOf(await page.textContent('#es-exit b')), sum((x) => x.direction === 'exit'));
  for (const port of new Set(api.items.map((x) => x.port))) {
    const cells = await page.$$eval(`#es-por-puesto tr[data-puesto="${port}"] td`, (tds) => tds.map((t) => t.textContent));
    const entries = sum((x) => x.port === port && x.direction === 'entry'), exits = sum((x) => x.port === port && x.direction === 'exit');
    assert.deepEqual(cells.slice(1).map(numOf), [entries, exits, entries + exits], `${port}: ${cells}`);
  }
  assert.deepEqual((await page.$$eval('#es-por-puesto tfoot th', (t) => t.map((x) => x.textContent))).slice(1).map(numOf),
    [sum((x) => x.direction === 'entry'), sum((x) => x.direction === 'exit'), api.total]);
  // the same month as a sheet: one row per line of the detail
  const href = await page.getAttribute('#es-csv', 'href');
  assert.equal(href, `/api/v1/statistics/movements?month=${month}&format=csv`);
  const csv = await page.evaluate(async (u) => (await fetch(u)).text(), href);
  assert.equal(csv.trim().split('\r\n').length, api.items.length + 1);
  await page.screenshot({ path: `${SHOTS}/e2e-estadisticas.png`, fullPage: true });
  // a month without movements says so
  await page.fill('#es-anio', '2025');
  await page.dispatchEvent('#es-anio', 'change');
  await page.selectOption('#es-mes', '01');
  // the answer for January, not the one for December of that year a
  // moment before (the year changed first)
  await page.waitForFunction(() => /enero de 2025/.test(document.querySelector('#es-vacio')?.textContent || ''));
  assert.match(await page.textContent('#es-vacio'), /^Sin movimientos registrados en enero de 2025\.$/);
  assert.equal(await page.locator('#es-detalle').count(), 0);
  assert.deepEqual(faults(page), []);
});

test('statistics: a year that is no year, typed while the month\'s figures are on their way, is said alone: the figures coming late are not drawn under it', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'plan1', PW);
  // the page's first read (this month) answers when the test lets it
  const first = await holdReplies(page, (u) => u.pathname === '/api/v1/statistics/movements', { count: 1 });
  await page.goto('/#/estadisticas');
  await first.arrived();
  await page.fill('#es-anio', '20');
  await page.dispatchEvent('#es-anio', 'change');
  await page.waitForSelector('main .aviso.error >> text=Año: indique un año de cuatro cifras');
  await first.landed();
  assert.equal(await page.locator('#es-total').count(), 0, 'no figures under the error');
  assert.equal(await page.textContent('#es-resultado'), '');
  assert.match(await page.textContent('main .aviso.error'), /^Año: indique un año de cuatro cifras/);
  assert.equal(await page.$('#es-resultado[aria-busy]'), null, 'nothing on its way');
  assert.deepEqual(faults(page), []);
});

test('statistics: the UAIP sees the page too; a role without statistics.read does not', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'uaip1', PW);
  await page.goto('/#/estadisticas');
  await page.waitForSelector('#es-detalle tbody tr');
  const pas = await newPage(browser, srv.url);
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  assert.equal((await admin.post('/api/v1/users', { username: 'dam1', display_name: 'dam1', unit: 'DAM', roles: ['atencion_migrante'], password: PW })).status, 201);
  await login(pas, 'dam1', PW);
  assert.equal(await pas.locator('nav.menu a[href="#/estadisticas"]').count(), 0);
  await pas.goto('/#/estadisticas');
  await pas.waitForSelector('text=Su rol no permite ver esta página.');
  assert.deepEqual(faults(page), []);
});
