/**
 * `createReconClient({ baseUrl, apiKey })`: recon's API for a CRM or a follow-up engine, typed by
 * the API's own schemas. Writes (`putLead`, `putLeads`), reads (`getLead`, `getGate`,
 * `queryGates`), the triage lists as async iterators over pages (`mismatches()`, `tasks()`),
 * `resolveTask` and `checkLead`. Every call retries 503/429 honouring Retry-After; network failures
 * are retried only where sending twice is harmless (every call but `checkLead`: lead writes are
 * upserts, resolving a task twice is a no-op). Errors are `ReconError`s typed by code.
 */
import { pages } from './pages';
import { retryPolicy, type RetryOptions } from './retry-policy';
import { ReconError } from './recon-error';
import {
  BatchResult,
  CheckResult,
  GateResult,
  GatesResult,
  Lead,
  MAX_BATCH_LEADS,
  MAX_GATE_QUERY_LEADS,
  Me,
  MismatchPage,
  PutLeadResult,
  ResolveResult,
  TaskPage,
  type BatchLeadInput,
  type GateItem,
  type LeadInputBody,
  type MismatchKind,
  type TaskKind,
} from './schemas';
import { sendRequest, type RequestSpec, type RetryEvent, type Transport } from './send-request';
import type { z } from 'zod';

export interface ReconClientOptions {
  /** Where recon listens, e.g. `https://recon.example.com`. */
  readonly baseUrl: string;
  /** An operator key of the workspace (or the admin token, with `workspaceId`). */
  readonly apiKey: string;
  /** The key's workspace; asked once from `GET /v1/me` when not given. */
  readonly workspaceId?: string;
  /** A fetch to use instead of the global one (proxies, tests). */
  readonly fetch?: typeof fetch;
  readonly retry?: RetryOptions;
  /** Longest one attempt may take, ms (default 30,000). */
  readonly timeoutMs?: number;
  /** Called before each wait between attempts (logging, metrics): route template, attempt, delay, code. */
  readonly onRetry?: (event: RetryEvent) => void;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
}
export interface ReadOptions extends CallOptions {
  /** Read your writes: a `position` a write answered; the read waits until the read models passed it. */
  readonly minPosition?: string | null;
}
export interface PageOptions extends ReadOptions {
  /** Items per page, 1..200 (the API's default 50). */
  readonly limit?: number;
}
export interface MismatchesOptions extends PageOptions {
  readonly kind?: MismatchKind;
}
export interface TasksOptions extends PageOptions {
  readonly status?: 'open' | 'resolved';
  readonly kind?: TaskKind;
  readonly leadId?: string;
}

export interface ReconClient {
  /** The workspace the calls go to (asks `GET /v1/me` once when not configured). */
  workspaceId(options?: CallOptions): Promise<string>;
  putLead(leadId: string, lead: LeadInputBody, options?: CallOptions): Promise<PutLeadResult>;
  /**
   * The batch route, 1,000 leads per request (more are sent in several, one after the other; a
   * lead id repeated across two requests is written twice, last wins); results in input order,
   * `position` the last write's. No leads: no request.
   */
  putLeads(leads: readonly BatchLeadInput[], options?: CallOptions): Promise<BatchResult>;
  getLead(leadId: string, options?: ReadOptions): Promise<Lead>;
  getGate(leadId: string, options?: ReadOptions): Promise<GateResult>;
  /** Gates in request order; an unknown lead answers `found: false` (1,000 per request, more in several; none: no request). */
  queryGates(leadIds: readonly string[], options?: ReadOptions): Promise<{ items: GateItem[] }>;
  mismatches(options?: MismatchesOptions): AsyncGenerator<MismatchPage, void, undefined>;
  tasks(options?: TasksOptions): AsyncGenerator<TaskPage, void, undefined>;
  resolveTask(taskId: string, options?: CallOptions & { readonly note?: string }): Promise<ResolveResult>;
  /** Reconcile one lead against its providers now (rate-limited per lead by the API: 429 is waited out). */
  checkLead(leadId: string, options?: CallOptions): Promise<CheckResult>;
}

export function createReconClient(options: ReconClientOptions): ReconClient {
  const transport: Transport = {
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    fetch: options.fetch ?? globalThis.fetch,
    policy: retryPolicy(options.retry),
    timeoutMs: options.timeoutMs ?? 30_000,
    onRetry: options.onRetry,
  };
  const send = <S extends z.ZodType>(spec: RequestSpec<S>) => sendRequest(transport, spec);
  let workspace: Promise<string> | null =
    options.workspaceId !== undefined ? Promise.resolve(options.workspaceId) : null;

  const workspaceId = (call: CallOptions = {}): Promise<string> => {
    workspace ??= send({
      method: 'GET',
      route: 'GET /v1/me',
      path: '/v1/me',
      idempotent: true,
      schema: Me,
      signal: call.signal,
    }).then((me) => {
      if (me.workspaceId === undefined)
        throw new ReconError({
          code: 'WORKSPACE_REQUIRED',
          route: 'GET /v1/me',
          message: 'this credential names no workspace: pass workspaceId',
        });
      return me.workspaceId;
    });
    // A failed lookup is asked again by the next call.
    workspace.catch(() => {
      workspace = null;
    });
    return workspace;
  };
  const wsPath = async (call: CallOptions, rest: string) =>
    `/v1/workspaces/${encodeURIComponent(await workspaceId(call))}${rest}`;
  const id = encodeURIComponent;
  const readQuery = (o: ReadOptions) => ({ minPosition: o.minPosition ?? undefined });

  async function putLeadsChunk(leads: readonly BatchLeadInput[], call: CallOptions) {
    return send({
      method: 'POST',
      route: 'POST /v1/workspaces/:ws/leads:batch',
      path: await wsPath(call, '/leads:batch'),
      body: { leads },
      idempotent: true,
      schema: BatchResult,
      signal: call.signal,
    });
  }

  async function queryGatesChunk(leadIds: readonly string[], o: ReadOptions) {
    return send({
      method: 'POST',
      route: 'POST /v1/workspaces/:ws/gates:query',
      path: await wsPath(o, '/gates:query'),
      query: readQuery(o),
      body: { leadIds },
      idempotent: true,
      schema: GatesResult,
      signal: o.signal,
    });
  }

  return {
    workspaceId,

    async putLead(leadId, lead, call = {}) {
      return send({
        method: 'PUT',
        route: 'PUT /v1/workspaces/:ws/leads/:leadId',
        path: await wsPath(call, `/leads/${id(leadId)}`),
        body: lead,
        idempotent: true,
        schema: PutLeadResult,
        signal: call.signal,
      });
    },

    async putLeads(leads, call = {}) {
      const results: BatchResult['results'] = [];
      let position: string | null = null;
      for (let offset = 0; offset < leads.length; offset += MAX_BATCH_LEADS) {
        const answer = await putLeadsChunk(leads.slice(offset, offset + MAX_BATCH_LEADS), call);
        for (const r of answer.results) results.push({ ...r, index: r.index + offset });
        position = answer.position ?? position;
      }
      return { results, position };
    },

    async getLead(leadId, o = {}) {
      return send({
        method: 'GET',
        route: 'GET /v1/workspaces/:ws/leads/:leadId',
        path: await wsPath(o, `/leads/${id(leadId)}`),
        query: readQuery(o),
        idempotent: true,
        schema: Lead,
        signal: o.signal,
      });
    },

    async getGate(leadId, o = {}) {
      return send({
        method: 'GET',
        route: 'GET /v1/workspaces/:ws/gates/:leadId',
        path: await wsPath(o, `/gates/${id(leadId)}`),
        query: readQuery(o),
        idempotent: true,
        schema: GateResult,
        signal: o.signal,
      });
    },

    async queryGates(leadIds, o = {}) {
      const items: GateItem[] = [];
      for (let offset = 0; offset < leadIds.length; offset += MAX_GATE_QUERY_LEADS) {
        const answer = await queryGatesChunk(leadIds.slice(offset, offset + MAX_GATE_QUERY_LEADS), o);
        items.push(...answer.items);
      }
      return { items };
    },

    mismatches(o = {}) {
      return pages(async (cursor) =>
        send({
          method: 'GET',
          route: 'GET /v1/workspaces/:ws/mismatches',
          path: await wsPath(o, '/mismatches'),
          query: { ...readQuery(o), kind: o.kind, limit: o.limit, cursor },
          idempotent: true,
          schema: MismatchPage,
          signal: o.signal,
        }),
      );
    },

    tasks(o = {}) {
      return pages(async (cursor) =>
        send({
          method: 'GET',
          route: 'GET /v1/workspaces/:ws/tasks',
          path: await wsPath(o, '/tasks'),
          query: { ...readQuery(o), status: o.status, kind: o.kind, leadId: o.leadId, limit: o.limit, cursor },
          idempotent: true,
          schema: TaskPage,
          signal: o.signal,
        }),
      );
    },

    async resolveTask(taskId, o = {}) {
      return send({
        method: 'POST',
        route: 'POST /v1/workspaces/:ws/tasks/:taskId/resolve',
        path: await wsPath(o, `/tasks/${id(taskId)}/resolve`),
        body: o.note !== undefined ? { note: o.note } : {},
        // Resolving twice is a no-op 200 (`alreadyResolved: true`).
        idempotent: true,
        schema: ResolveResult,
        signal: o.signal,
      });
    },

    async checkLead(leadId, call = {}) {
      return send({
        method: 'POST',
        route: 'POST /v1/workspaces/:ws/leads/:leadId/check',
        path: await wsPath(call, `/leads/${id(leadId)}/check`),
        // A check calls providers and may append events: not sent again after a lost answer.
        idempotent: false,
        schema: CheckResult,
        signal: call.signal,
      });
    },
  };
}
