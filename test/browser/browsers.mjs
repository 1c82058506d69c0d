// The browsers the page tests run in, behind one small interface:
//   launch(name, { args }) -> { name, newPage(), close() }     name: 'chromium' | 'firefox'
//   runExamplePage(browser, url, { init, timeout }) -> { page, state, console }
//   page: { evaluate(fn), textContent(selector), screenshot({ path }), close() }
//   console: [{ type: 'log' | 'warning' | 'error' | 'pageerror' | ..., text }]
// Chromium is Debian's, driven by playwright-core (test/browser/chromium.mjs); Firefox is Debian's
// Firefox ESR, driven by puppeteer-core over WebDriver BiDi. Neither downloads a browser; each launch
// uses a fresh profile.
import fs from 'node:fs';
import { launch as launchChromium } from './chromium.mjs';

export const FIREFOX = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
export const BROWSERS = ['chromium', 'firefox'];

async function launchFirefox() {
  if (!fs.existsSync(FIREFOX)) throw new Error(`${FIREFOX} not found: run scripts/setup.sh (apt-get install firefox-esr)`);
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    browser: 'firefox', protocol: 'webDriverBiDi', executablePath: FIREFOX, headless: true,
    defaultViewport: { width: 900, height: 520 },
  });
  return {
    name: 'firefox',
    async newPage() {
      const page = await browser.newPage();
      return {
        onConsole(push) {
          // puppeteer says 'warn' where playwright says 'warning'.
          page.on('console', (m) => push({ type: m.type() === 'warn' ? 'warning' : m.type(), text: m.text() }));
          page.on('pageerror', (e) => push({ type: 'pageerror', text: e.message }));
        },
        addInitScript: (fn) => page.evaluateOnNewDocument(fn),
        goto: (url) => page.goto(url),
        waitForFunction: (fn, timeout) => page.waitForFunction(fn, { timeout }),
        evaluate: (fn) => page.evaluate(fn),
        textContent: (selector) => page.$eval(selector, (e) => e.textContent),
        screenshot: (options) => page.screenshot(options),
        close: () => page.close(),
      };
    },
    close: () => browser.close(),
  };
}

async function launchChromiumBrowser({ args = [] } = {}) {
  const browser = await launchChromium({ args });
  return {
    name: 'chromium',
    async newPage() {
      const page = await browser.context.newPage();
      return {
        onConsole(push) {
          page.on('console', (m) => push({ type: m.type(), text: m.text() }));
          page.on('pageerror', (e) => push({ type: 'pageerror', text: e.message }));
        },
        addInitScript: (fn) => page.addInitScript(fn),
        goto: (url) => page.goto(url),
        waitForFunction: (fn, timeout) => page.waitForFunction(fn, null, { timeout }),
        evaluate: (fn) => page.evaluate(fn),
        textContent: (selector) => page.textContent(selector),
        screenshot: (options) => page.screenshot(options),
        close: () => page.close(),
      };
    },
    close: () => browser.close(),
  };
}

export function launch(name, options = {}) {
  if (name === 'chromium') return launchChromiumBrowser(options);
  if (name === 'firefox') return launchFirefox(options);
  throw new Error(`unknown browser '${name}'`);
}

// Opens `url`, waits for window.webnnExample.done, returns the page's state (without `done`) and the
// console messages so far. `init` runs in the page before any of its scripts.
export async function runExamplePage(browser, url, { init = null, timeout = 90_000 } = {}) {
  const page = await browser.newPage();
  const messages = [];
  page.onConsole((m) => messages.push(m));
  if (init) await page.addInitScript(init);
  await page.goto(url);
  // A boolean, not the promise: puppeteer would wait for the promise to resolve truthy.
  await page.waitForFunction(() => !!(window.webnnExample && window.webnnExample.done), timeout);
  await page.evaluate(() => window.webnnExample.done);
  const state = await page.evaluate(() => {
    const { done, ...rest } = window.webnnExample;
    return JSON.parse(JSON.stringify(rest));
  });
  return { page, state, console: messages };
}
