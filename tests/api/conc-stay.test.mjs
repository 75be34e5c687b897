// Extranjería annuls an extension of stay (prórroga) while the booth lets
// the visitor out: the booth measured the stay with the extension (no
// overstay, admitted) on a read taken before the annulment, and its write
// came after it; the exit went out without the overstay's fine the stay
// now owes.  The booth's write compares the last permitted day with the
// one the decision read: 409 stay_changed, nothing recorded; inspected
// again, the overstay is said (secondary, with its fine).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';

let srv, ofi, sup, dex;
const PW = 'Carrera-Paralela-2026';
before(async () => {
  srv = await startServer();
  ofi = await staffUser(srv.url, 'cs_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'cs_sup', 'supervisor_control', PW);
  dex = await staffUser(srv.url, 'cs_dex', 'extranjeria', PW, 'DEX');
});
after(async () => { await srv.stop(); });

const today = new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10);
const addDays = (d, n) => new Date(Date.parse(d + 'T12:00:00Z') + n * 86400e3).toISOString().slice(0, 10);
// rows "a|b" of a query straight to the database (a psql each on
// PostgreSQL: the file writes and checks all travelers in one query each)
const rows = (q) => { const r = srv.sql(q); assert.equal(r.status, 0, r.stderr); return r.stdout.trim().split('\n').filter(Boolean).map((l) => l.split('|')); };

const N = 30;
test('an extension annulled while the booth lets the visitor out: the exit is not written on the stay as it was', async () => {
  const seen = {};
  const travelers = [];
  for (let i = 0; i < N; i++) {
    const base = { port: 'SAL', direction: 'entry', transport: 'CM 390',
      document: { kind: 'passport', code: 'P', number: `PR${String(i).padStart(7, '0')}`, issuing_state: 'CHN', nationality: 'CHN', expiry_date: '2031-05-01' },
      person: { given_names: 'Wei', surnames: `Prorroga${i}`, birth_date: `19${60 + i}-02-02`, sex: 'M', nationality: 'CHN' } };
    // the person on file (a case refused)
    const c = await ofi.post('/api/v1/inspections', base);
    assert.equal((await sup.post(`/api/v1/inspections/${c.json.inspection_id}/resolve`,
      { resolution: 'refuse', legal_ground: 'Sin visa', carrier: 'Copa', return_transport: 'CM 391' })).status, 200);
    travelers.push({ base, pid: c.json.person_id, doc: c.json.document_id });
  }
  // then, for each, an entry of 100 days ago with 90 days' stay written
  // behind the server's back
  const past = `${addDays(today, -100)}T10:00:00.000Z`;
  rows(travelers.map(({ pid, doc }) =>
    `INSERT INTO movements (person_id, document_id, direction, port, at, day, officer, decision, permitted_stay_days, created_at) VALUES (${pid}, ${doc}, 'entry', 'SAL', '${past}', '${addDays(today, -100)}', 't', 'admit', 90, '${past}');`
    + `INSERT INTO presence (person_id, inside, since, port, permitted_until, movement_id) SELECT ${pid}, 1, '${past}', 'SAL', '${addDays(today, -11)}', max(id) FROM movements WHERE person_id = ${pid}`
    + ' ON CONFLICT (person_id) DO UPDATE SET inside = excluded.inside, since = excluded.since, port = excluded.port, permitted_until = excluded.permitted_until, movement_id = excluded.movement_id;').join(''));
  const bothWritten = []; // [person, exit inspection, answers]
  const refusedExits = []; // persons whose exit was refused with 409
  for (let i = 0; i < N; i++) {
    const { base, pid } = travelers[i];
    // asked for in time: 30 days more, no overstay today
    const ext = await dex.post(`/api/v1/persons/${pid}/stay-extensions`, { days: 30, resolution: `DEX-PR-${i}`, requested_on: addDays(today, -15) });
    assert.equal(ext.status, 201, JSON.stringify(ext.json));
    const later = (ms, f) => new Promise((r) => setTimeout(r, ms)).then(f);
    const [dx, db] = i % 2 ? [i % 4, 0] : [0, i % 4];
    const [an, out] = await Promise.all([
      later(dx, () => dex.post(`/api/v1/stay-extensions/${ext.json.id}/annul`, { reason: 'Resolución revocada' })),
      later(db, () => ofi.post('/api/v1/inspections', { ...base, direction: 'exit' })),
    ]);
    const k = `${an.status}/${out.status === 409 ? out.json.error.code : out.json.decision}`;
    seen[k] = (seen[k] || 0) + 1;
    if (out.status === 201 && out.json.movement_id && an.status === 200)
      bothWritten.push([pid, out.json.inspection_id, JSON.stringify([an.json, out.json])]);
    if (out.status === 409) {
      assert.equal(out.json.error.code, 'stay_changed', JSON.stringify(out.json));
      assert.equal(out.json.error.field, 'document.number');
      refusedExits.push(pid);
      const again = await ofi.post('/api/v1/inspections', { ...base, direction: 'exit' });
      assert.equal(again.json.decision, 'secondary', JSON.stringify(again.json));
      assert.ok(again.json.reasons.some((x) => x.code === 'overstay'), JSON.stringify(again.json.reasons));
    }
  }
  // both written: the exit must have come first (the annulment is
  // refused once the person left, 409 stay_over), or weighed the stay
  if (bothWritten.length) {
    const seq = Object.fromEntries(rows(`SELECT action, record_id, min(seq) FROM audit_log
      WHERE (action = 'stay_extension.annul' AND record_type = 'person' AND record_id IN (${bothWritten.map(([pid]) => `'${pid}'`).join(', ')}))
         OR (action = 'inspection.create' AND record_id IN (${bothWritten.map(([, insp]) => `'${insp}'`).join(', ')}))
      GROUP BY action, record_id`).map(([a, id, n]) => [`${a}/${id}`, Number(n)]));
    for (const [pid, insp, answers] of bothWritten) {
      assert.ok(seq[`inspection.create/${insp}`] < seq[`stay_extension.annul/${pid}`],
        `the exit was written after the annulment, on the extended stay, without its fine: ${answers}`);
    }
  }
  // an exit refused (409) wrote nothing, and the booth's second look
  // (secondary) nothing either
  if (refusedExits.length) {
    assert.deepEqual(rows(`SELECT person_id, count(*) FROM movements WHERE direction = 'exit' AND person_id IN (${refusedExits.join(', ')}) GROUP BY person_id`), []);
  }
  assert.ok(seen['200/stay_changed'] > 0, `the race never happened: ${JSON.stringify(seen)}`);
  const v = srv.cli('audit', 'verify');
  assert.equal(v.status, 0, v.stdout + v.stderr);
});

// An extension whose entry was voided since (a supervisor's correction)
// was refused saying «hay una salida registrada después» when no exit was
// on record; with the entry gone, a new grant said «no tiene movimientos
// registrados» of a person with movements (voided).  Each says what is so.
test('an extension whose entry was voided: the refusal says the entry was voided, not an exit', async () => {
  const at = `${addDays(today, -10)}T16:00Z`;
  const e = await sup.post('/api/v1/movements/contingency', { port: 'AMA', direction: 'entry', at, permitted_stay_days: 30,
    reference: 'FC-CS-V1', reason: 'Caída del enlace', transport: 'Bus 7',
    document: { kind: 'passport', code: 'P', number: 'PRV000001', issuing_state: 'CHN', nationality: 'CHN', expiry_date: '2031-05-01' },
    person: { given_names: 'Li', surnames: 'Anulada', birth_date: '1980-03-03', sex: 'F', nationality: 'CHN' } });
  assert.equal(e.status, 201, JSON.stringify(e.json));
  const ext = await dex.post(`/api/v1/persons/${e.json.person_id}/stay-extensions`, { days: 10, resolution: 'DEX-V-1' });
  assert.equal(ext.status, 201, JSON.stringify(ext.json));
  const v = await sup.post(`/api/v1/movements/${e.json.movement_id}/corrections`, { reason: 'Registrada dos veces' });
  assert.equal(v.status, 201, JSON.stringify(v.json));
  const an = await dex.post(`/api/v1/stay-extensions/${ext.json.id}/annul`, { reason: 'Resolución revocada' });
  assert.deepEqual([an.status, an.json.error.code], [409, 'stay_over'], JSON.stringify(an.json));
  assert.equal(an.json.error.message, `la entrada que prorrogaba (movimiento n.º ${e.json.movement_id}) fue anulada por la corrección n.º ${v.json.id}: la prórroga queda como estaba`);
  const again = await dex.post(`/api/v1/persons/${e.json.person_id}/stay-extensions`, { days: 10, resolution: 'DEX-V-2' });
  assert.deepEqual([again.status, again.json.error.code], [409, 'not_inside'], JSON.stringify(again.json));
  assert.match(again.json.error.message, /no tiene movimientos vigentes \(ninguno registrado, o todos anulados\)/);
});
