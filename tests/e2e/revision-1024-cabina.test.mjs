// The booth's small monitor (1024×768): the labels of the booth's post and
// the day's movements read in few lines there, and still fit at 1366.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD } from '../lib/server.mjs';
import { launch, newPage, login, faults, SHOTS, textLines } from '../lib/browser.mjs';

let srv, browser, ofi;
const PW = 'Revision-1024-Cab-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  // named as the demo's officer is: the longest name the officer column shows
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const u = await admin.post('/api/v1/users', { username: 'rc_ofi', display_name: 'Oficial de control (demo)', unit: 'DCM', roles: ['oficial_control'], password: PW });
  assert.equal(u.status, 201, u.text);
  ofi = new Client(srv.url);
  assert.equal((await ofi.login('rc_ofi', PW)).status, 200);
});
after(async () => { await browser?.close(); await srv?.stop(); });

const lines = textLines;

test('booth: «País de origen o destino» reads on two lines at most at 1024 px, on one at 1366, its field in the row', async () => {
  const page = await newPage(browser, srv.url, { viewport: { width: 1024, height: 768 } });
  await login(page, 'rc_ofi', PW);
  for (const width of [1024, 1366]) {
    await page.setViewportSize({ width, height: 768 });
    await page.goto('/#/cabina');
    await page.locator('#cab-ruta').waitFor();
    await page.screenshot({ path: `${SHOTS}/e2e-revision-${width}-cabina-puesto.png` });
    const label = page.locator('label[for="cab-ruta"]');
    assert.equal(await label.textContent(), 'País de origen o destino');
    const n = await lines(label);
    assert.ok(n <= (width < 1366 ? 2 : 1), `${width} px: «País de origen o destino» on ${n} lines`);
    // the post's four fields on one row, none cut, within the panel
    const m = await page.evaluate(() => {
      const row = document.querySelector('.fila.puesto');
      const els = ['cab-puesto', 'cab-sentido', 'cab-transporte', 'cab-ruta'].map((id) => document.getElementById(id)).filter(Boolean);
      return { bottoms: els.map((e) => e.getBoundingClientRect().bottom), rights: els.map((e) => e.getBoundingClientRect().right), right: row.getBoundingClientRect().right, n: els.length, scroll: row.scrollWidth, client: row.clientWidth };
    });
    assert.ok(Math.max(...m.bottoms) - Math.min(...m.bottoms) <= 1, `${width} px: the post's fields on one row: ${JSON.stringify(m)}`);
    assert.ok(Math.max(...m.rights) <= m.right + 0.5 && m.scroll <= m.client, `${width} px: within the panel: ${JSON.stringify(m)}`);
  }
  // the cursor still waits in the MRZ box, and Tab from the country goes on to it
  assert.equal(await page.evaluate(() => document.activeElement.id), 'cab-mrz');
  await page.focus('#cab-ruta');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'cab-mrz');
  // no console error, no failed request
  assert.deepEqual(faults(page), []);
});

test('«Movimientos del día» at 1024 px: a traveler\'s name reads on at most two lines, «Pedir anulación…» on one; the list fits at 1024 and 1366', async () => {
  // Carlos entered by the airport already: his entry at La Hachadura has
  // a note (the booth's warning, an entry without the exit) that takes its
  // room in the list; El Amatillo's day has no note at all (the button
  // then had the narrowest column)
  const people = [['SAL', 'Carlos', 'Menjívar Quintanilla', 'G5050503'],
    ['HAC', 'Rosa', 'Hernández Martínez', 'G5050501'], ['HAC', 'María José', 'Hernández Campos', 'G5050502'], ['HAC', 'Carlos', 'Menjívar Quintanilla', 'G5050503'],
    ['AMA', 'Ana Lucía', 'Zelaya Funes', 'H6060601'], ['AMA', 'Óscar', 'Reyes Bonilla', 'H6060602']];
  const ids = { HAC: [], AMA: [] };
  for (const [port, given, sur, number] of people) {
    const r = await ofi.post('/api/v1/inspections', { port, direction: 'entry', transport: port === 'SAL' ? 'AV 630' : 'P 123-456', route_country: 'GTM',
      document: { kind: 'passport', number, issuing_state: 'GTM', nationality: 'GTM', expiry_date: '2031-01-01' },
      person: { given_names: given, surnames: sur, birth_date: '1984-04-14', nationality: 'GTM', sex: 'F' } });
    assert.equal(r.json.decision, 'admit', JSON.stringify(r.json));
    ids[port]?.push(r.json.movement_id);
  }
  const page = await newPage(browser, srv.url, { viewport: { width: 1024, height: 768 } });
  await login(page, 'rc_ofi', PW);
  for (const width of [1024, 1366]) {
    await page.setViewportSize({ width, height: 768 });
    for (const port of ['HAC', 'AMA']) {
      await page.goto('/#/movimientos');
      await page.selectOption('#mv-puesto', port);
      await page.waitForSelector('#mv-resultado:not([aria-busy]) #mv-lista');
      await page.locator(`#mv-lista tbody tr[data-id="${ids[port].at(-1)}"]`).waitFor();
      await page.screenshot({ path: `${SHOTS}/e2e-revision-${width}-movimientos-${port}.png`, fullPage: true });
      const said = {};
      for (const id of ids[port]) {
        const row = page.locator(`#mv-lista tbody tr[data-id="${id}"]`);
        said[`nombre ${id}`] = await lines(row.locator('a[href^="#/personas"]'));
        said[`oficial ${id}`] = await lines(row.locator('td').nth(5));
        said[`pedir ${id}`] = await lines(row.locator('.mv-pedir'));
      }
      for (const id of ids[port]) {
        assert.ok(said[`nombre ${id}`] <= 2, `${width} px, ${port}: the name on ${said[`nombre ${id}`]} lines (${JSON.stringify(said)})`);
        assert.equal(said[`pedir ${id}`], 1, `${width} px, ${port}: «Pedir anulación…» on ${said[`pedir ${id}`]} lines (${JSON.stringify(said)})`);
      }
      const m = await page.evaluate(() => { const w = document.querySelector('#mv-lista'); return { scroll: w.scrollWidth, client: w.clientWidth }; });
      assert.ok(m.scroll <= m.client, `${width} px, ${port}: the list (${m.scroll} px) is wider than its area (${m.client} px)`);
    }
  }
  // the request still opens from the row, its reason typed there
  const row = page.locator(`#mv-lista tbody tr[data-id="${ids.AMA[0]}"]`);
  await row.locator('.mv-pedir').click();
  await row.locator('.mv-motivo').fill('Registrado dos veces');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'mv-motivo');
  await page.screenshot({ path: `${SHOTS}/e2e-revision-1366-movimientos-pedir.png`, fullPage: true });
  // no console error, no failed request
  assert.deepEqual(faults(page), []);
});
