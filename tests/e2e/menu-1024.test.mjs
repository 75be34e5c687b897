// The side menu on a booth's 1024×768 monitor, and at 1366 and 1920: a
// border officer's entries read on one line each, the page's own in bold
// too («Cabina de inspección» broke in two at 1024, «Autorizaciones de
// menores» too, and in bold at 1366 as well: it reads «Salida de
// menores» in the menu, its page's title keeps the full name); the
// content keeps its width.  Every role's menu too, at 1024: «Multas a
// transportistas», «Restricciones judiciales» and «Documentos extraviados
// o robados» took two lines (in bold; the last even plain) and read
// «Multas a empresas», «Restricciones» and «Extravío o robo» in the menu,
// the full name their hint, the window's title and the page's h1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';
import { launch, newPage, login, faults, SHOTS } from '../lib/browser.mjs';

// every role that signs in to the web (authz.c's), one user each
const ROLES = ['oficial_control', 'supervisor_control', 'secretaria_general', 'pasaportes', 'extranjeria',
  'atencion_migrante', 'uaip', 'planificacion', 'admin_ti', 'direccion'];

let srv, browser;
const PW = 'Menu-1024-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  await staffUser(srv.url, 'mu_ofi', 'oficial_control', PW);
  for (const role of ROLES) await staffUser(srv.url, `mu_${role}`, role, PW);
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

test('side menu at 1024, 1366 and 1920 px: a border officer\'s entries on one line, bold too, the content as wide as before', async () => {
  const page = await newPage(browser, srv.url, { viewport: { width: 1024, height: 768 } });
  await login(page, 'mu_ofi', PW);
  for (const [width, menu] of [[1024, 190], [1366, 232], [1920, 232]]) {
    await page.setViewportSize({ width, height: 768 });
    await page.goto('/#/cabina');
    await page.waitForSelector('#cab-mrz');
    await page.screenshot({ path: `${SHOTS}/menu-${width}-cabina.png` });
    const said = await page.evaluate(`(${LINES})()`);
    assert.ok(said.some(([t]) => t === 'Cabina de inspección'), JSON.stringify(said));
    assert.ok(said.some(([t]) => t === 'Salida de menores'), JSON.stringify(said));
    const two = said.filter(([, n, b]) => n > 1 || b > 1);
    assert.deepEqual(two, [], `${width} px: entries on two lines: ${JSON.stringify(said)}`);
    const w = await page.evaluate(() => ({ menu: document.querySelector('nav.menu').getBoundingClientRect().width, main: document.querySelector('main').getBoundingClientRect().width }));
    assert.equal(w.menu, menu, `${width} px: ${JSON.stringify(w)}`);
    assert.equal(w.main, Math.min(width - menu, 1200), `${width} px: ${JSON.stringify(w)}`);
  }
  // the shorter entry opens the page under its full name, said on the entry too
  const entry = page.locator('nav.menu a', { hasText: 'Salida de menores' });
  assert.equal(await entry.getAttribute('title'), 'Autorizaciones de salida de menores');
  await entry.click();
  await page.waitForFunction(() => document.querySelector('main h1')?.textContent === 'Autorizaciones de salida de menores');
  assert.equal(await page.locator('nav.menu a.activo').textContent(), 'Salida de menores');
  assert.deepEqual(faults(page), []);
});

test('side menu at 1024 px: every role\'s entries on one line, bold too; a shortened entry says its full name', async () => {
  const page = await newPage(browser, srv.url, { viewport: { width: 1024, height: 768 } });
  const seen = new Set();
  for (const role of ROLES) {
    await login(page, `mu_${role}`, PW);
    const said = await page.evaluate(`(${LINES})()`);
    await page.screenshot({ path: `${SHOTS}/menu-1024-${role}.png` });
    for (const [t] of said) seen.add(t);
    const two = said.filter(([, n, b]) => n > 1 || b > 1);
    assert.deepEqual(two, [], `${role}: entries on two lines: ${JSON.stringify(said)}`);
    await page.click('#salir');
    await page.waitForSelector('#usuario');
  }
  // the three shortened, each opening its page under the full name
  await login(page, 'mu_supervisor_control', PW);
  for (const [menu, full] of [['Multas a empresas', 'Multas a transportistas'], ['Restricciones', 'Restricciones judiciales'],
    ['Extravío o robo', 'Documentos extraviados o robados']]) {
    assert.ok(seen.has(menu), menu);
    const entry = page.locator('nav.menu a', { hasText: menu });
    assert.equal(await entry.getAttribute('title'), full);
    await entry.click();
    await page.waitForFunction((t) => document.querySelector('main h1')?.textContent === t, full);
    assert.equal(await page.title(), `${full} — SIGM`);
    assert.equal(await page.locator('nav.menu a.activo').textContent(), menu);
  }
  assert.deepEqual(faults(page), []);
});
