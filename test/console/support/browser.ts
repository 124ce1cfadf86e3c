import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { CHROMIUM_PATH } from '../../../scripts/setup-browser.js';

/** Where every console test writes its screenshots (named in the README). */
export const SCREENSHOT_DIR = path.resolve('test-results/console-screenshots');

/** The flags this machine kind needs: no sandbox as root, and no background connections to a closed network. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** A fresh browser profile (no cookies) on a page of its own. */
export async function newPage(browser: Browser, timezoneId = 'UTC'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ timezoneId, locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  return { context, page };
}

/** Signs in through the sign-in form with an API token, as a person would, and lands on `next`. */
export async function signIn(page: Page, baseUrl: string, token: string, next = '/console/'): Promise<void> {
  await page.goto(`${baseUrl}/console/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel('API token').fill(token);
  await Promise.all([page.waitForURL((url) => url.pathname === next.split('?')[0]), page.getByRole('button', { name: 'Sign in' }).click()]);
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core on the page and fails on any serious or critical violation, naming them. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  // Evaluated through the DevTools protocol, so the console's strict CSP (no inline scripts) still applies to the page itself.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] });
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, nodes: violation.nodes.map((node) => ({ target: node.target })) }));
  });
  const serious = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious.map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`), `${label}: axe violations`).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
