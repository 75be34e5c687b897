// A court's exit ban, an alert or a report of the document stolen,
// registered while the booth inspects the traveler it names: the booth's
// decision was taken on the registries read before, and its write came
// after.  An admission written after the record was (the audit's order is
// the order of the writes) must have weighed it: the crossing is refused
// (409 registry_changed, nothing recorded) and the booth inspects again.
// Fired many times, one request a few milliseconds behind the other, so that
// some reads fall before the record's write and some writes after it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';

let srv, ofi, sup, sec;
const PW = 'Carrera-Paralela-2026';
before(async () => {
  srv = await startServer();
  ofi = await staffUser(srv.url, 'cr_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'cr_sup', 'supervisor_control', PW);
  sec = await staffUser(srv.url, 'cr_sec', 'secretaria_general', PW, 'SG');
});
after(async () => { await srv.stop(); });

// rows "a|b" of a query straight to the database
const rows = (q) => { const r = srv.sql(q); assert.equal(r.status, 0, r.stderr); return r.stdout.trim().split('\n').filter(Boolean).map((l) => l.split('|')); };
// the position of each write in the audit chain (the order of the
// commits), for the records [type, id] given: "type/id" → seq
const seqsOf = (records) => records.length === 0 ? {} : Object.fromEntries(rows(
  `SELECT record_type, record_id, min(seq) FROM audit_log WHERE ${records.map(([t, id]) => `(record_type = '${t}' AND record_id = '${id}')`).join(' OR ')}
   GROUP BY record_type, record_id`).map(([t, id, seq]) => [`${t}/${id}`, Number(seq)]));

const SURNAMES = ['Abarca', 'Benítez', 'Cañas', 'Durán', 'Escobar', 'Fuentes', 'Guardado', 'Henríquez', 'Iraheta', 'Jovel',
  'Kattán', 'Lemus', 'Menjívar', 'Navas', 'Orellana', 'Portillo', 'Quintanilla', 'Rivas', 'Sosa', 'Turcios',
  'Umaña', 'Valle', 'Wright', 'Ximénez', 'Yanes', 'Zelaya', 'Alfaro', 'Bonilla', 'Cornejo', 'Deras'];
async function race(name, { register, type, traveler, direction, want }) {
  const seen = {};
  // checked against the database once, after the loop (a psql per check
  // was most of this file's time on PostgreSQL)
  const admitted = []; // [inspection id, record id, the booth's answer]
  const numbers = [];
  for (let i = 0; i < 30; i++) {
    const number = `${name}${String(i).padStart(6, '0')}`;
    const base = { port: 'SAL', direction: 'entry', transport: 'TA 390',
      document: { kind: 'passport', code: 'P', number, issuing_state: traveler.nationality, nationality: traveler.nationality, expiry_date: '2031-05-01' },
      // each traveler unlike the others: a near match of an earlier
      // one's record would send them all to secondary
      person: { ...traveler, surnames: `${traveler.surnames} ${SURNAMES[i]}`, birth_date: `19${50 + i}-0${1 + (i % 9)}-1${i % 10}` } };
    if (direction === 'exit') {
      const e = await ofi.post('/api/v1/inspections', base);
      assert.equal(e.json.decision, 'admit', JSON.stringify(e.json));
    }
    // either one a few milliseconds behind the other
    const [dr, db] = i % 2 ? [i % 11, 0] : [0, i % 5];
    const later = (ms, f) => new Promise((r) => setTimeout(r, ms)).then(f);
    const [rec, booth] = await Promise.all([
      later(dr, () => register(number, base.person, i)),
      later(db, () => ofi.post('/api/v1/inspections', { ...base, direction, port: direction === 'exit' ? 'ILO' : 'SAL' })),
    ]);
    assert.equal(rec.status, 201, JSON.stringify(rec.json));
    const k = booth.status === 409 ? booth.json.error.code : booth.json.decision;
    seen[k] = (seen[k] || 0) + 1;
    if (booth.status === 409) {
      assert.equal(booth.json.error.code, 'registry_changed', JSON.stringify(booth.json));
      assert.equal(booth.json.error.field, 'document.number');
      assert.match(booth.json.error.message, new RegExp(`n\\.º ${rec.json.id}\\b`));
      // nothing recorded; inspected again, the record is weighed
      const again = await ofi.post('/api/v1/inspections', { ...base, direction, port: 'ACA', transport: 'Crucero 1' });
      assert.equal(again.json.decision, want, JSON.stringify(again.json));
    }
    if (booth.status === 201 && booth.json.movement_id) admitted.push([booth.json.inspection_id, rec.json.id, booth.json]);
    numbers.push(number);
  }
  // admitted: written before the record, or it was weighed
  const seq = seqsOf(admitted.flatMap(([insp, id]) => [['inspection', insp], [type, id]]));
  for (const [insp, id, answer] of admitted) {
    assert.ok(seq[`inspection/${insp}`] < seq[`${type}/${id}`],
      `${type} ${id} was registered before the admission was written, and not weighed: ${JSON.stringify(answer)}`);
  }
  // one crossing a traveler at most
  const crossings = rows(`SELECT d.number, count(DISTINCT m.id) FROM documents d JOIN movements m ON m.person_id = d.person_id
    WHERE d.number IN (${numbers.map((n) => `'${n}'`).join(', ')}) AND m.direction = '${direction}' GROUP BY d.number`);
  for (const [number, n] of crossings) assert.ok(Number(n) <= 1, `${number}: ${n} ${direction} movements`);
  return seen;
}

test('an exit ban registered while the booth lets the person out: the exit is not written after the ban without weighing it', async () => {
  const seen = await race('XB', {
    type: 'restriction', direction: 'exit', want: 'refuse',
    traveler: { given_names: 'Juan', surnames: 'Impedido', birth_date: '1970-01-01', sex: 'M', nationality: 'SLV' },
    register: (number, _p, i) => sec.post('/api/v1/restrictions', { court: 'Juzgado Primero de Paz', case_number: `XB-${i}`, measure: 'exit_ban', subject: { document_number: number }, effective_from: '2026-01-01' }),
  });
  assert.ok(seen.registry_changed > 0, `the race never happened: ${JSON.stringify(seen)}`);
});

test('an alert registered by name and birth date while the booth admits the entry: the same', async () => {
  const seen = await race('XA', {
    type: 'alert', direction: 'entry', want: 'secondary',
    traveler: { given_names: 'Piotr', surnames: 'Alertado', birth_date: '1971-02-02', sex: 'M', nationality: 'POL' },
    register: (_n, p) => sup.post('/api/v1/alerts', { category: 'interpol_notice', subject: { given_names: p.given_names, surnames: p.surnames, birth_date: p.birth_date }, instructions: 'Verificar con INTERPOL' }),
  });
  assert.ok(seen.registry_changed > 0, `the race never happened: ${JSON.stringify(seen)}`);
});

test('a passport reported stolen while the booth admits it: the same', async () => {
  const seen = await race('XS', {
    type: 'lost_stolen', direction: 'entry', want: 'refuse',
    traveler: { given_names: 'Hans', surnames: 'Gestohlen', birth_date: '1972-03-03', sex: 'M', nationality: 'DEU' },
    register: (number) => sec.post('/api/v1/documents/lost-stolen', { document_number: number, document_type: 'passport', issuing_state: 'DEU', reason: 'stolen' }),
  });
  assert.ok(seen.registry_changed > 0, `the race never happened: ${JSON.stringify(seen)}`);
  const v = srv.cli('audit', 'verify');
  assert.equal(v.status, 0, v.stdout + v.stderr);
});

test('two nodes: an exit ban acknowledged on node A is weighed by node B\'s next exit, whether or not B\'s index has heard of it yet', async () => {
  const b = await startServer({ db: srv.db, env: { SIGM_AUDIT_KEY_FILE: srv.env.SIGM_AUDIT_KEY_FILE || '' } });
  try {
    const ofiB = await staffUser(b.url, 'cr_ofi_b', 'oficial_control', PW);
    const seen = {};
    for (let i = 0; i < 20; i++) {
      const number = `XN${String(i).padStart(6, '0')}`;
      const base = { port: 'SAL', direction: 'entry', transport: 'TA 390',
        document: { kind: 'passport', code: 'P', number, issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-05-01' },
        person: { given_names: 'Ana', surnames: `Nodo ${SURNAMES[i]}`, birth_date: `19${60 + i}-05-05`, sex: 'F', nationality: 'SLV' } };
      assert.equal((await ofiB.post('/api/v1/inspections', base)).json.decision, 'admit');
      const ban = await sec.post('/api/v1/restrictions', { court: 'Juzgado Segundo de Paz', case_number: `XN-${i}`, measure: 'exit_ban', subject: { document_number: number }, effective_from: '2026-01-01' });
      assert.equal(ban.status, 201, JSON.stringify(ban.json));
      // after node A's answer, not at the same time
      const x = await ofiB.post('/api/v1/inspections', { ...base, direction: 'exit', port: 'ILO' });
      const k = x.status === 409 ? x.json.error.code : x.json.decision;
      seen[k] = (seen[k] || 0) + 1;
      assert.ok(k === 'refuse' || k === 'registry_changed', `node B let the person out over the ban node A acknowledged: ${JSON.stringify(x.json)}`);
      assert.equal(x.json.movement_id ?? null, null);
    }
    console.log('two nodes:', JSON.stringify(seen));
  } finally { await b.stop(); }
});
