// The Secretaría General's new screens: certificates (issued from a
// person's page, listed, opened, revoked; the public verification page
// under the strict CSP), CSV import with its per-row report, exports, the
// blocked-exits report links, and restriction search.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, Client, ADMIN_PASSWORD } from '../lib/server.mjs';
import { launch, newPage, login, SHOTS, holdReplies, faults } from '../lib/browser.mjs';

let srv, browser, personId, nearId;
const PW = 'Turno-Seguro-2026';
before(async () => {
  srv = await startServer();
  browser = await launch();
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  for (const [u, unit, role, name] of [['ofi2', 'DCM', 'oficial_control', 'Oficial'], ['sg2', 'SG', 'secretaria_general', 'Licda. Marta Alicia Rivas'], ['sup2', 'DCM', 'supervisor_control', 'Supervisor']])
    assert.equal((await admin.post('/api/v1/users', { username: u, display_name: name, unit, roles: [role], password: PW })).status, 201);
  const ofi = new Client(srv.url);
  await ofi.login('ofi2', PW);
  const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'AV 611', route_country: 'GTM',
    document: { kind: 'passport', code: 'P', number: 'E12312312', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-01-01' },
    person: { given_names: 'Julia Beatriz', surnames: 'Cañas Orellana', birth_date: '1992-03-15', nationality: 'SLV', sex: 'F' } });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  personId = r.json.person_id;
  // a court order on a "Julia Beatriz Cañas", same birth date: near her, not hers
  const sg = new Client(srv.url);
  await sg.login('sg2', PW);
  const near = await sg.post('/api/v1/restrictions', { court: 'Juzgado de Paz de Ilobasco', case_number: 'ILB-4-2026', measure: 'exit_ban',
    subject: { given_names: 'Julia Beatriz', surnames: 'Cañas', birth_date: '1992-03-15' }, effective_from: '2026-01-01', effective_to: null });
  assert.equal(near.status, 201, JSON.stringify(near.json));
  nearId = near.json.id;
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('certificates: issued from the person page, listed with PDF and verification, revoked', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'sg2', PW);
  await page.goto(`/#/personas?id=${personId}`);
  await page.click('#pe-certificar');
  await page.waitForSelector('#ce-persona >> text=Julia Beatriz Cañas Orellana');
  await page.selectOption('#ce-clase', 'restrictions');
  await page.selectOption('#ce-solicitante', 'court');
  await page.fill('#ce-sol-nombre', 'Juzgado Tercero de Familia de San Salvador');
  await page.click('#ce-emitir button[type=submit]');
  await page.waitForSelector('#ce-resultado .aviso');
  assert.match(await page.textContent('#ce-resultado'), /referencia del oficio/, 'a court must give its letter');
  await page.fill('#ce-sol-ref', 'Oficio 321-2026');
  await page.fill('#ce-finalidad', 'Proceso de cuota alimenticia');
  await page.click('#ce-emitir button[type=submit]');
  // the screening finds a court order near her: reviewed before certifying «none»
  await page.waitForSelector('#ce-parecidas');
  assert.match(await page.textContent('#ce-parecidas'), new RegExp(`restricción n\\.º ${nearId}`));
  assert.equal(await page.$('#ce-codigo'), null, 'not issued');
  await page.check('#ce-revisadas');
  await page.click('#ce-emitir button[type=submit]');
  await page.waitForSelector('#ce-codigo');
  const code = await page.textContent('#ce-codigo');
  assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  await page.waitForSelector(`#ce-lista >> text=${code}`);
  await page.screenshot({ path: `${SHOTS}/e2e-certificados.png`, fullPage: true });

  // the PDF link serves the document to the signed-in user
  const href = await page.getAttribute('#ce-pdf', 'href');
  const pdf = await page.evaluate(async (u) => { const r = await fetch(u); return { s: r.status, t: r.headers.get('content-type') }; }, href);
  assert.deepEqual(pdf, { s: 200, t: 'application/pdf' });

  // the public page, in a fresh context with no session
  const pub = await newPage(browser, srv.url);
  const resp = await pub.goto(`/verificar/${code}`);
  assert.equal(resp.status(), 200);
  assert.match(await pub.textContent('#estado'), /vigente/);
  assert.equal(await pub.textContent('#titular'), 'Julia Beatriz Cañas Orellana');
  const body = await pub.textContent('body');
  for (const s of ['1992', 'E12312312', 'Juzgado', 'Oficio']) assert.ok(!body.includes(s), `leaks ${s}`);
  const bg = await pub.evaluate(() => getComputedStyle(document.querySelector('header.barra')).backgroundColor);
  assert.equal(bg, 'rgb(15, 71, 175)', 'styled by its stylesheet under the CSP');
  await pub.screenshot({ path: `${SHOTS}/e2e-verificar-vigente.png`, fullPage: true });
  assert.deepEqual(faults(pub), []);

  await page.fill(`#ce-motivo-${code}`, 'Solicitud duplicada');
  await page.click(`#ce-revocar-${code}`);
  await page.waitForSelector('#ce-lista >> text=Revocada');
  await pub.goto(`/verificar/${code}`);
  assert.match(await pub.textContent('#estado'), /REVOCADA/);
  await pub.screenshot({ path: `${SHOTS}/e2e-verificar-revocado.png`, fullPage: true });
  const missing = await pub.goto('/verificar/AAAA-BBBB-CCCC-DDDD');
  assert.equal(missing.status(), 404);
  assert.match(await pub.textContent('h1'), /no encontrada/);
  // the court without its letter was a 422, the near match a 409, both shown in the form
  assert.deepEqual(faults(page, /status of 422/, /status of 409/), []);
});

test('certificates: the revocation\'s reason field says what it is for, read whole in the list at 1366 and at 1024 pixels', async () => {
  const sg = new Client(srv.url);
  await sg.login('sg2', PW);
  const c = await sg.post('/api/v1/certificates', { kind: 'movements', person_id: personId, requester: { kind: 'person' }, purpose: 'Trámite' });
  assert.equal(c.status, 201, JSON.stringify(c.json));
  for (const width of [1366, 1024]) {
    const page = await newPage(browser, srv.url, { viewport: { width, height: 768 } });
    await login(page, 'sg2', PW);
    await page.goto('/#/certificados');
    const field = page.locator(`#ce-lista:not([aria-busy]) #ce-motivo-${c.json.code}`);
    await field.waitFor();
    // the placeholder's width in the field's own type, against the room inside it
    const fit = await field.evaluate((el) => {
      const cs = getComputedStyle(el);
      const ctx = document.createElement('canvas').getContext('2d');
      ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      return { text: el.placeholder, needs: Math.ceil(ctx.measureText(el.placeholder).width),
        room: el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) };
    });
    assert.ok(fit.text && fit.needs <= fit.room, `at ${width} px «${fit.text}» needs ${fit.needs} px, the field has ${fit.room}`);
    // its name, for a screen reader (and the same as its errors say)
    assert.equal(await page.getByRole('textbox', { name: 'Motivo de la revocación' }).count(), 1);
    await field.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/e2e-certificados-motivo-${width}.png` });
    await page.close();
  }
});

test('certificates at 1024 px: every choice of the issuing form\'s selects and every hint of its fields reads whole (they read «Movimientos migr», «La persona interes», «Oficio o n.º de solicit»)', async () => {
  for (const width of [1024, 1366]) {
    const page = await newPage(browser, srv.url, { viewport: { width, height: 768 } });
    await login(page, 'sg2', PW);
    await page.goto(`/#/certificados?persona=${personId}`);
    await page.waitForSelector('#ce-persona >> text=Julia Beatriz');
    // each text in the control's own type against the room inside it (a
    // select's arrow takes ~20 px): an input's scrollWidth does not count
    // its placeholder, nor a select's its option
    const m = await page.evaluate(() => {
      const ctx = document.createElement('canvas').getContext('2d');
      const seen = [], cut = [];
      for (const el of document.querySelectorAll('main form select, main form input:not([type=date]):not([type=checkbox])')) {
        const cs = getComputedStyle(el);
        ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - (el.tagName === 'SELECT' ? 20 : 0);
        seen.push(el.id);
        for (const t of el.tagName === 'SELECT' ? [...el.options].map((o) => o.text) : [el.placeholder]) {
          const needs = Math.ceil(ctx.measureText(t).width);
          if (needs > room) cut.push(`#${el.id} «${t}» needs ${needs} px, has ${Math.floor(room)}`);
        }
      }
      return { seen, cut };
    });
    for (const id of ['ce-doc', 'ce-apellidos', 'ce-clase', 'ce-solicitante', 'ce-sol-nombre', 'ce-sol-ref', 'ce-tipo', 'ce-estado']) assert.ok(m.seen.includes(id), `#${id} measured`);
    assert.deepEqual(m.cut, [], `at ${width} px`);
    // the reference's hint names it; a screen reader hears its label
    assert.equal(await page.getByRole('textbox', { name: 'Referencia' }).count(), 1);
    await page.locator('#ce-emitir').screenshot({ path: `${SHOTS}/e2e-certificados-emitir-${width}.png` });
    await page.close();
  }
});

test('certificates: after «Revocar» the keyboard is on the notice that says it was revoked, not on the page\'s body; Tab goes on into the list', async () => {
  const sg = new Client(srv.url);
  await sg.login('sg2', PW);
  const c = await sg.post('/api/v1/certificates', { kind: 'movements', person_id: personId, requester: { kind: 'person' }, purpose: 'Trámite' });
  assert.equal(c.status, 201, JSON.stringify(c.json));
  const page = await newPage(browser, srv.url);
  await login(page, 'sg2', PW);
  await page.goto('/#/certificados');
  const reason = page.locator(`#ce-lista:not([aria-busy]) #ce-motivo-${c.json.code}`);
  await reason.waitFor();
  // keyboard only: the reason, Tab to «Revocar», Intro
  await reason.fill('Emitida por error');
  await reason.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), `ce-revocar-${c.json.code}`);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`#ce-aviso >> text=Certificación ${c.json.code} revocada`);
  // and still there once the list read after it is drawn
  await page.waitForSelector('#ce-lista:not([aria-busy])');
  await page.waitForSelector(`#ce-lista tr:has-text("${c.json.code}") >> text=Revocada`);
  assert.equal(await page.evaluate(() => document.activeElement.id || document.activeElement.tagName), 'ce-aviso');
  await page.screenshot({ path: `${SHOTS}/e2e-certificados-revocada-foco.png` });
  await page.keyboard.press('Tab');
  assert.ok(await page.evaluate(() => document.querySelector('#ce-lista').contains(document.activeElement)), 'Tab goes into the list');
  assert.deepEqual(faults(page), []);
});

test('CSV import: validation shows the per-row report; a clean file is imported; exports and report links exist', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'sg2', PW);
  await page.goto('/#/restricciones');
  await page.waitForSelector('#csv-restricciones');
  await page.click('#csv-restricciones summary');
  const head = 'court,case_number,measure,given_names,surnames,birth_date,document_number,effective_from,effective_to';
  const bad = path.join(srv.dir, 'malo.csv');
  writeFileSync(bad, [head, 'Juzgado Uno,CSV-1,exit_ban,Ana,Pérez,1980-01-01,,2026-01-01,', 'Juzgado Dos,CSV-2,exit_ban,,,,,2026-01-01,', 'Juzgado Tres,CSV-3,curfew,Ana,Pérez,1980-01-01,,2026-13-01,'].join('\n'));
  await page.setInputFiles('#csv-restricciones-archivo', bad);
  await page.click('#csv-restricciones-validar');
  await page.waitForSelector('#csv-restricciones-informe table');
  const report = await page.textContent('#csv-restricciones-informe');
  assert.match(report, /2 rechazadas/);
  assert.match(report, /unknown_measure/);
  assert.match(report, /subject_not_identified/);
  await page.screenshot({ path: `${SHOTS}/e2e-importar-informe.png`, fullPage: true });
  await page.click('#csv-restricciones-importar');
  await page.waitForSelector('#csv-restricciones-informe >> text=no se importó nada');

  const good = path.join(srv.dir, 'bueno.csv');
  writeFileSync(good, [head, 'Juzgado Uno de Instrucción,CSV-1,exit_ban,Ana,Pérez,1980-01-01,,2026-01-01,', 'Juzgado Dos de Paz,CSV-2,passport_retention,,,,Z9999999,2026-01-01,2027-01-01'].join('\n'));
  await page.setInputFiles('#csv-restricciones-archivo', good);
  await page.click('#csv-restricciones-importar');
  await page.waitForSelector('#csv-restricciones-informe >> text=Importadas 2 filas');

  // search by court, case number, document number and name
  for (const [sel, val, expect] of [['#rs-juzgado', 'Juzgado Dos de Paz', 'CSV-2'], ['#rs-causa', 'CSV-1', 'CSV-1'], ['#rs-doc', 'Z9999999', 'CSV-2'], ['#rs-nombre', 'Pérez', 'CSV-1']]) {
    for (const s of ['#rs-juzgado', '#rs-causa', '#rs-doc', '#rs-nombre']) await page.fill(s, '');
    await page.fill(sel, val);
    await page.click('form.panel:has(#rs-nombre) button[type=submit]');
    await page.waitForSelector(`main table >> text=${expect}`);
    const rows = await page.$$eval('main > div > .tabla-wrap tbody tr, main .tabla-wrap tbody tr', (t) => t.length);
    assert.ok(rows >= 1);
  }
  // a passport retention takes no exit permit (the API refuses one:
  // permit_needs_exit_ban): its page offers «Levantar», not «Conceder permiso»
  for (const s of ['#rs-juzgado', '#rs-doc', '#rs-nombre']) await page.fill(s, '');
  await page.fill('#rs-causa', 'CSV-2');
  await page.click('form.panel:has(#rs-nombre) button[type=submit]');
  await page.waitForFunction(() => [...document.querySelector('main .tabla-wrap').querySelectorAll('tbody tr')].every((tr) => tr.textContent.includes('CSV-2')));
  await page.click(`main .tabla-wrap tr:has-text("CSV-2") button`);
  await page.waitForSelector('#rl-levantar');
  assert.equal(await page.locator('#rp-conceder').count(), 0);
  assert.doesNotMatch(await page.textContent('main'), /Permisos de salida|Conceder permiso/);
  const exp = await page.getAttribute('#csv-restricciones-exportar', 'href');
  const csv = await page.evaluate(async (u) => (await fetch(u)).text(), exp);
  assert.ok(csv.includes('CSV-2'));
  await page.screenshot({ path: `${SHOTS}/e2e-restricciones-csv.png`, fullPage: true });

  // an attempt to leave under the imported restriction, then the report
  const ofi = new Client(srv.url);
  await ofi.login('ofi2', PW);
  const refused = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'AV 611', route_country: 'GTM',
    document: { kind: 'passport', code: 'P', number: 'A1010101', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-01-01' },
    person: { given_names: 'Ana', surnames: 'Pérez', birth_date: '1980-01-01', nationality: 'SLV', sex: 'F' } });
  assert.equal(refused.json.decision, 'refuse');
  const sg = new Client(srv.url);
  await sg.login('sg2', PW);
  // the report's day is El Salvador's (from 18:00 there the UTC date is the next day)
  const at = (await sg.get('/api/v1/blocked-exits')).json.courts[0].cases[0].attempts[0].at;
  const day = new Date(Date.parse(at) - 6 * 3600e3).toISOString().slice(0, 10);
  await page.goto('/#/bloqueadas');
  await page.waitForSelector('#bl-pdf');
  await page.fill('#bl-dia', day);
  await page.dispatchEvent('#bl-dia', 'change');
  await page.waitForSelector('#bl-informe:not([aria-busy]) >> text=Juzgado Uno de Instrucción');
  // the post by its name, as the courts read it (it read SAL)
  assert.match(await page.textContent('#bl-informe table'), /Aeropuerto Comalapa/);
  assert.match(await page.getAttribute('#bl-pdf', 'href'), /format=pdf/);
  assert.match(await page.getAttribute('#bl-csv', 'href'), /format=csv/);
  await page.fill('.informe-ref', 'Oficio SG-7-2026');
  await page.click('.marcar-informado');
  await page.waitForSelector('main .etiqueta.ok');
  assert.equal(await page.$('.marcar-informado'), null);
  await page.screenshot({ path: `${SHOTS}/e2e-salidas-bloqueadas.png`, fullPage: true });
  await page.goto('/#/extraviados');
  await page.waitForSelector('#csv-extraviados');
  await page.goto('/#/alertas');
  await page.waitForSelector('#csv-alertas');
  assert.equal(await page.$('#csv-alertas-importar'), null, 'the Secretaría reads alerts but does not import them');
  // the rejected import's 422 is the expected answer, shown as a report
  assert.deepEqual(faults(page, /status of 422/), []);
});

test('a supervisor imports alerts; no certificates menu for roles without it', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'sup2', PW);
  assert.equal(await page.$('nav.menu a[href="#/certificados"]'), null);
  await page.goto('/#/alertas');
  await page.click('#csv-alertas summary');
  const f = path.join(srv.dir, 'alertas.csv');
  writeFileSync(f, 'category,given_names,surnames,birth_date,document_number,instructions\ninterpol_notice,John,Roe,1961-02-02,,Retener\n');
  await page.setInputFiles('#csv-alertas-archivo', f);
  await page.click('#csv-alertas-importar');
  await page.waitForSelector('#csv-alertas-informe >> text=Importada 1 fila');
  await page.waitForSelector('main .tabla-wrap >> text=Roe', { timeout: 5000 });
  await page.screenshot({ path: `${SHOTS}/e2e-alertas-csv.png`, fullPage: true });
  assert.deepEqual(faults(page), []);
});

test('Secretaría General forms: an error is said on its field in Spanish, under the form it is about; a permit takes a country code and its days read as days', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'sg2', PW);
  const err = async (sel) => { await page.waitForSelector(`${sel} .aviso.error`); return page.textContent(`${sel} .aviso.error`); };
  const english = /\b(court|case_number|effective_from|subject|destination|order_reference|document_number|reason|requester|instructions|given_names)\b/;

  // registering a restriction
  await page.goto('/#/restricciones');
  await page.waitForSelector('#form-restriccion');
  await page.click('#form-restriccion button[type=submit]');
  let t = await err('#form-restriccion');
  assert.match(t, /^Juzgado o tribunal: /, t);
  assert.equal(t.split('Juzgado o tribunal').length, 2, `the field named once: ${t}`);
  assert.doesNotMatch(t, english, t);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'rn-juzgado');
  await page.fill('#rn-juzgado', 'Juzgado Segundo de Paz de Soyapango');
  await page.fill('#rn-causa', 'SOY-9-2026');
  await page.fill('#rn-desde', '2026-01-01');
  await page.click('#form-restriccion button[type=submit]');
  await page.waitForFunction(() => !/^Juzgado/.test(document.querySelector('#form-restriccion .aviso.error')?.textContent || 'Juzgado'));
  t = await err('#form-restriccion');
  assert.match(t, /^Persona: /, t);
  assert.doesNotMatch(t, english, t);
  await page.fill('#rn-nombres', 'Rigoberto');
  await page.fill('#rn-apellidos', 'Villatoro');
  await page.fill('#rn-nacimiento', '1972-13-40');
  await page.click('#form-restriccion button[type=submit]');
  await page.waitForFunction(() => /^Nacimiento: /.test(document.querySelector('#form-restriccion .aviso.error')?.textContent || ''));
  assert.equal(await page.evaluate(() => document.activeElement.id), 'rn-nacimiento');
  await page.screenshot({ path: `${SHOTS}/e2e-restricciones-error.png` });

  // a permit: the destination is a country code, its error under the permit form
  await page.fill('#rs-causa', 'ILB-4-2026');
  await page.click('form.panel:has(#rs-nombre) button[type=submit]');
  // the search's list, not the page's first (its row may be redrawn under the click)
  await page.waitForFunction(() => [...document.querySelector('main .tabla-wrap').querySelectorAll('tbody tr')].every((tr) => tr.textContent.includes('ILB-4-2026')));
  await page.click(`main .tabla-wrap tr:has-text("ILB-4-2026") button`);
  await page.waitForSelector('#rp-destino');
  assert.match(await page.getAttribute('#rp-destino', 'placeholder'), /^p\. ej\. [A-Z]{3}$/);
  assert.match(await page.textContent('label[for=rp-destino]'), /código de país, 3 letras/);
  await page.fill('#rp-desde', '2026-12-10');
  await page.fill('#rp-hasta', '2026-12-20');
  await page.fill('#rp-destino', 'ZZZ');
  await page.fill('#rp-autorizacion', 'Oficio 5-2026');
  await page.click('#rp-conceder');
  t = await err('#rp-resultado');
  assert.match(t, /^Destino: código de país/, t);
  assert.doesNotMatch(t, english, t);
  assert.equal(await page.locator('#rl-resultado .aviso').count(), 0, 'not under «Levantar restricción»');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'rp-destino');
  await page.screenshot({ path: `${SHOTS}/e2e-permiso-error.png`, fullPage: true });
  await page.fill('#rp-destino', 'gtm');
  await page.click('#rp-conceder');
  await page.waitForSelector('#detalle-restriccion .aviso.ok');
  const permits = await page.textContent('#detalle-restriccion .tabla-wrap');
  assert.doesNotMatch(permits, /2026-12-/, permits);
  assert.match(permits, /10 dic\.? 2026.*20 dic\.? 2026/, permits);
  assert.match(permits, /Guatemala|GTM/, permits);
  await page.screenshot({ path: `${SHOTS}/e2e-permiso-concedido.png`, fullPage: true });
  // lifting without the court's order: said under the lift
  await page.click('#rl-levantar');
  t = await err('#rl-resultado');
  assert.match(t, /^Referencia de la orden del tribunal: /, t);
  assert.equal(await page.locator('#rp-resultado .aviso').count(), 0);

  // a lost document without its number
  await page.goto('/#/extraviados');
  await page.waitForSelector('#exn-numero');
  await page.click('form.panel:has(#exn-numero) button[type=submit]');
  t = await err('form.panel:has(#exn-numero)');
  assert.match(t, /^Número: /, t);
  assert.doesNotMatch(t, english, t);

  // a certificate revoked without a reason; one asked by a court without its letter
  await page.goto(`/#/certificados?persona=${personId}`);
  await page.waitForSelector('#ce-persona >> text=Julia Beatriz');
  await page.selectOption('#ce-solicitante', 'court');
  await page.fill('#ce-sol-nombre', 'Juzgado Primero de Familia');
  await page.click('#ce-emitir button[type=submit]');
  t = await err('#ce-resultado');
  assert.match(t, /^Referencia: .*referencia del oficio/, t);
  assert.doesNotMatch(t, english, t);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'ce-sol-ref');
  const sg = new Client(srv.url);
  await sg.login('sg2', PW);
  const c = await sg.post('/api/v1/certificates', { kind: 'movements', person_id: personId, requester: { kind: 'person' } });
  assert.equal(c.status, 201, JSON.stringify(c.json));
  await page.click('form.panel:has(#ce-fecha) button[type=submit]');
  await page.click(`#ce-revocar-${c.json.code}`);
  t = await err(`#ce-lista tr:has(#ce-revocar-${c.json.code})`);
  assert.match(t, /^Motivo de la revocación: /, t);
  assert.doesNotMatch(t, english, t);

  // an alert with nobody named (a supervisor issues them)
  const sup = await newPage(browser, srv.url);
  await login(sup, 'sup2', PW);
  await sup.goto('/#/alertas');
  await sup.waitForSelector('#an-cat');
  await sup.fill('#an-instrucciones', 'Retener y avisar a la DGME');
  await sup.click('form.panel:has(#an-cat) button[type=submit]');
  await sup.waitForSelector('form.panel:has(#an-cat) .aviso.error');
  t = await sup.textContent('form.panel:has(#an-cat) .aviso.error');
  assert.match(t, /^Persona: /, t);
  assert.doesNotMatch(t, english, t);
  await sup.screenshot({ path: `${SHOTS}/e2e-alerta-error.png` });
  // each form above sent wrong on purpose: refused with a 400 or a 422
  assert.deepEqual(faults(page, /status of 400/, /status of 422/), []);
  assert.deepEqual(faults(sup, /status of 422/ /* the alert with nobody named */), []);
});

test('blocked exits: a court\'s reference being typed while the report is read again (another court marked informed) stays, and the cursor in it', async () => {
  const sg = new Client(srv.url);
  await sg.login('sg2', PW);
  const ofi = new Client(srv.url);
  await ofi.login('ofi2', PW);
  const courts = [['Juzgado Segundo de Sentencia de Santa Ana', 'STA-2-2026', 'B2020202', 'Berta'], ['Juzgado Tercero de Familia de San Miguel', 'SMG-3-2026', 'B3030303', 'Bruno']];
  for (const [court, num, doc, given] of courts) {
    assert.equal((await sg.post('/api/v1/restrictions', { court, case_number: num, measure: 'exit_ban', subject: { document_number: doc }, effective_from: '2026-01-01' })).status, 201);
    const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'AV 611', route_country: 'GTM',
      document: { kind: 'passport', code: 'P', number: doc, issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-01-01' },
      person: { given_names: given, surnames: 'Reyes Informe', birth_date: '1985-05-05', nationality: 'SLV', sex: given === 'Berta' ? 'F' : 'M' } });
    assert.equal(r.json.decision, 'refuse', JSON.stringify(r.json));
  }
  const at = (await sg.get(`/api/v1/blocked-exits?court=${encodeURIComponent(courts[0][0])}`)).json.courts[0].cases[0].attempts[0].at;
  const day = new Date(Date.parse(at) - 6 * 3600e3).toISOString().slice(0, 10);
  const page = await newPage(browser, srv.url);
  await login(page, 'sg2', PW);
  await page.goto('/#/bloqueadas');
  await page.waitForSelector('#bl-pdf');
  await page.fill('#bl-dia', day);
  await page.dispatchEvent('#bl-dia', 'change');
  const panel = (court) => page.locator('#bl-informe .panel', { has: page.locator('h2', { hasText: court }) });
  await panel(courts[1][0]).locator('.informe-ref').waitFor();
  await page.waitForSelector('#bl-informe:not([aria-busy])');
  // the report read after the first court is marked informed answers when the test lets it
  const report = await holdReplies(page, (u) => u.pathname === '/api/v1/blocked-exits', { method: 'GET', count: 1 });
  await panel(courts[0][0]).locator('.marcar-informado').click();
  await report.arrived();
  // meanwhile, the next court's reference
  await panel(courts[1][0]).locator('.informe-ref').click();
  await page.keyboard.type('Oficio SG-9');
  report.release();
  await panel(courts[0][0]).locator('.etiqueta.ok').first().waitFor();
  await page.waitForSelector('#bl-informe:not([aria-busy])');
  assert.equal(await panel(courts[1][0]).locator('.informe-ref').inputValue(), 'Oficio SG-9', 'what was typed stays through the redraw');
  // the cursor where it was: the typing goes on in the same field
  await page.keyboard.type('-2026');
  assert.equal(await panel(courts[1][0]).locator('.informe-ref').inputValue(), 'Oficio SG-9-2026');
  assert.deepEqual(faults(page), []);
});
