// A returnee deported without any papers waits in secondary at Comalapa.
// Admitting them rests on how the supervisor identified them (the RNPN, a
// consulate): the queue asks for it before the API refuses, naming why,
// and the justification stays on the case.  It admitted them with a click.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';
import { launch, newPage, login, faults } from '../lib/browser.mjs';

let srv, browser, ofi, sup;
const PW = 'Retorno-Turno-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  ofi = await staffUser(srv.url, 'nds_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'nds_sup', 'supervisor_control', PW);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('secondary: admitting a traveler without a document asks how they were identified, then records it', async () => {
  const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'Vuelo de retorno ICE 5501',
    document: { kind: 'none' }, person: { given_names: 'Josué Alberto', surnames: 'Retornado Mejía', birth_date: '1993-09-09', sex: 'M', nationality: 'SLV' } });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const page = await newPage(browser, srv.url, { viewport: { width: 1366, height: 768 } });
  await login(page, 'nds_sup', PW);
  await page.goto('/#/secundaria');
  const row = page.locator(`#sec-cola tr[data-id="${r.json.inspection_id}"]`);
  await row.waitFor();
  await row.locator('select.res-tipo').selectOption('admit');
  assert.equal(await row.locator('input.res-notas').getAttribute('placeholder'), 'Justificación obligatoria');
  const sent = [];
  page.on('request', (q) => { if (q.url().includes('/resolve') && q.method() === 'POST') sent.push(q.postDataJSON()); });
  await row.getByRole('button', { name: 'Resolver' }).click();
  const said = row.locator('.res-msg .aviso.error');
  await said.waitFor();
  assert.match(await said.textContent(), /el caso tiene una persona sin documento de viaje \(indique cómo se la identificó\)/);
  assert.deepEqual(sent, [], 'nothing sent without the justification');
  await row.locator('input.res-notas').fill('Identificado por el RNPN: DUI verificado en línea');
  await row.getByRole('button', { name: 'Resolver' }).click();
  const done = page.locator('#sec-resueltos tr', { hasText: 'Josué Alberto' });
  await done.waitFor();
  assert.match(await done.textContent(), /Identificado por el RNPN/);
  assert.equal(sent.length, 1);
  const t = await sup.get(`/api/v1/persons/${r.json.person_id}/timeline`);
  const insp = t.json.events.find((e) => e.type === 'inspection').inspection;
  assert.equal(insp.resolution_notes, 'Identificado por el RNPN: DUI verificado en línea');
  assert.deepEqual(faults(page), []);
  await page.close();
});
