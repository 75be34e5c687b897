// The blocked-exits screen when a day was informed between the two reads
// of a double swipe across midnight (23:59 and 00:01): the court was told
// of the attempt, so it shows the date it was informed, not «Pendiente»
// again, and says the read that came after (docs/secretaria.md «Blocked
// exits report»); and when the next day has no attempt of the court, offers
// to inform that later read alone, the next day's screen sending the officer
// there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, addUser } from '../lib/server.mjs';
import { launch, newPage, login, SHOTS, faults } from '../lib/browser.mjs';

let srv, browser;
const PW = 'Turno-Seguro-2026';
before(async () => {
  srv = await startServer();
  browser = await launch();
  await addUser(srv.url, 'bm_ofi', 'oficial_control', PW, 'DCM', 'Oficial');
  await addUser(srv.url, 'bm_sg', 'secretaria_general', PW, 'SG', 'Licda. Marta Alicia Rivas');
});
after(async () => { await browser?.close(); await srv?.stop(); });

// An exit ban on a passport for court, and the Secretaría's client; read(at,
// day) is the booth refusing its holder, the read moved to the time and day
// the booth's clock would have stored (El Salvador is UTC-6).
async function banned(court, caseNumber, number, person) {
  const sg = new Client(srv.url);
  await sg.login('bm_sg', PW);
  const ofi = new Client(srv.url);
  await ofi.login('bm_ofi', PW);
  assert.equal((await sg.post('/api/v1/restrictions', { court, case_number: caseNumber, measure: 'exit_ban',
    subject: { document_number: number }, effective_from: '2026-01-01' })).status, 201);
  const read = async (at, day) => {
    const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'AV 611', route_country: 'GTM',
      document: { kind: 'passport', code: 'P', number, issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-01-01' },
      person: { ...person, nationality: 'SLV' } });
    assert.equal(r.json.decision, 'refuse', JSON.stringify(r.json));
    assert.equal(srv.sql(`UPDATE blocked_exits SET at = '${at}', day = '${day}' WHERE inspection_id = ${r.json.inspection_id}`).status, 0);
  };
  return { sg, read };
}

test('blocked exits: a day informed at 23:59:30 keeps its attempt informed when the 00:01 read arrives, the later read said beside the date', async () => {
  const COURT = 'Juzgado Segundo de Instrucción de Ahuachapán';
  const PREV = '2026-04-14', D = '2026-04-15';
  const { sg, read } = await banned(COURT, 'AHU-9-2026', 'D99000099',
    { given_names: 'Tomás', surnames: 'Alvarado Mejía', birth_date: '1968-08-08', sex: 'M' });
  await read('2026-04-15T05:59:00.000Z', PREV);
  assert.equal((await sg.post('/api/v1/blocked-exits/informed', { date: PREV, court: COURT })).json.informed, 1);
  await read('2026-04-15T06:01:00.000Z', D);

  const page = await newPage(browser, srv.url);
  await login(page, 'bm_sg', PW);
  await page.goto('/#/bloqueadas');
  await page.waitForSelector('#bl-pdf');
  const show = async (day) => {
    await page.fill('#bl-dia', day);
    await page.dispatchEvent('#bl-dia', 'change');
    await page.waitForSelector(`#bl-informe:not([aria-busy]) >> text=${COURT}`);
    return (await page.textContent('#bl-informe tbody tr')).replace(/\s+/g, ' ');
  };
  const row = await show(PREV);
  assert.match(row, /\(2 lecturas; la última a las (00|12):01\b/, row);
  assert.doesNotMatch(row, /Pendiente/, row);
  assert.equal(await page.locator('#bl-informe tbody tr .etiqueta.ok').count(), 1, row);
  assert.match(row, /\(1 lectura posterior al informe\)/, row);
  // told already: not «Marcar como informado» again, only the later read
  // offered alone (the second test)
  assert.equal(await page.locator('.marcar-informado').count(), 0);
  assert.equal(await page.locator('.informar-posterior').count(), 1);
  await page.screenshot({ path: `${SHOTS}/e2e-salidas-bloqueadas-posterior.png`, fullPage: true });

  // the next day informed: the 00:01 read is marked with it
  assert.equal((await sg.post('/api/v1/blocked-exits/informed', { date: D, court: COURT })).json.reads, 1);
  await page.fill('#bl-dia', D);
  await page.dispatchEvent('#bl-dia', 'change');
  await page.waitForSelector('#bl-informe:not([aria-busy])');
  const again = await show(PREV);
  assert.doesNotMatch(again, /posterior|Pendiente/, again);
  assert.deepEqual(faults(page), []);
});

// The next day has no attempt of the court: its screen has nothing of it,
// and the first day's had nothing pending, so no button ever marked the
// 00:01 read and «(1 lectura posterior al informe)» stayed.  The first
// day's screen offers «Informar lectura posterior», which marks that read
// alone, the attempt told once.
test('blocked exits: a later read whose day has no attempt of the court is informed from the attempt\'s day, at 1024 and 1366 px', async () => {
  const COURT = 'Juzgado Tercero de Paz de Sensuntepeque';
  const PREV = '2026-05-20', D = '2026-05-21';
  const { sg, read } = await banned(COURT, 'SEN-4-2026', 'D88000088',
    { given_names: 'Marta Lidia', surnames: 'Escobar Henríquez', birth_date: '1972-02-02', sex: 'F' });
  await read('2026-05-21T05:59:00.000Z', PREV);
  assert.equal((await sg.post('/api/v1/blocked-exits/informed', { date: PREV, court: COURT })).json.informed, 1);
  await read('2026-05-21T06:01:00.000Z', D);

  for (const width of [1024, 1366]) {
    if (width === 1366) {
      // again, for the wider screen: the read unmarked as before
      assert.equal(srv.sql(`UPDATE blocked_exits SET informed_at = NULL, informed_by = NULL WHERE court = '${COURT}' AND day = '${D}'`).status, 0);
    }
    const page = await newPage(browser, srv.url, { viewport: { width, height: 768 } });
    await login(page, 'bm_sg', PW);
    await page.goto('/#/bloqueadas');
    await page.waitForSelector('#bl-pdf');
    const pick = async (day) => {
      await page.fill('#bl-dia', day);
      await page.dispatchEvent('#bl-dia', 'change');
      await page.waitForSelector('#bl-informe:not([aria-busy]) >> text=de salida el');
    };
    // the next day: no attempt of the court, nothing of it to inform; it
    // says its 00:01 read waits on the first day's screen, and opens it
    await pick(D);
    assert.equal(await page.locator(`[data-juzgado="${COURT}"]`).count(), 0);
    const aviso = page.locator('.aviso.info.lecturas-dia-anterior');
    assert.match((await aviso.textContent()).replace(/\s+/g, ' '),
      new RegExp(`^1 lectura de este día pertenece a un intento del .* ya informado al ${COURT}: márquela desde ese día`));
    const open = aviso.locator('button.abrir-dia-anterior');
    const o = await open.boundingBox();
    assert.ok(o.x >= 0 && o.x + o.width <= width, JSON.stringify([o, width]));
    await page.screenshot({ path: `${SHOTS}/e2e-salidas-bloqueadas-dia-siguiente-${width}.png`, fullPage: true });
    await open.click();
    await page.waitForSelector(`#bl-informe:not([aria-busy]) [data-juzgado="${COURT}"]`);
    assert.equal(await page.inputValue('#bl-dia'), PREV);
    const panel = page.locator(`[data-juzgado="${COURT}"]`);
    assert.match((await panel.textContent()).replace(/\s+/g, ' '), /\(1 lectura posterior al informe\)/);
    assert.equal(await panel.locator('.marcar-informado').count(), 0);
    const btn = panel.locator('button.informar-posterior');
    assert.equal(await btn.textContent(), 'Informar lectura posterior');
    assert.match(await panel.locator('p.sub').textContent(), /no un intento nuevo/);
    // the button whole on screen, beside the reference, not over the table
    const [b, t] = [await btn.boundingBox(), await panel.locator('table').boundingBox()];
    assert.ok(b.x >= 0 && b.x + b.width <= width && b.y + b.height <= t.y, JSON.stringify([b, t, width]));
    await page.screenshot({ path: `${SHOTS}/e2e-salidas-bloqueadas-lectura-posterior-${width}.png`, fullPage: true });
    await btn.click();
    await page.waitForSelector(`[data-juzgado="${COURT}"] >> text=Causa SEN-4-2026`);
    await page.waitForFunction((c) => !document.querySelector(`[data-juzgado="${c}"] .posteriores`), COURT);
    assert.equal(await panel.locator('button').count(), 0);
    const row = (await panel.locator('tbody tr').textContent()).replace(/\s+/g, ' ');
    assert.doesNotMatch(row, /posterior|Pendiente/, row);
    assert.deepEqual(faults(page), []);
    await page.screenshot({ path: `${SHOTS}/e2e-salidas-bloqueadas-lectura-posterior-hecha-${width}.png`, fullPage: true });
    // marked: the next day has nothing more to say of it
    await pick(D);
    assert.equal(await aviso.count(), 0);
  }
  // the court told of one attempt, once; the later read marked, twice
  const x = await sg.get(`/api/v1/blocked-exits?date=${PREV}&court=${encodeURIComponent(COURT)}`);
  const [a] = x.json.courts[0].cases[0].attempts;
  assert.deepEqual([x.json.total, a.reads, a.informed_reads], [1, 2, 2], JSON.stringify(a));
});

// The day runs on at the posts while the officer sends the report: an
// attempt stored between reading the screen and «Marcar como informado»
// was marked with the others, and the court never heard of it.  The
// screen sends what its list showed (seen_through); the new attempt stays
// «Pendiente» and the screen says so.
test('blocked exits: an attempt that arrives after the screen was read stays pending and is said, at 1024 and 1366 px', async () => {
  const D = '2026-06-10';
  for (const width of [1024, 1366]) {
    const COURT = `Juzgado de Paz de Tonacatepeque ${width}`;
    const { sg, read } = await banned(COURT, `TON-${width}-2026`, `T${width}0000`,
      { given_names: 'Rosa Elvira', surnames: 'Menjívar Cruz', birth_date: '1975-03-03', sex: 'F' });
    await read('2026-06-10T15:00:00.000Z', D);
    const page = await newPage(browser, srv.url, { viewport: { width, height: 768 } });
    await login(page, 'bm_sg', PW);
    await page.goto('/#/bloqueadas');
    await page.waitForSelector('#bl-pdf');
    await page.fill('#bl-dia', D);
    await page.dispatchEvent('#bl-dia', 'change');
    const panel = page.locator(`[data-juzgado="${COURT}"]`);
    await panel.waitFor();
    // the files hold what the list shows: asked with its newest record,
    // as «Marcar» sends it (a PDF opened later held the new attempt)
    const seen = Math.max(...(await sg.get(`/api/v1/blocked-exits?date=${D}`)).json.courts
      .flatMap((c) => c.cases.flatMap((k) => k.attempts.flatMap((a) => a.ids))));
    for (const [link, format] of [['#bl-pdf', 'pdf'], ['#bl-csv', 'csv']])
      assert.equal(await page.getAttribute(link, 'href'), `/api/v1/blocked-exits?date=${D}&format=${format}&seen_through=${seen}`);
    // a border post stores another attempt while the report is sent
    await read('2026-06-10T16:00:00.000Z', D);
    await panel.locator('button.marcar-informado').click();
    const note = page.locator('.aviso.info');
    await note.waitFor();
    assert.match(await note.textContent(), /^Llegó un intento nuevo de .* después de leer la lista: no se marcó como informado/);
    await page.waitForFunction((c) => document.querySelectorAll(`[data-juzgado="${c}"] tbody tr`).length === 2, COURT);
    const rows = (await panel.locator('tbody tr').allTextContents()).map((t) => /Pendiente/.test(t));
    assert.deepEqual(rows, [false, true]);
    assert.equal(await panel.locator('button.marcar-informado').count(), 1);
    assert.deepEqual(faults(page), []);
    await page.screenshot({ path: `${SHOTS}/e2e-salidas-bloqueadas-intento-nuevo-${width}.png`, fullPage: true });
    await page.close();
  }
});
