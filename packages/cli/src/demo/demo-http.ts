/** A small JSON-over-HTTP client for `recon demo`: the demo drives recon only through its API. */
export interface DemoResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
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
  return { status: response.status, body: parsed };
}

/** Throws (a demo bug or recon refusing valid input) unless the status is one of `ok`. */
export async function demoCall(
  url: string,
  method: string,
  ok: readonly number[],
  options: Parameters<typeof demoRequest>[2] = {},
): Promise<Record<string, unknown>> {
  const r = await demoRequest(url, method, options);
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
