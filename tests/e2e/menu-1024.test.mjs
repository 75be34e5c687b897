// The side menu on a booth's 1024×768 monitor: a border officer's
// entries read on one line each, the page's own in bold too («Cabina de
// inspección» broke in two), but «Autorizaciones de menores», which
// would need more of the content's width than the menu gives; the
// content keeps its width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';
import { launch, newPage, login, faults, SHOTS } from '../lib/browser.mjs';

let srv, browser;
const PW = 'Menu-1024-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  await staffUser(srv.url, 'mu_ofi', 'oficial_control', PW);
});
after(async () => { await browser?.close(); await srv?.stop(); });

// each entry's lines, as drawn and as the page's own entry (bold)
const LINES = `() => {
  const lines = (el) => {
    const r = document.createRange();
    r.selectNodeContents(el);
    return new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top))).size;
  };
  return [...document.querySelectorAll('nav.menu a')].map((a) => {
    const was = a.classList.contains('activo');
    a.classList.add('activo');
    const bold = lines(a);
    if (!was) a.classList.remove('activo');
    return [a.textContent, lines(a), bold];
  });
}`;

test('side menu at 1024 px: a border officer\'s entries on one line, bold too, the content as wide as before', async () => {
  const page = await newPage(browser, srv.url, { viewport: { width: 1024, height: 768 } });
  await login(page, 'mu_ofi', PW);
  await page.goto('/#/cabina');
  await page.waitForSelector('#cab-mrz');
  await page.screenshot({ path: `${SHOTS}/menu-1024-cabina.png` });
  const said = await page.evaluate(`(${LINES})()`);
  assert.ok(said.some(([t]) => t === 'Cabina de inspección'), JSON.stringify(said));
  const two = said.filter(([t, n, b]) => (n > 1 || b > 1) && t !== 'Autorizaciones de menores');
  assert.deepEqual(two, [], `entries on two lines: ${JSON.stringify(said)}`);
  // still two lines at most
  assert.ok(said.every(([, n, b]) => n <= 2 && b <= 2), JSON.stringify(said));
  const w = await page.evaluate(() => ({ menu: document.querySelector('nav.menu').getBoundingClientRect().width, main: document.querySelector('main').getBoundingClientRect().width }));
  assert.equal(w.menu, 190, JSON.stringify(w));
  assert.equal(w.main, 1024 - 190, JSON.stringify(w));
  assert.deepEqual(faults(page), []);
});
