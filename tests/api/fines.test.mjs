// The register of fines imposed on carriers: supervisors record them and
// follow their collection; the Dirección reads; nobody else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, Client, ADMIN_PASSWORD, staffUser } from '../lib/server.mjs';

let srv, sup, dir, ofi;
const PW = 'Turno-Seguro-2026';
before(async () => { srv = await startServer(); sup = await staffUser(srv.url, 'f_supervisor_control', 'supervisor_control', PW, 'DG'); dir = await staffUser(srv.url, 'f_direccion', 'direccion', PW, 'DG'); ofi = await staffUser(srv.url, 'f_oficial_control', 'oficial_control', PW, 'DG'); });
after(async () => { await srv.stop(); });

const fine = (over = {}) => ({ carrier: 'Transportes del Norte S.A.', amount: 500, legal_basis: 'Ley Especial de Migración y de Extranjería', reason: 'Pasajero sin documento de viaje válido', port: 'AMA', transport: 'Bus P-123', imposed_on: '2026-11-03', ...over });

test('record, follow up and close a fine; closed fines do not change', async () => {
  const r = await sup.post('/api/v1/carrier-fines', fine());
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(r.json.amount_cents, 50000);
  assert.equal(r.json.status, 'pending');
  const n = await sup.post(`/api/v1/carrier-fines/${r.json.id}/status`, { status: 'notified', note: 'Oficio 12' });
  assert.equal(n.status, 200);
  const p = await sup.post(`/api/v1/carrier-fines/${r.json.id}/status`, { status: 'paid', note: 'Recibo 7788' });
  assert.equal(p.status, 200);
  const again = await sup.post(`/api/v1/carrier-fines/${r.json.id}/status`, { status: 'cancelled' });
  assert.equal(again.status, 409);
  assert.equal(again.json.error.code, 'fine_closed');
  const list = await dir.get('/api/v1/carrier-fines?carrier=' + encodeURIComponent('Transportes del Norte S.A.') + '&month=2026-11');
  assert.equal(list.status, 200);
  assert.equal(list.json.items.length, 1);
  assert.equal(list.json.items[0].status, 'paid');
  assert.equal((await dir.get('/api/v1/carrier-fines?month=2026-10')).json.items.length, 0);
  // a carrier as the supervisor remembers it: any part, any case, any
  // accent, its words in order
  const tica = await sup.post('/api/v1/carrier-fines', fine({ carrier: 'Línea Aérea Ñandú, S.A. de C.V.' }));
  assert.equal(tica.status, 201, JSON.stringify(tica.json));
  const found = async (q) => (await dir.get(`/api/v1/carrier-fines?carrier=${encodeURIComponent(q)}`)).json.items.map((x) => x.id);
  for (const q of ['del norte', 'NORTE S.A.', 'transportes', 'Transportes Norte'])
    assert.deepEqual(await found(q), [r.json.id], q);
  for (const q of ['linea aerea', 'LÍNEA AÉREA', 'nandu', 'Ñandú', 'ñandu s.a. de c.v.', 'aérea, ñandú'])
    assert.deepEqual(await found(q), [tica.json.id], q);
  for (const q of ['Golfo', 'norte transportes', 'Norte Golfo'])
    assert.deepEqual(await found(q), [], q);
  assert.deepEqual(await found('S.A.'), [tica.json.id, r.json.id]);
  // letters the engines fold apart (ø, ß, a curly apostrophe, a dash)
  // find the carrier on both, searched as written or as typed plainly
  for (const [name, ...typed] of [['Søndergaard Busser', 'sondergaard'], ['Transportes D’Amato', "d'amato", 'damato'], ['Straße Reisen'],
    ['Buses Golfo–Pacífico', 'golfo pacifico', 'golfopacifico'], ['Autobuses Hýbl', 'hybl']]) {
    const x = await sup.post('/api/v1/carrier-fines', fine({ carrier: name }));
    assert.equal(x.status, 201, JSON.stringify(x.json));
    assert.deepEqual(await found(name), [x.json.id], name);
    for (const t of typed) assert.deepEqual(await found(t), [x.json.id], t);
  }
  // a search of no letter is said, not answered with every carrier
  for (const q of ['%', '...', '_', '’']) {
    const bad = await dir.get(`/api/v1/carrier-fines?carrier=${encodeURIComponent(q)}`);
    assert.equal(bad.status, 400, q);
    assert.equal(bad.json.error.field, 'carrier');
  }
});

// Marking a fine notified (or appealed) again wrote the second click's day
// and note over the notification's: the oficio and the day the appeal
// term runs from were gone from the register.  It is said instead.
test('a fine marked again in the status it has keeps its date and note (409 same_status)', async () => {
  const r = await sup.post('/api/v1/carrier-fines', fine({ carrier: 'Buses Repetidos S.A.' }));
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const st = (status, note) => sup.post(`/api/v1/carrier-fines/${r.json.id}/status`, { status, note });
  const row = () => srv.sql(`SELECT status, status_note, status_changed_at FROM carrier_fines WHERE id = ${r.json.id}`).stdout.trim();
  assert.equal((await st('notified', 'Oficio 41')).status, 200);
  const was = row();
  for (const [status, note] of [['notified', 'Oficio 99'], ['appealed', 'Recurso 5'], ['appealed', 'Recurso 6']]) {
    const a = await st(status, note);
    if (note === 'Recurso 5') { assert.equal(a.status, 200, JSON.stringify(a.json)); continue; }
    assert.deepEqual([a.status, a.json.error.code, a.json.error.field], [409, 'same_status', 'status'], JSON.stringify(a.json));
    assert.match(a.json.error.message, /^la multa ya está (notificada|apelada)/);
    if (status === 'notified') assert.equal(row(), was, 'the notification as it was');
  }
  assert.match(row(), /^appealed\|Recurso 5\|/);
  const trail = srv.sql(`SELECT count(*) FROM audit_log WHERE record_type = 'carrier_fine' AND record_id = '${r.json.id}' AND action = 'carrier_fine.status'`).stdout.trim();
  assert.equal(trail, '2', 'one entry per change, none for the refused ones');
});

test('bad fines and wrong roles', async () => {
  // a fine is the post's that inspected the passenger
  const i = await sup.post('/api/v1/inspections', { port: 'SAL', direction: 'entry', transport: 'TA 390',
    document: { kind: 'passport', code: 'P', number: 'FN0000001', issuing_state: 'USA', nationality: 'USA', expiry_date: '2031-01-01' },
    person: { given_names: 'Ann', surnames: 'Fine', birth_date: '1980-01-01', sex: 'F', nationality: 'USA' } });
  assert.equal(i.status, 201, JSON.stringify(i.json));
  const other = await sup.post('/api/v1/carrier-fines', fine({ port: 'AMA', inspection_id: i.json.inspection_id, cause: 'missing_manifest' }));
  assert.deepEqual([other.status, other.json.error?.code, other.json.error?.field], [422, 'inspection_other_port', 'inspection_id']);
  assert.equal((await sup.post('/api/v1/carrier-fines', fine({ port: 'SAL', inspection_id: i.json.inspection_id, cause: 'missing_manifest' }))).status, 201);
  // no post given: the inspection's
  const bare = await sup.post('/api/v1/carrier-fines', fine({ port: undefined, inspection_id: i.json.inspection_id, cause: 'inaccurate_manifest' }));
  assert.equal(bare.status, 201, JSON.stringify(bare.json));
  assert.equal((await sup.get(`/api/v1/carrier-fines?carrier=${encodeURIComponent('Transportes del Norte')}&limit=1`)).json.items[0].port, 'SAL');
  for (const [over, field, status = 400] of [[{ amount: -5 }, 'amount'], [{ amount: 'mil' }, 'amount'], [{ carrier: '' }, 'carrier'], [{ imposed_on: '2026-02-31' }, 'imposed_on'], [{ inspection_id: 'x' }, 'inspection_id'],
    // not an amount in cents (was stored as 0), not a currency, not a post, not an inspection (was a storage error)
    [{ amount: 0.004 }, 'amount'], [{ amount: 10.005 }, 'amount'], [{ amount: undefined }, 'amount'], [{ currency: 'usd' }, 'currency'], [{ currency: 'x' }, 'currency'],
    [{ port: 'NOWHERE' }, 'port', 422], [{ inspection_id: 999999, cause: 'missing_manifest' }, 'inspection_id', 422], [{ inspection_id: -5 }, 'inspection_id'],
    // not imposed in the future (2199 was taken)
    [{ imposed_on: '2199-01-01' }, 'imposed_on', 422]]) {
    const r = await sup.post('/api/v1/carrier-fines', fine(over));
    assert.equal(r.status, status, `${JSON.stringify(over)} -> ${JSON.stringify(r.json)}`);
    assert.equal(r.json.error.field, field);
    assert.equal(r.json.error.detail, undefined, 'no storage words in the answer');
  }
  assert.equal((await sup.post('/api/v1/carrier-fines', fine({ amount: 1234.56 }))).json.amount_cents, 123456);
  const st = await sup.post('/api/v1/carrier-fines/1/status', { status: 'forgiven' });
  assert.equal(st.status, 422);
  assert.equal((await sup.get('/api/v1/carrier-fines?status=bogus')).status, 400, 'an unknown status is said, not an empty list');
  assert.equal((await ofi.post('/api/v1/carrier-fines', fine())).status, 403);
  assert.equal((await ofi.get('/api/v1/carrier-fines')).status, 403);
  assert.equal((await dir.post('/api/v1/carrier-fines', fine())).status, 403);
});

test('the register of carrier fines names the fines it shows in its audit entry (their evidence names travelers)', async () => {
  const f = await sup.post('/api/v1/carrier-fines', fine({ carrier: 'Autobuses Auditados S.A.' }));
  assert.equal(f.status, 201, JSON.stringify(f.json));
  assert.deepEqual((await dir.get(`/api/v1/carrier-fines?carrier=${encodeURIComponent('auditados')}`)).json.items.map((x) => x.id), [f.json.id]);
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const trail = (await admin.get(`/api/v1/audit?record_type=carrier_fine&record_id=${f.json.id}&action=carrier_fine.list`)).json.items;
  assert.equal(trail.length, 1, JSON.stringify(trail));
  assert.equal(trail[0].user, 'f_direccion');
  assert.equal(trail[0].detail.carrier, 'auditados');
  assert.deepEqual(trail[0].detail.ids, [f.json.id]);
});

test('an overstay fine the tables set is imposed at their amount: another fine_amount at the resolution is refused (amount_differs)', async () => {
  // the tables with an amount (the real ones have none: «según resolución»)
  const data = mkdtempSync(path.join(tmpdir(), 'sigm-data-'));
  cpSync('data', data, { recursive: true });
  const ff = path.join(data, 'border', 'fines.json');
  const t = JSON.parse(readFileSync(ff, 'utf8'));
  const ov = t.fines.find((x) => x.applies_to === 'overstay');
  Object.assign(ov, { fixed_usd: 150, per_day_usd: null, max_usd: null });
  writeFileSync(ff, JSON.stringify(t));
  const s = await startServer({ env: { SIGM_DATA: data } });
  try {
    const adm = new Client(s.url);
    await adm.login('admin', ADMIN_PASSWORD);
    const as = async (role) => {
      assert.equal((await adm.post('/api/v1/users', { username: `o_${role}`, display_name: role, unit: 'DCM', roles: [role], password: PW })).status, 201);
      const c = new Client(s.url);
      assert.equal((await c.login(`o_${role}`, PW)).status, 200);
      return c;
    };
    const o = await as('oficial_control'), su = await as('supervisor_control');
    const person = { given_names: 'Nils', surnames: 'Tabla', birth_date: '1970-07-07', sex: 'M', nationality: 'SWE' };
    const document = { kind: 'passport', code: 'P', number: 'SE7100001', issuing_state: 'SWE', nationality: 'SWE', expiry_date: '2031-01-01' };
    // in the country since 120 days, 90 granted (a paper record)
    const en = await su.post('/api/v1/movements/contingency', { port: 'SAL', direction: 'entry', at: new Date(Date.now() - 120 * 86400e3).toISOString().slice(0, 16) + 'Z',
      transport: 'TA 510', permitted_stay_days: 90, reference: 'FC-SAL-TB-1', reason: 'Caída del enlace', document, person });
    assert.equal(en.status, 201, JSON.stringify(en.json));
    const ex = await o.post('/api/v1/inspections', { port: 'SAL', direction: 'exit', transport: 'TA 511', document, person });
    const fine = ex.json.reasons.find((x) => x.code === 'overstay')?.fine;
    assert.equal(fine?.amount_cents, 15000, JSON.stringify(ex.json.reasons));
    const url = `/api/v1/inspections/${ex.json.inspection_id}/resolve`;
    const other = await su.post(url, { resolution: 'admit', fine_amount: 1, notes: 'Pagará después' });
    assert.equal(other.status, 422, JSON.stringify(other.json));
    assert.deepEqual([other.json.error.code, other.json.error.field], ['amount_differs', 'fine_amount']);
    assert.match(other.json.error.message, /US\$ 1\.00.*US\$ 150\.00/);
    assert.equal(s.sql(`SELECT COUNT(*) FROM traveler_fines WHERE inspection_id = ${ex.json.inspection_id}`).stdout.trim(), '0', 'nothing recorded');
    // the amount owed, given, is taken
    const ok = await su.post(url, { resolution: 'admit', fine_amount: 150, fine_receipt: 'DGME-2026-000777' });
    assert.equal(ok.status, 200, JSON.stringify(ok.json));
    assert.equal(ok.json.fine.status, 'paid');
    assert.equal(s.sql(`SELECT amount_cents FROM traveler_fines WHERE id = ${ok.json.fine.id}`).stdout.trim(), '15000');
  } finally {
    await s.stop();
    rmSync(data, { recursive: true, force: true });
  }
});

test('a carrier fine is in dollars, imposed since the dollar is El Salvador\'s currency, and cancelled with its reason', async () => {
  for (const [over, field, code] of [[{ currency: 'ZZZ' }, 'currency', 'invalid_currency'], [{ currency: 'EUR' }, 'currency', 'invalid_currency'],
    [{ imposed_on: '1900-01-01' }, 'imposed_on', 'date_out_of_range'], [{ imposed_on: '2000-12-31' }, 'imposed_on', 'date_out_of_range']]) {
    const r = await sup.post('/api/v1/carrier-fines', fine(over));
    assert.equal(r.status, 422, `${JSON.stringify(over)} -> ${JSON.stringify(r.json)}`);
    assert.deepEqual([r.json.error.code, r.json.error.field], [code, field], JSON.stringify(over));
  }
  assert.equal((await sup.post('/api/v1/carrier-fines', fine({ currency: 'USD', imposed_on: '2001-01-01' }))).status, 201);
  // a confirmed fine is a debt: cancelling it says why, whatever it reached
  for (const steps of [[], ['notified'], ['notified', 'appealed']]) {
    const f = await sup.post('/api/v1/carrier-fines', fine({ carrier: 'Transportes Anulados S.A.' }));
    for (const s of steps)
      assert.equal((await sup.post(`/api/v1/carrier-fines/${f.json.id}/status`, { status: s, note: 'Oficio 1' })).status, 200);
    for (const body of [{ status: 'cancelled' }, { status: 'cancelled', note: '   ' }]) {
      const bare = await sup.post(`/api/v1/carrier-fines/${f.json.id}/status`, body);
      assert.equal(bare.status, 422, `${steps} ${JSON.stringify(bare.json)}`);
      assert.deepEqual([bare.json.error.code, bare.json.error.field], ['missing_field', 'note']);
    }
    const c = await sup.post(`/api/v1/carrier-fines/${f.json.id}/status`, { status: 'cancelled', note: 'Resolución 45/2026: recurso estimado' });
    assert.equal(c.status, 200, JSON.stringify(c.json));
  }
});

test('overstayers by nationality: an unknown country code is said (400 naming nationality), not answered with nobody', async () => {
  for (const q of ['QQQ', 'ZZZ', 'AAA']) {
    const r = await sup.get(`/api/v1/overstayers?nationality=${q}`);
    assert.equal(r.status, 400, `${q}: ${r.text}`);
    assert.deepEqual([r.json.error.code, r.json.error.field], ['unknown_country', 'nationality'], q);
  }
  // the country table's codes, any case, and ICAO's nationalities (XXA stateless, XXX unspecified)
  for (const q of ['NOR', 'nor', 'SLV', 'XXA', 'XXX', 'RKS'])
    assert.equal((await sup.get(`/api/v1/overstayers?nationality=${q}`)).status, 200, q);
});
