// The APIS desk's carrier compliance, at 1920, 1366 and on a 1024×768
// monitor: the red label of a carrier's repeated fines («2 multas
// repetidas por el mismo viajero y vuelo: revisar y anular», a link to
// them) broke over two lines in the «Multas» column at 1366 and 1920
// px.  It reads on one line at 1366 and 1920, in two at most at
// 1024, whole, and the report no wider than its panel.  Seeded as
// multas-repetidas.test.mjs does: a proposal copied under another
// inspection of the same traveler.  The pill «4 por confirmar» beside it
// reads on one line at every width (it broke in two at 1024).  A carrier
// known by its full name («Transportes del Golfo S.A. de C.V.», typed at
// an inadmission) reads on two lines at most (four at 1024 and at 1366,
// in a column as wide as its longest word), and a bus's «Ver lista» on
// one (two at 1024, beside a pill of hits), its table inside its panel.
// In the post's lists the bus company's name («Transportes Tica Bus de
// El Salvador S.A.») reads on one line at 1366 and 1920, two at most at
// 1024 (three there, in a column the capitals of the headers left narrow),
// and the trip's code beside it («GUA-SSA-0600») is never broken at its
// hyphen to make that room.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser, carrierUser } from '../lib/server.mjs';
import { launch, signedInPage, faults, SHOTS, textLines } from '../lib/browser.mjs';
import { paxlst, inspectTraveler, VISA } from '../lib/apis.mjs';

// today's date and a time later today, on the posts' clock (UTC-6)
const localAt = (minutes) => new Date(Date.now() - 6 * 3600000 + minutes * 60000).toISOString().slice(0, 16);
const laterToday = () => { const t = localAt(60); return t.slice(0, 10) === localAt(0).slice(0, 10) ? t : `${localAt(0).slice(0, 10)}T23:59`; };
const T = (surnames, given_names, birth_date, sex, nationality, doc_number) => ({ surnames, given_names, birth_date, sex, nationality, doc_type: 'P', doc_number, doc_issuing_state: nationality, doc_expiry: '2031-01-01' });

let srv, browser;
const PW = 'Apis-Repetidas-2026!';
before(async () => {
  srv = await startServer({ env: { SIGM_COMPLIANCE_MINUTES: '0' } });
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

const sql = (q) => { const r = srv.sql(q); assert.equal(r.status, 0, r.stderr); return r.stdout; };

test('APIS desk at 1920, 1366 and 1024 px: a carrier\'s repeated fines said on one line (two at most at 1024), whole, inside the report; a carrier\'s full name on two lines at most; «Ver lista» on one', async () => {
  const airline = await carrierUser(srv, 'ar_ta', 'TA', PW);
  const sup = await staffUser(srv.url, 'ar_sup', 'supervisor_control', PW);
  const ofi = await staffUser(srv.url, 'ar_ofi', 'oficial_control', PW);
  const m = await airline.req('POST', '/api/v1/apis/manifests',
    paxlst('TA473', [{ sur: 'JONES', given: 'MARY', birth: '700606', sex: 'F', nat: 'USA', doc: 'US4730001' }]), { 'content-type': 'application/edifact' });
  assert.equal(m.status, 201, m.text);
  // two Bolivians not on the manifest, sent to secondary for want of a
  // visa and admitted with it: a fine each, and each copied under the
  // traveler's second inspection
  const insp = [];
  for (const [i, p] of [{ sur: 'QUISPE', given: 'RAUL', birth: '820505', sex: 'M', nat: 'BOL', doc: 'BO4739001' },
    { sur: 'CONDORI', given: 'EVA', birth: '830606', sex: 'F', nat: 'BOL', doc: 'BO4739002' }].entries()) {
    const a = await inspectTraveler(ofi, 'TA473', p);
    const b = await inspectTraveler(ofi, 'TA473', p, VISA(`V-473-${i}`));
    assert.deepEqual([a.json.decision, b.json.decision], ['secondary', 'admit']);
    insp.push([a.json.inspection_id, b.json.inspection_id]);
  }
  assert.equal((await sup.post('/api/v1/carrier-compliance/evaluate', {})).json.proposed, 2);
  for (const [from, to] of insp) {
    sql('INSERT INTO carrier_fines (carrier, amount_cents, currency, legal_basis, reason, port, transport, inspection_id,'
      + ' imposed_on, created_at, created_by, status, cause, flight, manifest_id, evidence, dedupe_key, amount_known)'
      + ` SELECT carrier, amount_cents, currency, legal_basis, reason, port, transport, ${to}, imposed_on, created_at,`
      + ` created_by, status, cause, flight, manifest_id, evidence, 'inaccurate:${to}', amount_known FROM carrier_fines`
      + ` WHERE dedupe_key = 'inaccurate:${from}'`);
  }
  // a bus company's list at La Hachadura, one traveler a hit (the pill
  // «1 (1 sin revisar)» beside the button)
  const bus = await carrierUser(srv, 'ar_tica', 'TICABUS', PW, { kind: 'bus' });
  assert.equal((await sup.post('/api/v1/alerts', { category: 'arrest_warrant', subject: { given_names: 'Rigoberto', surnames: 'Xicará', birth_date: '1977-03-09', sex: 'M' },
    instructions: 'Retener', valid_until: '2099-01-01' })).status, 201);
  const list = await bus.req('POST', '/api/v1/prechequeo/lists', { port: 'HAC', vehicle: 'P-512 334', company: 'Transportes Tica Bus de El Salvador S.A.', trip: 'GUA-SSA-0600',
    arrival: laterToday(), direction: 'entry', travelers: [T('Morales Pineda', 'Carlos Enrique', '1983-05-21', 'M', 'GTM', 'G80010001'),
      T('Xicará', 'Rigoberto', '1977-03-09', 'M', 'GTM', 'G5550001')] });
  assert.equal(list.status, 201, JSON.stringify(list.json));
  // a fine to a carrier named in full, as a supervisor types it at an
  // inadmission (a bus line without a code of its own)
  const golfo = 'Transportes del Golfo S.A. de C.V.';
  sql('INSERT INTO carrier_fines (carrier, amount_cents, currency, legal_basis, reason, port, transport, inspection_id,'
    + ' imposed_on, created_at, created_by, status, cause, flight, manifest_id, evidence, dedupe_key, amount_known)'
    + ` SELECT '${golfo}', amount_cents, currency, legal_basis, reason, 'AMA', 'Bus Transportes del Golfo 33', NULL, imposed_on, created_at,`
    + ` created_by, status, cause, NULL, NULL, evidence, 'golfo:1', amount_known FROM carrier_fines WHERE dedupe_key = 'inaccurate:${insp[0][0]}'`);
  const label = '2 multas repetidas por el mismo viajero y vuelo: revisar y anular';
  const page = await signedInPage(browser, srv.url, 'ar_sup', PW, 'apis', 1920);
  for (const [width, most] of [[1920, 1], [1366, 1], [1024, 2]]) {
    await page.setViewportSize({ width, height: 768 });
    await page.goto('/#/inicio');
    // the desk opens on the post chosen last: La Hachadura, one read of its lists
    await page.evaluate(() => localStorage.setItem('sigm.apis.port', 'HAC'));
    await page.goto('/#/apis');
    const row = page.locator('#apis-cumplimiento tr[data-transportista="TA"]');
    const link = row.locator('a.multas-repetidas');
    await link.waitFor();
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/apis-repetidas-${width}.png` });
    const lines = await textLines(link);
    const m = await page.evaluate(() => {
      const wrap = document.querySelector('#apis-cumplimiento .tabla-wrap');
      return { list: wrap.scrollWidth, area: wrap.clientWidth, page: document.documentElement.scrollWidth, win: window.innerWidth,
        cut: [...wrap.querySelectorAll('th, td')].filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent) };
    });
    const where = `${width} px: ${JSON.stringify(m)}`;
    assert.equal((await link.textContent()).trim(), label);
    assert.ok(lines <= most, `${where}: «${label}» on ${lines} lines`);
    const pill = row.locator('.etiqueta', { hasText: 'por confirmar' });
    assert.equal(await pill.textContent(), '4 por confirmar');
    const pillLines = await textLines(pill);
    assert.equal(pillLines, 1, `${where}: «4 por confirmar» on ${pillLines} lines`);
    assert.ok(m.list <= m.area && m.page <= m.win, `${where}: the report wider than its panel`);
    assert.deepEqual(m.cut, [], `${where}: cut off`);
    // the carrier named in full, in the report's first column
    const name = page.locator(`#apis-cumplimiento tr[data-transportista="${golfo}"] > :first-child`);
    assert.equal((await name.textContent()).trim(), golfo);
    const nameLines = await textLines(name);
    assert.ok(nameLines <= (width > 1100 ? 1 : 2), `${where}: «${golfo}» on ${nameLines} lines`);
    // the bus's list: its button on one line, the table inside its panel
    const bRow = page.locator(`#apis-listas tr[data-lista="${list.json.manifests[0].id}"]`);
    await bRow.locator('.etiqueta', { hasText: 'sin revisar' }).waitFor();
    const button = bRow.locator('button.ver-lista');
    const buttonLines = await textLines(button);
    const company = bRow.locator(':scope > td').nth(2); // «Empresa»
    assert.equal((await company.textContent()).trim(), 'Transportes Tica Bus de El Salvador S.A.');
    const companyLines = await textLines(company);
    const l = await page.evaluate(() => {
      const wrap = document.querySelector('#apis-listas .tabla-wrap');
      return { list: wrap.scrollWidth, area: wrap.clientWidth, cut: [...wrap.querySelectorAll('th, td')].filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent) };
    });
    await bRow.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/apis-ver-lista-${width}.png` });
    assert.equal(buttonLines, 1, `${width} px: «Ver lista» on ${buttonLines} lines`);
    assert.ok(companyLines <= (width > 1100 ? 1 : 2), `${width} px: «Transportes Tica Bus de El Salvador S.A.» on ${companyLines} lines: ${JSON.stringify(l)}`);
    // the trip's code beside it never broken at a hyphen to make room
    const tripLines = await bRow.locator('td small', { hasText: 'GUA-SSA-0600' }).evaluate((el) => {
      const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      let n = w.nextNode();
      while (n && !n.data.includes('GUA-SSA-0600')) n = w.nextNode();
      const r = document.createRange();
      r.setStart(n, n.data.indexOf('GUA-SSA-0600'));
      r.setEnd(n, n.data.indexOf('GUA-SSA-0600') + 12);
      return new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top))).size;
    });
    assert.equal(tripLines, 1, `${width} px: «GUA-SSA-0600» on ${tripLines} lines`);
    assert.ok(l.list <= l.area, `${width} px: the post's lists wider than their panel: ${JSON.stringify(l)}`);
    assert.deepEqual(l.cut, [], `${width} px: cut off in the post's lists`);
  }
  assert.deepEqual(faults(page), []);
});
