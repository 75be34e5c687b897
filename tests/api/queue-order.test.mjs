// The secondary queue of a post in the order the travelers came: the one
// waiting longest first, a page at a time (it was newest first, and past
// the first page of fifty a supervisor never saw the traveler who had
// waited longest).  A resolved case says the carrier that returns a
// refused traveler, and on what.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, staffUser } from '../lib/server.mjs';

const PW = 'Turno-Seguro-2026';
let srv, ofi, sup;
before(async () => {
  srv = await startServer();
  ofi = await staffUser(srv.url, 'qo_ofi', 'oficial_control', PW);
  sup = await staffUser(srv.url, 'qo_sup', 'supervisor_control', PW);
});
after(async () => { await srv.stop(); });

const traveler = (n) => ({ port: 'AMA', direction: 'entry', transport: `Tica Bus ${n}`,
  document: { kind: 'passport', code: 'P', number: `QB00000${n}`, issuing_state: 'BOL', nationality: 'BOL', expiry_date: '2031-01-01' },
  person: { given_names: 'Quispe', surnames: `Mamani ${n}`, birth_date: '1980-01-01', nationality: 'BOL', sex: 'M' } });

test('pending cases oldest first, page after page; resolved ones newest first, with the carrier and the return of an inadmission', async () => {
  const ids = [];
  for (let n = 1; n <= 5; n++) {
    const r = await ofi.post('/api/v1/inspections', traveler(n));
    assert.equal(r.json.decision, 'secondary', JSON.stringify(r.json));
    ids.push(r.json.inspection_id);
  }
  const all = await sup.get('/api/v1/inspections?port=AMA&status=pending');
  assert.deepEqual(all.json.items.map((x) => x.id), ids, 'the one waiting longest first');
  // a page at a time, in the same order, nothing lost or shown twice
  const seen = [];
  let cursor = null;
  do {
    const r = await sup.get(`/api/v1/inspections?port=AMA&status=pending&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    seen.push(...r.json.items.map((x) => x.id));
    cursor = r.json.next_cursor;
  } while (cursor);
  assert.deepEqual(seen, ids);

  // the first is refused, the carrier named; the second let in
  const ref = await sup.post(`/api/v1/inspections/${ids[0]}/resolve`, { resolution: 'refuse', legal_ground: 'LEME art. 63: sin visa', carrier: 'Tica Bus', return_transport: 'Tica Bus 8522, 06:00' });
  assert.equal(ref.status, 200, JSON.stringify(ref.json));
  const adm = await sup.post(`/api/v1/inspections/${ids[1]}/resolve`, { resolution: 'admit', notes: 'Visa verificada con el consulado' });
  assert.equal(adm.status, 200, JSON.stringify(adm.json));
  assert.deepEqual((await sup.get('/api/v1/inspections?port=AMA&status=pending')).json.items.map((x) => x.id), ids.slice(2));
  const done = (await sup.get('/api/v1/inspections?port=AMA&status=resolved')).json.items;
  assert.deepEqual(done.map((x) => x.id), [ids[1], ids[0]], 'history newest first');
  assert.deepEqual([done[1].inadmission_carrier, done[1].inadmission_return], ['Tica Bus', 'Tica Bus 8522, 06:00']);
  assert.deepEqual([done[0].inadmission_carrier, done[0].inadmission_return], [null, null]);
});
