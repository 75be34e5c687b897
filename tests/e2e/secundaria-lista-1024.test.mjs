// The secondary queue on a booth's 1024×768 monitor, and at 1366 and
// 1920, as the officer who sent the case sees it: a four-word name reads
// on two lines at most (it took three or four in its column), and a
// Guatemalan DPI's thirteen digits stay whole in the document's cell (at
// 1024 px they ran under the reasons' first words).  A document's number
// is never broken, however narrow its column: «SLV 12345678-9» broke at
// its hyphen, a DPI between any two digits (the issuer may go over it).
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

test('secondary queue at 1024, 1366 and 1920 px: a four-word name on two lines at most, a DPI\'s or a DUI\'s number within its cell and never broken', async () => {
  const cases = [
    // a CA-4 card flying in from the United States: refused at the booth
    ['id_card', '2456789010101', 'GTM', 'Xiomara Guadalupe', 'Castellanos Villalobos'],
    ['id_card', '3456789010102', 'GTM', 'Kevin Alexander', 'Maradiaga Flores'],
    // a Chinese passport without a visa: secondary
    ['passport', 'E71234567', 'CHN', 'Wei Ming', 'Zhang Huang'],
    // a DUI, read with its check digit after a hyphen (12345678-9)
    ['id_card', '123456789', 'SLV', 'María José', 'Hernández Quintanilla'],
  ];
  const shown = (number, nat) => (nat === 'SLV' ? `${number.slice(0, 8)}-${number.slice(8)}` : number);
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
      assert.ok(doc.text.includes(shown(cases[k][1], cases[k][2])), doc.text);
      // the issuer over the number at most, the number not broken
      const docLines = await textLines(row.locator('td.mono'));
      assert.ok(docLines <= 2, `${width} px: «${doc.text}» on ${docLines} lines`);
      // the number's own lines, as laid out and in the cell at its
      // narrowest (min-content: where a narrower column or a wider font
      // would break it)
      const number = shown(cases[k][1], cases[k][2]);
      const num = await row.locator('td.mono').evaluate((td, n) => {
        const lines = () => {
          const at = td.textContent.indexOf(n);
          const r = document.createRange();
          const walk = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
          let seen = 0;
          for (let t = walk.nextNode(); t; t = walk.nextNode()) {
            const len = t.textContent.length;
            if (at >= seen && at <= seen + len) r.setStart(t, at - seen);
            if (at + n.length >= seen && at + n.length <= seen + len) { r.setEnd(t, at + n.length - seen); break; }
            seen += len;
          }
          return new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top))).size;
        };
        const now = lines();
        td.style.width = 'min-content';
        td.style.justifySelf = 'start';
        const narrowest = lines();
        td.style.width = '';
        td.style.justifySelf = '';
        return { now, narrowest };
      }, number);
      assert.deepEqual(num, { now: 1, narrowest: 1 }, `${width} px: «${number}» broken (lines as laid out, and at the cell's narrowest)`);
    }
    const m = await page.evaluate(() => { const w = document.querySelector('#sec-cola'); return { scroll: w.scrollWidth, client: w.clientWidth }; });
    assert.ok(m.scroll <= m.client, `${width} px: the queue (${m.scroll} px) is wider than its area (${m.client} px)`);
  }
  // no console error, no failed request
  assert.deepEqual(faults(page), []);
});
