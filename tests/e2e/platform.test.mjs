// The platform as an officer and an administrator see it in Chromium:
// sign-in, navigation by permission, the organization chart, the searchable
// functions manual, staff by sex, user administration, the audit, one's own
// password.  Screenshots (1366x768) go to build/test-output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD } from '../lib/server.mjs';
import { launch, newPage, login, SHOTS, faults } from '../lib/browser.mjs';

let srv, browser;
before(async () => { srv = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.stop(); });

test('a wrong password is refused in Spanish; the admin signs in', async () => {
  const page = await newPage(browser, srv.url);
  await page.goto('/');
  await page.fill('#usuario', 'admin');
  await page.fill('#clave', 'no-es-la-clave');
  await page.click('button[type=submit]');
  await page.waitForSelector('.aviso.error');
  assert.match(await page.textContent('.aviso.error'), /usuario o contraseña incorrectos/);
  await page.screenshot({ path: `${SHOTS}/e2e-login-error.png` });
  await page.fill('#clave', ADMIN_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('header.barra');
  assert.match(await page.textContent('header.barra'), /Dirección General de Migración y Extranjería/);
  const nav = await page.textContent('nav.menu');
  for (const item of ['Organigrama', 'Manual de funciones', 'Personal por unidad', 'Usuarios', 'Auditoría']) assert.ok(nav.includes(item), item);
  assert.ok(!nav.includes('Cabina de inspección'), 'the IT administrator does not inspect travelers');
  await page.screenshot({ path: `${SHOTS}/e2e-inicio-admin.png` });
  assert.deepEqual(faults(page, /status of 401/ /* the wrong password's, refused on purpose */), []);
});

test('organization chart: 18 units; a unit opens with its functions and staff', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'admin', ADMIN_PASSWORD);
  await page.goto('/#/organizacion');
  await page.waitForSelector('#organigrama .caja');
  assert.equal(await page.locator('#organigrama .caja').count(), 18);
  await page.click('#organigrama .caja[data-code="DCM"]');
  await page.waitForSelector('#detalle-unidad h2');
  assert.equal(await page.textContent('#detalle-unidad h2'), 'Dirección de Control Migratorio');
  assert.equal(await page.locator('#detalle-unidad ol.funciones li').count(), 48);
  assert.match(await page.textContent('#detalle-unidad .cifras'), /98.*198.*296/s);
  await page.screenshot({ path: `${SHOTS}/e2e-organigrama.png`, fullPage: true });
  await page.click('#organigrama .caja[data-code="USI"]');
  await page.waitForFunction(() => document.querySelector('#detalle-unidad h2')?.textContent === 'Unidad de Seguridad Institucional');
  assert.equal(await page.locator('#detalle-unidad .sin-dato').count(), 3, 'unknown counts shown as "sin dato", never 0');
  assert.deepEqual(faults(page), []);
});

test('functions manual: typing "pasaporte" lists every mention, highlighted, across units', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'admin', ADMIN_PASSWORD);
  await page.goto('/#/manual');
  await page.waitForSelector('#buscar-manual');
  await page.type('#buscar-manual', 'pasaporte');
  await page.waitForFunction(() => /mencionan/.test(document.querySelector('#cuenta-manual').textContent));
  const units = await page.locator('#resultados-manual section h3').allTextContents();
  assert.ok(units.length >= 5, units.join('|'));
  assert.ok(units.some((u) => u.startsWith('Dirección de Emisión de Pasaporte')));
  assert.ok(units.some((u) => u.startsWith('Secretaría General')));
  const marks = await page.locator('#resultados-manual mark').allTextContents();
  assert.ok(marks.length >= units.length);
  assert.ok(marks.every((m) => m.toLowerCase() === 'pasaporte'), marks.join(','));
  await page.screenshot({ path: `${SHOTS}/e2e-manual-pasaporte.png` });
  // accents and case do not matter
  await page.fill('#buscar-manual', 'INFORMATICA');
  await page.waitForFunction(() => document.querySelectorAll('#resultados-manual mark').length > 0);
  assert.ok((await page.locator('#resultados-manual mark').allTextContents()).some((m) => m === 'Informática'));
  assert.deepEqual(faults(page), []);
});

test('staff by unit and sex: chart, totals, unknown figures', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'admin', ADMIN_PASSWORD);
  await page.goto('/#/personal');
  await page.waitForSelector('svg.grafico rect');
  assert.ok(await page.locator('svg.grafico rect.mujeres').count() >= 15);
  const row = await page.locator('#tabla-personal tr', { hasText: 'Unidad de Seguridad Institucional' }).textContent();
  assert.match(row, /sin dato.*sin dato.*sin dato/);
  await page.screenshot({ path: `${SHOTS}/e2e-personal.png`, fullPage: true });
  assert.deepEqual(faults(page), []);
});

test('the admin creates an officer; the officer sees only what the role allows', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'admin', ADMIN_PASSWORD);
  await page.goto('/#/usuarios');
  await page.waitForSelector('#form-usuario');
  await page.fill('#nu-usuario', 'mlopez');
  await page.fill('#nu-nombre', 'María López');
  await page.selectOption('#nu-unidad', 'DCM');
  await page.selectOption('#nu-roles', ['oficial_control']);
  await page.fill('#nu-clave', 'Turno-Noche-2026');
  await page.click('#form-usuario button[type=submit]');
  await page.waitForSelector('#form-usuario .aviso.ok');
  await page.waitForSelector('tr[data-user="mlopez"]');
  await page.screenshot({ path: `${SHOTS}/e2e-usuarios.png`, fullPage: true });
  await page.click('#salir');
  await page.waitForSelector('#usuario');

  await login(page, 'mlopez', 'Turno-Noche-2026');
  const nav = await page.textContent('nav.menu');
  assert.ok(nav.includes('Cabina de inspección'));
  assert.ok(nav.includes('Organigrama'));
  assert.ok(!nav.includes('Usuarios'));
  assert.ok(!nav.includes('Auditoría'));
  await page.goto('/#/usuarios');
  await page.waitForSelector('main .aviso.error');
  assert.match(await page.textContent('main'), /no permite/);
  // own password
  await page.goto('/#/cuenta');
  await page.fill('#clave-actual', 'Turno-Noche-2026');
  await page.fill('#clave-nueva', 'Turno-Manana-2027');
  await page.fill('#clave-repetir', 'Turno-Manana-2027');
  await page.click('main form button[type=submit]');
  await page.waitForSelector('main .aviso.ok');
  await page.click('#salir');
  await page.waitForSelector('#usuario');
  await login(page, 'mlopez', 'Turno-Manana-2027');
  assert.deepEqual(faults(page), []);
});

test('the audit page finds the sign-ins and verifies the chain', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'admin', ADMIN_PASSWORD);
  await page.goto('/#/auditoria');
  await page.waitForSelector('#resultados-auditoria table');
  await page.fill('#au-accion', 'session.login');
  await page.click('main form button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('#resultados-auditoria tbody tr').length >= 2 &&
    !document.querySelector('#resultados-auditoria tbody td.sin-dato'));
  const text = await page.textContent('#resultados-auditoria');
  assert.ok(text.includes('mlopez') && text.includes('admin'));
  await page.click('#verificar-cadena');
  await page.waitForSelector('main .aviso.ok');
  assert.match(await page.textContent('main .aviso.ok'), /íntegra/);
  await page.screenshot({ path: `${SHOTS}/e2e-auditoria.png` });
  assert.deepEqual(faults(page), []);
});

test('the audit page searches by user, by record and by date (issue 2 §6)', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'admin', ADMIN_PASSWORD);
  await page.goto('/#/auditoria');
  await page.waitForSelector('#resultados-auditoria table');
  // The page empties the results, fetches, then draws the table: wait for
  // this search's answer and for the table it draws.
  const rows = async () => {
    const answer = page.waitForResponse((r) => r.url().includes('/api/v1/audit?'));
    await page.click('main form button[type=submit]');
    await answer;
    await page.waitForSelector('#resultados-auditoria table');
    return page.locator('#resultados-auditoria tbody tr').allTextContents();
  };
  // by user: only mlopez's entries
  await page.fill('#au-usuario', 'mlopez');
  let r = await rows();
  assert.ok(r.length >= 3, r.join('\n'));
  assert.ok(r.every((t) => t.includes('mlopez')), r.join('\n'));
  // by record: what was done to the user record mlopez (created by admin)
  await page.fill('#au-usuario', '');
  await page.fill('#au-tipo', 'user');
  await page.fill('#au-registro', 'mlopez');
  r = await rows();
  assert.ok(r.some((t) => t.includes('user.create') && t.includes('admin')), r.join('\n'));
  assert.ok(r.every((t) => t.includes('mlopez')), r.join('\n'));
  // by date: today finds them, a day in the past finds nothing
  const today = new Date().toISOString().slice(0, 10);
  await page.fill('#au-desde', today);
  await page.fill('#au-hasta', today);
  assert.ok((await rows()).some((t) => t.includes('user.create')));
  await page.fill('#au-desde', '2020-01-01');
  await page.fill('#au-hasta', '2020-01-31');
  r = await rows();
  assert.ok(r.length <= 1 && !r.some((t) => t.includes('user.create')), r.join('\n'));
  await page.screenshot({ path: `${SHOTS}/e2e-auditoria-vacia.png` });
  assert.deepEqual(faults(page), []);
});

test('person search: a surname with more matches than a page shows the first 100 and «Ver más» brings the rest', async () => {
  const api = new Client(srv.url);
  assert.equal((await api.login('admin', ADMIN_PASSWORD)).status, 200);
  const u = await api.post('/api/v1/users', { username: 'pe.oficial', display_name: 'Oficial de búsqueda', unit: 'DCM', roles: ['oficial_control'], password: 'Busqueda-Larga-2026' });
  assert.equal(u.status, 201, u.text);
  const ofi = new Client(srv.url);
  assert.equal((await ofi.login('pe.oficial', 'Busqueda-Larga-2026')).status, 200);
  const N = 105;
  for (let b = 0; b < N; b += 15) {
    const batch = [];
    for (let i = b; i < Math.min(N, b + 15); i++) {
      batch.push(ofi.post('/api/v1/inspections', {
        port: 'SAL', direction: 'entry', transport: 'TA 390',
        document: { kind: 'passport', code: 'P', number: `VM${String(i).padStart(6, '0')}`, issuing_state: 'USA', nationality: 'USA', expiry_date: '2031-05-01' },
        person: { given_names: `Viajera ${i}`, surnames: `Vermas ${i}`, birth_date: '1981-04-05', sex: 'F', nationality: 'USA' },
      }));
    }
    for (const x of await Promise.all(batch)) assert.equal(x.status, 201, x.text);
  }
  const page = await newPage(browser, srv.url);
  await login(page, 'pe.oficial', 'Busqueda-Larga-2026');
  await page.goto('/#/personas');
  await page.fill('#pe-apellidos', 'Vermas');
  await page.click('main form button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('main tbody tr').length === 100);
  assert.ok(await page.isVisible('#pe-mas'), 'the rest is offered');
  await page.click('#pe-mas');
  await page.waitForFunction((n) => document.querySelectorAll('main tbody tr').length === n, N);
  assert.ok(await page.isHidden('#pe-mas'), 'nothing more to bring');
  const names = await page.locator('main tbody tr td:first-child').allTextContents();
  assert.equal(new Set(names).size, N, 'each person once');
  // a search with fewer matches offers nothing more
  await page.fill('#pe-apellidos', 'Vermas 104');
  await page.click('main form button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('main tbody tr').length === 1);
  assert.ok(await page.isHidden('#pe-mas'));
  await page.screenshot({ path: `${SHOTS}/e2e-personas-ver-mas.png` });
  assert.deepEqual(faults(page), []);

  // the audit of one of them shows the searches that listed them
  const id = (await ofi.get('/api/v1/persons?surnames=Vermas&limit=500')).json.items.at(-1).id; // on the page «Ver más» brought
  const au = await newPage(browser, srv.url);
  await login(au, 'admin', ADMIN_PASSWORD);
  await au.goto('/#/auditoria');
  await au.waitForSelector('#resultados-auditoria table');
  await au.fill('#au-accion', 'person.search');
  await au.fill('#au-tipo', 'person');
  await au.fill('#au-registro', String(id));
  const answer = au.waitForResponse((r) => r.url().includes('/api/v1/audit?') && r.url().includes('record_id'));
  await au.click('main form button[type=submit]');
  await answer;
  await au.waitForSelector('#resultados-auditoria .lista-auditada');
  const rows = await au.locator('#resultados-auditoria tbody tr').allTextContents();
  // «Ver más» (the 5 after the first 100) and the API's search just above
  assert.ok(rows.length >= 2 && rows.every((t) => t.includes('pe.oficial') && t.includes(`(incluye ${id})`)), rows.join('\n'));
  assert.ok(rows.some((t) => t.includes('person: lista de 5 ')), rows.join('\n'));
  assert.ok(rows.some((t) => t.includes('"surnames":"Vermas"')), rows.join('\n'));
  await au.screenshot({ path: `${SHOTS}/e2e-auditoria-lista.png` });
  assert.deepEqual(faults(au), []);
});
