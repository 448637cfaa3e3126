import { Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium, driven headless by playwright-core (which never
 * downloads a browser of its own): the browser tests and `npm run bench:web`
 * launch it the same way. CHROMIUM_PATH points elsewhere.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
}
