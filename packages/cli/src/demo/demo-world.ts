/**
 * The generated world of `recon demo`, replayable by seed: leads (made-up people with
 * `@demo.example` addresses, some with a GHL contact, a sentiment mix, message activity), what
 * happened at the providers (bookings kept, canceled, rescheduled, attended or missed; some
 * webhooks lost, some GHL bookings made directly in GHL that never send one; two bookings by people
 * who are no lead), and what happens after the first reconciliation (late bookings, the CRM
 * relabelling leads). The first leads play the showcase (`demo-showcase.ts`), the rest is random.
 * Every CRM and provider time lies in the past two weeks (meetings up to two weeks ahead).
 */
import { SeededRandom } from '@recon/simulators';
import { demoGhlContactId, demoName, type DemoPerson } from './demo-people';
import { SHOWCASE, type ShowcaseStory } from './demo-showcase';
import type {
  DemoBookingPlan,
  DemoChange,
  DemoLateBooking,
  DemoLead,
  DemoMessage,
  DemoWorld,
} from './demo-world-types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const slot = (ms: number) => Math.floor(ms / (30 * MINUTE)) * 30 * MINUTE;

function randomStory(random: SeededRandom, hasGhlContact: boolean): ShowcaseStory {
  const roll = random.next();
  const provider = hasGhlContact && roll < 0.3 ? 'ghl' : roll < 0.18 ? 'calendly' : null;
  const sentimentRoll = random.next();
  if (provider === null) {
    const sentiment =
      sentimentRoll < 0.12
        ? 'Meeting Booked'
        : sentimentRoll < 0.5
          ? 'Interested'
          : sentimentRoll < 0.7
            ? 'Not Interested'
            : '';
    const laterRoll = random.next();
    const later =
      sentiment !== 'Meeting Booked'
        ? 'none'
        : laterRoll < 0.15
          ? 'books'
          : laterRoll < 0.2
            ? 'books_webhook_lost'
            : 'none';
    return { kind: 'no_booking', sentiment, later };
  }
  const past = random.next() < 0.3;
  const changeRoll = random.next();
  const change: DemoChange['kind'] | null = past
    ? provider === 'ghl'
      ? changeRoll < 0.5
        ? 'showed'
        : changeRoll < 0.7
          ? 'no_show'
          : null
      : changeRoll < 0.2
        ? 'no_show'
        : null
    : changeRoll < 0.12
      ? 'cancel'
      : changeRoll < 0.24
        ? 'reschedule'
        : null;
  const sentiment = sentimentRoll < 0.6 ? 'Meeting Booked' : 'Interested';
  return {
    kind: 'booking',
    provider,
    sentiment,
    past,
    createLost: random.next() < (provider === 'ghl' ? 0.4 : 0.2),
    change,
    changeLost: random.next() < 0.3,
    // Relabelled by the CRM later: only a lead whose evidence still stands (booked or attended).
    correctSentiment:
      sentiment !== 'Meeting Booked' &&
      (change === null || change === 'reschedule' || change === 'showed') &&
      random.next() < 0.3,
  };
}

/** The CRM's messages with a lead: an outreach, the reply that was classified, maybe a follow-up. */
function messagesOf(random: SeededRandom, repliedMs: number, replied: boolean, nowMs: number): DemoMessage[] {
  const out: DemoMessage[] = [
    { direction: 'outbound', atMs: repliedMs - random.int(1, 3) * DAY - random.int(0, 8) * HOUR },
  ];
  if (replied) out.push({ direction: 'inbound', atMs: repliedMs });
  const followUp = repliedMs + random.int(2, 30) * HOUR;
  if (random.next() < 0.5 && followUp < nowMs - HOUR) out.push({ direction: 'outbound', atMs: followUp });
  return out;
}

function changeOf(
  random: SeededRandom,
  kind: DemoChange['kind'] | null,
  lost: boolean,
  createdMs: number,
  startMs: number,
  nowMs: number,
): DemoChange | null {
  if (kind === null) return null;
  if (kind === 'no_show' || kind === 'showed')
    return { kind, atMs: startMs + random.int(35, 90) * MINUTE, webhookLost: lost };
  const atMs = createdMs + Math.floor((Math.min(nowMs, startMs) - HOUR - createdMs) * random.next());
  if (kind === 'cancel') return { kind, atMs, webhookLost: lost };
  let newStartMs = slot(nowMs + random.int(2, 16) * DAY + random.int(8, 17) * HOUR);
  if (newStartMs === startMs) newStartMs += DAY;
  return { kind, atMs, newStartMs, webhookLost: lost };
}

export function generateDemoWorld(input: {
  readonly leads: number;
  readonly seed: number;
  readonly nowMs: number;
}): DemoWorld {
  const { nowMs } = input;
  const random = new SeededRandom(input.seed);
  const leads: DemoLead[] = [];
  const bookings: DemoBookingPlan[] = [];
  const lateBookings: DemoLateBooking[] = [];
  const sentimentCorrections: DemoLead[] = [];
  for (let i = 1; i <= input.leads; i += 1) {
    const n = String(i).padStart(5, '0');
    const showcase = SHOWCASE[i - 1];
    const hasContact = showcase ? showcase.kind === 'booking' && showcase.provider === 'ghl' : random.next() < 0.35;
    const story = showcase ?? randomStory(random, hasContact);
    // When the lead replied (the reply the CRM classified): 3 to 14 days ago.
    const repliedMs = nowMs - random.int(3, 14) * DAY - random.int(0, 23) * HOUR;
    const classifiedAtMs = repliedMs + random.int(5, 120) * MINUTE;
    const lead: DemoLead = {
      leadId: `demo-lead-${n}`,
      email: `lead${n}@demo.example`,
      name: demoName(i),
      ghlContactId: hasContact ? demoGhlContactId(i) : null,
      sentiment: story.sentiment === '' ? null : { label: story.sentiment, classifiedAtMs },
      messages:
        story.sentiment === '' && random.next() < 0.4
          ? []
          : messagesOf(random, repliedMs, story.sentiment !== '', nowMs),
    };
    leads.push(lead);
    if (story.kind === 'no_booking') {
      if (story.later !== 'none')
        lateBookings.push({
          lead,
          startMs: slot(nowMs + random.int(2, 10) * DAY + random.int(8, 17) * HOUR),
          webhookLost: story.later === 'books_webhook_lost',
        });
      continue;
    }
    const createdMs = classifiedAtMs + random.int(1, 24) * HOUR;
    const startMs = story.past
      ? slot(createdMs + 2 * HOUR + (nowMs - 4 * HOUR - createdMs) * random.next())
      : slot(nowMs + random.int(1, 14) * DAY + random.int(8, 17) * HOUR);
    bookings.push({
      provider: story.provider,
      person: lead,
      lead,
      startMs,
      createdMs,
      createWebhookLost: story.createLost,
      change: changeOf(random, story.change, story.changeLost, createdMs, startMs, nowMs),
    });
    if (story.correctSentiment === true) sentimentCorrections.push(lead);
  }
  // Two bookings by people who are no lead (another address; a GHL contact the CRM never sent).
  const strangers: [DemoBookingPlan['provider'], DemoPerson][] = [
    ['calendly', { email: 'guest00001@demo.example', name: demoName(input.leads + 1), ghlContactId: null }],
    [
      'ghl',
      {
        email: 'guest00002@demo.example',
        name: demoName(input.leads + 2),
        ghlContactId: demoGhlContactId(2, 'DemoWalk'),
      },
    ],
  ];
  for (const [provider, person] of strangers) {
    const createdMs = nowMs - random.int(1, 5) * DAY;
    bookings.push({
      provider,
      person,
      lead: null,
      startMs: slot(nowMs + random.int(1, 10) * DAY + random.int(8, 17) * HOUR),
      createdMs,
      createWebhookLost: false,
      change: null,
    });
  }
  return { nowMs, leads, bookings, later: { lateBookings, sentimentCorrections } };
}
