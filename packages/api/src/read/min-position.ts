/**
 * Read-your-writes. Writes answer with the store position after them (`x-recon-position`, or
 * `position` in the body); a read that passes it back (`?minPosition=` or the header
 * `x-recon-min-position`) waits briefly until every projection has passed it, else answers 409
 * STALE_READ, so a client never mistakes an old answer for the effect of its own write.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { START, type EventStore, type Position } from '@recon/eventstore';
import { ALL_PROJECTIONS, waitForPosition } from '@recon/projections';
import type { Kysely } from 'kysely';
import { sendReadError } from './read-errors';

export const MIN_POSITION_HEADER = 'x-recon-min-position';
/** How long a read waits for the projections before answering STALE_READ. */
export const DEFAULT_READ_WAIT_MS = 2_000;

const PROJECTION_NAMES = ALL_PROJECTIONS.map((p) => p.name);

export function requestedMinPosition(request: FastifyRequest): string | undefined {
  const fromQuery = (request.query as { minPosition?: unknown } | undefined)?.minPosition;
  if (typeof fromQuery === 'string' && fromQuery.length > 0) return fromQuery;
  const header = request.headers[MIN_POSITION_HEADER];
  return typeof header === 'string' && header.length > 0 ? header : undefined;
}

/** A position this store can compare, or null (positions are opaque: only the store knows). */
export function parsePosition(store: EventStore, text: string): Position | null {
  if (text.length > 100) return null;
  try {
    store.comparePositions(text as Position, START);
    return text as Position;
  } catch {
    return null;
  }
}

/**
 * preHandler for read routes: no-op without a requested position; otherwise waits (bounded) and
 * answers 400 POSITION_INVALID or 409 STALE_READ itself.
 */
export function minPositionGuard(deps: {
  readonly db: Kysely<unknown>;
  readonly store: EventStore;
  readonly waitMs?: number;
}) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const text = requestedMinPosition(request);
    if (text === undefined) return undefined;
    const position = parsePosition(deps.store, text);
    if (position === null) {
      return sendReadError(reply, 'POSITION_INVALID', 'minPosition is not a position of this event store', [
        { path: 'minPosition', code: 'POSITION_INVALID' },
      ]);
    }
    const result = await waitForPosition(deps.db, deps.store, position, {
      names: PROJECTION_NAMES,
      timeoutMs: deps.waitMs ?? DEFAULT_READ_WAIT_MS,
    });
    if (!result.ok)
      return sendReadError(
        reply,
        'STALE_READ',
        `The read models have not reached this position yet (behind: ${result.behind.join(', ')}); retry shortly`,
      );
    return undefined;
  };
}
