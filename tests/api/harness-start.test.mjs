// The test harness itself: a server that never says it listens is killed
// when the start times out.  It was left running, its pipes kept the test
// file's process alive, and a browser shard hung for over 10 minutes on a
// loaded machine (tests/lib/server.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

test('a server that does not start in time is killed, and the test file ends', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sigm-harness-'));
  try {
    // stands in for a sigm too slow to start: says nothing for 30 s
    const bin = path.join(dir, 'mudo');
    writeFileSync(bin, '#!/bin/sh\nexec sleep 30\n');
    chmodSync(bin, 0o755);
    const lib = path.resolve('tests/lib/server.mjs');
    const script = `import { startServer } from ${JSON.stringify(lib)};
      try { await startServer(); console.log('started'); } catch (e) { console.log(e.message.split('\\n')[0]); }`;
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8', timeout: 20000,
      env: { ...process.env, SIGM_BIN: bin, SIGM_TEST_START_MS: '500', SIGM_TEST_ENGINE: 'sqlite' },
    });
    assert.equal(r.error, undefined, 'the test file did not end: the silent server kept it alive');
    assert.equal(r.stdout.trim(), 'server did not start within 0.5 s:');
    assert.ok(Date.now() - t0 < 15000, `ended after ${Date.now() - t0} ms`);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
