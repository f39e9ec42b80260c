import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, launchBrowser } from '../support/browser.js';
import { has, needs } from '../support/needs.js';
import { willFailPlan } from '../render/rollback-fixtures.js';
import { makeHarness, type Harness } from './harness.js';

// The rollback plan page in headless Chromium at phone and desktop width, every object expanded:
// nothing sticks out sideways, long paths and values wrap. Screenshots: test-artifacts/rollback-page-*.png.

const BROWSER_TIMEOUT_MS = 90_000;

let browser: Browser;
let h: Harness;
let url: string;

beforeAll(async () => {
  if (!has('chromium')) return;
  browser = await launchBrowser();
  h = makeHarness({ now: Date.now });
  h.clock.now = Date.now();
  const base = (await h.server.listen({ port: 0 })).url;
  const plan = willFailPlan();
  const record = await h.rollbackPlans.create({ request: plan.request, cluster: 'prod-eu', plan, answer: { outcome: 'ok', completedAt: Date.now() } });
  url = `${base}/rollback-plans/${record.id}`;
});

afterAll(async () => {
  await browser?.close();
  await h?.server.close();
});

describe('the rollback plan page in headless Chromium (uses a loopback port and Chromium)', needs('chromium'), () => {
  for (const [name, viewport] of [['375', { width: 375, height: 740 }], ['1280', { width: 1280, height: 900 }]] as const) {
    it(`fits ${name} px with every object expanded, and collapses them by default`, async () => {
      const context = await browser.newContext({ viewport });
      try {
        const page = await context.newPage();
        await page.goto(url);
        const objects = page.locator('details.object');
        await expect(objects.count()).resolves.toBe(7);
        // Collapsed objects hide their fields until clicked (the values diff starts open).
        await expect(page.locator('details.object:not([open])').count()).resolves.toBe(6);
        await expect(page.locator('code.path', { hasText: 'spec.clusterIPs[0]' }).isVisible()).resolves.toBe(false);
        const closed = page.locator('details.object:not([open]) > summary');
        while ((await closed.count()) > 0) await closed.first().click();
        await expect(page.locator('code.path', { hasText: 'spec.clusterIPs[0]' }).isVisible()).resolves.toBe(true);
        expect(Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'))).toBeLessThanOrEqual(0);
        // Every code element stays inside the main column.
        const sticking = Number(await page.evaluate(`(() => { const main = document.querySelector('main').getBoundingClientRect();
          return [...document.querySelectorAll('main code, main summary')].filter((el) => el.getBoundingClientRect().right > main.right + 1).length; })()`));
        expect(sticking).toBe(0);
        await page.screenshot({ path: join(artifactsDir(), `rollback-page-${name}.png`), fullPage: true });
      } finally {
        await context.close();
      }
    }, BROWSER_TIMEOUT_MS);
  }
});
