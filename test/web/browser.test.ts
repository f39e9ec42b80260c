import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlaybooks } from '../../src/playbooks/load.js';
import { artifactsDir, launchBrowser } from '../support/browser.js';
import { has, needs } from '../support/needs.js';
import { fixtureDiagnosis, XSS_IMG, XSS_SCRIPT } from './fixtures.js';
import { makeHarness, type Harness } from './harness.js';

// Real pages in headless Chromium over a loopback port. Screenshots go to test-artifacts/.

const PHONE = { width: 375, height: 740 };
// Page loads on a busy 2-core CI machine: generous, and still bounded.
const BROWSER_TIMEOUT_MS = 90_000;
const DESKTOP = { width: 1200, height: 900 };

let browser: Browser;
let h: Harness;
let base: string;

beforeAll(async () => {
  if (!has('chromium')) return;
  browser = await launchBrowser();
  // Real clock: the browser sees real time and the record must not look expired.
  h = makeHarness({ now: Date.now });
  base = (await h.server.listen({ port: 0 })).url;
});

afterAll(async () => {
  await browser?.close();
  await h?.server.close();
});

interface Watched {
  page: Page;
  context: BrowserContext;
  dialogs: string[];
  console: string[];
}

async function open(viewport: { width: number; height: number }, options: { dark?: boolean } = {}): Promise<Watched> {
  const context = await browser.newContext({ viewport, colorScheme: options.dark ? 'dark' : 'light' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const page = await context.newPage();
  const watched: Watched = { page, context, dialogs: [], console: [] };
  page.on('dialog', (dialog) => {
    watched.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('console', (msg) => watched.console.push(msg.text()));
  return watched;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(artifactsDir(), `web-${name}.png`), fullPage: true });
}

// Page code runs in the browser; passed as strings because this project compiles without DOM types.
async function readClipboard(page: Page): Promise<string> {
  return String(await page.evaluate('navigator.clipboard.readText()'));
}

/** Nothing sticks out sideways on a phone: no horizontal scrolling of the page itself. */
async function horizontalOverflow(page: Page): Promise<number> {
  return Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
}

describe('web pages in headless Chromium (uses a loopback port and Chromium)', needs('chromium'), () => {
  it('lists runbooks and filters them as you type, and searches without JavaScript via ?q=', async () => {
    const w = await open(DESKTOP);
    try {
      await w.page.goto(`${base}/runbooks`);
      await expect(w.page.locator('ul#runbooks > li:visible').count()).resolves.toBe(2);
      await shot(w.page, 'runbooks-index');
      await w.page.fill('#q', 'stored values');
      await expect(w.page.locator('ul#runbooks > li:visible').count()).resolves.toBe(1);
      await expect(w.page.locator('#count').textContent()).resolves.toBe('1 of 2 runbooks shown');
      await w.page.fill('#q', 'spec.ports[4].name: Invalid value: "x": cannot be changed');
      await w.page.press('#q', 'Enter');
      await w.page.waitForURL(/\?q=/);
      await expect(w.page.locator('ul#runbooks > li').allTextContents()).resolves.toEqual([
        expect.stringContaining('Service port name cannot change during rollback'),
      ]);
      await shot(w.page, 'runbooks-search');
      expect(w.console.filter((m) => /refused|error/i.test(m))).toEqual([]);
    } finally {
      await w.context.close();
    }
  }, BROWSER_TIMEOUT_MS);

  it('fills a runbook from the form, copies a command to the clipboard, and fits a phone screen', async () => {
    const w = await open(PHONE);
    try {
      await w.page.goto(`${base}/runbooks/widget-port-immutable`);
      await w.page.fill('input[name=release]', 'shop');
      await w.page.fill('input[name=namespace]', 'store');
      await w.page.fill('input[name=context]', 'prod-eu');
      await w.page.click('form.fill button[type=submit]');
      await w.page.waitForURL(/release=shop/);
      const second = w.page.locator('li.cmd').nth(1);
      const command = await second.locator('pre code').textContent();
      expect(command).toContain('kubectl --context prod-eu -n store get service shop');
      await second.locator('button.copy').click();
      // Copying is asynchronous (and "Copied" reverts after 2 s): wait for the mark the page sets once done.
      await second.locator('button.copy[data-copied="true"]').waitFor({ timeout: 5000 });
      const clip = await readClipboard(w.page);
      expect(clip).toBe(command);
      expect(await horizontalOverflow(w.page)).toBeLessThanOrEqual(0);
      await shot(w.page, 'runbook-phone');
      expect(w.dialogs).toEqual([]);
    } finally {
      await w.context.close();
    }
  }, BROWSER_TIMEOUT_MS);

  it('renders a runbook in dark mode with readable contrast', async () => {
    const w = await open(DESKTOP, { dark: true });
    try {
      await w.page.goto(`${base}/runbooks/widget-port-immutable?release=shop&namespace=store`);
      const colors = {
        bg: String(await w.page.evaluate('getComputedStyle(document.body).backgroundColor')),
        fg: String(await w.page.evaluate('getComputedStyle(document.body).color')),
      };
      expect(colors.bg).not.toBe('rgb(255, 255, 255)');
      expect(colors.fg).not.toBe(colors.bg);
      await shot(w.page, 'runbook-dark');
    } finally {
      await w.context.close();
    }
  }, BROWSER_TIMEOUT_MS);

  it('shows a triage permalink where a pasted <script> never runs and the CSP blocks injected handlers', async () => {
    const paste = `Error: UPGRADE FAILED: Service "shop" is invalid\n${XSS_SCRIPT}\n${XSS_IMG}\n` +
      'kubectl -n store get service shop -o yaml | grep -A3 ports  # a long line that should scroll inside its box, not stretch the page on a phone screen';
    const record = await h.store.create({ source: 'slack', diagnosis: fixtureDiagnosis(paste), cluster: 'prod' });
    await h.store.update(record.id, {
      findings: [{ check: 'service-port-names', status: 'confirmed', summary: 'port 0 is named "web" live', evidence: ['live: web', `<img src=x onerror=alert(3)>`] }],
      verdict: { playbook: 'widget-port-immutable', status: 'confirmed', confidence: 0.97, summary: 'Confirmed by the live Service', rootCause: 'The controller named the port.' },
      checks: { outcome: 'ok', completedAt: Date.now() },
    });
    const w = await open(PHONE);
    try {
      await w.page.goto(`${base}/t/${record.id}`);
      await expect(w.page.locator('h1').textContent()).resolves.toBe('Service port name cannot change during rollback');
      await expect(w.page.locator('pre.input code').textContent()).resolves.toContain(XSS_SCRIPT);
      await expect(w.page.locator('main img').count()).resolves.toBe(0);
      // Only our own script element exists.
      const scripts = await w.page.evaluate("Array.from(document.scripts).map((s) => s.src ? new URL(s.src).pathname : 'inline')");
      expect(scripts).toEqual(['/assets/site.js']);
      await shot(w.page, 'triage-phone');
      // If an attacker did get markup in, the CSP must still refuse inline handlers and scripts.
      await w.page.evaluate(`
        document.body.insertAdjacentHTML('beforeend', '<img src="/nope.png" onerror="console.log(\\'XSS-MARKER\\')">');
        const s = document.createElement('script');
        s.textContent = "console.log('XSS-MARKER')";
        document.body.appendChild(s);
      `);
      await w.page.waitForTimeout(300);
      expect(w.console.filter((m) => m.includes('XSS-MARKER') && !m.includes('Refused'))).toEqual([]);
      expect(w.dialogs).toEqual([]);
      expect(await horizontalOverflow(w.page)).toBeLessThanOrEqual(0);
      await w.page.locator('li.cmd button.copy').first().click();
      expect(await readClipboard(w.page)).toBe('helm history shop -n store');
    } finally {
      await w.context.close();
    }
  }, BROWSER_TIMEOUT_MS);

  it('shows every shipped runbook on a phone without sideways scrolling', async () => {
    const real = makeHarness({}, loadPlaybooks());
    const realBase = (await real.server.listen({ port: 0 })).url;
    const w = await open(PHONE);
    try {
      for (const p of loadPlaybooks().playbooks) {
        await w.page.goto(`${realBase}/runbooks/${p.id}?release=payments-api&namespace=payments-prod&context=arn:aws:eks:eu-west-1:123456789012:cluster/prod`);
        expect(await horizontalOverflow(w.page), p.id).toBeLessThanOrEqual(0);
        if (p.id === 'immutable-load-balancer-class') await shot(w.page, 'runbook-real-phone');
      }
      expect(w.dialogs).toEqual([]);
    } finally {
      await w.context.close();
      await real.server.close();
    }
  }, BROWSER_TIMEOUT_MS);

  it('shows the expired-link page', async () => {
    const w = await open(PHONE);
    try {
      const res = await w.page.goto(`${base}/t/${'Z'.repeat(24)}`);
      expect(res?.status()).toBe(404);
      await expect(w.page.locator('main').textContent()).resolves.toContain('results are kept 14 days');
      await shot(w.page, 'triage-expired');
    } finally {
      await w.context.close();
    }
  }, BROWSER_TIMEOUT_MS);
});
