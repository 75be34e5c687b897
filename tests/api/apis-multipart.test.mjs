// APIS multi-part lists: an airline splits a long passenger list into
// several PAXLST messages (UNH 0070 part number, 0073 C/F, the parts sharing
// the 0068 common access reference), in one interchange or several, in any
// order.  The parts are joined into one current manifest (not replaced one
// by the next), a duplicate part is not added twice, a cancellation
// withdraws the whole set, a new access reference starts a new version, and
// a part naming another flight's set is refused and kept as received.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD, carrierUser, staffUser } from '../lib/server.mjs';

let srv, admin, carrier, sup, ofi, unit;
const PW = 'Turno-Seguro-2026';

// El Salvador's local time (UTC-6), n days from now.
const local = (days) => new Date(Date.now() - 6 * 3600000 + days * 86400000);
const p2 = (x) => String(x).padStart(2, '0');
const isoDay = (days) => local(days).toISOString().slice(0, 10);
const stamp = (days, hhmm) => { const d = local(days); return `${p2(d.getUTCFullYear() % 100)}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}${hhmm}`; };

// One UNH..UNT message.  part: [number, 'C'|'F'] or null (a whole message);
// ref: UNH 0068; persons: [surname, nationality] pairs.
function message({ mref = 'M1', flight = 'TA801', days = 3, ref = 'TA801SET1', part = null, fn = '', persons, docBase = 1000 }) {
  const s010 = part ? `+${part[0]}:${part[1]}` : '';
  const segs = [
    `UNH+${mref}+PAXLST:D:05B:UN:IATA${ref || part ? '+' + ref : ''}${s010}`,
    `BGM+745${fn ? '++' + fn : ''}`,
    'NAD+MS+++OPS',
    `TDT+20+${flight}+++TA`,
    'LOC+125+GUA', `DTM+189:${stamp(days, '1000')}:201`,
    'LOC+87+SAL', `DTM+232:${stamp(days, '1045')}:201`,
  ];
  persons.forEach(([sur, nat], i) => {
    segs.push(`NAD+FL+++${sur}:ANA`, 'ATT+2++F', 'DTM+329:850614', `NAT+2+${nat || 'SLV'}`,
      `DOC+P+A${docBase + i}`, 'DTM+36:300101', `LOC+91+${nat || 'SLV'}`);
  });
  segs.push(`CNT+42:${persons.length}`);
  segs.push(`UNT+${segs.length + 1}+${mref}`);
  return segs;
}

function interchange(...messages) {
  const segs = ['UNB+UNOA:4+TAIRLINE+SLVAPIS+261125:1200+R1'];
  for (const m of messages) segs.push(...m);
  segs.push(`UNZ+${messages.length}+R1`);
  return "UNA:+.? '" + segs.map((s) => s + "'").join('\n') + '\n';
}

const post = (body) => carrier.req('POST', '/api/v1/apis/manifests', body, { 'content-type': 'application/edifact' });
const current = async (flight) => (await sup.get(`/api/v1/apis/manifests?flight=${flight}&status=current`)).json.items;

// Three parts of TA801's list, 2 + 2 + 1 passengers.
const PART = {
  1: (o = {}) => message({ mref: 'P1', part: [1, 'C'], persons: [['UNO'], ['DOS']], docBase: 1000, ...o }),
  2: (o = {}) => message({ mref: 'P2', part: [2, 'C'], persons: [['TRES'], ['CUATRO']], docBase: 2000, ...o }),
  3: (o = {}) => message({ mref: 'P3', part: [3, 'F'], persons: [['CINCO']], docBase: 3000, ...o }),
};
const ALL = ['CINCO', 'CUATRO', 'DOS', 'TRES', 'UNO'];

before(async () => {
  srv = await startServer();
  admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  unit = (await admin.get('/api/v1/org/units')).json[0].code;
  carrier = await carrierUser(srv, 'mp_ta', 'TA', PW, { unit });
  sup = await staffUser(admin, 'mp_sup', 'supervisor_control', PW, unit, 'mp_sup');
  ofi = await staffUser(admin, 'mp_ofi', 'oficial_control', PW, unit, 'mp_ofi');
});
after(async () => { await srv.stop(); });

test('three parts in three interchanges, out of order, make one current manifest', async () => {
  const r3 = await post(interchange(PART[3]()));
  assert.equal(r3.status, 201, JSON.stringify(r3.json));
  const m3 = r3.json.manifests[0];
  assert.equal(m3.action, 'created');
  assert.deepEqual(m3.parts, { access_ref: 'TA801SET1', received: '3', final: 3, complete: false, missing: [1, 2] });
  const id = m3.id;

  const r1 = await post(interchange(PART[1]()));
  assert.equal(r1.status, 201, JSON.stringify(r1.json));
  assert.equal(r1.json.manifests[0].action, 'joined');
  assert.equal(r1.json.manifests[0].id, id);
  assert.equal(r1.json.manifests[0].passengers, 3);
  assert.equal(r1.json.manifests[0].parts.complete, false);
  assert.ok(r1.json.manifests[0].screening, 'a joined part re-screens the manifest');
  assert.equal(r1.json.manifests[0].screening.persons, 3);

  let cur = await current('TA801');
  assert.equal(cur.length, 1);
  assert.equal(cur[0].id, id);
  assert.equal(cur[0].parts_received, '1,3');
  assert.equal(cur[0].parts_complete, 0);
  // the desk's list says what is missing: part 2 of 3
  assert.deepEqual(cur[0].parts, { access_ref: 'TA801SET1', received: '1,3', final: 3, complete: false, missing: [2] });
  const one = await ofi.get(`/api/v1/apis/manifests/${id}`);
  assert.deepEqual(one.json.parts.missing, [2]);

  const r2 = await post(interchange(PART[2]()));
  assert.equal(r2.status, 201, JSON.stringify(r2.json));
  assert.equal(r2.json.manifests[0].action, 'joined');
  assert.deepEqual(r2.json.manifests[0].parts, { access_ref: 'TA801SET1', received: '1,2,3', final: 3, complete: true, missing: [] });
  assert.equal(r2.json.manifests[0].screening.persons, 5);

  cur = await current('TA801');
  assert.equal(cur.length, 1, 'one current manifest, not one per part');
  assert.equal(cur[0].passengers, 5);
  const m = await ofi.get(`/api/v1/apis/manifests/${id}`);
  assert.equal(m.status, 200);
  assert.equal(m.json.status, 'current');
  assert.equal(m.json.passengers, 5);
  assert.deepEqual(m.json.parts, { access_ref: 'TA801SET1', received: '1,2,3', final: 3, complete: true, missing: [] });
  assert.deepEqual(m.json.persons.map((p) => p.surnames).sort(), ALL);
  assert.deepEqual(m.json.persons.map((p) => p.seq), [1, 2, 3, 4, 5], 'seq stays unique in the manifest');
  assert.equal(m.json.persons.find((p) => p.surnames === 'TRES').part, 2);
  assert.equal(m.json.persons.find((p) => p.surnames === 'CINCO').part, 3);
  // nothing was replaced along the way
  const all = (await sup.get('/api/v1/apis/manifests?flight=TA801&status=all')).json.items;
  assert.equal(all.length, 1, JSON.stringify(all));
});

test('the same split inside one interchange (out of order) is joined too', async () => {
  const o = { flight: 'TA802', ref: 'TA802X' };
  const r = await post(interchange(PART[2](o), PART[1](o), PART[3](o)));
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.deepEqual(r.json.manifests.map((x) => x.action), ['created', 'joined', 'joined']);
  const id = r.json.manifests[0].id;
  assert.ok(r.json.manifests.every((x) => x.id === id));
  // screened once, whole, after the write
  assert.equal(r.json.manifests[0].screening.persons, 5);
  assert.equal(r.json.manifests[1].screening, undefined);
  const m = await ofi.get(`/api/v1/apis/manifests/${id}`);
  assert.equal(m.json.passengers, 5);
  assert.equal(m.json.parts.complete, true);
  assert.deepEqual(m.json.persons.map((p) => p.surnames).sort(), ALL);
  assert.equal((await current('TA802')).length, 1);
});

test('a duplicate part is not added twice: warned and kept as received', async () => {
  const o = { flight: 'TA803', ref: 'TA803X' };
  assert.equal((await post(interchange(PART[1](o)))).status, 201);
  const again = await post(interchange(PART[1](o)));
  assert.equal(again.status, 201, JSON.stringify(again.json));
  assert.equal(again.json.manifests[0].action, 'duplicate_part');
  const w = again.json.warnings.find((x) => x.code === 'duplicate_part');
  assert.ok(w, JSON.stringify(again.json.warnings));
  assert.equal(w.tag, 'UNH');
  assert.equal(w.element, 'UNH+4:1');
  const kept = await sup.get(`/api/v1/apis/interchanges/${again.json.id}`);
  assert.equal(kept.json.status, 'accepted');
  assert.ok(kept.json.warnings.some((x) => x.code === 'duplicate_part'), 'the warning is stored with the interchange');
  const cur = await current('TA803');
  assert.equal(cur.length, 1);
  assert.equal(cur[0].passengers, 2);
  const m = await ofi.get(`/api/v1/apis/manifests/${cur[0].id}`);
  assert.deepEqual(m.json.persons.map((p) => p.surnames), ['UNO', 'DOS']);
  assert.deepEqual(m.json.parts, { access_ref: 'TA803X', received: '1', final: null, complete: false, missing: [] });

  // the rest still joins
  assert.equal((await post(interchange(PART[3](o), PART[2](o)))).status, 201);
  const done = await ofi.get(`/api/v1/apis/manifests/${cur[0].id}`);
  assert.equal(done.json.parts.complete, true);
  assert.equal(done.json.passengers, 5);
});

test('a cancellation withdraws the whole joined set', async () => {
  const o = { flight: 'TA804', ref: 'TA804X' };
  const r = await post(interchange(PART[1](o), PART[2](o), PART[3](o)));
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const id = r.json.manifests[0].id;
  const c = await post(interchange(message({ flight: 'TA804', ref: 'TA804X', fn: '1', persons: [] })));
  assert.equal(c.status, 201, JSON.stringify(c.json));
  assert.equal(c.json.manifests[0].action, 'cancelled');
  assert.equal(c.json.manifests[0].replaces, id);
  assert.equal((await current('TA804')).length, 0);
  assert.equal((await sup.get(`/api/v1/apis/manifests/${id}`)).json.status, 'cancelled');
  // a part arriving after the cancellation does not revive the set: it
  // starts a new (incomplete) version
  const late = await post(interchange(PART[2](o)));
  assert.equal(late.json.manifests[0].action, 'created');
  assert.equal((await current('TA804'))[0].passengers, 2);
});

test('a new access reference (or a whole replacement) starts a new version', async () => {
  const o = { flight: 'TA805', ref: 'TA805A' };
  const r = await post(interchange(PART[1](o), PART[2](o), PART[3](o)));
  const first = r.json.manifests[0].id;
  // the carrier re-sends the list in two parts under a new reference
  const n = { flight: 'TA805', ref: 'TA805B' };
  const r1 = await post(interchange(message({ ...n, mref: 'Q1', part: [1, 'C'], persons: [['NUEVO']], docBase: 5000 })));
  assert.equal(r1.status, 201, JSON.stringify(r1.json));
  assert.equal(r1.json.manifests[0].action, 'replaced');
  assert.equal(r1.json.manifests[0].replaces, first);
  const second = r1.json.manifests[0].id;
  assert.equal((await sup.get(`/api/v1/apis/manifests/${first}`)).json.status, 'replaced');
  let cur = await current('TA805');
  assert.equal(cur.length, 1);
  assert.equal(cur[0].passengers, 1);
  assert.equal(cur[0].parts_complete, 0);
  // a late part of the old set does not join the new one
  const stale = await post(interchange(message({ ...o, mref: 'P9', part: [2, 'C'], persons: [['VIEJO']], docBase: 6000 })));
  assert.equal(stale.json.manifests[0].action, 'replaced');
  assert.equal(stale.json.manifests[0].replaces, second);
  // the same part number sent as a replacement (BGM 1225 = 5) under the
  // same reference starts a new version too: the carrier corrects the set
  const fix = await post(interchange(message({ ...o, mref: 'P9', part: [2, 'F'], fn: '5', persons: [['VIEJO'], ['OTRO']], docBase: 6000 })));
  assert.equal(fix.json.manifests[0].action, 'replaced');
  // a whole message (no parts) replaces a set as before
  const whole = await post(interchange(message({ flight: 'TA805', ref: '', persons: [['ENTERO']], docBase: 7000 })));
  assert.equal(whole.json.manifests[0].action, 'replaced');
  cur = await current('TA805');
  assert.equal(cur.length, 1);
  assert.equal(cur[0].passengers, 1);
  assert.equal(cur[0].parts_received, null);
  const m = await ofi.get(`/api/v1/apis/manifests/${cur[0].id}`);
  assert.equal(m.json.parts, null);
  assert.deepEqual(m.json.persons.map((p) => p.surnames), ['ENTERO']);
});

test('a part naming another flight than its set is refused (422) and kept as received', async () => {
  const o = { flight: 'TA806', ref: 'TA806X' };
  assert.equal((await post(interchange(PART[1](o)))).status, 201);
  const body = interchange(PART[2]({ flight: 'TA807', ref: 'TA806X' }));
  const r = await post(body);
  assert.equal(r.status, 422, JSON.stringify(r.json));
  assert.equal(r.json.error.code, 'manifest_rejected');
  const e = r.json.errors.find((x) => x.code === 'access_ref_mismatch');
  assert.ok(e, JSON.stringify(r.json.errors));
  assert.equal(e.tag, 'TDT');
  assert.equal(e.element, 'TDT+2');
  assert.equal(e.segment, 5); // UNB 1, UNH 2, BGM 3, NAD 4, TDT 5
  assert.match(e.message, /TA806/);
  assert.equal(r.json.manifests.length, 0);
  const kept = await sup.get(`/api/v1/apis/interchanges/${r.json.id}`);
  assert.equal(kept.json.status, 'rejected');
  assert.equal(Buffer.from(kept.json.raw_base64, 'base64').toString('utf8'), body);
  assert.ok(kept.json.errors.some((x) => x.code === 'access_ref_mismatch'));
  assert.equal((await sup.get('/api/v1/apis/manifests?flight=TA807&status=all')).json.items.length, 0);
  assert.equal((await current('TA806'))[0].passengers, 2);

  // the same mix inside one interchange, and a part number that is not one
  const mixed = await post(interchange(PART[1]({ flight: 'TA808', ref: 'MIX' }), PART[2]({ flight: 'TA809', ref: 'MIX' })));
  assert.equal(mixed.status, 422, JSON.stringify(mixed.json));
  const e2 = mixed.json.errors.find((x) => x.code === 'access_ref_mismatch');
  assert.ok(e2, JSON.stringify(mixed.json.errors));
  assert.equal(e2.element, 'TDT+2');
  const badpart = await post(interchange(message({ flight: 'TA810', part: ['X', 'F'], persons: [['UNO']] })));
  assert.equal(badpart.status, 422, JSON.stringify(badpart.json));
  assert.ok(badpart.json.errors.some((x) => x.code === 'invalid_value' && x.element === 'UNH+4'));

  // a complete set frees its reference: a carrier that reuses one for
  // every flight is not refused
  const s = { flight: 'TA811', ref: 'FIJA' };
  assert.equal((await post(interchange(message({ ...s, part: [1, 'F'], persons: [['UNO']] })))).status, 201);
  const next = await post(interchange(message({ ...s, flight: 'TA812', part: [1, 'C'], persons: [['DOS']] })));
  assert.equal(next.status, 201, JSON.stringify(next.json));
});

// Carrier compliance of split lists (fines.json, late_manifest): a list is on
// time only when it is whole on time - lateness is measured by the arrival
// of the last part it needed, and a set still incomplete when its deadline
// (30 min before the arrival) passed is late.  The flights are sent for a
// later day and then moved to yesterday behind the server's back, so that
// their times can be set exactly.
test('a split list is late when its last part, not its first, came after the deadline; one still incomplete at the deadline is late', async () => {
  const yday = isoDay(-1);
  const utc = (hhmm) => `${yday}T${String(Number(hhmm.slice(0, 2)) + 6).padStart(2, '0')}:${hhmm.slice(3)}:00.000Z`; // El Salvador -> UTC
  const o = (flight) => ({ flight, ref: `${flight}R`, days: 4 });
  // TA821: part 1 at 08:00, part 2 (the last) at 11:00; arrival 10:45, deadline 10:15
  assert.equal((await post(interchange(PART[1](o('TA821'))))).status, 201);
  assert.equal((await post(interchange(message({ ...o('TA821'), mref: 'P2', part: [2, 'F'], persons: [['TRES']], docBase: 2000 })))).status, 201);
  // TA822: the same, but whole at 09:00: on time
  assert.equal((await post(interchange(PART[1](o('TA822'))))).status, 201);
  assert.equal((await post(interchange(message({ ...o('TA822'), mref: 'P2', part: [2, 'F'], persons: [['TRES']], docBase: 2000 })))).status, 201);
  // TA823: parts 1 and 3 (final) only: part 2 never came
  assert.equal((await post(interchange(PART[1](o('TA823')), PART[3](o('TA823'))))).status, 201);
  const [m821, m822, m823] = await Promise.all(['TA821', 'TA822', 'TA823'].map(async (f) => (await current(f))[0]));
  assert.equal(m821.parts.complete, true);
  assert.equal(m823.parts.complete, false);
  assert.deepEqual(m823.parts.missing, [2]);
  // the time the set became whole is recorded, and only then
  const at = srv.sql(`SELECT id, parts_complete_at IS NOT NULL FROM apis_manifests WHERE id IN (${m821.id}, ${m823.id}) ORDER BY id`).stdout.trim().split('\n');
  assert.match(at[0], /\|(1|t)$/, at.join(';'));
  assert.match(at[1], /\|(0|f)$/, at.join(';'));

  const move = (id, complete) => srv.sql(`UPDATE apis_manifests SET flight_date = '${yday}', dep_time = '${yday}T10:00',`
    + ` arr_time = '${yday}T10:45', received_at = '${utc('08:00')}'${complete ? `, parts_complete_at = '${utc(complete)}'` : ''} WHERE id = ${id}`);
  for (const x of [move(m821.id, '11:00'), move(m822.id, '09:00'), move(m823.id, null)]) assert.equal(x.status, 0, x.stderr);
  const ev = await sup.post('/api/v1/carrier-compliance/evaluate', { date: yday });
  assert.equal(ev.status, 200, JSON.stringify(ev.json));
  const again = await sup.post('/api/v1/carrier-compliance/evaluate', { date: yday });
  assert.equal(again.json.proposed, 0, 'each fact once');
  const late = (await sup.get('/api/v1/carrier-fines?status=proposed&limit=1000')).json.items.filter((f) => f.cause === 'late_manifest');

  const f821 = late.filter((f) => f.manifest_id === m821.id);
  assert.equal(f821.length, 1, 'first part on time, last part late: late — ' + JSON.stringify(late));
  assert.equal(f821[0].evidence.incomplete, false);
  assert.equal(f821[0].evidence.complete_at, utc('11:00'));
  assert.equal(f821[0].evidence.received_local, `${yday} 11:00`);
  assert.equal(f821[0].evidence.deadline_local, `${yday} 10:15`);
  assert.match(f821[0].reason, /completo \(su última parte\)/);

  assert.ok(!late.some((f) => f.manifest_id === m822.id), 'whole before the deadline: on time');

  const f823 = late.filter((f) => f.manifest_id === m823.id);
  assert.equal(f823.length, 1, 'incomplete at the deadline: late — ' + JSON.stringify(late));
  assert.equal(f823[0].evidence.incomplete, true);
  assert.deepEqual(f823[0].evidence.parts.missing, [2]);
  assert.equal(f823[0].evidence.parts.final, 3);
  assert.match(f823[0].reason, /incompleto al vencer el plazo .*faltan partes 2;/);
  assert.equal(f823[0].carrier, 'TA');
  assert.equal(f823[0].port, 'SAL');
});
