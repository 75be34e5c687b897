// The carriers' monthly compliance on the APIS desk says how many fines
// for an inaccurate manifest charge a carrier twice for one traveler and
// flight (inaccurate_repeated: proposed twice before the evaluation counted
// the traveler once, or typed by hand), and links to them in «Multas a
// transportistas», each under the fine it repeats, for the supervisor to
// cancel; the month's register says it too, and marks them.  The desk
// showed «Inexactos» without the repeats and nothing else: the supervisor
// had no way to know they were in the register, and confirmed them.
// Seeded as tests/api/compliance-once.test.mjs does: a proposal copied
// under another inspection of the same traveler, as the evaluation before
// that fix wrote it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser, carrierUser } from '../lib/server.mjs';
import { launch, newPage, login, faults, SHOTS, textLines } from '../lib/browser.mjs';
import { paxlst, inspectTraveler, VISA, svNow } from '../lib/apis.mjs';

let srv, browser, sup;
const PW = 'Turno-Seguro-2026';
const month = () => svNow().toISOString().slice(0, 7);

before(async () => {
  srv = await startServer({ env: { SIGM_COMPLIANCE_MINUTES: '0' } });
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

const sql = (q) => { const r = srv.sql(q); assert.equal(r.status, 0, r.stderr); return r.stdout; };
// the proposal of inspection `from` copied under inspection `insp`
const legacyProposal = (from, insp) => sql(
  'INSERT INTO carrier_fines (carrier, amount_cents, currency, legal_basis, reason, port, transport, inspection_id,'
  + ' imposed_on, created_at, created_by, status, cause, flight, manifest_id, evidence, dedupe_key, amount_known)'
  + ` SELECT carrier, amount_cents, currency, legal_basis, reason, port, transport, ${insp}, imposed_on, created_at,`
  + ` created_by, status, cause, flight, manifest_id, evidence, 'inaccurate:${insp}', amount_known FROM carrier_fines`
  + ` WHERE dedupe_key = 'inaccurate:${from}'`);

test('the desk says how many fines repeat a traveler and flight, and its link opens them under the fines they repeat, to cancel', async () => {
  const airline = await carrierUser(srv, 'mr_ta', 'TA', PW);
  sup = await staffUser(srv.url, 'mr_sup', 'supervisor_control', PW);
  const ofi = await staffUser(srv.url, 'mr_ofi', 'oficial_control', PW);
  const m = await airline.req('POST', '/api/v1/apis/manifests',
    paxlst('TA472', [{ sur: 'JONES', given: 'MARY', birth: '700606', sex: 'F', nat: 'USA', doc: 'US4720001' }]), { 'content-type': 'application/edifact' });
  assert.equal(m.status, 201, m.text);
  // two Bolivians not on the manifest, each sent to secondary for want of
  // a visa and admitted when they showed it: one fact each
  const QUISPE = { sur: 'QUISPE', given: 'RAUL', birth: '820505', sex: 'M', nat: 'BOL', doc: 'BO4729001' };
  const CONDORI = { sur: 'CONDORI', given: 'EVA', birth: '830606', sex: 'F', nat: 'BOL', doc: 'BO4729002' };
  const insp = {};
  for (const [k, p] of [['q', QUISPE], ['c', CONDORI]]) {
    const a = await inspectTraveler(ofi, 'TA472', p);
    const b = await inspectTraveler(ofi, 'TA472', p, VISA(`V-472-${k}`));
    assert.deepEqual([a.json.decision, b.json.decision], ['secondary', 'admit']);
    insp[k] = [a.json.inspection_id, b.json.inspection_id];
  }
  assert.equal((await sup.post('/api/v1/carrier-compliance/evaluate', {})).json.proposed, 2);
  // the evaluation before the fix proposed their second inspections too
  legacyProposal(insp.q[0], insp.q[1]);
  legacyProposal(insp.c[0], insp.c[1]);
  const fines = (await sup.get('/api/v1/carrier-fines?limit=1000')).json.items;
  const fine = (i) => fines.find((f) => f.inspection_id === i);
  const [q1, q2, c1, c2] = [fine(insp.q[0]), fine(insp.q[1]), fine(insp.c[0]), fine(insp.c[1])];
  // Condori's repeat was confirmed meanwhile: cancelling it needs a reason
  assert.equal((await sup.post(`/api/v1/carrier-fines/${c2.id}/status`, { status: 'pending', amount: 300 })).status, 200);
  const report = async () => (await sup.get(`/api/v1/carrier-compliance/report?month=${month()}&carrier=TA`)).json.items[0];
  assert.equal((await report()).inaccurate_repeated, 2);

  const page = await newPage(browser, srv.url);
  await login(page, 'mr_sup', PW);
  const rowOf = (f) => page.locator(`#mu-resultado tr[data-multa="${f.id}"]`);
  // the month's register says it above the fines, and in the repeats' rows
  await page.goto('/#/multas');
  await page.waitForSelector('#mu-resultado tr.multa');
  assert.deepEqual(await page.locator('#mu-resultado .repetidas-mes a').allTextContents(),
    ['TA: 2 multas repetidas por el mismo viajero y vuelo: revisar y anular']);
  assert.match(await rowOf(q2).locator('.repetida').textContent(), new RegExp(`^Repite la multa n\\.º ${q1.id}: mismo viajero y vuelo$`));
  assert.match(await rowOf(c2).locator('.repetida').textContent(), new RegExp(`^Repite la multa n\\.º ${c1.id}`));
  assert.equal(await rowOf(q1).locator('.repetida').count(), 0);
  await page.screenshot({ path: `${SHOTS}/e2e-multas-mes-repetidas.png`, fullPage: true });
  // a proposal's actions at 1024, 1366 and 1920 px: the amount over the
  // resolution, «Confirmar» and «Anular» on one line with room between
  // them, nothing touching (the four touched)
  for (const width of [1024, 1366, 1920]) {
    await page.setViewportSize({ width, height: 800 });
    const box = async (sel) => rowOf(q2).locator(sel).boundingBox();
    const [amt, note, ok, no] = [await box('input.importe-resolucion'), await box('input.nota-multa'), await box('button.confirmar'), await box('button.anular')];
    assert.ok(note.y >= amt.y + amt.height + 3, `${width}: the resolution under the amount, apart: ${JSON.stringify([amt, note])}`);
    assert.ok(ok.y >= note.y + note.height + 3, `${width}: the buttons under the fields, apart`);
    assert.equal(Math.round(ok.y), Math.round(no.y), `${width}: «Confirmar» and «Anular» on one line`);
    assert.ok(no.x >= ok.x + ok.width + 6, `${width}: room between «Confirmar» and «Anular»: ${JSON.stringify([ok, no])}`);
    for (const b of ['button.confirmar', 'button.anular'])
      assert.equal(await textLines(rowOf(q2).locator(b)), 1, `${width}: ${b} on one line`);
  }
  await page.setViewportSize({ width: 1366, height: 768 });

  await page.goto('/#/apis');
  const row = page.locator('#apis-cumplimiento tr[data-transportista="TA"]');
  await row.waitFor();
  // «Inexactos» counts the two travelers; the repeats said apart
  assert.equal((await row.locator('td').nth(4).textContent()).trim(), '2');
  const link = row.locator('a.multas-repetidas');
  assert.equal((await link.textContent()).trim(), '2 multas repetidas por el mismo viajero y vuelo: revisar y anular');
  await row.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/e2e-apis-multas-repetidas.png`, fullPage: true });

  await link.click();
  await page.waitForSelector('#mu-resultado tr.multa');
  const monthName = new Date(`${month()}-15T12:00:00Z`).toLocaleDateString('es-SV', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  assert.equal(await page.textContent('#mu-resultado h2'), `Multas repetidas de TA en ${monthName}`);
  assert.match(await page.textContent('#mu-resultado .repetidas-aviso'), /^2 multas por manifiesto inexacto cobran de nuevo al transportista/);
  // each first fine above its repeat, nothing else of the register
  const ids = () => page.$$eval('#mu-resultado tr.multa', (trs) => trs.map((tr) => Number(tr.dataset.multa)));
  assert.deepEqual(await ids(), [q1.id, q2.id, c1.id, c2.id]);
  assert.match(await rowOf(q2).textContent(), new RegExp(`Repite la multa n\\.º ${q1.id}: mismo viajero y vuelo`));
  assert.match(await rowOf(c2).textContent(), new RegExp(`Repite la multa n\\.º ${c1.id}: mismo viajero y vuelo`));
  assert.match(await rowOf(q1).textContent(), /Primera multa por este viajero y vuelo/);
  assert.equal(await rowOf(q1).locator('.repetida').count(), 0);
  // the confirmed repeat is offered to cancel
  assert.equal(await rowOf(c2).locator('select.estado-nuevo').inputValue(), 'cancelled');
  await page.screenshot({ path: `${SHOTS}/e2e-multas-repetidas.png`, fullPage: true });

  // Quispe's repeat, a proposal: «Anular» with nothing typed
  await rowOf(q2).locator('button.anular').click();
  await page.waitForSelector(`#mu-resultado tr[data-multa="${q2.id}"].cancelled`);
  assert.match(await rowOf(q2).locator('.nota-estado').textContent(), new RegExp(`Duplicada: repite la multa n\\.º ${q1.id}, mismo viajero y vuelo$`));
  assert.match(await page.textContent('#mu-resultado .repetidas-aviso'), /^1 multa por manifiesto inexacto cobra de nuevo/);
  assert.equal(await rowOf(q1).locator('.repetida-primera').count(), 0, 'Quispe is charged once now');
  // Condori's, confirmed: «Actualizar» (a confirmed fine is cancelled
  // with a reason: the repeat's is written for the supervisor)
  await rowOf(c2).locator('button', { hasText: 'Actualizar' }).click();
  await page.waitForSelector(`#mu-resultado tr[data-multa="${c2.id}"].cancelled`);
  assert.match(await rowOf(c2).locator('.nota-estado').textContent(), new RegExp(`Duplicada: repite la multa n\\.º ${c1.id}`));
  assert.match(await page.textContent('#mu-resultado .repetidas-aviso'), /Ninguna multa de TA repite ya a otra por el mismo viajero y vuelo/);
  // the four still shown, as they now stand
  assert.deepEqual(await ids(), [q1.id, q2.id, c1.id, c2.id]);
  await page.screenshot({ path: `${SHOTS}/e2e-multas-repetidas-anuladas.png`, fullPage: true });
  const now = await report();
  assert.deepEqual([now.inaccurate, now.inaccurate_repeated, now.fines_cancelled], [2, 0, 2], JSON.stringify(now));

  // «Ver todas las multas»: the register as before, the summary back
  await page.click('a.ver-todas');
  await page.waitForSelector('#mu-resultado h2:text("Resumen del mes por transportista (multas confirmadas)")');
  assert.equal(await page.locator('#mu-resultado tr.multa').count(), 4);
  assert.equal(await page.locator('#mu-resultado .repetidas-mes, #mu-resultado .repetida').count(), 0);
  // and the desk no longer says it
  await page.goto('/#/apis');
  await row.waitFor();
  assert.equal(await row.locator('a.multas-repetidas').count(), 0);
  assert.deepEqual(faults(page), []);
});
