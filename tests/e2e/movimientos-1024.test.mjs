// «Movimientos del día» on a booth's 1024×768 monitor, and at 1366 and
// 1920: the officer who recorded a crossing reads in two lines at most
// (it took four, «Oficial / de / control / (demo)», in the narrowest
// column), a traveler's name of four words with the nationality in two
// (it took three, the nationality alone on the last), nothing cut off in
// a cell and the list no wider than its area.  The bus's plate reads
// whole: «Bus Tica P-4521» broke at its hyphen at 1024, «P-» ending a line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD } from '../lib/server.mjs';
import { launch, newPage, login, SHOTS, faults, textLines } from '../lib/browser.mjs';

let srv, browser;
const PW = 'Movimientos-1024-2026!';
// the demo's officer, and one named as people are
const OFFICERS = [['mv_ofi', 'Oficial de control (demo)'], ['mv_ofi2', 'María de los Ángeles Villatoro Henríquez']];
const clients = {};
before(async () => {
  srv = await startServer();
  browser = await launch();
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  for (const [username, display_name] of OFFICERS) {
    const u = await admin.post('/api/v1/users', { username, display_name, unit: 'DCM', roles: ['oficial_control'], password: PW });
    assert.equal(u.status, 201, u.text);
    clients[username] = new Client(srv.url);
    assert.equal((await clients[username].login(username, PW)).status, 200);
  }
});
after(async () => { await browser?.close(); await srv?.stop(); });

// The lines a word takes inside an element, its text split over nodes or
// not (a plate in a span of its own): 0 when it is not there.
const wordLines = (el, word) => {
  const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let text = '';
  for (let n = walk.nextNode(); n; n = walk.nextNode()) { nodes.push([n, text.length]); text += n.data; }
  const at = text.indexOf(word);
  if (at < 0) return 0;
  const pos = (i) => { const [n, from] = nodes.findLast(([, f]) => f <= i); return [n, i - from]; };
  const r = document.createRange();
  r.setStart(...pos(at));
  const [n, off] = pos(at + word.length - 1);
  r.setEnd(n, off + 1);
  return new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top))).size;
};

test('«Movimientos del día» at 1024, 1366 and 1920 px: the officer on two lines at most, a four-word name with its nationality on two, nothing cut off', async () => {
  // four words each, the demo's among them; exits without an entry carry
  // the booth's note, which takes its room in the row
  const people = [['mv_ofi', 'entry', 'Ana Gabriela', 'Hernández Flores', 'SLV', 'A71000001'],
    ['mv_ofi', 'exit', 'Evelyn Patricia', 'Alas Henríquez', 'SLV', 'A71000002'],
    ['mv_ofi2', 'entry', 'Kevin Alexander', 'Maradiaga Flores', 'HND', 'H71000003'],
    ['mv_ofi2', 'exit', 'Xiomara Guadalupe', 'Castellanos Villalobos', 'SLV', 'A71000004'],
    ['mv_ofi', 'entry', 'José Roberto', 'Mejía Castro', 'GTM', 'G71000005']];
  const ids = [];
  for (const [who, direction, given, sur, nat, number] of people) {
    const r = await clients[who].post('/api/v1/inspections', { port: 'HAC', direction, transport: 'Bus Tica P-4521', route_country: 'GTM',
      document: { kind: 'passport', number, issuing_state: nat, nationality: nat, expiry_date: '2031-01-01' },
      person: { given_names: given, surnames: sur, birth_date: '1984-04-14', nationality: nat, sex: 'F' } });
    assert.equal(r.json.decision, 'admit', JSON.stringify(r.json));
    ids.push(r.json.movement_id);
  }
  const page = await newPage(browser, srv.url, { viewport: { width: 1024, height: 768 } });
  await login(page, 'mv_ofi', PW);
  for (const width of [1024, 1366, 1920]) {
    await page.setViewportSize({ width, height: 768 });
    for (const port of ['', 'HAC']) {
      await page.goto('/#/movimientos');
      await page.selectOption('#mv-puesto', port);
      await page.waitForSelector('#mv-resultado:not([aria-busy]) #mv-lista');
      await page.locator(`#mv-lista tbody tr[data-id="${ids.at(-1)}"]`).waitFor();
      await page.screenshot({ path: `${SHOTS}/movimientos-1024-${width}${port ? `-${port}` : ''}.png`, fullPage: true });
      const said = {};
      for (const id of ids) {
        const row = page.locator(`#mv-lista tbody tr[data-id="${id}"]`);
        said[id] = {
          persona: await textLines(row.locator('td:nth-child(4)')),
          oficial: await textLines(row.locator('td:nth-child(6)')),
          pedir: await textLines(row.locator('.mv-pedir')),
          placa: await row.locator('td:nth-child(5)').evaluate(wordLines, 'P-4521'),
          // every datum still on screen: the officer's name whole
          oficialTexto: await row.locator('td:nth-child(6)').evaluate((el) => el.innerText.trim()),
          // a cell whose text is wider than the cell: cut off or spilling over the next
          cut: await row.locator('td').evaluateAll((tds) => tds.filter((td) => td.scrollWidth > td.clientWidth + 1).map((td) => td.textContent)),
        };
      }
      const where = `${width} px${port ? `, ${port}` : ''}`;
      for (const [i, id] of ids.entries()) {
        const s = said[id];
        assert.ok(s.persona <= 2, `${where}: «${people[i][2]} ${people[i][3]} · ${people[i][4]}» on ${s.persona} lines (${JSON.stringify(said)})`);
        assert.ok(s.oficial <= 2, `${where}: the officer on ${s.oficial} lines (${JSON.stringify(said)})`);
        assert.equal(s.pedir, 1, `${where}: «Pedir anulación…» on ${s.pedir} lines`);
        assert.equal(s.placa, 1, `${where}: the plate «P-4521» on ${s.placa} lines (${JSON.stringify(said)})`);
        assert.ok(s.oficialTexto.includes(OFFICERS.find(([u]) => u === people[i][0])[1]), `${where}: the officer's name whole: «${s.oficialTexto}»`);
        assert.deepEqual(s.cut, [], `${where}: cut off in movement ${id}`);
      }
      const m = await page.evaluate(() => {
        const w = document.querySelector('#mv-lista');
        return { scroll: w.scrollWidth, client: w.clientWidth, page: document.documentElement.scrollWidth, win: window.innerWidth };
      });
      assert.ok(m.scroll <= m.client, `${where}: the list (${m.scroll} px) is wider than its area (${m.client} px)`);
      assert.ok(m.page <= m.win, `${where}: the page scrolls sideways (${m.page} px in ${m.win})`);
    }
  }
  assert.deepEqual(faults(page), []);
});
