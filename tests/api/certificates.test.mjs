// Certificates of migratory movements and of restrictions (issue 6, part 6):
// issue, list, read, download, revoke; the public verification page shows
// only existence, date, holder's name and status; the PDF is checked by
// rendering it (pdftoppm), extracting its text (pdftotext) and decoding its
// QR code (zbarimg).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, Client, ADMIN_PASSWORD, staffUser } from '../lib/server.mjs';

let srv, sec, ofi, sup, dir;
const PW = 'Turno-Seguro-2026';
const PUBLIC = 'https://verifica.migracion.gob.sv';
const OUT = path.resolve(process.env.SIGM_TEST_OUTPUT || 'build/test-output');

before(async () => {
  srv = await startServer({ env: { SIGM_PUBLIC_URL: PUBLIC + '/' } });
  dir = srv.dir;
  mkdirSync(OUT, { recursive: true });
  sec = await staffUser(srv.url, 'c_secretaria_general', 'secretaria_general', PW, 'SG', 'Licda. Ana María Pérez');
  ofi = await staffUser(srv.url, 'c_oficial_control', 'oficial_control', PW, 'DCM');
  sup = await staffUser(srv.url, 'c_supervisor_control', 'supervisor_control', PW, 'DCM');
});
after(async () => { await srv.stop(); });

const person = { given_names: 'María José', surnames: 'Ñúñez Peña', birth_date: '1985-02-14', nationality: 'SLV', sex: 'F' };
const doc = { kind: 'passport', code: 'P', number: 'C01234567', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-01-01' };

async function travel(direction) {
  const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction, transport: 'AV 611', route_country: 'GTM', document: doc, person });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function download(client, code, name) {
  const r = await fetch(srv.url + `/api/v1/certificates/${code}.pdf`, { headers: { cookie: client.cookie } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  const buf = Buffer.from(await r.arrayBuffer());
  assert.equal(buf.subarray(0, 5).toString(), '%PDF-');
  const f = path.join(dir, name);
  writeFileSync(f, buf);
  return f;
}

test('a certificate of movements: issued, listed, downloaded as a PDF whose text and QR are right', async () => {
  const exit = await travel('exit');
  assert.equal(exit.decision, 'admit', JSON.stringify(exit));
  await travel('entry');
  const pid = exit.person_id;

  const c = await sec.post('/api/v1/certificates', { kind: 'movements', person_id: pid, requester: { kind: 'person' }, purpose: 'Trámite de residencia en el extranjero' });
  assert.equal(c.status, 201, JSON.stringify(c.json));
  const code = c.json.code;
  assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/, 'grouped Crockford base-32, 80 bits');
  assert.equal(c.json.pdf, `/api/v1/certificates/${code}.pdf`);
  assert.equal(c.json.verify_url, `${PUBLIC}/verificar/${code}`);
  assert.equal(c.json.status, 'valid');
  assert.equal(c.json.content.movements.length, 2);
  assert.deepEqual(c.json.content.movements.map((m) => m.direction), ['exit', 'entry']);

  const other = await sec.post('/api/v1/certificates', { kind: 'movements', person_id: pid });
  assert.notEqual(other.json.code, code, 'codes are random');

  const list = await sec.get(`/api/v1/certificates?person_id=${pid}`);
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.items.map((x) => x.code).sort(), [code, other.json.code].sort());
  // by El Salvador's day of issue (UTC-6), whatever the UTC date: one
  // issued at 03:00Z on the 20th was issued on the 19th there
  const q = srv.sql(`UPDATE certificates SET issued_at = '2026-11-20T03:00:00.000Z' WHERE code = '${other.json.code}'`);
  assert.equal(q.status, 0, q.stderr);
  const on = async (d) => (await sec.get(`/api/v1/certificates?person_id=${pid}&date=${d}`)).json.items.map((x) => x.code);
  assert.deepEqual(await on('2026-11-19'), [other.json.code]);
  assert.deepEqual(await on('2026-11-20'), []);
  for (const q of ['kind=foo', 'status=foo', 'date=2026-02-30'])
    assert.equal((await sec.get(`/api/v1/certificates?${q}`)).status, 400, q);

  const f = await download(sec, code, 'mov.pdf');
  copyFileSync(f, path.join(OUT, 'certificado-movimientos.pdf'));
  const text = run('pdftotext', ['-layout', f, '-']);
  for (const s of ['República de El Salvador', 'Dirección General de Migración y Extranjería', 'Secretaría General',
    'CERTIFICACIÓN DE MOVIMIENTOS MIGRATORIOS', 'María José', 'Ñúñez Peña', '14/02/1985', 'SLV C01234567',
    'Salida', 'Entrada', 'Licda. Ana María Pérez', code, 'persona interesada', 'Trámite de residencia']) {
    assert.ok(text.includes(s), `PDF text lacks «${s}»:\n${text}`);
  }
  const png = path.join(dir, 'mov');
  run('pdftoppm', ['-png', '-r', '150', '-f', '1', '-l', '1', f, png]);
  const pngFile = `${png}-1.png`;
  copyFileSync(pngFile, path.join(OUT, 'certificado-movimientos.png'));
  const qr = run('zbarimg', ['--quiet', '--raw', pngFile]).trim();
  assert.equal(qr, `${PUBLIC}/verificar/${code}`);

  // the downloads are audited
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const audit = await admin.get(`/api/v1/audit?record_type=certificate&record_id=${code}`);
  const actions = (audit.json.items || audit.json.entries || []).map((e) => e.action);
  assert.ok(actions.includes('certificate.issue'), JSON.stringify(audit.json));
  assert.ok(actions.includes('certificate.download'));
});

test('a resident known by the carné of an inspection: the certificate names the document in Spanish', async () => {
  const r = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'AV 611',
    document: { kind: 'residence_carnet', number: 'RC778899', issuing_state: 'SLV', nationality: 'GTM', expiry_date: '2029-06-30' },
    person: { given_names: 'Ixchel', surnames: 'Tzul Chávez', birth_date: '1990-03-03', nationality: 'GTM', sex: 'F' },
    residence: { carnet_number: 'RC778899', valid_until: '2029-06-30' } });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const c = await sec.post('/api/v1/certificates', { kind: 'movements', person_id: r.json.person_id });
  assert.equal(c.status, 201, JSON.stringify(c.json));
  const text = run('pdftotext', ['-layout', await download(sec, c.json.code, 'carne.pdf'), '-']);
  assert.ok(text.includes('Carné de residente N.º RC778899 (SLV)'), text);
});

test('the public page shows only existence, date, holder and status; revoked shows revoked; unknown is 404', async () => {
  const exit = await travel('exit');
  const c = await sec.post('/api/v1/certificates', { kind: 'restrictions', person_id: exit.person_id, requester: { kind: 'public_ministry', name: 'Fiscalía General de la República', reference: 'FGR-UDV-1234-2026' } });
  assert.equal(c.status, 201, JSON.stringify(c.json));
  const code = c.json.code;

  const page = await fetch(srv.url + `/verificar/${code}`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /text\/html/);
  assert.match(page.headers.get('content-security-policy'), /script-src 'self'/);
  const html = await page.text();
  assert.ok(html.includes('María José Ñúñez Peña'));
  assert.ok(html.includes(code));
  assert.ok(html.includes('vigente'));
  for (const secret of ['1985', '14/02', 'C01234567', 'SLV', 'FGR-UDV', 'Fiscalía', 'restricci', 'movimiento', 'Femenino']) {
    assert.ok(!html.includes(secret), `public page leaks «${secret}»`);
  }
  assert.ok(!/<script|style=/.test(html), 'no inline script or style');
  writeFileSync(path.join(OUT, 'verificar-valido.html'), html);

  // typed by hand: lower case, no dashes, O for 0 — still found
  const typed = code.replace(/-/g, '').toLowerCase().replace(/0/g, 'o');
  assert.equal((await fetch(srv.url + `/verificar/${typed}`)).status, 200);

  const rv = await sec.post(`/api/v1/certificates/${code}/revoke`, { reason: 'Emitida con datos de otra solicitud' });
  assert.equal(rv.status, 200, JSON.stringify(rv.json));
  assert.equal(rv.json.status, 'revoked');
  const again = await sec.post(`/api/v1/certificates/${code}/revoke`, { reason: 'otra vez' });
  assert.equal(again.status, 409);
  assert.equal(again.json.error.code, 'already_revoked');
  // the revocation names the holder: the person's trail finds it
  const adm = new Client(srv.url);
  await adm.login('admin', ADMIN_PASSWORD);
  const rev = (await adm.get(`/api/v1/audit?action=certificate.revoke&record_id=${code}`)).json.items[0];
  assert.ok(Number.isInteger(rev.detail.person_id) && rev.detail.person_id > 0, JSON.stringify(rev));
  const html2 = await (await fetch(srv.url + `/verificar/${code}`)).text();
  assert.ok(html2.includes('REVOCADA'));
  assert.ok(html2.includes('id="revocado"'));
  assert.ok(!html2.includes('Emitida con datos'), 'the reason stays internal');

  // the revoked PDF says so on its face
  const f = await download(sec, code, 'rev.pdf');
  assert.ok(run('pdftotext', [f, '-']).includes('REVOCADO'));

  const unknown = await fetch(srv.url + '/verificar/ZZZZ-ZZZZ-ZZZZ-ZZZZ');
  assert.equal(unknown.status, 404);
  assert.ok((await unknown.text()).includes('No existe'));
  assert.equal((await fetch(srv.url + '/verificar/not-a-code')).status, 404);
  assert.equal((await sec.post('/api/v1/certificates/ZZZZ-ZZZZ-ZZZZ-ZZZZ/revoke', { reason: 'x' })).status, 404);
  assert.equal((await sec.get('/api/v1/certificates/ZZZZ-ZZZZ-ZZZZ-ZZZZ.pdf')).status, 404);
});

test('a restrictions certificate lists the restrictions in force that match the person, as border control does', async () => {
  const p2 = { given_names: 'Carlos Ernesto', surnames: 'Álvarez Rivas', birth_date: '1979-09-30', nationality: 'SLV', sex: 'M' };
  const d2 = { kind: 'passport', code: 'P', number: 'C07654321', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-01-01' };
  const first = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'AV 611', route_country: 'GTM', document: d2, person: p2 });
  assert.equal(first.json.decision, 'admit');
  const pid = first.json.person_id;

  const none = await sec.post('/api/v1/certificates', { kind: 'restrictions', person_id: pid });
  assert.equal(none.status, 201);
  assert.deepEqual(none.json.content.restrictions, []);
  const fnone = await download(sec, none.json.code, 'none.pdf');
  assert.ok(run('pdftotext', [fnone, '-']).replace(/\s+/g, ' ').includes('no registra restricciones migratorias'));

  // one by names (accents and case folded) and birth date, one by document, one lifted, one of someone else
  const base = { court: 'Juzgado Primero de Paz de Soyapango', measure: 'exit_ban', effective_from: '2026-01-01' };
  const byName = await sec.post('/api/v1/restrictions', { ...base, case_number: 'P-1-2026', subject: { given_names: 'CARLOS ERNESTO', surnames: 'ALVAREZ RIVAS', birth_date: '1979-09-30' } });
  const byDoc = await sec.post('/api/v1/restrictions', { ...base, court: 'Juzgado Segundo de Familia', case_number: 'F-2-2026', measure: 'passport_retention', subject: { document_number: 'C07654321' } });
  const lifted = await sec.post('/api/v1/restrictions', { ...base, case_number: 'P-3-2026', subject: { document_number: 'C07654321' } });
  await sec.post('/api/v1/restrictions', { ...base, case_number: 'P-4-2026', subject: { given_names: 'Carlos Ernesto', surnames: 'Álvarez Rivas', birth_date: '1981-01-01' } });
  for (const r of [byName, byDoc, lifted]) assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal((await sec.post(`/api/v1/restrictions/${lifted.json.id}/lift`, { order_reference: 'Cese 1' })).status, 200);

  const c = await sec.post('/api/v1/certificates', { kind: 'restrictions', person_id: pid, requester: { kind: 'court', name: 'Juzgado Cuarto de Instrucción', reference: 'Oficio 55-2026' } });
  assert.equal(c.status, 201, JSON.stringify(c.json));
  assert.deepEqual(c.json.content.restrictions.map((r) => r.case_number).sort(), ['F-2-2026', 'P-1-2026']);
  // the booth agrees: this person cannot leave
  const booth = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'AV 611', route_country: 'GTM', document: d2, person: p2 });
  assert.equal(booth.json.decision, 'refuse');

  const f = await download(sec, c.json.code, 'restr.pdf');
  copyFileSync(f, path.join(OUT, 'certificado-restricciones.pdf'));
  const text = run('pdftotext', [f, '-']).replace(/\s+/g, ' ');
  for (const s of ['CERTIFICACIÓN DE RESTRICCIONES MIGRATORIAS', 'Juzgado Primero de Paz de Soyapango', 'P-1-2026',
    'Impedimento de salida del país', 'Retención de pasaporte', 'Juzgado Cuarto de Instrucción', 'Oficio 55-2026']) {
    assert.ok(text.includes(s), `PDF text lacks «${s}»:\n${text}`);
  }
  assert.ok(!text.includes('P-3-2026'), 'a lifted restriction is not in force');
  assert.ok(!text.includes('P-4-2026'), 'another birth date is another person');
});

test('many movements flow onto several pages with the table header repeated', async () => {
  const p3 = { given_names: 'Viajero', surnames: 'Frecuente', birth_date: '1970-01-01', nationality: 'USA', sex: 'M' };
  const d3 = { kind: 'passport', code: 'P', number: 'F00000001', issuing_state: 'USA', nationality: 'USA', expiry_date: '2031-01-01' };
  let pid;
  for (let i = 0; i < 60; i++) {
    const r = await ofi.post('/api/v1/inspections', { port: i % 2 ? 'SAL' : 'HAC', direction: i % 2 ? 'exit' : 'entry', transport: 'X', route_country: 'GTM', document: d3, person: p3 });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    pid = r.json.person_id;
  }
  const c = await sec.post('/api/v1/certificates', { kind: 'movements', person_id: pid });
  assert.equal(c.status, 201);
  assert.equal(c.json.content.movements.length, 60);
  const f = await download(sec, c.json.code, 'many.pdf');
  const info = run('pdfinfo', [f]);
  const pages = Number(/Pages:\s+(\d+)/.exec(info)[1]);
  assert.ok(pages >= 2, `pages: ${pages}`);
  const text = run('pdftotext', ['-layout', f, '-']);
  // the header row on every page with rows (the last may hold only the signature and QR)
  assert.ok(text.split('Delegación migratoria').length - 1 >= pages - 1, 'header row repeated');
  assert.ok(text.includes(`Página ${pages} de ${pages}`));
  run('pdftoppm', ['-png', '-r', '150', '-f', String(pages), '-l', String(pages), f, path.join(dir, 'many')]);
  const last = spawnSync('sh', ['-c', `ls ${dir}/many-*.png`], { encoding: 'utf8' }).stdout.trim();
  assert.equal(run('zbarimg', ['--quiet', '--raw', last]).trim(), `${PUBLIC}/verificar/${c.json.code}`, 'QR on the last page');
});

test('bad certificate requests get 4xx naming the field; only the Secretaría General issues', async () => {
  await travel('entry'); // back from the last test's trip: an exit is a new crossing
  const exit = await travel('exit');
  const pid = exit.person_id;
  const unknown = await sec.post('/api/v1/certificates', { kind: 'movements', person_id: 999999 });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json.error.field, 'person_id');
  const kind = await sec.post('/api/v1/certificates', { kind: 'passport', person_id: pid });
  assert.equal(kind.status, 422);
  assert.equal(kind.json.error.field, 'kind');
  const noPid = await sec.post('/api/v1/certificates', { kind: 'movements' });
  assert.equal(noPid.status, 400);
  assert.equal(noPid.json.error.field, 'person_id');
  const court = await sec.post('/api/v1/certificates', { kind: 'restrictions', person_id: pid, requester: { kind: 'court', name: 'Juzgado X' } });
  assert.equal(court.status, 422);
  assert.equal(court.json.error.field, 'requester.reference');
  const rk = await sec.post('/api/v1/certificates', { kind: 'restrictions', person_id: pid, requester: { kind: 'embassy', reference: 'x' } });
  assert.equal(rk.status, 422);
  assert.equal(rk.json.error.field, 'requester.kind');
  for (const [rq, field] of [[{ kind: null }, 'requester.kind'], [{ kind: 'person', office: 'x' }, 'requester.office'], [{ kind: 'court', name: 7, reference: 'O-1' }, 'requester.name'], ['court', 'requester']]) {
    const r = await sec.post('/api/v1/certificates', { kind: 'restrictions', person_id: pid, requester: rq });
    assert.deepEqual([r.status, r.json.error.field], [400, field], JSON.stringify(r.json));
  }
  const extra = await sec.post('/api/v1/certificates', { kind: 'movements', person_id: pid, holder: 'x' });
  assert.equal(extra.status, 400);
  const period = await sec.post('/api/v1/certificates', { kind: 'movements', person_id: pid, from: '2026-05-01', to: '2026-01-01' });
  assert.equal(period.status, 422);
  assert.equal(period.json.error.field, 'to');

  for (const c of [ofi, sup]) {
    assert.equal((await c.post('/api/v1/certificates', { kind: 'movements', person_id: pid })).status, 403);
    assert.equal((await c.get('/api/v1/certificates')).status, 403);
  }
  const ok = await sec.post('/api/v1/certificates', { kind: 'movements', person_id: pid });
  assert.equal((await sup.post(`/api/v1/certificates/${ok.json.code}/revoke`, { reason: 'x' })).status, 403);
  assert.equal((await sec.post(`/api/v1/certificates/${ok.json.code}/revoke`, {})).status, 400);
  // the PDF needs a session; the public page does not
  assert.equal((await fetch(srv.url + ok.json.pdf)).status, 401);
  assert.equal((await fetch(srv.url + `/verificar/${ok.json.code}`)).status, 200);
});

test('the public page is rate-limited per address (429 with Retry-After), unguessable codes make enumeration pointless anyway', async () => {
  let limited = null;
  for (let i = 0; i < 40 && !limited; i++) {
    const r = await fetch(srv.url + '/verificar/AAAA-AAAA-AAAA-AAAA');
    if (r.status === 429) limited = r;
    else assert.equal(r.status, 404);
  }
  assert.ok(limited, 'no 429 after 40 requests in a minute');
  assert.equal(limited.headers.get('retry-after'), '60');
  assert.match(await limited.text(), /Demasiadas consultas/);
  // signed-in staff use the API, which is not limited this way
  const list = await sec.get('/api/v1/certificates');
  assert.equal(list.status, 200);
});

test('a certificate of restrictions is not issued as «none» while the booth\'s screening finds a near one: the clerk reviews it first', async () => {
  const ban = await sec.post('/api/v1/restrictions', { court: 'Juzgado Primero de Paz de Santa Tecla', case_number: 'STC-88-2026', measure: 'exit_ban',
    subject: { given_names: 'Rosa María', surnames: 'Lemus', birth_date: '1975-05-05' }, effective_from: '2026-01-01', effective_to: null });
  assert.equal(ban.status, 201, JSON.stringify(ban.json));
  const rosa = { given_names: 'Rosa María', surnames: 'Lemus de Paz', birth_date: '1975-05-05', nationality: 'SLV', sex: 'F' };
  const ex = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'AV 611', route_country: 'GTM',
    document: { kind: 'passport', code: 'P', number: 'C05050505', issuing_state: 'SLV', nationality: 'SLV', expiry_date: '2031-01-01' }, person: rosa });
  // the booth stops her on it
  assert.notEqual(ex.json.decision, 'admit', JSON.stringify(ex.json.reasons));
  assert.ok(ex.json.reasons.some((x) => x.record === `restriction:${ban.json.id}`), JSON.stringify(ex.json.reasons));
  const asked = await sec.post('/api/v1/certificates', { kind: 'restrictions', person_id: ex.json.person_id });
  assert.equal(asked.status, 409, JSON.stringify(asked.json));
  assert.deepEqual([asked.json.error.code, asked.json.error.field, asked.json.error.matches], ['possible_match', 'reviewed_matches', [ban.json.id]]);
  assert.match(asked.json.error.message, new RegExp(`n\\.º ${ban.json.id}`));
  assert.equal((await sec.post('/api/v1/certificates', { kind: 'restrictions', person_id: ex.json.person_id, reviewed_matches: 'todas' })).status, 400);
  // reviewed: not her; issued, and the certificate records what was reviewed
  const issued = await sec.post('/api/v1/certificates', { kind: 'restrictions', person_id: ex.json.person_id, reviewed_matches: [ban.json.id] });
  assert.equal(issued.status, 201, JSON.stringify(issued.json));
  const got = await sec.get(`/api/v1/certificates/${issued.json.code}`);
  assert.deepEqual(got.json.content.reviewed_matches, [ban.json.id]);
  assert.deepEqual(got.json.content.restrictions, []);
  // a certificate of movements is not held up by it
  assert.equal((await sec.post('/api/v1/certificates', { kind: 'movements', person_id: ex.json.person_id })).status, 201);
});

test('a list of certificates names their holders in its audit entry: the trail of a person says who listed their certificates', async () => {
  const i = await ofi.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'AV 611', route_country: 'GTM',
    document: { ...doc, number: 'C07654321' }, person: { ...person, given_names: 'Ana Lista', birth_date: '1986-03-15' } });
  assert.equal(i.status, 201, JSON.stringify(i.json));
  const pid = i.json.person_id;
  const c = await sec.post('/api/v1/certificates', { kind: 'movements', person_id: pid });
  assert.equal(c.status, 201, JSON.stringify(c.json));
  assert.ok((await sec.get(`/api/v1/certificates?person_id=${pid}`)).json.items.some((x) => x.code === c.json.code));
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const trail = (await admin.get(`/api/v1/audit?record_type=person&record_id=${pid}&action=certificate.search`)).json.items;
  assert.equal(trail.length, 1, JSON.stringify(trail));
  assert.equal(trail[0].user, 'c_secretaria_general');
  assert.equal(trail[0].detail.person_id, pid);
  assert.deepEqual(trail[0].detail.ids, [pid]);
});
