/** Test support: tiny fetch helpers against a listening test app. */
export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

export async function request(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; raw?: Buffer | string; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers };
  let body: Buffer | string | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    headers['content-type'] ??= 'application/json';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text.length > 0 ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { nonJson: text.slice(0, 200) };
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

export function errorCode(result: HttpResult): string | undefined {
  return (result.body['error'] as { code?: string } | undefined)?.code;
}
