/**
 * The API reference in a real browser (Debian's chromium driven by playwright-core, as the
 * operator page's test): under its CSP the page renders every operation group without a single
 * policy violation or request to another origin, an operation opens with its example; screenshots
 * are saved to test-output/ (api-reference.png: the page; api-reference-operation.png: gates:query
 * opened). Skipped (with a message) only where /usr/bin/chromium is not installed.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReadTestContext, type ReadTestContext } from '../testing/read-test-context';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const OUTPUT = fileURLToPath(new URL('../../test-output/', import.meta.url));
if (!hasChromium)
  console.warn(`API reference browser test skipped: ${CHROMIUM} is not installed (apt-get install chromium)`);

let t: ReadTestContext;
let browser: Browser;
let page: Page;
const violations: string[] = [];
const foreignRequests: string[] = [];
const pageErrors: string[] = [];

describe.skipIf(!hasChromium)('API reference in chromium', () => {
  beforeAll(async () => {
    t = await startReadTestContext('api-reference-page');
    mkdirSync(OUTPUT, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const origin = new URL(t.baseUrl).origin;
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol !== 'data:' && url.origin !== origin) foreignRequests.push(request.url());
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('renders every operation under its strict CSP, with no request to another origin', async () => {
    // Runs in the page: every CSP violation event, kept where the test reads it.
    await page.addInitScript(`
      globalThis.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        globalThis.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile);
      }, true);
    `);
    const res = await page.goto(`${t.baseUrl}/docs`);
    expect(res?.status()).toBe(200);
    await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
    await expect(page.locator('.info .title').innerText()).resolves.toContain('recon');
    const operations = await page.locator('.opblock').count();
    expect(operations).toBeGreaterThanOrEqual(20);
    const fromPage = await page.evaluate<string[]>('globalThis.__cspViolations');
    expect([...fromPage, ...violations]).toEqual([]);
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.screenshot({ path: `${OUTPUT}api-reference.png` });
  });

  it('opens an operation with its summary, schema and example, and saves screenshots', async () => {
    const op = page.locator('.opblock-post', { hasText: '/v1/workspaces/{ws}/gates:query' }).first();
    await op.locator('.opblock-summary').click();
    await op.locator('.opblock-body').waitFor();
    await expect(op.innerText()).resolves.toContain('Automation gates of up to 1,000 leads');
    await expect(op.locator('.opblock-body').innerText()).resolves.toContain('"leadIds"');
    await op.locator('.body-param__example, .highlight-code').first().waitFor();
    await op.screenshot({ path: `${OUTPUT}api-reference-operation.png` });
    expect([...violations, ...pageErrors]).toEqual([]);
  });
});
