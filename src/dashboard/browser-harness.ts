/**
 * Shared by the dashboard's browser tests and benchmark: launching Debian's Chromium through
 * playwright-core, and whether the tests may skip (only outside CI, when Chromium is missing).
 * @module
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';

/** Where Debian's `chromium` package installs the browser. */
export const CHROMIUM_PATH = process.env.TUNEKIT_CHROMIUM ?? '/usr/bin/chromium';

/** Whether browser tests must skip: not in CI and no Chromium installed. */
export const SKIP_BROWSER = !process.env.CI && !existsSync(CHROMIUM_PATH);

if (SKIP_BROWSER) {
  console.warn(
    `dashboard browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium).`,
  );
}

/** Launches headless Chromium. */
export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

/** The folder for screenshots (created). */
export function artifactsDir(): string {
  const dir = join(process.cwd(), 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  return dir;
}
