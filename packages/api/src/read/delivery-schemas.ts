/** Read contract of webhook deliveries per provider (…/stats `deliveries`, …/providers/health). */
import { z } from 'zod';

export const DeliveryCountsView = z.object({
  received: z.number().int().describe('Facts a webhook delivered, before or after polling found them.'),
  lost: z
    .number()
    .int()
    .describe('Facts polling or a backfill found that no webhook delivered within the grace period, nor since.'),
  recovered: z.number().int().describe('Facts polling or a backfill recorded before any webhook did.'),
  pending: z.number().int().describe('Facts polling found, no webhook yet, still within the grace period.'),
});

export const DeliveriesByProvider = z
  .record(z.string(), DeliveryCountsView)
  .describe(
    'Per provider (docs/observability.md, lost deliveries): received + lost + pending is every fact counted ' +
      '(bookings, cancellations, reschedules no older than the first one a webhook delivered); a late webhook is received.',
  );

export const DELIVERIES_EXAMPLE = { calendly: { received: 41, lost: 2, recovered: 3, pending: 0 } };
