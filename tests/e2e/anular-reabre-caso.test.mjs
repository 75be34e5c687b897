// A Bolivian left waiting in secondary at Comalapa was let in at Ilopango
// with her visa, and the Comalapa supervisor closed her case on that entry
// (already recorded).  The visa turned out false and a supervisor voids the
// entry from «Movimientos del día»: the page says the case goes back to
// secondary, and Comalapa's queue shows it with why and with what had been
// decided on it, by whom and with what note (only the audit kept them).
// It stayed resolved, pointing at a voided crossing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser, Client, ADMIN_PASSWORD } from '../lib/server.mjs';
import { launch, newPage, login, SHOTS, faults } from '../lib/browser.mjs';

let srv, browser, ofi, sup;
const PW = 'Comalapa-Turno-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  ofi = await staffUser(srv.url, 'ar_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'ar_sup', 'supervisor_control', PW);
  await staffUser(srv.url, 'ar_sup2', 'supervisor_control', PW);
  // the supervisors by the names the queue shows them by
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  for (const [u, name] of [['ar_sup', 'Rosa Argueta'], ['ar_sup2', 'Julio Menjívar']])
    assert.equal((await admin.patch(`/api/v1/users/${u}`, { display_name: name })).status, 200);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('voiding from «Movimientos del día» the entry a case closed on says the case is back, and the queue shows it reopened', async () => {
  const doc = { kind: 'passport', code: 'P', number: 'AR0000001', issuing_state: 'BOL', nationality: 'BOL', expiry_date: '2031-05-01' };
  const who = { given_names: 'Reina', surnames: 'Reabierta Choque', birth_date: '1970-02-02', sex: 'F', nationality: 'BOL' };
  const c = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 1', document: doc, person: who });
  assert.equal(c.json.decision, 'secondary', JSON.stringify(c.json));
  // (a case of two days ago: one of today sends her to secondary at Ilopango too)
  assert.equal(srv.sql(`UPDATE inspections SET at = '${new Date(Date.now() - 48 * 3600e3).toISOString()}' WHERE id = ${c.json.inspection_id}`).status, 0);
  const e = await ofi.post('/api/v1/inspections', { port: 'ILO', direction: 'entry', transport: 'XY 1', document: doc, person: who,
    visa: { type: 'consular', valid_until: '2030-01-01', reference: 'V-AR-1' } });
  assert.equal(e.json.decision, 'admit', JSON.stringify(e.json));
  const r = await sup.post(`/api/v1/inspections/${c.json.inspection_id}/resolve`, { resolution: 'admit', notes: 'Ingresó por Ilopango con su visa' });
  assert.deepEqual([r.json.already_recorded, r.json.movement_id], [true, e.json.movement_id], JSON.stringify(r.json));

  const page = await newPage(browser, srv.url);
  await login(page, 'ar_sup2', PW);
  await page.goto('/#/movimientos');
  await page.selectOption('#mv-puesto', 'ILO');
  const row = page.locator(`#mv-lista tbody tr[data-id="${e.json.movement_id}"]`);
  await row.waitFor();
  await row.locator('.mv-anular').click();
  await row.locator('.mv-motivo').fill('La visa resultó falsa');
  await row.locator('button.peligro').click();
  await page.waitForSelector('main .aviso.ok');
  assert.match(await page.textContent('main .aviso.ok'),
    new RegExp(`Movimiento n\\.º ${e.json.movement_id} anulado .*El caso de segunda revisión que se cerró sobre él \\(inspección n\\.º ${c.json.inspection_id}\\) vuelve a la cola`));
  await page.screenshot({ path: `${SHOTS}/anular-reabre-caso-movimientos.png`, fullPage: true });

  await page.evaluate(() => localStorage.setItem('sigm.sec.port', 'SAL'));
  await page.goto('/#/secundaria');
  const back = page.locator(`#sec-cola tr[data-id="${c.json.inspection_id}"]`);
  await back.waitFor();
  assert.match(await back.locator('.sec-reabierta').textContent(),
    new RegExp(`^Reabierta: el cruce sobre el que Rosa Argueta la admitió, ya registrado \\(movimiento n\\.º ${e.json.movement_id}\\), fue anulado por Julio Menjívar`));
  // and what had been decided, in plain words
  assert.match(await back.locator('.sec-antes').textContent(),
    /^Decidido antes: admitida por Rosa Argueta \(.+\), nota: Ingresó por Ilopango con su visa$/);
  await page.screenshot({ path: `${SHOTS}/anular-reabre-caso-cola.png`, fullPage: true });
  assert.deepEqual(faults(page), []);
  await page.close();
});
