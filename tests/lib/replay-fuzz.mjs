// replay-fuzz.mjs - the API suite's own requests, replayed with bad input
// (make fuzz-api; not part of make check: it multiplies the suite's time).
//
// With SIGM_FUZZ_REPLAY=1 every request a test's Client sends with a JSON
// body or a query is kept; when the test file stops its server, each kept
// request (one per method, route and set of fields) is sent again by the
// same signed-in client with one field at a time replaced by a value of
// the wrong kind, dropped, or made absurd, and with its path's ids and its
// query's values replaced the same way.  Every answer must be a status
// below 500 with a JSON body, and the server must still be running: the
// bad-input sweep (tests/api/bad-input-sweep.test.mjs) fixes a list of
// inputs for the border's endpoints; this reaches every endpoint a test
// reaches, in the states the tests leave behind.
const ON = !!process.env.SIGM_FUZZ_REPLAY;
const kept = new Map();
let replaying = false;

// Sessions and passwords are left alone: a replay must not sign the
// client out or change what the rest of the replay signs in with.
const SKIP = /^\/api\/v1\/session/;

const shape = (method, p, body) => {
  const [path, query = ''] = p.split('?');
  const route = path.replace(/\/\d+(?=\/|$)/g, '/{id}');
  const keys = body && typeof body === 'object' ? Object.keys(body).sort().join(',') : '';
  const qkeys = [...new URLSearchParams(query).keys()].sort().join(',');
  return `${method} ${route} ${keys} ?${qkeys}`;
};

export function keep(client, method, p, body, status) {
  if (!ON || replaying || status >= 500 || SKIP.test(p) || method === 'DELETE') return;
  let obj = null;
  if (typeof body === 'string') { try { obj = JSON.parse(body); } catch { return; } }
  else if (body !== undefined) obj = body;
  if (obj !== null && (typeof obj !== 'object' || Array.isArray(obj))) return;
  if (obj === null && !p.includes('?') && !/\/\d+(\/|$)/.test(p)) return;
  const k = shape(method, p, obj);
  if (!kept.has(k)) kept.set(k, { client, method, p, body: obj });
}

const BAD = [
  null, true, 0, -1, 2 ** 63, -(2 ** 63), 1.5e308, 0.5, '', ' ', 'x'.repeat(20000),
  '\u0001\u001f', '😀😀', 'Ñ'.repeat(300), '9999-99-99', '2026-02-30', '0000-01-01T00:00:00Z',
  '-1', '1e999', "' OR 1=1 --", '%00', [], [null], {}, { a: 1 },
];
const BADQ = ['', '-1', '0', '99999999999999999999', 'abc', '2026-13-45', 'x'.repeat(3000), '%', '😀', "'"];

// every path to a leaf (or a whole array/object) of v, as arrays of keys
function paths(v, pre = [], out = []) {
  if (v && typeof v === 'object') {
    out.push(pre);
    const ks = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
    for (const k of ks) paths(v[k], [...pre, k], out);
  } else out.push(pre);
  return out;
}

function setAt(v, pth, val, drop = false) {
  if (!pth.length) return val;
  const c = structuredClone(v);
  let o = c;
  for (const k of pth.slice(0, -1)) o = o[k];
  const last = pth[pth.length - 1];
  if (drop) { if (Array.isArray(o)) o.splice(last, 1); else delete o[last]; } else o[last] = val;
  return c;
}

function* mutations({ method, p, body }) {
  if (body) {
    for (const pth of paths(body)) {
      if (!pth.length) continue;
      yield { p, body: setAt(body, pth, undefined, true), what: `sin ${pth.join('.')}` };
      for (const b of BAD) yield { p, body: setAt(body, pth, b), what: `${pth.join('.')} = ${JSON.stringify(b).slice(0, 40)}` };
    }
    yield { p, body: { ...body, campo_desconocido: 1 }, what: 'campo desconocido' };
    yield { p, body: [body], what: 'un arreglo' };
  }
  const [path, query] = p.split('?');
  const segs = path.split('/');
  for (const [i, s] of segs.entries()) {
    if (!/^\d+$/.test(s)) continue;
    for (const b of BADQ) {
      const t = [...segs]; t[i] = encodeURIComponent(b);
      yield { p: t.join('/') + (query ? `?${query}` : ''), body, what: `ruta[${i}] = ${b.slice(0, 20)}` };
    }
  }
  if (query) {
    const q = new URLSearchParams(query);
    for (const k of q.keys()) {
      for (const b of BADQ) {
        const t = new URLSearchParams(q); t.set(k, b);
        yield { p: `${path}?${t}`, body, what: `?${k}=${b.slice(0, 20)}` };
      }
    }
  }
  void method;
}

// Replays what was kept for the server at url; throws naming every
// request that got a 5xx or a body that is not JSON, or that the server
// did not survive.
export async function replay(url, child) {
  if (!ON) return;
  const failures = [];
  let sent = 0;
  replaying = true;
  try {
  for (const [k, r] of kept) {
    if (r.client.base !== url) continue;
    kept.delete(k);
    for (const m of mutations(r)) {
      let res;
      try {
        res = await r.client.req(r.method, m.p, m.body === undefined || m.body === null ? undefined : JSON.stringify(m.body));
      } catch (e) {
        failures.push(`${r.method} ${m.p.slice(0, 120)} (${m.what}): ${e.message}`);
        if (child.exitCode !== null || child.signalCode !== null) break;
        continue;
      }
      sent++;
      const ct = res.headers.get('content-type') || '';
      if (res.status >= 500 || (ct.includes('json') && res.json === null && res.text !== ''))
        failures.push(`${r.method} ${m.p.slice(0, 120)} (${m.what}): ${res.status} ${res.text.slice(0, 300)}`);
    }
    if (child.exitCode !== null || child.signalCode !== null) {
      failures.push(`el servidor terminó durante la repetición de ${k}`);
      break;
    }
  }
  } finally { replaying = false; }
  process.stderr.write(`replay-fuzz ${url}: ${sent} peticiones, ${failures.length} fallos\n`);
  if (failures.length) throw new Error(`replay-fuzz: ${failures.length} fallos:\n${failures.slice(0, 40).join('\n')}`);
}
