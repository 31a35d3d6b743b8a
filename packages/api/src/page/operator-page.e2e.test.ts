/**
 * The operator page in a real browser (Debian's chromium driven by playwright-core) against a
 * seeded instance: sign in with a workspace key, see the red indicator on a canceled meeting's
 * task, open the lead's timeline, resolve the task, and save screenshots to test-output/.
 * Skipped (with a message) only where /usr/bin/chromium is not installed.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { leadStreamName } from '@recon/domain';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startReadTestContext, type ReadTestContext } from '../testing/read-test-context';
import { Seeder } from '../testing/seeder';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const OUTPUT = fileURLToPath(new URL('../../test-output/', import.meta.url));
if (!hasChromium)
  console.warn(`operator page browser test skipped: ${CHROMIUM} is not installed (apt-get install chromium)`);

let t: ReadTestContext;
let a: Awaited<ReturnType<ReadTestContext['workspace']>>;
let browser: Browser;
let page: Page;

describe.skipIf(!hasChromium)('operator page in chromium', () => {
  beforeAll(async () => {
    t = await startReadTestContext('operator-page');
    a = await t.workspace('Acme');
    const seed = new Seeder(a.ws)
      .canceledMeeting('lead-canceled')
      .rescheduledMeeting('lead-moved')
      .booked('lead-booked');
    for (let i = 0; i < 4; i++) seed.noEvidence(`lead-ne-${i}`);
    await t.caughtUp(await seed.flush(t.store));
    mkdirSync(OUTPUT, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs in with the key alone (its workspace from GET /v1/me; kept in sessionStorage, never in the URL)', async () => {
    await page.goto(t.baseUrl);
    // A refused key says so and stays on the sign-in form.
    await page.getByLabel('Operator key').fill('rk_not-a-key');
    await page.getByRole('button', { name: 'Open workspace' }).click();
    await page.locator('#sign-in-error').filter({ hasText: 'The key was refused' }).waitFor();
    // The key alone: GET /v1/me names its workspace.
    await page.getByLabel('Operator key').fill(a.key);
    await page.getByRole('button', { name: 'Open workspace' }).click();
    await page.getByRole('heading', { name: 'Open review tasks' }).waitFor();
    await page.locator('#live').filter({ hasText: 'Workspace loaded.' }).waitFor();
    expect(page.url()).not.toContain(a.key);
    expect(await page.evaluate<string | null>("sessionStorage.getItem('recon.operator')")).toContain(a.key);
    expect(await page.locator('#who').innerText()).toContain(a.ws);
    const stats = await page.locator('#stats').innerText();
    expect(stats).toMatch(/Open tasks\s*2/);
  });

  it('shows the red indicator (text and color) on the canceled meeting’s task', async () => {
    const row = page.locator('#tasks tbody tr[data-kind="meeting-canceled"]');
    await row.waitFor();
    const badge = row.locator('.badge');
    await expect(badge.innerText()).resolves.toContain('Red: meeting canceled');
    expect(
      await badge.evaluate(
        (el) =>
          (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color,
      ),
    ).toBe('rgb(165, 14, 14)');
    expect(await badge.getAttribute('data-severity')).toBe('red');
    await expect(
      page.locator('#tasks tbody tr[data-kind="meeting-rescheduled"] .badge').innerText(),
    ).resolves.toContain('Red: meeting rescheduled');
    await expect(page.locator('#mismatches tbody tr').count()).resolves.toBeGreaterThanOrEqual(4);
  });

  it('opens the lead timeline, handles a missing check-now route, and saves a screenshot', async () => {
    await page
      .locator('#tasks tbody tr[data-kind="meeting-canceled"]')
      .getByRole('button', { name: 'lead-canceled', exact: true })
      .click();
    const timeline = page.locator('#timeline');
    await timeline.locator('li').first().waitFor();
    const text = await timeline.innerText();
    expect(text).toContain('Appointment Booked');
    expect(text).toContain('Appointment Canceled');
    expect(text).toContain('Sentiment classified: Meeting Booked');
    expect(text).toContain('Review task opened: Red: meeting canceled');
    await expect(page.locator('#lead-facts').innerText()).resolves.toContain('canceled');
    await page.getByRole('button', { name: 'Check now' }).click();
    await page
      .locator('#live')
      .filter({ hasText: /Check now is not available|Checked: lead is/ })
      .waitFor();
    await page.screenshot({ path: `${OUTPUT}operator-page.png`, fullPage: true });
  });

  it('resolves the red task from the page: the event is appended and the row disappears', async () => {
    const row = page.locator('#tasks tbody tr[data-kind="meeting-canceled"]');
    await row.getByRole('textbox').fill('Called the lead, rebooking');
    await row.getByRole('button', { name: /^Resolve/ }).click();
    await page.locator('#live').filter({ hasText: 'Task resolved for lead lead-canceled.' }).waitFor();
    await row.waitFor({ state: 'detached' });
    const events = await t.store.readStream(leadStreamName(a.ws, 'lead-canceled'));
    expect(events.filter((e) => e.type === 'FollowUpTaskResolved').map((e) => e.data['note'])).toEqual([
      'Called the lead, rebooking',
    ]);
    const tasks = await http(t.baseUrl, 'GET', `/v1/workspaces/${a.ws}/tasks?status=resolved`, { headers: a.auth });
    expect(tasks.body.items.map((x: { leadId: string }) => x.leadId)).toEqual(['lead-canceled']);
    await page
      .locator('#timeline')
      .filter({ hasText: 'Review task resolved: Red: meeting canceled — note: Called the lead, rebooking' })
      .waitFor();
    await page.screenshot({ path: `${OUTPUT}operator-page-resolved.png`, fullPage: true });
  });

  it('is keyboard operable: Tab reaches the resolve button of the remaining task', async () => {
    await page.locator('#tasks tbody tr[data-kind="meeting-rescheduled"] textarea').focus();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate<string | null>('document.activeElement && document.activeElement.textContent');
    expect(focused).toBe('Resolve');
  });
});
