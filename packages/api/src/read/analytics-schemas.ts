/** Read contract of `GET …/analytics`: label precision, reschedule chains, attendance, lost-delivery share. */
import { ANALYTICS_GROUP_BY } from '@recon/projections';
import { z } from 'zod';
import { ReadQuery } from './read-schemas';

const instant = z.iso.datetime({ offset: true });

export const AnalyticsQuery = ReadQuery.extend({
  from: instant.optional().meta({ examples: ['2030-05-01T00:00:00.000Z'] }),
  to: instant.optional().meta({ examples: ['2030-06-01T00:00:00.000Z'] }),
  groupBy: z
    .enum(ANALYTICS_GROUP_BY)
    .default('label')
    .meta({ examples: ['label'] }),
});

const rate = z.number().nullable();

export const LabelPrecisionGroupView = z.object({
  key: z.string().describe('The label, the UTC day (YYYY-MM-DD) of classifiedAt, or the evidence’s source.'),
  leads: z.number().int(),
  confirmed: z.number().int().describe('Leads graded provider_confirmed.'),
  contradicted: z.number().int().describe('Leads graded contradicted (a successful check found no live meeting).'),
  pending: z.number().int().describe('Leads graded provider_pending.'),
  labelOnly: z.number().int().describe('Leads graded label_only.'),
  unverified: z.number().int().describe('Leads graded unverified (a label that does not claim a booking).'),
  precision: rate.describe('confirmed / (confirmed + contradicted); null when both are 0.'),
  medianHoursToEvidence: rate.describe(
    'Median hours from classifiedAt to the first provider evidence at or after it, over confirmed leads.',
  ),
});

const ANALYTICS_EXAMPLE = {
  from: '2030-05-01T00:00:00.000Z',
  to: '2030-06-01T00:00:00.000Z',
  groupBy: 'label',
  groups: [
    {
      key: 'Meeting Booked',
      leads: 20,
      confirmed: 12,
      contradicted: 5,
      pending: 0,
      labelOnly: 3,
      unverified: 0,
      precision: 0.7058823529411765,
      medianHoursToEvidence: 6,
    },
  ],
  chains: { count: 12, lengths: { '1': 11, '3': 1 }, rescheduledAfterStart: 1 },
  attendance: { completed: 8, noShow: 2, completionRate: 0.8, noShowRate: 0.2 },
  deliveries: { calendly: { received: 41, lost: 2, lostShare: 0.046511627906976744 } },
};

export const Analytics = z
  .object({
    from: z.string(),
    to: z.string(),
    groupBy: z.enum(ANALYTICS_GROUP_BY),
    groups: z.array(LabelPrecisionGroupView).readonly(),
    chains: z.object({
      count: z.number().int(),
      lengths: z.record(z.string(), z.number().int()).describe('Chains per length; "1" is a meeting never moved.'),
      rescheduledAfterStart: z
        .number()
        .int()
        .describe('Chains moved (provider update time) at or after the start the meeting had until then.'),
    }),
    attendance: z.object({
      completed: z.number().int(),
      noShow: z.number().int(),
      completionRate: rate,
      noShowRate: rate,
    }),
    deliveries: z
      .record(z.string(), z.object({ received: z.number().int(), lost: z.number().int(), lostShare: rate }))
      .describe(
        'Per provider, facts whose provider update time is in the window: lostShare = lost / (received + lost), null when 0.',
      ),
  })
  .meta({ examples: [ANALYTICS_EXAMPLE] });
