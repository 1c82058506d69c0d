// Debian's Chromium driven by playwright-core (no browser download): one browser per test file,
// a fresh profile each time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// `args`: more command-line switches (e.g. --enable-features=WebMachineLearningNeuralNetwork).
export async function launch({ args = [] } = {}) {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: run scripts/setup.sh (apt-get install chromium)`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'webnn-wasm-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: [...FLAGS, ...args], viewport: { width: 900, height: 520 },
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Opens `url` (the example page), waits for it to finish, returns window.webnnExample and the
// console messages. `init` runs in the page before any of its scripts.
export async function runExamplePage(browser, url, { init = null, timeout = 90_000 } = {}) {
  const page = await browser.context.newPage();
  const consoleMessages = [];
  page.on('console', (m) => consoleMessages.push({ type: m.type(), text: m.text() }));
  page.on('pageerror', (e) => consoleMessages.push({ type: 'pageerror', text: e.message }));
  if (init) await page.addInitScript(init);
  await page.goto(url);
  await page.waitForFunction(() => window.webnnExample && window.webnnExample.done, null, { timeout });
  await page.evaluate(() => window.webnnExample.done);
  const state = await page.evaluate(() => {
    const { done, ...rest } = window.webnnExample;
    return JSON.parse(JSON.stringify(rest));
  });
  return { page, state, console: consoleMessages };
}
