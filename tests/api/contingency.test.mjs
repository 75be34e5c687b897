// Contingency records (POST /api/v1/movements/contingency): a crossing
// decided on paper while the post could not reach SIGM, entered later by a
// supervisor with the instant it happened.  The ledger, the presence and
// the overstay follow from it; the traveler is screened when it is entered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD, staffUser } from '../lib/server.mjs';

let srv, ofi, sup, admin;
const PW = 'Turno-Seguro-2026';
before(async () => {
  srv = await startServer();
  admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  ofi = await staffUser(admin, 'c_oficial_control', 'oficial_control', PW, 'DCM');
  sup = await staffUser(admin, 'c_supervisor_control', 'supervisor_control', PW, 'DCM');
});
after(async () => { await srv.stop(); });

const DAY = 86400e3;
const today = new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10);
const addDays = (d, n) => new Date(Date.parse(d + 'T12:00:00Z') + n * DAY).toISOString().slice(0, 10);
const daysAgo = (n) => new Date(Date.now() - n * DAY).toISOString().slice(0, 16) + 'Z';
const localDay = (iso) => new Date(Date.parse(iso) - 6 * 3600e3).toISOString().slice(0, 10);
const traveler = (number, over = {}) => ({
  document: { kind: 'passport', code: 'P', number, issuing_state: 'DEU', nationality: 'DEU', expiry_date: '2031-01-31' },
  person: { given_names: 'Lena', surnames: `Vogel ${number}`, birth_date: '1988-04-12', sex: 'F', nationality: 'DEU' },
  ...over,
});
const record = (number, over = {}) => ({
  port: 'AMA', direction: 'entry', at: daysAgo(120), transport: 'M 123 456', permitted_stay_days: 90,
  reference: `FC-AMA-${number}`, reason: 'Caída del enlace en El Amatillo', ...traveler(number), ...over,
});

test('an entry recorded late holds the traveler inside: overstayer, then secondary at the exit with the days over', async () => {
  const r = await sup.post('/api/v1/movements/contingency', record('C1000001'));
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.ok(Number.isInteger(r.json.movement_id) && Number.isInteger(r.json.person_id));
  assert.equal(r.json.port, 'AMA');
  assert.match(r.json.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);
  assert.deepEqual(r.json.screening, { hits: [] });

  // entered 120 days ago with 90 days: over by 120 - 89 (the entry day,
  // El Salvador's, counts)
  const entryDay = localDay(r.json.at);
  const o = await sup.get('/api/v1/overstayers');
  const me = o.json.items.find((x) => x.person_id === r.json.person_id);
  assert.ok(me, JSON.stringify(o.json.items));
  assert.equal(me.permitted_until, addDays(entryDay, 89));
  assert.equal(me.port, 'AMA');

  // the timeline shows it with both instants and the paper form
  const t = await sup.get(`/api/v1/persons/${r.json.person_id}/timeline`);
  const mv = t.json.events.find((e) => e.type === 'movement');
  assert.ok(mv, JSON.stringify(t.json.events));
  assert.equal(mv.movement.reasons[0].code, 'contingency_record', JSON.stringify(mv));
  assert.equal(mv.movement.reasons[0].record, 'FC-AMA-C1000001');
  assert.equal(mv.movement.reasons[0].detail, 'Caída del enlace en El Amatillo');
  assert.ok(mv.movement.recorded_at > mv.movement.at, JSON.stringify(mv));

  // and in the day's movements of the post, on the day it happened (El Salvador's)
  const day = new Date(Date.parse(r.json.at) - 6 * 3600e3).toISOString().slice(0, 10);
  const list = await sup.get(`/api/v1/movements?port=AMA&day=${day}`);
  assert.ok(list.json.items.some((m) => m.id === r.json.movement_id), JSON.stringify(list.json));

  // the exit at a booth today: secondary, overstay
  const ex = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'TA 390', ...traveler('C1000001') });
  assert.equal(ex.status, 201, JSON.stringify(ex.json));
  assert.equal(ex.json.decision, 'secondary', JSON.stringify(ex.json));
  assert.ok(ex.json.reasons.some((x) => x.code === 'overstay'), JSON.stringify(ex.json.reasons));
  assert.equal(ex.json.person_id, r.json.person_id);

  // audited with the form and the reason
  const a = await admin.get(`/api/v1/audit?record_type=movement&record_id=${r.json.movement_id}`);
  assert.equal(a.status, 200);
  const e = a.json.items.find((x) => x.action === 'movement.contingency');
  assert.ok(e, JSON.stringify(a.json.items));
  assert.equal(e.user, 'c_supervisor_control');
  assert.ok(JSON.stringify(e).includes('FC-AMA-C1000001'));
});

test('an evening entry: the stay counts from El Salvador\'s day, not the UTC date (20:00 there is 02:00Z the next day)', async () => {
  const utcDay = addDays(today, -100);
  const r = await sup.post('/api/v1/movements/contingency', record('C1000020', { at: `${utcDay}T02:00Z` }));
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const me = (await sup.get('/api/v1/overstayers')).json.items.find((x) => x.person_id === r.json.person_id);
  assert.ok(me, 'inside past 90 days');
  assert.equal(me.permitted_until, addDays(utcDay, -1 + 89), 'from the local day of entry, the day before the UTC date');
  // at the booth the stay granted is the 90 days, not 91
  const ex = await ofi.post('/api/v1/inspections', { port: 'AMA', direction: 'exit', ...traveler('C1000020') });
  assert.equal(ex.status, 201, JSON.stringify(ex.json));
  const over = ex.json.reasons.find((x) => x.code === 'overstay');
  assert.ok(over, JSON.stringify(ex.json.reasons));
  // entered on the local day 101 days ago: its 90th day was 12 days ago
  assert.equal(ex.json.facts.overstay_days, 101 - 89, JSON.stringify(ex.json.facts));
});

test('an entry and an exit both recorded late: the traveler is outside, the next entry is consistent', async () => {
  const en = await sup.post('/api/v1/movements/contingency', record('C1000002', { at: daysAgo(10) }));
  assert.equal(en.status, 201, JSON.stringify(en.json));
  const ex = await sup.post('/api/v1/movements/contingency', record('C1000002', { direction: 'exit', at: daysAgo(2), permitted_stay_days: undefined, port: 'HAC', reference: 'FC-HAC-77' }));
  assert.equal(ex.status, 201, JSON.stringify(ex.json));
  assert.equal(ex.json.person_id, en.json.person_id);
  assert.ok(!(await sup.get('/api/v1/overstayers?as_of=' + addDays(today, 200))).json.items.some((x) => x.person_id === en.json.person_id));
  const again = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 391', ...traveler('C1000002') });
  assert.equal(again.json.decision, 'admit', JSON.stringify(again.json));
  assert.ok(!again.json.reasons.some((x) => x.code === 'entry_without_exit'), JSON.stringify(again.json.reasons));
  // without the late exit, the same entry would have been flagged
  const en3 = await sup.post('/api/v1/movements/contingency', record('C1000004', { at: daysAgo(10) }));
  assert.equal(en3.status, 201);
  const flagged = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 391', ...traveler('C1000004') });
  assert.ok(flagged.json.reasons.some((x) => x.code === 'entry_without_exit'), JSON.stringify(flagged.json.reasons));
});

test('a paper entry without the days granted gets the tables\' stay, as the booth would have; none for a resident or a national', async () => {
  const r = await sup.post('/api/v1/movements/contingency', record('C1000030', { at: daysAgo(100), permitted_stay_days: undefined }));
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.deepEqual([r.json.permitted_stay_days, r.json.stay_source], [90, 'tables'], JSON.stringify(r.json));
  // so her stay runs out: on the overstayers list, as one with the form's 90 days
  const me = (await sup.get('/api/v1/overstayers')).json.items.find((x) => x.person_id === r.json.person_id);
  assert.ok(me, 'a paper entry without days is an overstayer after 90 days');
  assert.equal(me.permitted_until, addDays(localDay(r.json.at), 89));
  const form = await sup.post('/api/v1/movements/contingency', record('C1000031', { at: daysAgo(10), permitted_stay_days: 30 }));
  assert.deepEqual([form.json.permitted_stay_days, form.json.stay_source], [30, 'form'], JSON.stringify(form.json));
  // a resident entered on the carnet: no limit
  const res = await sup.post('/api/v1/movements/contingency', record('C1000032', { at: daysAgo(100), permitted_stay_days: undefined,
    document: { kind: 'residence_carnet', number: 'C1000032', issuing_state: 'SLV', nationality: 'DEU', expiry_date: '2030-01-31' } }));
  assert.equal(res.status, 201, JSON.stringify(res.json));
  assert.deepEqual([res.json.permitted_stay_days, res.json.stay_source], [null, null], JSON.stringify(res.json));
  assert.equal((await sup.get(`/api/v1/persons/${res.json.person_id}/timeline`)).json.stay.permitted_until, null);
  // a Salvadoran: no stay
  const slv = await sup.post('/api/v1/movements/contingency', record('C1000033', { at: daysAgo(100), permitted_stay_days: undefined,
    document: { kind: 'passport', code: 'P', number: 'C1000033', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-01-31' },
    person: { given_names: 'Ana', surnames: 'Pérez C1000033', birth_date: '1980-01-01', sex: 'F', nationality: 'SLV' } }));
  assert.equal(slv.status, 201, JSON.stringify(slv.json));
  assert.equal(slv.json.permitted_stay_days, null, JSON.stringify(slv.json));
  // and a form that gives a Salvadoran days is refused, not recorded as a stay
  const slvDays = await sup.post('/api/v1/movements/contingency', record('C1000034', { at: daysAgo(5), permitted_stay_days: 1,
    document: { kind: 'passport', code: 'P', number: 'C1000034', issuing_state: 'SLV', nationality: 'SLV' },
    person: { given_names: 'Luis', surnames: 'Pérez C1000034', birth_date: '1980-01-01', sex: 'M', nationality: 'SLV' } }));
  assert.deepEqual([slvDays.status, slvDays.json.error && slvDays.json.error.code], [422, 'no_stay_limit'], JSON.stringify(slvDays.json));
  const o = (await sup.get('/api/v1/overstayers')).json.items.map((x) => x.person_id);
  assert.ok(!o.includes(res.json.person_id) && !o.includes(slv.json.person_id), 'neither is an overstayer');
  // an exit recorded on paper carries no stay
  const ex = await sup.post('/api/v1/movements/contingency', record('C1000030', { direction: 'exit', at: daysAgo(1), permitted_stay_days: undefined, reference: 'FC-AMA-X30' }));
  assert.deepEqual([ex.status, ex.json.permitted_stay_days], [201, null], JSON.stringify(ex.json));
});

test('the day\'s movements of a post are in the order they happened, a page at a time, with the day\'s figures', async () => {
  // three crossings at Perquín today, the paper one entered last but crossed first
  const hour = (h) => new Date(Date.parse(`${today}T${String(h).padStart(2, '0')}:00:00Z`) + 6 * 3600e3).toISOString().slice(0, 16) + 'Z';
  const now = Date.now();
  const early = Math.max(0, Math.min(new Date(now - 6 * 3600e3).getUTCHours() - 1, 1));
  const booth = [];
  for (const n of ['C1000040', 'C1000041']) {
    const r = await ofi.post('/api/v1/inspections', { port: 'PER', direction: 'entry', transport: 'Bus 7', ...traveler(n) });
    assert.equal(r.json.decision, 'admit', JSON.stringify(r.json));
    booth.push(r.json.movement_id);
  }
  const paper = await sup.post('/api/v1/movements/contingency', record('C1000042', { port: 'PER', at: hour(early) }));
  assert.equal(paper.status, 201, JSON.stringify(paper.json));
  const all = [];
  let cursor = null, first = null;
  do {
    const r = await sup.get(`/api/v1/movements?port=PER&day=${today}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    first ??= r.json;
    all.push(...r.json.items);
    cursor = r.json.next_cursor;
  } while (cursor);
  assert.deepEqual(all.map((m) => m.id), [booth[1], booth[0], paper.json.movement_id], 'newest crossing first; the paper one at its hour');
  assert.deepEqual(first.totals, { entry: 3, exit: 0 });
  // a movement voided is not in the day's figures
  assert.equal((await sup.post(`/api/v1/movements/${booth[0]}/corrections`, { reason: 'Registro duplicado', approved_by: 'c_supervisor_control' })).status, 201);
  assert.deepEqual((await sup.get(`/api/v1/movements?port=PER&day=${today}`)).json.totals, { entry: 2, exit: 0 });
  for (const [q, field] of [['port=NOWHERE', 'port'], ['direction=sideways', 'direction'], ['cursor=12', 'cursor'], ['cursor=x,0', 'cursor']])
    assert.deepEqual(await sup.get(`/api/v1/movements?day=${today}&${q}`).then((r) => [r.status, r.json.error && r.json.error.field]), [400, field], q);
});

test('the same paper form entered twice is refused; screening hits come back with the record', async () => {
  const body = record('C1000003');
  assert.equal((await sup.post('/api/v1/movements/contingency', body)).status, 201);
  const dup = await sup.post('/api/v1/movements/contingency', body);
  assert.equal(dup.status, 409);
  assert.equal(dup.json.error.code, 'duplicate_record');
  // the same form typed again with another minute: still the same form
  const later = await sup.post('/api/v1/movements/contingency', { ...body, at: body.at.replace(/:(\d\d)Z$/, (m, mm) => `:${String((Number(mm) + 1) % 60).padStart(2, '0')}Z`) });
  assert.deepEqual([later.status, later.json.error && later.json.error.field], [409, 'reference'], JSON.stringify(later.json));
  // another form for the same person is another crossing
  assert.equal((await sup.post('/api/v1/movements/contingency', { ...body, reference: 'FC-AMA-OTRO', at: daysAgo(60) })).status, 201);
  // a form entered with the wrong instant, voided, is entered again with the right one
  const wrong = await sup.post('/api/v1/movements/contingency', record('C1000005', { at: daysAgo(50), reference: 'FC-AMA-"5"\\b' }));
  assert.equal(wrong.status, 201, JSON.stringify(wrong.json));
  const twice = await sup.post('/api/v1/movements/contingency', record('C1000005', { at: daysAgo(49), reference: 'FC-AMA-"5"\\b' }));
  assert.equal(twice.status, 409, 'a reference with quotes and a backslash is still found: ' + JSON.stringify(twice.json));
  assert.equal((await sup.post(`/api/v1/movements/${wrong.json.movement_id}/corrections`, { reason: 'Hora mal transcrita', approved_by: 'c_supervisor_control' })).status, 201);
  const right = await sup.post('/api/v1/movements/contingency', record('C1000005', { at: daysAgo(49), reference: 'FC-AMA-"5"\\b' }));
  assert.equal(right.status, 201, JSON.stringify(right.json));

  const al = await sup.post('/api/v1/alerts', { category: 'interpol_notice', subject: { given_names: 'Piotr', surnames: 'Kowalczyk', birth_date: '1969-02-03', document_number: 'PL7654321' }, instructions: 'Verificar con INTERPOL' });
  assert.equal(al.status, 201, JSON.stringify(al.json));
  const hit = await sup.post('/api/v1/movements/contingency', record('PL7654321', {
    person: { given_names: 'Piotr', surnames: 'Kowalczyk', birth_date: '1969-02-03', sex: 'M', nationality: 'POL' },
    document: { kind: 'passport', code: 'P', number: 'PL7654321', issuing_state: 'POL', nationality: 'POL' },
  }));
  assert.equal(hit.status, 201, JSON.stringify(hit.json));
  assert.ok(hit.json.screening.hits.some((h) => h.record === `alert:${al.json.id}` && h.score >= 73), JSON.stringify(hit.json.screening));
});

test('bad input: each field named; an officer may not enter contingency records', async () => {
  const cases = [
    [{ at: daysAgo(-1) }, 422, 'instant_in_future', 'at'],
    [{ at: daysAgo(400) }, 422, 'instant_too_old', 'at'],
    [{ at: '2026-02-30T10:00Z' }, 400, 'invalid_instant', 'at'],
    [{ at: '2026-07-01 10:00' }, 400, 'invalid_instant', 'at'],
    [{ at: '2026-07-01T10:00:00-06:00' }, 400, 'invalid_instant', 'at'],
    [{ at: '2026-12-1T1:0Z' }, 400, 'invalid_instant', 'at'],
    [{ at: '2026-12-01T 10:00Z' }, 400, 'invalid_instant', 'at'],
    [{ person: { surnames: 'X', birth_date: addDays(today, -3) }, at: daysAgo(100) }, 422, 'born_after_crossing', 'person.birth_date'],
    // 20:00 in El Salvador is 02:00Z the next day: born that next day is after the crossing
    [{ person: { surnames: 'X', birth_date: addDays(today, -9) }, at: `${addDays(today, -9)}T02:00Z` }, 422, 'born_after_crossing', 'person.birth_date'],
    [{ direction: 'exit' }, 422, 'stay_on_exit', 'permitted_stay_days'],
    [{ permitted_stay_days: 0 }, 400, 'invalid_stay', 'permitted_stay_days'],
    [{ permitted_stay_days: '90' }, 400, 'invalid_stay', 'permitted_stay_days'],
    [{ port: 'XXX' }, 422, 'unknown_port', 'port'],
    [{ direction: 'in' }, 400, 'invalid_direction', 'direction'],
    [{ reference: undefined }, 400, undefined, 'reference'],
    [{ reason: undefined }, 400, undefined, 'reason'],
    [{ extra: 1 }, 400, 'unknown_field', 'extra'],
    [{ person: { surnames: 'X', birth_date: addDays(today, 3) } }, 422, 'birth_date_in_future', 'person.birth_date'],
    [{ document: { kind: 'passport', number: 'ab-1', issuing_state: 'DEU' } }, 400, 'invalid_document_number', 'document.number'],
  ];
  for (const [over, status, code, field] of cases) {
    const r = await sup.post('/api/v1/movements/contingency', record('C1000009', over));
    assert.equal(r.status, status, `${JSON.stringify(over)} -> ${r.status} ${JSON.stringify(r.json)}`);
    if (code) assert.equal(r.json.error.code, code, JSON.stringify(r.json));
    assert.equal(r.json.error.field, field, JSON.stringify(r.json));
  }
  assert.equal((await ofi.post('/api/v1/movements/contingency', record('C1000010'))).status, 403);
  // nothing was recorded by any of them
  const q = srv.sql("SELECT COUNT(*) FROM documents WHERE number IN ('C1000009', 'C1000010')");
  assert.equal(q.stdout.trim(), '0');
});

test('overstayers: the whole list a page at a time, its total, by nationality, post and days over', async () => {
  const norse = (number, ago, port) => record(number, {
    at: daysAgo(ago), port, reference: `FC-${port}-${number}`, transport: port === 'SAL' ? 'TA 510' : 'M 123 456',
    document: { kind: 'passport', code: 'P', number, issuing_state: 'NOR', nationality: 'NOR', expiry_date: '2031-01-31' },
    person: { given_names: 'Ola', surnames: `Nordmann ${number}`, birth_date: '1979-03-03', sex: 'M', nationality: 'NOR' } });
  const made = [];
  for (const [n, ago, port] of [['N2000001', 100, 'AMA'], ['N2000002', 140, 'SAL'], ['N2000003', 120, 'AMA'], ['N2000004', 130, 'SAL'], ['N2000005', 110, 'AMA']]) {
    const r = await sup.post('/api/v1/movements/contingency', norse(n, ago, port));
    assert.equal(r.status, 201, JSON.stringify(r.json));
    made.push([r.json.person_id, ago, port]);
  }
  // the longest overstays first
  const order = [...made].sort((a, b) => b[1] - a[1]).map((m) => m[0]);
  const all = await sup.get('/api/v1/overstayers?nationality=nor');
  assert.equal(all.status, 200, JSON.stringify(all.json));
  assert.equal(all.json.total, 5);
  assert.deepEqual(all.json.items.map((x) => x.person_id), order);
  assert.equal(all.json.next_cursor, null);
  for (const x of all.json.items) assert.equal(x.days_over, Math.round((Date.parse(all.json.as_of) - Date.parse(x.permitted_until)) / DAY), JSON.stringify(x));
  // two at a time: every one once, in the same order; the total with the first page
  const seen = [];
  let page = await sup.get('/api/v1/overstayers?nationality=NOR&limit=2');
  assert.equal(page.json.total, 5);
  for (;;) {
    assert.ok(page.json.items.length <= 2);
    seen.push(...page.json.items.map((x) => x.person_id));
    if (!page.json.next_cursor) break;
    page = await sup.get(`/api/v1/overstayers?nationality=NOR&limit=2&cursor=${encodeURIComponent(page.json.next_cursor)}`);
    assert.equal(page.status, 200, JSON.stringify(page.json));
    assert.equal(page.json.total, undefined);
  }
  assert.deepEqual(seen, order);
  // by post
  const sal = await sup.get('/api/v1/overstayers?nationality=NOR&port=SAL');
  assert.deepEqual(sal.json.items.map((x) => x.person_id), made.filter((m) => m[2] === 'SAL').sort((a, b) => b[1] - a[1]).map((m) => m[0]));
  assert.equal(sal.json.total, 2);
  // at least so many days over: the boundary is the day itself
  const d = all.json.items[1].days_over;
  const over = await sup.get(`/api/v1/overstayers?nationality=NOR&min_days=${d}`);
  assert.deepEqual(over.json.items.map((x) => x.person_id), order.slice(0, 2));
  assert.equal((await sup.get(`/api/v1/overstayers?nationality=NOR&min_days=${d + 1}`)).json.total, 1);
  // an earlier day is refused: the list is of who is in the country now, and
  // would leave out whoever was over then and has left since
  const early = await sup.get(`/api/v1/overstayers?nationality=NOR&as_of=${addDays(all.json.as_of, -25)}`);
  assert.deepEqual([early.status, early.json.error?.code, early.json.error?.field], [422, 'as_of_past', 'as_of']);
  // a later day: who will be over by then, if they stay
  const later = await sup.get(`/api/v1/overstayers?nationality=NOR&as_of=${addDays(all.json.as_of, 30)}`);
  assert.equal(later.json.total, 5);
  assert.equal(later.json.items[0].days_over, all.json.items[0].days_over + 30);
  // each read of the list is in the trail of every person it showed, as a
  // read through the day's movements is
  const first = made[0][0];
  const day = (await sup.get(`/api/v1/persons/${first}/timeline`)).json.events.find((e) => e.type === 'movement').movement.at;
  const localDay = new Date(Date.parse(day) - 6 * 3600e3).toISOString().slice(0, 10);
  assert.equal((await sup.get(`/api/v1/movements?day=${localDay}&port=AMA`)).status, 200);
  const trail = (await admin.get(`/api/v1/audit?record_type=person&record_id=${first}`)).json.items;
  for (const action of ['overstayers.list', 'movement.list'])
    assert.ok(trail.some((e) => e.action === action && e.user === 'c_supervisor_control' && e.detail.ids.includes(first)), `${action}: ${JSON.stringify(trail.map((e) => e.action))}`);
  // bad filters name the parameter
  for (const [q, field] of [['nationality=NO', 'nationality'], ['nationality=N0R', 'nationality'], ['port=XXX', 'port'], ['min_days=0', 'min_days'],
    ['cursor=garbage', 'cursor'], ['cursor=2026-01-01,', 'cursor'], ['cursor=2026-13-01,5', 'cursor'], ['as_of=2026-02-30', 'as_of'], ['limit=0', 'limit']]) {
    const r = await sup.get(`/api/v1/overstayers?${q}`);
    assert.equal(r.status, 400, `${q}: ${JSON.stringify(r.json)}`);
    assert.equal(r.json.error.field, field, q);
  }
});
