// The organization API against the manual itself: every unit, every
// numbered function exactly as written, every staff figure (null where the
// manual gives none).  The manual is re-read here independently of
// scripts/extract-org.py.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, Client, ADMIN_PASSWORD } from '../lib/server.mjs';

const MANUAL = path.resolve(process.env.SIGM_SHARED || '../shared', 'seed/manual-organizacion-funciones-dgme.txt');
let srv, c;
before(async () => { srv = await startServer(); c = new Client(srv.url); await c.login('admin', ADMIN_PASSWORD); });
after(async () => { await srv.stop(); });

function manualUnits() {
  const lines = readFileSync(MANUAL, 'utf8').split('\n');
  const units = [];
  let cur = null;
  for (const raw of lines) {
    const l = raw.trim();
    // Section headings: upper case lines (the cover's accented title excluded).
    if (/^[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ ,-]+$/.test(l) && l.length > 7 && l !== 'DIRECCIÓN GENERAL DE MIGRACIÓN Y EXTRANJERÍA') {
      cur = { heading: l, functions: [], staff: { women: null, men: null, total: null } };
      units.push(cur);
      continue;
    }
    if (!cur) continue;
    let m = /^(\d+)\.\s+(.*\S)\s*$/.exec(l);
    if (m) { cur.functions.push(m[2]); continue; }
    m = /^-\s*\w\.\s+(.*\S)\s*$/.exec(l);
    if (m) { cur.functions.push(m[1]); continue; }
    m = /^(Mujeres|Hombres|Total)\s*:\s*(\d*)$/.exec(l);
    if (m) cur.staff[{ Mujeres: 'women', Hombres: 'men', Total: 'total' }[m[1]]] = m[2] === '' ? null : Number(m[2]);
  }
  return units;
}

test('GET /api/v1/org/units returns the 18 units of the manual with its figures', async () => {
  const r = await c.get('/api/v1/org/units');
  assert.equal(r.status, 200);
  const api = r.json;
  const manual = manualUnits();
  assert.equal(manual.length, 18);
  assert.equal(api.length, 18);
  assert.equal(api[0].name, 'Dirección General de Migración y Extranjería');
  assert.equal(api[17].name, 'Dirección de Atención al Migrante');
  for (let i = 0; i < 18; i++) {
    assert.deepEqual(api[i].functions, manual[i].functions, `functions of ${api[i].code}`);
    assert.deepEqual(api[i].staff, manual[i].staff, `staff of ${api[i].code}`);
    for (const k of ['code', 'name', 'functions', 'staff']) assert.ok(k in api[i]);
  }
});

test('unknown figures are null, never 0; numbering defects are noted', async () => {
  const units = (await c.get('/api/v1/org/units')).json;
  const by = (name) => units.find((u) => u.name === name);
  assert.deepEqual(by('Asesores').staff, { women: 0, men: null, total: 1 });
  assert.deepEqual(by('Unidad de Seguridad Institucional').staff, { women: null, men: null, total: null });
  assert.deepEqual(by('Dirección de Control Migratorio').staff, { women: 98, men: 198, total: 296 });
  assert.deepEqual(by('Secretaría General').staff, { women: 23, men: 3, total: 26 });
  const sg = await c.get(`/api/v1/org/units/${by('Secretaría General').code}`);
  assert.equal(sg.status, 200);
  const numbers = sg.json.numbered_functions.map((f) => f.number);
  assert.ok(numbers.includes('11') && numbers.includes('13') && !numbers.includes('12'));
  assert.ok(sg.json.notes.some((n) => n.includes('12')));
  const it = (await c.get(`/api/v1/org/units/${by('Unidad de Informática y Desarrollo Tecnológico').code}`)).json;
  assert.equal(it.numbered_functions[5].as_written, '- o.');
  assert.equal(it.numbered_functions[5].number, '6');
});

test('an unknown unit is a 404 naming the field', async () => {
  const r = await c.get('/api/v1/org/units/NOPE');
  assert.equal(r.status, 404);
  assert.equal(r.json.error.field, 'code');
});
