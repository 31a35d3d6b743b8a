/**
 * One delivery attempt: POST the body with its signature and idempotency id through the guarded
 * fetch (the worker's: https only unless the process allows private URLs, every resolved address
 * checked at connect time, the response capped in size and the exchange in time), and turn
 * whatever happens into a coded outcome. Redirects are not followed (a notifyUrl that redirects
 * is misconfigured; following it would re-post a signed body elsewhere): `HTTP_REDIRECT`.
 * Refused, unreachable, timed out, TLS-failed and blocked addresses are one code, `UNREACHABLE`,
 * so the outbox never tells an operator which ports answer where; `detail` (a code, for logs
 * only) says which. Response bodies are never kept: they are not ours to log.
 */
import { outboundFailureDetail } from '@recon/outbound';

export type PostOutcome =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly code: string; readonly status: number | null; readonly detail?: string };

export interface PostNotificationInput {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** The worker's guarded fetch (see @recon/outbound's createGuardedFetch). */
  readonly fetch: typeof fetch;
}

export async function postNotification(input: PostNotificationInput): Promise<PostOutcome> {
  try {
    const response = await input.fetch(input.url, {
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
    const detail = outboundFailureDetail(error);
    if (detail === 'OUTBOUND_REDIRECT_REFUSED') return { ok: false, code: 'HTTP_REDIRECT', status: null, detail };
    if (detail === 'OUTBOUND_RESPONSE_TOO_LARGE')
      return { ok: false, code: 'RESPONSE_TOO_LARGE', status: null, detail };
    return { ok: false, code: 'UNREACHABLE', status: null, detail };
  }
}
