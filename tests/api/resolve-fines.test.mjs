// The overstay fine of an exit let out after secondary is counted when the
// supervisor resolves, from where the person is then: all the records
// linked to them.  A traveler who entered on one passport and leaves on a
// renewed one the booth could not match reaches secondary as an "exit
// without entry"; a supervisor links the two records (same person) and
// admits the exit: the overstay of the entry on the old passport is fined,
// counted to the day the traveler came to the booth, with the row of
// fines.json in force that day, as the booth would have counted it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, staffUser } from '../lib/server.mjs';

const PW = 'Turno-Seguro-2026';
const DAY = 86400e3;
const today = new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10);
const addDays = (d, n) => new Date(Date.parse(d + 'T12:00:00Z') + n * DAY).toISOString().slice(0, 10);
const daysAgo = (n) => new Date(Date.now() - n * DAY).toISOString().slice(0, 16) + 'Z';

// A server (with the given fines.json overstay row, or the real tables)
// and its officer, supervisor and Extranjería clerk.
async function server(overstayRow) {
  let data = null;
  const opts = {};
  if (overstayRow) {
    data = mkdtempSync(path.join(tmpdir(), 'sigm-data-'));
    cpSync('data', data, { recursive: true });
    const ff = path.join(data, 'border', 'fines.json');
    const t = JSON.parse(readFileSync(ff, 'utf8'));
    Object.assign(t.fines.find((x) => x.applies_to === 'overstay'), overstayRow);
    writeFileSync(ff, JSON.stringify(t));
    opts.env = { SIGM_DATA: data };
  }
  const srv = await startServer(opts);
  const ofi = await staffUser(srv.url, 'rf_ofi', 'oficial_control', PW);
  const sup = await staffUser(srv.url, 'rf_sup', 'supervisor_control', PW);
  const dex = await staffUser(srv.url, 'rf_dex', 'extranjeria', PW, 'DEX');
  return { srv, ofi, sup, dex, async stop() { await srv.stop(); if (data) rmSync(data, { recursive: true, force: true }); } };
}

const person = (given) => ({ given_names: given, surnames: 'Pérez Gómez', birth_date: '1990-06-15', sex: 'F', nationality: 'COL' });
const passport = (number) => ({ kind: 'passport', code: 'P', number, issuing_state: 'COL', nationality: 'COL', expiry_date: '2033-01-31' });

// Entered on L1 on paper 120 days ago with 90 days; leaves today on L2
// under her given names in the other order: a new record, flagged.
async function enteredThenLeaves(s, n) {
  const en = await s.sup.post('/api/v1/movements/contingency', {
    port: 'AMA', direction: 'entry', at: daysAgo(120), transport: 'Bus P-1', permitted_stay_days: 90,
    reference: `FC-AMA-RF${n}`, reason: 'Caída del enlace', document: passport(`L1RF${n}`), person: person('Ana Lucía'),
  });
  assert.equal(en.status, 201, JSON.stringify(en.json));
  const ex = await s.ofi.post('/api/v1/inspections', {
    port: 'AMA', direction: 'exit', transport: 'Bus P-2', document: passport(`L2RF${n}`), person: person('Lucía Ana'),
  });
  assert.equal(ex.status, 201, JSON.stringify(ex.json));
  assert.equal(ex.json.decision, 'secondary', JSON.stringify(ex.json.reasons));
  const codes = ex.json.reasons.map((r) => r.code);
  assert.ok(codes.includes('exit_without_entry') && !codes.includes('overstay'), JSON.stringify(codes));
  const flag = (await s.sup.get('/api/v1/person-duplicates?status=open')).json.items
    .find((x) => x.persons.some((p) => p.id === ex.json.person_id) && x.persons.some((p) => p.id === en.json.person_id));
  assert.ok(flag, 'flagged as a possible duplicate');
  return { en: en.json, ex: ex.json, flag };
}

test('an exit without entry admitted after the records are linked pays the overstay of the entry on the other passport', async () => {
  const s = await server(null);
  try {
    const { en, ex, flag } = await enteredThenLeaves(s, 1);
    const link = await s.sup.post(`/api/v1/person-duplicates/${flag.id}/review`, { decision: 'same', note: 'foto' });
    assert.equal(link.status, 200, JSON.stringify(link.json));
    const r = await s.sup.post(`/api/v1/inspections/${ex.inspection_id}/resolve`, { resolution: 'admit', notes: 'Misma persona: pasaporte renovado' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    // 120 days in, 90 granted, the day of entry counts: 31 days over
    assert.ok(r.json.fine, JSON.stringify(r.json));
    assert.deepEqual([r.json.fine.status, r.json.fine.days, r.json.fine.amount_cents], ['pending', 31, null]);
    const fines = await s.sup.get(`/api/v1/traveler-fines?person_id=${ex.person_id}`);
    assert.equal(fines.status, 200, JSON.stringify(fines.json));
    assert.deepEqual(fines.json.items.map((f) => [f.id, f.days, f.status, f.inspection_id, f.cause]),
      [[r.json.fine.id, 31, 'pending', ex.inspection_id, 'overstay']]);
    assert.match(fines.json.items[0].legal_basis, /LEME/);
    // the person left: no longer an overstayer; the fine is in both records' timelines
    assert.ok(!(await s.sup.get('/api/v1/overstayers')).json.items.some((o) => [en.person_id, ex.person_id].includes(o.person_id)));
    for (const id of [en.person_id, ex.person_id]) {
      const t = await s.sup.get(`/api/v1/persons/${id}/timeline`);
      assert.ok(t.json.events.some((e) => e.type === 'fine' && e.fine.id === r.json.fine.id), `${id}: ${JSON.stringify(t.json.events.map((e) => e.type))}`);
    }
    // the next crossing is told of it
    const back = await s.ofi.post('/api/v1/inspections', { port: 'AMA', direction: 'entry', transport: 'Bus P-3', document: passport('L2RF1'), person: person('Lucía Ana') });
    assert.ok(back.json.reasons.some((x) => x.code === 'fine_pending'), JSON.stringify(back.json.reasons));
  } finally { await s.stop(); }
});

test('a fine the tables set is counted for the days over of the linked entry; another amount is refused (amount_differs)', async () => {
  // US$ 5 a day
  const s = await server({ fixed_usd: null, per_day_usd: 5, max_usd: null });
  try {
    const { ex, flag } = await enteredThenLeaves(s, 2);
    assert.equal((await s.sup.post(`/api/v1/person-duplicates/${flag.id}/review`, { decision: 'same', note: 'Misma fotografía' })).status, 200);
    const url = `/api/v1/inspections/${ex.inspection_id}/resolve`;
    const other = await s.sup.post(url, { resolution: 'admit', notes: 'x', fine_amount: 30, fine_receipt: 'DGME-2026-1' });
    assert.equal(other.status, 422, JSON.stringify(other.json));
    assert.deepEqual([other.json.error.code, other.json.error.field], ['amount_differs', 'fine_amount']);
    assert.match(other.json.error.message, /US\$ 30\.00.*US\$ 155\.00/);
    const ok = await s.sup.post(url, { resolution: 'admit', notes: 'x', fine_amount: 155, fine_receipt: 'DGME-2026-2' });
    assert.equal(ok.status, 200, JSON.stringify(ok.json));
    assert.deepEqual([ok.json.fine.status, ok.json.fine.days, ok.json.fine.amount_cents], ['paid', 31, 15500]);
    const f = (await s.sup.get(`/api/v1/traveler-fines?person_id=${ex.person_id}`)).json.items[0];
    assert.deepEqual([f.amount_cents, f.receipt, f.status], [15500, 'DGME-2026-2', 'paid']);
  } finally { await s.stop(); }
});

test('without the link the exit without entry carries no fine, and a receipt for one is refused (no_fine)', async () => {
  const s = await server(null);
  try {
    const { ex } = await enteredThenLeaves(s, 3);
    const url = `/api/v1/inspections/${ex.inspection_id}/resolve`;
    const paid = await s.sup.post(url, { resolution: 'admit', notes: 'x', fine_receipt: 'R-1', fine_amount: 10 });
    assert.deepEqual([paid.status, paid.json.error && paid.json.error.code], [422, 'no_fine'], JSON.stringify(paid.json));
    const r = await s.sup.post(url, { resolution: 'admit', notes: 'Primera salida registrada' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.fine, null);
  } finally { await s.stop(); }
});

test('an overstay the booth saw is counted again at the resolution: an extension asked for in time and granted since takes it away', async () => {
  const s = await server(null);
  try {
    // entered 100 days ago with 90 days: the booth says 11 days over
    const doc = passport('L1RF4');
    const en = await s.sup.post('/api/v1/movements/contingency', {
      port: 'AMA', direction: 'entry', at: daysAgo(100), transport: 'Bus P-1', permitted_stay_days: 90,
      reference: 'FC-AMA-RF4', reason: 'Caída del enlace', document: doc, person: person('Ana Lucía'),
    });
    assert.equal(en.status, 201, JSON.stringify(en.json));
    const ex = await s.ofi.post('/api/v1/inspections', { port: 'AMA', direction: 'exit', transport: 'Bus P-2', document: doc, person: person('Ana Lucía') });
    const ov = ex.json.reasons.find((x) => x.code === 'overstay');
    assert.equal(ov && ov.fine.days, 11, JSON.stringify(ex.json.reasons));
    // Extranjería grants 30 more days, asked for before the stay ended
    const entryDay = new Date(Date.parse(en.json.at) - 6 * 3600e3).toISOString().slice(0, 10);
    const g = await s.dex.post(`/api/v1/persons/${en.json.person_id}/stay-extensions`,
      { days: 30, resolution: 'DEX-PR-2026-9', requested_on: addDays(entryDay, 80) });
    assert.equal(g.status, 201, JSON.stringify(g.json));
    assert.ok(g.json.permitted_until >= today, JSON.stringify(g.json));
    const url = `/api/v1/inspections/${ex.json.inspection_id}/resolve`;
    const paid = await s.sup.post(url, { resolution: 'admit', fine_receipt: 'R-2', fine_amount: 10 });
    assert.deepEqual([paid.status, paid.json.error && paid.json.error.code], [422, 'no_fine'], JSON.stringify(paid.json));
    const r = await s.sup.post(url, { resolution: 'admit' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.fine, null);
    assert.deepEqual((await s.sup.get(`/api/v1/traveler-fines?person_id=${en.json.person_id}`)).json.items, []);
  } finally { await s.stop(); }
});
