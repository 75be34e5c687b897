// The booth's decision on a 1024×768 monitor, and at 1366 and 1920: its
// word reads on one line.  «SEGUNDA REVISIÓN», «LECTURA NO VÁLIDA»,
// «AUTORIZAR LA SALIDA» and «SALIDA NO AUTORIZADA» broke in two at
// 1024 px (the last at 1366 too), pushing the reasons the officer acts on
// a line further down; «ADMITIR» keeps its size.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';
import { launch, newPage, login, SHOTS, faults, textLines } from '../lib/browser.mjs';
import { td3 } from '../lib/mrz.mjs';

let srv, browser;
const PW = 'Veredicto-1024-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  await staffUser(srv.url, 've_ofi', 'oficial_control', PW);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('booth at 1024, 1366 and 1920 px: the decision\'s word on one line, its reasons right under it; «ADMITIR» as large as before', async () => {
  const page = await newPage(browser, srv.url, { viewport: { width: 1024, height: 768 } });
  await login(page, 've_ofi', PW);
  let n = 0;
  // each traveler a new person and passport: no «ya registrado», no entry
  // after an entry, from the width before
  const L = () => String.fromCharCode(65 + n);
  const cases = [
    ['entry', 'ADMITIR', () => td3(`M${n}1234`, `HERNANDEZ<CRUZ${L()}<<MARIA`, 'MEX', '850312', 'F', '310101')],
    ['entry', 'SEGUNDA REVISIÓN', () => td3(`E${n}2345`, `ZHANG${L()}<<WEI`, 'CHN', '800101', 'M', '310101')],
    ['entry', 'LECTURA NO VÁLIDA', () => td3(`G${n}3456`, `GARCIA${L()}<<JUAN`, 'GTM', '900101', 'M', '300101').replace(/.$/, 'X')],
    ['exit', 'AUTORIZAR LA SALIDA', () => td3(`A${n}4567`, `ALAS${L()}<<EVELYN`, 'SLV', '900101', 'F', '310101')],
    // a foreigner's passport run out, leaving: refused
    ['exit', 'SALIDA NO AUTORIZADA', () => td3(`C${n}5678`, `OSPINA${L()}<<DANIELA`, 'COL', '900101', 'F', '200101')],
  ];
  for (const width of [1024, 1366, 1920]) {
    await page.setViewportSize({ width, height: 768 });
    await page.goto('/#/cabina');
    await page.waitForSelector('#cab-mrz');
    await page.selectOption('#cab-puesto', 'SAL');
    await page.fill('#cab-transporte', 'TA 390');
    await page.fill('#cab-ruta', 'USA');
    for (const [direction, word, mrz] of cases) {
      n++;
      await page.selectOption('#cab-sentido', direction);
      await page.focus('#cab-mrz');
      await page.keyboard.press('Escape');
      await page.keyboard.type(mrz());
      await page.waitForFunction((w) => document.querySelector('#veredicto h2')?.textContent === w, word, { timeout: 10000 })
        .catch(async (e) => { throw new Error(`${width} px: waiting for «${word}», the booth says «${await page.textContent('#veredicto')}»: ${e.message}`); });
      await page.waitForTimeout(100);
      const h2 = page.locator('#veredicto h2');
      const lines = await textLines(h2);
      const m = await page.evaluate(() => {
        const v = document.querySelector('#veredicto'), h = v.querySelector('h2');
        const first = document.querySelector('#razones li, #leido');
        return { size: parseFloat(getComputedStyle(h).fontSize), scroll: h.scrollWidth, client: h.clientWidth, bottom: v.getBoundingClientRect().bottom, next: first && first.getBoundingClientRect().top };
      });
      await page.screenshot({ path: `${SHOTS}/cabina-veredicto-${width}-${word.replace(/\W+/g, '-').toLowerCase()}.png` });
      assert.equal(lines, 1, `${width} px: «${word}» on ${lines} lines (${JSON.stringify(m)})`);
      assert.ok(m.scroll <= m.client, `${width} px: «${word}» cut off (${JSON.stringify(m)})`);
      // still the screen's largest text
      assert.ok(m.size >= 21, `${width} px: «${word}» at ${m.size} px`);
      if (word === 'ADMITIR') assert.equal(m.size, 33, `${width} px: «ADMITIR» at ${m.size} px`);
    }
  }
  assert.deepEqual(faults(page), []);
});
