// A passport shown at a post by somebody who is not its holder is kept
// apart from the holder (document_holder_mismatch, a possible duplicate):
// the holder's history says so, with who it was a click away.  It said
// nothing: an officer reading the holder's history saw no sign of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';
import { launch, newPage, login, faults, SHOTS } from '../lib/browser.mjs';

let srv, browser, ofi;
const PW = 'Historial-Doc-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  ofi = await staffUser(srv.url, 'hd_ofi', 'oficial_control', PW);
  await staffUser(srv.url, 'hd_sup', 'supervisor_control', PW);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('the holder\'s history: «Documento presentado por otra persona», linked to that person', async () => {
  const doc = { kind: 'passport', code: 'P', number: 'HN7200001', issuing_state: 'HND', nationality: 'HND', expiry_date: '2033-01-01' };
  const holder = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 1', document: doc,
    person: { given_names: 'Karla Yesenia', surnames: 'Mejía Paz', birth_date: '1992-02-02', sex: 'F', nationality: 'HND' } });
  assert.equal(holder.json.decision, 'admit', JSON.stringify(holder.json));
  const other = await ofi.post('/api/v1/inspections', { port: 'HAC', direction: 'exit', transport: 'P 123', document: doc,
    person: { given_names: 'Dania', surnames: 'Reyes Ortiz', birth_date: '1990-09-09', sex: 'F', nationality: 'HND' } });
  assert.equal(other.status, 201, JSON.stringify(other.json));
  const page = await newPage(browser, srv.url, { viewport: { width: 1024, height: 768 } });
  await login(page, 'hd_sup', PW);
  await page.goto(`/#/personas?id=${holder.json.person_id}`);
  const row = page.locator('tr', { hasText: 'Documento presentado por otra persona' });
  await row.waitFor();
  assert.equal(await page.locator('tr', { hasText: 'Documento presentado por otra persona' }).count(), 1);
  const link = row.locator('a.presentado-por');
  assert.equal(await link.textContent(), `persona n.º ${other.json.person_id}`);
  await page.screenshot({ path: `${SHOTS}/e2e-historial-documento.png`, fullPage: true });
  await link.click();
  await page.waitForFunction((n) => /Dania Reyes Ortiz/.test(document.querySelector('#pe-persona')?.textContent || ''), null);
  // the presenter's own history does not say it of itself
  await page.locator('main table').last().waitFor();
  assert.equal(await page.locator('tr', { hasText: 'Documento presentado por otra persona' }).count(), 0);
  // no console error, no failed request
  assert.deepEqual(faults(page), []);
});

test('«Personas»: from a person\'s history back to the search\'s list, the cursor on the one just read (the list was gone: one search per namesake)', async () => {
  const ids = [];
  for (const [n, given] of [['HN7300001', 'Ana María'], ['HN7300002', 'Ana Lucía']]) {
    const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 2',
      document: { kind: 'passport', code: 'P', number: n, issuing_state: 'HND', nationality: 'HND', expiry_date: '2033-01-01' },
      person: { given_names: given, surnames: 'Zavala Núñez', birth_date: n.endsWith('1') ? '1980-01-01' : '1985-05-05', sex: 'F', nationality: 'HND' } });
    assert.equal(r.json.decision, 'admit', JSON.stringify(r.json));
    ids.push(r.json.person_id);
  }
  const page = await newPage(browser, srv.url, { viewport: { width: 1024, height: 768 } });
  await login(page, 'hd_sup', PW);
  await page.goto('/#/personas');
  await page.fill('#pe-apellidos', 'zavala');
  await page.press('#pe-apellidos', 'Enter');
  await page.locator(`button[data-persona="${ids[0]}"]`).click();
  await page.waitForFunction(() => /Ana María Zavala Núñez/.test(document.querySelector('#pe-persona')?.textContent || ''));
  await page.click('#pe-volver');
  // the same list, the cursor on the row read
  await page.locator(`button[data-persona="${ids[1]}"]`).waitFor();
  assert.equal(await page.locator('main button:has-text("Ver historial")').count(), 2);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.persona), String(ids[0]));
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /Ana Lucía Zavala Núñez/.test(document.querySelector('#pe-persona')?.textContent || ''));
  // opened by its address (a link), there is no list to go back to
  await page.goto(`/#/personas?id=${ids[0]}`);
  await page.waitForFunction(() => /Ana María/.test(document.querySelector('#pe-persona')?.textContent || ''));
  assert.equal(await page.locator('#pe-volver').count(), 0);
  // no console error, no failed request
  assert.deepEqual(faults(page), []);
});

test('a DUI is shown as Salvadorans write it (00016297-5), not as the record keeps it', async () => {
  const r = await ofi.post('/api/v1/inspections', { port: 'HAC', direction: 'entry', transport: 'P 123-456', route_country: 'GTM',
    document: { kind: 'id_card', number: '000162975', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2030-01-01' },
    person: { given_names: 'Laura', surnames: 'Ramos Funes', birth_date: '1985-03-03', sex: 'F', nationality: 'SLV' } });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const page = await newPage(browser, srv.url, { viewport: { width: 1024, height: 768 } });
  await login(page, 'hd_sup', PW);
  await page.goto(`/#/personas?id=${r.json.person_id}`);
  await page.waitForSelector('#pe-persona');
  const docs = await page.locator('main table').first().textContent();
  assert.match(docs, /00016297-5/);
  assert.doesNotMatch(docs, /000162975/);
  assert.match(await page.textContent('main'), /Documento de identidad 00016297-5/);
  // no console error, no failed request
  assert.deepEqual(faults(page), []);
});
