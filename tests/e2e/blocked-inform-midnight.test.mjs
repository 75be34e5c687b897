// The blocked-exits screen when a day was informed between the two reads
// of a double swipe across midnight (23:59 and 00:01): the court was told
// of the attempt, so it shows the date it was informed, not «Pendiente»
// again, and says the read that came after (docs/secretaria.md «Blocked
// exits report»).
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

test('blocked exits: a day informed at 23:59:30 keeps its attempt informed when the 00:01 read arrives, the later read said beside the date', async () => {
  const COURT = 'Juzgado Segundo de Instrucción de Ahuachapán';
  const PREV = '2026-04-14', D = '2026-04-15';
  const sg = new Client(srv.url);
  await sg.login('bm_sg', PW);
  const ofi = new Client(srv.url);
  await ofi.login('bm_ofi', PW);
  assert.equal((await sg.post('/api/v1/restrictions', { court: COURT, case_number: 'AHU-9-2026', measure: 'exit_ban',
    subject: { document_number: 'D99000099' }, effective_from: '2026-01-01' })).status, 201);
  // a booth read moved to the time and day the booth's clock would have
  // stored (El Salvador is UTC-6)
  const read = async (at, day) => {
    const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'AV 611', route_country: 'GTM',
      document: { kind: 'passport', code: 'P', number: 'D99000099', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-01-01' },
      person: { given_names: 'Tomás', surnames: 'Alvarado Mejía', birth_date: '1968-08-08', nationality: 'SLV', sex: 'M' } });
    assert.equal(r.json.decision, 'refuse', JSON.stringify(r.json));
    assert.equal(srv.sql(`UPDATE blocked_exits SET at = '${at}', day = '${day}' WHERE inspection_id = ${r.json.inspection_id}`).status, 0);
  };
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
  // told already: nothing to mark for this court
  assert.equal(await page.locator('.marcar-informado').count(), 0);
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
