// The secondary queue on a 1024-pixel screen: the supervisor reads the
// resolution chosen and what each field asks for whole.  «No admitir
// (inadmisión)» read «No admitir (inadmisió», the placeholders «Obligatorio:
// artículo y m…».
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';
import { launch, newPage, login, faults, SHOTS } from '../lib/browser.mjs';

let srv, browser, ofi;
const PW = 'Secundaria-1024-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  ofi = await staffUser(srv.url, 's1_ofi', 'oficial_control', PW);
  await staffUser(srv.url, 's1_sup', 'supervisor_control', PW);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('at 1024 px the refusal chosen and the required fields\' hints read whole', async () => {
  const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'AV 630', route_country: 'USA',
    document: { kind: 'passport', number: 'X7654321', issuing_state: 'CHN', nationality: 'CHN', expiry_date: '2031-01-01' },
    person: { given_names: 'Wei', surnames: 'Zhang', birth_date: '1980-01-01', sex: 'M', nationality: 'CHN' } });
  assert.equal(r.json.decision, 'secondary', JSON.stringify(r.json));
  const page = await newPage(browser, srv.url, { viewport: { width: 1024, height: 768 } });
  await login(page, 's1_sup', PW);
  await page.goto('/#/secundaria');
  const row = page.locator('#sec-cola tbody tr', { hasText: 'Zhang' });
  await row.waitFor();
  await row.locator('.res-tipo').selectOption('refuse');
  await row.locator('.res-fundamento').waitFor();
  // how much of each text is cut: its width in the field's font against
  // the room the field gives it (a select's arrow takes ~20 px)
  const widths = await row.evaluate((tr) => {
    const m = (el, text, arrow) => {
      const cs = getComputedStyle(el);
      const c = document.createElement('canvas').getContext('2d');
      c.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      return Math.round(c.measureText(text).width - (el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - arrow));
    };
    const s = tr.querySelector('.res-tipo');
    return { tipo: m(s, s.selectedOptions[0].text, 20), ...Object.fromEntries(['.res-fundamento', '.res-retorno'].map((k) => [k, m(tr.querySelector(k), tr.querySelector(k).placeholder, 0)])) };
  });
  assert.equal(await row.locator('.res-tipo').evaluate((s) => s.selectedOptions[0].text), 'No admitir (inadmisión)');
  for (const [k, v] of Object.entries(widths)) assert.ok(v <= 0, `${k}: ${v} px cut off`);
  // the table within its area
  assert.ok(await page.evaluate(() => { const t = document.querySelector('#sec-cola table'); return t.scrollWidth <= t.parentElement.clientWidth + 1; }));
  await page.screenshot({ path: `${SHOTS}/e2e-secundaria-1024-inadmision.png` });
  // no console error, no failed request
  assert.deepEqual(faults(page), []);
});
