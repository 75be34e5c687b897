// Person search (GET /api/v1/persons): a common surname matches more people
// than one page holds.  The search stopped at 100 rows and answered
// next_cursor null (the 101st and later were never seen) and ignored limit;
// now it pages like the other lists: limit 1..500, a keyset cursor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD } from '../lib/server.mjs';

const PW = 'Busqueda-2026-Clave';
const N = 130; // persons surnamed «Paginada …»
let srv, admin, ofi;
const created = [];

before(async () => {
  srv = await startServer();
  admin = new Client(srv.url);
  assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
  const r = await admin.post('/api/v1/users', { username: 'bp.oficial', display_name: 'bp.oficial', unit: 'DCM', roles: ['oficial_control'], password: PW });
  assert.equal(r.status, 201, r.text);
  ofi = new Client(srv.url);
  assert.equal((await ofi.login('bp.oficial', PW)).status, 200);
  for (let b = 0; b < N; b += 10) {
    const batch = [];
    for (let i = b; i < Math.min(N, b + 10); i++) {
      batch.push(ofi.post('/api/v1/inspections', {
        port: 'SAL', direction: 'entry', transport: 'TA 390',
        document: { kind: 'passport', code: 'P', number: `BP${String(i).padStart(6, '0')}`, issuing_state: 'USA', nationality: 'USA', expiry_date: '2031-05-01' },
        person: { given_names: `Persona ${i}`, surnames: `Paginada ${String.fromCharCode(65 + (i % 26))}${i}`, birth_date: '1980-01-01', sex: 'F', nationality: 'USA' },
      }));
    }
    for (const x of await Promise.all(batch)) {
      assert.equal(x.status, 201, x.text);
      created.push(x.json.person_id);
    }
  }
  created.sort((a, b) => a - b);
});
after(async () => { await srv.stop(); });

const search = (q) => ofi.get(`/api/v1/persons?surnames=Paginada${q}`);

test('more matches than a page: the first 100 and a cursor to the rest, which follow in order', async () => {
  const first = await search('');
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.items.length, 100);
  assert.notEqual(first.json.next_cursor, null, 'the 101st and later exist');
  const rest = await search(`&cursor=${first.json.next_cursor}`);
  assert.equal(rest.status, 200, rest.text);
  assert.equal(rest.json.items.length, N - 100);
  assert.equal(rest.json.next_cursor, null);
  assert.deepEqual([...first.json.items, ...rest.json.items].map((p) => p.id), created);
});

test('limit: up to 500 in one page; pages of 50 walk all of them once', async () => {
  const all = await search('&limit=500');
  assert.equal(all.status, 200, all.text);
  assert.deepEqual(all.json.items.map((p) => p.id), created);
  assert.equal(all.json.next_cursor, null);
  const seen = [];
  let cursor = null;
  let pages = 0;
  do {
    const r = await search(`&limit=50${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length <= 50);
    seen.push(...r.json.items.map((p) => p.id));
    cursor = r.json.next_cursor;
    pages++;
  } while (cursor && pages < 10);
  assert.equal(pages, 3);
  assert.deepEqual(seen, created);
  // exactly a page: no cursor to an empty one
  const exact = await search(`&limit=${N}`);
  assert.equal(exact.json.items.length, N);
  assert.equal(exact.json.next_cursor, null);
  // the other criteria still narrow it
  const one = await ofi.get('/api/v1/persons?document_number=BP000007&limit=500');
  assert.equal(one.json.items.length, 1);
  assert.equal(one.json.items[0].given_names, 'Persona 7');
});

test('criteria combine: each given narrows the others, whichever the search starts from', async () => {
  const ids = async (q) => (await ofi.get(`/api/v1/persons?${q}`)).json.items.map((p) => p.id);
  // inserted ten at a time, so not necessarily the eighth id
  const [seventh] = await ids('document_number=BP000007');
  assert.ok(created.includes(seventh));
  assert.equal((await ids('surnames=Paginada&birth_date=1980-01-01&limit=500')).length, N);
  assert.deepEqual(await ids('surnames=Paginada&birth_date=1980-01-02'), []);
  assert.deepEqual(await ids('document_number=BP000007&surnames=paginada'), [seventh]);
  assert.deepEqual(await ids('document_number=BP000007&surnames=Otra'), []);
  assert.deepEqual(await ids('document_number=BP000007&birth_date=1980-01-01'), [seventh]);
  assert.deepEqual(await ids('document_number=BP000007&birth_date=1990-01-01'), []);
  assert.deepEqual(await ids(`document_number=BP000007&cursor=${seventh}`), [], 'the cursor is past it');
  assert.deepEqual(await ids('surnames=Paginada%20H7'), [seventh]);
  // the cursor pages a search by surnames and birth date too
  const first = await ofi.get('/api/v1/persons?surnames=Paginada&birth_date=1980-01-01&limit=10');
  const next = await ofi.get(`/api/v1/persons?surnames=Paginada&birth_date=1980-01-01&limit=10&cursor=${first.json.next_cursor}`);
  assert.deepEqual([...first.json.items, ...next.json.items].map((p) => p.id), created.slice(0, 20));
});

test('a limit or cursor out of range is a 400 naming it', async () => {
  for (const [q, field] of [['&limit=0', 'limit'], ['&limit=501', 'limit'], ['&limit=x', 'limit'], ['&limit=-5', 'limit'],
    ['&cursor=abc', 'cursor'], ['&cursor=-1', 'cursor'], ['&cursor=9223372036854775808', 'cursor']]) {
    const r = await search(q);
    assert.equal(r.status, 400, q);
    assert.equal(r.json.error.field, field, q);
    assert.equal(typeof r.json.error.message, 'string');
  }
});

// Who read person N through the search: the search's one audit entry names
// the persons on the page it showed (detail.ids), and the trail of each of
// them (record_type=person&record_id=N) finds it.
const trail = async (id) => (await admin.get(`/api/v1/audit?record_type=person&record_id=${id}&action=person.search&limit=500`)).json.items;

test('the audit trail of a person shows the searches that listed them, and only those', async () => {
  const p1 = await search('&limit=50');
  const p2 = await search(`&limit=50&cursor=${p1.json.next_cursor}`);
  assert.equal(p2.status, 200);
  const [a, b] = [created[10], created[60]]; // on page 1, on page 2
  const ta = await trail(a);
  const tb = await trail(b);
  const mine = (t) => t.filter((e) => e.user === 'bp.oficial' && e.detail.surnames === 'Paginada');
  // page 1 lists a (and not the 51st, asked only to know more follow)
  const e1 = mine(ta).find((e) => e.detail.cursor === undefined && e.detail.ids.length === 50);
  assert.ok(e1, JSON.stringify(ta));
  assert.equal(e1.record_type, 'person');
  assert.equal(e1.record_id, null);
  assert.deepEqual(e1.detail.ids, created.slice(0, 50));
  assert.ok(!e1.detail.ids.includes(created[50]));
  // page 2 lists b, with the cursor it was asked with
  const e2 = mine(tb).find((e) => e.detail.cursor === Number(p1.json.next_cursor));
  assert.ok(e2, JSON.stringify(tb));
  assert.deepEqual(e2.detail.ids, created.slice(50, 100));
  assert.ok(!mine(tb).some((e) => e.seq === e1.seq), 'page 1 did not show b');
  assert.ok(!mine(ta).some((e) => e.seq === e2.seq), 'page 2 did not show a');
  // a search that listed nobody is in no one's trail
  assert.equal((await search('Inexistente')).json.items.length, 0);
  for (const id of created) assert.ok(!(await trail(id)).some((e) => e.detail.surnames === 'PaginadaInexistente'));
});

test('an id is matched whole, and a search string cannot name a person it did not list', async () => {
  // 1 is inside 10, 11, 100 …; 424242 is no one
  const t1 = await trail(1);
  assert.ok(t1.every((e) => e.record_id === '1' || e.detail.ids.includes(1)), JSON.stringify(t1));
  // criteria crafted to look like the list
  const sly = await ofi.get(`/api/v1/persons?surnames=${encodeURIComponent('Zz ,424242, "ids":[424242],[424242]')}`);
  assert.equal(sly.status, 200, sly.text);
  assert.deepEqual(sly.json.items, []);
  const seen = await admin.get('/api/v1/audit?action=person.search&user=bp.oficial&limit=1');
  assert.match(seen.json.items[0].detail.surnames, /424242/, 'the search is recorded as asked');
  assert.deepEqual(seen.json.items[0].detail.ids, []);
  assert.deepEqual(await trail(424242), []);
  // the one spelling of a record: "010" is not 10
  const id = created[9];
  assert.ok((await trail(id)).length > 0);
  assert.deepEqual(await trail(`0${id}`), []);
  // the entries with their lists keep the chain whole
  const v = await admin.get('/api/v1/audit/verify');
  assert.equal(v.json.ok, true, JSON.stringify(v.json));
});

test('a DUI shown beside a passport finds its person, written with or without its hyphen', async () => {
  const r = await ofi.post('/api/v1/inspections', {
    port: 'SAL', direction: 'entry', transport: 'TA 390',
    document: { kind: 'passport', code: 'P', number: 'BPDUI0001', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-05-01', dui: '04444443-2' },
    person: { given_names: 'Dora', surnames: 'Busqueda Dui', birth_date: '1975-07-07', sex: 'F', nationality: 'SLV' },
  });
  assert.equal(r.status, 201, r.text);
  for (const n of ['04444443-2', '044444432']) {
    const s = await ofi.get(`/api/v1/persons?document_number=${n}`);
    assert.equal(s.status, 200, s.text);
    assert.deepEqual(s.json.items.map((x) => x.id), [r.json.person_id], n);
  }
});
