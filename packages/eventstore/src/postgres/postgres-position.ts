/**
 * Positions of the PostgreSQL adapter: `<transaction id>:<position>` as decimal text, ordered by
 * transaction id, then position (the order readers read in). START sorts before every position.
 */
import { START, type Position } from '../port';

export interface PostgresPosition {
  readonly transactionId: bigint;
  readonly position: bigint;
}

const START_DECODED: PostgresPosition = { transactionId: 0n, position: 0n };
const FORMAT = /^(\d{1,20}):(\d{1,19})$/;

export function encodePosition(transactionId: string | bigint, position: string | bigint): Position {
  return `${transactionId}:${position}` as Position;
}

/** Throws on a malformed position: positions only come from this store, so that is a bug. */
export function decodePosition(position: Position): PostgresPosition {
  if (position === START) return START_DECODED;
  const match = FORMAT.exec(position);
  if (match === null) throw new Error(`not a PostgreSQL event-store position: ${JSON.stringify(position)}`);
  return { transactionId: BigInt(match[1] ?? '0'), position: BigInt(match[2] ?? '0') };
}

export function comparePostgresPositions(a: Position, b: Position): number {
  if (a === b) return 0;
  const x = decodePosition(a);
  const y = decodePosition(b);
  if (x.transactionId !== y.transactionId) return x.transactionId < y.transactionId ? -1 : 1;
  if (x.position !== y.position) return x.position < y.position ? -1 : 1;
  return 0;
}
