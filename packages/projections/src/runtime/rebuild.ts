/**
 * Rebuild by replay, blue/green. Every selected projection gets a next generation (fresh schema)
 * that is filled from position zero while the live one keeps serving: the log is read once in
 * large pages, each page is parsed once and handed to every projection, which collapses it per row
 * and writes each table with one statement. Then, per projection, one transaction locks the
 * generation row (waiting for a live batch in flight), applies the last tail, repoints the views
 * and drops the old schema. A poison event fails the rebuild at once, naming the event; the
 * half-built generation is dropped and the live one is untouched.
 *
 * Side effects (notification outbox, link requests) run only in live batches. So that no event
 * misses them and none gets them twice, the new generation is built only up to the OLD live
 * generation's checkpoint (re-read per page while its runner moves on; fixed under the swap lock)
 * and its checkpoint is set to exactly that position. Everything after it is left to the live
 * runner, which after the swap resumes on the new generation from that checkpoint in live mode:
 * events the old runner had applied (and side-effected) are rebuilt silently, events it had not
 * reached get their side effects once, from the live runner. Doing it in the swap transaction
 * instead would need the side effects here and a second path that must match the live one.
 * With no live generation yet nothing was ever side-effected and no runner owns a checkpoint: the
 * rebuild then replays the whole log silently, as a first build.
 *
 * A projection with an in-memory replay (`Projection.replay`) is rebuilt without reading back a
 * row: its working set stays in memory across pages, its tables are created bare, append-only
 * rows are loaded (COPY) while the next page folds, the final rows are loaded after the last page,
 * and only then are keys and indexes built and statistics gathered, before the swap. Events come
 * from recon's own store, validated when written: a page is parsed without re-running the schemas
 * (`parseStored`). Pages are read one ahead, and the fold yields now and then so the next page
 * and the loads keep flowing while it runs.
 */
import type { WorkspaceRules } from '@recon/domain';
import { START, type EventStore, type Position, type RecordedEvent } from '@recon/eventstore';
import { sql, type Kysely, type Transaction } from 'kysely';
import type pg from 'pg';
import { applyAndCheckpoint, applyInTransaction } from './apply-and-checkpoint';
import { copyChunks, loadRows, startCopy, type RowLoader } from './copy-rows';
import { buildIndexes } from './build-indexes';
import {
  createGeneration,
  liveGeneration,
  lockGenerationRow,
  readCheckpoint,
  schemaFor,
  swapGeneration,
} from './generations';
import { matchesPrefixes, parseRecorded, parseStored } from './parse-events';
import {
  PoisonEventError,
  type BatchContext,
  type MemoryReplay,
  type ProjectedEvent,
  type Projection,
  type TableRows,
} from './projection';

export interface RebuildProgress {
  readonly projections: readonly string[];
  readonly eventsDone: number;
  /** Estimate (events the live generations applied); null when unknown. */
  readonly eventsTotal: number | null;
  readonly eventsPerSecond: number;
  readonly etaSeconds: number | null;
}

export interface RebuildOptions {
  readonly onProgress?: (p: RebuildProgress) => void;
  /** Events per read page. Default 20 000. */
  readonly pageSize?: number;
  /** In-memory replays: rows per map kept as objects (default: each replay's own, tens of thousands). */
  readonly hotRows?: number;
}

export type RebuildResult =
  | {
      readonly ok: true;
      readonly value: {
        readonly projections: readonly { name: string; generation: number }[];
        readonly events: number;
        readonly seconds: number;
      };
    }
  | { readonly ok: false; readonly code: 'REBUILD_IN_PROGRESS'; readonly projection: string }
  | {
      readonly ok: false;
      readonly code: 'REBUILD_POISON_EVENT';
      readonly projection: string;
      readonly eventId: string;
      readonly position: string;
      readonly streamName: string;
      readonly eventType: string;
      readonly errorCode: string;
      readonly detail: string;
    };

export interface RebuildDeps {
  readonly store: EventStore;
  readonly db: Kysely<unknown>;
  readonly rulesFor: (workspaceId: string) => WorkspaceRules;
  /** The pool behind `db`: loads use COPY on its connections (without it: plain INSERTs). */
  readonly pool?: pg.Pool;
}

interface Target {
  readonly projection: Projection;
  readonly generation: number;
  readonly schema: string;
  /** Row keys written so far into the new generation (lets pages skip pointless lookups). */
  readonly written: Set<string>;
  /** The generation live when the rebuild started (its checkpoint bounds the replay); null if none. */
  readonly old: number | null;
  /** Set once the replay reached the old live checkpoint: the rest is applied at the swap. */
  reachedOld: boolean;
  /** The in-memory replay, when the projection has one (else pages go through `applyBatch`). */
  readonly replay: MemoryReplay | null;
  /** In-memory replay: events folded and the checkpoint they reach. */
  applied: number;
  checkpoint: Position;
  /** Tables that got page rows (append-only: the first row of a key wins). */
  readonly pageTables: Set<string>;
}

function parsePage(
  events: readonly RecordedEvent[],
  parse: (e: RecordedEvent) => ProjectedEvent | null = parseRecorded,
): {
  parsed: (ProjectedEvent | null)[];
  poison: PoisonEventError | null;
} {
  const parsed: (ProjectedEvent | null)[] = [];
  for (const e of events) {
    try {
      parsed.push(parse(e));
    } catch (error) {
      if (error instanceof PoisonEventError) return { parsed, poison: error };
      throw error;
    }
  }
  return { parsed, poison: null };
}

function forProjection(
  p: Projection,
  events: readonly RecordedEvent[],
  parsed: readonly (ProjectedEvent | null)[],
): ProjectedEvent[] {
  const out: ProjectedEvent[] = [];
  events.forEach((e, i) => {
    const pe = parsed[i];
    if (pe !== null && pe !== undefined && matchesPrefixes(e.streamName, p.streamPrefixes)) out.push(pe);
  });
  return out;
}

/**
 * The old live generation's checkpoint: how far side effects were applied (null: no bound). A live
 * generation that never applied an event (checkpoint absent or at START, e.g. the empty tables a
 * migration creates) is treated like no live generation: nothing was side-effected yet, so this is
 * a first build and the rebuild replays the whole log itself.
 */
async function oldCheckpoint(db: Kysely<unknown> | Transaction<unknown>, t: Target): Promise<Position | null> {
  if (t.old === null) return null;
  const position = (await readCheckpoint(db, t.projection.name, t.old))?.position ?? START;
  return position === START ? null : position;
}

/** The events of a page at or before `bound`, and the checkpoint to write after them. */
function upTo(
  events: readonly ProjectedEvent[],
  next: Position,
  bound: Position | null,
  compare: EventStore['comparePositions'],
): { events: readonly ProjectedEvent[]; checkpoint: Position; reached: boolean } {
  if (bound === null || compare(next, bound) <= 0) return { events, checkpoint: next, reached: false };
  return { events: events.filter((e) => compare(e.recorded.position, bound) <= 0), checkpoint: bound, reached: true };
}

/** Events folded between two yields to the event loop (lets the next page and the loads flow). */
const FOLD_SLICE = 2_000;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function foldInSlices(replay: MemoryReplay, events: readonly ProjectedEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += FOLD_SLICE) {
    replay.apply(i === 0 && events.length <= FOLD_SLICE ? events : events.slice(i, i + FOLD_SLICE));
    if (i + FOLD_SLICE < events.length) await yieldToLoop();
  }
}

/** Loads a page's append-only rows: COPY started at once (the server ingests while the next page folds). */
function loadPageRows(loader: RowLoader, schema: string, tables: readonly TableRows[]): Promise<void> {
  const present = tables.filter((t) => {
    const items: unknown = t.lines ?? t.rows;
    return !Array.isArray(items) || items.length > 0;
  });
  if (present.length === 0) return Promise.resolve();
  if (loader.kind === 'insert')
    return (async () => {
      for (const t of present) await loadRows(loader, schema, t);
    })();
  // Serialized now, while the page is at hand; sent in order on the one loader connection.
  const copies = present.map((t) => ({ t, chunks: [...copyChunks(t)] }));
  return (async () => {
    for (const { t, chunks } of copies) await startCopy(loader.client, schema, t, chunks);
  })();
}

async function replayInto(
  deps: RebuildDeps,
  targets: readonly Target[],
  options: RebuildOptions,
  total: number | null,
  loader: RowLoader | null,
): Promise<{ position: Position; events: number }> {
  const started = Date.now();
  const pageSize = options.pageSize ?? 20_000;
  let position: Position = START;
  let done = 0;
  // Loads of the previous page's rows, running while this page folds (awaited before the next).
  let writing: Promise<void> = Promise.resolve();
  // The next page is read while the current one is applied (I/O overlaps the fold and the writes).
  let reading = deps.store.readAll(position, pageSize);
  try {
    for (;;) {
      const page = await reading;
      const active = targets.filter((t) => !t.reachedOld);
      if (page.events.length === 0 || active.length === 0) {
        await reading.catch(() => undefined);
        await writing;
        return { position, events: done };
      }
      reading = deps.store.readAll(page.next, pageSize);
      reading.catch(() => undefined);
      const memory = active.some((t) => t.replay !== null);
      const { parsed, poison } = parsePage(page.events, memory ? parseStored : parseRecorded);
      if (poison !== null) throw poison;
      const bounds = await Promise.all(active.map((t) => oldCheckpoint(deps.db, t)));
      const paged: Promise<unknown>[] = [];
      const pageRows: { schema: string; tables: readonly TableRows[] }[] = [];
      for (const [i, t] of active.entries()) {
        const cut = upTo(
          forProjection(t.projection, page.events, parsed),
          page.next,
          bounds[i] ?? null,
          deps.store.comparePositions,
        );
        if (cut.reached) t.reachedOld = true;
        if (t.replay === null) {
          const ctx: BatchContext = {
            mode: 'rebuild',
            schema: t.schema,
            comparePositions: deps.store.comparePositions,
            rulesFor: deps.rulesFor,
            written: t.written,
          };
          paged.push(
            applyAndCheckpoint(deps.db, t.projection, cut.events, cut.checkpoint, ctx, { generation: t.generation }),
          );
          continue;
        }
        await foldInSlices(t.replay, cut.events);
        t.applied += cut.events.length;
        t.checkpoint = cut.checkpoint;
        const tables = t.replay.takeFinalRows();
        for (const rows of tables) t.pageTables.add(rows.table);
        pageRows.push({ schema: t.schema, tables });
      }
      await writing;
      if (loader !== null && pageRows.length > 0) {
        writing = (async () => {
          for (const r of pageRows) await loadPageRows(loader, r.schema, r.tables);
        })();
        writing.catch(() => undefined);
      }
      await Promise.all(paged);
      position = page.next;
      done += page.events.length;
      const seconds = (Date.now() - started) / 1000;
      const rate = seconds > 0 ? done / seconds : 0;
      options.onProgress?.({
        projections: targets.map((t) => t.projection.name),
        eventsDone: done,
        eventsTotal: total === null ? null : Math.max(total, done),
        eventsPerSecond: Math.round(rate),
        etaSeconds: total === null || rate === 0 ? null : Math.max(0, (total - done) / rate),
      });
    }
  } finally {
    await writing.catch(() => undefined);
  }
}

/**
 * After the replay: the in-memory targets' final rows into their bare tables (each projection's
 * tables in order on one connection, two projections at a time), their checkpoints, then every
 * key and index (see build-indexes) and fresh statistics; those of the append-only tables, which
 * are complete once the replay is, are built while the final rows load.
 */
async function loadGenerations(deps: RebuildDeps, targets: readonly Target[], loader: RowLoader): Promise<void> {
  const memory = targets.filter((t): t is Target & { replay: MemoryReplay } => t.replay !== null);
  // The append-only tables are complete: their keys and indexes are built while the rest loads.
  const early = buildIndexes(
    deps.db,
    memory.map((t) => ({
      projection: t.projection,
      schema: t.schema,
      firstWins: [...t.pageTables],
      tables: [...t.pageTables],
    })),
  );
  early.catch(() => undefined);
  const second = deps.pool === undefined || memory.length < 2 ? null : await deps.pool.connect();
  try {
    const loaders: RowLoader[] = second === null ? [loader] : [loader, { kind: 'copy', client: second }];
    let next = 0;
    await Promise.all(
      loaders.map(async (l) => {
        for (let t = memory[next++]; t !== undefined; t = memory[next++]) {
          for (const rows of t.replay.finalRows()) await loadRows(l, t.schema, rows);
        }
      }),
    );
  } finally {
    second?.release();
  }
  await early;
  for (const t of memory) {
    await sql`
      UPDATE projection_checkpoints SET position = ${t.checkpoint}, events_applied = ${t.applied}, updated_at = now()
      WHERE projection = ${t.projection.name} AND generation = ${t.generation}`.execute(deps.db);
  }
  await buildIndexes(
    deps.db,
    memory.map((t) => ({
      projection: t.projection,
      schema: t.schema,
      tables: t.projection.tables.filter((table) => !t.pageTables.has(table)),
    })),
  );
}

/**
 * Applies, in one transaction with the swap, the events up to the old live checkpoint that the
 * replay did not reach (the lock on the generation row waits for a live batch in flight and holds
 * the old runner still), leaves the new checkpoint exactly there, and switches the views. Without
 * a live generation it catches up to the head instead.
 */
async function catchUpAndSwap(deps: RebuildDeps, t: Target): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await lockGenerationRow(trx, t.projection.name);
    await sql`SELECT 1 FROM projection_generations WHERE projection = ${t.projection.name} FOR UPDATE`.execute(trx);
    const old = await liveGeneration(trx, t.projection.name);
    const compare = deps.store.comparePositions;
    const bound = await oldCheckpoint(trx, { ...t, old: old?.generation ?? null });
    let position = (await readCheckpoint(trx, t.projection.name, t.generation))?.position ?? START;
    const ctx: BatchContext = { mode: 'rebuild', schema: t.schema, comparePositions: compare, rulesFor: deps.rulesFor };
    while (bound === null || compare(position, bound) < 0) {
      const page = await deps.store.readAll(position, 5_000);
      if (page.events.length === 0) break;
      const { parsed, poison } = parsePage(page.events);
      if (poison !== null) throw poison;
      const cut = upTo(forProjection(t.projection, page.events, parsed), page.next, bound, compare);
      await applyInTransaction(trx, t.projection, cut.events, cut.checkpoint, ctx, { generation: t.generation });
      position = cut.checkpoint;
    }
    // The live runner resumes from here: exactly the old checkpoint (also when only events of
    // other streams lay between the replay's end and it).
    if (bound !== null && compare(position, bound) < 0) {
      await applyInTransaction(trx, t.projection, [], bound, ctx, { generation: t.generation });
    }
    await swapGeneration(trx, t.projection, { generation: t.generation, schema: t.schema }, old);
  });
}

export async function rebuildWith(
  deps: RebuildDeps,
  projections: readonly Projection[],
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const started = Date.now();
  return deps.db.connection().execute(async (conn) => {
    const locked: string[] = [];
    try {
      for (const p of projections) {
        const got = await sql<{
          ok: boolean;
        }>`SELECT pg_try_advisory_lock(hashtext('recon.rebuild'), hashtext(${p.name})) AS ok`.execute(conn);
        if (got.rows[0]?.ok !== true) return { ok: false, code: 'REBUILD_IN_PROGRESS', projection: p.name } as const;
        locked.push(p.name);
      }
      const targets: Target[] = [];
      let total: number | null = null;
      for (const p of projections) {
        const live = await liveGeneration(deps.db, p.name);
        const generation = (live?.generation ?? 0) + 1;
        if (live !== null) {
          const cp = await readCheckpoint(deps.db, p.name, live.generation);
          if (cp !== null) total = Math.max(total ?? 0, cp.eventsApplied);
        }
        const replay =
          p.replay?.({
            rulesFor: deps.rulesFor,
            copy: deps.pool !== undefined,
            ...(options.hotRows === undefined ? {} : { hotRows: options.hotRows }),
          }) ?? null;
        await deps.db
          .transaction()
          .execute((trx) => createGeneration(trx, p, generation, replay === null ? 'all' : 'tables'));
        targets.push({
          projection: p,
          generation,
          schema: schemaFor(p.name, generation),
          written: new Set(),
          old: live?.generation ?? null,
          reachedOld: false,
          replay,
          applied: 0,
          checkpoint: START,
          pageTables: new Set(),
        });
      }
      const client = deps.pool === undefined ? null : await deps.pool.connect();
      const loader: RowLoader = client === null ? { kind: 'insert', db: deps.db } : { kind: 'copy', client };
      let released = false;
      const release = (error?: unknown) => {
        if (client === null || released) return;
        released = true;
        // After a failure a COPY may have been cut off mid-stream: that connection is not reused.
        client.release(error === undefined ? undefined : error instanceof Error ? error : true);
      };
      try {
        const replay = await replayInto(deps, targets, options, total, loader);
        await loadGenerations(deps, targets, loader);
        // Fresh tables have no statistics: without them the first live batches may plan seq scans.
        for (const t of targets.filter((x) => x.replay === null)) {
          for (const table of t.projection.tables)
            await sql`ANALYZE ${sql.table(`${t.schema}.${table}`)}`.execute(deps.db);
        }
        release();
        for (const t of targets) await catchUpAndSwap(deps, t);
        return {
          ok: true,
          value: {
            projections: targets.map((t) => ({ name: t.projection.name, generation: t.generation })),
            events: replay.events,
            seconds: (Date.now() - started) / 1000,
          },
        } as const;
      } catch (error) {
        release(error);
        for (const t of targets) {
          const live = await liveGeneration(deps.db, t.projection.name);
          if (live?.generation !== t.generation) {
            await sql`DROP SCHEMA IF EXISTS ${sql.id(t.schema)} CASCADE`.execute(deps.db);
            await sql`DELETE FROM projection_checkpoints WHERE projection = ${t.projection.name} AND generation = ${t.generation}`.execute(
              deps.db,
            );
          }
        }
        if (!(error instanceof PoisonEventError)) throw error;
        const e = error.recorded;
        const projection =
          targets.find((t) => matchesPrefixes(e.streamName, t.projection.streamPrefixes))?.projection.name ??
          targets[0]?.projection.name ??
          '';
        return {
          ok: false,
          code: 'REBUILD_POISON_EVENT',
          projection,
          eventId: e.id,
          position: e.position,
          streamName: e.streamName,
          eventType: e.type,
          errorCode: error.code,
          detail: error.detail,
        } as const;
      }
    } finally {
      for (const name of locked) {
        await sql`SELECT pg_advisory_unlock(hashtext('recon.rebuild'), hashtext(${name}))`.execute(conn);
      }
    }
  });
}
