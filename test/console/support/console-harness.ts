import type { Browser } from 'playwright-core';
import { afterAll } from 'vitest';
import { createHarness, type Harness } from '../../support/harness.js';
import { launchChromium } from './browser.js';

/** One harness and one chromium for a console test file, both closed when the file ends. */
export async function consoleHarness(options?: Parameters<typeof createHarness>[0]): Promise<{ harness: Harness; browser: Browser }> {
  const harness = await createHarness(options);
  const browser = await launchChromium();
  afterAll(async () => {
    await browser.close();
    await harness.close();
  });
  return { harness, browser };
}
