import { launch, newPage, login } from '/work/main/tests/lib/browser.mjs';
const base = 'http://127.0.0.1:8099';
const browser = await launch();
const page = await newPage(browser, base);
await login(page, process.argv[3] || 'oficial', process.argv[2]);
for (const [name, hash] of JSON.parse(process.argv[4])) {
  await page.goto(base + hash);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: true });
}
console.log(page.problems);
await browser.close();
