// An upgrade is whole or not at all.  The pending migrations were applied
// one transaction each: a database whose 48th failed after the 47th stayed
// at 47, newer than the old binary accepts (schema_too_new) and older than
// the new one needs, so neither could serve.  Now they commit together: the
// failure leaves the database as it was, says which migration failed and at
// which version the database stays, and once the cause is removed the same
// command applies them all.  Both engines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startServer, ENGINE } from '../lib/server.mjs';

const one = (r) => { assert.equal(r.status, 0, r.stderr); return r.stdout.trim(); };

test('a migration that fails takes back the ones applied before it in the same upgrade; removed the cause, all apply', async () => {
  const srv = await startServer({ keep: true });
  try {
    assert.equal(await srv.stop(), 0);
    const hasColumn = () => one(srv.sql(ENGINE === 'pg'
      ? "SELECT count(*) FROM information_schema.columns WHERE table_name = 'inspections' AND column_name = 'previous_resolution'"
      : "SELECT count(*) FROM pragma_table_info('inspections') WHERE name = 'previous_resolution'"));
    const version = () => one(srv.sql('SELECT max(version) FROM schema_migrations'));
    // the database as 46 left it (47 adds the case's earlier decision, 48
    // upper-cases lost/stolen issuing states), with a report for 48 to
    // change and a trigger that refuses the change: something in the
    // database the migration did not expect
    const refuse = ENGINE === 'pg'
      ? `CREATE FUNCTION stop_update() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'actualización detenida'; END $$ LANGUAGE plpgsql;
         CREATE TRIGGER stop_update BEFORE UPDATE ON lost_stolen FOR EACH ROW EXECUTE FUNCTION stop_update();`
      : "CREATE TRIGGER stop_update BEFORE UPDATE ON lost_stolen BEGIN SELECT RAISE(ABORT, 'actualización detenida'); END;";
    one(srv.sql(`BEGIN;
      ALTER TABLE inspections DROP COLUMN previous_resolved_at; ALTER TABLE inspections DROP COLUMN previous_resolved_by;
      ALTER TABLE inspections DROP COLUMN previous_resolution_notes; ALTER TABLE inspections DROP COLUMN previous_resolution;
      DELETE FROM schema_migrations WHERE version >= 47;
      INSERT INTO lost_stolen (document_number, document_type, issuing_state, reason, reported_on, source, status, created_at, created_by)
        VALUES ('MA4800001', 'passport', 'usa', 'stolen', '2026-01-01', 'DGME', 'active', 'x', 'x');
      ${refuse} COMMIT;`));
    assert.equal(version(), '46');

    const failed = srv.cli('migrate');
    assert.notEqual(failed.status, 0, failed.stdout);
    // 47 went through before 48 failed, and is taken back with it
    assert.equal(version(), '46');
    assert.equal(hasColumn(), '0');
    assert.equal(one(srv.sql("SELECT issuing_state FROM lost_stolen WHERE document_number = 'MA4800001'")), 'usa');
    assert.match(failed.stderr, /migración 48 \(lost_stolen_state_upper_case\) no aplicada/);
    assert.match(failed.stderr, /sigue en la versión 46/);

    one(srv.sql(ENGINE === 'pg' ? 'DROP TRIGGER stop_update ON lost_stolen; DROP FUNCTION stop_update();' : 'DROP TRIGGER stop_update;'));
    const m = srv.cli('migrate');
    assert.equal(m.status, 0, m.stderr);
    assert.equal(version(), '51');
    assert.equal(hasColumn(), '1');
    assert.equal(one(srv.sql("SELECT issuing_state FROM lost_stolen WHERE document_number = 'MA4800001'")), 'USA');
  } finally {
    rmSync(srv.dir, { recursive: true, force: true });
  }
});
