// The audit of issue 2 §6: who did what to which record, when, from where,
// reads of personal data included; searchable by user, record and date;
// and tampering behind the server's back (an intruder with the sqlite3 CLI,
// or psql on PostgreSQL, who drops the append-only triggers) is detected by
// `sigm audit verify`, which names the first broken entry.  Each tampering
// works on a copy of the stopped server's database: a `sigm backup` file on
// SQLite (the key file travels with it), a CREATE DATABASE … TEMPLATE on
// PostgreSQL (verified with the server's SIGM_AUDIT_KEY_FILE).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { startServer, Client, ADMIN_PASSWORD, BIN, ENGINE, staffUser } from '../lib/server.mjs';
import { pgUrl, psql } from '../lib/pg.mjs';

const PW = 'Auditoria-2026-Clave';
let srv, admin, ofi, sec, dir;
let personId, restrictionId, inspectionId;
const today = new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10);
const utcToday = new Date().toISOString().slice(0, 10);

// The key: on SQLite <db>.auditkey beside each copy (SIGM_AUDIT_KEY_FILE
// empty), on PostgreSQL the server's key file, which PostgreSQL requires.
const sigm = (args) => spawnSync(BIN, args, {
  encoding: 'utf8', env: { ...process.env, SIGM_DB: '', SIGM_AUDIT_KEY_FILE: srv.env.SIGM_AUDIT_KEY_FILE || '' },
});
// SQL as an intruder: the sqlite3 CLI or psql, behind the server's back.
const rawSql = (db, s) => (ENGINE === 'pg' ? psql(db, s) : spawnSync('sqlite3', [db, s], { encoding: 'utf8' }));
const sql = (db, s) => {
  const r = rawSql(db, s);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
};
// DROP TRIGGER as each engine spells it (PostgreSQL names the table).
const dropTrigger = (name) => (ENGINE === 'pg' ? `DROP TRIGGER ${name} ON audit_log;` : `DROP TRIGGER ${name};`);

before(async () => {
  srv = await startServer({ keep: true });
  dir = srv.dir;
  admin = new Client(srv.url);
  assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
  ofi = await staffUser(admin, 'aud.oficial', 'oficial_control', PW, 'DCM', 'aud.oficial');
  sec = await staffUser(admin, 'aud.secretaria', 'secretaria_general', PW, 'SG', 'aud.secretaria');
});
after(async () => {
  await srv.stop();
  rmSync(dir, { recursive: true, force: true });
});

// An entry of a person's trail: on the person, a list that showed them,
// or one filed on a record of theirs (an inspection, a movement…) that
// names them
const ofPerson = (e, id) => (e.record_type === 'person' && e.record_id === String(id))
  || (e.record_id === null && (e.detail?.ids || []).includes(id))
  || e.detail?.person_id === id || e.detail?.other_person_id === id;

test('changes and reads of personal data are recorded with who, what, which record, when and from where', async () => {
  const insp = await ofi.post('/api/v1/inspections', {
    port: 'SAL', direction: 'entry', transport: 'TA 390',
    document: { kind: 'passport', code: 'P', number: 'AUD000001', issuing_state: 'USA', nationality: 'USA', expiry_date: '2031-05-01' },
    person: { given_names: 'Mary', surnames: 'Auditada', birth_date: '1970-01-02', sex: 'F', nationality: 'USA' },
  });
  assert.equal(insp.status, 201, insp.text);
  personId = insp.json.person_id;
  inspectionId = insp.json.inspection_id ?? insp.json.id;
  assert.equal((await ofi.get(`/api/v1/persons/${personId}`)).status, 200);
  assert.equal((await ofi.get(`/api/v1/persons/${personId}/timeline`)).status, 200);
  assert.equal((await ofi.get('/api/v1/persons?surnames=Auditada')).status, 200);
  const rs = await sec.post('/api/v1/restrictions', {
    court: 'Juzgado Primero de Paz de San Salvador', case_number: 'AUD-1-2026', measure: 'exit_ban',
    subject: { given_names: 'Pedro', surnames: 'Auditado', birth_date: '1981-02-03' }, effective_from: '2026-01-01', effective_to: null,
  });
  assert.equal(rs.status, 201, rs.text);
  restrictionId = String(rs.json.id);
  assert.equal((await sec.get(`/api/v1/restrictions/${restrictionId}`)).status, 200);
  assert.equal((await sec.get('/api/v1/restrictions?surnames=Auditado')).status, 200);

  const byRecord = await admin.get(`/api/v1/audit?record_type=person&record_id=${personId}`);
  assert.equal(byRecord.status, 200);
  const reads = byRecord.json.items.filter((e) => e.user === 'aud.oficial').map((e) => e.action);
  assert.ok(reads.includes('person.read'), JSON.stringify(byRecord.json.items));
  assert.ok(reads.includes('person.timeline'));
  // the search that listed the person is in the person's trail too: one
  // entry for the list, naming every person it showed
  const listed = byRecord.json.items.find((e) => e.user === 'aud.oficial' && e.action === 'person.search');
  assert.ok(listed, JSON.stringify(byRecord.json.items));
  assert.equal(listed.record_id, null);
  assert.deepEqual(listed.detail, { birth_date: null, document_number: null, surnames: 'Auditada', ids: [personId] });
  for (const e of byRecord.json.items) {
    assert.ok(ofPerson(e, personId), JSON.stringify(e));
    assert.equal(e.remote_addr, '127.0.0.1');
    assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(Number.isInteger(e.seq));
  }
  const r = await admin.get(`/api/v1/audit?record_type=restriction&record_id=${restrictionId}`);
  const ra = r.json.items.map((e) => `${e.user} ${e.action}`);
  assert.ok(ra.includes('aud.secretaria restriction.read'), JSON.stringify(ra));
  assert.ok(ra.some((x) => x.startsWith('aud.secretaria restriction.')), JSON.stringify(ra));
});

test('the audit entry of a list keeps every filter asked, not only some', async () => {
  const sup = await staffUser(admin, 'aud.filtros', 'supervisor_control', PW, 'DCM', 'aud.filtros');
  const asked = {
    'overstayers.list': ['/api/v1/overstayers?nationality=usa&port=SAL&min_days=3', { nationality: 'USA', port: 'SAL', min_days: 3 }],
    'inspection.queue': ['/api/v1/inspections?status=resolved&port=SAL', { status: 'resolved', port: 'SAL' }],
    'referral.list': ['/api/v1/referrals?status=closed&port=SAL', { status: 'closed', port: 'SAL' }],
    'traveler_fine.list': ['/api/v1/traveler-fines?status=paid', { status: 'paid' }],
    'person_duplicate.list': ['/api/v1/person-duplicates?status=same', { status: 'same' }],
  };
  for (const [, [url]] of Object.entries(asked))
    assert.equal((await sup.get(url)).status, 200, url);
  const trail = (await admin.get('/api/v1/audit?user=aud.filtros&limit=20')).json.items;
  for (const [action, [, crit]] of Object.entries(asked)) {
    const e = trail.find((x) => x.action === action);
    assert.ok(e, `${action}: ${JSON.stringify(trail.map((x) => x.action))}`);
    for (const [k, v] of Object.entries(crit)) assert.equal(e.detail[k], v, `${action} ${k}: ${JSON.stringify(e.detail)}`);
  }
});

test('a record is named one way only: "06", "+6" or " 6" would read record 6 and file the read where a search for 6 does not look', async () => {
  for (const p of [`0${personId}`, `+${personId}`, `%20${personId}`, `${personId}%20`, `0${personId}/timeline`, '9223372036854775808'])
    assert.equal((await ofi.get(`/api/v1/persons/${p}`)).status, 404, p);
  const sup = await staffUser(admin, 'aud.sup', 'supervisor_control', PW, 'DCM', 'aud.sup');
  for (const q of [`person_id=0${personId}`, `person_id=+${personId}`, 'cursor=9223372036854775808', 'limit=010'])
    assert.equal((await sup.get(`/api/v1/traveler-fines?${q}`)).status, 400, q);
  // every read of the person is found under its number
  const a = await admin.get(`/api/v1/audit?record_type=person&record_id=${personId}`);
  for (const e of a.json.items) assert.ok(ofPerson(e, personId), JSON.stringify(e));
  // and a list names it the same way: "0N" finds neither the reads nor the lists
  assert.deepEqual((await admin.get(`/api/v1/audit?record_type=person&record_id=0${personId}`)).json.items, []);
});

test('search by user, action, record and date; newest first with a cursor; searching is itself audited', async () => {
  const mine = await admin.get('/api/v1/audit?user=aud.oficial');
  assert.equal(mine.status, 200);
  assert.ok(mine.json.items.length >= 4);
  assert.ok(mine.json.items.every((e) => e.user === 'aud.oficial'));
  const acts = mine.json.items.map((e) => e.action);
  for (const a of ['session.login', 'inspection.create', 'person.read', 'person.timeline', 'person.search']) assert.ok(acts.includes(a), a);
  const seqs = mine.json.items.map((e) => e.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a), 'newest first');

  const page1 = await admin.get('/api/v1/audit?limit=3');
  assert.equal(page1.json.items.length, 3);
  const page2 = await admin.get(`/api/v1/audit?limit=3&cursor=${page1.json.next_cursor}`);
  assert.ok(page2.json.items[0].seq < page1.json.items[2].seq);

  const login = await admin.get('/api/v1/audit?action=session.login&user=aud.secretaria');
  assert.equal(login.json.items.length, 1);
  assert.equal(login.json.items[0].record_id, 'aud.secretaria');

  const day = await admin.get(`/api/v1/audit?from=${utcToday}&to=${utcToday}&user=aud.oficial`);
  assert.equal(day.json.items.length, mine.json.items.length);
  const tomorrow = new Date(Date.now() + 86400e3).toISOString().slice(0, 10);
  assert.equal((await admin.get(`/api/v1/audit?from=${tomorrow}`)).json.items.length, 0);
  assert.equal((await admin.get('/api/v1/audit?to=2020-01-01')).json.items.length, 0);
  assert.equal((await admin.get('/api/v1/audit?from=2026-02-30')).status, 400);
  assert.equal((await admin.get('/api/v1/audit?user=nadie')).json.items.length, 0);

  const searched = await admin.get('/api/v1/audit?action=audit.search&user=admin&limit=1');
  assert.deepEqual(searched.json.items[0].detail, { user: 'nadie' }, 'the previous search, with its criteria');
  assert.equal((await ofi.get('/api/v1/audit')).status, 403);
  void today; void inspectionId;
});

test('a page of up to 500 entries is whole: limit=500 was cut to 50 with no cursor to the rest', async () => {
  for (let i = 0; i < 60; i++) assert.equal((await ofi.get(`/api/v1/persons/${personId}`)).status, 200);
  const reads = (l) => admin.get(`/api/v1/audit?user=aud.oficial&action=person.read&limit=${l}`);
  const all = await reads(500);
  assert.equal(all.status, 200);
  assert.ok(all.json.items.length >= 61, `items: ${all.json.items.length}`);
  assert.equal(all.json.next_cursor, null);
  assert.equal((await reads(499)).json.items.length, all.json.items.length);
  // a page smaller than what matches says where the rest begins
  const first = await reads(40);
  assert.equal(first.json.items.length, 40);
  const rest = await admin.get(`/api/v1/audit?user=aud.oficial&action=person.read&limit=500&cursor=${first.json.next_cursor}`);
  assert.equal(rest.json.items.length, all.json.items.length - 40);
  assert.equal(rest.json.next_cursor, null);
  // out of range is said, on its parameter
  for (const l of ['0', '501', '-1', 'x', '50.5']) {
    const r = await reads(l);
    assert.equal(r.status, 400, l);
    assert.equal(r.json.error.field, 'limit', l);
  }
});

test('GET /api/v1/audit/verify on an intact chain', async () => {
  const v = await admin.get('/api/v1/audit/verify');
  assert.equal(v.status, 200);
  assert.equal(v.json.ok, true);
  assert.ok(v.json.checked > 10);
  assert.equal(v.json.first_broken_seq, null);
});

// ---- tampering, with the server stopped ----

let N; // entries in the chain
function copyOf(name) {
  if (ENGINE === 'pg') {
    const orig = /^postgresql:\/\/\/([^?]+)/.exec(srv.db)[1];
    const copy = `${orig}_${name}`;
    const r = psql(pgUrl('postgres'), `CREATE DATABASE ${copy} TEMPLATE ${orig}`);
    assert.equal(r.status, 0, r.stderr);
    return pgUrl(copy);
  }
  const dst = path.join(dir, name + '.db');
  const r = sigm(['backup', '--db', srv.db, dst]); // copies the key too
  assert.equal(r.status, 0, r.stderr);
  return dst;
}
function verify(db) {
  const r = sigm(['audit', 'verify', '--db', db]);
  return { status: r.status, out: r.stdout + r.stderr, broken: Number((/entrada (\d+)/.exec(r.stdout) || [])[1]) };
}

test('stopped server: the untouched chain verifies (exit 0)', async () => {
  assert.equal(await srv.stop(), 0);
  const v = verify(srv.db);
  assert.equal(v.status, 0, v.out);
  N = Number(sql(srv.db, 'SELECT max(seq) FROM audit_log'));
  assert.ok(N > 20, `entries: ${N}`);
  assert.match(v.out, new RegExp(`${N} entradas`));
});

test(`the table refuses UPDATE and DELETE${ENGINE === 'pg' ? ' and TRUNCATE (PostgreSQL)' : ''} while its triggers stand`, () => {
  const db = copyOf('triggers');
  const stmts = ['UPDATE audit_log SET actor = \'x\' WHERE seq = 2', 'DELETE FROM audit_log WHERE seq = 2'];
  if (ENGINE === 'pg') stmts.push('TRUNCATE audit_log'); // SQLite has no TRUNCATE
  for (const s of stmts) {
    const r = rawSql(db, s);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /append-only/);
  }
  assert.equal(verify(db).status, 0);
});

test('an edited row is detected at its sequence number', () => {
  const k = Math.floor(N / 2);
  const db = copyOf('edited');
  sql(db, `${dropTrigger('audit_no_update')} UPDATE audit_log SET actor = 'otro.usuario' WHERE seq = ${k};`);
  const v = verify(db);
  assert.equal(v.status, 1, v.out);
  assert.equal(v.broken, k, v.out);
  assert.match(v.out, /modificada/);
  // a subtler edit: one character of the detail, the remote address
  const db2 = copyOf('edited2');
  sql(db2, `${dropTrigger('audit_no_update')} UPDATE audit_log SET remote_addr = '10.0.0.9' WHERE seq = ${k + 3};`);
  assert.equal(verify(db2).broken, k + 3);
});

test('a deleted middle row is detected at its sequence number, also after renumbering', () => {
  const k = Math.floor(N / 3);
  const db = copyOf('hole');
  sql(db, `${dropTrigger('audit_no_delete')} DELETE FROM audit_log WHERE seq = ${k};`);
  let v = verify(db);
  assert.equal(v.status, 1, v.out);
  assert.equal(v.broken, k, v.out);
  assert.match(v.out, /falta|borrada/);
  // The intruder closes the gap by renumbering: the chain still breaks at k.
  const db2 = copyOf('renumbered');
  sql(db2, `${dropTrigger('audit_no_delete')} ${dropTrigger('audit_no_update')} DELETE FROM audit_log WHERE seq = ${k};` +
    ` UPDATE audit_log SET seq = -(seq - 1) WHERE seq > ${k}; UPDATE audit_log SET seq = -seq WHERE seq < 0;`);
  v = verify(db2);
  assert.equal(v.status, 1, v.out);
  assert.equal(v.broken, k, v.out);
});

// the last entry of a copy: a SQLite copy (sigm backup) ends with the
// entry of the copy itself, past N
const headOf = (db) => Number(sql(db, 'SELECT max(seq) FROM audit_log'));

test('deleted final rows are detected (the head no longer matches)', () => {
  const db = copyOf('tail');
  const H = headOf(db);
  sql(db, `${dropTrigger('audit_no_delete')} DELETE FROM audit_log WHERE seq > ${H - 3};`);
  const v = verify(db);
  assert.equal(v.status, 1, v.out);
  assert.equal(v.broken, H - 2, v.out);
  assert.match(v.out, /finales/);
  // even the very last one alone
  const db2 = copyOf('tail1');
  const H2 = headOf(db2);
  sql(db2, `${dropTrigger('audit_no_delete')} DELETE FROM audit_log WHERE seq = ${H2};`);
  assert.equal(verify(db2).broken, H2);
});

test('a row forged without the key is detected; the server reports it through the API', async () => {
  const db = copyOf('forged');
  const N = headOf(db);
  // Append a plausible entry whose prev_hash links to the head; the intruder
  // cannot compute the keyed hash, so copies the previous one.
  sql(db, `INSERT INTO audit_log (seq, at, actor, action, record_type, record_id, remote_addr, detail, prev_hash, hash)` +
    ` SELECT seq + 1, at, 'admin', 'user.create', 'user', 'puerta.trasera', remote_addr, NULL, hash, hash FROM audit_log WHERE seq = ${N};`);
  const v = verify(db);
  assert.equal(v.status, 1, v.out);
  assert.equal(v.broken, N + 1, v.out);
  // the same through GET /api/v1/audit/verify on a server started on the copy
  const s2 = await startServer({ db, env: { SIGM_AUDIT_KEY_FILE: srv.env.SIGM_AUDIT_KEY_FILE || '' } });
  try {
    const c = new Client(s2.url);
    assert.equal((await c.login('admin', ADMIN_PASSWORD)).status, 200);
    const r = await c.get('/api/v1/audit/verify');
    assert.equal(r.status, 200);
    assert.equal(r.json.ok, false);
    assert.equal(r.json.first_broken_seq, N + 1);
  } finally { await s2.stop(); }
});

test('a wrong key is not mistaken for an intact chain', () => {
  const db = copyOf('otherkey');
  const r = spawnSync(BIN, ['audit', 'verify', '--db', db], { encoding: 'utf8', env: { ...process.env, SIGM_DB: '', SIGM_AUDIT_KEY_FILE: path.join(dir, 'otra.key') } });
  assert.notEqual(r.status, 0, r.stdout);
});

test('a person, a timeline or a person search whose audit entry cannot be written is not answered: 503, as prechequeo', async () => {
  const s = await startServer();
  try {
    const adm = new Client(s.url);
    assert.equal((await adm.login('admin', ADMIN_PASSWORD)).status, 200);
    assert.equal((await adm.post('/api/v1/users', { username: 'aud.caida', display_name: 'aud.caida', unit: 'DCM', roles: ['oficial_control'], password: PW })).status, 201);
    const o = new Client(s.url);
    assert.equal((await o.login('aud.caida', PW)).status, 200);
    const insp = await o.post('/api/v1/inspections', {
      port: 'SAL', direction: 'entry', transport: 'TA 390',
      document: { kind: 'passport', code: 'P', number: 'AUD000503', issuing_state: 'USA', nationality: 'USA', expiry_date: '2031-05-01' },
      person: { given_names: 'Lena', surnames: 'Sintraza', birth_date: '1971-01-02', sex: 'F', nationality: 'USA' },
    });
    assert.equal(insp.status, 201, insp.text);
    const pid = insp.json.person_id;
    const reads = [`/api/v1/persons/${pid}`, `/api/v1/persons/${pid}/timeline`, '/api/v1/persons?surnames=Sintraza'];
    // the audit cannot be written (the table is gone for a moment); the
    // persons can still be read
    const off = s.sql('ALTER TABLE audit_log RENAME TO audit_log_off');
    assert.equal(off.status, 0, off.stderr);
    try {
      for (const p of reads) {
        const r = await o.get(p);
        assert.equal(r.status, 503, `${p}: ${r.text}`);
        assert.equal(r.json.error.code, 'audit_unavailable', p);
        assert.ok(!r.text.includes('Sintraza'), `${p} says nothing of the person`);
      }
    } finally {
      assert.equal(s.sql('ALTER TABLE audit_log_off RENAME TO audit_log').status, 0);
    }
    for (const p of reads)
      assert.equal((await o.get(p)).status, 200, p);
    // every other list and record of personal data, whichever handler
    // reads it: none is served untraced
    assert.equal((await adm.post('/api/v1/users', { username: 'aud.todo', display_name: 'aud.todo', unit: 'DG',
      roles: ['direccion', 'supervisor_control', 'secretaria_general'], password: PW })).status, 201);
    const d = new Client(s.url);
    assert.equal((await d.login('aud.todo', PW)).status, 200);
    const day = new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10);
    const lists = ['/api/v1/restrictions', '/api/v1/alerts', '/api/v1/documents/lost-stolen', '/api/v1/minor-authorizations',
      '/api/v1/inspections?status=resolved', `/api/v1/movements?day=${day}`, '/api/v1/overstayers', '/api/v1/person-duplicates',
      '/api/v1/referrals', '/api/v1/traveler-fines', '/api/v1/carrier-fines', '/api/v1/correction-requests', '/api/v1/certificates',
      '/api/v1/users', '/api/v1/users/aud.caida', '/api/v1/blocked-exits', `/api/v1/statistics/movements?month=${day.slice(0, 7)}`,
      `/api/v1/carrier-compliance/report?month=${day.slice(0, 7)}`];
    for (const p of lists)
      assert.equal((await d.get(p)).status, 200, p);
    assert.equal(s.sql('ALTER TABLE audit_log RENAME TO audit_log_off').status, 0);
    try {
      for (const p of lists) {
        const r = await d.get(p);
        assert.deepEqual([r.status, r.json?.error?.code], [503, 'audit_unavailable'], `${p}: ${r.text.slice(0, 200)}`);
      }
    } finally {
      assert.equal(s.sql('ALTER TABLE audit_log_off RENAME TO audit_log').status, 0);
    }
    const st = await d.get(`/api/v1/audit?action=statistics.read`);
    assert.ok(st.json.items.some((e) => e.user === 'aud.todo' && e.detail.month === day.slice(0, 7)), 'the month read is in the audit');
  } finally { await s.stop(); }
});
