// Who the booth took the traveler to be (#leido), on a 1024×768 monitor
// and at 1366 and 1920: every datum in two lines at most, nothing cut.
// At 1024 px «Documento de identidad 2456026570101» (a Guatemalan DPI
// typed by hand) read in three lines, two surnames with a particle in
// three; at 1366 «Pasaporte E2234567» in two.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';
import { launch, newPage, login, faults, SHOTS } from '../lib/browser.mjs';
import { td3 } from '../lib/mrz.mjs';

let srv, browser;
const PW = 'Identidad-1024-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  await staffUser(srv.url, 'id_ofi', 'oficial_control', PW);
});
after(async () => { await browser?.close(); await srv?.stop(); });

// each datum of the box: its name, the lines its value takes, whether it is cut
const READ = `() => [...document.querySelectorAll('#leido > div')].map((d) => {
  const dd = d.querySelector('dd');
  const r = document.createRange();
  r.selectNodeContents(dd);
  const lines = new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top))).size;
  return { k: d.querySelector('dt').textContent, v: dd.textContent, lines, cut: dd.scrollWidth > dd.clientWidth + 1 };
})`;

test('booth at 1024, 1366 and 1920 px: the identity read, each datum in two lines at most', async () => {
  const page = await newPage(browser, srv.url, { viewport: { width: 1024, height: 768 } });
  await login(page, 'id_ofi', PW);
  // a new person and document each time: no «ya registrado»
  let n = 0;
  for (const width of [1024, 1366, 1920]) {
    await page.setViewportSize({ width, height: 768 });
    await page.goto('/#/cabina');
    await page.waitForSelector('#cab-mrz');
    await page.selectOption('#cab-puesto', 'HAC');
    await page.selectOption('#cab-sentido', 'entry');
    await page.fill('#cab-transporte', 'Bus Tica P-4521');
    await page.fill('#cab-ruta', 'GTM');
    const travelers = [
      // a Guatemalan DPI typed by hand, with two surnames and a particle
      ['dpi', async () => {
        await page.selectOption('#m-tipo', 'id_card');
        await page.fill('#m-numero', `24560265701${String(++n).padStart(2, '0')}`);
        await page.fill('#m-emisor', 'GTM');
        await page.fill('#m-vence', '2031-01-01');
        await page.fill('#m-nombres', 'Xiomara Guadalupe');
        await page.fill('#m-apellidos', 'Castellanos de la Cruz Villalobos');
        await page.fill('#m-nacimiento', `1984-04-${10 + n}`);
        await page.fill('#m-nacionalidad', 'GTM');
        await page.click('#m-inspeccionar');
      }],
      // surnames as long as a passport's zone holds
      ['mrz', async () => {
        await page.focus('#cab-mrz');
        await page.keyboard.type(td3(`G${++n}234567`, `VILLATORO<DE<LA<CRUZ<HENRIQUE${String.fromCharCode(64 + n)}<<ANA`, 'GTM', '840414', 'F', '310101'));
      }],
      // longer still, typed by hand
      ['manual', async () => {
        await page.selectOption('#m-tipo', 'passport');
        await page.fill('#m-numero', `G${++n}7654321`);
        await page.fill('#m-emisor', 'GTM');
        await page.fill('#m-vence', '2031-01-01');
        await page.fill('#m-nombres', 'María de los Ángeles');
        await page.fill('#m-apellidos', 'Villatoro de la Cruz Henríquez Castellanos de Villalobos');
        await page.fill('#m-nacimiento', `1984-04-${10 + n}`);
        await page.fill('#m-nacionalidad', 'GTM');
        await page.click('#m-inspeccionar');
      }],
    ];
    for (const [name, go] of travelers) {
      await page.focus('#cab-mrz');
      await page.keyboard.press('Escape');
      await go();
      await page.waitForSelector('#hechos #leido', { timeout: 10000 })
        .catch(async (e) => { throw new Error(`${width} px, ${name}: the booth says «${await page.textContent('.decision')}»: ${e.message}`); });
      await page.waitForTimeout(100);
      await page.screenshot({ path: `${SHOTS}/cabina-identidad-${width}-${name}.png` });
      const said = await page.evaluate(`(${READ})()`);
      const where = `${width} px, ${name}: ${JSON.stringify(said)}`;
      assert.ok(said.some((d) => /^(Documento de identidad 24560265701|Pasaporte G)/.test(d.v)), where);
      for (const d of said) {
        assert.ok(d.lines <= 2, `${where}: «${d.v}» on ${d.lines} lines`);
        assert.equal(d.cut, false, `${where}: «${d.v}» cut`);
      }
      const box = await page.evaluate(() => { const b = document.querySelector('#leido'); return { scroll: b.scrollWidth, client: b.clientWidth }; });
      assert.ok(box.scroll <= box.client, `${where}: the box wider than its column ${JSON.stringify(box)}`);
    }
  }
  assert.deepEqual(faults(page), []);
});
