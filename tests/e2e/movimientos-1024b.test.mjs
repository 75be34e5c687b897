// «Movimientos del día» on a booth's 1024×768 monitor, and at 1366 and
// 1920, with the long names of El Salvador's civil registry, typed in
// upper case as the passport's MRZ gives them: «MARÍA DE LOS ÁNGELES
// GUADALUPE RODRÍGUEZ HERNÁNDEZ · SLV» took three lines in its row at
// 1024 px (a row is two lines).  It reads whole in two.  And the voiding
// asked from a row: its «Cancelar» broke onto two lines at 1024 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';
import { launch, signedInPage, SHOTS, faults, textLines } from '../lib/browser.mjs';

let srv, browser, ofi;
const PW = 'Movimientos-1024b-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  ofi = await staffUser(srv.url, 'mb_ofi', 'oficial_control', PW);
});
after(async () => { await browser?.close(); await srv?.stop(); });

// six and seven words, the nationality after them; one with a note under
// it (an exit without an entry: the person's cell has the first line only)
const PEOPLE = [
  ['entry', 'MARÍA DE LOS ÁNGELES GUADALUPE', 'RODRÍGUEZ HERNÁNDEZ', 'SLV', 'A72000001'],
  ['entry', 'JOSÉ FRANCISCO DE JESÚS', 'CASTELLANOS VILLALOBOS', 'SLV', 'A72000002'],
  ['exit', 'ANA GUADALUPE DEL CARMEN', 'MARTÍNEZ HENRÍQUEZ', 'SLV', 'A72000003'],
  ['entry', 'BLANCA ESTELA', 'DE LA O MELÉNDEZ', 'SLV', 'A72000004'],
];
const ids = [];
async function record() {
  if (ids.length) return;
  for (const [direction, given, sur, nat, number] of PEOPLE) {
    const r = await ofi.post('/api/v1/inspections', { port: 'HAC', direction, transport: 'Bus Tica P-4521', route_country: 'GTM',
      document: { kind: 'passport', number, issuing_state: nat, nationality: nat, expiry_date: '2031-01-01' },
      person: { given_names: given, surnames: sur, birth_date: '1984-04-14', nationality: nat, sex: 'F' } });
    assert.equal(r.json.decision, 'admit', JSON.stringify(r.json));
    ids.push(r.json.movement_id);
  }
}

async function openList(page, width, port) {
  await page.setViewportSize({ width, height: 768 });
  await page.goto('/#/movimientos');
  await page.selectOption('#mv-puesto', port);
  await page.waitForSelector('#mv-resultado:not([aria-busy]) #mv-lista');
  await page.locator(`#mv-lista tbody tr[data-id="${ids.at(-1)}"]`).waitFor();
}

test('«Movimientos del día» at 1024, 1366 and 1920 px: a six- or seven-word name in upper case with its nationality in two lines, whole', async () => {
  await record();
  const page = await signedInPage(browser, srv.url, 'mb_ofi', PW, 'movimientos', 1024);
  for (const width of [1024, 1366, 1920]) {
    for (const port of ['', 'HAC']) {
      await openList(page, width, port);
      await page.screenshot({ path: `${SHOTS}/movimientos-1024b-${width}${port ? `-${port}` : ''}.png`, fullPage: true });
      const where = `${width} px${port ? `, ${port}` : ''}`;
      for (const [i, id] of ids.entries()) {
        const cell = page.locator(`#mv-lista tbody tr[data-id="${id}"] td.mv-persona`);
        const lines = await textLines(cell);
        const m = await cell.evaluate((td) => ({ text: td.innerText, width: td.clientWidth, scroll: td.scrollWidth,
          ellipsis: getComputedStyle(td).textOverflow === 'ellipsis' || getComputedStyle(td.querySelector('a')).textOverflow === 'ellipsis' }));
        const [, given, sur, nat] = PEOPLE[i];
        assert.ok(lines <= 2, `${where}: «${given} ${sur} · ${nat}» on ${lines} lines (${JSON.stringify(m)})`);
        // whole: every word there, nothing past the cell's edge
        assert.equal(m.text.replace(/\s+/g, ' ').trim(), `${given} ${sur} · ${nat}`, where);
        assert.ok(m.scroll <= m.width && !m.ellipsis, `${where}: «${given} ${sur}» cut off (${JSON.stringify(m)})`);
      }
      const w = await page.evaluate(() => ({ list: document.querySelector('#mv-lista').scrollWidth, area: document.querySelector('#mv-lista').clientWidth,
        page: document.documentElement.scrollWidth, win: window.innerWidth,
        cut: [...document.querySelectorAll('#mv-lista th, #mv-lista td')].filter((td) => td.scrollWidth > td.clientWidth + 1).map((td) => td.textContent) }));
      assert.ok(w.list <= w.area && w.page <= w.win, `${where}: wider than its area ${JSON.stringify(w)}`);
      assert.deepEqual(w.cut, [], `${where}: cut off`);
    }
  }
  assert.deepEqual(faults(page), []);
});

test('«Pedir anulación…» at 1024, 1366 and 1920 px: the reason\'s field, the request\'s button and «Cancelar» on one line, each whole', async () => {
  await record();
  const page = await signedInPage(browser, srv.url, 'mb_ofi', PW, 'movimientos', 1024);
  for (const width of [1024, 1366, 1920]) {
    await openList(page, width, 'HAC');
    const row = page.locator(`#mv-lista tbody tr[data-id="${ids[0]}"]`);
    await row.locator('.mv-pedir').click();
    const form = row.locator('.pr-anular');
    await form.waitFor();
    await page.screenshot({ path: `${SHOTS}/movimientos-1024b-anular-${width}.png`, fullPage: true });
    const m = await form.evaluate((f) => {
      const box = (el) => { const r = el.getBoundingClientRect(); return { top: Math.round(r.top), bottom: Math.round(r.bottom), left: r.left, right: r.right, width: r.width }; };
      return { input: box(f.querySelector('input.mv-motivo')), go: box(f.querySelector('button.peligro')), cancel: box([...f.querySelectorAll('button')].find((b) => b.textContent === 'Cancelar')),
        cell: box(f.closest('td')), page: document.documentElement.scrollWidth, win: window.innerWidth };
    });
    const where = `${width} px: ${JSON.stringify(m)}`;
    // one line: the two buttons side by side, level with the field
    assert.equal(m.cancel.top, m.go.top, `${where}: «Cancelar» on a line of its own`);
    assert.ok(m.cancel.left >= m.go.right, where);
    assert.ok(Math.abs(m.go.bottom - m.input.bottom) <= 2 && m.go.left >= m.input.right, `${where}: the buttons not beside the field`);
    // the reason has room to be read as typed
    assert.ok(m.input.width >= 11 * 15, `${where}: the field ${m.input.width} px wide`);
    for (const b of ['button.peligro', 'button.sec:not(.mv-pedir)']) assert.equal(await textLines(form.locator(b)), 1, `${where}: ${b}`);
    assert.ok(m.cancel.right <= m.cell.right + 0.5 && m.page <= m.win, `${where}: past its cell`);
    await form.locator('button', { hasText: 'Cancelar' }).click();
    assert.equal(await form.isHidden(), true);
  }
  assert.deepEqual(faults(page), []);
});
