/**
 * The operator page in a real browser (Debian's chromium driven by playwright-core) against a
 * seeded instance. It walks what an operator does: sign in with the key, read the overview's
 * charts, filter the tasks, search a lead by email, open another lead by its address (back and
 * forward restore the views), resolve its red task, see the lead as of before that (time travel),
 * link an unmatched booking (and meet a 404 and
 * a 409), then checks a phone-width viewport and the keyboard path. A second workspace (its own
 * tab) shows the deliveries panel's real figures for a configured GHL and a red reschedule review.
 * Screenshots go to test-output/.
 * Skipped (with a message) only where /usr/bin/chromium is not installed.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { appointmentStreamName, leadStreamName } from '@recon/domain';
import type { Position } from '@recon/eventstore';
import { sweepRescheduleConfirmations } from '@recon/ingest';
import { ghlAppointmentPayload } from '@recon/simulators';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519Pair, signGhl } from '../../test/testing/fixtures';
import { request } from '../../test/testing/http';
import { startProjectedTestApp, stopProjectedTestApp, type ProjectedTestApp } from '../../test/testing/projected-app';
import { appendPolledGhlBooking } from '../../test/testing/polled-ghl-booking';
import { configureGhl } from '../../test/testing/ghl-workspace';
import { createWorkspaceWithKey } from '../../test/testing/workspace-setup';
import { http } from '../testing/read-test-context';
import { Seeder } from '../testing/seeder';
import { seedOperatorPageHistory } from './operator-page-history';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const OUTPUT = fileURLToPath(new URL('../../test-output/', import.meta.url));
if (!hasChromium)
  console.warn(`operator page browser test skipped: ${CHROMIUM} is not installed (apt-get install chromium)`);

const EMAIL = 'Jordan.Operator@Example.com';

// The whole app as `recon start` runs it (reconciliation's routes: unmatched bookings, link, check now).
let p: ProjectedTestApp;
let t: { baseUrl: string; store: ProjectedTestApp['t']['store'] };
let a: Awaited<ReturnType<typeof createWorkspaceWithKey>>;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const shot = (name: string) => page.screenshot({ path: `${OUTPUT}${name}`, fullPage: true });
const live = (text: string | RegExp) => page.locator('#live').filter({ hasText: text }).waitFor();
/** The browser's getComputedStyle, typed for page.evaluate. */
type Styled = { getComputedStyle(e: unknown): { color: string; outlineStyle: string } };

/** Pixels of a chart's canvas that are drawn (not transparent), counted in the page. */
function drawnPixels(figureId: string): Promise<number> {
  return page.evaluate((id) => {
    const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
    const canvas = doc.querySelector(`#${id} canvas`) as {
      width: number;
      height: number;
      getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
    } | null;
    if (!canvas) return 0;
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
    return n;
  }, figureId);
}

/** Pixels of a canvas in one color family (r, g, b within 40): the series' own strokes and fills. */
function pixelsNear(figureId: string, rgb: [number, number, number]): Promise<number> {
  return page.evaluate(
    ([id, [r, g, b]]) => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
      const canvas = doc.querySelector(`#${id} canvas`) as {
        width: number;
        height: number;
        getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
      } | null;
      if (!canvas) return 0;
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4)
        if (
          data[i + 3]! > 200 &&
          Math.abs(data[i]! - r) < 40 &&
          Math.abs(data[i + 1]! - g) < 40 &&
          Math.abs(data[i + 2]! - b) < 40
        )
          n++;
      return n;
    },
    [figureId, rgb] as const,
  );
}

/** Nothing wider than the viewport: the page does not scroll sideways (wide tables scroll in their box). */
async function noHorizontalOverflow(view: string): Promise<void> {
  const { scrollWidth, innerWidth, offenders } = await page.evaluate(() => {
    type Node = {
      id: string;
      className: unknown;
      tagName: string;
      getBoundingClientRect(): { right: number };
      closest(s: string): unknown;
    };
    const g = globalThis as unknown as {
      document: { documentElement: { scrollWidth: number }; querySelectorAll(s: string): Iterable<Node> };
      innerWidth: number;
    };
    const wide = [...g.document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > g.innerWidth + 1 && !e.closest('.table-scroll'))
      .slice(0, 5)
      .map((e) => `${e.tagName}#${e.id}.${String(e.className)}`);
    return { scrollWidth: g.document.documentElement.scrollWidth, innerWidth: g.innerWidth, offenders: wide };
  });
  expect({ view, scrollWidth: scrollWidth <= innerWidth ? 'fits' : scrollWidth, offenders }).toEqual({
    view,
    scrollWidth: 'fits',
    offenders: [],
  });
}

async function caughtUp(position?: Position): Promise<void> {
  const r = await p.projections.waitUntilCaughtUp(position, { timeoutMs: 15_000 });
  expect(r.ok).toBe(true);
}

async function putLead(leadId: string, body: Record<string, unknown>): Promise<void> {
  const res = await http(t.baseUrl, 'PUT', `/v1/workspaces/${a.ws}/leads/${encodeURIComponent(leadId)}`, {
    headers: a.auth,
    body,
  });
  expect([200, 201]).toContain(res.status);
}

describe.skipIf(!hasChromium)('operator page in chromium', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    p = await startProjectedTestApp({ name: 'operator-page', clock: () => new Date(), reconcileRoutes: true });
    t = p.t;
    a = await createWorkspaceWithKey(t.baseUrl, 'Acme');
    // Ten days of history ending yesterday, on recon's own (real) clock: the daily charts move.
    await caughtUp(await seedOperatorPageHistory(t.store, a.ws, new Date()));
    await putLead('lead-email', { email: EMAIL });
    await caughtUp();
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
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stopProjectedTestApp(p ?? {});
  });

  it('signs in with the key alone (its workspace from GET /v1/me; kept in sessionStorage, never in the URL)', async () => {
    await page.goto(t.baseUrl);
    await shot('page-signin.png');
    // A refused key says so and stays on the sign-in form.
    await page.getByLabel('Operator key').fill('rk_not-a-key');
    await page.getByRole('button', { name: 'Open workspace' }).click();
    await page.locator('#sign-in-error').filter({ hasText: 'The key was refused' }).waitFor();
    await page.getByLabel('Operator key').fill(a.key);
    await page.getByRole('button', { name: 'Open workspace' }).click();
    await live('Workspace loaded.');
    expect(new URL(page.url()).hash).toBe('#/overview');
    expect(page.url()).not.toContain(a.key);
    expect(await page.evaluate<string | null>("sessionStorage.getItem('recon.operator')")).toContain(a.key);
    expect(await page.locator('#who').innerText()).toContain(a.ws);
    await expect(page.locator('#stats').innerText()).resolves.toMatch(/Open tasks\s*2/);
    // Counts in the tab titles.
    await expect(page.locator('#tab-tasks').innerText()).resolves.toMatch(/^Tasks \(2\)/);
    const stats = await http(t.baseUrl, 'GET', `/v1/workspaces/${a.ws}/stats`, { headers: a.auth });
    const openMismatches = Object.values(stats.body['openMismatchesByKind'] as Record<string, number>).reduce(
      (x, y) => x + y,
      0,
    );
    expect(openMismatches).toBeGreaterThan(0);
    await expect(page.locator('#tab-mismatches').innerText()).resolves.toBe(`Mismatches (${openMismatches})`);
    await expect(page.locator('#tab-unmatched').innerText()).resolves.toBe('Unmatched bookings (4)');
    expect(await page.locator('#tab-overview').getAttribute('aria-current')).toBe('page');
  });

  it('draws both charts from the daily read models, with a legend, a summary and a data table', async () => {
    for (const id of ['chart-leads', 'chart-mismatches'])
      await page.locator(`#${id}[data-points]`).waitFor({ timeout: 10_000 });
    for (const id of ['chart-leads', 'chart-mismatches']) {
      const figure = page.locator(`#${id}`);
      expect(Number(await figure.getAttribute('data-points'))).toBeGreaterThan(0);
      expect(Number(await figure.getAttribute('data-total'))).toBeGreaterThan(0);
      expect(await drawnPixels(id)).toBeGreaterThan(1000);
      await expect(figure.locator('.u-legend').innerText()).resolves.toBeTruthy();
      expect(await figure.locator('table.data tbody tr').count()).toBe(
        Number(await figure.getAttribute('data-points')),
      );
    }
    // The series' own colors are on the canvases: booked leads (green) and opened mismatches (red bars).
    expect(await pixelsNear('chart-leads', [26, 127, 55])).toBeGreaterThan(50);
    expect(await pixelsNear('chart-mismatches', [165, 14, 14])).toBeGreaterThan(50);
    await expect(page.locator('#chart-leads .u-legend').innerText()).resolves.toContain('Booked');
    await expect(page.locator('#chart-mismatches .u-legend').innerText()).resolves.toMatch(/Opened[\s\S]*Closed/);
    await expect(page.locator('#chart-mismatches-summary').innerText()).resolves.toMatch(
      /: [1-9]\d* mismatches opened, [1-9]\d* closed\.$/,
    );
    await shot('page-overview.png');
    await page.locator('.charts').screenshot({ path: `${OUTPUT}page-charts.png` });
  });

  it('shows the tasks with red badges (text and color), filtered by severity and kind from the address', async () => {
    await page.getByRole('link', { name: /^Tasks \(2\)/ }).click();
    const tasks = page.locator('#view-tasks');
    const row = page.locator('#tasks tbody tr[data-kind="meeting-canceled"]');
    await row.waitFor();
    expect(new URL(page.url()).hash).toBe('#/tasks');
    const badge = row.locator('.badge');
    await expect(badge.innerText()).resolves.toContain('Red: meeting canceled');
    expect(await badge.evaluate((el) => (globalThis as unknown as Styled).getComputedStyle(el).color)).toBe(
      'rgb(165, 14, 14)',
    );
    await expect(
      page.locator('#tasks tbody tr[data-kind="meeting-rescheduled"] .badge').innerText(),
    ).resolves.toContain('Red: meeting rescheduled');
    // Filters refetch and are part of the address.
    await tasks.getByLabel('Kind').selectOption('meeting-rescheduled');
    await page.locator('#tasks tbody tr[data-kind="meeting-canceled"]').waitFor({ state: 'detached' });
    expect(await page.locator('#tasks tbody tr').count()).toBe(1);
    expect(new URL(page.url()).hash).toBe('#/tasks?kind=meeting-rescheduled');
    await tasks.getByLabel('Kind').selectOption('');
    await tasks.getByLabel('Severity').selectOption('amber');
    await page.locator('#tasks-empty').waitFor({ state: 'visible' });
    expect(new URL(page.url()).hash).toBe('#/tasks?severity=amber');
    await tasks.getByLabel('Severity').selectOption('red');
    await row.waitFor();
    expect(await page.locator('#tasks tbody tr').count()).toBe(2);
    await shot('page-tasks.png');
    await tasks.getByLabel('Severity').selectOption('');
  });

  it('finds a lead by email (POSTed, never in the URL) and opens it at its own address', async () => {
    const searchRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('leads:search')) searchRequests.push(`${r.url()} ${r.postData() ?? ''}`);
    });
    await page.getByLabel('Find a lead').fill(EMAIL.toLowerCase());
    await page.getByLabel('Find a lead').press('Enter');
    const result = page.locator('#search-list a', { hasText: 'lead-email' });
    await result.waitFor();
    await expect(page.locator('#search-title').innerText()).resolves.toBe('Search results (1)');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('search-title');
    expect(page.url()).not.toContain('@');
    expect(page.url().toLowerCase()).not.toContain('jordan');
    expect(searchRequests).toHaveLength(1);
    expect(searchRequests[0]).not.toMatch(/leads:search\?.*jordan/i);
    expect(searchRequests[0]).toContain('"email"');
    await shot('page-search.png');
    // A lead id prefix works in the same box.
    await page.getByLabel('Find a lead').fill('lead-ne-');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('#search-title').filter({ hasText: 'Search results (4)' }).waitFor();
    await page.getByLabel('Find a lead').fill(EMAIL);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('#search-title').filter({ hasText: 'Search results (1)' }).waitFor();
    await result.click();
    await page.locator('#lead-title').filter({ hasText: 'Lead lead-email' }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/leads/lead-email');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('lead-title');
    expect(await page.locator('#search-results').isHidden()).toBe(true);
  });

  it('opens another lead by URL at the top of the page; back and forward restore the views', async () => {
    await page.goto(`${t.baseUrl}/#/leads/lead-canceled`);
    await page.locator('#lead-title').filter({ hasText: 'Lead lead-canceled' }).waitFor();
    // A reload (or a link pasted into this tab) opens the same lead: the address is the view.
    await page.reload();
    await page.locator('#lead-title').filter({ hasText: 'Lead lead-canceled' }).waitFor();
    const timeline = page.locator('#timeline');
    await timeline.filter({ hasText: 'Appointment Canceled' }).waitFor();
    const text = await timeline.innerText();
    expect(text).toContain('Appointment Booked');
    expect(text).toContain('Sentiment classified: Meeting Booked');
    expect(text).toContain('Review task opened: Red: meeting canceled');
    await expect(page.locator('#lead-facts').innerText()).resolves.toContain('canceled');
    // The view is where the operator looks: its heading is in the first screen, focused.
    const box = await page.locator('#lead-title').boundingBox();
    expect(box!.y).toBeLessThan(300);
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('lead-title');
    await shot('page-lead.png');
    await page.goBack();
    await page.locator('#lead-title').filter({ hasText: 'Lead lead-email' }).waitFor();
    await page.goBack();
    await page.locator('#view-tasks').waitFor({ state: 'visible' });
    await page.goForward();
    await page.locator('#lead-title').filter({ hasText: 'Lead lead-email' }).waitFor();
    await page.goForward();
    await page.locator('#lead-title').filter({ hasText: 'Lead lead-canceled' }).waitFor();
    // Check now: either the route answers or the page says it is not there.
    await page.getByRole('button', { name: 'Check now' }).click();
    await live(/Check now is not available|Checked: lead is|checked moments ago/);
  });

  it('resolves the lead’s red task from its view: the event is appended and the task leaves the list', async () => {
    const item = page.locator('#lead-tasks li[data-kind="meeting-canceled"]');
    await expect(item.locator('.badge').innerText()).resolves.toContain('Red: meeting canceled');
    await item.getByRole('textbox').fill('Called the lead, rebooking');
    await item.getByRole('button', { name: /^Resolve/ }).click();
    await live('Task resolved for lead lead-canceled.');
    await item.waitFor({ state: 'detached' });
    const events = await t.store.readStream(leadStreamName(a.ws, 'lead-canceled'));
    expect(events.filter((e) => e.type === 'FollowUpTaskResolved').map((e) => e.data['note'])).toEqual([
      'Called the lead, rebooking',
    ]);
    await page
      .locator('#timeline')
      .filter({ hasText: 'Review task resolved: Red: meeting canceled — note: Called the lead, rebooking' })
      .waitFor();
    await page
      .locator('#tab-tasks')
      .filter({ hasText: /^Tasks \(1\)/ })
      .waitFor();
    await shot('page-lead-resolved.png');
  });

  it('shows the lead as of a time before the resolution (the task open, read-only), and back to now', async () => {
    const events = await t.store.readStream(leadStreamName(a.ws, 'lead-canceled'));
    const resolved = events.find((e) => e.type === 'FollowUpTaskResolved');
    expect(resolved).toBeDefined();
    // A second before the resolution was recorded (the control works to the second, UTC).
    const before = new Date(Math.floor((resolved?.recordedAt.getTime() ?? 0) / 1000) * 1000 - 1000);
    await page.getByLabel('As of (UTC)').fill(before.toISOString().slice(0, 19));
    await page.getByRole('button', { name: 'Show as of' }).click();
    const banner = page.locator('#asof-banner');
    await banner.filter({ hasText: `As of ${before.toISOString().slice(0, 19).replace('T', ' ')} UTC` }).waitFor();
    expect(new URL(page.url()).hash).toBe(`#/leads/lead-canceled?asOf=${encodeURIComponent(before.toISOString())}`);
    const task = page.locator('#lead-tasks li[data-kind="meeting-canceled"]');
    await task.waitFor();
    expect(await task.getByRole('button', { name: /^Resolve/ }).count()).toBe(0);
    await expect(page.locator('#lead-facts').innerText()).resolves.toContain('canceled_needs_review');
    await expect(page.locator('#lead-facts').innerText()).resolves.toMatch(/Verification\s+\w/);
    await expect(page.locator('#timeline').innerText()).resolves.not.toContain('Review task resolved');
    await shot('page-lead-asof.png');
    // The same address in a fresh load shows the same (shareable); "Back to now" leaves the past.
    await page.reload();
    await banner.filter({ hasText: 'As of' }).waitFor();
    await task.waitFor();
    await page.getByRole('link', { name: 'Back to now' }).click();
    await banner.waitFor({ state: 'hidden' });
    await task.waitFor({ state: 'detached' });
    expect(new URL(page.url()).hash).toBe('#/leads/lead-canceled');
    // A timeline entry's own time: the seeded facts are older than their recording, so recon did not know the lead yet.
    await page.locator('#timeline .asof-pick').first().click();
    await page.locator('#lead-error').filter({ hasText: 'recon knew no lead “lead-canceled” yet at' }).waitFor();
    await banner.filter({ hasText: 'As of' }).waitFor();
    await page.getByRole('link', { name: 'Back to now' }).click();
    await page.locator('#timeline').filter({ hasText: 'Review task resolved' }).waitFor();
  });

  it('links an unmatched booking to a lead; an unknown lead (404) and a booking another operator linked (409) say why inline', async () => {
    await page.getByRole('link', { name: 'Unmatched bookings (4)' }).click();
    const row1 = page.locator('#unmatched tbody tr[data-appointment-id="appt-unmatched-1"]');
    const row2 = page.locator('#unmatched tbody tr[data-appointment-id="appt-unmatched-2"]');
    await row1.waitFor();
    await expect(row1.locator('.reason').innerText()).resolves.toBe('The GHL appointment names no contact');
    // Ambiguous: the GHL contact is on two leads; both are offered.
    const ambiguous = page.locator('#unmatched tbody tr[data-appointment-id="appt-ambiguous"]');
    await expect(ambiguous.locator('.reason').innerText()).resolves.toContain('Ambiguous');
    await expect(ambiguous.locator('.candidates').innerText()).resolves.toMatch(/lead-twin-a[\s\S]*lead-twin-b/);
    await shot('page-unmatched.png');
    // An unknown lead: 404, said next to the form.
    await row1.getByLabel('Lead id').fill('lead-nope');
    await row1.getByRole('button', { name: 'Link to lead' }).click();
    await row1.locator('.error').filter({ hasText: 'LEAD_NOT_FOUND' }).waitFor();
    // Linked: the row says so, the event is in the store, the lead lists the booking.
    await row1.getByLabel('Lead id').fill('lead-email');
    await row1.getByRole('button', { name: 'Link to lead' }).click();
    await row1.locator('.ok').filter({ hasText: 'Linked to lead-email' }).waitFor();
    await live('Booking linked to lead lead-email.');
    // Its position is kept for the tab's later reads (reloads too): they wait for the projections.
    expect(await page.evaluate<string | null>("sessionStorage.getItem('recon.position')")).toMatch(/\d/);
    const linked = await t.store.readStream(appointmentStreamName(a.ws, 'ghl', 'appt-unmatched-1'));
    expect(linked.filter((e) => e.type === 'AppointmentLinkedToLead').map((e) => e.data['leadId'])).toEqual([
      'lead-email',
    ]);
    await caughtUp();
    const appts = await http(t.baseUrl, 'GET', `/v1/workspaces/${a.ws}/leads/lead-email/appointments`, {
      headers: a.auth,
    });
    expect(appts.body.items.map((x: { providerAppointmentId: string }) => x.providerAppointmentId)).toEqual([
      'appt-unmatched-1',
    ]);
    await page.locator('#tab-unmatched').filter({ hasText: 'Unmatched bookings (3)' }).waitFor();
    // Another operator links the second booking meanwhile; this page's stale row gets a 409.
    const other = await http(t.baseUrl, 'POST', `/v1/workspaces/${a.ws}/appointments:link`, {
      headers: a.auth,
      body: { provider: 'ghl', providerAppointmentId: 'appt-unmatched-2', leadId: 'lead-moved' },
    });
    expect(other.status).toBe(200);
    await row2.getByLabel('Lead id').fill('lead-booked');
    await row2.getByRole('button', { name: 'Link to lead' }).click();
    await row2.locator('.error').filter({ hasText: 'APPOINTMENT_LINKED_TO_OTHER_LEAD' }).waitFor();
    await expect(row2.locator('.error').innerText()).resolves.toContain('already linked to another lead');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe(
      await row2.getByLabel('Lead id').getAttribute('id'),
    );
    await shot('page-link-409.png');
    // The ambiguous booking: pick a candidate, link it.
    await ambiguous.getByRole('button', { name: 'Use lead lead-twin-b' }).click();
    expect(await ambiguous.getByLabel('Lead id').inputValue()).toBe('lead-twin-b');
    await ambiguous.getByRole('button', { name: 'Link to lead' }).click();
    await ambiguous.locator('.ok').filter({ hasText: 'Linked to lead-twin-b' }).waitFor();
  });

  it('stays readable at a phone width: nothing wider than the viewport, in every view', async () => {
    await caughtUp();
    await page.setViewportSize({ width: 390, height: 844 });
    for (const hash of ['#/overview', '#/tasks', '#/mismatches', '#/unmatched', '#/leads/lead-canceled']) {
      await page.goto(`${t.baseUrl}/${hash}`);
      await page.reload();
      await live('Workspace loaded.');
      await noHorizontalOverflow(hash);
      if (hash === '#/overview') {
        await page.locator('#chart-mismatches[data-points]').waitFor();
        await noHorizontalOverflow(hash);
        await shot('page-phone.png');
      }
      if (hash !== '#/overview' && hash !== '#/mismatches')
        await shot(`page-phone-${hash === '#/leads/lead-canceled' ? 'lead' : hash.slice(2)}.png`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('is keyboard operable: Tab reaches the search box and the view tabs; Enter on a tab opens its view', async () => {
    await page.goto(`${t.baseUrl}/#/overview`);
    await page.reload();
    await live('Workspace loaded.');
    // From the top of the page (the skip link is the first stop).
    await page.locator('.skip').focus();
    const reached: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate<string>('document.activeElement ? document.activeElement.id : ""'));
    }
    expect(reached).toContain('search-input');
    for (const tab of ['tab-overview', 'tab-tasks', 'tab-mismatches', 'tab-unmatched']) expect(reached).toContain(tab);
    expect(reached.indexOf('search-input')).toBeLessThan(reached.indexOf('tab-tasks'));
    // The focused control shows a visible ring.
    await page.locator('#tab-tasks').focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    expect(
      await page
        .locator('#tab-tasks')
        .evaluate((el) => (globalThis as unknown as Styled).getComputedStyle(el).outlineStyle),
    ).toBe('solid');
    await page.locator('#tab-tasks').focus();
    await page.keyboard.press('Enter');
    await page.locator('#view-tasks').waitFor({ state: 'visible' });
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('tasks-title');
    // The remaining task's note, then its resolve button.
    await page.locator('#tasks tbody tr[data-kind="meeting-rescheduled"] textarea').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | null>('document.activeElement && document.activeElement.textContent')).toBe(
      'Resolve',
    );
  });

  it('a second workspace: the deliveries panel shows GHL’s real counts and health; a red reschedule review', async () => {
    // Its own workspace, so the first one's counts above stay as they are.
    const b = await createWorkspaceWithKey(t.baseUrl, 'Beta');
    const pair = ed25519Pair();
    const LOCATION = 'PageLoc0000000000001';
    await configureGhl(t.baseUrl, b.ws, LOCATION, pair);
    const HOUR = 3_600_000;
    const start = Date.now();
    const appointment = (n: number, updatedMs = start - (5 - n) * HOUR) => ({
      id: `PageApt${n}`,
      locationId: LOCATION,
      contactId: `PageCon${n}`,
      calendarId: 'PageCal0000000000001',
      status: 'confirmed',
      startMs: start + (n + 1) * 24 * HOUR,
      endMs: start + (n + 1) * 24 * HOUR + HOUR / 2,
      addedMs: updatedMs,
      updatedMs,
    });
    const deliver = async (n: number) => {
      const raw = JSON.stringify(ghlAppointmentPayload('AppointmentCreate', appointment(n), randomUUID()));
      const res = await request(t.baseUrl, 'POST', `/webhooks/ghl/${b.ws}`, {
        raw,
        headers: { 'x-ghl-signature': signGhl(raw, pair) },
      });
      expect(res.status).toBe(200);
    };
    // What a poll that found appointment `n` (its webhook dropped) appends.
    const pollFinds = (n: number, updatedMs?: number) =>
      appendPolledGhlBooking(t.store, b.ws, appointment(n, updatedMs));
    // Two delivered by webhook; two only polling found, hours ago (lost); one polling found a minute
    // ago (pending: still within the 15 minutes' grace).
    await deliver(0);
    await deliver(1);
    await pollFinds(2);
    await pollFinds(3);
    await pollFinds(4, start - 60_000);
    // A Calendly invitee replaced by a reschedule whose new invitee never came; the lead was checked
    // (successfully) after the grace period: the sweep records it unconfirmed, a red review opens.
    const OLD = 'https://api.calendly.com/scheduled_events/EVT-OLD/invitees/INV-OLD';
    await new Seeder(b.ws)
      .registered('lead-resched')
      .observe({ leadId: 'lead-resched', provider: 'calendly', providerAppointmentId: OLD })
      .observe({
        leadId: 'lead-resched',
        provider: 'calendly',
        providerAppointmentId: OLD,
        status: 'canceled',
        rescheduledTo: 'https://api.calendly.com/scheduled_events/EVT-NEW/invitees/INV-NEW',
        providerUpdatedAt: '2030-06-02T10:00:00.000Z',
        observedAt: '2030-06-02T10:00:03.000Z',
      })
      .checkedNone('lead-resched', 'calendly', '2030-06-03T09:00:00.000Z')
      .flush(t.store);
    await caughtUp(await t.store.lastCommittedPosition());
    const swept = await sweepRescheduleConfirmations(
      { db: p.t.db, store: t.store },
      b.ws,
      new Date('2030-06-03T12:00:00.000Z'),
      {},
    );
    expect(swept).toMatchObject({ unconfirmed: 1, failures: 0 });
    await caughtUp(await t.store.lastCommittedPosition());

    // Its own tab (its own sessionStorage): sign in with the second workspace's key.
    const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    tab.on('pageerror', (e) => pageErrors.push(e.message));
    tab.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    try {
      await tab.goto(t.baseUrl);
      await tab.getByLabel('Operator key').fill(b.key);
      await tab.getByRole('button', { name: 'Open workspace' }).click();
      await tab.locator('#live').filter({ hasText: 'Workspace loaded.' }).waitFor();
      expect(await tab.locator('#who').innerText()).toContain(b.ws);
      const panel = tab.locator('#deliveries');
      const row = panel.locator('tbody tr[data-provider="ghl"]');
      await row.waitFor();
      expect(await panel.isVisible()).toBe(true);
      expect(await panel.locator('tbody tr').count()).toBe(1);
      const cell = (label: string) => row.locator(`td[data-label="${label}"]`).innerText();
      const figures = async () => ({
        provider: await cell('Provider'),
        received: await cell('Received'),
        lost: await cell('Lost'),
        lost24h: await cell('Lost (24 h)'),
        recovered: await cell('Recovered'),
        pending: await cell('Pending'),
      });
      expect(await figures()).toEqual({
        provider: 'ghl',
        received: '2',
        lost: '2',
        lost24h: '2',
        recovered: '3',
        pending: '1',
      });
      expect(await cell('Last webhook')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
      expect(await cell('Webhook subscription')).toBe('—');
      // Half of the last day's deliveries lost: unhealthy, said in words and in red.
      const status = row.locator('td[data-label="Status"]');
      await expect(status.innerText()).resolves.toMatch(/^Unhealthy\s+many deliveries lost$/);
      expect(await row.getAttribute('class')).toBe('red');
      expect(
        await status.locator('.badge').evaluate((el) => (globalThis as unknown as Styled).getComputedStyle(el).color),
      ).toBe('rgb(165, 14, 14)');
      await expect(tab.locator('#deliveries-empty').isHidden()).resolves.toBe(true);
      // The status is the second column: in view without scrolling the table sideways.
      const [statusBox, panelBox] = [await status.boundingBox(), await panel.boundingBox()];
      expect((statusBox?.x ?? 0) + (statusBox?.width ?? 0)).toBeLessThanOrEqual(
        (panelBox?.x ?? 0) + (panelBox?.width ?? 0),
      );
      await tab.screenshot({ path: `${OUTPUT}page-deliveries.png`, fullPage: true });
      await panel.screenshot({ path: `${OUTPUT}page-deliveries-status.png` });

      // The dropped webhook arrives late: received, no longer lost; one lost is healthy again.
      await deliver(2);
      await tab.getByRole('button', { name: 'Refresh' }).click();
      await status.filter({ hasText: /^Healthy$/ }).waitFor();
      expect(await figures()).toEqual({
        provider: 'ghl',
        received: '3',
        lost: '1',
        lost24h: '1',
        recovered: '3',
        pending: '1',
      });
      expect(await row.getAttribute('class')).toBeNull();

      // The reschedule nobody confirmed: a red task, labelled and colored (beside the reschedule's own).
      await tab.getByRole('link', { name: /^Tasks \(2\)/ }).click();
      const task = tab.locator('#tasks tbody tr[data-kind="meeting-reschedule-unconfirmed"]');
      await task.waitFor();
      const kinds = await tab
        .locator('#tasks tbody tr')
        .evaluateAll((rows) => rows.map((r) => (r as unknown as { dataset: { kind: string } }).dataset.kind).sort());
      expect(kinds).toEqual(['meeting-reschedule-unconfirmed', 'meeting-rescheduled']);
      await expect(task.innerText()).resolves.toMatch(
        /Rescheduled, but the new booking cannot be found[\s\S]*lead-resched/,
      );
      const badge = task.locator('.badge');
      await expect(badge.innerText()).resolves.toContain('Red: reschedule unconfirmed');
      expect(await badge.evaluate((el) => (globalThis as unknown as Styled).getComputedStyle(el).color)).toBe(
        'rgb(165, 14, 14)',
      );
      await tab.locator('#view-tasks').getByLabel('Kind').selectOption('meeting-reschedule-unconfirmed');
      // The filter refetches: the other kind's row leaves, this one stays.
      await tab.locator('#tasks tbody tr[data-kind="meeting-rescheduled"]').waitFor({ state: 'detached' });
      expect(new URL(tab.url()).hash).toBe('#/tasks?kind=meeting-reschedule-unconfirmed');
      await task.waitFor();
      expect(await tab.locator('#tasks tbody tr').count()).toBe(1);
      await tab.screenshot({ path: `${OUTPUT}page-tasks-reschedule.png`, fullPage: true });
    } finally {
      await tab.close();
    }
  });

  it('ran without script errors or CSP violations', () => {
    // The refused key (401), the unknown lead (404) and the 409 are answers the page handles.
    expect(
      pageErrors.filter((e) => !/Failed to load resource: the server responded with a status of 40[149]/.test(e)),
    ).toEqual([]);
  });
});
