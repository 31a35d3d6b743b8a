/**
 * One delivery attempt: POST the body with its signature and idempotency id, with a timeout, and
 * turn whatever happens into a coded outcome. Redirects are not followed (a notifyUrl that
 * redirects is misconfigured; following it would re-post a signed body elsewhere). Response
 * bodies are discarded unread: they are not ours to log.
 */
export type PostOutcome =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly code: string; readonly status: number | null };

export interface PostNotificationInput {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

export async function postNotification(input: PostNotificationInput): Promise<PostOutcome> {
  try {
    const response = await fetch(input.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'recon-notifications/1', ...input.headers },
      body: input.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(input.timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    return { ok: false, code: `HTTP_${response.status}`, status: response.status };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') return { ok: false, code: 'TIMEOUT', status: null };
    return { ok: false, code: 'NETWORK_ERROR', status: null };
  }
}
