// A shift at the sea port of Acajutla (ACA), walked as its officers work
// it (ninth UI walk): a cruise ship's passengers at the booth, a passenger
// refused and the shipping line's fine, a cruise line's prechequeo list,
// crew ashore and back.  Each test is one thing the walk found wrong, as
// the user met it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser, carrierUser } from '../lib/server.mjs';
import { launch, newPage, login, SHOTS, signedInPage, faults } from '../lib/browser.mjs';

let srv, browser, ofi, sup;
const PW = 'Acajutla-Turno-2026!';
before(async () => {
  srv = await startServer();
  browser = await launch();
  ofi = await staffUser(srv.url, 'aj_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'aj_sup', 'supervisor_control', PW);
});
after(async () => { await browser?.close(); await srv?.stop(); });
const signedIn = (user, hash, width) => signedInPage(browser, srv.url, user, PW, hash, width);
const passport = (number, nat, expiry = '2031-01-01') => ({ kind: 'passport', code: 'P', number, issuing_state: nat, nationality: nat, expiry_date: expiry });

test('carriers\' fines: a passenger refused off a ship without a list is fined to the shipping line, with the ship and the port in sight (neither was anywhere in the row)', async () => {
  // a British passenger of a cruise ship with an expired passport
  const r = await ofi.post('/api/v1/inspections', { port: 'ACA', direction: 'entry', transport: 'Crucero MSC Seaview', route_country: 'GTM',
    document: passport('P1112223', 'GBR', '2025-01-01'), person: { given_names: 'Jane', surnames: 'Doe', birth_date: '1980-01-01', nationality: 'GBR', sex: 'F' } });
  assert.equal(r.json.decision, 'refuse', JSON.stringify(r.json));
  const n = await sup.post(`/api/v1/inspections/${r.json.inspection_id}/resolve`, { resolution: 'refuse', legal_ground: 'LEME: pasaporte vencido',
    carrier: 'MSC Cruceros', return_transport: 'Crucero MSC Seaview, zarpa hoy 18:00', arrival_transport: 'Crucero MSC Seaview' });
  assert.equal(n.status, 200, JSON.stringify(n.json));
  // and one typed by hand for a cargo ship, its vessel in «Transporte»
  const hand = await sup.post('/api/v1/carrier-fines', { carrier: 'Naviera Río Lempa S.A.', amount: 300, legal_basis: 'LEME', reason: 'Lista de tripulantes no entregada',
    transport: 'Buque Mercante Río Lempa', port: 'ACA' });
  assert.equal(hand.status, 201, JSON.stringify(hand.json));
  const page = await signedIn('aj_sup', 'multas', 1024);
  const row = page.locator('tr.multa.proposed', { hasText: 'MSC Cruceros' });
  await row.waitFor();
  // the API has them: the page says them, the port by its name
  const fine = (await sup.get('/api/v1/carrier-fines')).json.items.find((f) => f.carrier === 'MSC Cruceros');
  assert.equal(fine.transport, 'Crucero MSC Seaview');
  assert.equal(fine.port, 'ACA');
  assert.equal(await row.locator('td').nth(1).textContent(), 'MSC CrucerosPuerto de Acajutla · Crucero MSC Seaview');
  const typed = page.locator('tr.multa.pending', { hasText: 'Naviera Río Lempa' });
  assert.match(await typed.locator('td').nth(1).textContent(), /Puerto de Acajutla · Buque Mercante Río Lempa$/);
  assert.doesNotMatch(await page.textContent('#mu-resultado'), /\bACA\b/, 'no bare post code');
  // the list still fits its area at 1024 px
  const m = await page.evaluate(() => [...document.querySelectorAll('#mu-resultado .tabla-wrap')].map((w) => [w.scrollWidth, w.clientWidth]));
  for (const [s, c] of m) assert.ok(s <= c, `a list (${s} px) is wider than its area (${c} px)`);
  await page.screenshot({ path: `${SHOTS}/e2e-uiwalk-aca-multas.png`, fullPage: true });
  assert.deepEqual(faults(page), []);
});

test('booth at 1024 px: the ship\'s name is read whole in «Transporte» (it was cut to «Buque Mercante»), and the post\'s name with it', async () => {
  const page = await signedIn('aj_ofi', 'cabina', 1024);
  await page.waitForSelector('#cab-mrz');
  await page.selectOption('#cab-puesto', 'ACA');
  const cut = (id) => page.evaluate((id) => { const e = document.getElementById(id); return e.scrollWidth > e.clientWidth; }, id);
  for (const ship of ['Buque Mercante Río Lempa', 'Rhapsody of the Seas', 'Crucero MSC Seaview']) {
    await page.fill('#cab-transporte', ship);
    assert.equal(await cut('cab-transporte'), false, `«${ship}» does not fit in «Transporte»`);
  }
  // the widest post's name still reads whole, and «Entrada» too
  const whole = (id) => page.evaluate((id) => {
    const s = document.getElementById(id);
    const probe = document.createElement('span');
    probe.textContent = s.options[s.selectedIndex].textContent;
    probe.style.font = getComputedStyle(s).font;
    probe.style.position = 'absolute';
    document.body.append(probe);
    const need = probe.getBoundingClientRect().width;
    probe.remove();
    // the text, the select's padding and its arrow
    return need + 40 <= s.getBoundingClientRect().width;
  }, id);
  for (const code of ['ACA', 'SAL']) {
    await page.selectOption('#cab-puesto', code);
    assert.equal(await whole('cab-puesto'), true, `the post ${code} is cut off`);
  }
  assert.equal(await whole('cab-sentido'), true, 'the direction is cut off');
  await page.fill('#cab-transporte', 'Buque Mercante Río Lempa');
  await page.selectOption('#cab-puesto', 'ACA');
  await page.screenshot({ path: `${SHOTS}/e2e-uiwalk-aca-cabina-1024.png`, clip: { x: 0, y: 0, width: 1024, height: 240 } });
  assert.deepEqual(faults(page), []);
});

test('APIS desk: a cruise line\'s list says «sin figurar en la lista» and «Entrada por Puerto de Acajutla» (it said «en el manifiesto» and «por ACA»)', async () => {
  // the cruise line's account, and its list of the day
  const line = await carrierUser(srv, 'aj_crucero', 'RCCL', 'Lista-Buque-2026!', { kind: 'cruise', displayName: 'Royal Caribbean (listas)' });
  const arrival = new Date(Date.now() - 6 * 3600e3 + 2 * 60e3).toISOString().slice(0, 16);
  const T = (surnames, given_names, birth_date, sex, nat, doc_number) => ({ surnames, given_names, birth_date, sex, nationality: nat, doc_type: 'P', doc_number, doc_issuing_state: nat, doc_expiry: '2031-01-01' });
  const l = await line.post('/api/v1/prechequeo/lists', { port: 'ACA', vehicle: 'Rhapsody of the Seas', company: 'Royal Caribbean International', trip: 'RCCL-ACA-1', arrival, direction: 'entry',
    travelers: [T('Johnson', 'Emily', '1975-03-03', 'F', 'USA', 'US5550001'), T('Brown', 'Michael', '1972-07-07', 'M', 'USA', 'US5550002')] });
  assert.equal(l.status, 201, JSON.stringify(l.json));
  // one of the list and one who is not on it come ashore
  for (const [n, g, s] of [['US5550001', 'Emily', 'Johnson'], ['US5550099', 'Robert', 'Williams']]) {
    const i = await ofi.post('/api/v1/inspections', { port: 'ACA', direction: 'entry', transport: 'Rhapsody of the Seas', route_country: 'MEX', document: passport(n, 'USA'),
      person: { given_names: g, surnames: s, birth_date: n === 'US5550001' ? '1975-03-03' : '1960-01-01', nationality: 'USA', sex: n === 'US5550001' ? 'F' : 'M' } });
    assert.equal(i.json.decision, 'admit', JSON.stringify(i.json));
  }
  const page = await signedIn('aj_sup', 'apis', 1024);
  await page.selectOption('#apis-puesto', 'ACA');
  const row = page.locator(`#apis-listas tr[data-lista="${l.json.manifests[0].id}"]`);
  await row.waitFor();
  await row.locator('.ver-lista').click();
  await page.waitForSelector('#apis-viajeros');
  const rec = await page.textContent('#apis-conciliacion');
  assert.match(rec, /De la lista: 1 inspeccionado, 1 no presentado; 1 inspeccionado sin figurar en ella/);
  assert.match(rec, /Inspeccionados sin figurar en la listaHora/);
  assert.doesNotMatch(rec, /manifiesto/);
  assert.match(await page.textContent('#apis-viajeros .sub'), /^Royal Caribbean International · Entrada por Puerto de Acajutla · llegada prevista /);
  await page.screenshot({ path: `${SHOTS}/e2e-uiwalk-aca-lista.png`, fullPage: true });
  assert.deepEqual(faults(page), []);
});

// A TD1 (identity card) as the reader types it: 7-3-1 check digits.
const val = (c) => (c === '<' ? 0 : /[0-9]/.test(c) ? Number(c) : c.charCodeAt(0) - 55);
const cd = (s) => String([...s].reduce((a, c, i) => a + val(c) * [7, 3, 1][i % 3], 0) % 10);
function td1(issuer, number, birth, sex, expiry, nat, name) {
  const num = number.padEnd(9, '<');
  const l1 = `ID${issuer}${num}${cd(num)}`.padEnd(30, '<');
  const l2 = birth + cd(birth) + sex + expiry + cd(expiry) + nat + ''.padEnd(11, '<');
  return `${l1}\n${l2}${cd(l1.slice(5, 30) + l2.slice(0, 7) + l2.slice(8, 15) + l2.slice(18, 29))}\n${name.padEnd(30, '<')}`;
}

test('booth: a Guatemalan off a cruise with her DPI, no country typed: «País de origen o destino» is marked where the answer asks for it, and typed there with Intro she is admitted', async () => {
  const page = await signedIn('aj_ofi', 'cabina', 1024);
  await page.waitForSelector('#cab-mrz');
  await page.selectOption('#cab-puesto', 'ACA');
  await page.selectOption('#cab-sentido', 'entry');
  await page.fill('#cab-transporte', 'Crucero MSC Seaview');
  await page.fill('#cab-ruta', '');
  await page.focus('#cab-mrz');
  await page.keyboard.type(td1('GTM', '246813579', '880808', 'F', '300101', 'GTM', 'LOPEZ<GARCIA<<MARIA<JOSE'));
  await page.waitForSelector('#veredicto.secondary');
  assert.match(await page.textContent('#razones'), /indique el país de procedencia/);
  // the field the answer asks for is marked; the cursor stays for the reader
  assert.match(await page.getAttribute('#cab-ruta', 'class'), /\binvalido\b/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'cab-mrz');
  await page.screenshot({ path: `${SHOTS}/e2e-uiwalk-aca-ruta.png`, clip: { x: 0, y: 0, width: 1024, height: 560 } });
  await page.click('#cab-ruta');
  await page.keyboard.type('gtm');
  assert.doesNotMatch(await page.getAttribute('#cab-ruta', 'class'), /\binvalido\b/);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#veredicto.admit');
  await page.locator('#cab-caso-cerrado').waitFor();
  // the next traveler starts with nothing marked
  await page.focus('#cab-mrz');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#veredicto.espera');
  assert.doesNotMatch(await page.getAttribute('#cab-ruta', 'class'), /\binvalido\b/);
  assert.deepEqual(faults(page), []);
});

test('matching a ship\'s passenger against the lists: the reference reads «Alerta n.º N» / «Restricción judicial n.º N» and opens that record (it read «alert:1» and led to the top of a page that ignored it)', async () => {
  const al = await sup.post('/api/v1/alerts', { category: 'arrest_warrant', subject: { given_names: 'Wilner', surnames: 'Dorsainvil', birth_date: '1990-05-05', sex: 'M' },
    instructions: 'Retener y avisar a la División de Fronteras de la PNC', valid_until: '2099-01-01' });
  assert.equal(al.status, 201, JSON.stringify(al.json));
  const sg = await staffUser(srv.url, 'aj_sg', 'secretaria_general', PW, 'SG');
  const rs = await sg.post('/api/v1/restrictions', { court: 'Juzgado Primero de Paz de Acajutla', case_number: 'ACA-77-2026', measure: 'exit_ban',
    subject: { given_names: 'Ramiro', surnames: 'Zepeda Lemus', birth_date: '1981-09-09' }, effective_from: '2026-01-01', effective_to: null });
  assert.equal(rs.status, 201, JSON.stringify(rs.json));
  // a few more alerts, so that the one matched is not the only one on its page
  for (let i = 0; i < 3; i++) assert.equal((await sup.post('/api/v1/alerts', { category: 'other', subject: { given_names: 'Persona', surnames: `Distinta ${i}` }, instructions: `Otra ${i}` })).status, 201);
  const page = await signedIn('aj_sup', 'cotejo', 1024);
  await page.waitForSelector('#co-form');
  const match = async (given, surnames, birth) => {
    await page.fill('#co-nombres', given);
    await page.fill('#co-apellidos', surnames);
    await page.fill('#co-nacimiento', birth);
    await page.click('#co-buscar');
    await page.waitForFunction((s) => (document.querySelector('#co-resultado table')?.textContent || '').toLowerCase().includes(s), surnames.split(' ')[0].toLowerCase());
  };
  await match('Wilner', 'Dorsainvil', '1990-05-05');
  const ref = page.locator('#co-resultado tbody tr a').first();
  assert.equal(await ref.textContent(), `Alerta n.º ${al.json.id}`);
  await ref.click();
  // that alert, first under the title, with what it says to do
  await page.waitForSelector(`#al-detalle tr[data-alerta="${al.json.id}"]`);
  assert.match(await page.textContent('#al-detalle'), new RegExp(`^Alerta n\\.º ${al.json.id}.*Wilner Dorsainvil.*Orden de captura.*Retener y avisar a la División de Fronteras de la PNC.*Activa`));
  assert.equal(await page.locator('#al-detalle tbody tr').count(), 1);
  const top = await page.evaluate(() => document.querySelector('#al-detalle').getBoundingClientRect().top);
  assert.ok(top < 768, `the alert is out of sight (${top} px down)`);
  await page.screenshot({ path: `${SHOTS}/e2e-uiwalk-aca-cotejo-alerta.png` });
  await page.goBack();
  await page.waitForSelector('#co-form');
  await match('Ramiro', 'Zepeda Lemus', '1981-09-09');
  const rref = page.locator('#co-resultado tbody tr a', { hasText: 'Restricción judicial' }).first();
  assert.equal(await rref.textContent(), `Restricción judicial n.º ${rs.json.id}`);
  await rref.click();
  await page.waitForSelector('#detalle-restriccion h2');
  assert.match(await page.textContent('#detalle-restriccion'), /Impedimento de salida — Juzgado Primero de Paz de Acajutla.*Causa ACA-77-2026/);
  assert.deepEqual(faults(page), []);
});

test('APIS desk: Acajutla chosen while La Hachadura\'s lists were on their way stays Acajutla\'s (the late answer put «Ningún autobús ni buque…» under «Puerto de Acajutla»)', async () => {
  // the cruise line's list of the day (sent in the test above)
  const lists = (await sup.get('/api/v1/prechequeo/lists?port=ACA')).json.items;
  assert.ok(lists.some((x) => x.vehicle === 'Rhapsody of the Seas'), JSON.stringify(lists));
  const page = await newPage(browser, srv.url, { viewport: { width: 1024, height: 768 } });
  await login(page, 'aj_sup', PW);
  // the first post's answer is slow (a busy link): it comes after Acajutla's
  let late = null;
  await page.route((u) => u.pathname === '/api/v1/prechequeo/lists' && u.searchParams.get('port') === 'HAC', async (route) => {
    late = new Promise((r) => setTimeout(r, 1500)).then(() => route.continue());
    await late;
  });
  await page.goto('/#/apis');
  await page.selectOption('#apis-puesto', 'ACA');
  const row = page.locator('#apis-listas tr[data-lista]', { hasText: 'Rhapsody of the Seas' });
  await row.waitFor();
  assert.ok(late, 'La Hachadura\'s lists were asked for first');
  await late;
  await page.waitForFunction(() => !document.querySelector('#apis-listas[aria-busy]'));
  await page.waitForTimeout(300);
  assert.equal(await page.inputValue('#apis-puesto'), 'ACA');
  assert.equal(await row.count(), 1, `under «Puerto de Acajutla»: ${await page.textContent('#apis-listas')}`);
  assert.deepEqual(faults(page), []);
});
