// APIS screening (issue 7, parts 3-4): a manifest is screened when it
// arrives (watch lists, exact lost/stolen check, nationality rules); the
// desk reads the hits most severe first and reviews them; a re-screen keeps
// reviewed hits; the booth sees the pre-check and the review; the
// reconciliation lists no-shows and travelers not on the manifest.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD, ENGINE, carrierUser, staffUser } from '../lib/server.mjs';

let srv, admin, carrier, sup, ofi, pas, uaip, unit;
const PW = 'Turno-Seguro-2026';

// El Salvador (UTC-6) day and "YYMMDDHHMM", n days from today.
const local = (days) => new Date(Date.now() - 6 * 3600000 + days * 86400000);
const p2 = (x) => String(x).padStart(2, '0');
const isoDay = (days) => local(days).toISOString().slice(0, 10);
const stamp = (days, hhmm) => { const d = local(days); return `${p2(d.getUTCFullYear() % 100)}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}${hhmm}`; };

// persons: {sur, given, birth: 'YYMMDD', sex, nat, doc, issuer}, or with
// several DOC groups as sent, docs: [{type, number, state}]
function paxlst({ flight, days = 0, persons, from = 'GUA', to = 'SAL', charset = 'UNOA' }) {
  const segs = [
    `UNB+${charset}:4+TAIRLINE+SLVAPIS+261125:1200+R1`,
    'UNH+M1+PAXLST:D:05B:UN:IATA',
    'BGM+745',
    'NAD+MS+++OPS',
    `TDT+20+${flight}+++TA`,
    `LOC+125+${from}`, `DTM+189:${stamp(days, '2300')}:201`,
    `LOC+87+${to}`, `DTM+232:${stamp(days, '2359')}:201`,
  ];
  for (const p of persons) {
    segs.push(`NAD+FL+++${p.sur}:${p.given}`, `ATT+2++${p.sex || 'F'}`, `DTM+329:${p.birth}`, `NAT+2+${p.nat}`);
    for (const d of p.docs || [{ type: 'P', number: p.doc, state: p.issuer }])
      segs.push(`DOC+${d.type}+${d.number}`, 'DTM+36:300101', `LOC+91+${d.state || p.nat}`);
  }
  segs.push(`CNT+42:${persons.length}`);
  segs.push(`UNT+${segs.length - 1 + 1}+M1`, 'UNZ+1+R1');
  return "UNA:+.? '" + segs.map((s) => s + "'").join('\n') + '\n';
}
const send = (body) => carrier.req('POST', '/api/v1/apis/manifests', body, { 'content-type': 'application/edifact' });

before(async () => {
  srv = await startServer();
  admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  unit = (await admin.get('/api/v1/org/units')).json[0].code;
  carrier = await carrierUser(srv, 'scr_ta', 'TA', PW, { unit });
  sup = await staffUser(admin, 'scr_sup', 'supervisor_control', PW, unit, 'scr_sup');
  ofi = await staffUser(admin, 'scr_ofi', 'oficial_control', PW, unit, 'scr_ofi');
  pas = await staffUser(admin, 'scr_pas', 'pasaportes', PW, unit, 'scr_pas');
  uaip = await staffUser(admin, 'scr_uaip', 'uaip', PW, unit, 'scr_uaip');
});
after(async () => { await srv.stop(); });

const ANA = { sur: 'PEREZ', given: 'ANA', birth: '850614', nat: 'SLV', doc: 'A1000' };
const WANTED = { sur: 'XICARA', given: 'RIGOBERTO', birth: '770309', sex: 'M', nat: 'GTM', doc: 'G5550001' };
const STOLEN = { sur: 'LOPEZ', given: 'JUAN', birth: '900101', sex: 'M', nat: 'SLV', doc: 'C1234567' };
const CHINESE = { sur: 'WANG', given: 'LI', birth: '880202', nat: 'CHN', doc: 'E9876543' };

test('a German passport reported stolen as "D" is found on a manifest that writes "D" too', async () => {
  const ls = await pas.post('/api/v1/documents/lost-stolen', { document_number: 'C01X00T47', document_type: 'passport', issuing_state: 'D', reason: 'stolen' });
  assert.equal(ls.status, 201, JSON.stringify(ls.json));
  const r = await send(paxlst({ flight: 'TA209', persons: [{ sur: 'MUSTERMANN', given: 'ERIKA', birth: '640812', nat: 'D', doc: 'C01X00T47' }] }));
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const h = await ofi.get(`/api/v1/apis/manifests/${r.json.manifests[0].id}/hits`);
  assert.ok(h.json.hits.some((x) => x.record_ref === `lost_stolen:${ls.json.id}`), JSON.stringify(h.json.hits));
  // and Germany is a visa-exempt country, not one without rules
  assert.ok(!h.json.hits.some((x) => x.category === 'visa/unknown'), JSON.stringify(h.json.hits));
});

test('a manifest in lower case (UNOB) finds the stolen passport: its codes and number kept as the registers keep them', async () => {
  const ls = await pas.post('/api/v1/documents/lost-stolen', { document_number: 'AB7770001', document_type: 'passport', issuing_state: 'USA', reason: 'stolen' });
  assert.equal(ls.status, 201, JSON.stringify(ls.json));
  const r = await send(paxlst({ flight: 'TA219', charset: 'UNOB', persons: [{ sur: 'Smith', given: 'John', birth: '700101', sex: 'M', nat: 'usa', doc: 'ab-7770001' }] }));
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const h = (await ofi.get(`/api/v1/apis/manifests/${r.json.manifests[0].id}/hits`)).json.hits;
  assert.ok(h.some((x) => x.record_ref === `lost_stolen:${ls.json.id}`), JSON.stringify(h));
  // the United States has its rules: not a country the tables do not know
  assert.ok(!h.some((x) => x.category === 'visa/unknown'), JSON.stringify(h));
  const q = srv.sql(`SELECT nationality || '|' || doc_issuing_state || '|' || doc_number FROM apis_persons WHERE manifest_id = ${r.json.manifests[0].id}`);
  assert.equal(q.stdout.trim(), 'USA|USA|AB7770001');
});

// Every document of a traveler is checked against the lost/stolen registry:
// before, only the first DOC was kept, and a stolen passport sent after
// another document (here a second passport, then a visa) went unscreened.
test('a stolen passport sent as a traveler\'s second document is a hit naming that document, at ingest and on a re-screen', async () => {
  const ls = await pas.post('/api/v1/documents/lost-stolen', { document_number: 'G7001234', document_type: 'passport', issuing_state: 'GTM', reason: 'stolen' });
  assert.equal(ls.status, 201, JSON.stringify(ls.json));
  const TWO = { sur: 'AJQUI', given: 'MARIO', birth: '810101', sex: 'M', nat: 'GTM',
    docs: [{ type: 'P', number: 'G7009999' }, { type: 'P', number: 'G7001234' }, { type: 'V', number: 'V55501' }] };
  const r = await send(paxlst({ flight: 'TA229', persons: [TWO] }));
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const mid = r.json.manifests[0].id;
  const check = async () => {
    const h = (await ofi.get(`/api/v1/apis/manifests/${mid}/hits`)).json.hits;
    const hit = h.find((x) => x.record_ref === `lost_stolen:${ls.json.id}`);
    assert.ok(hit, JSON.stringify(h));
    assert.equal(hit.severity, 'critical');
    // the traveler's travel document is the first passport; the hit names the other
    assert.equal(hit.doc_number, 'G7009999');
    assert.equal(hit.explanation.document_number, 'G7001234');
    assert.deepEqual(hit.explanation.document, { listed_as: 'other_document', doc_seq: 2, doc_type: 'P' });
  };
  await check();
  const rs = await ofi.post(`/api/v1/apis/manifests/${mid}/screen`, {});
  assert.equal(rs.status, 200, JSON.stringify(rs.json));
  await check();
});

test('a manifest is screened at ingest; hits most severe first, explained; review; re-screen keeps the review', async () => {
  const al = await sup.post('/api/v1/alerts', {
    category: 'arrest_warrant', subject: { given_names: 'Rigoberto', surnames: 'Xicará', birth_date: '1977-03-09', sex: 'M' },
    instructions: 'Retener y avisar a la PNC', valid_until: '2099-01-01',
  });
  assert.equal(al.status, 201, JSON.stringify(al.json));
  const ls = await pas.post('/api/v1/documents/lost-stolen', { document_number: 'C1234567', document_type: 'passport', issuing_state: 'SLV', reason: 'stolen' });
  assert.equal(ls.status, 201, JSON.stringify(ls.json));

  const r = await send(paxlst({ flight: 'TA201', persons: [ANA, WANTED, STOLEN, CHINESE] }));
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const m = r.json.manifests[0];
  assert.equal(m.screening.persons, 4);
  assert.equal(m.screening.index, true);
  assert.ok(m.screening.hits >= 3, JSON.stringify(m.screening));
  assert.ok(m.screening.by_severity.critical >= 2, JSON.stringify(m.screening));

  const h = await ofi.get(`/api/v1/apis/manifests/${m.id}/hits`);
  assert.equal(h.status, 200, JSON.stringify(h.json));
  assert.ok(h.json.screened_at);
  const hits = h.json.hits;
  const rank = { critical: 4, high: 3, medium: 2, low: 1 };
  for (let i = 1; i < hits.length; i++) assert.ok(rank[hits[i - 1].severity] >= rank[hits[i].severity], JSON.stringify(hits));
  const warrant = hits.find((x) => x.record_ref === `alert:${al.json.id}`);
  assert.ok(warrant, JSON.stringify(hits));
  assert.equal(warrant.severity, 'critical');
  assert.equal(warrant.category, 'alert/arrest_warrant');
  assert.equal(warrant.surnames, 'XICARA');
  assert.ok(warrant.score >= 73);
  assert.ok(warrant.explanation.tokens.some((t) => t.entry === 'xicara'));
  const stolen = hits.find((x) => x.record_ref === `lost_stolen:${ls.json.id}`);
  assert.ok(stolen, JSON.stringify(hits));
  assert.equal(stolen.severity, 'critical');
  assert.equal(stolen.explanation.match, 'exact');
  assert.equal(stolen.doc_number, 'C1234567');
  const visa = hits.find((x) => x.surnames === 'WANG');
  assert.ok(visa, JSON.stringify(hits));
  assert.equal(visa.category, 'visa/consultada');
  assert.equal(visa.severity, 'medium');
  assert.ok(!hits.some((x) => x.surnames === 'PEREZ'), 'a national with nothing against her has no hit');

  // the read of personal data is audited
  const audit = await admin.get('/api/v1/audit?action=apis.hits.read');
  if (audit.status === 200) assert.ok(JSON.stringify(audit.json).includes('apis.hits.read'));

  // review: officers and supervisors; bad input; others refused
  assert.equal((await uaip.post(`/api/v1/apis/hits/${warrant.id}/review`, { decision: 'cleared' })).status, 403);
  assert.equal((await ofi.post(`/api/v1/apis/hits/${warrant.id}/review`, { decision: 'maybe' })).status, 422);
  assert.equal((await ofi.post('/api/v1/apis/hits/999999/review', { decision: 'cleared' })).status, 404);
  // an arrest warrant is set aside by a supervisor, not by the officer at the desk
  const notMine = await ofi.post(`/api/v1/apis/hits/${warrant.id}/review`, { decision: 'cleared', note: 'No es él' });
  assert.deepEqual([notMine.status, notMine.json.error.code, notMine.json.error.field], [403, 'supervisor_required', 'decision']);
  assert.equal((await sup.get(`/api/v1/apis/manifests/${m.id}/hits`)).json.hits.find((x) => x.id === warrant.id).review, null, 'nothing recorded');
  const rv = await ofi.post(`/api/v1/apis/hits/${warrant.id}/review`, { decision: 'secondary', note: 'Orden de captura vigente: a secundaria' });
  assert.equal(rv.status, 200, JSON.stringify(rv.json));
  assert.equal(rv.json.review, 'secondary');
  assert.equal(rv.json.reviewed_by, 'scr_ofi');
  const cl = await sup.post(`/api/v1/apis/hits/${visa.id}/review`, { decision: 'cleared', note: 'Visa consultada aprobada' });
  assert.equal(cl.status, 200, JSON.stringify(cl.json));

  // the alert is cancelled: a re-screen drops its hit, keeps the others with their review
  assert.equal((await uaip.post(`/api/v1/apis/manifests/${m.id}/screen`, {})).status, 403);
  assert.equal((await sup.post(`/api/v1/alerts/${al.json.id}/cancel`, { reason: 'Capturado' })).status, 200);
  const rs = await sup.post(`/api/v1/apis/manifests/${m.id}/screen`, {});
  assert.equal(rs.status, 200, JSON.stringify(rs.json));
  const h2 = (await sup.get(`/api/v1/apis/manifests/${m.id}/hits`)).json.hits;
  assert.ok(!h2.some((x) => x.record_ref === `alert:${al.json.id}`), JSON.stringify(h2));
  const visa2 = h2.find((x) => x.id === visa.id);
  assert.ok(visa2, JSON.stringify(h2));
  assert.equal(visa2.review, 'cleared');
  assert.equal(visa2.review_note, 'Visa consultada aprobada');
  assert.equal((await ofi.post(`/api/v1/apis/hits/${warrant.id}/review`, { decision: 'cleared' })).status, 409);

  // a replaced manifest is not re-screened; unknown ids are 404
  assert.equal((await sup.post('/api/v1/apis/manifests/999999/screen', {})).status, 404);
  assert.equal((await sup.get('/api/v1/apis/manifests/999999/hits')).status, 404);
  assert.equal((await uaip.get(`/api/v1/apis/manifests/${m.id}/hits`)).status, 403);
});

// The manifest, its persons and its hits are one write (one transaction,
// one fsync); a screening that fails there is rolled back alone: the
// manifest is stored and acknowledged, the answer says the screening
// failed, and the desk's re-screen stores the hits.
test('the hits are stored in the manifest\'s own write; a failing screening keeps the manifest', async () => {
  const q = (s) => { const r = srv.sql(s); assert.equal(r.status, 0, r.stderr); return r.stdout.trim(); };
  const r = await send(paxlst({ flight: 'TA295', persons: [ANA, CHINESE] }));
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const m = r.json.manifests[0];
  assert.equal(m.action, 'created');
  assert.equal(m.screening.persons, 2);
  assert.equal(m.screening.hits, 1, JSON.stringify(m.screening));
  assert.equal(m.screening.by_severity.medium, 1);
  const h = await ofi.get(`/api/v1/apis/manifests/${m.id}/hits`);
  assert.equal(h.json.screened_at, m.screening.screened_at);
  assert.equal(h.json.screen_hits, 1);
  assert.deepEqual(h.json.hits.map((x) => [x.surnames, x.category]), [['WANG', 'visa/consultada']]);
  assert.equal(q(`SELECT COUNT(*) FROM audit_log WHERE action = 'apis.screen' AND record_id = '${m.id}'`), '1');

  // every insert of a hit fails, behind the server's back
  q(ENGINE === 'pg'
    ? "CREATE FUNCTION apis_hits_fail() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'fallo inyectado'; END$$;"
      + ' CREATE TRIGGER apis_hits_fail BEFORE INSERT ON apis_hits FOR EACH ROW EXECUTE FUNCTION apis_hits_fail();'
    : "CREATE TRIGGER apis_hits_fail BEFORE INSERT ON apis_hits BEGIN SELECT RAISE(ABORT, 'fallo inyectado'); END;");
  const f = await send(paxlst({ flight: 'TA296', persons: [ANA, CHINESE] }));
  assert.equal(f.status, 201, JSON.stringify(f.json));
  const fm = f.json.manifests[0];
  assert.equal(fm.action, 'created');
  assert.equal(typeof fm.screening.error, 'string', JSON.stringify(fm.screening));
  assert.equal(fm.screening.hits, undefined);
  const got = await ofi.get(`/api/v1/apis/manifests/${fm.id}`);
  assert.equal(got.status, 200, JSON.stringify(got.json));
  assert.deepEqual(got.json.persons.map((x) => x.surnames), ['PEREZ', 'WANG']);
  const fh = await ofi.get(`/api/v1/apis/manifests/${fm.id}/hits`);
  assert.equal(fh.json.screened_at, null);
  assert.deepEqual(fh.json.hits, []);
  assert.equal(q(`SELECT COUNT(*) FROM audit_log WHERE action = 'apis.screen' AND record_id = '${fm.id}'`), '0');
  assert.equal(q(`SELECT COUNT(*) FROM audit_log WHERE action = 'apis.receive' AND record_id = '${f.json.id}'`), '1');

  q(ENGINE === 'pg' ? 'DROP TRIGGER apis_hits_fail ON apis_hits; DROP FUNCTION apis_hits_fail();' : 'DROP TRIGGER apis_hits_fail;');
  const rs = await sup.post(`/api/v1/apis/manifests/${fm.id}/screen`, {});
  assert.equal(rs.status, 200, JSON.stringify(rs.json));
  assert.equal(rs.json.hits, 1);
  const fh2 = (await ofi.get(`/api/v1/apis/manifests/${fm.id}/hits`)).json.hits;
  assert.deepEqual(fh2.map((x) => x.surnames), ['WANG']);
});

const inspect = (transport, p, doc, port = 'SAL', direction = 'entry') => ofi.post('/api/v1/inspections', {
  port, direction, transport,
  document: { kind: 'passport', code: 'P', number: doc, issuing_state: p.nationality, nationality: p.nationality, expiry_date: '2031-05-01' },
  person: { sex: 'M', ...p },
});

test('at the booth: pre-checked passengers, the desk\'s secondary, travelers not on the manifest; reconciliation', async () => {
  const USA1 = { sur: 'SMITH', given: 'JOHN', birth: '750302', sex: 'M', nat: 'USA', doc: 'U1110001' };
  const USA2 = { sur: 'DOE', given: 'RICHARD', birth: '800101', sex: 'M', nat: 'USA', doc: 'U1110002' };
  const USA3 = { sur: 'ROE', given: 'MARK', birth: '810101', sex: 'M', nat: 'USA', doc: 'U1110003' };
  const al = await sup.post('/api/v1/alerts', {
    category: 'other', subject: { given_names: 'Richard', surnames: 'Doe', birth_date: '1980-01-01', sex: 'M' },
    instructions: 'Entrevistar', valid_until: '2099-01-01',
  });
  assert.equal(al.status, 201, JSON.stringify(al.json));
  const r = await send(paxlst({ flight: 'TA301', persons: [USA1, USA2, USA3] }));
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const mid = r.json.manifests[0].id;
  const hits = (await sup.get(`/api/v1/apis/manifests/${mid}/hits`)).json.hits;
  const doe = hits.find((x) => x.record_ref === `alert:${al.json.id}`);
  assert.ok(doe, JSON.stringify(hits));
  assert.equal((await sup.post(`/api/v1/apis/hits/${doe.id}/review`, { decision: 'secondary', note: 'Entrevista en segunda línea' })).status, 200);

  // on the manifest, nothing against him: admitted, linked, pre-checked
  const a = await inspect('TA 301', { given_names: 'John', surnames: 'Smith', birth_date: '1975-03-02', nationality: 'USA' }, 'U1110001');
  assert.equal(a.status, 201, JSON.stringify(a.json));
  assert.equal(a.json.decision, 'admit', JSON.stringify(a.json));
  assert.equal(a.json.apis.manifest_id, mid);
  assert.equal(a.json.apis.prechecked, true);
  assert.equal(a.json.apis.review, null);
  assert.ok(!a.json.reasons.some((x) => x.code === 'not_on_manifest'));

  // the desk sent Doe to secondary: the booth sees the reason and the note
  const b = await inspect('TA301', { given_names: 'Richard', surnames: 'Doe', birth_date: '1980-01-01', nationality: 'USA' }, 'U1110002');
  assert.equal(b.status, 201, JSON.stringify(b.json));
  assert.equal(b.json.decision, 'secondary');
  const sec = b.json.reasons.find((x) => x.code === 'apis_secondary');
  assert.ok(sec, JSON.stringify(b.json.reasons));
  assert.equal(sec.record, `apis_hit:${doe.id}`);
  assert.equal(b.json.apis.review.decision, 'secondary');
  assert.equal(b.json.apis.review.note, 'Entrevista en segunda línea');

  // not on the manifest of the flight given: a warning, still admitted
  const c = await inspect('TA 301', { given_names: 'Paul', surnames: 'Stranger', birth_date: '1970-07-07', nationality: 'USA' }, 'U9990001');
  assert.equal(c.status, 201, JSON.stringify(c.json));
  assert.equal(c.json.decision, 'admit');
  const w = c.json.reasons.find((x) => x.code === 'not_on_manifest');
  assert.ok(w, JSON.stringify(c.json.reasons));
  assert.equal(w.severity, 'warning');
  assert.equal(c.json.apis.on_manifest, false);

  // a flight without a manifest: nothing said
  const d = await inspect('ZZ 999', { given_names: 'Ann', surnames: 'Other', birth_date: '1971-07-07', nationality: 'USA' }, 'U9990002');
  assert.equal(d.status, 201, JSON.stringify(d.json));
  assert.equal(d.json.apis, undefined);
  assert.ok(!d.json.reasons.some((x) => x.code === 'not_on_manifest'));

  // a ship or a bus named in words is not looked up (and a cut multi-byte
  // name never reaches the database: PostgreSQL refused it once)
  const e = await inspect('Buque Mercante Río Lempa', { given_names: 'Ann', surnames: 'Sailor', birth_date: '1972-07-07', nationality: 'USA' }, 'U9990003');
  assert.equal(e.status, 201, JSON.stringify(e.json));
  assert.equal(e.json.decision, 'admit', JSON.stringify(e.json.reasons));
  assert.equal(e.json.apis, undefined);

  // reconciliation: Roe never presented; the stranger was not on the manifest
  const rc = await sup.get(`/api/v1/apis/manifests/${mid}/reconciliation`);
  assert.equal(rc.status, 200, JSON.stringify(rc.json));
  assert.equal(rc.json.arrived, 2);
  assert.deepEqual(rc.json.no_shows.map((x) => x.surnames), ['ROE']);
  assert.equal(rc.json.not_on_manifest.length, 1);
  assert.equal(rc.json.not_on_manifest[0].doc_number, 'U9990001');
  assert.equal(rc.json.not_on_manifest[0].inspection_id, c.json.inspection_id);
  assert.equal((await uaip.get(`/api/v1/apis/manifests/${mid}/reconciliation`)).status, 403);
  assert.equal((await sup.get('/api/v1/apis/manifests/999999/reconciliation')).status, 404);
});

test('a part joined to a split list re-screens the whole manifest and keeps the earlier parts\' reviews', async () => {
  // UNH 0068 common access reference and 0070:0073 part, on the same list
  const part = (body, n, status) => body.replace('UNH+M1+PAXLST:D:05B:UN:IATA', `UNH+M1+PAXLST:D:05B:UN:IATA+TA290SET+${n}:${status}`);
  const LIU = { sur: 'LIU', given: 'MEI', birth: '900303', nat: 'CHN', doc: 'E1112223' };
  const r1 = await send(part(paxlst({ flight: 'TA290', persons: [ANA, CHINESE] }), 1, 'C'));
  assert.equal(r1.status, 201, JSON.stringify(r1.json));
  const mid = r1.json.manifests[0].id;
  const wang = (await ofi.get(`/api/v1/apis/manifests/${mid}/hits`)).json.hits.find((x) => x.surnames === 'WANG');
  assert.ok(wang);
  assert.equal((await ofi.post(`/api/v1/apis/hits/${wang.id}/review`, { decision: 'cleared', note: 'Visa aprobada' })).status, 200);

  const r2 = await send(part(paxlst({ flight: 'TA290', persons: [LIU] }), 2, 'F'));
  assert.equal(r2.status, 201, JSON.stringify(r2.json));
  assert.equal(r2.json.manifests[0].action, 'joined');
  assert.equal(r2.json.manifests[0].id, mid);
  assert.equal(r2.json.manifests[0].screening.persons, 3);
  const hits = (await ofi.get(`/api/v1/apis/manifests/${mid}/hits`)).json.hits;
  const w2 = hits.find((x) => x.surnames === 'WANG');
  assert.equal(w2.id, wang.id, 'the part-1 hit is the same row');
  assert.equal(w2.review, 'cleared');
  assert.equal(w2.review_note, 'Visa aprobada');
  const liu = hits.find((x) => x.surnames === 'LIU');
  assert.ok(liu, JSON.stringify(hits));
  assert.equal(liu.review, null);
});

test('the booth links a manifest only at its own airport: arrival LOC on entry (IATA code), departure LOC on exit', async () => {
  const P = (sur, doc) => ({ sur, given: 'LUIS', birth: '800505', sex: 'M', nat: 'USA', doc });
  const person = (sur) => ({ given_names: 'Luis', surnames: sur, birth_date: '1980-05-05', nationality: 'USA' });
  // TA 401 lands at Comalapa (LOC SAL)
  const sal = await send(paxlst({ flight: 'TA401', persons: [P('ALFA', 'U4010001'), P('BRAVO', 'U4010002')] }));
  assert.equal(sal.status, 201, JSON.stringify(sal.json));
  const salId = sal.json.manifests[0].id;
  // the same flight number typed at Ilopango: another flight, no link, no
  // «no figura en el manifiesto» warning for a manifest of another airport
  const ilo = await inspect('TA 401', person('ALFA'), 'U4010001', 'ILO');
  assert.equal(ilo.status, 201, JSON.stringify(ilo.json));
  assert.equal(ilo.json.apis, undefined, JSON.stringify(ilo.json.apis));
  assert.ok(!ilo.json.reasons.some((x) => x.code === 'not_on_manifest'), JSON.stringify(ilo.json.reasons));
  // at Comalapa it links
  const ok = await inspect('TA 401', person('BRAVO'), 'U4010002', 'SAL');
  assert.equal(ok.status, 201, JSON.stringify(ok.json));
  assert.equal(ok.json.apis.manifest_id, salId);
  assert.equal(ok.json.apis.on_manifest, true);
  const rc = (await sup.get(`/api/v1/apis/manifests/${salId}/reconciliation`)).json;
  assert.equal(rc.arrived, 1, 'only the booth at its airport recorded an arrival');
  assert.deepEqual(rc.no_shows.map((x) => x.surnames), ['ALFA']);

  // a manifest naming Ilopango by its IATA code (ILS) links at the post ILO
  const ils = await send(paxlst({ flight: 'TA402', to: 'ILS', persons: [P('CHARLIE', 'U4020001')] }));
  assert.equal(ils.status, 201, JSON.stringify(ils.json));
  const atIlo = await inspect('TA402', person('CHARLIE'), 'U4020001', 'ILO');
  assert.equal(atIlo.json.apis.manifest_id, ils.json.manifests[0].id);
  assert.equal(atIlo.json.apis.on_manifest, true);

  // an outbound flight (departs SAL): linked at the exit booth of SAL only
  const out = await send(paxlst({ flight: 'TA403', from: 'SAL', to: 'MIA', persons: [P('DELTA', 'U4030001'), P('ECO', 'U4030002')] }));
  assert.equal(out.status, 201, JSON.stringify(out.json));
  const entry = await inspect('TA403', person('DELTA'), 'U4030001', 'SAL', 'entry');
  assert.equal(entry.json.apis, undefined, 'an arrival at SAL is not on a list of departures from SAL');
  const exit = await inspect('TA403', person('ECO'), 'U4030002', 'SAL', 'exit');
  assert.equal(exit.status, 201, JSON.stringify(exit.json));
  assert.equal(exit.json.apis.manifest_id, out.json.manifests[0].id);
  assert.equal(exit.json.apis.on_manifest, true);
});
