// Crew on land and sea prechequeo lists: a traveler of a list may be
// "role": "crew" (JSON field, CSV column).  Found in a shift at Acajutla: a
// cruise ship's crew going ashore, inspected under the ship's name, were
// each «no figura en la lista» and each proposed as an inaccurate-list fine
// to the cruise line, since a list could not carry them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD, staffUser, carrierUser } from '../lib/server.mjs';

let srv, admin, cruise, bus, sup, ofi;
const PW = 'Turno-Seguro-2026';

const localAt = (minutes) => new Date(Date.now() - 6 * 3600000 + minutes * 60000).toISOString().slice(0, 16);
const today = () => localAt(0).slice(0, 10);
const laterToday = () => { const t = localAt(120); return t.slice(0, 10) === today() ? t : `${today()}T23:59`; };
const T = (surnames, given_names, birth_date, sex, nationality, doc_number, extra = {}) =>
  ({ surnames, given_names, birth_date, sex, nationality, doc_type: 'P', doc_number, doc_issuing_state: nationality, doc_expiry: '2031-01-01', ...extra });
const sendJson = (c, body) => c.req('POST', '/api/v1/prechequeo/lists', body);
const sendCsv = (c, qs, text) => c.req('POST', `/api/v1/prechequeo/lists?${new URLSearchParams(qs)}`, text, { 'content-type': 'text/csv' });
const inspect = (port, transport, p) => ofi.post('/api/v1/inspections', {
  port, direction: 'entry', transport,
  document: { kind: 'passport', code: 'P', number: p.doc_number, issuing_state: p.nationality, nationality: p.nationality, expiry_date: '2031-05-01' },
  person: { given_names: p.given_names, surnames: p.surnames, birth_date: p.birth_date, sex: p.sex, nationality: p.nationality },
});

const EMILY = T('Johnson', 'Emily', '1975-03-03', 'F', 'USA', 'US5550001');
const MICHAEL = T('Brown', 'Michael', '1972-07-07', 'M', 'USA', 'US5550002', { role: 'passenger' });
const CARL = T('Olsen', 'Carl', '1980-10-10', 'M', 'USA', 'US5550077', { role: 'crew' });
// a crew member on the watch lists: screened as a passenger is
const WANTED = T('Xicará', 'Rigoberto', '1977-03-09', 'M', 'GTM', 'G5550001', { role: 'crew' });

before(async () => {
  srv = await startServer();
  admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  cruise = await carrierUser(srv, 'cr_rccl', 'RCCL', PW, { kind: 'cruise' });
  bus = await carrierUser(srv, 'cr_tica', 'TICACR', PW, { kind: 'bus' });
  sup = await staffUser(srv.url, 'cr_sup', 'supervisor_control', PW);
  ofi = await staffUser(srv.url, 'cr_ofi', 'oficial_control', PW);
  assert.equal((await sup.post('/api/v1/alerts', {
    category: 'arrest_warrant', subject: { given_names: 'Rigoberto', surnames: 'Xicará', birth_date: '1977-03-09', sex: 'M' },
    instructions: 'Retener y avisar a la PNC', valid_until: '2099-01-01',
  })).status, 201);
});
after(async () => { await srv.stop(); });

test('a cruise list with crew: accepted, counted apart, stored as crew, screened; a crew member ashore is on the list (no warning, no fine)', async () => {
  const arrival = laterToday();
  const r = await sendJson(cruise, { port: 'ACA', vehicle: 'Rhapsody of the Seas', company: 'Royal Caribbean International', trip: 'RCCL-ACA-1', arrival, direction: 'entry',
    travelers: [EMILY, MICHAEL, CARL, WANTED] });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const m = r.json.manifests[0];
  assert.deepEqual([m.passengers, m.crew], [2, 2], JSON.stringify(m));
  // screened as passengers are: the crew member on the watch list is a hit
  assert.equal(m.screening.persons, 4, JSON.stringify(m.screening));
  const hits = (await ofi.get(`/api/v1/apis/manifests/${m.id}/hits`)).json.hits;
  const warrant = hits.find((x) => x.category === 'alert/arrest_warrant');
  assert.ok(warrant, JSON.stringify(hits));
  assert.equal(warrant.role, 'crew');

  // stored with their role, as a PAXLST crew list's are
  const d = await ofi.get(`/api/v1/apis/manifests/${m.id}`);
  assert.deepEqual(d.json.persons.map((p) => [p.doc_number, p.role]),
    [['US5550001', 'passenger'], ['US5550002', 'passenger'], ['US5550077', 'crew'], ['G5550001', 'crew']]);
  assert.deepEqual([d.json.passengers, d.json.crew], [2, 2]);
  // the post's list and the carrier's read-back count both
  const item = (await ofi.get(`/api/v1/prechequeo/lists?port=ACA&date=${arrival.slice(0, 10)}`)).json.items.find((x) => x.id === m.id);
  assert.deepEqual([item.passengers, item.crew], [2, 2], JSON.stringify(item));
  const mine = (await cruise.get('/api/v1/prechequeo/submissions')).json.items.find((x) => x.id === r.json.id);
  assert.deepEqual([mine.manifest_id, mine.passengers, mine.crew], [m.id, 2, 2], JSON.stringify(mine));
  const one = (await cruise.get(`/api/v1/prechequeo/submissions/${r.json.id}`)).json;
  assert.deepEqual([one.passengers, one.crew], [2, 2], JSON.stringify(one));

  // the crew member going ashore, under the ship's name: on the list
  const c = await inspect('ACA', 'Rhapsody of the Seas', CARL);
  assert.equal(c.status, 201, JSON.stringify(c.json));
  assert.equal(c.json.apis.manifest_id, m.id);
  assert.equal(c.json.apis.on_manifest, true, JSON.stringify(c.json.apis));
  assert.ok(!c.json.reasons.some((x) => x.code === 'not_on_manifest'), JSON.stringify(c.json.reasons));
  // someone who is on no list still is not on it
  const s = await inspect('ACA', 'Rhapsody of the Seas', T('Williams', 'Robert', '1960-01-01', 'M', 'USA', 'US5550099'));
  assert.equal(s.status, 201, JSON.stringify(s.json));
  assert.ok(s.json.reasons.some((x) => x.code === 'not_on_manifest'), JSON.stringify(s.json.reasons));

  // no inaccurate-list fine for the crew member; one for the stranger
  assert.equal((await sup.post('/api/v1/carrier-compliance/evaluate', { date: today() })).status, 200);
  const fines = (await sup.get('/api/v1/carrier-fines?limit=1000')).json.items.filter((f) => f.cause === 'inaccurate_manifest');
  assert.deepEqual(fines.filter((f) => f.inspection_id === c.json.inspection_id), [], JSON.stringify(fines));
  assert.equal(fines.filter((f) => f.inspection_id === s.json.inspection_id).length, 1, JSON.stringify(fines));
  const rec = (await ofi.get(`/api/v1/apis/manifests/${m.id}/reconciliation`)).json;
  assert.equal(rec.not_on_manifest.length, 1);
  assert.equal(rec.not_on_manifest[0].inspection_id, s.json.inspection_id);
  // the one arrival from the list is the crew member's; the stranger is
  // counted in neither
  assert.deepEqual([rec.arrived, rec.passengers_arrived, rec.crew_ashore], [1, 0, 1], JSON.stringify(rec));
});

// Found at Acajutla: a cruise ship's crew mostly stay aboard, and the
// reconciliation listed each of them among the no-shows, burying the
// passengers who did not present themselves under hundreds of crew rows.
test('the reconciliation of a ship\'s list says the passengers who did not present themselves apart from the crew who stayed aboard', async () => {
  const arrival = laterToday();
  const PAX = [T('Miller', 'Anne', '1961-01-01', 'F', 'USA', 'US6660001'), T('Davis', 'Paul', '1962-02-02', 'M', 'USA', 'US6660002'),
    T('García', 'Rosa', '1963-03-03', 'F', 'MEX', 'M6660003')];
  const CREW = [T('Santos', 'Joel', '1984-04-04', 'M', 'PHL', 'P6660004', { role: 'crew' }), T('Reyes', 'Mara', '1985-05-05', 'F', 'PHL', 'P6660005', { role: 'crew' }),
    T('Kowalski', 'Jan', '1986-06-06', 'M', 'POL', 'PL6660006', { role: 'crew' })];
  // crew listed first: the no-shows are still said in the list's order
  const r = await sendJson(cruise, { port: 'ACA', vehicle: 'MSC Seaview', company: 'MSC Cruceros', trip: 'MSC-ACA-1', arrival, direction: 'entry',
    travelers: [CREW[0], PAX[0], CREW[1], PAX[1], CREW[2], PAX[2]] });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const m = r.json.manifests[0];
  // ashore: one passenger and one crew member
  for (const p of [PAX[1], CREW[1]]) {
    const x = await inspect('ACA', 'MSC Seaview', p);
    assert.equal(x.status, 201, JSON.stringify(x.json));
    assert.equal(x.json.apis?.on_manifest, true, JSON.stringify(x.json.apis));
  }
  const rc = await ofi.get(`/api/v1/apis/manifests/${m.id}/reconciliation`);
  assert.equal(rc.status, 200, JSON.stringify(rc.json));
  const rec = rc.json;
  assert.equal(rec.arrived, 2, JSON.stringify(rec));
  // who crossed, said apart too: a passenger arrived, a crew member ashore;
  // arrived keeps counting both
  assert.equal(rec.passengers_arrived, 1, JSON.stringify(rec));
  assert.equal(rec.crew_ashore, 1, JSON.stringify(rec));
  // the passengers who did not present themselves, and only they
  assert.deepEqual(rec.passenger_no_shows?.map((x) => [x.doc_number, x.role]), [['US6660001', 'passenger'], ['M6660003', 'passenger']], JSON.stringify(rec));
  // the crew who never came ashore, apart
  assert.deepEqual(rec.crew_aboard?.map((x) => [x.doc_number, x.role]), [['P6660004', 'crew'], ['PL6660006', 'crew']], JSON.stringify(rec));
  assert.equal(typeof rec.crew_aboard[0].seq, 'number');
  // no_shows keeps its documented meaning: every entry never inspected
  assert.deepEqual(rec.no_shows.map((x) => x.doc_number), ['P6660004', 'US6660001', 'PL6660006', 'M6660003']);
  assert.deepEqual(rec.not_on_manifest, []);
  // the read is audited with both counts
  const au = await admin.get(`/api/v1/audit?record_type=apis_manifest&record_id=${m.id}`);
  assert.equal(au.status, 200, JSON.stringify(au.json));
  const ev = au.json.items.find((e) => e.action === 'apis.reconciliation.read');
  assert.ok(ev, JSON.stringify(au.json.items));
  assert.deepEqual(ev.detail, { no_shows: 4, crew_aboard: 2, not_on_manifest: 0 }, JSON.stringify(ev));
});

test('a bus list in CSV with a «role» column: the driver is crew (any case); the column may be left empty or out', async () => {
  const arrival = laterToday();
  const head = 'surnames,given_names,birth_date,sex,nationality,doc_type,doc_number,doc_issuing_state,doc_expiry';
  const r = await sendCsv(bus, { port: 'HAC', vehicle: 'P-321 654', company: 'Tica Bus', trip: 'CR-1', arrival, direction: 'entry' },
    `role,${head}\r\n` +
    'Crew,Ramírez,José,1970-01-01,M,GTM,P,G1230001,GTM,2031-01-01\r\n' +
    ',Pérez,Ana,1985-06-14,F,SLV,P,A1230002,SLV,2030-01-01\r\n' +
    'passenger,Mejía,Luis,1990-02-02,M,HND,P,H1230003,HND,2029-05-05\r\n' +
    'crew,López,Marta,1982-02-02,F,GTM,P,G1230004,GTM,2031-01-01\r\n');
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.deepEqual([r.json.manifests[0].passengers, r.json.manifests[0].crew], [2, 2], JSON.stringify(r.json.manifests));
  const d = await ofi.get(`/api/v1/apis/manifests/${r.json.manifests[0].id}`);
  assert.deepEqual(d.json.persons.map((p) => p.role), ['crew', 'passenger', 'passenger', 'crew']);
  // the driver at the booth, under the bus's plate
  const drv = await inspect('HAC', 'P321654', T('Ramírez', 'José', '1970-01-01', 'M', 'GTM', 'G1230001'));
  assert.equal(drv.status, 201, JSON.stringify(drv.json));
  assert.equal(drv.json.apis.on_manifest, true, JSON.stringify(drv.json.apis));
  assert.ok(!drv.json.reasons.some((x) => x.code === 'not_on_manifest'), JSON.stringify(drv.json.reasons));
  // without the column every traveler is a passenger, as before
  const p = await sendCsv(bus, { port: 'HAC', vehicle: 'P-321 654', trip: 'CR-2', arrival, direction: 'entry' },
    `${head}\r\nPérez,Ana,1985-06-14,F,SLV,P,A1230002,SLV,2030-01-01\r\n`);
  assert.equal(p.status, 201, JSON.stringify(p.json));
  assert.deepEqual([p.json.manifests[0].passengers, p.json.manifests[0].crew], [1, 0]);
});

test('a role other than passenger or crew rejects the list, naming the record and the field', async () => {
  const arrival = laterToday();
  const j = await sendJson(cruise, { port: 'ACA', vehicle: 'Rhapsody of the Seas', trip: 'RCCL-BAD', arrival, direction: 'entry',
    travelers: [EMILY, { ...CARL, role: 'captain' }, { ...MICHAEL, doc_number: 'US5550003', role: 7 }] });
  assert.equal(j.status, 422, JSON.stringify(j.json));
  assert.equal(j.json.error.code, 'list_rejected');
  assert.ok(j.json.errors.some((x) => x.record === 2 && x.field === 'role' && x.code === 'invalid_value'), JSON.stringify(j.json.errors));
  assert.ok(j.json.errors.some((x) => x.record === 3 && x.field === 'role' && x.code === 'invalid_type'), JSON.stringify(j.json.errors));
  const c = await sendCsv(bus, { port: 'HAC', vehicle: 'P-321 654', trip: 'CR-BAD', arrival, direction: 'entry' },
    'surnames,birth_date,sex,nationality,doc_type,doc_number,doc_issuing_state,doc_expiry,role\r\n' +
    'Pérez,1985-06-14,F,SLV,P,A1230002,SLV,2030-01-01,chofer\r\n');
  assert.equal(c.status, 422, JSON.stringify(c.json));
  assert.ok(c.json.errors.some((x) => x.record === 1 && x.line === 2 && x.field === 'role' && x.code === 'invalid_value'), JSON.stringify(c.json.errors));
  // nothing of either reached the manifests
  const lists = (await ofi.get(`/api/v1/prechequeo/lists?port=ACA&date=${arrival.slice(0, 10)}&status=all`)).json.items;
  assert.ok(!lists.some((x) => x.trip === 'RCCL-BAD'), JSON.stringify(lists));
});
