// Reason codes are stable strings documented in docs/border-rules.md (issue
// 5: "later checks use them"): every code the rules engine can give, and
// every code the booth's API adds to a decision, has its row there.  A code
// added without one reached officers and clients with no meaning written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const read = (p) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');
const doc = read('docs/border-rules.md');
const documented = new Set([...doc.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]));

test('every reason code the rules engine gives is documented', () => {
  const rules = read('src/core/rules.c');
  const given = new Set([...rules.matchAll(/\badd\(&?c, RULES_SEV_[A-Z]+, "([a-z_]+)"|snprintf\(r->code, sizeof\(r->code\), "([a-z_]+)"/g)].map((m) => m[1] || m[2]));
  assert.ok(given.size >= 30, `found ${given.size} codes: the pattern no longer reads rules.c`);
  assert.deepEqual([...given].filter((c) => !documented.has(c)).sort(), []);
});

test('every reason code the booth\'s API adds to a decision is documented', () => {
  const api = ['src/api/inspections_api.c', 'src/api/border_api.c', 'src/api/corrections_api.c'].map(read).join('\n');
  // reasons are built as {"code": "...", "message": ...} objects
  const added = new Set([...api.matchAll(/"code",\s*"([a-z_]+)",\s*"(?:message|fine)"/g)].map((m) => m[1]));
  assert.ok(added.size >= 2, `found ${added.size}: the pattern no longer reads the API`);
  assert.deepEqual([...added].filter((c) => !documented.has(c)).sort(), []);
});
