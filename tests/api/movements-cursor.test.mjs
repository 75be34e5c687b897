// The day's movements page by "instant,number" (next_cursor).  A cursor
// that is not one (garbage, SQL, an impossible instant) is a 400 naming
// `cursor`: compared as text, "abc,1" sorted after every instant and
// answered the first page again, without the day's totals.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';

let srv, sup;
before(async () => {
  srv = await startServer();
  sup = await staffUser(srv.url, 'mc_sup', 'supervisor_control', 'Turno-Seguro-2026');
});
after(async () => { await srv.stop(); });

// three paper entries at El Amatillo, two days ago (El Salvador's day)
const at = (h) => {
  const d = new Date(Date.now() - 2 * 86400e3);
  d.setUTCHours(h, 0, 0, 0);
  return d.toISOString().slice(0, 16) + 'Z';
};
const localDay = (iso) => new Date(Date.parse(iso) - 6 * 3600e3).toISOString().slice(0, 10);

test('a cursor is the next_cursor of the page before; anything else is a 400 naming it', async () => {
  const made = [];
  for (const [i, h] of [[1, 14], [2, 15], [3, 16]]) {
    const r = await sup.post('/api/v1/movements/contingency', {
      port: 'AMA', direction: 'entry', at: at(h), permitted_stay_days: 90, reference: `FC-MC-${i}`,
      reason: 'Caída del enlace', transport: 'M 1',
      document: { kind: 'passport', code: 'P', number: `MC00000${i}`, issuing_state: 'DEU', nationality: 'DEU', expiry_date: '2031-01-31' },
      person: { given_names: 'Lena', surnames: `Cursor ${i}`, birth_date: '1988-04-12', sex: 'F', nationality: 'DEU' },
    });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    made.push(r.json);
  }
  const day = localDay(made[0].at);
  const first = await sup.get(`/api/v1/movements?day=${day}&port=AMA&limit=1`);
  assert.equal(first.status, 200, JSON.stringify(first.json));
  assert.deepEqual(first.json.items.map((m) => m.id), [made[2].movement_id]);
  assert.deepEqual(first.json.totals, { entry: 3, exit: 0 });
  assert.match(first.json.next_cursor, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,\d+$/);
  // the cursor given goes on, and only the first page has the totals
  const second = await sup.get(`/api/v1/movements?day=${day}&port=AMA&limit=1&cursor=${encodeURIComponent(first.json.next_cursor)}`);
  assert.equal(second.status, 200, JSON.stringify(second.json));
  assert.deepEqual(second.json.items.map((m) => m.id), [made[1].movement_id]);
  assert.equal(second.json.totals, undefined);
  const [inst, num] = first.json.next_cursor.split(',');
  for (const bad of ['garbage,1', 'abc,1', "2026'--,5", `${inst}`, `${inst},`, `${inst},0`, `${inst},-3`, `${inst},+${num}`,
    `${inst},0${num}`, `${inst}, ${num}`, `${inst},${num}x`, `${inst.slice(0, 19)}Z,${num}`, `${inst.slice(0, 10)},${num}`,
    `2026-13-01T10:00:00.000Z,${num}`, `2026-02-30T10:00:00.000Z,${num}`, `2026-01-01T24:00:00.000Z,${num}`,
    `2026-01-01T10:60:00.000Z,${num}`, `2026-01-01 10:00:00.000Z,${num}`, `,${num}`]) {
    const r = await sup.get(`/api/v1/movements?day=${day}&port=AMA&limit=1&cursor=${encodeURIComponent(bad)}`);
    assert.deepEqual([r.status, r.json.error && r.json.error.field], [400, 'cursor'], `${bad}: ${JSON.stringify(r.json)}`);
  }
});
