/**
 * Maps EventStoreDB's $all positions ({commit, prepare}, two unsigned 64-bit numbers) to the
 * port's opaque `Position` string and back. The string is `<commit>:<prepare>` in 16 fixed hex
 * digits each, so it is serializable and even sorts lexicographically in log order;
 * `compareEsdbPositions` is the authority (START sorts before everything).
 */
import type { Position as EsdbPosition } from '@eventstore/db-client';
import { START, type Position } from '../port';

const PATTERN = /^([0-9a-f]{16}):([0-9a-f]{16})$/;

export function encodeEsdbPosition(position: EsdbPosition): Position {
  const hex = (n: bigint): string => n.toString(16).padStart(16, '0');
  return `${hex(position.commit)}:${hex(position.prepare)}` as Position;
}

/** 'start' for START; throws on a string that no EventStoreDB adapter produced (a bug). */
export function decodeEsdbPosition(position: Position): EsdbPosition | 'start' {
  if (position === START) return 'start';
  const match = PATTERN.exec(position);
  if (!match) throw new Error(`not an EventStoreDB position: ${position}`);
  return { commit: BigInt(`0x${match[1]}`), prepare: BigInt(`0x${match[2]}`) };
}

export function compareEsdbPositions(a: Position, b: Position): number {
  const x = decodeEsdbPosition(a);
  const y = decodeEsdbPosition(b);
  if (x === 'start' || y === 'start') return x === y ? 0 : x === 'start' ? -1 : 1;
  if (x.commit !== y.commit) return x.commit < y.commit ? -1 : 1;
  if (x.prepare !== y.prepare) return x.prepare < y.prepare ? -1 : 1;
  return 0;
}
