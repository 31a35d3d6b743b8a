/**
 * One batch = one PostgreSQL transaction: read-model changes, side effects (outbox rows) and the
 * checkpoint commit together or not at all. Live batches are fenced twice: the generation they
 * write must still be live (a rebuild may have swapped it) and the lease epoch must still be ours
 * (another instance may have taken over).
 */
import type { Position } from '@recon/eventstore';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { BatchContext, BatchSideEffect, ProjectedEvent, Projection, ProjectionChange } from './projection';

export class GenerationChangedError extends Error {
  constructor(readonly projection: string) {
    super(`live generation of ${projection} changed`);
    this.name = 'GenerationChangedError';
  }
}

export class LeaseLostError extends Error {
  constructor(readonly projection: string) {
    super(`lease of ${projection} lost`);
    this.name = 'LeaseLostError';
  }
}

export interface ApplyOptions {
  readonly generation: number;
  /** Live mode only: the lease epoch this runner holds. */
  readonly epoch?: number;
  readonly sideEffects?: readonly BatchSideEffect[];
}

export async function applyAndCheckpoint(
  db: Kysely<unknown>,
  projection: Projection,
  events: readonly ProjectedEvent[],
  checkpoint: Position,
  ctx: BatchContext,
  options: ApplyOptions,
): Promise<readonly ProjectionChange[]> {
  return db.transaction().execute((trx) => applyInTransaction(trx, projection, events, checkpoint, ctx, options));
}

/** The same inside a caller's transaction (a rebuild's final catch-up runs inside its swap). */
export async function applyInTransaction(
  trx: Transaction<unknown>,
  projection: Projection,
  events: readonly ProjectedEvent[],
  checkpoint: Position,
  ctx: BatchContext,
  options: ApplyOptions,
): Promise<readonly ProjectionChange[]> {
  let batchCtx = ctx;
  if (ctx.mode === 'live') {
    // Live batches write to whatever generation is live, and only if it is the one they started on.
    const { rows } = await sql<{ generation: number; schema_name: string }>`
      SELECT generation, schema_name FROM projection_generations WHERE projection = ${projection.name} FOR SHARE`.execute(
      trx,
    );
    if (rows[0]?.generation !== options.generation) throw new GenerationChangedError(projection.name);
    batchCtx = { ...ctx, schema: rows[0].schema_name };
  }
  const changes = events.length === 0 ? [] : await projection.applyBatch(trx, events, batchCtx);
  if (ctx.mode === 'live') {
    for (const effect of options.sideEffects ?? []) await effect(trx, { projection: projection.name, events, changes });
  }
  const result = await sql`
    UPDATE projection_checkpoints
    SET position = ${checkpoint}, events_applied = events_applied + ${events.length}, updated_at = now()
    WHERE projection = ${projection.name} AND generation = ${options.generation}
      AND (${options.epoch ?? null}::integer IS NULL OR epoch = ${options.epoch ?? null}::integer)`.execute(trx);
  if (result.numAffectedRows === 0n) throw new LeaseLostError(projection.name);
  return changes;
}
