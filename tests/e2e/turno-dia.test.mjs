// A day shift walked on the screens changed that day (sixth UI walk), at
// the booth's 1024 px and the office's 1366 px: the secondary queue with
// the new grounds, the travelers' and the carriers' fines, a person's
// history.  Each test is one thing the walk found wrong, as the user met it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';
import { launch, SHOTS, holdReplies, signedInPage, faults } from '../lib/browser.mjs';

let srv, browser, ofi, sup;
const PW = 'Turno-Dia-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  ofi = await staffUser(srv.url, 'td_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'td_sup', 'supervisor_control', PW);
});
after(async () => { await browser?.close(); await srv?.stop(); });
const signedIn = (user, hash, width) => signedInPage(browser, srv.url, user, PW, hash, width);
const sql = (q) => { const r = srv.sql(q); assert.equal(r.status, 0, r.stderr); return r.stdout.trim(); };
const passport = (number, nat) => ({ kind: 'passport', code: 'P', number, issuing_state: nat, nationality: nat, expiry_date: '2031-01-01' });

test('secondary queue: admitting a traveler gone from secondary at another post asks for the justification naming that case, not «una alerta, una restricción o un menor»', async () => {
  const person = { given_names: 'Wilber', surnames: 'Mamani Copa', birth_date: '1986-03-14', nationality: 'BOL', sex: 'M' };
  const held = await ofi.post('/api/v1/inspections', { port: 'HAC', direction: 'entry', transport: 'P 555-123', document: passport('BOL8603140', 'BOL'), person });
  assert.equal(held.json.decision, 'secondary', JSON.stringify(held.json));
  const here = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'AV 611', route_country: 'GTM', document: passport('BOL8603140', 'BOL'), person });
  assert.ok(here.json.reasons.some((x) => x.code === 'secondary_pending'), JSON.stringify(here.json));
  const page = await signedIn('td_sup', 'secundaria', 1024);
  const row = page.locator(`#sec-cola tr[data-id="${here.json.inspection_id}"]`);
  await row.waitFor();
  await row.locator('.res-tipo').selectOption('admit');
  await row.locator('button:has-text("Resolver")').click();
  await row.locator('.res-msg .aviso.error').waitFor();
  const said = await row.locator('.res-msg').textContent();
  assert.match(said, /^Justifique la admisión en las observaciones: el caso tiene .*un caso pendiente de segunda revisión en otra delegación\.$/, said);
  assert.doesNotMatch(said, /alerta|restricción|menor/, said);
  assert.equal(await page.evaluate(() => document.activeElement.className), 'res-notas', 'the cursor in the notes');
  await row.screenshot({ path: `${SHOTS}/e2e-td-justificacion.png` });
  // justified, it is admitted and the case left at La Hachadura closes with it
  await page.keyboard.type('Visa verificada con la embajada; caso de La Hachadura revisado');
  await page.keyboard.press('Enter');
  const closed = page.locator(`#sec-resueltos tr[data-id="${held.json.inspection_id}"]`);
  await closed.waitFor();
  assert.match(await closed.textContent(), /Admitida en Aeropuerto .* tras segunda revisión \(inspección n\.º \d+\)/);
  assert.deepEqual(faults(page), []);
});

test('secondary queue on a slow link: Intro pressed again while the resolution is on its way sends it once, and the message is the resolution\'s, not «ya estaba resuelta»', async () => {
  const person = { given_names: 'Efraín', surnames: 'Quispe Huanca', birth_date: '1979-08-21', nationality: 'BOL', sex: 'M' };
  const held = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'AV 611', route_country: 'GTM', document: passport('BOL7908210', 'BOL'), person });
  assert.equal(held.json.decision, 'secondary', JSON.stringify(held.json));
  const id = held.json.inspection_id;
  const page = await signedIn('td_sup', 'secundaria', 1024);
  const row = page.locator(`#sec-cola tr[data-id="${id}"]`);
  await row.waitFor();
  // the first resolution's answer waits until the test lets it go (read by
  // the server at once); any other is answered as it comes
  const first = await holdReplies(page, (u) => u.pathname === `/api/v1/inspections/${id}/resolve`, { count: 1 });
  await row.locator('.res-tipo').selectOption('admit');
  await row.locator('.res-notas').fill('Visa verificada con el consulado');
  await row.locator('.res-notas').press('Enter');
  await first.arrived();
  // nothing seems to happen: Intro again
  await row.locator('.res-notas').press('Enter');
  first.release();
  // resolved: in «Casos resueltos» (read after the answer, so any second
  // resolution sent before it has reached the route by now)
  await page.locator(`#sec-resueltos tr[data-id="${id}"]`).waitFor();
  const sent = first.requests.map((q) => q.url());
  // any second one's answer (a «ya estaba resuelta») taken in by the page
  await Promise.all(first.requests.map((q) => q.response()));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r))));
  assert.equal(sent.length, 1, `sent once: ${sent}`);
  const said = await page.locator('main .aviso').allTextContents();
  assert.equal(said.length, 1, said.join(' | '));
  assert.match(said[0], new RegExp(`^Inspección n\\.º ${id} \\(Efraín Quispe Huanca\\) resuelta: movimiento n\\.º \\d+\\.$`));
  assert.deepEqual(faults(page), []);
});

test('travelers\' fines: a fine credited to a later exit, and the days charged beyond one already paid, say so in their row', async () => {
  const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'UA 1522', document: passport('US5151600', 'USA'),
    person: { given_names: 'Ruth', surnames: 'Kellerman', birth_date: '1971-07-07', nationality: 'USA', sex: 'F' } });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  sql(`INSERT INTO traveler_fines (person_id, cause, days, legal_basis, status, receipt, paid_at, paid_by, port, created_at, created_by, status_note, status_changed_at) VALUES
    (${r.json.person_id}, 'overstay', 12, 'LEME', 'paid', 'REC-88', '2026-11-01T10:00:00.000Z', 'td_sup', 'SAL', '2026-11-01T10:00:00.000Z', 't', 'Pagada por una salida anulada; acreditada a la salida autorizada en la inspección n.º 41', '2026-11-05T10:00:00.000Z'),
    (${r.json.person_id}, 'overstay', 3, 'LEME', 'pending', NULL, NULL, NULL, 'SAL', '2026-11-05T10:00:00.000Z', 't', 'Los días más allá de los ya pagados en la multa n.º 7', NULL)`);
  const page = await signedIn('td_sup', 'multas-viajeros', 1024);
  const pending = page.locator('tr.multa-viajero.pending', { hasText: 'Kellerman' });
  await pending.waitFor();
  assert.match(await pending.textContent(), /Los días más allá de los ya pagados en la multa n\.º 7/);
  assert.equal(await pending.locator('form.pago-multa').count(), 1, 'still collected here');
  await page.selectOption('#mv-estado', 'paid');
  const paid = page.locator('tr.multa-viajero.paid', { hasText: 'Kellerman' });
  await paid.waitFor();
  assert.match(await paid.textContent(), /Recibo REC-88 · td_sup, .*Pagada por una salida anulada; acreditada a la salida autorizada en la inspección n\.º 41/);
  await page.screenshot({ path: `${SHOTS}/e2e-td-multas-viajeros.png`, fullPage: true });
  assert.deepEqual(faults(page), []);
});

test('a person\'s history: a fine cancelled or held with its voided exit is not «pendiente de cobro», and offers no payment', async () => {
  const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'UA 1523', document: passport('US5151611', 'USA'),
    person: { given_names: 'Glenn', surnames: 'Ashworth', birth_date: '1968-08-08', nationality: 'USA', sex: 'M' } });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  sql(`INSERT INTO traveler_fines (person_id, cause, days, legal_basis, status, receipt, paid_at, paid_by, port, created_at, created_by, status_note, status_changed_at) VALUES
    (${r.json.person_id}, 'overstay', 5, 'LEME', 'cancelled', NULL, NULL, NULL, 'SAL', '2026-11-03T10:00:00.000Z', 't', 'Salida anulada (movimiento n.º 11): otra persona', '2026-11-04T10:00:00.000Z'),
    (${r.json.person_id}, 'overstay', 9, 'LEME', 'refund_review', 'REC-99', '2026-11-02T10:00:00.000Z', 'td_sup', 'SAL', '2026-11-02T10:00:00.000Z', 't', 'Salida anulada (movimiento n.º 9): registrada dos veces', '2026-11-02T12:00:00.000Z')`);
  const page = await signedIn('td_sup', `personas?id=${r.json.person_id}`);
  await page.waitForSelector('#pe-persona');
  const cancelled = page.locator('main tr', { hasText: 'Permanencia excedida 5 días' });
  const held = page.locator('main tr', { hasText: 'Permanencia excedida 9 días' });
  await cancelled.waitFor();
  assert.match(await cancelled.textContent(), /Multa anulada.*anulada con su salida/);
  assert.match(await held.textContent(), /pagada \(recibo REC-99\), salida anulada: se reembolsa o se abona a su próxima salida/);
  for (const row of [cancelled, held]) {
    assert.doesNotMatch(await row.textContent(), /pendiente de cobro/);
    assert.equal(await row.locator('form.pago-multa').count(), 0, 'nothing to collect');
  }
  assert.deepEqual(faults(page), []);
});

test('carriers\' fines: one «según resolución» is paid with the amount paid, typed in its row (it had no field and could not be paid)', async () => {
  sql(`INSERT INTO carrier_fines (carrier, amount_cents, legal_basis, reason, port, imposed_on, status, created_at, created_by, amount_known)
    VALUES ('Naviera del Pacífico', 0, 'LEME art. 308', 'Manifiesto no presentado', 'ACA', '2026-12-01', 'notified', '2026-12-01T10:00:00.000Z', 't', 0)`);
  const page = await signedIn('td_sup', 'multas', 1024);
  await page.fill('#mu-mes', '');
  await page.click('main form:has(#mu-mes) button[type=submit]');
  // the list asked for, not the month's still on screen (what is typed in
  // a row about to be replaced goes with it: under ASan the receipt was
  // typed in the old row and Enter pressed in the new one)
  await page.waitForSelector('#mu-resultado:not([aria-busy]) tr.multa');
  const row = page.locator('tr.multa', { hasText: 'Naviera del Pacífico' });
  await row.waitFor();
  assert.match(await row.textContent(), /Según resolución/);
  assert.equal(await row.locator('.estado-nuevo').inputValue(), 'paid');
  const amt = row.locator('.importe-pago');
  assert.equal(await amt.isVisible(), true, 'the amount paid is asked in the row');
  // without it the server's refusal is said on the field
  await row.locator('.nota-multa').fill('Recibo DGME-2026-000777');
  await row.locator('.nota-multa').press('Enter');
  await row.locator('.mu-msg .aviso.error').waitFor();
  assert.match(await row.locator('.mu-msg').textContent(), /^Monto pagado: indique el monto pagado/);
  assert.equal(await page.evaluate(() => document.activeElement.className), 'importe-pago invalido');
  await amt.fill('350');
  await amt.press('Enter');
  const paid = page.locator('tr.multa.paid', { hasText: 'Naviera del Pacífico' });
  await paid.waitFor();
  assert.match(await paid.textContent(), /US\$ 350\.00.*Pagada.*Recibo DGME-2026-000777/);
  // another state hides it
  const other = page.locator('tr.multa', { hasText: 'Naviera del Pacífico' });
  assert.equal(await other.locator('.importe-pago').count(), 0, 'paid: no more fields');
  await page.screenshot({ path: `${SHOTS}/e2e-td-multa-resolucion.png`, fullPage: true });
  assert.deepEqual(faults(page, /status of 422/ /* the payment sent without its amount */), []);
});

test('carriers\' fines by hand: the inspection and the cause are typed in the form; an admitted traveler\'s inspection and a second fine for the same one are said on «Inspección n.º»', async () => {
  const admitted = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'CM 390', route_country: 'PAN', document: passport('US5151622', 'USA'),
    person: { given_names: 'Dana', surnames: 'Whitlock', birth_date: '1980-01-01', nationality: 'USA', sex: 'F' } });
  assert.equal(admitted.json.decision, 'admit', JSON.stringify(admitted.json));
  const refused = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'CM 390', route_country: 'PAN',
    document: { ...passport('F5550909', 'HND'), expiry_date: '2024-03-01' }, person: { given_names: 'Elvin', surnames: 'Banegas Cruz', birth_date: '1990-11-30', nationality: 'HND', sex: 'M' } });
  assert.equal(refused.json.decision, 'refuse', JSON.stringify(refused.json));
  const page = await signedIn('td_sup', 'multas', 1024);
  await page.waitForSelector('#mu-n-empresa');
  const form = page.locator('form:has(#mu-n-empresa)');
  const fill = async (insp) => {
    await page.fill('#mu-n-empresa', 'CM');
    await page.fill('#mu-n-importe', '2000');
    await page.fill('#mu-n-transporte', 'CM 390');
    await page.fill('#mu-n-inspeccion', String(insp));
    await page.selectOption('#mu-n-causa', 'inadmissible_passenger');
    await page.fill('#mu-n-base', 'LEME art. 308');
    await page.fill('#mu-n-motivo', 'Pasajero con pasaporte vencido');
    await form.locator('button[type=submit]').click();
  };
  await fill(admitted.json.inspection_id);
  await form.locator('.aviso').waitFor();
  assert.match(await form.locator('.aviso').textContent(), new RegExp(`^Inspección n\\.º: la inspección ${admitted.json.inspection_id} no terminó en una inadmisión`));
  assert.equal(await page.evaluate(() => document.activeElement.id), 'mu-n-inspeccion');
  await page.fill('#mu-n-inspeccion', String(refused.json.inspection_id));
  await form.locator('button[type=submit]').click();
  await form.locator('.aviso.ok').waitFor();
  const made = /Multa n\.º (\d+) registrada: CM/.exec(await form.locator('.aviso.ok').textContent());
  assert.ok(made);
  const row = page.locator(`tr[data-multa="${made[1]}"]`);
  await row.waitFor();
  assert.match(await row.textContent(), new RegExp(`Pasajero inadmisible · inspección ${refused.json.inspection_id}`));
  // the same passenger charged again: said on the inspection's field, naming the fine
  await fill(refused.json.inspection_id);
  await form.locator('.aviso.error').waitFor();
  assert.match(await form.locator('.aviso.error').textContent(), new RegExp(`^Inspección n\\.º: la multa n\\.º ${made[1]} ya cobra a CM esta inspección por pasajero inadmisible`));
  assert.doesNotMatch(await form.locator('.aviso.error').textContent(), /inadmissible_passenger/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'mu-n-inspeccion');
  await page.screenshot({ path: `${SHOTS}/e2e-td-multa-mano.png`, fullPage: true });
  // refused on purpose: an admitted traveler's inspection (422), the same one fined twice (409)
  assert.deepEqual(faults(page, /status of 422/, /status of 409/), []);
});

test('secondary queue, resolved cases: a fine cancelled or held with its voided exit is not said «pendiente de cobro»', async () => {
  const rows = [];
  for (const [n, st] of [['GTM1010101', 'cancelled'], ['GTM1010102', 'refund_review']]) {
    const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 501', route_country: 'USA', document: passport(n, 'BOL'),
      person: { given_names: 'Juan', surnames: `Quispe ${n}`, birth_date: '1985-05-05', sex: 'M', nationality: 'BOL' } });
    assert.equal(r.json.decision, 'secondary', JSON.stringify(r.json));
    const s = await sup.post(`/api/v1/inspections/${r.json.inspection_id}/resolve`, { resolution: 'admit', notes: 'Visa verificada' });
    assert.equal(s.status, 200, JSON.stringify(s.json));
    sql(`INSERT INTO traveler_fines (person_id, inspection_id, cause, days, legal_basis, status, receipt, port, created_at, created_by, status_note)
      VALUES (${r.json.person_id}, ${r.json.inspection_id}, 'overstay', 4, 'LEME', '${st}', ${st === 'cancelled' ? 'NULL' : "'REC-5'"}, 'SAL', '2026-11-01T10:00:00.000Z', 't', 'Salida anulada')`);
    rows.push([r.json.inspection_id, st]);
  }
  const page = await signedIn('td_sup', 'secundaria', 1024);
  for (const [id, st] of rows) {
    const row = page.locator(`#sec-resueltos tr[data-id="${id}"]`);
    await row.waitFor();
    const text = await row.textContent();
    assert.doesNotMatch(text, /pendiente de cobro/, text);
    assert.match(text, st === 'cancelled' ? /Multa n\.º \d+ anulada con su salida/ : /Multa n\.º \d+ pagada, salida anulada: se reembolsa o se abona a su próxima salida/, text);
  }
  assert.deepEqual(faults(page), []);
});
