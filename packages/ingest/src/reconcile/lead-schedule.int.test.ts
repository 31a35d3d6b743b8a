import { freshKysely, type FreshDatabase } from '@recon/testkit';
import { migrateWorkspaces } from '@recon/workspaces';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateIngest } from './migrate-ingest';
import { createLeadScheduleWriter, getLeadInputsBatch, type LeadScheduleWrite } from './lead-schedule';
import type { ReconcileDatabase } from './reconcile-tables';

let database: FreshDatabase;
let db: Kysely<ReconcileDatabase>;
const T1 = new Date('2030-06-01T00:00:00.000Z');
const T2 = new Date('2030-06-01T01:00:00.000Z');

beforeAll(async () => {
  ({ database, db } = await freshKysely<ReconcileDatabase>({
    name: 'lead-schedule',
    schemas: { workspaces: ({ db }) => migrateWorkspaces(db), ingest: ({ db }) => migrateIngest(db) },
  }));
});
afterAll(async () => {
  await database.drop();
});

const write = (
  leadId: string,
  at: Date,
  success: boolean,
  extra: Partial<LeadScheduleWrite> = {},
): LeadScheduleWrite => ({
  workspaceId: 'ws-1',
  leadId,
  at,
  success,
  bookingState: 'not_booked',
  currentEndAt: null,
  knownAppointments: [],
  ...extra,
});

async function row(leadId: string) {
  return db.selectFrom('reconcile_leads').selectAll().where('lead_id', '=', leadId).executeTakeFirstOrThrow();
}

describe('the coalescing schedule writer', () => {
  it('given writes that arrive together, then they go out together and each is committed when its promise resolves', async () => {
    let statements = 0;
    const counting = db.withPlugin({
      transformQuery: (args) => {
        statements++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const writer = createLeadScheduleWriter(counting);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        writer.write(
          write(`lead-${i}`, T1, true, {
            bookingState: 'booked',
            currentEndAt: '2030-06-02T10:30:00.000Z',
            knownAppointments: [{ provider: 'ghl', id: `a-${i}` }],
          }),
        ),
      ),
    );
    // The first goes out alone at once; the 49 that queued behind it share the next statement.
    expect(statements).toBe(2);
    const r = await row('lead-7');
    expect(r.booking_state).toBe('booked');
    expect(r.known_appointments).toEqual([{ provider: 'ghl', id: 'a-7' }]);
    expect(new Date(r.current_end_at as Date).toISOString()).toBe('2030-06-02T10:30:00.000Z');
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM reconcile_leads`.execute(db);
    expect(Number(rows[0]?.n)).toBe(50);
  });

  it('a failed check keeps the last success and counts failures; a success resets them', async () => {
    const writer = createLeadScheduleWriter(db);
    await writer.write(write('lead-f', T1, true));
    await writer.write(write('lead-f', T2, false));
    await writer.write(write('lead-f', T2, false));
    let r = await row('lead-f');
    expect(new Date(r.last_success_at as Date).toISOString()).toBe(T1.toISOString());
    expect(new Date(r.last_attempt_at).toISOString()).toBe(T2.toISOString());
    expect(r.failures).toBe(2);
    await writer.write(write('lead-f', T2, true));
    r = await row('lead-f');
    expect(r.failures).toBe(0);
    expect(new Date(r.last_success_at as Date).toISOString()).toBe(T2.toISOString());
  });

  it('the same lead twice in one batch keeps its last write', async () => {
    const writer = createLeadScheduleWriter(db);
    await Promise.all([
      writer.write(write('lead-x', T1, true)),
      writer.write(write('lead-twice', T1, true, { bookingState: 'booked' })),
      writer.write(write('lead-twice', T2, true, { bookingState: 'canceled' })),
    ]);
    expect((await row('lead-twice')).booking_state).toBe('canceled');
  });

  it('reads the inputs of a batch of leads in one query, unknown leads included', async () => {
    const inputs = await getLeadInputsBatch(db, 'ws-1', ['lead-7', 'lead-none']);
    expect(inputs.get('lead-7')?.schedule).toEqual({
      bookingState: 'booked',
      knownAppointments: [{ provider: 'ghl', id: 'a-7' }],
    });
    expect(inputs.get('lead-7')?.contact).toBeNull();
    expect(inputs.get('lead-none')).toEqual({ contact: null, schedule: null });
  });
});
