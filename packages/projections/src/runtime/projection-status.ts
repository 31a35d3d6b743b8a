/**
 * Status of each projection, readable from any process: live generation, checkpoint, lag in events
 * (counted up to a cap by reading past the checkpoint) and seconds (age of the oldest unapplied
 * event), last error of a local runner, dead letters, caught-up flag.
 */
import type { EventStore } from '@recon/eventstore';
import { sql } from 'kysely';
import { matchesPrefixes } from './parse-events';
import type { Projection } from './projection';
import type { RunnerState } from './projection-runner';
import type { AnyKysely } from './any-kysely';

export const LAG_SCAN_CAP = 1_000;

export interface ProjectionStatus {
  readonly name: string;
  readonly generation: number | null;
  readonly version: number | null;
  /** This process holds the projection's lock and runs it. */
  readonly runningHere: boolean;
  readonly position: string | null;
  readonly eventsApplied: number;
  /** Unapplied events of this projection's streams, counted up to LAG_SCAN_CAP (then `lagCapped`). */
  readonly lagEvents: number;
  readonly lagCapped: boolean;
  readonly lagSeconds: number;
  readonly caughtUp: boolean;
  readonly lastError: { readonly code: string; readonly message: string; readonly at: Date } | null;
  readonly deadLetters: { readonly retrying: number; readonly skipped: number };
}

export async function projectionStatus(
  db: AnyKysely,
  store: EventStore,
  clock: () => Date,
  projections: readonly Projection[],
  local: ReadonlyMap<string, RunnerState> = new Map(),
): Promise<ProjectionStatus[]> {
  const out: ProjectionStatus[] = [];
  for (const p of projections) {
    const { rows } = await sql<{ generation: number; version: number; position: string; events_applied: string }>`
      SELECT g.generation, g.version, c.position, c.events_applied FROM projection_generations g
      JOIN projection_checkpoints c ON c.projection = g.projection AND c.generation = g.generation
      WHERE g.projection = ${p.name}`.execute(db);
    const dl = await sql<{ status: string; n: string }>`
      SELECT status, count(*) AS n FROM projection_dead_letters WHERE projection = ${p.name} GROUP BY status`.execute(
      db,
    );
    const r = rows[0];
    let lagEvents = 0;
    let lagSeconds = 0;
    let lagCapped = false;
    if (r !== undefined) {
      const page = await store.readAll(r.position as never, LAG_SCAN_CAP);
      const mine = page.events.filter((e) => matchesPrefixes(e.streamName, p.streamPrefixes));
      lagEvents = mine.length;
      lagCapped = page.events.length >= LAG_SCAN_CAP;
      const oldest = mine[0];
      if (oldest !== undefined) lagSeconds = Math.max(0, (clock().getTime() - oldest.recordedAt.getTime()) / 1000);
    }
    const state = local.get(p.name);
    const count = (s: string) => Number(dl.rows.find((x) => x.status === s)?.n ?? 0);
    out.push({
      name: p.name,
      generation: r?.generation ?? null,
      version: r?.version ?? null,
      runningHere: state?.leader ?? false,
      position: r?.position ?? null,
      eventsApplied: Number(r?.events_applied ?? 0),
      lagEvents,
      lagCapped,
      lagSeconds,
      caughtUp: r !== undefined && lagEvents === 0,
      lastError: state?.lastError ?? null,
      deadLetters: { retrying: count('retrying'), skipped: count('skipped') },
    });
  }
  return out;
}
