// browser.mjs — Debian's chromium driven by playwright-core, as every
// browser test launches it; console errors and CSP violations are collected
// so a test can assert there were none.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

export const SHOTS = 'build/test-output';

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
  return page;
}

export async function login(page, username, password) {
  await page.goto('/');
  await page.fill('#usuario', username);
  await page.fill('#clave', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('header.barra');
}
