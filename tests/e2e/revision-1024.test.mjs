// The reviewer's walk of the border screens on a booth's 1024×768
// monitor: every text an officer must read is read whole there, and the
// screens still fit at 1366.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';
import { launch, newPage, login, faults, SHOTS } from '../lib/browser.mjs';

let srv, browser, ofi, sup;
const PW = 'Revision-1024-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  ofi = await staffUser(srv.url, 'r1_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'r1_sup', 'supervisor_control', PW);
});
after(async () => { await browser?.close(); await srv?.stop(); });

// how many pixels of a control's text are cut: the text's width in the
// control's font against the room the control gives it (a select's arrow
// takes ~20 px); 0 or less is whole
const CUT = `(el, text, arrow) => {
  const cs = getComputedStyle(el);
  const c = document.createElement('canvas').getContext('2d');
  c.font = cs.fontWeight + ' ' + cs.fontSize + ' ' + cs.fontFamily;
  return Math.round(c.measureText(text).width - (el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - arrow));
}`;

async function chinaCase(given, surnames, number) {
  const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'AV 630', route_country: 'USA',
    document: { kind: 'passport', number, issuing_state: 'CHN', nationality: 'CHN', expiry_date: '2031-01-01' },
    person: { given_names: given, surnames, birth_date: '1980-01-01', sex: 'M', nationality: 'CHN' } });
  assert.equal(r.json.decision, 'secondary', JSON.stringify(r.json));
  return r.json.inspection_id;
}

test('secondary queue: «Remitir a Atención al Migrante» and every referral motive read whole at 1024 px; the queue fits at 1024 and 1366', async () => {
  const id = await chinaCase('Wei', 'Zhang', 'X7654321');
  const page = await newPage(browser, srv.url, { viewport: { width: 1024, height: 768 } });
  await login(page, 'r1_sup', PW);
  for (const width of [1024, 1366]) {
    await page.setViewportSize({ width, height: 768 });
    await page.goto('/#/secundaria');
    const row = page.locator(`#sec-cola tr[data-id="${id}"]`);
    await row.locator('.res-tipo').selectOption('refer_atencion_migrante');
    await row.locator('.res-motivo').waitFor();
    const cut = { tipo: await row.locator('.res-tipo').evaluate((s, f) => (0, eval)(f)(s, s.selectedOptions[0].text, 20), CUT) };
    assert.equal(await row.locator('.res-tipo').evaluate((s) => s.selectedOptions[0].text), 'Remitir a Atención al Migrante');
    for (const v of await row.locator('.res-motivo option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean))) {
      await row.locator('.res-motivo').selectOption(v);
      cut[v] = await row.locator('.res-motivo').evaluate((s, f) => (0, eval)(f)(s, s.selectedOptions[0].text, 20), CUT);
    }
    assert.ok(Object.keys(cut).length >= 6, JSON.stringify(cut));
    await row.locator('.res-motivo').selectOption('trafficking');
    await page.screenshot({ path: `${SHOTS}/e2e-revision-${width}-remision.png`, fullPage: true });
    for (const [k, v] of Object.entries(cut)) assert.ok(v <= 0, `${width} px: ${k}: ${v} px cut off (${JSON.stringify(cut)})`);
    // the queue within its area, the resolution's button too
    const m = await page.evaluate(() => {
      const wrap = document.querySelector('#sec-cola');
      const rights = [...wrap.querySelectorAll('.res-tipo, .res-motivo, .resolucion button')].map((e) => e.getBoundingClientRect().right);
      return { scroll: wrap.scrollWidth, client: wrap.clientWidth, right: wrap.getBoundingClientRect().right, widest: Math.max(...rights) };
    });
    assert.ok(m.scroll <= m.client, `${width}: the queue (${m.scroll} px) is wider than its area (${m.client} px)`);
    assert.ok(m.widest <= m.right, `${width}: the resolution ends at ${m.widest}, its area at ${m.right}`);
  }
  // no console error, no failed request
  assert.deepEqual(faults(page), []);
});

test('resolved cases: the resolution reads as a heading, capitalized («No admitida (inadmisión)»)', async () => {
  const id = await chinaCase('Li', 'Wang', 'E12345678');
  const r = await sup.post(`/api/v1/inspections/${id}/resolve`, { resolution: 'refuse', legal_ground: 'LEME art. 17: sin visa', carrier: 'AV', return_transport: 'AV 124, mañana 06:00' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const page = await newPage(browser, srv.url, { viewport: { width: 1024, height: 768 } });
  await login(page, 'r1_sup', PW);
  await page.goto('/#/secundaria');
  const b = page.locator(`#sec-resueltos tr[data-id="${id}"] b`);
  await b.waitFor();
  // as shown (the text stays the label's, lower case, for the lists that quote it)
  assert.equal(await b.evaluate((x) => x.innerText), 'No admitida (inadmisión)');
  // no console error, no failed request
  assert.deepEqual(faults(page), []);
});

test('LEPINA registry at 1024 px: the latest authorizations show on opening, without «Buscar»; the search\'s hint reads whole', async () => {
  const today = new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10);
  const addDays = (d, n) => new Date(Date.parse(d + 'T12:00:00Z') + n * 86400e3).toISOString().slice(0, 10);
  const a = await ofi.post('/api/v1/minor-authorizations', {
    minor: { given_names: 'Camila', surnames: 'Serrano Vides', birth_date: '2016-02-02', document_number: 'C16020202' },
    birth_certificate_ref: 'Partida 12', authorizing: [{ relation: 'father', given_names: 'Mario', surnames: 'Serrano', document_number: '06000002' }],
    instrument: 'notarial_act', instrument_reference: 'Acta 12-2026', issued_on: addDays(today, -2), valid_to: addDays(today, 30),
    companion: { given_names: 'Elena', surnames: 'Vides', document_number: '06000001' }, destination: 'USA', length_of_stay: '10 días' });
  assert.equal(a.status, 201, JSON.stringify(a.json));
  const page = await newPage(browser, srv.url, { viewport: { width: 1024, height: 768 } });
  await login(page, 'r1_ofi', PW);
  await page.goto('/#/menores');
  const doc = page.locator('#me-buscar-doc');
  await doc.waitFor();
  const cut = await doc.evaluate((el, f) => (0, eval)(f)(el, el.placeholder, 0), CUT);
  assert.ok(cut <= 0, `the search's hint «${await doc.getAttribute('placeholder')}»: ${cut} px cut off`);
  // nothing pressed: the one just registered is listed, and the page says what the list is
  await page.locator(`main tr[data-id="${a.json.id}"]`).waitFor({ timeout: 5000 });
  assert.match(await page.textContent('#me-ultimas'), /últimas registradas/);
  await page.screenshot({ path: `${SHOTS}/e2e-revision-1024-menores.png`, fullPage: true });
  // a search still answers with its own list
  await doc.fill('X0000000');
  await doc.press('Enter');
  await page.getByText('Ninguna autorización con esos datos.').waitFor();
  assert.equal(await page.locator(`main tr[data-id="${a.json.id}"]`).count(), 0);
  // no console error, no failed request
  assert.deepEqual(faults(page), []);
});
