/** Opaque keyset cursors: base64url JSON of the last row's sort key, validated on the way back in. */
import type { z } from 'zod';

export type CursorResult<T> =
  | { readonly ok: true; readonly value: T | null }
  | { readonly ok: false; readonly code: 'CURSOR_INVALID' };

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor<T extends z.ZodType>(
  cursor: string | null | undefined,
  schema: T,
): CursorResult<z.infer<T>> {
  if (cursor === null || cursor === undefined || cursor === '') return { ok: true, value: null };
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, code: 'CURSOR_INVALID' };
  } catch {
    return { ok: false, code: 'CURSOR_INVALID' };
  }
}

export const MAX_PAGE = 200;

export function pageLimit(limit: number | undefined): number {
  return Math.max(1, Math.min(MAX_PAGE, Math.trunc(limit ?? 50)));
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export type PageResult<T> =
  | { readonly ok: true; readonly value: Page<T> }
  | { readonly ok: false; readonly code: 'CURSOR_INVALID' };
