// The booth's visa and residence fields on a 1024×768 monitor (and at
// 1366 and 1920), opened by themselves for a foreigner who needs a visa
// or the DGME's approval: the decision, the booth's keys («Intro
// siguiente viajero · Esc limpiar») and every field of the panel on
// screen without scrolling, each label and the approval's box on one
// line, no placeholder, choice or date cut.  At 1024 px the panel pushed
// the keys below the screen, the box read in three lines and the
// approval's placeholder «Resolución de l…».
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';
import { launch, newPage, login, faults, SHOTS } from '../lib/browser.mjs';
import { td3 } from '../lib/mrz.mjs';

let srv, browser;
const PW = 'Extranjero-1024-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  await staffUser(srv.url, 'ex_ofi', 'oficial_control', PW);
});
after(async () => { await browser?.close(); await srv?.stop(); });


// What the panel and the booth show, measured in the page: the lines a
// text takes (its line boxes, one top each), what a control's text needs
// beside the room it has (the browser's own font, measured on a canvas)
const MEASURE = `() => {
  // (of its text: a checkbox beside it sits a little higher)
  const lines = (el) => {
    const tops = new Set();
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let t = walk.nextNode(); t; t = walk.nextNode()) {
      const r = document.createRange();
      r.selectNodeContents(t);
      for (const x of r.getClientRects()) if (x.width > 0) tops.add(Math.round(x.top));
    }
    return tops.size;
  };
  const ctx = document.createElement('canvas').getContext('2d');
  // the room a control gives its text, and the widest text it shows
  const room = (el) => { const s = getComputedStyle(el); return el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight); };
  const width = (el, t) => { ctx.font = getComputedStyle(el).font; return ctx.measureText(t).width; };
  const box = document.getElementById('cab-extranjero');
  const cut = [];
  for (const el of box.querySelectorAll('input:not([type=checkbox]), select')) {
    // a select's arrow takes about 20 px of its room; a date reads
    // dd/mm/aaaa empty, 30/06/2027 typed; a visa's number as long as
    // the booth's tests type
    const texts = el.tagName === 'SELECT' ? [...el.options].map((o) => o.text) : el.type === 'date' ? ['dd/mm/aaaa', '30/06/2027']
      : [el.placeholder, el.id === 'cab-visa-numero' ? 'SV-BOL-20261' : ''].filter(Boolean);
    // (a date's parts are drawn a little apart: a few pixels more)
    const need = Math.max(0, ...texts.map((t) => width(el, t))) + (el.tagName === 'SELECT' ? 20 : el.type === 'date' ? 6 : 0);
    if (need > room(el)) cut.push({ id: el.id, need: Math.round(need), room: room(el) });
  }
  const keys = document.querySelector('.teclas').getBoundingClientRect();
  const h2 = document.querySelector('#veredicto h2').getBoundingClientRect();
  return {
    open: box.open, scrollY: window.scrollY, win: window.innerHeight,
    keys: keys.bottom, keysTop: keys.top, decision: h2.bottom, panel: box.getBoundingClientRect().bottom,
    approved: lines(document.querySelector('#cab-vc-aprobada').closest('label')),
    labels: [...box.querySelectorAll('label')].map((l) => [l.textContent.trim(), lines(l)]).filter(([, n]) => n > 1),
    cut,
  };
}`;

test('booth at 1024, 1366 and 1920 px: a Chinese passport opens the visa fields; the decision, the keys and every field in view, nothing cut', async () => {
  const page = await newPage(browser, srv.url, { viewport: { width: 1024, height: 768 } });
  await login(page, 'ex_ofi', PW);
  let n = 0;
  for (const width of [1024, 1366, 1920]) {
    await page.setViewportSize({ width, height: 768 });
    await page.goto('/#/cabina');
    await page.waitForSelector('#cab-mrz');
    await page.selectOption('#cab-puesto', 'SAL');
    await page.selectOption('#cab-sentido', 'entry');
    await page.fill('#cab-transporte', 'TA 390');
    await page.fill('#cab-ruta', 'USA');
    await page.focus('#cab-mrz');
    // a new passport at each width: no «ya registrado»
    await page.keyboard.type(td3(`E${++n}234567`, `ZHANG${String.fromCharCode(64 + n)}<<WEI`, 'CHN', '800101', 'M', '310101'));
    await page.waitForFunction(() => document.querySelector('#veredicto h2')?.textContent === 'SEGUNDA REVISIÓN', null, { timeout: 10000 });
    await page.waitForSelector('#cab-extranjero[open]');
    await page.waitForTimeout(100);
    await page.screenshot({ path: `${SHOTS}/cabina-extranjero-${width}.png` });
    const m = await page.evaluate(`(${MEASURE})()`);
    const said = `${width} px: ${JSON.stringify(m)}`;
    assert.equal(m.open, true, said);
    assert.equal(m.scrollY, 0, said);
    // the decision and the keys on screen, the panel's last field too
    assert.ok(m.decision <= m.win, `${said}: the decision below the screen`);
    assert.ok(m.keys <= m.win && m.keysTop >= 0, `${said}: «Intro siguiente viajero · Esc limpiar» below the screen`);
    assert.ok(m.panel <= m.win, `${said}: the visa and carnet fields run below the screen`);
    assert.equal(m.approved, 1, `${said}: «Visa consultada aprobada por la DGME» on ${m.approved} lines`);
    assert.deepEqual(m.labels, [], `${said}: labels on more than one line`);
    assert.deepEqual(m.cut, [], `${said}: a placeholder, a choice or a date cut`);
    // the approval typed there and Intro: the same traveler inspected again with it
    await page.check('#cab-vc-aprobada');
    await page.fill('#cab-vc-ref', 'DGME-VC-2026-0412');
    await page.fill('#cab-vc-vence', '2027-06-30');
    await page.focus('#cab-vc-ref');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /inspección n\.º \d+\)/.test(document.querySelector('#veredicto').textContent) && !/autorización aprobada/.test(document.querySelector('#razones').textContent), null, { timeout: 10000 });
  }
  assert.deepEqual(faults(page), []);
});
