// Signed in, no page of the menu leaves an error in the browser's console
// nor gets a 4xx or 5xx answer, whatever the role.  Every officer who
// opened SIGM signed out found «Failed to load resource: 401
// (Unauthorized)» in the console on every page after signing in: the app
// asked the server at load whether there was a session, and the answer
// «no» is a 401, which Chromium logs (most browser tests filtered it out).
// Now a browser that never signed in, or signed out, shows the form
// without asking; one that signed in asks, and a 401 then is a session
// that really expired, said on the form (the one 4xx expected here).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD, staffUser, carrierUser } from '../lib/server.mjs';
import { launch, newPage, login, SHOTS, faults } from '../lib/browser.mjs';
import { paxlst, inspectTraveler, VISA } from '../lib/apis.mjs';

let srv, browser;
const PW = 'Turno-Seguro-2026';
// one of each kind of desk: the booth (the APIS desk without the fines),
// its supervisor, the Secretaría, Atención al Migrante, the Dirección
// (reads, writes nothing), IT and an airline's account
const ROLES = ['oficial_control', 'supervisor_control', 'secretaria_general', 'atencion_migrante',
  'direccion', 'admin_ti', 'transportista'];

before(async () => {
  srv = await startServer({ env: { SIGM_COMPLIANCE_MINUTES: '0' } });
  browser = await launch();
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  for (const role of ROLES.filter((r) => r !== 'transportista')) {
    const r = await admin.post('/api/v1/users', { username: `cl_${role}`, display_name: `Prueba ${role}`, unit: 'DCM', roles: [role], password: PW });
    assert.equal(r.status, 201, r.text);
  }
  // something for the lists to draw: a manifest, a traveler on it
  // admitted and one not on it sent to secondary (a case in the queue,
  // a movement of the day, a fine to propose)
  const airline = await carrierUser(srv, 'cl_transportista', 'TA', PW);
  const TRAVELER = { sur: 'LOPEZ', given: 'ANA', birth: '800101', sex: 'F', nat: 'USA', doc: 'US7700001' };
  const m = await airline.req('POST', '/api/v1/apis/manifests', paxlst('TA770', [TRAVELER]), { 'content-type': 'application/edifact' });
  assert.equal(m.status, 201, m.text);
  const ofi = await staffUser(srv.url, 'cl_booth', 'oficial_control', PW);
  assert.equal((await inspectTraveler(ofi, 'TA770', TRAVELER)).json.decision, 'admit');
  const stray = { sur: 'MAMANI', given: 'LUIS', birth: '810404', sex: 'M', nat: 'BOL', doc: 'BO7700002' };
  assert.equal((await inspectTraveler(ofi, 'TA770', stray)).json.decision, 'secondary');
  assert.equal((await inspectTraveler(ofi, 'TA770', stray, VISA('V-770-1'))).json.decision, 'admit');
});
after(async () => { await browser?.close(); await srv?.stop(); });

// A page that records what the console and the network said, and waits
// until no request is on its way.
async function watchedPage() {
  const page = await newPage(browser, srv.url);
  let inFlight = 0;
  page.on('request', () => { inFlight++; });
  const done = () => { inFlight--; };
  page.on('requestfinished', done);
  page.on('requestfailed', (q) => { done(); page.problems.push(`failed ${q.method()} ${q.url().replace(srv.url, '')}`); });
  page.on('response', (r) => { if (r.status() >= 400) page.problems.push(`${r.status()} ${r.request().method()} ${r.url().replace(srv.url, '')}`); });
  page.settled = async () => {
    for (let quiet = 0; quiet < 3;) {
      await page.waitForTimeout(100);
      quiet = inFlight === 0 ? quiet + 1 : 0;
    }
  };
  // the console's errors and uncaught exceptions (tests/lib/browser.mjs)
  // and the failed answers, but those expected; cleared once read
  page.faults = (...expected) => {
    const left = faults(page, ...expected);
    page.problems.length = 0;
    return left;
  };
  return page;
}

// The roles walk at once, each in its own page: one after the other they
// were 71 s of the browser suite, most of it waiting for pages to settle.
test('signed in as each role, every page of its menu loads without a console error or a failed request', async () => {
  const walked = {};
  await Promise.all(ROLES.map(async (role) => {
    const page = await watchedPage();
    await login(page, `cl_${role}`, PW);
    await page.settled();
    assert.deepEqual(page.faults(), [], `${role}: opening SIGM and signing in`);
    const links = await page.$$eval('nav.menu a', (as) => as.map((a) => a.getAttribute('href')));
    assert.ok(links.length >= 2, `${role}: ${links}`);
    for (const href of links) {
      await page.click(`nav.menu a[href="${href}"]`);
      await page.waitForSelector('main#contenido h1');
      await page.settled();
      assert.deepEqual(page.faults(), [], `${role} on ${href}`);
      assert.equal(await page.locator('main#contenido .aviso.error').count(), 0,
        `${role} on ${href}: ${await page.locator('main#contenido .aviso.error').allTextContents()}`);
    }
    // loaded again (a reload, a link opened in the tab): the session is
    // asked for, and it is there
    await page.reload();
    await page.waitForSelector('header.barra');
    await page.settled();
    assert.deepEqual(page.faults(), [], `${role}: page reloaded`);
    if (role === 'supervisor_control') {
      await page.goto('/#/apis');
      await page.waitForSelector('#apis-cumplimiento table');
      await page.settled();
      await page.screenshot({ path: `${SHOTS}/e2e-consola-limpia-apis-supervisor.png`, fullPage: true });
    }
    // signed out, the form again, with nothing asked of the server but
    // the sign-out itself
    await page.click('#salir');
    await page.waitForSelector('form.login');
    await page.settled();
    assert.deepEqual(page.faults(), [], `${role}: signing out`);
    walked[role] = links.length;
    await page.close();
  }));
  // the supervisor sees the most; the airline's account its own two
  assert.equal(walked.transportista, 2, JSON.stringify(walked));
  assert.ok(walked.supervisor_control >= 20, JSON.stringify(walked));
});

test('a browser that never signed in asks the server nothing before the form, and opens the page its link named once signed in', async () => {
  const page = await watchedPage();
  const asked = [];
  page.on('request', (q) => { if (q.url().includes('/api/')) asked.push(`${q.method()} ${q.url().replace(srv.url, '')}`); });
  await page.goto('/#/multas');
  await page.waitForSelector('form.login');
  await page.settled();
  assert.deepEqual(asked, [], 'nothing asked before signing in');
  await page.fill('#usuario', 'cl_supervisor_control');
  await page.fill('#clave', PW);
  await page.click('button[type=submit]');
  // the page the link named, once signed in
  await page.waitForSelector('main#contenido h1:text("Multas a transportistas")');
  await page.settled();
  assert.deepEqual(page.faults(), []);
  assert.equal(asked[0], 'POST /api/v1/session', asked.join('\n'));
});

test('a session that expired while the browser was closed: the one expected 401, and the form says why', async () => {
  const page = await watchedPage();
  await login(page, 'cl_oficial_control', PW);
  await page.settled();
  assert.deepEqual(page.faults(), []);
  // the session ends behind the browser's back (its idle time ran out)
  const r = srv.sql("UPDATE sessions SET idle_expires_at = '2000-01-01T00:00:00.000Z' WHERE username = 'cl_oficial_control'");
  assert.equal(r.status, 0, r.stderr);
  await page.reload();
  await page.waitForSelector('form.login');
  await page.settled();
  // expected: the browser had a session and asks for it; the server says
  // it is over (401 session_expired), and Chromium logs that answer
  assert.deepEqual(page.faults(/^console: Failed to load resource: .*401 \(Unauthorized\)$/), ['401 GET /api/v1/session']);
  assert.match(await page.textContent('form.login'), /Su sesión expiró\. Inicie sesión de nuevo\./);
  await page.screenshot({ path: `${SHOTS}/e2e-consola-limpia-sesion-expirada.png` });
  // asked once: reloaded again, the form without a word to the server
  await page.reload();
  await page.waitForSelector('form.login');
  await page.settled();
  assert.deepEqual(page.faults(), []);
});
