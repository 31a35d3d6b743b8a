/**
 * The HTTP machinery shared by the provider simulators: a node:http server on 127.0.0.1 (ephemeral
 * port), bearer-token → account lookup, a sliding-window rate limit per account (plus an optional
 * daily cap) answering 429 with the provider's headers, faults on demand (status codes, slow or
 * malformed, truncated or wrongly shaped bodies, injected 429s with or without Retry-After; for the
 * next N requests, optionally per path prefix and query parameters) and a log of
 * every request (method, path, account, status) so tests and `recon demo` can assert pace and
 * read-only use. No vitest dependency.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SimRateLimit {
  readonly maxRequests: number;
  readonly windowMs: number;
  readonly dailyMax?: number;
}

export interface RateLimitState {
  readonly limit: number;
  readonly remaining: number;
  readonly windowMs: number;
  /** ms until the oldest request in the window leaves it. */
  readonly resetMs: number;
  readonly dailyLimit: number | null;
  readonly dailyRemaining: number | null;
}

export type SimFault =
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'malformed' }
  /** 200 with the real body cut in half (a connection that dropped mid-body). */
  | { readonly kind: 'truncated' }
  /** 200 with valid JSON that is not the documented shape. */
  | { readonly kind: 'wrongShape' }
  | { readonly kind: 'slow'; readonly delayMs: number }
  /** 429; with `retryAfterSeconds`, also a `Retry-After` header. */
  | { readonly kind: 'rateLimited'; readonly retryAfterSeconds?: number };

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly account: string | null;
  readonly at: number;
  status: number;
}

export interface SimRequest {
  readonly method: string;
  readonly path: string;
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly account: string;
}

export interface SimResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface SimulatorServerOptions {
  readonly rateLimit: SimRateLimit;
  readonly rateLimitHeaders: (state: RateLimitState) => Record<string, string>;
  readonly errorBody: (status: number) => unknown;
  readonly authenticate: (token: string) => string | null;
  readonly route: (req: SimRequest) => SimResponse;
}

interface FaultRule {
  readonly fault: SimFault;
  remaining: number;
  readonly pathPrefix: string | undefined;
  readonly query: Readonly<Record<string, string>> | undefined;
}

const MAX_LOG = 200_000;

export class SimulatorServer {
  readonly requests: RecordedRequest[] = [];
  /** 429s the simulator's own limit produced (a correctly paced client sees none). */
  rateLimitRejections = 0;
  private readonly windows = new Map<string, number[]>();
  private readonly daily = new Map<string, number>();
  private readonly faults: FaultRule[] = [];
  private server: Server | null = null;
  private baseUrl: string | null = null;
  rateLimit: SimRateLimit;

  constructor(private readonly opts: SimulatorServerOptions) {
    this.rateLimit = opts.rateLimit;
  }

  /** Starts listening on 127.0.0.1:<ephemeral>; resolves the base URL. Idempotent. */
  async start(): Promise<string> {
    if (this.baseUrl) return this.baseUrl;
    const server = createServer((req, res) => void this.handle(req, res));
    // Longer than any client's gap between requests (a provider client paces one account at ~10
    // requests/s, a bench's limiter may idle for a window): a 1 s timeout made the client open a
    // new connection for nearly every request. Clients keep a socket for the hinted time minus
    // their margin; headersTimeout must exceed keepAliveTimeout (Node's rule).
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  get url(): string {
    if (!this.baseUrl) throw new Error('simulator not started');
    return this.baseUrl;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.baseUrl = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * The next `count` matching requests (default 1) get `fault`. Faults apply in the order injected.
   * A request matches when its path starts with `pathPrefix` and it carries every `query` parameter
   * with the given value (`''` = present with any value).
   */
  injectFault(
    fault: SimFault,
    options: { count?: number; pathPrefix?: string; query?: Readonly<Record<string, string>> } = {},
  ): void {
    this.faults.push({ fault, remaining: options.count ?? 1, pathPrefix: options.pathPrefix, query: options.query });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  countRequests(filter: { method?: string; pathPrefix?: string; account?: string; status?: number } = {}): number {
    return this.requests.filter(
      (r) =>
        (filter.method === undefined || r.method === filter.method) &&
        (filter.pathPrefix === undefined || r.path.startsWith(filter.pathPrefix)) &&
        (filter.account === undefined || r.account === filter.account) &&
        (filter.status === undefined || r.status === filter.status),
    ).length;
  }

  /** Distinct HTTP methods seen (a read-only client leaves only GET). */
  methodsSeen(): string[] {
    return [...new Set(this.requests.map((r) => r.method))].sort();
  }

  /** Largest number of requests of `account` that the server accepted within any window of the limit's length. */
  maxAcceptedInWindow(account: string, windowMs = this.rateLimit.windowMs): number {
    const times = this.requests
      .filter((r) => r.account === account && r.status !== 429 && r.status !== 401)
      .map((r) => r.at);
    let best = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while ((times[i] ?? 0) - (times[j] ?? 0) >= windowMs) j++;
      best = Math.max(best, i - j + 1);
    }
    return best;
  }

  /** Clears the request log, the rejection count and every account's rate-limit window and daily count. */
  resetStats(): void {
    this.requests.length = 0;
    this.rateLimitRejections = 0;
    this.windows.clear();
    this.daily.clear();
  }

  private state(account: string, now: number): RateLimitState {
    const times = this.windows.get(account) ?? [];
    const oldest = times[0];
    const used = this.daily.get(account) ?? 0;
    return {
      limit: this.rateLimit.maxRequests,
      remaining: Math.max(0, this.rateLimit.maxRequests - times.length),
      windowMs: this.rateLimit.windowMs,
      resetMs: oldest === undefined ? this.rateLimit.windowMs : Math.max(0, oldest + this.rateLimit.windowMs - now),
      dailyLimit: this.rateLimit.dailyMax ?? null,
      dailyRemaining: this.rateLimit.dailyMax === undefined ? null : Math.max(0, this.rateLimit.dailyMax - used),
    };
  }

  private send(
    res: ServerResponse,
    record: RecordedRequest,
    status: number,
    body: string,
    headers: Record<string, string> = {},
  ): void {
    record.status = status;
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(body);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim.local');
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    const account = token ? this.opts.authenticate(token) : null;
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      account,
      at: Date.now(),
      status: 0,
    };
    if (this.requests.length >= MAX_LOG) this.requests.splice(0, MAX_LOG / 2);
    this.requests.push(record);
    req.resume();
    const json = (status: number, body: unknown, headers?: Record<string, string>) =>
      this.send(res, record, status, JSON.stringify(body), headers);
    if (record.method !== 'GET') return json(405, this.opts.errorBody(405));
    if (account === null) return json(401, this.opts.errorBody(401));

    const now = Date.now();
    const times = this.windows.get(account) ?? [];
    while (times.length > 0 && (times[0] ?? 0) <= now - this.rateLimit.windowMs) times.shift();
    this.windows.set(account, times);
    const dailyUsed = this.daily.get(account) ?? 0;
    const overDaily = this.rateLimit.dailyMax !== undefined && dailyUsed >= this.rateLimit.dailyMax;
    if (times.length >= this.rateLimit.maxRequests || overDaily) {
      this.rateLimitRejections++;
      return json(429, this.opts.errorBody(429), this.opts.rateLimitHeaders(this.state(account, now)));
    }
    times.push(now);
    this.daily.set(account, dailyUsed + 1);
    const headers = this.opts.rateLimitHeaders(this.state(account, now));

    const queryMatches = (q: FaultRule['query']) =>
      q === undefined ||
      Object.entries(q).every(([k, v]) => url.searchParams.has(k) && (v === '' || url.searchParams.get(k) === v));
    const rule = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        (f.pathPrefix === undefined || url.pathname.startsWith(f.pathPrefix)) &&
        queryMatches(f.query),
    );
    let cut = false;
    if (rule) {
      rule.remaining--;
      const fault = rule.fault;
      if (fault.kind === 'status') return json(fault.status, this.opts.errorBody(fault.status), headers);
      if (fault.kind === 'malformed') return this.send(res, record, 200, '{"events": [ {"id": ', headers);
      if (fault.kind === 'wrongShape') return json(200, { data: null, traceId: 'sim-wrong-shape' }, headers);
      if (fault.kind === 'rateLimited') {
        const after = fault.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(fault.retryAfterSeconds) };
        return json(429, this.opts.errorBody(429), {
          ...headers,
          ...this.opts.rateLimitHeaders({ ...this.state(account, now), remaining: 0 }),
          ...after,
        });
      }
      if (fault.kind === 'truncated') cut = true;
      else await new Promise((r) => setTimeout(r, fault.delayMs));
    }
    let response: SimResponse;
    try {
      response = this.opts.route({
        method: record.method,
        path: url.pathname,
        segments: url.pathname.split('/').filter(Boolean),
        query: url.searchParams,
        headers: req.headers,
        account,
      });
    } catch {
      response = { status: 500, body: this.opts.errorBody(500) };
    }
    if (cut) {
      const text = JSON.stringify(response.body);
      return this.send(res, record, response.status, text.slice(0, Math.floor(text.length / 2)), headers);
    }
    json(response.status, response.body, headers);
  }
}
