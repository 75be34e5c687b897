// The day's scheduled arrivals (issue 7, part 7: "flights of the day with
// their status: expected, received, …"): the APIS desk loads the airport's
// schedule; a scheduled flight that sent nothing is "expected" before its
// arrival time and "overdue" after it; once its manifest arrives it is listed
// with the manifests instead.  A load with one bad record writes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD, carrierUser, addUser, signedIn } from '../lib/server.mjs';

let srv, admin, carrier, sup, ofi, unit;
const PW = 'Turno-Seguro-2026';

const isoDay = (days) => new Date(Date.now() - 6 * 3600e3 + days * 86400000).toISOString().slice(0, 10);
const yymmdd = (iso) => iso.slice(2).replaceAll('-', '');

// One passenger on flight `flight` of carrier TA, departing and arriving on `day`.
function paxlst(flight, day) {
  const segs = [
    'UNB+UNOA:4+TAIRLINE+SLVAPIS+261125:1200+R1', 'UNH+M1+PAXLST:D:05B:UN:IATA', 'BGM+745', 'NAD+MS+++OPS',
    `TDT+20+${flight}+++TA`, 'LOC+125+GUA', `DTM+189:${yymmdd(day)}2300:201`, 'LOC+87+SAL', `DTM+232:${yymmdd(day)}2345:201`,
    'NAD+FL+++PEREZ:ANA', 'ATT+2++F', 'DTM+329:850614', 'NAT+2+SLV', 'DOC+P+A1000', 'DTM+36:300101', 'LOC+91+SLV',
    'CNT+42:1',
  ];
  segs.push(`UNT+${segs.length}+M1`, 'UNZ+1+R1');
  return "UNA:+.? '" + segs.map((s) => s + "'").join('\n') + '\n';
}

before(async () => {
  srv = await startServer();
  admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  unit = (await admin.get('/api/v1/org/units')).json[0].code;
  carrier = await carrierUser(srv, 'sched_ta', 'TA', PW, { unit });
  await addUser(admin, 'sched_sup', 'supervisor_control', PW, unit, 'sched_sup');
  await addUser(admin, 'sched_ofi', 'oficial_control', PW, unit, 'sched_ofi');
  sup = await signedIn(srv.url, 'sched_sup', PW);
  ofi = await signedIn(srv.url, 'sched_ofi', PW);
});
after(async () => { await srv.stop(); });

test('scheduled flights are expected, overdue after their arrival time, and leave the list when their manifest arrives', async () => {
  const tomorrow = isoDay(1), yesterday = isoDay(-1);
  const load = await sup.post('/api/v1/apis/schedule', { flights: [
    { date: tomorrow, carrier: 'TA', flight: '555', port: 'SAL', origin: 'GUA', arrival: '23:45' },
    { date: tomorrow, carrier: 'TA', flight: '556', port: 'SAL', origin: 'MIA', arrival: '08:10' },
    { date: yesterday, carrier: 'TA', flight: '557', port: 'SAL', origin: 'IAH', arrival: '06:00' },
  ] });
  assert.equal(load.status, 201, JSON.stringify(load.json));
  assert.equal(load.json.loaded, 3);

  let l = await ofi.get(`/api/v1/apis/manifests?date=${tomorrow}`);
  assert.equal(l.status, 200);
  assert.deepEqual(l.json.expected.map((x) => [x.flight, x.stage, x.origin]), [['556', 'expected', 'MIA'], ['555', 'expected', 'GUA']]);
  // a day gone by: its flights that sent nothing are overdue
  l = await ofi.get(`/api/v1/apis/manifests?date=${yesterday}`);
  assert.deepEqual(l.json.expected.map((x) => [x.flight, x.stage]), [['557', 'overdue']]);

  // the manifest of TA555 arrives (flight written TA555 in TDT): no longer expected
  const m = await carrier.req('POST', '/api/v1/apis/manifests', paxlst('TA555', tomorrow), { 'content-type': 'application/edifact' });
  assert.equal(m.status, 201, JSON.stringify(m.json));
  l = await ofi.get(`/api/v1/apis/manifests?date=${tomorrow}`);
  assert.deepEqual(l.json.expected.map((x) => x.flight), ['556']);
  assert.ok(l.json.items.some((x) => x.flight === 'TA555'));

  // loaded again: updated, not duplicated; cancelled: withdrawn
  const again = await sup.post('/api/v1/apis/schedule', { flights: [
    { date: tomorrow, carrier: 'TA', flight: '556', port: 'SAL', origin: 'MIA', arrival: '09:30' },
  ] });
  assert.equal(again.status, 201);
  const s = await ofi.get(`/api/v1/apis/schedule?date=${tomorrow}`);
  assert.equal(s.status, 200);
  assert.deepEqual(s.json.items.map((x) => [x.flight, x.arrival, x.status]), [['556', '09:30', 'scheduled'], ['555', '23:45', 'scheduled']]);
  await sup.post('/api/v1/apis/schedule', { flights: [{ date: tomorrow, carrier: 'TA', flight: '556', port: 'SAL', arrival: '09:30', status: 'cancelled' }] });
  l = await ofi.get(`/api/v1/apis/manifests?date=${tomorrow}`);
  assert.deepEqual(l.json.expected, []);

  // carrier compliance: yesterday's TA557 never sent a manifest, and no
  // traveler of it reached the booth: proposed as missing, once
  const ev = await sup.post('/api/v1/carrier-compliance/evaluate', { date: yesterday });
  assert.equal(ev.status, 200, JSON.stringify(ev.json));
  const again2 = await sup.post('/api/v1/carrier-compliance/evaluate', { date: yesterday });
  assert.equal(again2.status, 200);
  const fines = (await sup.get('/api/v1/carrier-fines?status=proposed&limit=1000')).json.items;
  const miss = fines.filter((f) => f.cause === 'missing_manifest' && f.flight === 'TA557');
  assert.equal(miss.length, 1, JSON.stringify(fines));
  assert.equal(miss[0].carrier, 'TA');
  assert.equal(miss[0].evidence.scheduled_arrival, '06:00');
  assert.equal(miss[0].evidence.origin, 'IAH');
  assert.ok(miss[0].evidence.schedule_id > 0);
  // today: a flight due at 00:00 is proposed by today's evaluation
  const todayIso = isoDay(0);
  assert.equal((await sup.post('/api/v1/apis/schedule', { flights: [{ date: todayIso, carrier: 'TA', flight: '558', port: 'SAL', arrival: '00:00' }] })).status, 201);
  assert.equal((await sup.post('/api/v1/carrier-compliance/evaluate', { date: todayIso })).status, 200);
  const f2 = (await sup.get('/api/v1/carrier-fines?status=proposed&limit=1000')).json.items;
  assert.equal(f2.filter((f) => f.cause === 'missing_manifest' && f.flight === 'TA558').length, 1, JSON.stringify(f2));
  assert.equal(f2.filter((f) => f.flight === 'TA556' || f.flight === 'TA555').length, 0, 'tomorrow is not due');

  // the load is audited
  const au = srv.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'apis.schedule_load'");
  assert.equal(au.stdout.trim(), '4');
});

test('a load with bad records is rejected whole, each record and field named', async () => {
  const day = isoDay(2);
  const r = await sup.post('/api/v1/apis/schedule', { flights: [
    { date: day, carrier: 'TA', flight: '700', port: 'SAL', arrival: '10:00' },
    { date: '2026-02-30', carrier: 'ta', flight: 'TA 701', port: 'HAC', arrival: '25:00', gate: '4' },
    { date: day, carrier: 'TA', flight: '700', port: 'SAL', arrival: '11:00' },
  ] });
  assert.equal(r.status, 422, JSON.stringify(r.json));
  assert.equal(r.json.error.code, 'schedule_rejected');
  const fields = r.json.errors.map((e) => e.field);
  for (const f of ['flights[1].date', 'flights[1].carrier', 'flights[1].flight', 'flights[1].port', 'flights[1].arrival', 'flights[1].gate'])
    assert.ok(fields.includes(f), `${f} in ${JSON.stringify(fields)}`);
  assert.equal(r.json.error.field, r.json.errors[0].field);
  // nothing written, not even the good record
  assert.deepEqual((await ofi.get(`/api/v1/apis/schedule?date=${day}`)).json.items, []);
  // the same flight twice in one load
  const dup = await sup.post('/api/v1/apis/schedule', { flights: [
    { date: day, carrier: 'TA', flight: '700', port: 'SAL', arrival: '10:00' },
    { date: day, carrier: 'TA', flight: '700', port: 'SAL', arrival: '11:00' },
  ] });
  assert.equal(dup.status, 422);
  assert.deepEqual(dup.json.errors.map((e) => [e.field, e.code]), [['flights[1].flight', 'duplicate_flight']]);
  for (const body of [{}, { flights: [] }, { flights: 'x' }, { flights: [1] }]) {
    const b = await sup.post('/api/v1/apis/schedule', body);
    assert.ok(b.status === 422 || b.status === 400, `${JSON.stringify(body)} -> ${b.status}`);
  }
  assert.equal((await ofi.get('/api/v1/apis/schedule?date=2026-13-01')).status, 400);
  // the APIS desk (apis.review) loads it; a carrier neither loads nor reads it
  const one = { flights: [{ date: day, carrier: 'TA', flight: '1', port: 'SAL', arrival: '10:00' }] };
  assert.equal((await carrier.req('POST', '/api/v1/apis/schedule', one)).status, 403);
  assert.equal((await carrier.get(`/api/v1/apis/schedule?date=${day}`)).status, 403);
  assert.equal((await ofi.post('/api/v1/apis/schedule', one)).status, 201);
});
