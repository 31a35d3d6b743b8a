/** A small JSON-over-HTTP client for `recon demo`: the demo drives recon only through its API. */
export interface DemoResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
  /** The `Retry-After` header (seconds), when the answer had one. */
  readonly retryAfter: string | null;
}

export async function demoRequest(
  url: string,
  method: string,
  options: {
    readonly token?: string;
    readonly body?: unknown;
    readonly raw?: string;
    readonly headers?: Record<string, string>;
  } = {},
): Promise<DemoResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  const body = options.raw ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text.length > 0 ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = {};
  }
  return { status: response.status, body: parsed, retryAfter: response.headers.get('retry-after') };
}

const MAX_RETRIES = 3;
const MAX_RETRY_AFTER_S = 60;

/**
 * Throws (a demo bug or recon refusing valid input) unless the status is one of `ok`. A 429 is
 * waited out as its `Retry-After` says (a few times, each at most a minute), as a CRM would.
 */
export async function demoCall(
  url: string,
  method: string,
  ok: readonly number[],
  options: Parameters<typeof demoRequest>[2] = {},
): Promise<Record<string, unknown>> {
  let r = await demoRequest(url, method, options);
  for (let retry = 0; r.status === 429 && !ok.includes(429) && retry < MAX_RETRIES; retry += 1) {
    const seconds = Math.min(MAX_RETRY_AFTER_S, Math.max(1, Number(r.retryAfter ?? 1) || 1));
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    r = await demoRequest(url, method, options);
  }
  if (!ok.includes(r.status)) {
    const code = (r.body['error'] as { code?: string } | undefined)?.code ?? 'none';
    throw new Error(`${method} ${new URL(url).pathname} answered ${r.status} (${code})`);
  }
  return r.body;
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
