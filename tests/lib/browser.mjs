// browser.mjs — Debian's chromium driven by playwright-core, as every
// browser test launches it; console errors and CSP violations are collected
// so a test can assert there were none.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

export const SHOTS = 'build/test-output';

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
