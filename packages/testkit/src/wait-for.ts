/**
 * Tests never sleep to wait: they poll a condition until it holds or a deadline passes.
 * A failed wait throws with the last error seen, so the test shows why it never became true.
 */

export interface WaitForOptions {
  /** Give up after this long. Default 5 000 ms. */
  readonly timeoutMs?: number;
  /** Pause between polls. Default 20 ms. */
  readonly intervalMs?: number;
  /** Named in the timeout error. */
  readonly description?: string;
}

/**
 * Polls `condition` until it returns a truthy value (which is returned) or stops throwing.
 * Returning `false`, `null` or `undefined`, or throwing, means "not yet".
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  options: WaitForOptions = {},
): Promise<Exclude<T, false | null | undefined>> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const intervalMs = options.intervalMs ?? 20;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value !== false && value !== null && value !== undefined) {
        return value as Exclude<T, false | null | undefined>;
      }
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
  const what = options.description ?? 'condition';
  const cause = lastError instanceof Error ? `: ${lastError.message}` : '';
  throw new Error(`waitFor: ${what} not met within ${timeoutMs} ms${cause}`, { cause: lastError });
}
