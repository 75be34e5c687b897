// The secondary queue on a booth's 1024×768 monitor, and at 1366 and
// 1920, as the officer who sent the case sees it: a four-word name reads
// on two lines at most (it took three or four in its column), and a
// Guatemalan DPI's thirteen digits stay whole in the document's cell (at
// 1024 px they ran under the reasons' first words).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';
import { launch, newPage, login, faults, SHOTS, textLines } from '../lib/browser.mjs';

let srv, browser, ofi;
const PW = 'Secundaria-Lista-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  ofi = await staffUser(srv.url, 'sl_ofi', 'oficial_control', PW);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('secondary queue at 1024, 1366 and 1920 px: a four-word name on two lines at most, a DPI\'s number within its cell', async () => {
  const cases = [
    // a CA-4 card flying in from the United States: refused at the booth
    ['id_card', '2456789010101', 'GTM', 'Xiomara Guadalupe', 'Castellanos Villalobos'],
    ['id_card', '3456789010102', 'GTM', 'Kevin Alexander', 'Maradiaga Flores'],
    // a Chinese passport without a visa: secondary
    ['passport', 'E71234567', 'CHN', 'Wei Ming', 'Zhang Huang'],
  ];
  const ids = [];
  for (const [kind, number, nat, given, sur] of cases) {
    const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 390', route_country: 'USA',
      document: { kind, number, issuing_state: nat, nationality: nat, expiry_date: '2031-01-01' },
      person: { given_names: given, surnames: sur, birth_date: '1985-02-02', sex: 'M', nationality: nat } });
    assert.ok(['secondary', 'refuse'].includes(r.json.decision), JSON.stringify(r.json));
    ids.push(r.json.inspection_id);
  }
  const page = await newPage(browser, srv.url, { viewport: { width: 1024, height: 768 } });
  await login(page, 'sl_ofi', PW);
  for (const width of [1024, 1366, 1920]) {
    await page.setViewportSize({ width, height: 768 });
    await page.goto('/#/secundaria');
    await page.locator(`#sec-cola tr[data-id="${ids.at(-1)}"]`).waitFor();
    await page.screenshot({ path: `${SHOTS}/secundaria-lista-${width}.png`, fullPage: true });
    for (const [k, id] of ids.entries()) {
      const row = page.locator(`#sec-cola tr[data-id="${id}"]`);
      const name = await textLines(row.locator('a[href^="#/personas"]'));
      assert.ok(name <= 2, `${width} px: «${cases[k][3]} ${cases[k][4]}» on ${name} lines`);
      const doc = await row.locator('td.mono').evaluate((td) => ({ text: td.textContent, scroll: td.scrollWidth, client: td.clientWidth }));
      assert.ok(doc.scroll <= doc.client, `${width} px: «${doc.text}» wider than its cell (${doc.scroll} > ${doc.client} px)`);
      assert.match(doc.text, new RegExp(cases[k][1]));
      // the issuer over the number at most, the number not broken
      const docLines = await textLines(row.locator('td.mono'));
      assert.ok(docLines <= 2, `${width} px: «${doc.text}» on ${docLines} lines`);
    }
    const m = await page.evaluate(() => { const w = document.querySelector('#sec-cola'); return { scroll: w.scrollWidth, client: w.clientWidth }; });
    assert.ok(m.scroll <= m.client, `${width} px: the queue (${m.scroll} px) is wider than its area (${m.client} px)`);
  }
  // no console error, no failed request
  assert.deepEqual(faults(page), []);
});
