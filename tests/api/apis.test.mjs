// APIS ingest (issue 7, part 2): an airline's machine account sends raw
// UN/EDIFACT PAXLST with its API token; a re-sent or amended manifest
// replaces the earlier version of the same flight and date, a cancellation
// withdraws it; broken interchanges are kept as received and reported, never
// half-ingested.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, renameSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, Client, ADMIN_PASSWORD, carrierUser, addUser, signedIn } from '../lib/server.mjs';
import { paxlst as paxlstOf } from '../lib/apis.mjs';

let srv, admin, carrier, sup, ofi, unit;
const PW = 'Turno-Seguro-2026';

function tokenClient(user) {
  const t = srv.cli('token', 'create', '--user', user);
  assert.equal(t.status, 0, t.stderr);
  const c = new Client(srv.url);
  c.token = t.stdout.trim();
  return c;
}

// "YYMMDDHHMM" n days from now (UTC-6 is close enough at n >= 2).
function yymmddhhmm(days, hhmm) {
  const d = new Date(Date.now() + days * 86400000);
  const p = (x) => String(x).padStart(2, '0');
  return `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${hhmm}`;
}
function isoDay(days) {
  return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}

// A D05B passenger list for flight TA101 GUA -> SAL in `days` days.
function paxlst({ flight = 'TA101', carrierCode = 'TA', days = 3, names = ['PEREZ:ANA', 'LOPEZ:JUAN'], fn = '', birth = '850614' } = {}) {
  const segs = [
    'UNB+UNOA:4+TAIRLINE+SLVAPIS+261125:1200+R1',
    'UNH+M1+PAXLST:D:05B:UN:IATA',
    `BGM+745${fn ? '++' + fn : ''}`,
    'NAD+MS+++OPS',
    `TDT+20+${flight}+++${carrierCode}`,
    'LOC+125+GUA', `DTM+189:${yymmddhhmm(days, '1000')}:201`,
    'LOC+87+SAL', `DTM+232:${yymmddhhmm(days, '1045')}:201`,
  ];
  names.forEach((n, i) => {
    segs.push(`NAD+FL+++${n}`, 'ATT+2++F', `DTM+329:${birth}`, 'NAT+2+SLV',
      `DOC+P+A${1000 + i}`, 'DTM+36:300101', 'LOC+91+SLV');
  });
  segs.push(`CNT+42:${names.length}`);
  const unt = segs.length - 1 + 1; // UNH..CNT plus UNT itself
  segs.push(`UNT+${unt}+M1`, 'UNZ+1+R1');
  return "UNA:+.? '" + segs.map((s) => s + "'").join('\n') + '\n';
}

const post = (c, body) => c.req('POST', '/api/v1/apis/manifests', body, { 'content-type': 'application/edifact' });

before(async () => {
  srv = await startServer();
  admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  unit = (await admin.get('/api/v1/org/units')).json[0].code;
  carrier = await carrierUser(srv, 'aerolinea_ta', 'TA', PW, { unit });
  await addUser(admin, 'apis_sup', 'supervisor_control', PW, unit, 'apis_sup');
  await addUser(admin, 'apis_ofi', 'oficial_control', PW, unit, 'apis_ofi');
  sup = await signedIn(srv.url, 'apis_sup', PW);
  ofi = await signedIn(srv.url, 'apis_ofi', PW);
});
after(async () => { await srv.stop(); });

test('send, re-send (replaces) and cancel a manifest for one flight and date', async () => {
  const day = isoDay(3);
  const r1 = await post(carrier, paxlst());
  assert.equal(r1.status, 201, JSON.stringify(r1.json));
  assert.equal(r1.json.status, 'accepted');
  assert.equal(r1.json.manifests.length, 1);
  assert.equal(r1.json.manifests[0].action, 'created');
  assert.equal(r1.json.manifests[0].flight_date, day);
  assert.equal(r1.json.manifests[0].passengers, 2);
  const first = r1.json.manifests[0].id;

  const list = await sup.get(`/api/v1/apis/manifests?flight=TA101&date=${day}`);
  assert.equal(list.status, 200);
  assert.equal(list.json.items.length, 1);
  const m = await ofi.get(`/api/v1/apis/manifests/${first}`);
  assert.equal(m.status, 200);
  assert.deepEqual(m.json.persons.map((p) => p.surnames), ['PEREZ', 'LOPEZ']);
  assert.equal(m.json.persons[0].doc_number, 'A1000');
  assert.equal(m.json.persons[0].birth_date, '1985-06-14');

  // amended: one more passenger
  const r2 = await post(carrier, paxlst({ names: ['PEREZ:ANA', 'LOPEZ:JUAN', "O?'BRIEN:PAT"] }));
  assert.equal(r2.status, 201, JSON.stringify(r2.json));
  assert.equal(r2.json.manifests[0].action, 'replaced');
  assert.equal(r2.json.manifests[0].replaces, first);
  const cur = await sup.get(`/api/v1/apis/manifests?flight=TA101&date=${day}`);
  assert.equal(cur.json.items.length, 1);
  assert.equal(cur.json.items[0].passengers, 3);
  assert.equal((await sup.get(`/api/v1/apis/manifests/${first}`)).json.status, 'replaced');
  const third = (await sup.get(`/api/v1/apis/manifests/${r2.json.manifests[0].id}`)).json.persons[2];
  assert.equal(third.surnames, "O'BRIEN");

  // a cancellation (BGM 1225 = 1) withdraws it
  const r3 = await post(carrier, paxlst({ fn: '1' }));
  assert.equal(r3.status, 201, JSON.stringify(r3.json));
  assert.equal(r3.json.manifests[0].action, 'cancelled');
  assert.equal((await sup.get(`/api/v1/apis/manifests?flight=TA101&date=${day}`)).json.items.length, 0);
  const all = await sup.get(`/api/v1/apis/manifests?flight=TA101&date=${day}&status=all`);
  assert.deepEqual(all.json.items.map((x) => x.status).sort(), ['cancellation', 'cancelled', 'replaced']);

  // another date is another manifest
  const r4 = await post(carrier, paxlst({ days: 4 }));
  assert.equal(r4.json.manifests[0].action, 'created');
});

// PAXLST fixes no order for a traveler's DOC groups, and some airlines send
// the visa first: its number was stored as the travel document (the
// booth's passport never matched it) and the passport after it dropped.
test('a visa sent before the passport: the passport is the travel document, the visa an other document', async () => {
  const VISA_FIRST = { sur: 'MAMANI', given: 'LUIS', birth: '800505', sex: 'M', nat: 'BOL',
    docs: [{ type: 'V', number: 'SLV-V-7788' }, { type: 'P', number: 'bo 55012', state: 'bol' }, { type: 'C', number: 'X#1' }] };
  const PLAIN = { sur: 'PEREZ', given: 'ANA', birth: '850614', sex: 'F', nat: 'SLV', doc: 'A2000' };
  const ONLY_VISA = { sur: 'CHOQUE', given: 'EVA', birth: '900909', sex: 'F', nat: 'BOL', docs: [{ type: 'V', number: 'V9900' }] };
  const r = await post(carrier, paxlstOf('TA909', [VISA_FIRST, PLAIN, ONLY_VISA]));
  assert.equal(r.status, 201, JSON.stringify(r.json));
  // the third DOC's number the rule refuses: dropped, said for that DOC
  const w = r.json.warnings.filter((x) => x.code === 'invalid_document_number');
  assert.deepEqual(w.map((x) => [x.tag, x.element, x.field]), [['DOC', 'DOC+2:1', 'other_documents']], JSON.stringify(r.json.warnings));
  const m = await ofi.get(`/api/v1/apis/manifests/${r.json.manifests[0].id}`);
  assert.equal(m.status, 200, JSON.stringify(m.json));
  const [a, b, c] = m.json.persons;
  assert.deepEqual([a.doc_type, a.doc_number, a.doc_issuing_state], ['P', 'BO55012', 'BOL']);
  assert.deepEqual(a.other_documents, [
    { type: 'V', number: 'SLVV7788', issuing_state: 'BOL', expiry: '2030-01-01' },
    { type: 'C', number: null, issuing_state: 'BOL', expiry: '2030-01-01' }]);
  assert.deepEqual([b.doc_number, b.other_documents], ['A2000', []]);
  // only a visa: stored as the travel document, as before
  assert.deepEqual([c.doc_type, c.doc_number, c.other_documents], ['V', 'V9900', []]);
});

test('a broken manifest is kept as received, reported, and not ingested', async () => {
  const bad = paxlst({ flight: 'TA202', birth: '851399' });
  const r = await post(carrier, bad);
  assert.equal(r.status, 422, JSON.stringify(r.json));
  assert.equal(r.json.error.code, 'manifest_rejected');
  assert.equal(r.json.status, 'rejected');
  const e = r.json.errors.find((x) => x.code === 'invalid_date');
  assert.ok(e, JSON.stringify(r.json.errors));
  assert.equal(e.segment, 12); // UNB 1, UNH 2, ... the first passenger's DTM+329
  assert.equal(e.element, 'DTM+1:2');
  assert.equal(r.json.manifests.length, 0);
  assert.equal((await sup.get('/api/v1/apis/manifests?flight=TA202&status=all')).json.items.length, 0);
  const kept = await sup.get(`/api/v1/apis/interchanges/${r.json.id}`);
  assert.equal(kept.status, 200);
  assert.equal(kept.json.status, 'rejected');
  assert.equal(Buffer.from(kept.json.raw_base64, 'base64').toString('utf8'), bad);
  assert.equal(kept.json.raw_bytes, Buffer.byteLength(bad));
  // the list as received names the passengers: its read is audited, like
  // the parsed manifest's
  const trail = await admin.get(`/api/v1/audit?record_type=apis_interchange&record_id=${r.json.id}`);
  assert.equal(trail.status, 200);
  assert.deepEqual(trail.json.items.filter((e) => e.action === 'apis.interchange.read').map((e) => e.user), ['apis_sup'],
    JSON.stringify(trail.json.items));

  // not EDIFACT at all: kept too
  const junk = await post(carrier, 'hola');
  assert.equal(junk.status, 422);
  assert.equal(junk.json.error.code, 'not_edifact');
  assert.equal((await sup.get(`/api/v1/apis/interchanges/${junk.json.id}`)).json.raw_bytes, 4);

  // a flight already gone
  const past = await post(carrier, paxlst({ flight: 'TA303', days: -3 }));
  assert.equal(past.status, 422);
  assert.ok(past.json.errors.some((x) => x.code === 'flight_in_past'));

  // truncated in transit
  const cut = paxlst({ flight: 'TA404' });
  const t = await post(carrier, cut.slice(0, cut.length - 40));
  assert.equal(t.status, 422);
  assert.ok(t.json.errors.some((x) => x.code === 'truncated'));
  assert.equal((await sup.get('/api/v1/apis/manifests?flight=TA404&status=all')).json.items.length, 0);
});

test('wrong counts are warnings: the manifest is kept and ingested', async () => {
  const body = paxlst({ flight: 'TA505' }).replace(/CNT\+42:2/, 'CNT+42:7');
  const r = await post(carrier, body);
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.ok(r.json.warnings.some((w) => w.code === 'count_mismatch'));
});

test('a carrier sends only its own flights; only carriers and staff with the permission', async () => {
  const other = await post(carrier, paxlst({ flight: 'XX900', carrierCode: 'XX' }));
  assert.equal(other.status, 403);
  assert.equal(other.json.error.code, 'carrier_mismatch');
  assert.equal((await sup.get(`/api/v1/apis/interchanges/${other.json.id}`)).json.status, 'rejected');

  assert.equal((await carrier.get('/api/v1/apis/manifests')).status, 403);
  assert.equal((await carrier.get('/api/v1/org/units')).status, 403);
  assert.equal((await post(ofi, paxlst())).status, 403);
  assert.equal((await post(new Client(srv.url), paxlst())).status, 401);

  // a transportista without an airline may not send
  await addUser(admin, 'aerolinea_sin', 'transportista', PW, unit, 'aerolinea_sin');
  const none = tokenClient('aerolinea_sin');
  const r = await post(none, paxlst());
  assert.equal(r.status, 403);
  assert.equal(r.json.error.code, 'no_carrier');

  const bad = await admin.post('/api/v1/apis/carriers', { username: 'aerolinea_sin', carrier: 't!' });
  assert.equal(bad.status, 422);
  const nouser = await admin.post('/api/v1/apis/carriers', { username: 'nadie', carrier: 'TA' });
  assert.equal(nouser.status, 404);
});

test('the spool directory: files dropped by a gateway are ingested and set aside', async () => {
  const spool = mkdtempSync(path.join(tmpdir(), 'sigm-spool-'));
  const s2 = await startServer({ env: { SIGM_APIS_SPOOL: spool, SIGM_APIS_SPOOL_MS: '100' } });
  try {
    const a = new Client(s2.url);
    await a.login('admin', ADMIN_PASSWORD);
    const u = (await a.get('/api/v1/org/units')).json[0].code;
    assert.equal((await a.post('/api/v1/users', { username: 'spool_sup', display_name: 'x', unit: u, roles: ['supervisor_control'], password: PW })).status, 201);
    const s = new Client(s2.url);
    await s.login('spool_sup', PW);
    // written under a temporary name, then renamed: never read half-written
    writeFileSync(path.join(spool, 'TA606.edi.tmp'), paxlst({ flight: 'TA606' }));
    writeFileSync(path.join(spool, 'broken.edi'), paxlst({ flight: 'TA707', birth: '850230' }));
    renameSync(path.join(spool, 'TA606.edi.tmp'), path.join(spool, 'TA606.edi'));
    const wait = async (sub, n) => {
      for (let i = 0; i < 100; i++) {
        // a name starting with "." is a report still being written (apis_spool.c
        // writes .ID-name.errors.json.tmp, then renames it): not there yet
        const f = readdirSync(path.join(spool, sub)).filter((x) => !x.startsWith('.'));
        if (f.length >= n) return f;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`nothing in ${sub}`);
    };
    const done = await wait('done', 1);
    assert.match(done[0], /^\d+-TA606\.edi$/);
    const rejected = (await wait('rejected', 2)).sort();
    assert.match(rejected[0], /^\d+-broken\.edi$/);
    assert.equal(rejected[1], rejected[0] + '.errors.json');
    const report = JSON.parse(readFileSync(path.join(spool, 'rejected', rejected[1]), 'utf8'));
    assert.equal(report.status, 'rejected');
    assert.ok(report.errors.some((e) => e.code === 'invalid_date' && e.segment === 12));
    assert.deepEqual(readdirSync(spool).sort(), ['done', 'rejected']);
    const list = await s.get('/api/v1/apis/manifests?flight=TA606');
    assert.equal(list.json.items.length, 1);
    assert.equal(list.json.items[0].passengers, 2);
    const id = Number(rejected[0].split('-')[0]);
    const kept = await s.get(`/api/v1/apis/interchanges/${id}`);
    assert.equal(kept.json.source, 'spool');
    assert.equal(kept.json.file_name, 'broken.edi');
    assert.equal(kept.json.status, 'rejected');
    assert.ok(kept.json.errors.some((e) => e.code === 'invalid_date' && e.element === 'DTM+1:2'));
  } finally {
    await s2.stop();
    rmSync(spool, { recursive: true, force: true });
  }
});
