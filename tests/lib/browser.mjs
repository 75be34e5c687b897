// browser.mjs — Debian's chromium driven by playwright-core, as every
// browser test launches it; console errors and CSP violations are collected
// so a test can assert there were none.
import { afterEach } from 'node:test';
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';

// SIGM_TEST_OUTPUT: the sanitized build's suites write to their own folder
// (make check runs them beside the plain build's: the same file names)
export const SHOTS = process.env.SIGM_TEST_OUTPUT || 'build/test-output';

// Slow mode, opt-in: SIGM_E2E_API_DELAY_MS=N holds every /api/ reply a
// page gets for a random 0..N ms (the request reaches the server at once;
// its answer comes late), so replies can also arrive out of order, as on
// a post's slow link or against the sanitized server.  A test that reads
// or types into what is about to be redrawn fails here, not at random in
// CI.  SIGM_E2E_API_DELAY_SEED=S repeats a run's delays (the seed is
// printed).  Off by default: normal runs are unchanged.
const API_DELAY_MS = Number(process.env.SIGM_E2E_API_DELAY_MS || 0);
let delaySeed = null;
let nextRandom = Math.random;
if (API_DELAY_MS > 0) {
  delaySeed = Number(process.env.SIGM_E2E_API_DELAY_SEED || Math.floor(Math.random() * 2 ** 31));
  let a = delaySeed >>> 0; // mulberry32
  nextRandom = () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  console.error(`# browser.mjs: /api/ replies delayed 0..${API_DELAY_MS} ms (SIGM_E2E_API_DELAY_SEED=${delaySeed})`);
}

async function delayApi(page) {
  await page.route('**/api/**', async (route) => {
    const wait = Math.floor(nextRandom() * (API_DELAY_MS + 1));
    let response;
    try {
      response = await route.fetch();
    } catch {
      // no answer at all (the page went away, the server stopped): as is
      await route.continue().catch(() => {});
      return;
    }
    await new Promise((r) => setTimeout(r, wait));
    await route.fulfill({ response }).catch(() => {}); // the page may be closed by now
  });
}

// Chromium's features the tests turn off.  Every page's window carried the
// address bar's drop-down, a page of the browser's own (two, with «AI
// Mode»), each in a renderer of its own that worked at every navigation: a
// page opened, signed in and shown cost the browser 4 s of CPU, 1.3 s
// without them, and the browser is most of the browser suite's CPU (the
// sanitized server a twentieth).  No page of ours has an address bar.
const OFF_FEATURES = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup'];
// Playwright's own --disable-features (1.64), which a second
// --disable-features would replace, not add to: Chromium reads the last.
// launch() checks the list against what Playwright passed.
const PLAYWRIGHT_OFF_FEATURES = ['AvoidUnnecessaryBeforeUnloadCheckSync', 'DestroyProfileOnBrowserClose',
  'DialMediaRouteProvider', 'GlobalMediaControls', 'HttpsUpgrades', 'LensOverlay', 'MediaRouter', 'PaintHolding',
  'ThirdPartyStoragePartitioning', 'BlockOriginHeaderModificationOnRedirect', 'AvoidCorsURLLoaderRestartOnRedirect',
  'Translate', 'AutoDeElevate', 'OptimizationHints', 'NetworkTimeServiceQuerying', 'AimEnabled',
  'msForceBrowserSignIn', 'msEdgeUpdateLaunchServicesPreferredVersion'];

async function launchWith(off) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run',
      `--disable-features=${off.join(',')}`],
    // An officer's browser is in Spanish: a date field reads dd/mm/aaaa, a
    // time 02:05 p.m., and says «El valor debe ser…».  Chromium writes them
    // in its own language, which it takes from the environment (headless,
    // it ignores --lang), not from the page's locale; Spanish needs
    // Debian's chromium-l10n (scripts/setup-deps.sh).
    env: { ...process.env, LANG: 'es_SV.UTF-8', LANGUAGE: 'es_SV:es', LC_ALL: '', LC_MESSAGES: '' },
  });
}

// The --disable-features values of the browser's command line, in order
// (Playwright's, then ours).
async function offFeatures(browser) {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  await cdp.detach();
  const pid = processInfo.find((p) => p.type === 'browser')?.id;
  let argv = [];
  try { argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'); } catch { /* not Linux: no check */ }
  return argv.filter((a) => a.startsWith('--disable-features=')).map((a) => a.slice(19).split(',').filter(Boolean));
}

export async function launch() {
  mkdirSync(SHOTS, { recursive: true });
  const ours = [...PLAYWRIGHT_OFF_FEATURES, ...OFF_FEATURES];
  const browser = await launchWith(ours);
  // A Playwright that turns off more than the list above: launched again
  // with both, lest what it turns off come back on.
  const lists = await offFeatures(browser);
  const missing = lists.slice(0, -1).flat().filter((f) => !ours.includes(f));
  if (missing.length === 0) return browser;
  await browser.close();
  return launchWith([...ours, ...missing]);
}

// The pages a test opened are closed when it ends, whatever its outcome
// (each test opens its own; none is kept for the next).  Left open to the
// file's end, each kept its renderer at work, a caret blinking, a list
// read again every 20 s: border.test.mjs opens some forty.
const contexts = new Set();
afterEach(async () => {
  const open = [...contexts];
  contexts.clear();
  await Promise.all(open.map((c) => c.close().catch(() => {})));
});

// opts: more browser-context options (e.g. a workstation's timezoneId)
export async function newPage(browser, base, opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'es-SV', baseURL: base, ...opts });
  contexts.add(context);
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  if (API_DELAY_MS > 0) await delayApi(page);
  return page;
}

// The lines a text takes on screen (its line boxes, one top each): of the
// element a locator (or handle) names, for the layout tests at 1024 px.
export const textLines = (loc) => loc.evaluate((el) => {
  const r = document.createRange();
  r.selectNodeContents(el);
  return new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top))).size;
});

// What went wrong on the page (its console's errors, its uncaught
// exceptions), but for what the test provokes on purpose: each of expected
// is a RegExp of one such problem (the 409 of a record that changed, the
// 422 of a form the test sends wrong), named at the call with why.  An
// expected that matched nothing is itself a fault: the test no longer
// provokes it, and the excuse would only hide a real one.  Nothing else is
// excused, a 401 included: the page asks for a session only when it had
// one (consola-limpia.test.mjs), so a 401 is a session lost or a password
// refused, which a test names if it means it.
export function faults(page, ...expected) {
  const seen = new Set();
  const left = page.problems.filter((p) => {
    const hit = expected.find((re) => re.test(p));
    if (hit) seen.add(hit);
    return !hit;
  });
  return [...left, ...expected.filter((re) => !seen.has(re)).map((re) => `expected, never seen: ${re}`)];
}

export async function login(page, username, password) {
  await page.goto('/');
  await page.fill('#usuario', username);
  await page.fill('#clave', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('header.barra');
}

// A new page signed in as username and opened at /#/hash.  view: the
// window's width (the booth's 1024; 768 high), or newPage's opts; none,
// newPage's 1366.
export async function signedInPage(browser, base, username, password, hash, view = {}) {
  const page = await newPage(browser, base, typeof view === 'number' ? { viewport: { width: view, height: 768 } } : view);
  await login(page, username, password);
  await page.goto(`/#/${hash}`);
  return page;
}

// Holds the answers to the requests match(url) picks, to show what a page
// does with a read that comes late (a post's slow link, the sanitized
// server): the server gets each request at once; its answer reaches the
// page when the test lets it go.
//   method: only requests of that method are held (others pass)
//   count: only the first count are held (later ones pass)
//   answer: what is answered instead of the server's reply (a gateway's
//     502), still only once the server has had the request
// Returns:
//   requests: every request picked (held or let through), in order
//   arrived(n = 1): resolves once n answers are held
//   release(i): lets the i-th held answer go; release() lets every one go,
//     and those that come later pass
//   landed(i = 0): release(i), and resolves once the page has the answer
//     and has had a turn to draw it
export async function holdReplies(page, match, { method = null, count = Infinity, answer = null } = {}) {
  const requests = [];
  const held = []; // { request, go }, in the order the server answered
  const waiting = new Set();
  let open = false;
  await page.route((u) => match(u), async (route) => {
    const request = route.request();
    if (method && request.method() !== method) return route.fallback();
    requests.push(request);
    if (requests.length > count) return route.fallback();
    let go;
    const gate = new Promise((r) => { go = r; });
    const response = await route.fetch();
    held.push({ request, go });
    for (const w of [...waiting]) w();
    if (!open) await gate;
    await route.fulfill(answer || { response });
  });
  return {
    requests,
    arrived: (n = 1) => new Promise((r) => {
      const w = () => { if (held.length >= n) { waiting.delete(w); r(); } };
      waiting.add(w);
      w();
    }),
    release(i) {
      if (i !== undefined) { held[i].go(); return; }
      open = true;
      for (const x of held) x.go();
    },
    async landed(i = 0) {
      const done = page.waitForEvent('requestfinished', (q) => q === held[i].request);
      held[i].go();
      await done;
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50)))));
    },
  };
}

// A test that shows «today» in the page (the page's clock) and records a
// crossing on the server's clock waits out the last two minutes before
// midnight in San Salvador (UTC-6, no daylight saving): across midnight the
// page's day and the crossing's differ, and the list rightly leaves it out.
// Returns at once on any other minute of the day.
export async function clearOfMidnight(margin = 120_000) {
  const DAY = 86_400_000, SV = 6 * 3_600_000;
  const left = DAY - (((Date.now() - SV) % DAY) + DAY) % DAY;
  if (left < margin) await new Promise((r) => setTimeout(r, left + 2000));
}
