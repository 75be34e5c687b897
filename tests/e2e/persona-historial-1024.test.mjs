// A person's history on a booth's 1024×768 monitor, and at 1366 and
// 1920: each event's date on one line (at 1024 px it broke after the
// minutes, «6:09 / a. m.», and every event took two lines), the booth's
// usual tags too («Inspección: salida autorizada» wrapped inside its
// pill), the list within its area.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';
import { launch, newPage, login, faults, SHOTS, textLines } from '../lib/browser.mjs';

let srv, browser, ofi;
const PW = 'Persona-Historial-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  ofi = await staffUser(srv.url, 'ph_ofi', 'oficial_control', PW);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('person\'s history at 1024, 1366 and 1920 px: each date on one line, the tags of entries, exits and inspections on one', async () => {
  // a Salvadoran who went out and came back: every kind of row the booth leaves
  let person;
  for (const direction of ['exit', 'entry']) {
    const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction, transport: 'AV 611', route_country: 'USA',
      document: { kind: 'passport', number: 'A70010001', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-06-30' },
      person: { given_names: 'Ana Gabriela', surnames: 'Hernández Flores', birth_date: '1990-04-12', sex: 'F', nationality: 'SLV' } });
    assert.ok(['admit', 'secondary'].includes(r.json.decision), JSON.stringify(r.json));
    person = r.json.person_id;
  }
  const page = await newPage(browser, srv.url, { viewport: { width: 1024, height: 768 } });
  await login(page, 'ph_ofi', PW);
  for (const width of [1024, 1366, 1920]) {
    await page.setViewportSize({ width, height: 768 });
    await page.goto(`/#/personas?id=${person}`);
    // the history: its header «Fecha», «Evento», «Detalle»
    const hist = page.locator('main table').filter({ has: page.locator('th', { hasText: 'Evento' }) });
    await hist.locator('tbody tr').nth(4).waitFor();
    await page.screenshot({ path: `${SHOTS}/persona-historial-${width}.png`, fullPage: true });
    const rows = await hist.locator('tbody tr').count();
    for (let i = 0; i < rows; i++) {
      const row = hist.locator('tbody tr').nth(i);
      const date = await textLines(row.locator('td').nth(0));
      const tagText = await row.locator('td').nth(1).innerText();
      const tag = await textLines(row.locator('td .etiqueta'));
      assert.equal(date, 1, `${width} px, row ${i + 1}: the date on ${date} lines`);
      assert.equal(tag, 1, `${width} px, row ${i + 1}: «${tagText}» on ${tag} lines`);
    }
    const m = await hist.evaluate((t) => { const w = t.closest('.tabla-wrap'); return { scroll: w.scrollWidth, client: w.clientWidth }; });
    assert.ok(m.scroll <= m.client, `${width} px: the history (${m.scroll} px) is wider than its area (${m.client} px)`);
  }
  // no console error, no failed request
  assert.deepEqual(faults(page), []);
});
