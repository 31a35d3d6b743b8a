/**
 * The result shape of every provider parser and mapper: a value or a stable code with issue paths.
 * Issues name paths and zod issue codes only, never input values (provider payloads carry PII).
 */
import type { z } from 'zod';

export type ProviderResult<T, C extends string = string> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: C; readonly issues: readonly string[] };

/** Describes zod issues as `path: code` strings (no messages: zod messages may quote input). */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.slice(0, 20).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.code}`);
}

/** safeParse → ProviderResult under one failure code. Never throws. */
export function parseWithCode<S extends z.ZodType, C extends string>(
  schema: S,
  input: unknown,
  code: C,
): ProviderResult<z.infer<S>, C> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, code, issues: describeIssues(parsed.error) };
}

export function fail<C extends string>(code: C, ...issues: string[]): { ok: false; code: C; issues: string[] } {
  return { ok: false, code, issues };
}
