// A day at El Amatillo (the land post on the Honduran border) and at the
// airport, walked as three users work it (eighth UI walk): the supervisor
// with the secondary queue, the carriers' fines, the overstayers and a
// person's history; a clerk with the LEPINA registry; a booth officer on
// the keyboard.  Each test is one thing the walk found wrong, as the user
// met it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';
import { launch, SHOTS, signedInPage, faults } from '../lib/browser.mjs';
import { td3 } from '../lib/mrz.mjs';

let srv, browser, ofi, sup;
const PW = 'Amatillo-Dia-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  ofi = await staffUser(srv.url, 'am_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'am_sup', 'supervisor_control', PW);
});
after(async () => { await browser?.close(); await srv?.stop(); });
const signedIn = (user, hash, width) => signedInPage(browser, srv.url, user, PW, hash, width);
const passport = (number, nat, expiry = '2031-01-01') => ({ kind: 'passport', code: 'P', number, issuing_state: nat, nationality: nat, expiry_date: expiry });
// a traveler off a bus at El Amatillo without the visa his nationality
// needs, refused by the supervisor: the inadmission proposes a fine to the bus line
async function refusedOffBus(number, given, surnames, carrier) {
  const r = await ofi.post('/api/v1/inspections', { port: 'AMA', direction: 'entry', transport: `${carrier} 8521`, document: passport(number, 'CHN'),
    person: { given_names: given, surnames, birth_date: '1990-02-02', nationality: 'CHN', sex: 'M' } });
  assert.equal(r.json.decision, 'secondary', JSON.stringify(r.json));
  const n = await sup.post(`/api/v1/inspections/${r.json.inspection_id}/resolve`, { resolution: 'refuse', legal_ground: 'LEME: sin visa consultada aprobada',
    carrier, return_transport: `${carrier} 8522, 06:00` });
  assert.equal(n.status, 200, JSON.stringify(n.json));
  return r.json;
}

test('carriers\' fines: the state chosen is the list shown (the paid and proposed ones stayed under «Pendiente» until «Consultar»)', async () => {
  await refusedOffBus('E7100001', 'Li', 'Wang', 'Tica Bus');
  assert.equal((await sup.post('/api/v1/carrier-fines', { carrier: 'Transportes del Golfo', amount: 250, legal_basis: 'LEME', reason: 'Lista de pasajeros tardía', transport: 'Bus 12', port: 'AMA' })).status, 201);
  const page = await signedIn('am_sup', 'multas', 1024);
  await page.locator('tr.multa.proposed', { hasText: 'Tica Bus' }).waitFor();
  await page.locator('tr.multa.pending', { hasText: 'Transportes del Golfo' }).waitFor();
  await page.selectOption('#mu-estado', 'proposed');
  // only what is in that state, with nothing else clicked
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('tr.multa')];
    return rows.length > 0 && rows.every((r) => r.classList.contains('proposed'));
  }, null, { timeout: 5000 });
  assert.equal(await page.locator('tr.multa', { hasText: 'Transportes del Golfo' }).count(), 0);
  await page.selectOption('#mu-estado', 'pending');
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('tr.multa')];
    return rows.length > 0 && rows.every((r) => r.classList.contains('pending'));
  }, null, { timeout: 5000 });
  assert.match(await page.locator('tr.multa').first().textContent(), /Transportes del Golfo/);
  assert.deepEqual(faults(page), []);
});

test('carriers\' fines, keyboard: after confirming a fine or recording its payment the cursor stays on that fine, not at the top of the page', async () => {
  await refusedOffBus('E7100002', 'Kai', 'Zhou', 'King Quality');
  const page = await signedIn('am_sup', 'multas');
  const row = page.locator('tr.multa.proposed', { hasText: 'King Quality' });
  await row.waitFor();
  const id = await row.getAttribute('data-multa');
  await row.locator('.importe-resolucion').focus();
  await page.keyboard.type('500');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Resolución DCM-AMA-2026-015');
  await page.keyboard.press('Enter');
  const pending = page.locator(`tr.multa.pending[data-multa="${id}"]`);
  await pending.locator('.mu-hecho .aviso.ok').waitFor();
  // the next step of that fine: its new state, where the collection is recorded
  assert.equal(await page.evaluate((id) => document.activeElement.closest(`tr[data-multa="${id}"]`) !== null && document.activeElement.classList.contains('estado-nuevo'), id), true,
    `the cursor is on ${await page.evaluate(() => document.activeElement.outerHTML.slice(0, 80))}`);
  // paid from the keyboard: the state, the receipt, Intro
  await page.keyboard.press('ArrowDown'); // Notificada → Pagada
  assert.equal(await pending.locator('.estado-nuevo').inputValue(), 'paid');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Recibo DGME-2026-000901');
  await page.keyboard.press('Enter');
  const paid = page.locator(`tr.multa.paid[data-multa="${id}"]`);
  await paid.locator('.mu-hecho .aviso.ok').waitFor();
  // nothing left to do on it: the cursor on what was said about it
  assert.equal(await page.evaluate((id) => !!document.activeElement.closest(`tr[data-multa="${id}"] .mu-hecho`), id), true,
    `the cursor is on ${await page.evaluate(() => document.activeElement.outerHTML.slice(0, 80))}`);
  assert.match(await paid.textContent(), /US\$\s*500\.00.*Pagada.*Recibo DGME-2026-000901/);
  await page.screenshot({ path: `${SHOTS}/e2e-uiwalk-multa-pagada.png` });
  assert.deepEqual(faults(page), []);
});

test('a post is said by its name, not by the tables\' code: the person\'s history «ingresó por Frontera El Amatillo», the overstayers, the secondary queue, the referrals', async () => {
  // a Nicaraguan entered on paper at El Amatillo 120 days ago, overstaying
  const at = new Date(Date.now() - 120 * 86400e3).toISOString().slice(0, 16) + 'Z';
  const c = await sup.post('/api/v1/movements/contingency', { port: 'AMA', direction: 'entry', at, transport: 'Bus Transportes del Golfo 12', reference: 'FC-AMA-0101',
    reason: 'Caída del enlace', document: passport('N9001001', 'NIC'), person: { given_names: 'Álvaro', surnames: 'Gutiérrez Membreño', birth_date: '1979-03-14', sex: 'M', nationality: 'NIC' } });
  assert.equal(c.status, 201, JSON.stringify(c.json));
  // a Chinese traveler held at El Amatillo, one referred from there
  const held = await ofi.post('/api/v1/inspections', { port: 'AMA', direction: 'entry', transport: 'Tica Bus 8521', document: passport('E7100003', 'CHN'),
    person: { given_names: 'Mei', surnames: 'Chen', birth_date: '1992-03-03', nationality: 'CHN', sex: 'F' } });
  assert.equal(held.json.decision, 'secondary');
  const asylum = await ofi.post('/api/v1/inspections', { port: 'AMA', direction: 'entry', transport: 'Tica Bus 8521', document: passport('E7100004', 'CHN'),
    person: { given_names: 'Yan', surnames: 'Liu', birth_date: '1993-04-04', nationality: 'CHN', sex: 'F' } });
  assert.equal((await sup.post(`/api/v1/inspections/${asylum.json.inspection_id}/resolve`, { resolution: 'refer_atencion_migrante', referral_motive: 'asylum', notes: 'Manifiesta temor de regresar' })).status, 200);

  const page = await signedIn('am_sup', `personas?id=${c.json.person_id}`, 1024);
  await page.waitForSelector('#pe-persona');
  assert.match(await page.textContent('.permanencia'), /\(ingresó por Frontera El Amatillo\)/);
  const entry = await page.textContent('main tr:has-text("FC-AMA-0101")');
  assert.match(entry, /Frontera El Amatillo · Bus Transportes del Golfo 12/, entry);
  assert.doesNotMatch(await page.textContent('main'), /\bAMA\b(?!-)/, 'no bare post code');

  await page.goto('/#/permanencia');
  const over = page.locator('main tbody tr', { hasText: 'Gutiérrez Membreño' });
  await over.waitFor();
  assert.match(await over.textContent(), /Frontera El Amatillo/);
  assert.doesNotMatch(await over.textContent(), /\bAMA\b/);

  await page.goto('/#/secundaria');
  const row = page.locator(`#sec-cola tr[data-id="${held.json.inspection_id}"]`);
  await row.waitFor();
  assert.match(await row.locator('td').nth(1).textContent(), /^Frontera El AmatilloEntrada/);

  await page.goto('/#/remisiones');
  const ref = page.locator('main tr.remision', { hasText: 'Yan Liu' });
  await ref.waitFor();
  assert.match(await ref.textContent(), / · Frontera El Amatillo · entrada/);
  await page.screenshot({ path: `${SHOTS}/e2e-uiwalk-remisiones.png` });
  assert.deepEqual(faults(page), []);
});

const today = () => new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10);
const day = (n) => new Date(Date.parse(`${today()}T12:00:00Z`) + n * 86400e3).toISOString().slice(0, 10);

test('booth: a minor leaving with someone her authorization does not name is sent to secondary, why said once (the same words came twice, as the reason and again under it)', async () => {
  const a = await ofi.post('/api/v1/minor-authorizations', { minor: { given_names: 'Sofía Alejandra', surnames: 'Martínez Rivas', birth_date: '2015-04-10', document_number: 'B01234567' },
    birth_certificate_ref: 'Partida 245, libro 12, Santa Rosa de Lima', authorizing: [{ relation: 'father', given_names: 'Carlos Ernesto', surnames: 'Martínez López' }],
    instrument: 'notarial_act', instrument_reference: 'Acta notarial 3-2026', issued_on: today(), valid_to: day(60), destination: 'HND, Tegucigalpa', length_of_stay: '15 días',
    companion: { given_names: 'Rosa María', surnames: 'Rivas de Martínez', document_number: '045678901' } });
  assert.equal(a.status, 201, JSON.stringify(a.json));
  const page = await signedIn('am_ofi', 'cabina', 1024);
  await page.waitForSelector('#cab-mrz');
  await page.selectOption('#cab-puesto', 'AMA');
  await page.selectOption('#cab-sentido', 'exit');
  await page.fill('#cab-ruta', 'HND');
  await page.focus('#cab-mrz');
  await page.keyboard.type(td3('B01234567', 'MARTINEZ<RIVAS<<SOFIA<ALEJANDRA', 'SLV', '150410', 'F', '300101'));
  const row = page.locator('#acompanantes .acompanante').first();
  await row.waitFor();
  await row.locator('select').selectOption('other');
  await row.locator('input[placeholder="Nombre completo"]').fill('Juan Pérez Umaña');
  await row.locator('input[placeholder="Número de documento"]').fill('01234567-8');
  await row.locator('input[type=checkbox]').check();
  await row.locator('input[placeholder="Número de documento"]').press('Enter');
  await page.waitForSelector('#veredicto.secondary');
  const why = page.locator('#razones li.secondary');
  const said = await why.textContent();
  assert.match(said, /LEPINA Art\. 44\): la autorización n\.º \d+ nombra a otro acompañante \(Rosa María Rivas de Martínez/, said);
  assert.equal(said.split('nombra a otro acompañante').length - 1, 1, `said once: ${said}`);
  await page.screenshot({ path: `${SHOTS}/e2e-uiwalk-menor-otro-acompanante.png` });
  const inspection = Number((await page.textContent('#veredicto')).match(/inspección n\.º (\d+)/)[1]);
  // the supervisor reads it once too
  const sp = await signedIn('am_sup', 'secundaria', 1024);
  const qrow = sp.locator(`#sec-cola tr[data-id="${inspection}"]`);
  await qrow.waitFor();
  const q = await qrow.locator('td').nth(4).textContent();
  assert.equal(q.split('nombra a otro acompañante').length - 1, 1, `said once: ${q}`);
  assert.deepEqual(faults(page, /status of 422/ /* the booth asking for her companions */), []);
  assert.deepEqual(faults(sp), []);
});

test('LEPINA registry, keyboard: the page opens with the cursor in the minor\'s names, and after a registration it is back there for the next one', async () => {
  const page = await signedIn('am_ofi', 'menores', 1024);
  await page.waitForSelector('#form-menor');
  await page.waitForFunction(() => document.activeElement?.id === 'me-nombres', null, { timeout: 3000 });
  // typed straight in, field after field, Intro at the end
  await page.keyboard.type('Ana Lucía');
  for (const [id, v] of [['#me-apellidos', 'Flores Ayala'], ['#me-nacimiento', '2012-01-15'], ['#me-pasaporte', 'B07000111'], ['#me-partida', 'Partida 12, libro 3, La Unión'],
    ['#me-aut-nombres', 'Marta Elena'], ['#me-aut-apellidos', 'Ayala Reyes'], ['#me-referencia', 'PGR-LU-2026-077'], ['#me-otorgada', today()], ['#me-hasta', day(30)],
    ['#me-ac-nombres', 'José Mario'], ['#me-ac-apellidos', 'Flores Cruz'], ['#me-ac-doc', 'A70011122'], ['#me-destino', 'GTM'], ['#me-estadia', '10 días']]) await page.fill(id, v);
  await page.selectOption('#me-relacion', 'mother');
  await page.selectOption('#me-instrumento', 'pgr');
  await page.press('#me-estadia', 'Enter');
  await page.waitForSelector('#form-menor .aviso.ok');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'me-nombres');
  assert.equal(await page.inputValue('#me-nombres'), '');
  // found by the minor, as the clerk then looks it up
  await page.fill('#me-buscar-doc', 'b07000111');
  await page.press('#me-buscar-doc', 'Enter');
  await page.waitForFunction(() => /Ana Lucía Flores Ayala.*Marta Elena Ayala Reyes \(madre\).*PGR/.test(document.querySelector('main .tabla-wrap tbody')?.textContent || ''));
  // a reader of the registry (no form) starts in the search
  const sec = await staffUser(srv.url, 'am_sg', 'secretaria_general', PW, 'SG');
  assert.ok(sec);
  const sp = await signedIn('am_sg', 'menores', 1024);
  await sp.waitForSelector('#me-buscar-doc');
  await sp.waitForFunction(() => document.activeElement?.id === 'me-buscar-doc', null, { timeout: 3000 });
  assert.deepEqual(faults(page), []);
  assert.deepEqual(faults(sp), []);
});

test('a person\'s history: a case the supervisor resolved is tagged with what became of it, not «segunda revisión» in amber as if still open', async () => {
  const refused = await refusedOffBus('E7100005', 'Bo', 'Huang', 'Tica Bus');
  const page = await signedIn('am_sup', `personas?id=${refused.person_id}`, 1024);
  await page.waitForSelector('#pe-persona');
  const tag = page.locator('main tr:has-text("Tica Bus 8522") .etiqueta');
  assert.equal(await tag.textContent(), 'Inspección: no admitida (inadmisión)');
  assert.match(await tag.getAttribute('class'), /\bmal\b/);
  // one still waiting for the supervisor says so
  const open = await ofi.post('/api/v1/inspections', { port: 'AMA', direction: 'entry', transport: 'Tica Bus 8521', document: passport('E7100006', 'CHN'),
    person: { given_names: 'Jun', surnames: 'Gao', birth_date: '1991-05-05', nationality: 'CHN', sex: 'M' } });
  assert.equal(open.json.decision, 'secondary');
  await page.goto(`/#/personas?id=${open.json.person_id}`);
  await page.waitForSelector('main tr:has-text("pendiente de resolución")');
  assert.equal(await page.textContent('main tr:has-text("pendiente de resolución") .etiqueta'), 'Inspección: segunda revisión');
  // referred: so tagged, and the admission the referral made stands beside it
  assert.equal((await sup.post(`/api/v1/inspections/${open.json.inspection_id}/resolve`, { resolution: 'refer_atencion_migrante', referral_motive: 'asylum' })).status, 200);
  await page.reload();
  await page.waitForSelector('main tr:has-text("remisión n.º")');
  assert.equal(await page.textContent('main tr:has-text("remisión n.º") .etiqueta'), 'Inspección: remitida a Atención al Migrante');
  await page.screenshot({ path: `${SHOTS}/e2e-uiwalk-historial-remitida.png` });
  assert.deepEqual(faults(page), []);
});

test('travelers\' fines at 1024 px: a pending fine «según resolución» is paid in its row, «Registrar pago» and what went wrong with it in sight, not cut off at the right', async () => {
  // a visitor who entered on paper 120 days ago leaves by Comalapa; the
  // supervisor lets him out with the fine pending
  const pass = passport('X9001001', 'USA');
  const person = { given_names: 'John Michael', surnames: 'Miller Johnson', birth_date: '1979-03-14', sex: 'M', nationality: 'USA' };
  const at = new Date(Date.now() - 120 * 86400e3).toISOString().slice(0, 16) + 'Z';
  assert.equal((await sup.post('/api/v1/movements/contingency', { port: 'SAL', direction: 'entry', at, transport: 'AV 611', reference: 'FC-SAL-0101', reason: 'Caída del enlace', document: pass, person })).status, 201);
  const i = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'AV 640', route_country: 'USA', document: pass, person });
  assert.equal(i.json.decision, 'secondary', JSON.stringify(i.json));
  const res = await sup.post(`/api/v1/inspections/${i.json.inspection_id}/resolve`, { resolution: 'admit' });
  assert.equal(res.status, 200, JSON.stringify(res.json));
  const page = await signedIn('am_sup', 'multas-viajeros', 1024);
  const row = page.locator('tr.multa-viajero.pending', { hasText: 'Miller Johnson' });
  await row.waitFor();
  const fits = () => page.evaluate(() => {
    const wrap = document.querySelector('main .tabla-wrap');
    const right = wrap.getBoundingClientRect().right;
    const far = Math.max(...[...wrap.querySelectorAll('.pago-multa button, .pago-multa input, .pago-multa .aviso')].map((e) => e.getBoundingClientRect().right));
    return { scroll: wrap.scrollWidth, client: wrap.clientWidth, right, far };
  });
  let m = await fits();
  assert.ok(m.scroll <= m.client, `the list (${m.scroll} px) is wider than its area (${m.client} px)`);
  assert.ok(m.far <= m.right, `the payment ends at ${m.far}, the list at ${m.right}`);
  // the receipt alone: the amount is asked, said in the row, in sight
  await row.locator('.pago-recibo').fill('DGME-2026-000555');
  await row.locator('.pago-recibo').press('Enter');
  await row.locator('.aviso.error').waitFor();
  m = await fits();
  assert.ok(m.scroll <= m.client && m.far <= m.right, JSON.stringify(m));
  await page.screenshot({ path: `${SHOTS}/e2e-uiwalk-multas-viajeros-1024.png` });
  // the post by its name, as in the person's history
  assert.equal(await row.locator('td').nth(5).textContent(), 'Aeropuerto Comalapa');
  await row.locator('.pago-monto').fill('93');
  await row.locator('.pago-monto').press('Enter');
  await page.locator('main .aviso.ok').waitFor();
  assert.match(await page.textContent('main .aviso.ok'), /pago registrado \(recibo DGME-2026-000555\)/);
  assert.deepEqual(faults(page, /status of 422/ /* the receipt sent without the amount */), []);
});

test('secondary queue: the bus, flight or ship the traveler came on is in the case, where the carrier of an inadmission is typed from (it was nowhere on the page)', async () => {
  const r = await ofi.post('/api/v1/inspections', { port: 'AMA', direction: 'entry', transport: 'Tica Bus 8521', document: passport('E7100007', 'CHN'),
    person: { given_names: 'Wen', surnames: 'Xu', birth_date: '1989-06-06', nationality: 'CHN', sex: 'M' } });
  assert.equal(r.json.decision, 'secondary');
  const page = await signedIn('am_sup', 'secundaria', 1024);
  const row = page.locator(`#sec-cola tr[data-id="${r.json.inspection_id}"]`);
  await row.waitFor();
  assert.match(await row.locator('td').nth(1).textContent(), /Tica Bus 8521/);
  await row.locator('.res-tipo').selectOption('refuse');
  assert.equal(await row.locator('.res-transportista').getAttribute('placeholder'), 'Llegó en Tica Bus 8521');
  await row.locator('.res-fundamento').fill('LEME: sin visa consultada aprobada');
  await row.locator('.res-transportista').fill('Tica Bus');
  await row.locator('.res-retorno').fill('Tica Bus 8522, mañana 06:00');
  await row.locator('.res-retorno').press('Enter');
  const done = page.locator(`#sec-resueltos tr[data-id="${r.json.inspection_id}"]`);
  await done.waitFor();
  assert.match(await done.textContent(), /Tica Bus 8521.*no admitida \(inadmisión\).*Acta de inadmisión n\.º \d+/);
  // the queue still fits at 1024 px with it
  const m = await page.evaluate(() => { const w = document.querySelector('#sec-cola'); return [w.scrollWidth, w.clientWidth]; });
  assert.ok(m[0] <= m[1], `the queue (${m[0]} px) is wider than its area (${m[1]} px)`);
  assert.deepEqual(faults(page), []);
});

test('booth, keyboard: «Agregar acompañante» puts the cursor in the new companion\'s name, «Quitar» on the next one or back on «Agregar» (it stayed on the button, or fell out of the page)', async () => {
  const page = await signedIn('am_ofi', 'cabina', 1024);
  await page.waitForSelector('#cab-mrz');
  await page.selectOption('#cab-puesto', 'AMA');
  await page.selectOption('#cab-sentido', 'exit');
  await page.fill('#cab-ruta', 'HND');
  const active = () => page.evaluate(() => ({ id: document.activeElement.id, ph: document.activeElement.placeholder || '', row: [...document.querySelectorAll('#acompanantes .acompanante')].indexOf(document.activeElement.closest('.acompanante')) }));
  const add = page.locator('#form-manual button', { hasText: 'Agregar acompañante' });
  // a minor whose passport has no MRZ read: by hand
  await page.focus('#m-numero');
  await page.keyboard.type('B07000222');
  for (const [id, v] of [['#m-emisor', 'SLV'], ['#m-vence', '2030-01-01'], ['#m-nombres', 'Daniela'], ['#m-apellidos', 'Cruz Rivas'], ['#m-nacimiento', '2014-02-02'], ['#m-nacionalidad', 'SLV']]) await page.fill(id, v);
  await add.focus();
  await page.keyboard.press('Enter');
  assert.deepEqual(await active(), { id: await page.locator('#acompanantes .acompanante input[placeholder="Nombre completo"]').first().getAttribute('id'), ph: 'Nombre completo', row: 0 });
  await page.keyboard.type('Marta Cruz Rivas');
  await page.keyboard.press('Tab');
  await page.keyboard.type('04567890-1');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  // a second one, added by mistake, taken off again from the keyboard
  await add.focus();
  await page.keyboard.press('Enter');
  assert.equal((await active()).row, 1, 'the cursor in the second row');
  await page.locator('#acompanantes .acompanante').nth(1).locator('.quitar').focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('#acompanantes .acompanante').count(), 1);
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Agregar acompañante', 'back on «Agregar acompañante»');
  // with two, taking off the first puts the cursor in the one that stays
  await page.keyboard.press('Enter');
  await page.keyboard.type('Otra Persona');
  await page.locator('#acompanantes .acompanante').first().locator('.quitar').focus();
  await page.keyboard.press('Enter');
  assert.deepEqual(await active(), { ...(await active()), ph: 'Nombre completo', row: 0 });
  assert.equal(await page.inputValue('#acompanantes .acompanante input[placeholder="Nombre completo"]'), 'Otra Persona');
  await page.keyboard.press('Escape');
  assert.deepEqual(faults(page), []);
});

test('secondary queue: the post the supervisor chose is still chosen after a look at a person\'s history (it went back to «Todas», the airport\'s cases mixed in)', async () => {
  const here = await ofi.post('/api/v1/inspections', { port: 'AMA', direction: 'entry', transport: 'Tica Bus 8521', document: passport('E7100008', 'CHN'),
    person: { given_names: 'Hui', surnames: 'Ma', birth_date: '1988-07-07', nationality: 'CHN', sex: 'F' } });
  const there = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'AV 611', document: passport('E7100009', 'CHN'),
    person: { given_names: 'Lei', surnames: 'Sun', birth_date: '1987-08-08', nationality: 'CHN', sex: 'M' } });
  assert.equal(here.json.decision, 'secondary');
  assert.equal(there.json.decision, 'secondary');
  const page = await signedIn('am_sup', 'secundaria', 1024);
  await page.locator(`#sec-cola tr[data-id="${there.json.inspection_id}"]`).waitFor();
  await page.selectOption('#sec-puesto', 'AMA');
  await page.locator(`#sec-cola tr[data-id="${there.json.inspection_id}"]`).waitFor({ state: 'detached' });
  // a look at the traveler's history, and back
  await page.click(`#sec-cola tr[data-id="${here.json.inspection_id}"] a`);
  await page.waitForSelector('#pe-persona');
  await page.goBack();
  await page.locator(`#sec-cola tr[data-id="${here.json.inspection_id}"]`).waitFor();
  assert.equal(await page.inputValue('#sec-puesto'), 'AMA');
  await page.waitForTimeout(300);
  assert.equal(await page.locator(`#sec-cola tr[data-id="${there.json.inspection_id}"]`).count(), 0, 'only El Amatillo\'s cases');
  // «Todas», chosen, is kept too
  await page.selectOption('#sec-puesto', '');
  await page.reload();
  await page.locator(`#sec-cola tr[data-id="${there.json.inspection_id}"]`).waitFor();
  assert.equal(await page.inputValue('#sec-puesto'), '');
  assert.deepEqual(faults(page), []);
});

test('overstayers: back from a person\'s history the list is the one filtered, not the whole country again with the nationality typed gone', async () => {
  const at = new Date(Date.now() - 130 * 86400e3).toISOString().slice(0, 16) + 'Z';
  for (const [n, nat, g, s, port] of [['N9002001', 'NIC', 'Ramón', 'Obando Téllez', 'AMA'], ['X9002002', 'USA', 'Peter', 'Walsh', 'SAL']])
    assert.equal((await sup.post('/api/v1/movements/contingency', { port, direction: 'entry', at, transport: 'Bus', reference: `FC-${n}`, reason: 'Caída del enlace',
      document: passport(n, nat), person: { given_names: g, surnames: s, birth_date: '1970-01-01', sex: 'M', nationality: nat } })).status, 201);
  const page = await signedIn('am_sup', 'permanencia', 1024);
  await page.locator('main tbody tr', { hasText: 'Walsh' }).waitFor();
  await page.fill('#pv-nacionalidad', 'nic');
  await page.press('#pv-nacionalidad', 'Enter');
  await page.waitForFunction(() => { const t = document.querySelector('main tbody')?.textContent || ''; return /Obando Téllez/.test(t) && !/Walsh/.test(t); });
  // the cursor leaving the field («change») does not read and draw the
  // same list again under the pointer (a click on a name, pressed as the
  // list was drawn again, was lost)
  let reads = 0;
  page.on('request', (q) => { if (q.url().includes('/api/v1/overstayers')) reads++; });
  await page.focus('#pv-dias');
  await page.waitForTimeout(400);
  assert.equal(reads, 0, 'the list was read again for the same filters');
  await page.click('text=Obando Téllez');
  await page.waitForSelector('#pe-persona');
  await page.goBack();
  await page.locator('main tbody tr', { hasText: 'Obando Téllez' }).waitFor();
  assert.equal(await page.inputValue('#pv-nacionalidad'), 'NIC');
  assert.equal(await page.locator('main tbody tr', { hasText: 'Walsh' }).count(), 0, 'still by nationality');
  assert.match(await page.textContent('#pv-total'), /al /);
  assert.deepEqual(faults(page), []);
});
