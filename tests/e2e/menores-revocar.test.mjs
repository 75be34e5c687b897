// A parent withdraws the consent to a child's trip (LEPINA Art. 44): the
// clerk finds the authorization and records the written revocation on its
// row; the booth then sends the child to secondary.  There was no way to
// record it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';
import { launch, newPage, login, SHOTS, faults } from '../lib/browser.mjs';

let srv, browser, ofi;
const PW = 'Menores-Revoca-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  ofi = await staffUser(srv.url, 'mr_ofi', 'oficial_control', PW);
});
after(async () => { await browser?.close(); await srv?.stop(); });
const today = new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10);
const addDays = (d, n) => new Date(Date.parse(d + 'T12:00:00Z') + n * 86400e3).toISOString().slice(0, 10);

test('the clerk records a parent\'s revocation on the authorization\'s row; said at once, refused without its reference; the booth no longer reads it', async () => {
  const a = await ofi.post('/api/v1/minor-authorizations', {
    minor: { given_names: 'Camila', surnames: 'Serrano Vides', birth_date: '2016-02-02', document_number: 'C16020202' },
    birth_certificate_ref: 'Partida 12', authorizing: [{ relation: 'father', given_names: 'Mario', surnames: 'Serrano', document_number: '06000002' }],
    instrument: 'notarial_act', instrument_reference: 'Acta 12-2026', issued_on: addDays(today, -2), valid_to: addDays(today, 30),
    companion: { given_names: 'Elena', surnames: 'Vides', document_number: '06000001' }, destination: 'USA', length_of_stay: '10 días' });
  assert.equal(a.status, 201, JSON.stringify(a.json));
  const page = await newPage(browser, srv.url, { viewport: { width: 1024, height: 768 } });
  await login(page, 'mr_ofi', PW);
  await page.goto('/#/menores');
  await page.fill('#me-buscar-doc', 'c16020202');
  await page.press('#me-buscar-doc', 'Enter');
  const row = page.locator(`tr[data-id="${a.json.id}"]`);
  await row.waitFor();
  assert.match(await row.textContent(), /Vigente hoy/);
  await row.locator('summary', { hasText: 'Revocar' }).click();
  await row.locator('.me-revoca-motivo').fill('El padre retira su consentimiento');
  await row.locator('button', { hasText: 'Registrar revocación' }).click();
  await row.locator('.aviso.error').waitFor();
  assert.match(await row.locator('.aviso.error').textContent(), /^Documento de la revocación: /);
  assert.equal(await page.evaluate(() => document.activeElement.className), 'me-revoca-ref invalido');
  await page.keyboard.type('Escrito ante notario, 5 dic 2026');
  await page.keyboard.press('Enter');
  const done = page.locator(`tr[data-id="${a.json.id}"] .me-revocada`);
  await done.waitFor();
  assert.match(await done.textContent(), /^el \d+ \w+\.? \d{4}: El padre retira su consentimiento \(Escrito ante notario, 5 dic 2026\)$/);
  assert.equal(await page.locator(`tr[data-id="${a.json.id}"] summary`).count(), 0, 'nothing left to revoke');
  await page.screenshot({ path: `${SHOTS}/e2e-menores-revocada.png`, fullPage: true });
  const out = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', route_country: 'USA',
    document: { kind: 'passport', code: 'P', number: 'C16020202', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2030-01-01' },
    person: { given_names: 'Camila', surnames: 'Serrano Vides', birth_date: '2016-02-02', nationality: 'SLV', sex: 'F' },
    companions: [{ relation: 'parent', name: 'Elena Vides', document_number: '06000001', identity_checked: true }] });
  assert.equal(out.json.decision, 'secondary', JSON.stringify(out.json.reasons));
  assert.deepEqual(faults(page, /status of 400/ /* the revocation sent without its document */), []);
});

test('«Válida hasta» stops one year after «Otorgada el», as LEPINA and the server do (Feb 29 to Feb 28)', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'mr_ofi', PW);
  await page.goto('/#/menores');
  await page.waitForSelector('#me-otorgada');
  for (const [issued, max] of [['2026-12-06', '2027-12-06'], ['2028-02-29', '2029-02-28']]) {
    await page.fill('#me-otorgada', issued);
    assert.deepEqual(await page.$eval('#me-hasta', (e) => [e.min, e.max]), [issued, max]);
  }
  await page.fill('#me-hasta', '2029-03-01');
  assert.equal(await page.$eval('#me-hasta', (e) => e.validity.rangeOverflow), true);
});
