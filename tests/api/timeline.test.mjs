// A person's timeline is paged: the latest `limit` events (default 200,
// at most 1000) answered oldest first, and next_cursor to the earlier
// ones.  A traveler who crossed thousands of times was read whole on every
// request, sorted by insertion (3,000 crossings: 0.9 s and 2.7 MB).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser, Client, ADMIN_PASSWORD } from '../lib/server.mjs';

let srv, ofi, sup, admin;
const PW = 'Turno-Seguro-2026';
before(async () => {
  srv = await startServer();
  ofi = await staffUser(srv.url, 'tl_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'tl_sup', 'supervisor_control', PW);
  admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
});
after(async () => { await srv.stop(); });

const sql = (q) => { const r = srv.sql(q); assert.equal(r.status, 0, r.stderr); return r.stdout.trim(); };
const KIND = ['document', 'inspection', 'movement', 'fine', 'stay_extension'];
const key = (e) => [e.at, KIND.indexOf(e.type), e[e.type].id];
const before_ = (a, b) => { // a sorts before b
  const x = key(a), y = key(b);
  return x[0] < y[0] || (x[0] === y[0] && (x[1] < y[1] || (x[1] === y[1] && x[2] < y[2])));
};

// A frequent traveler: N crossings written behind the server's back, each
// an inspection and its movement at the same instant (a tie broken by
// kind), a minute apart, two years ago.
async function commuter(number, n) {
  const r = await ofi.post('/api/v1/inspections', {
    port: 'HAC', direction: 'entry', transport: 'P 1',
    document: { kind: 'passport', code: 'P', number, issuing_state: 'GTM', nationality: 'GTM', expiry_date: '2033-01-01' },
    person: { given_names: 'Rigoberto', surnames: `Camionero ${number}`, birth_date: '1975-05-05', sex: 'M', nationality: 'GTM' },
  });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const t0 = Date.parse('2024-01-01T00:00:00.000Z');
  for (let from = 0; from < n; from += 400) {
    const mv = [], ins = [];
    for (let i = from; i < Math.min(n, from + 400); i++) {
      const at = new Date(t0 + i * 60e3).toISOString();
      const dir = i % 2 ? 'exit' : 'entry';
      ins.push(`(${r.json.person_id}, ${r.json.document_id}, 'HAC', '${dir}', 'admit', '[]', 't', '${at}', 'closed')`);
      mv.push(`(${r.json.person_id}, ${r.json.document_id}, '${dir}', 'HAC', '${at}', '${at.slice(0, 10)}', 't', 'admit', '${at}')`);
    }
    sql(`INSERT INTO inspections (person_id, document_id, port, direction, decision, reasons, officer, at, status) VALUES ${ins.join(',')};`
      + `INSERT INTO movements (person_id, document_id, direction, port, at, day, officer, decision, created_at) VALUES ${mv.join(',')};`);
  }
  return r.json;
}

test('the latest events first page, oldest first within it; the cursor walks back to the first, each event once', async () => {
  // 800 crossings, 1,603 events: five pages of 350 (the same walk as
  // 1,500 in pages of 700, for half the rows to write and read)
  const p = await commuter('GT1000001', 800);
  const url = `/api/v1/persons/${p.person_id}/timeline`;
  const first = await sup.get(url);
  assert.equal(first.status, 200, JSON.stringify(first.json).slice(0, 300));
  // the shape stays: person, stay, events; and next_cursor
  assert.deepEqual(Object.keys(first.json).sort(), ['events', 'next_cursor', 'person', 'stay']);
  assert.equal(first.json.events.length, 200);
  for (let i = 1; i < first.json.events.length; i++)
    assert.ok(before_(first.json.events[i - 1], first.json.events[i]), `${i}: ${JSON.stringify(key(first.json.events[i - 1]))} ${JSON.stringify(key(first.json.events[i]))}`);
  // the latest: today's booth inspection and its movement close the page
  const last = first.json.events.slice(-2).map((e) => [e.type, e[e.type].id]);
  assert.deepEqual(last, [['inspection', p.inspection_id], ['movement', p.movement_id]]);
  assert.match(first.json.next_cursor, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,(document|inspection|movement|fine|stay_extension),\d+$/);
  // all of it, a page at a time
  const all = [];
  let cursor = null, pages = 0;
  do {
    const r = await sup.get(`${url}?limit=350${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(r.status, 200, JSON.stringify(r.json).slice(0, 300));
    all.unshift(...r.json.events);
    cursor = r.json.next_cursor;
    pages++;
  } while (cursor);
  assert.equal(pages, 5);
  // 801 inspections, 801 movements, 1 document
  assert.equal(all.length, 1603);
  assert.deepEqual(all.map((e) => e.type).reduce((a, t) => ({ ...a, [t]: (a[t] || 0) + 1 }), {}), { document: 1, inspection: 801, movement: 801 });
  for (let i = 1; i < all.length; i++) assert.ok(before_(all[i - 1], all[i]), `${i}: ${JSON.stringify(key(all[i - 1]))} ${JSON.stringify(key(all[i]))}`);
  // an inspection and its movement at the same instant: the inspection first
  const tie = all.findIndex((e) => e.type === 'inspection' && e.at === '2024-01-01T00:05:00.000Z');
  assert.deepEqual([all[tie + 1].type, all[tie + 1].at], ['movement', '2024-01-01T00:05:00.000Z']);
  // the oldest page's events are the fields they were
  const mv = all.find((e) => e.type === 'movement');
  for (const k of ['id', 'at', 'direction', 'port', 'document_id', 'decision', 'reasons', 'recorded_at', 'person_id']) assert.ok(k in mv.movement, k);
});

test('limit and cursor are checked; every page read is audited as before', async () => {
  const p = await commuter('GT1000002', 30);
  const url = `/api/v1/persons/${p.person_id}/timeline`;
  for (const q of ['limit=0', 'limit=1001', 'limit=abc'])
    assert.deepEqual([(await sup.get(`${url}?${q}`)).json.error.field], ['limit'], q);
  const page = await sup.get(`${url}?limit=10`);
  assert.equal(page.json.events.length, 10);
  const [at, , id] = page.json.next_cursor.split(',');
  for (const bad of ['garbage', 'abc,1', `${at},movement`, `${at},voyage,${id}`, `${at},movement,0${id}`, `${at},movement,-1`,
    `${at.slice(0, 19)}Z,movement,${id}`, `2026-13-01T00:00:00.000Z,movement,${id}`, `${at};movement;${id}`, "2026'--,movement,1"]) {
    const r = await sup.get(`${url}?cursor=${encodeURIComponent(bad)}`);
    assert.deepEqual([r.status, r.json.error && r.json.error.field], [400, 'cursor'], bad);
  }
  // a small history is one page, as before
  const small = await ofi.post('/api/v1/inspections', {
    port: 'SAL', direction: 'entry', transport: 'TA 1',
    document: { kind: 'passport', code: 'P', number: 'US7000001', issuing_state: 'USA', nationality: 'USA', expiry_date: '2033-01-01' },
    person: { given_names: 'Ann', surnames: 'Smalltime', birth_date: '1980-01-01', sex: 'F', nationality: 'USA' },
  });
  const t = await sup.get(`/api/v1/persons/${small.json.person_id}/timeline`);
  assert.deepEqual(t.json.events.map((e) => e.type), ['document', 'inspection', 'movement']);
  assert.equal(t.json.next_cursor, null);
  // each read, each page, one entry as before
  const reads = async () => (await admin.get(`/api/v1/audit?record_type=person&record_id=${p.person_id}&action=person.timeline&limit=500`)).json.items.length;
  const n0 = await reads();
  await sup.get(url);
  await sup.get(`${url}?cursor=${encodeURIComponent(page.json.next_cursor)}`);
  assert.equal(await reads(), n0 + 2);
});

test('the holder\'s history shows their passport presented by somebody else (kept apart, flagged), and that reading is audited on the presenter', async () => {
  const doc = { kind: 'passport', code: 'P', number: 'HN7100001', issuing_state: 'HND', nationality: 'HND', expiry_date: '2033-01-01' };
  const holder = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 1', document: doc,
    person: { given_names: 'Karla Yesenia', surnames: 'Mejía Paz', birth_date: '1992-02-02', sex: 'F', nationality: 'HND' } });
  assert.equal(holder.json.decision, 'admit', JSON.stringify(holder.json));
  // the same passport, at a land post, by another woman
  const other = await ofi.post('/api/v1/inspections', { port: 'HAC', direction: 'exit', transport: 'P 123', document: doc,
    person: { given_names: 'Dania', surnames: 'Reyes Ortiz', birth_date: '1990-09-09', sex: 'F', nationality: 'HND' } });
  assert.equal(other.status, 201, JSON.stringify(other.json));
  assert.ok(other.json.reasons.some((r) => r.code === 'document_holder_mismatch'), JSON.stringify(other.json.reasons));
  assert.notEqual(other.json.person_id, holder.json.person_id);
  const t = await sup.get(`/api/v1/persons/${holder.json.person_id}/timeline`);
  assert.equal(t.status, 200, JSON.stringify(t.json));
  const used = t.json.events.filter((e) => e.type === 'inspection' && e.inspection.presented_by_other);
  assert.equal(used.length, 1, JSON.stringify(t.json.events));
  assert.equal(used[0].inspection.id, other.json.inspection_id);
  assert.equal(used[0].inspection.person_id, other.json.person_id);
  assert.equal(used[0].inspection.port, 'HAC');
  assert.equal(used[0].inspection.document_id, holder.json.document_id);
  // the holder's own inspection is theirs, not «by another»
  assert.equal(t.json.events.filter((e) => e.type === 'inspection' && !e.inspection.presented_by_other).length, 1);
  // nothing of the presenter's own crossings is the holder's (none were recorded)
  assert.ok(t.json.events.filter((e) => e.type === 'movement').every((e) => e.movement.person_id === holder.json.person_id));
  // the presenter's history is their own: not the holder's crossings
  const o = await sup.get(`/api/v1/persons/${other.json.person_id}/timeline`);
  assert.ok(o.json.events.every((e) => !(e.inspection && e.inspection.presented_by_other)), JSON.stringify(o.json.events));
  // reading it is a read of the presenter's inspection: audited on them, naming the holder
  const a = await admin.get(`/api/v1/audit?record_type=person&record_id=${other.json.person_id}&action=person.timeline&limit=50`);
  assert.ok(a.json.items.some((e) => JSON.stringify(e).includes('presented_document_of')), JSON.stringify(a.json.items));
});
