/**
 * Read-your-writes: wait until the live generation of each projection has checkpointed at or past
 * a position (default: the store's last committed event, so everything committed before the call
 * is applied — even while the store's global reads still wait for an older transaction). Works from any process (it reads the checkpoints), and wakes early when a runner in
 * this process commits. Returns a value; a timeout is an expected outcome, not an exception.
 */
import type { EventStore, Position } from '@recon/eventstore';
import { abortableDelay } from '@recon/resilience';
import { sql } from 'kysely';
import type { AnyKysely } from './any-kysely';

export type WaitResult =
  | { readonly ok: true; readonly position: Position }
  | {
      readonly ok: false;
      readonly code: 'PROJECTION_NOT_CAUGHT_UP';
      readonly position: Position;
      readonly behind: readonly string[];
    };

export interface WaitOptions {
  readonly timeoutMs?: number;
  /** How often the checkpoints are re-read when no local runner signals. Default 25 ms. */
  readonly pollMs?: number;
  readonly names: readonly string[];
  /** Resolves when a local runner commits (optional early wake-up). */
  readonly onCommit?: (signal: AbortSignal) => Promise<void>;
}

export async function waitForPosition(
  db: AnyKysely,
  store: EventStore,
  position: Position | undefined,
  options: WaitOptions,
): Promise<WaitResult> {
  // Not `headPosition`: on PostgreSQL it trails the caller's own committed appends while any older
  // transaction on the server is open, and a wait for it would return before they are applied.
  const target = position ?? (await store.lastCommittedPosition());
  const deadline = Date.now() + (options.timeoutMs ?? 5_000);
  for (;;) {
    const { rows } = await sql<{ projection: string; position: string }>`
      SELECT g.projection, c.position FROM projection_generations g
      JOIN projection_checkpoints c ON c.projection = g.projection AND c.generation = g.generation
      WHERE g.projection IN (${sql.join(options.names)})`.execute(db);
    const seen = new Map(rows.map((r) => [r.projection, r.position as Position]));
    const behind = options.names.filter((n) => {
      const p = seen.get(n);
      return p === undefined || store.comparePositions(p, target) < 0;
    });
    if (behind.length === 0) return { ok: true, position: target };
    const left = deadline - Date.now();
    if (left <= 0) return { ok: false, code: 'PROJECTION_NOT_CAUGHT_UP', position: target, behind };
    const wake = new AbortController();
    const waits = [abortableDelay(Math.min(options.pollMs ?? 25, left), wake.signal)];
    if (options.onCommit !== undefined) waits.push(options.onCommit(wake.signal));
    await Promise.race(waits);
    wake.abort();
  }
}
