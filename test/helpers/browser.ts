import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { tempDir } from './tempDir.js';

/**
 * Debian's chromium driven by playwright-core (never `npx playwright install`): CI installs it
 * with `apt-get install -y chromium` in .ci/run.
 */
export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

export const LAPTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export interface TestBrowser {
  context: BrowserContext;
  /** A new tab whose page errors and failed requests are recorded in `problems`. */
  newPage: (viewport?: { width: number; height: number }) => Promise<Page>;
  /** Uncaught page errors, console errors and requests to anything but the test server. */
  problems: string[];
  close: () => Promise<void>;
}

/** A fresh chromium profile for one test file. */
export async function launchBrowser(baseUrl: string): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\``);
  const profile = tempDir('baton-chromium-');
  const context = await chromium.launchPersistentContext(profile.path, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: LAPTOP,
    baseURL: baseUrl,
    timeout: 60_000,
  });
  context.setDefaultTimeout(20_000);
  const problems: string[] = [];
  const origin = new URL(baseUrl).origin;
  const newPage = async (viewport = LAPTOP): Promise<Page> => {
    const page = await context.newPage();
    await page.setViewportSize(viewport);
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      // The browser logs every 4xx answer; the UI shows those on the page, where tests look.
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(`console error: ${msg.text()}`);
    });
    // The UI must work air-gapped: it may talk to its own server and nothing else.
    page.on('request', (req) => {
      const url = req.url();
      if (!url.startsWith(origin) && !url.startsWith('data:')) problems.push(`outbound request: ${url}`);
    });
    return page;
  };
  return {
    context,
    newPage,
    problems,
    close: async () => {
      await context.close();
      profile.remove();
    },
  };
}

/** Writes docs/screenshots/<name>.png, the pictures the README shows. */
/**
 * Takes a screenshot of the page (which also checks it renders). The committed images under
 * docs/screenshots are rewritten only by `npm run screenshots` (BATON_SCREENSHOTS=1): they hold
 * times and random run names, so every test run would otherwise change them.
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  const dir = process.env.BATON_SCREENSHOTS === '1' ? SCREENSHOTS : join(tmpdir(), 'baton-screenshots/');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: `${dir}${name}.png`, fullPage: options.fullPage ?? true, animations: 'disabled' });
}
