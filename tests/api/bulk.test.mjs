// CSV import and export of restrictions, alerts and lost/stolen documents
// (issue 6, part 4): all or nothing, ?dry_run=1, a per-row report naming the
// column, round trip export -> import, and who may do it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';

let srv, sec, sup, ofi;
const PW = 'Turno-Seguro-2026';
before(async () => {
  srv = await startServer();
  sec = await staffUser(srv.url, 'b_secretaria_general', 'secretaria_general', PW, 'SG');
  sup = await staffUser(srv.url, 'b_supervisor_control', 'supervisor_control', PW, 'DCM');
  ofi = await staffUser(srv.url, 'b_oficial_control', 'oficial_control', PW, 'DCM');
});
after(async () => { await srv.stop(); });

const csv = (client, p, body) => client.req('POST', p, body, { 'content-type': 'text/csv; charset=utf-8' });
const HEAD = 'court,case_number,measure,given_names,surnames,birth_date,document_number,dui,effective_from,effective_to,document_reference';

test('restrictions: a clean file is imported whole; every row is a restriction with its version and audit', async () => {
  const body = [HEAD,
    'Juzgado Primero de Instrucción de San Miguel,SM-1-2026,exit_ban,Pedro Antonio,Gómez Cruz,1970-04-04,,,2026-01-01,,Oficio 1',
    '"Juzgado de Paz de Ilopango, San Salvador",IL-2-2026,passport_retention,,,,B77777777,,2026-02-01,2027-02-01,"Oficio ""2"""',
    'Juzgado Segundo de Familia,F-3-2026,other,,,,,04567890-3,2026-03-01,,',
  ].join('\r\n') + '\r\n';
  const dry = await csv(sec, '/api/v1/restrictions/import?dry_run=1', body);
  assert.equal(dry.status, 200, JSON.stringify(dry.json));
  assert.equal(dry.json.dry_run, true);
  assert.equal(dry.json.accepted, 3);
  assert.equal(dry.json.imported, 0);
  assert.equal((await sec.get('/api/v1/restrictions?case_number=SM-1-2026')).json.items.length, 0, 'a dry run writes nothing');
  // a file cut in a quoted field: the rows before it are counted, never a negative count
  const cut = await csv(sec, '/api/v1/restrictions/import?dry_run=1', `${body}"Juzgado de Paz,X-9-2026,exit_ban,Ana,"Sin cerrar,1980-01-01,,,2026-01-01,,\r\n`);
  assert.deepEqual([cut.json.rows, cut.json.accepted, cut.json.rejected], [3, 3, 1], JSON.stringify(cut.json));

  const r = await csv(sec, '/api/v1/restrictions/import', body);
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(r.json.imported, 3);
  assert.equal(r.json.ids.length, 3);
  const g = await sec.get(`/api/v1/restrictions/${r.json.ids[1]}`);
  assert.equal(g.json.court, 'Juzgado de Paz de Ilopango, San Salvador');
  assert.equal(g.json.document_reference, 'Oficio "2"');
  assert.equal(g.json.subject.document_number, 'B77777777');
  assert.deepEqual(g.json.history.map((h) => h.change), ['created']);
});

test('restrictions: one bad row rejects the file; the report names row, column and reason for every bad row', async () => {
  const latin1 = Buffer.concat([
    Buffer.from(HEAD + '\n'),
    Buffer.from('Juzgado A,OK-1,exit_ban,Ana,Ruiz,1990-01-01,,,2026-01-01,,\n'),
    Buffer.from('Juzgado B,BAD-DATE,exit_ban,Ana,Ruiz,1990-01-01,,,2026-02-30,,\n'),
    Buffer.from('Juzgado C,BAD-ENC,exit_ban,'), Buffer.from([0x4a, 0x6f, 0x73, 0xe9]), Buffer.from(',Ruiz,1990-01-01,,,2026-01-01,,\n'),
    Buffer.from('Juzgado D,NO-ID,exit_ban,,,,,,2026-01-01,,\n'),
    Buffer.from('Juzgado E,BAD-MEASURE,house_arrest,Ana,Ruiz,1990-01-01,,,2026-01-01,,\n'),
    Buffer.from('Juzgado F,SHORT,exit_ban\n'),
    Buffer.from('Juzgado G,BAD-BIRTH,exit_ban,Ana,Ruiz,1990-13-01,,,2026-01-01,,\n'),
  ]);
  const r = await fetch(srv.url + '/api/v1/restrictions/import', { method: 'POST', body: latin1, headers: { cookie: sec.cookie, 'x-csrf-token': sec.csrf, 'content-type': 'text/csv' } });
  const j = await r.json();
  assert.equal(r.status, 422, JSON.stringify(j));
  assert.equal(j.error.code, 'import_rejected');
  assert.equal(j.rows, 7);
  assert.equal(j.rejected, 6);
  const by = Object.fromEntries(j.errors.map((e) => [e.row, e]));
  assert.equal(by[3].field, 'effective_from');
  assert.equal(by[3].code, 'invalid_date');
  assert.equal(by[4].field, 'given_names');
  assert.equal(by[4].code, 'invalid_encoding');
  assert.equal(by[5].code, 'subject_not_identified');
  assert.match(by[5].field, /document_number/);
  assert.equal(by[6].field, 'measure');
  assert.equal(by[6].code, 'unknown_measure');
  assert.equal(by[7].code, 'wrong_field_count');
  assert.equal(by[8].field, 'birth_date');
  assert.ok(!by[2], 'the good row is not reported');
  for (const e of j.errors) assert.ok(e.message && e.line, JSON.stringify(e));
  assert.equal((await sec.get('/api/v1/restrictions?case_number=OK-1')).json.items.length, 0, 'all or nothing');
});

test('bad headers and malformed CSV are refused before any row', async () => {
  const unknown = await csv(sec, '/api/v1/restrictions/import', 'court,case_number,measure,effective_from,colour\nA,B,exit_ban,2026-01-01,red\n');
  assert.equal(unknown.status, 422);
  assert.equal(unknown.json.error.code, 'invalid_header');
  assert.equal(unknown.json.errors[0].field, 'colour');
  const missing = await csv(sec, '/api/v1/restrictions/import', 'court,case_number,given_names,surnames\nA,B,C,D\n');
  assert.equal(missing.status, 422);
  assert.deepEqual(missing.json.errors.map((e) => e.field).sort(), ['effective_from', 'measure']);
  const quote = await csv(sec, '/api/v1/restrictions/import', HEAD + '\n"Juzgado,X,exit_ban,A,B,1990-01-01,,,2026-01-01,,\n');
  assert.equal(quote.status, 422);
  assert.equal(quote.json.errors.at(-1).code, 'csv_unterminated_quote');
  assert.equal((await csv(sup, '/api/v1/restrictions/import', HEAD + '\n')).status, 403, 'only the Secretaría General writes restrictions');
  assert.equal((await ofi.get('/api/v1/restrictions/export')).status, 403);
  const empty = await csv(sec, '/api/v1/restrictions/import', '');
  assert.equal(empty.status, 400);
  const onlyHead = await csv(sec, '/api/v1/restrictions/import', HEAD + '\n');
  assert.equal(onlyHead.status, 422);
  assert.equal(onlyHead.json.error.code, 'no_rows');
});

test('export -> import round trip: the exported file imports again (dry run) with the same rows', async () => {
  const e = await sec.get('/api/v1/restrictions/export?status=active');
  assert.equal(e.status, 200);
  assert.match(e.headers.get('content-type'), /text\/csv/);
  assert.match(e.headers.get('content-disposition'), /attachment; filename="restricciones-/);
  const lines = e.text.trim().split('\r\n');
  assert.ok(lines[0].startsWith('id,status,court,case_number,measure'));
  assert.ok(e.text.includes('"Juzgado de Paz de Ilopango, San Salvador"'));
  assert.ok(e.text.includes('"Oficio ""2"""'));
  const back = await csv(sec, '/api/v1/restrictions/import?dry_run=1', e.text);
  assert.equal(back.status, 200, JSON.stringify(back.json));
  assert.equal(back.json.accepted, lines.length - 1);
  assert.equal(back.json.rejected, 0);

  // a lifted one exports with its status, and is refused on import
  const id = (await sec.get('/api/v1/restrictions?case_number=F-3-2026')).json.items[0].id;
  await sec.post(`/api/v1/restrictions/${id}/lift`, { order_reference: 'Cese' });
  const all = await sec.get('/api/v1/restrictions/export');
  assert.ok(all.text.includes(',lifted,'));
  const again = await csv(sec, '/api/v1/restrictions/import?dry_run=1', all.text);
  assert.equal(again.json.rejected, 1);
  assert.equal(again.json.errors[0].field, 'status');
  assert.equal(again.json.errors[0].code, 'not_active');
});

test('alerts: supervisors import and export; row errors name the column', async () => {
  const head = 'category,issuing_unit,given_names,surnames,birth_date,nationality,document_number,valid_from,valid_until,reentry_ban_until,instructions,reference';
  const ok = [head,
    'interpol_notice,DCM,John,Doe,1960-01-01,USA,,2026-01-01,2027-01-01,,Retener y avisar a INTERPOL San Salvador,Red A-1/2026',
    'reentry_ban,DCM,Juan,Pérez,1988-08-08,HND,H1234567,2026-01-01,,2031-01-01,Inadmitir: expulsado con prohibición de reingreso,Res. 9',
  ].join('\n');
  const r = await csv(sup, '/api/v1/alerts/import', ok);
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(r.json.imported, 2);
  const bad = [head,
    'reentry_ban,DCM,Juan,Pérez,1988-08-08,HND,H7654321,2026-01-01,,,Inadmitir,',
    'ghost,DCM,Juan,Pérez,1988-08-08,HND,H7654321,2026-01-01,,,Inadmitir,',
    'other,NOPE,Juan,Pérez,1988-08-08,HND,H7654321,2026-01-01,,,Inadmitir,',
    'other,DCM,Juan,Pérez,1988-08-08,HND,H7654321,2026-01-01,2025-01-01,,Inadmitir,',
  ].join('\n');
  const b = await csv(sup, '/api/v1/alerts/import', bad);
  assert.equal(b.status, 422);
  assert.deepEqual(b.json.errors.map((e) => e.field), ['reentry_ban_until', 'category', 'issuing_unit', 'valid_until']);
  const e = await sup.get('/api/v1/alerts/export');
  assert.equal(e.status, 200);
  assert.ok(e.text.includes('Red A-1/2026'));
  assert.equal((await csv(sec, '/api/v1/alerts/import', ok)).status, 403, 'the Secretaría reads alerts, supervisors write them');
});

test('lost/stolen: a foreign list imports; duplicates in the file or in the base are reported per row', async () => {
  await sec.post('/api/v1/documents/lost-stolen', { document_number: 'G0000001', document_type: 'passport', issuing_state: 'GTM', reason: 'stolen' });
  const head = 'document_number,document_type,issuing_state,reason,reported_on,holder_given_names,holder_surnames,holder_birth_date,source';
  const list = [head,
    'G0000002,passport,GTM,lost,2026-10-01,Ana,López,1990-01-01,Lista Guatemala 2026-11',
    'G0000001,passport,GTM,stolen,2026-10-02,,,,Lista Guatemala 2026-11',
    'G0000002,passport,GTM,stolen,2026-10-03,,,,Lista Guatemala 2026-11',
    'g-3,passport,GTM,stolen,2026-10-03,,,,Lista Guatemala 2026-11',
    'G0000004,passport,GTM,stolen,2026-10-03,,,1990-02-31,Lista Guatemala 2026-11',
  ].join('\n');
  const dry = await csv(sec, '/api/v1/documents/lost-stolen/import?dry_run=1', list);
  assert.equal(dry.status, 200);
  const codes = Object.fromEntries(dry.json.errors.map((e) => [e.row, e.code]));
  assert.equal(dry.json.errors.find((e) => e.row === 6).field, 'holder_birth_date');
  assert.deepEqual(codes, { 3: 'already_reported', 4: 'already_reported', 5: 'invalid_document_number', 6: 'invalid_holder' });
  const good = [head, 'G0000002,passport,GTM,lost,2026-10-01,Ana,López,1990-01-01,Lista Guatemala 2026-11', 'G0000005,passport,GTM,stolen,,,,,Lista Guatemala 2026-11'].join('\n');
  const r = await csv(sec, '/api/v1/documents/lost-stolen/import', good);
  assert.equal(r.status, 201, JSON.stringify(r.json));
  // the booth refuses a listed document
  const insp = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'X', document: { kind: 'passport', code: 'P', number: 'G0000005', issuing_state: 'GTM', nationality: 'GTM', expiry_date: '2031-01-01' }, person: { given_names: 'Ana', surnames: 'López', birth_date: '1990-01-01', nationality: 'GTM', sex: 'F' } });
  assert.equal(insp.json.decision, 'refuse');
  const e = await sec.get('/api/v1/documents/lost-stolen/export?status=active');
  assert.ok(e.text.includes('G0000005'));
  assert.equal((await csv(ofi, '/api/v1/documents/lost-stolen/import', good)).status, 403);
});
