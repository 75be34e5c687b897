// browser.mjs — Debian's chromium driven by playwright-core, as every
// browser test launches it; console errors and CSP violations are collected
// so a test can assert there were none.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

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

export async function launch() {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
}

// opts: more browser-context options (e.g. a workstation's timezoneId)
export async function newPage(browser, base, opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'es-SV', baseURL: base, ...opts });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  if (API_DELAY_MS > 0) await delayApi(page);
  return page;
}

export async function login(page, username, password) {
  await page.goto('/');
  await page.fill('#usuario', username);
  await page.fill('#clave', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('header.barra');
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
