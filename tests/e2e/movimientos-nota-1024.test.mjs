// «Movimientos del día» on a booth's 1024×768 monitor, and at 1366 and
// 1920: the booth's long note («Nueva entrada sin salida registrada desde
// la entrada del … por Aeropuerto Internacional de El Salvador San Óscar
// Arnulfo Romero y Galdámez (Comalapa).») made its row eight lines tall
// at 1024 px, in the last column above «Pedir anulación…», the transport's
// column beside it empty.  A row reads in four lines at most, the note
// whole and nothing cut; «Pedir anulación…» on one line, and the voiding
// asked from the row, its reason typed there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser, Client } from '../lib/server.mjs';
import { launch, newPage, login, faults, SHOTS } from '../lib/browser.mjs';

let srv, browser, ofi;
const PW = 'Movimientos-Nota-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  await staffUser(srv.url, 'mn_ofi', 'oficial_control', PW);
  ofi = new Client(srv.url);
  assert.equal((await ofi.login('mn_ofi', PW)).status, 200);
});
after(async () => { await browser?.close(); await srv?.stop(); });

// The lines a row takes: its cells' text lines (one top each), the cells
// of the grid's first line and of its second added up
const ROW = `(tr) => {
  const lines = (el) => {
    const tops = new Set();
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let t = walk.nextNode(); t; t = walk.nextNode()) {
      const r = document.createRange();
      r.selectNodeContents(t);
      for (const x of r.getClientRects()) if (x.width > 0 && x.height > 0) tops.add(Math.round(x.top));
    }
    return tops.size;
  };
  const by = { first: 0, second: 0, both: 0 };
  for (const td of tr.cells) {
    const s = getComputedStyle(td);
    const span = s.gridRowEnd.startsWith('span') ? Number(s.gridRowEnd.slice(5)) : 1;
    const at = span > 1 ? 'both' : s.gridRowStart === '2' ? 'second' : 'first';
    by[at] = Math.max(by[at], lines(td));
  }
  return { lines: Math.max(by.first + by.second, by.both), by, text: tr.innerText,
    cut: [...tr.cells].filter((td) => td.scrollWidth > td.clientWidth + 1).map((td) => td.textContent) };
}`;

test('«Movimientos del día» at 1024, 1366 and 1920 px: a row with the booth\'s long note in four lines at most, the note whole, «Pedir anulación…» at hand', async () => {
  // an entry at the airport, then another at La Hachadura with no exit
  // between: the booth's note names the airport in full; no transport typed
  const person = { given_names: 'Rosa Elena', surnames: 'Guardado de Rivas', birth_date: '1979-09-09', nationality: 'SLV', sex: 'F' };
  const doc = { kind: 'passport', number: 'A70000123', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-01-01' };
  const first = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 390', route_country: 'USA', document: doc, person });
  assert.equal(first.json.decision, 'admit', first.text);
  const again = await ofi.post('/api/v1/inspections', { port: 'HAC', direction: 'entry', route_country: 'GTM', document: doc, person });
  assert.equal(again.json.decision, 'admit', again.text);
  const note = again.json.reasons.find((x) => x.severity === 'warning')?.message;
  assert.match(note || '', /^Nueva entrada sin salida registrada desde la entrada del .* por Aeropuerto Internacional de El Salvador San Óscar Arnulfo Romero y Galdámez \(Comalapa\)\.$/, JSON.stringify(again.json.reasons));
  // and a short one: an exit without an entry
  const exit = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'AV 580', route_country: 'USA',
    document: { ...doc, number: 'A70000124' }, person: { ...person, given_names: 'Evelyn Patricia', surnames: 'Alas Henríquez' } });
  assert.equal(exit.json.decision, 'admit', exit.text);
  const ids = [first.json.movement_id, again.json.movement_id, exit.json.movement_id];
  const page = await newPage(browser, srv.url, { viewport: { width: 1024, height: 768 } });
  await login(page, 'mn_ofi', PW);
  for (const width of [1024, 1366, 1920]) {
    await page.setViewportSize({ width, height: 768 });
    await page.goto('/#/movimientos');
    await page.waitForSelector('#mv-resultado:not([aria-busy]) #mv-lista');
    await page.locator(`#mv-lista tbody tr[data-id="${ids.at(-1)}"]`).waitFor();
    await page.screenshot({ path: `${SHOTS}/movimientos-nota-${width}.png`, fullPage: true });
    for (const id of ids) {
      const row = page.locator(`#mv-lista tbody tr[data-id="${id}"]`);
      const m = await row.evaluate((el, f) => (0, eval)(f)(el), ROW);
      const where = `${width} px, movement ${id}: ${JSON.stringify(m)}`;
      assert.ok(m.lines <= 4, `${where}: the row on ${m.lines} lines`);
      assert.deepEqual(m.cut, [], `${where}: cut off`);
      if (id === again.json.movement_id) assert.ok(m.text.replace(/\s+/g, ' ').includes(note), `${where}: the note whole`);
      // the button on one line, inside the list
      const b = await row.locator('.mv-pedir').evaluate((el) => {
        const r = el.getBoundingClientRect(), w = document.querySelector('#mv-lista').getBoundingClientRect();
        return { h: r.height, right: r.right, inside: r.right <= w.right + 0.5 && r.left >= w.left, lineHeight: parseFloat(getComputedStyle(el).lineHeight) || 20 };
      });
      assert.ok(b.inside, `${where}: «Pedir anulación…» outside the list ${JSON.stringify(b)}`);
    }
    const w = await page.evaluate(() => { const l = document.querySelector('#mv-lista'); return { scroll: l.scrollWidth, client: l.clientWidth, page: document.documentElement.scrollWidth, win: window.innerWidth }; });
    assert.ok(w.scroll <= w.client, `${width} px: the list (${w.scroll} px) is wider than its area (${w.client} px)`);
    assert.ok(w.page <= w.win, `${width} px: the page scrolls sideways`);
  }
  // at 1024 the voiding asked from the long note's row: its reason typed
  // there, under the row, nothing cut, and sent
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto('/#/movimientos');
  await page.waitForSelector('#mv-resultado:not([aria-busy]) #mv-lista');
  const row = page.locator(`#mv-lista tbody tr[data-id="${again.json.movement_id}"]`);
  await row.locator('.mv-pedir').click();
  await row.locator('.mv-motivo').fill('Registrada dos veces: era la misma entrada');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'mv-motivo');
  const f = await row.evaluate((tr) => {
    const l = document.querySelector('#mv-lista').getBoundingClientRect();
    return { out: [...tr.querySelectorAll('.pr-anular input, .pr-anular button')].filter((x) => { const r = x.getBoundingClientRect(); return r.right > l.right + 0.5 || r.width < 40; }).map((x) => x.outerHTML),
      scroll: document.querySelector('#mv-lista').scrollWidth, client: document.querySelector('#mv-lista').clientWidth };
  });
  await page.screenshot({ path: `${SHOTS}/movimientos-nota-1024-pedir.png`, fullPage: true });
  assert.deepEqual(f.out, [], JSON.stringify(f));
  assert.ok(f.scroll <= f.client, JSON.stringify(f));
  await row.locator('button.peligro').click();
  await page.waitForFunction(() => /Anulación del movimiento n\.º \d+ solicitada/.test(document.querySelector('main').textContent));
  assert.deepEqual(faults(page), []);
});
