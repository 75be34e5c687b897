// A bad-input sweep of the border-control endpoints (issue 5): for each,
// a fixed list of malformed inputs - every field of a valid body replaced
// by a value of the wrong type, empty, 10,000 characters long, with
// control characters or NUL, a huge or negative number, an impossible
// date; unknown fields; raw bodies that are not JSON or not UTF-8; path
// ids that are no record's; query parameters out of range.  Every answer
// is a 4xx with {"error": {"code", "message", "field"}} naming the field
// (or a 2xx where the input is in fact valid): never a 5xx, a body that is
// not JSON, a reset connection; and the server answers afterwards.
// Deterministic: the inputs are a fixed list, the same on every run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, staffUser, carrierUser } from '../lib/server.mjs';
import { paxlst } from '../lib/apis.mjs';

let srv, ofi, sup, dex, carrier, cruise;
const PW = 'Barrido-Seguro-2026';
before(async () => {
  srv = await startServer();
  ofi = await staffUser(srv.url, 'bis_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'bis_sup', 'supervisor_control', PW);
  dex = await staffUser(srv.url, 'bis_dex', 'extranjeria', PW, 'DEX');
  carrier = await carrierUser(srv, 'bis_ta', 'TA', PW);
  cruise = await carrierUser(srv, 'bis_msc', 'MSC', PW, { kind: 'cruise' });
});
after(async () => { await srv.stop(); });

const today = new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10);
const daysAgoUtc = (n) => new Date(Date.now() - n * 86400e3).toISOString().slice(0, 16) + 'Z';

// ---- one request, by bytes, so that a body may be any bytes at all ----

// -> {status, json, text} or {error} for a connection that failed.
function send(client, method, path, body, contentType = 'application/json') {
  return new Promise((resolve) => {
    const u = new URL(srv.url + path);
    const headers = { 'content-type': contentType };
    if (client.cookie) headers.cookie = client.cookie;
    if (client.csrf && method !== 'GET') headers['x-csrf-token'] = client.csrf;
    if (client.token) headers.authorization = `Bearer ${client.token}`;
    const buf = body === undefined ? null : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    if (buf) headers['content-length'] = buf.length;
    const rq = http.request({ host: u.hostname, port: u.port, method, path: u.pathname + u.search, headers }, (rs) => {
      const parts = [];
      rs.on('data', (d) => parts.push(d));
      rs.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let json = null;
        try { json = JSON.parse(text); } catch { /* checked below */ }
        resolve({ status: rs.statusCode, json, text });
      });
      rs.on('error', (e) => resolve({ error: e.message }));
    });
    rq.setTimeout(15000, () => rq.destroy(new Error('timeout')));
    rq.on('error', (e) => resolve({ error: e.message }));
    if (buf) rq.write(buf);
    rq.end();
  });
}

// ---- what a good answer to bad input is ----

// Errors about the request as a whole, not about one field.
const WHOLE = new Set(['invalid_path', 'malformed_json', 'invalid_body', 'missing_body', 'unsupported_media_type', 'body_too_large']);

// The problems found, as lines "METHOD path (what was sent) -> answer", so
// that one run lists them all.
function judge(problems, label, r, field, related = {}) {
  if (r.error) return problems.push(`${label} -> connection: ${r.error}`);
  if (r.status >= 500) return problems.push(`${label} -> ${r.status} ${r.text.slice(0, 200)}`);
  if (r.status >= 200 && r.status < 300) return;
  if (r.status < 400) return problems.push(`${label} -> ${r.status}`);
  const e = r.json?.error;
  if (!e || typeof e.code !== 'string' || typeof e.message !== 'string')
    return problems.push(`${label} -> ${r.status} not a JSON error: ${r.text.slice(0, 200)}`);
  if (field === undefined || WHOLE.has(e.code)) return;
  // the field itself, a part of it ("companions[0].relation" for
  // "companions"), or what holds it ("companions" for
  // "companions[0].name" replaced by an object)
  const near = (f) => f && (f === field || f.startsWith(field + '.') || f.startsWith(field + '[') ||
    field.startsWith(f + '.') || field.startsWith(f + '[') || (related[field] || []).includes(f));
  // a prechequeo list is kept and refused with every bad record in
  // "errors" (docs/prechequeo.md): record n is travelers[n-1]
  const named = e.code === 'list_rejected' && Array.isArray(r.json.errors)
    ? r.json.errors.map((x) => (x.record > 0 ? `travelers[${x.record - 1}]${x.field ? '.' + x.field : ''}` : x.field))
    : [e.field];
  if (!named.some(near)) problems.push(`${label} -> ${r.status} ${e.code} names ${JSON.stringify(named.join(', '))}, not ${field}`);
}

// ---- the malformed values ----

const RAW = (text) => ({ raw: text }); // a number JSON.stringify cannot write
const LONG = 'x'.repeat(10000);
// In a field: each reaches the handler (a number JSON cannot hold, 2^63
// or 1e400, is refused by the parser as malformed JSON, a whole-body
// error, and a NUL escape before the handler, naming the field: those are
// sent once per endpoint, below).
const BAD = [
  ['number', 12345], ['1e308', 1e308], ['-1', -1], ['true', true], ['null', null], ['object', {}], ['array', []],
  ['empty', ''], ['blank', '   '], ['10k chars', LONG], ['10k accented', 'ñ'.repeat(10000)], ['control', 'a\u0007\u001bb'],
  ['emoji', '😀'],
];
const DATES = [['2026-02-30', '2026-02-30'], ['0000-00-00', '0000-00-00'], ['9999-12-31', '9999-12-31'], ['2026-13-01', '2026-13-01']];
const dateLike = (k) => /date|_on$|_from$|_to$|until|^at$|day|arrival|expiry/.test(k);

// Serialises with the RAW numbers written as they are.
function toJson(v) {
  const raws = [];
  const s = JSON.stringify(v, (k, x) => (x && typeof x === 'object' && 'raw' in x && Object.keys(x).length === 1
    ? `\u0001RAW${raws.push(x.raw) - 1}\u0001` : x));
  return s.replace(/"\\u0001RAW(\d+)\\u0001"/g, (m, i) => raws[i]);
}

// Every path of a body ("document.number", "companions[0].relation"),
// with its key, parents first.
function paths(v, pre = '') {
  const out = [];
  if (Array.isArray(v)) v.forEach((x, i) => { const p = `${pre}[${i}]`; out.push([p, String(i)], ...paths(x, p)); });
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) { const p = pre ? `${pre}.${k}` : k; out.push([p, k], ...paths(x, p)); }
  return out;
}
const setPath = (obj, p, val) => {
  const c = structuredClone(obj);
  const keys = p.match(/[^.[\]]+/g);
  let o = c;
  for (const k of keys.slice(0, -1)) o = o[k];
  if (val === DEL) delete o[keys.at(-1)];
  else o[keys.at(-1)] = val;
  return c;
};
const DEL = Symbol('delete');

// Sends a valid body (mk(): a new one each time, so that a mutation that
// is in fact valid is not refused as a repeat) without each key, with each
// path replaced by each bad value, with an unknown key at the top and in
// each nested object, and as raw bodies that are not a JSON object.  A
// text of spaces only is empty (src/api/README.md): a field that may not
// be left out may not be blank either.  fresh(): a new target after a
// 2xx consumed it.  related: the other fields an error about a field may
// name instead (two that go together).
async function sweep(client, method, pathFn, mk, { fresh, skip = [], related = {} } = {}) {
  const problems = [];
  let target = pathFn();
  const base = mk();
  const go = async (label, body, field, ct) => {
    const r = await send(client, method, target, body, ct);
    judge(problems, `${method} ${target} ${label}`, r, field, related);
    if (r.status >= 200 && r.status < 300 && fresh) target = await fresh();
    return r;
  };
  // at once, unless a valid one consumes the target
  const each = async (list, fn) => {
    if (fresh) for (const x of list) await fn(x);
    else await Promise.all(list.map(fn));
  };
  const required = new Set();
  // an element of a list is not a key
  await each(paths(base).filter(([p]) => !/\[\d+\]$/.test(p)), async ([p]) => {
    const r = await go(`without ${p}`, toJson(setPath(mk(), p, DEL)), p);
    if (r.status >= 400 && r.status < 500) required.add(p);
  });
  const blankOk = (p) => async (r, what) => {
    if (required.has(p) && (what === 'empty' || what === 'blank') && r.status >= 200 && r.status < 300)
      problems.push(`${method} ${target} ${p}=${what} -> ${r.status}: required, but taken blank`);
  };
  for (const [p, k] of paths(base)) {
    if (skip.includes(p)) continue;
    const values = dateLike(k) ? [...BAD, ...DATES] : BAD;
    const check = blankOk(p);
    await each(values, async ([what, v]) => check(await go(`${p}=${what}`, toJson(setPath(mk(), p, v)), p), what));
  }
  await go('unknown top-level field', toJson({ ...mk(), zz_unknown: 1 }), 'zz_unknown');
  for (const [p] of paths(base)) {
    const keys = p.match(/[^.[\]]+/g);
    let o = base;
    for (const k of keys) o = o[k];
    if (o && typeof o === 'object' && !Array.isArray(o)) await go(`unknown field in ${p}`, toJson(setPath(mk(), `${p}.zz_unknown`, 1)), `${p}.zz_unknown`);
  }
  const good = toJson(base);
  const first = paths(base).find(([p]) => !p.includes('.') && !p.includes('['))[0];
  const RAWS = [
    ['2^63 in a field', toJson(setPath(mk(), first, RAW('9223372036854775808')))],
    ['-2^63-1 in a field', toJson(setPath(mk(), first, RAW('-9223372036854775809')))],
    ['1e400 in a field', toJson(setPath(mk(), first, RAW('1e400')))],
    ['NUL escape in a field', toJson(setPath(mk(), first, 'a\u0000b'))],
    ['invalid UTF-8 in a string', Buffer.concat([Buffer.from(good.slice(0, -1) + ',"zz":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')])],
    ['invalid UTF-8 in a value', (() => { const i = good.indexOf('":"') + 3; return Buffer.concat([Buffer.from(good.slice(0, i)), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(good.slice(i))]); })()],
    ['truncated', good.slice(0, Math.floor(good.length / 2))],
    ['empty', ''], ['array', '[]'], ['string', '"x"'], ['number', '1'], ['null', 'null'],
    ['duplicate key', good.replace(/^\{/, `{${good.slice(1).split(',')[0]},`)],
    ['deep nesting', '['.repeat(100000) + ']'.repeat(100000)],
    ['NUL byte', Buffer.concat([Buffer.from('{"a'), Buffer.from([0]), Buffer.from('":1}')])],
    ['BOM', '\ufeff' + good],
  ];
  for (const [what, b] of RAWS) await go(`raw: ${what}`, b, undefined);
  // a NUL escape is read, then refused naming the field that holds it
  // (a nested one by its path): never the whole body's malformed_json.  A
  // top-level text, a nested one, one in a list.
  const at = (p) => p.match(/[^.[\]]+/g).reduce((o, k) => o?.[k], base);
  const texts = paths(base).map(([p]) => p).filter((p) => typeof at(p) === 'string');
  const nul = new Set([texts.find((p) => !/[.[]/.test(p)), texts.find((p) => p.includes('.')), texts.find((p) => p.includes('['))]);
  for (const p of nul) {
    if (!p) continue;
    const r = await go(`${p}=NUL escape`, toJson(setPath(mk(), p, 'a\u0000b')), p);
    // a prechequeo list is refused with its bad records (judge())
    const said = r.json?.error?.code === 'list_rejected'
      ? (r.json.errors || []).filter((x) => x.code === 'invalid_characters')
        .map((x) => (x.record > 0 ? `travelers[${x.record - 1}].${x.field}` : x.field))
      : r.status === 400 && r.json?.error?.code === 'invalid_characters' ? [r.json.error.field] : [];
    if (!r.error && !said.includes(p))
      problems.push(`${method} ${target} ${p}=NUL escape -> ${r.status} ${r.text.slice(0, 200)} (expected 400 invalid_characters naming ${p})`);
  }
  await go('text/plain', good, undefined, 'text/plain');
  return problems;
}

// Path ids that are no record's: each a 4xx naming "id".
const BAD_IDS = ['-1', '0', 'abc', '1.5', '99999999999999999999', '9223372036854775807', '9223372036854775808',
  '%00', '01', '+1', '1e3', '0x10', '%20%31', 'null'];
async function idSweep(client, method, pattern, body) {
  const problems = [];
  for (const id of BAD_IDS) {
    const p = pattern.replace('{id}', id);
    const r = await send(client, method, p, body === undefined ? undefined : toJson(body));
    judge(problems, `${method} ${p}`, r, 'id');
    if (!r.error && r.status < 500 && r.status !== 404 && r.status !== 400)
      problems.push(`${method} ${p} -> ${r.status} (expected 404 or 400)`);
  }
  return problems;
}

// Query parameters with bad values: each a 400 naming the parameter (or
// a 2xx where the value is in fact acceptable).
const BAD_Q = ['-1', 'abc', '', '99999999999999999999', '1.5', '%00', LONG.slice(0, 3000), '%C3%B1'.repeat(1000),
  '%C3%B1%C3', '2026-13-01', '2026-02-30', '9999-12-31', 'SAL,1', '%FF%FE', 'a%0Ab'];
const NOT_UTF8 = ['%FF%FE', '%C3%B1%C3'], CONTROL = ['%00', 'a%0Ab'];
// strict: parameters of a fixed set of values (a status, a post), where
// none of these is one: a filter of a value that is none must not answer
// an empty list as if nothing matched.
async function querySweep(client, base, names, { strict = [] } = {}) {
  const problems = [];
  // reads: sent together, a parameter's values at once
  for (const n of names) await Promise.all(BAD_Q.map(async (v) => {
    const p = `${base}${base.includes('?') ? '&' : '?'}${n}=${v}`;
    const r = await send(client, 'GET', p);
    judge(problems, `GET ${p.slice(0, 160)}`, r, n);
    // bytes that are not UTF-8 are no text: never a value, on either
    // engine (PostgreSQL refuses them as a query parameter)
    if (NOT_UTF8.includes(v) && r.status < 400) problems.push(`GET ${p} -> ${r.status}: not UTF-8, taken`);
    if (CONTROL.includes(v) && r.status < 400) problems.push(`GET ${p} -> ${r.status}: control characters, taken`);
    if (strict.includes(n) && v !== '' && r.status < 400) problems.push(`GET ${p.slice(0, 160)} -> ${r.status}: no such ${n}, taken`);
  }));
  return problems;
}

// ---- valid bodies ----

let seq = 0;
const num = () => `BIS${String(++seq).padStart(6, '0')}`;
// a surname for each number: one person crossing once (a second crossing
// of the same person is refused as already recorded)
const sur = () => `Barrido ${[...String(seq).padStart(4, '0')].map((d) => 'ABCDEFGHIJ'[d]).join('')}`;
const inspection = (over = {}) => {
  const n = num();
  return {
    port: 'SAL', direction: 'entry', transport: 'TA 390', route_country: 'GTM',
    document: { kind: 'passport', code: 'P', number: n, issuing_state: 'USA', nationality: 'USA', expiry_date: '2031-05-01' },
    person: { given_names: 'John', surnames: sur(), birth_date: '1975-03-02', sex: 'M', nationality: 'USA' },
    ...over,
  };
};

// A Bolivian without a visa: a case in the secondary queue.
async function pendingCase() {
  const r = await ofi.post('/api/v1/inspections', inspection({
    document: { kind: 'passport', code: 'P', number: num(), issuing_state: 'BOL', nationality: 'BOL', expiry_date: '2031-05-01' },
    person: { given_names: 'Rosa', surnames: sur(), birth_date: '1980-01-01', sex: 'F', nationality: 'BOL' } }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'pending', r.text);
  return r.json.inspection_id;
}
async function admitted() {
  const r = await ofi.post('/api/v1/inspections', inspection());
  assert.equal(r.status, 201, r.text);
  assert.ok(r.json.movement_id, r.text);
  return r.json;
}

const report = (problems) => assert.deepEqual(problems, [], `\n${problems.join('\n')}`);

test('POST /api/v1/inspections with document fields: every malformed field is a 4xx naming it', async () => {
  report(await sweep(ofi, 'POST', () => '/api/v1/inspections', () => inspection({
    visa: { type: 'consular', valid_until: '2030-01-01', reference: 'V-1' },
    residence: { carnet_number: 'R123456', valid_until: '2030-01-01' },
    visa_consultada: { approved: true, valid_until: '2030-01-01', reference: 'VC-1' },
  })));
});

test('POST /api/v1/inspections with an MRZ: every malformed field is a 4xx naming it', async () => {
  const TD3 = 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10';
  // the MRZ is one document: a repeat is 409 already_recorded, which
  // names the number the MRZ holds
  report(await sweep(ofi, 'POST', () => '/api/v1/inspections', () => ({ port: 'SAL', direction: 'entry', mrz: TD3, national_dui: '00016297-5' }),
    { related: { mrz: ['national_dui'], port: ['document.number'], direction: ['document.number'] } }));
});

test('POST /api/v1/inspections of a minor with companions: every malformed field is a 4xx naming it', async () => {
  report(await sweep(ofi, 'POST', () => '/api/v1/inspections', () => inspection({
    direction: 'exit', route_country: 'USA',
    person: { given_names: 'Ana', surnames: sur(), birth_date: '2015-06-01', sex: 'F', nationality: 'USA' },
    companions: [{ relation: 'parent', name: 'Ana Madre', document_number: 'X1234567', identity_checked: true }],
  })));
});

// a fine's amount and its receipt go together
const FINE_PAIR = { fine_amount: ['fine_receipt'], fine_receipt: ['fine_amount'] };

test('POST /api/v1/inspections/{id}/resolve: bad ids and every malformed field are 4xx naming them', async () => {
  const body = () => ({ resolution: 'admit', legal_ground: 'Art. 1', notes: 'revisado', permitted_stay_days: 30, carrier: 'TA', arrival_transport: 'TA 390', return_transport: 'TA 391' });
  const problems = await idSweep(sup, 'POST', '/api/v1/inspections/{id}/resolve', body());
  let target = `/api/v1/inspections/${await pendingCase()}/resolve`;
  const fresh = async () => (target = `/api/v1/inspections/${await pendingCase()}/resolve`);
  problems.push(...await sweep(sup, 'POST', () => target, body, { fresh }));
  problems.push(...await sweep(sup, 'POST', () => target, () => ({ resolution: 'refer_atencion_migrante', referral_motive: 'asylum', notes: 'x' }),
    { fresh, related: { resolution: ['referral_motive'] } }));
  report(problems);
});

test('POST /api/v1/minor-authorizations and its revocation: every malformed field is a 4xx naming it', async () => {
  let k = 0;
  const auth = () => ({
    minor: { given_names: 'Sofía', surnames: `Barrido ${String.fromCharCode(65 + (k % 26))}${String.fromCharCode(65 + (Math.floor(k / 26) % 26))}`, birth_date: '2014-06-01', nationality: 'SLV', document_number: 'B1234567' },
    birth_certificate_ref: `Partida ${k}`, authorizing: [{ relation: 'father', given_names: 'Carlos', surnames: 'Barrido' }],
    instrument: 'notarial_act', instrument_reference: `Acta notarial ${++k}`, issued_on: today, valid_from: today,
    valid_to: today, travels_alone: false, companion: { given_names: 'Laura', surnames: 'Ramos', dui: '00016297-5' },
    destination: 'USA, Houston', length_of_stay: '30 días',
  });
  const problems = await sweep(ofi, 'POST', () => '/api/v1/minor-authorizations', auth, { related: { travels_alone: ['companion'] } });
  const mk = async () => { const r = await ofi.post('/api/v1/minor-authorizations', auth()); assert.equal(r.status, 201, r.text); return r.json.id; };
  let target = `/api/v1/minor-authorizations/${await mk()}/revoke`;
  const revoke = () => ({ reason: 'la madre retira el consentimiento', reference: 'Acta 2' });
  problems.push(...await sweep(ofi, 'POST', () => target, revoke, { fresh: async () => (target = `/api/v1/minor-authorizations/${await mk()}/revoke`) }));
  problems.push(...await idSweep(ofi, 'POST', '/api/v1/minor-authorizations/{id}/revoke', revoke()));
  problems.push(...await idSweep(ofi, 'GET', '/api/v1/minor-authorizations/{id}'));
  problems.push(...await querySweep(ofi, '/api/v1/minor-authorizations?surnames=Barrido', ['limit', 'cursor', 'birth_date', 'valid_on', 'document_number']));
  report(problems);
});

test('movement corrections, correction requests and contingency records: every malformed field is a 4xx naming it', async () => {
  const mv = async () => (await admitted()).movement_id;
  let target = `/api/v1/movements/${await mv()}/corrections`;
  const correction = () => ({ reason: 'registrado por error', approved_by: 'bis_sup' });
  const problems = await sweep(sup, 'POST', () => target, correction,
    { fresh: async () => (target = `/api/v1/movements/${await mv()}/corrections`) });
  problems.push(...await idSweep(sup, 'POST', '/api/v1/movements/{id}/corrections', correction()));
  let req = `/api/v1/movements/${await mv()}/correction-requests`;
  problems.push(...await sweep(ofi, 'POST', () => req, () => ({ reason: 'pasaporte equivocado' }),
    { fresh: async () => (req = `/api/v1/movements/${await mv()}/correction-requests`) }));
  problems.push(...await idSweep(ofi, 'POST', '/api/v1/movements/{id}/correction-requests', { reason: 'x' }));
  const request = async () => { const r = await ofi.post(`/api/v1/movements/${await mv()}/correction-requests`, { reason: 'error' }); assert.equal(r.status, 201, r.text); return r.json.id; };
  for (const verb of ['approve', 'reject']) {
    let t = `/api/v1/correction-requests/${await request()}/${verb}`;
    problems.push(...await sweep(sup, 'POST', () => t, () => ({ note: 'visto' }), { fresh: async () => (t = `/api/v1/correction-requests/${await request()}/${verb}`) }));
    problems.push(...await idSweep(sup, 'POST', `/api/v1/correction-requests/{id}/${verb}`, { note: 'x' }));
  }
  problems.push(...await querySweep(sup, '/api/v1/correction-requests', ['limit', 'cursor', 'status'], { strict: ['status'] }));
  problems.push(...await sweep(sup, 'POST', () => '/api/v1/movements/contingency', () => {
    const n = num();
    return {
      port: 'AMA', direction: 'entry', at: daysAgoUtc(2), transport: 'M 123', permitted_stay_days: 90, reference: `FC-${n}`, reason: 'Caída del enlace',
      document: { kind: 'passport', code: 'P', number: n, issuing_state: 'DEU', nationality: 'DEU', expiry_date: '2031-01-31' },
      person: { given_names: 'Lena', surnames: sur(), birth_date: '1988-04-12', sex: 'F', nationality: 'DEU' },
    };
  }));
  report(problems);
});

test('carrier fines and traveler fines: every malformed field is a 4xx naming it', async () => {
  const fine = () => ({ carrier: 'TA', amount: 500, currency: 'USD', legal_basis: 'Art. 1', reason: 'pasajero inadmitido', port: 'SAL', transport: 'TA 390', imposed_on: today, cause: 'late_manifest' });
  const problems = await sweep(sup, 'POST', () => '/api/v1/carrier-fines', fine);
  const mk = async () => { const r = await sup.post('/api/v1/carrier-fines', fine()); assert.equal(r.status, 201, r.text); return r.json.id; };
  let t = `/api/v1/carrier-fines/${await mk()}/status`;
  problems.push(...await sweep(sup, 'POST', () => t, () => ({ status: 'notified', note: 'notificada' }), { fresh: async () => (t = `/api/v1/carrier-fines/${await mk()}/status`) }));
  problems.push(...await idSweep(sup, 'POST', '/api/v1/carrier-fines/{id}/status', { status: 'paid' }));
  problems.push(...await querySweep(sup, '/api/v1/carrier-fines', ['limit', 'cursor', 'status', 'month', 'carrier'], { strict: ['status'] }));
  problems.push(...await idSweep(sup, 'POST', '/api/v1/traveler-fines/{id}/payment', { receipt: 'R-1' }));
  problems.push(...await querySweep(sup, '/api/v1/traveler-fines', ['limit', 'cursor', 'person_id', 'status'], { strict: ['status'] }));
  report(problems);
});

test('stay extensions: bad ids and every malformed field are 4xx naming them', async () => {
  let target = `/api/v1/persons/${(await admitted()).person_id}/stay-extensions`;
  const problems = await sweep(dex, 'POST', () => target, () => ({ days: 30, resolution: `DEX-PR-${num()}`, requested_on: today, note: 'x' }),
    { fresh: async () => (target = `/api/v1/persons/${(await admitted()).person_id}/stay-extensions`) });
  problems.push(...await idSweep(dex, 'POST', '/api/v1/persons/{id}/stay-extensions', { days: 30, resolution: 'R' }));
  problems.push(...await idSweep(dex, 'POST', '/api/v1/stay-extensions/{id}/annul', { reason: 'x' }));
  report(problems);
});

test('GET timeline, movements, overstayers, ports, queue, persons: bad ids and bad query parameters are 4xx naming them', async () => {
  const a = await admitted();
  const problems = await idSweep(ofi, 'GET', '/api/v1/persons/{id}/timeline');
  problems.push(...await idSweep(ofi, 'GET', '/api/v1/persons/{id}'));
  problems.push(...await querySweep(ofi, `/api/v1/persons/${a.person_id}/timeline`, ['limit', 'cursor']));
  problems.push(...await querySweep(ofi, `/api/v1/movements?day=${today}`, ['limit', 'cursor', 'port', 'direction'], { strict: ['port', 'direction'] }));
  problems.push(...await querySweep(ofi, '/api/v1/movements?port=SAL', ['day']));
  problems.push(...await querySweep(ofi, '/api/v1/overstayers', ['limit', 'min_days', 'as_of', 'port', 'nationality', 'cursor'], { strict: ['port', 'nationality'] }));
  problems.push(...await querySweep(ofi, '/api/v1/ports', ['limit', 'active', 'kind']));
  problems.push(...await querySweep(ofi, '/api/v1/inspections?port=SAL', ['limit', 'cursor', 'status'], { strict: ['status'] }));
  problems.push(...await querySweep(ofi, '/api/v1/inspections?status=pending', ['port'], { strict: ['port'] }));
  problems.push(...await querySweep(ofi, '/api/v1/persons?surnames=Barrido', ['limit', 'cursor', 'document_number', 'birth_date']));
  problems.push(...await querySweep(ofi, '/api/v1/persons?document_number=BIS000001', ['surnames']));
  problems.push(...await querySweep(sup, `/api/v1/statistics/movements?month=${today.slice(0, 7)}`, ['format', 'port']));
  problems.push(...await querySweep(sup, '/api/v1/statistics/movements', ['month']));
  problems.push(...await querySweep(sup, '/api/v1/referrals', ['limit', 'cursor', 'status', 'port'], { strict: ['status', 'port'] }));
  problems.push(...await querySweep(sup, '/api/v1/person-duplicates', ['limit', 'cursor', 'status'], { strict: ['status'] }));
  report(problems);
});

test('APIS and prechequeo: raw PAXLST garbage, bad JSON lists, bad ids and query parameters are 4xx', async () => {
  const problems = [];
  const good = paxlst('TA901', [{ sur: 'BARRIDO', given: 'ANA', sex: 'F', birth: '800101', nat: 'USA', doc: 'BISA0001' }]);
  const EDI = [
    ['empty', ''], ['garbage', 'hola'], ['NUL', 'UNA:+.? \'\u0000UNB'], ['invalid UTF-8', Buffer.from([0x55, 0x4e, 0x42, 0xff, 0xfe, 0x27])],
    ['10k segment', good.replace('BGM+745', 'BGM+' + LONG)], ['truncated', good.slice(0, good.length / 2)],
    ['no UNZ', good.replace(/UNZ[^']*'/, '')], ['huge count', good.replace(/CNT\+42:\d+/, 'CNT+42:99999999999999999999')],
    ['bad date', good.replace(/DTM\+329:\d+/, 'DTM+329:991399')], ['JSON', '{"a":1}'],
    ['many segments', good.replace('BGM+745\'', 'BGM+745\'' + "FTX+AAA+x'".repeat(20000))],
  ];
  for (const [what, b] of EDI) {
    const r = await send(carrier, 'POST', '/api/v1/apis/manifests', b, 'application/edifact');
    judge(problems, `POST /api/v1/apis/manifests ${what}`, r, undefined);
  }
  for (const id of ['manifests/{id}', 'manifests/{id}/hits', 'manifests/{id}/reconciliation', 'interchanges/{id}'])
    problems.push(...await idSweep(sup, 'GET', `/api/v1/apis/${id}`));
  problems.push(...await idSweep(sup, 'POST', '/api/v1/apis/manifests/{id}/screen'));
  problems.push(...await idSweep(sup, 'POST', '/api/v1/apis/hits/{id}/review', { decision: 'cleared', note: 'x' }));
  problems.push(...await querySweep(sup, '/api/v1/apis/manifests', ['flight', 'date', 'carrier', 'status', 'mode', 'limit', 'cursor'], { strict: ['status', 'mode'] }));
  problems.push(...await querySweep(sup, '/api/v1/apis/schedule', ['date']));
  problems.push(...await querySweep(sup, `/api/v1/prechequeo/lists?port=ACA&date=${today}`, ['status'], { strict: ['status'] }));
  problems.push(...await querySweep(sup, `/api/v1/prechequeo/lists?date=${today}`, ['port'], { strict: ['port'] }));
  problems.push(...await querySweep(sup, '/api/v1/prechequeo/lists?port=ACA', ['date']));
  let f = 100;
  problems.push(...await sweep(sup, 'POST', () => '/api/v1/apis/schedule', () => ({ flights: [{ date: today, carrier: 'TA', flight: String(++f), port: 'SAL', origin: 'GUA', arrival: '23:45' }] })));
  const arrival = `${today}T23:59`;
  problems.push(...await sweep(cruise, 'POST', () => '/api/v1/prechequeo/lists', () => ({
    port: 'ACA', vehicle: 'MSC Barrido', company: 'MSC Cruceros', trip: `MSC-${++f}`, arrival, direction: 'entry',
    travelers: [{ surnames: 'BARRIDO', given_names: 'ANA', birth_date: '1980-01-01', sex: 'F', nationality: 'USA', doc_type: 'P', doc_number: 'BISP0001', doc_issuing_state: 'USA', doc_expiry: '2031-01-01', role: 'passenger' }],
  })));
  problems.push(...await idSweep(cruise, 'GET', '/api/v1/prechequeo/submissions/{id}'));
  report(problems);
});

test('the server still answers after the sweep', async () => {
  const r = await ofi.get('/api/v1/ports');
  assert.equal(r.status, 200);
  assert.equal(srv.child.exitCode, null);
});
