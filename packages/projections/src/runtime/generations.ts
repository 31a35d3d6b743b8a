/**
 * Generations: each projection's tables live in a versioned schema (`rp_<name>_g<n>`); readers
 * use same-named views in `public` that point at the live generation. A rebuild fills generation
 * n+1 beside the live one and `swapGeneration` repoints the views and drops the old schema in one
 * transaction, so readers never see a half-built model.
 */
import { START, type Position } from '@recon/eventstore';
import { sql, type Kysely, type Transaction } from 'kysely';
import { runDdl, type DdlPhase } from './ddl';
import type { Projection } from './projection';

type Db = Kysely<unknown> | Transaction<unknown>;

export interface LiveGeneration {
  readonly generation: number;
  readonly schema: string;
  readonly version: number;
}

export function schemaFor(projection: string, generation: number): string {
  return `rp_${projection}_g${generation}`;
}

export async function liveGeneration(db: Db, projection: string): Promise<LiveGeneration | null> {
  const { rows } = await sql<{ generation: number; schema_name: string; version: number }>`
    SELECT generation, schema_name, version FROM projection_generations WHERE projection = ${projection}`.execute(db);
  const r = rows[0];
  return r === undefined ? null : { generation: r.generation, schema: r.schema_name, version: r.version };
}

/**
 * Creates a generation's schema, its tables and its checkpoint (at START). Replaces a leftover.
 * Phase `tables`: bare tables for a bulk load, whose keys and indexes are built afterwards.
 */
export async function createGeneration(
  trx: Transaction<unknown>,
  projection: Projection,
  generation: number,
  phase: DdlPhase = 'all',
): Promise<string> {
  const schema = schemaFor(projection.name, generation);
  await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(trx);
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(trx);
  await runDdl(trx, projection.ddl(schema), phase);
  await sql`
    INSERT INTO projection_checkpoints (projection, generation, position) VALUES (${projection.name}, ${generation}, ${START})
    ON CONFLICT (projection, generation) DO UPDATE SET position = ${START}, events_applied = 0, updated_at = now()`.execute(
    trx,
  );
  return schema;
}

/** Points the public views of the projection's tables at `schema`. */
export async function publishViews(trx: Transaction<unknown>, projection: Projection, schema: string): Promise<void> {
  for (const table of projection.tables) {
    await sql`DROP VIEW IF EXISTS public.${sql.id(table)}`.execute(trx);
    await sql`CREATE VIEW public.${sql.id(table)} AS SELECT * FROM ${sql.id(schema)}.${sql.id(table)}`.execute(trx);
  }
}

export async function lockGenerationRow(trx: Transaction<unknown>, projection: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('recon.projection.generation'), hashtext(${projection}))`.execute(
    trx,
  );
}

/** Makes sure the projection has a live generation (empty tables at START for a new projection). */
export async function ensureLiveGeneration(db: Kysely<unknown>, projection: Projection): Promise<LiveGeneration> {
  return db.transaction().execute(async (trx) => {
    await lockGenerationRow(trx, projection.name);
    const live = await liveGeneration(trx, projection.name);
    if (live !== null) return live;
    const schema = await createGeneration(trx, projection, 1);
    await publishViews(trx, projection, schema);
    await sql`
      INSERT INTO projection_generations (projection, generation, schema_name, version)
      VALUES (${projection.name}, 1, ${schema}, ${projection.version})`.execute(trx);
    return { generation: 1, schema, version: projection.version };
  });
}

/**
 * Switches the live generation (caller holds the generation-row lock via `SELECT … FOR UPDATE`
 * in the same transaction, which also waits for a live batch in flight) and drops the old schema.
 */
export async function swapGeneration(
  trx: Transaction<unknown>,
  projection: Projection,
  next: { generation: number; schema: string },
  old: LiveGeneration | null,
): Promise<void> {
  await publishViews(trx, projection, next.schema);
  await sql`
    INSERT INTO projection_generations (projection, generation, schema_name, version, activated_at)
    VALUES (${projection.name}, ${next.generation}, ${next.schema}, ${projection.version}, now())
    ON CONFLICT (projection) DO UPDATE SET generation = excluded.generation, schema_name = excluded.schema_name,
      version = excluded.version, activated_at = excluded.activated_at`.execute(trx);
  if (old !== null && old.schema !== next.schema) {
    await sql`DROP SCHEMA IF EXISTS ${sql.id(old.schema)} CASCADE`.execute(trx);
    await sql`DELETE FROM projection_checkpoints WHERE projection = ${projection.name} AND generation = ${old.generation}`.execute(
      trx,
    );
  }
}

export async function readCheckpoint(
  db: Db,
  projection: string,
  generation: number,
): Promise<{ position: Position; epoch: number; eventsApplied: number } | null> {
  const { rows } = await sql<{ position: string; epoch: number; events_applied: string }>`
    SELECT position, epoch, events_applied FROM projection_checkpoints WHERE projection = ${projection} AND generation = ${generation}`.execute(
    db,
  );
  const r = rows[0];
  return r === undefined
    ? null
    : { position: r.position as Position, epoch: r.epoch, eventsApplied: Number(r.events_applied) };
}
