/**
 * The demo's showcase: the first leads of every world play one story each, so whatever the seed
 * and size, every panel of the operator page has a case to open (the rest of the world is random).
 * Each story names what the lead does; `demo-world.ts` turns it into times and plans.
 */
import type { DemoChange, DemoProvider } from './demo-world-types';

export type ShowcaseStory =
  | {
      readonly kind: 'booking';
      readonly provider: DemoProvider;
      readonly sentiment: string;
      readonly past: boolean;
      readonly createLost: boolean;
      readonly change: DemoChange['kind'] | null;
      readonly changeLost: boolean;
      readonly correctSentiment?: boolean;
    }
  | {
      readonly kind: 'no_booking';
      readonly sentiment: string;
      readonly later: 'none' | 'books' | 'books_webhook_lost';
    };

const booking = (
  provider: DemoProvider,
  change: DemoChange['kind'] | null,
  more: {
    past?: boolean;
    createLost?: boolean;
    changeLost?: boolean;
    sentiment?: string;
    correctSentiment?: boolean;
  } = {},
): ShowcaseStory => ({
  kind: 'booking',
  provider,
  sentiment: more.sentiment ?? 'Meeting Booked',
  past: more.past ?? false,
  createLost: more.createLost ?? false,
  change,
  changeLost: more.changeLost ?? false,
  ...(more.correctSentiment !== undefined ? { correctSentiment: more.correctSentiment } : {}),
});

/** One story per showcase lead, in lead order (GHL stories need the lead to have a GHL contact). */
export const SHOWCASE: readonly ShowcaseStory[] = [
  booking('calendly', 'reschedule'),
  booking('ghl', 'reschedule'),
  booking('ghl', 'no_show', { past: true }),
  booking('calendly', 'no_show', { past: true }),
  booking('ghl', 'showed', { past: true }),
  booking('calendly', null, { createLost: true }),
  booking('ghl', null, { createLost: true }),
  booking('calendly', 'cancel'),
  booking('ghl', 'cancel', { changeLost: true }),
  booking('calendly', null, { sentiment: 'Interested', correctSentiment: true }),
  booking('ghl', null, { sentiment: 'Interested' }),
  { kind: 'no_booking', sentiment: 'Meeting Booked', later: 'none' },
  { kind: 'no_booking', sentiment: 'Meeting Booked', later: 'books' },
  { kind: 'no_booking', sentiment: 'Meeting Booked', later: 'books_webhook_lost' },
];

/** The fewest leads `recon demo` runs with: the showcase and a few random leads. */
export const MIN_DEMO_LEADS = SHOWCASE.length + 6;
