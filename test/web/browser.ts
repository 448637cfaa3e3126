import { INestApplication } from '@nestjs/common';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { buildWebIfStale } from '../../scripts/build-web';
import { launchChromium } from '../../scripts/chromium';
import { createTestApp } from '../support/test-app';

/**
 * The browser tests' world: the real Mutua server (on the test PostgreSQL)
 * listening on a free port and serving the web app's build, and Debian's
 * Chromium (scripts/chromium.ts).
 */
export const PHONE = { width: 390, height: 844 };

/** Where `npm run screenshots` writes the README's pictures; unset in a plain test run. */
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;

export interface WebWorld {
  app: INestApplication;
  browser: Browser;
  baseUrl: string;
  close: () => Promise<void>;
}

export async function startWebWorld(): Promise<WebWorld> {
  buildWebIfStale();
  const app = await createTestApp();
  await app.listen(0, '127.0.0.1');
  const address = (app.getHttpServer() as { address(): { port: number } }).address();
  const browser = await launchChromium();
  return {
    app,
    browser,
    baseUrl: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await browser.close();
      await app.close();
    },
  };
}

/** A new browser (its own storage) on a phone-sized screen, optionally signed in already. */
export async function newPhone(
  world: WebWorld,
  session?: { slug: string; token: string; userId: string; displayName: string; role: string },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await world.browser.newContext({
    baseURL: world.baseUrl,
    viewport: PHONE,
    deviceScaleFactor: 1,
    acceptDownloads: true,
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  if (session !== undefined) {
    // A script text, run in the page before the app: the test process has no DOM types.
    const key = JSON.stringify(`mutua.session.${session.slug}`);
    const value = JSON.stringify(JSON.stringify(session));
    await context.addInitScript(
      `if (window.localStorage.getItem(${key}) === null) window.localStorage.setItem(${key}, ${value});`,
    );
  }
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  (page as Page & { problems?: string[] }).problems = problems;
  return { context, page };
}

/** Script errors the page threw: a journey fails on any. */
export function pageErrors(page: Page): string[] {
  return (page as Page & { problems?: string[] }).problems ?? [];
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** axe-core's violations of serious or critical impact on the page as it is now. */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated over the DevTools protocol: the app's Content-Security-Policy forbids inline scripts.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate<AxeViolation[]>(
    `axe.run(document, { resultTypes: ['violations'] }).then((result) =>
       result.violations.map((violation) => ({
         id: violation.id,
         impact: violation.impact,
         help: violation.help,
         nodes: violation.nodes.map((node) => ({ target: node.target })),
       })))`,
  );
  return violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
}

/** Writes a screenshot for the README when SCREENSHOT_DIR is set. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (SCREENSHOT_DIR === undefined || SCREENSHOT_DIR === '') return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({
    path: join(SCREENSHOT_DIR, `${name}.png`),
    fullPage: true,
    animations: 'disabled',
  });
}
