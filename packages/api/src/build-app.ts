/**
 * Builds recon's Fastify app from its dependencies (no listening here: `recon start` listens, see
 * packages/cli start-recon.ts). Tests call it with `inject` or on an ephemeral port. This is the one
 * place every route plugin is registered — api's own, the read API, ingest's webhooks and
 * reconciliation routes, notifications' routes, the probes — and `routes` (from `recon start`'s
 * roles) chooses which groups are on. Every route is guarded by the auth hook and listed in the
 * route registry; every plugin answers errors through @recon/http's `sendError`.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { EventStore } from '@recon/eventstore';
import { sendError } from '@recon/http';
import {
  backfillRoutes,
  createBookingTokenGate,
  projectionsLeadLookup,
  RateLimiterRegistry,
  reconcileRoutes,
  attendanceRoute,
  linkAppointmentRoute,
  unmatchedAppointmentsRoute,
  providerHealthRoute,
  webhookRoutes,
  type LeadLookup,
  type ReconcileDeps,
} from '@recon/ingest';
import { notificationRoutes } from '@recon/notifications';
import type { ProjectionsDatabase, RunnerState } from '@recon/projections';
import { createStreamKeyring, type StreamKeyring } from '@recon/privacy';
import { createEmailHasher, createSecretBox, type WorkspacesDatabase } from '@recon/workspaces';
import type { AppServices } from './app-services';
import { createApiKeyCache, type ApiKeyCache } from './auth/api-key-cache';
import { installAuth } from './auth/install-auth';
import { installErrorHandling } from './errors/install-error-handling';
import { configurationRoutes } from './routes/configuration-routes';
import { leadRoutes } from './routes/lead-routes';
import { installRouteRegistry } from './routes/route-registry';
import { refuseUnstorableText } from './validation/refuse-unstorable-text';
import { opsApi } from './ops/ops-api';
import { installMetricsToken } from './ops/metrics-token';
import { applySecurityHeaders, installSecurityHeaders } from './headers/security-headers';
import { installRateLimits } from './limits/install-rate-limits';
import { resolveRateLimits, type RateLimitOverrides } from './limits/rate-limit-settings';
import { serverTimeoutOptions, type ServerTimeouts } from './limits/server-timeouts';
import { readApi } from './read/read-api';
import { createReconMetrics, type ReconMetrics } from './read/metrics-recon';
import {
  ALL_ROUTE_GROUPS,
  type NotificationRoutesOptions,
  type ReconcileRoutesOptions,
  type RouteGroup,
} from './routes/route-groups';
import { meRoutes } from './routes/me-routes';
import { workspaceRoutes } from './routes/workspace-routes';

export interface BuildAppConfig {
  readonly adminToken: string;
  readonly secretKey: string;
  /** RECON_SECRET_KEY_PREVIOUS during a rotation: what it sealed still opens (see `recon secrets rotate`). */
  readonly previousSecretKey?: string | undefined;
  /** Longest range of one backfill request, days (RECON_BACKFILL_MAX_DAYS; default 730). */
  readonly backfillMaxDays?: number;
  /** JSON body limit of API routes, bytes (default 1 MiB: a full batch of 1,000 leads fits). */
  readonly bodyLimit?: number;
  /** Body limit of webhook routes, bytes (default 256 KiB). */
  readonly webhookBodyLimit?: number;
  /** Signature timestamp tolerance of webhook deliveries, seconds (WebhookDeps.signatureToleranceSeconds; the key keeps its name for callers). */
  readonly calendlyToleranceSeconds?: number;
  /** Credentials cache of the webhook routes, ms (default 5 000). */
  readonly credentialsTtlMs?: number;
  /**
   * RECON_ALLOW_PRIVATE_URLS: provider API base URLs and notify URLs may be http and private
   * addresses (simulators, the demo, tests). Default false: https and public addresses only.
   */
  readonly allowPrivateUrls?: boolean;
  /** Request, header, keep-alive and connection timeouts (limits/server-timeouts.ts; defaults there). */
  readonly timeouts?: Partial<ServerTimeouts>;
  /** Rate limits per class of caller (limits/rate-limit-settings.ts; `max: 0` turns one off). */
  readonly rateLimits?: RateLimitOverrides;
  /** RECON_METRICS_TOKEN: when set, /metrics needs `Authorization: Bearer <token>`. */
  readonly metricsToken?: string | undefined;
  /** RECON_TRUST_PROXY: proxy hops or addresses whose X-Forwarded-For names the client. Default: none. */
  readonly trustProxy?: number | readonly string[] | undefined;
}

export interface BuildAppDeps {
  readonly db: Kysely<WorkspacesDatabase>;
  readonly store: EventStore;
  readonly config: BuildAppConfig;
  /** Finds leads by identity for webhook matching. Default: the projections' lead_identities in `db`. */
  readonly leadLookup?: LeadLookup;
  /** pino logger (see createLogger: redaction built in). Default: a silent logger. */
  readonly log?: FastifyBaseLogger;
  readonly clock?: () => Date;
  /** Operator key lookups cache. Default: a fresh one (5 s for found keys, 1 s for unknown ones). */
  readonly apiKeyCache?: ApiKeyCache;
  /** The projection runners of this process, for /readyz and /metrics (default: none). */
  readonly runners?: () => ReadonlyMap<string, RunnerState>;
  /** /readyz names a server transaction older than this, seconds (default 10). */
  readonly longTransactionSeconds?: number;
  /** The route groups this app serves (`recon start`: from its roles). Default: every group. */
  readonly routes?: ReadonlySet<RouteGroup>;
  /** The reconcile group's settings (cron secret, shared limiters…). Default: no cron secret. */
  readonly reconcile?: ReconcileRoutesOptions;
  /** The notifications group's settings (retry window, worker kick). */
  readonly notifications?: NotificationRoutesOptions;
  /**
   * The keyring of the sealing event store (`createSealingEventStore`) wrapped around `store`, so an
   * erasure destroys keys this process's store has cached too. Default: one over `db`.
   */
  readonly streamKeys?: StreamKeyring;
  /**
   * The process's metrics (createReconMetrics): `recon start` makes them first so its ReconcileDeps
   * count provider calls into the registry this app's /metrics renders. One app per value. Default: new ones.
   */
  readonly metrics?: ReconMetrics;
}

export type ReconApp = FastifyInstance;

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** A number of hops trusts that many proxies in front of recon (as Fastify's numeric trustProxy). */
function trustProxyOption(trust: number | readonly string[]): string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : [...trust];
}

export async function buildApp(deps: BuildAppDeps): Promise<ReconApp> {
  const app = Fastify({
    ...(deps.log !== undefined ? { loggerInstance: deps.log } : { logger: false }),
    bodyLimit: deps.config.bodyLimit ?? 1024 * 1024,
    ...serverTimeoutOptions(deps.config.timeouts),
    ...(deps.config.trustProxy !== undefined ? { trustProxy: trustProxyOption(deps.config.trustProxy) } : {}),
    // Lead ids are up to 200 unicode characters: percent-encoded that can be ~2.4 kB.
    routerOptions: { maxParamLength: 2_500 },
    requestIdHeader: 'x-request-id',
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    frameworkErrors: (error, request, reply) => {
      // Bad URLs (malformed percent-encoding) and the like: still the uniform body (no hook ran: headers here).
      applySecurityHeaders(request as FastifyRequest, reply as FastifyReply);
      void sendError(
        reply as FastifyReply,
        'BAD_REQUEST',
        error.code === 'FST_ERR_BAD_URL' ? 'Malformed URL' : 'Bad request',
      );
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const secretBox = createSecretBox(deps.config.secretKey, deps.config.previousSecretKey);
  const services: AppServices = {
    db: deps.db,
    store: deps.store,
    clock: deps.clock ?? (() => new Date()),
    secretBox,
    hashEmail: createEmailHasher(deps.config.secretKey),
    // The projections' tables live in the same database as the workspaces' tables.
    leadLookup: deps.leadLookup ?? projectionsLeadLookup(deps.db as unknown as Kysely<ProjectionsDatabase>, deps.store),
    // One gate with the reconcile deps when given (`recon start`): /metrics counts the scheduler's refusals too.
    bookingTokens: deps.reconcile?.deps?.bookingTokens ?? createBookingTokenGate(deps.config.secretKey),
    apiKeys: deps.apiKeyCache ?? createApiKeyCache(),
    runners: deps.runners ?? (() => new Map()),
    longTransactionSeconds: deps.longTransactionSeconds ?? 10,
    outboundPolicy: { allowPrivate: deps.config.allowPrivateUrls === true },
    streamKeys: deps.streamKeys ?? createStreamKeyring({ db: deps.db, box: secretBox }),
    metrics: deps.metrics ?? createReconMetrics(),
  };

  installRouteRegistry(app);
  installErrorHandling(app);
  installSecurityHeaders(app); // first hook: the headers go on every answer, 401 and 429 included
  const rateLimits = await installRateLimits(app, resolveRateLimits(deps.config.rateLimits));
  app.addHook('onRequest', rateLimits.beforeAuth);
  installAuth(app, { db: deps.db, adminToken: deps.config.adminToken, apiKeys: services.apiKeys });
  app.addHook('onRequest', rateLimits.afterAuth);
  installMetricsToken(app, deps.config.metricsToken);
  refuseUnstorableText(app);
  await app.register(opsApi, services); // always, and first: /docs and /metrics must see every route

  await app.register(meRoutes, services); // every app that serves HTTP: who a credential is

  const on = deps.routes ?? new Set(ALL_ROUTE_GROUPS);
  if (on.has('read')) await app.register(readApi, services);
  if (on.has('workspaces')) {
    await app.register(workspaceRoutes, services);
    await app.register(configurationRoutes, services);
  }
  if (on.has('leads')) await app.register(leadRoutes, services);
  if (on.has('webhooks')) await registerWebhooks(app, services, deps);
  if (on.has('reconcile')) await registerReconcile(app, services, deps.reconcile ?? {}, deps.config.backfillMaxDays);
  if (on.has('notifications')) await app.register(notificationRoutes(deps.notifications ?? {}), services);
  return app as unknown as ReconApp;
}

async function registerWebhooks(app: FastifyInstance, services: AppServices, deps: BuildAppDeps): Promise<void> {
  const webhookDeps = {
    ...services,
    sendError,
    metrics: services.metrics.ingest,
    ...(deps.config.calendlyToleranceSeconds !== undefined
      ? { signatureToleranceSeconds: deps.config.calendlyToleranceSeconds }
      : {}),
    ...(deps.config.webhookBodyLimit !== undefined ? { bodyLimit: deps.config.webhookBodyLimit } : {}),
    ...(deps.config.credentialsTtlMs !== undefined ? { credentialsTtlMs: deps.config.credentialsTtlMs } : {}),
  };
  await app.register(webhookRoutes, webhookDeps);
}

async function registerReconcile(
  app: FastifyInstance,
  services: AppServices,
  options: ReconcileRoutesOptions,
  backfillMaxDays: number | undefined,
): Promise<void> {
  // Default: the app's own services and one limiter registry (`recon start` passes the one its scheduler shares).
  const reconcile: ReconcileDeps = options.deps ?? {
    ...services,
    metrics: services.metrics.ingest,
    limiters: new RateLimiterRegistry(),
    ...(options.providers !== undefined ? { providers: options.providers } : {}),
  };
  await app.register(
    reconcileRoutes({
      reconcile,
      sendError,
      cronSecret: options.cronSecret ?? null,
      ...(options.tick !== undefined ? { tick: options.tick } : {}),
      ...(options.checkMinIntervalMs !== undefined ? { checkMinIntervalMs: options.checkMinIntervalMs } : {}),
    }),
  );
  await app.register(
    backfillRoutes({
      reconcile,
      sendError,
      ...(options.backfill !== undefined ? { runner: options.backfill } : {}),
      ...(backfillMaxDays !== undefined ? { maxDays: backfillMaxDays } : {}),
    }),
  );
  await app.register(unmatchedAppointmentsRoute({ db: services.db, sendError }));
  await app.register(providerHealthRoute({ reconcile, sendError }));
  await app.register(linkAppointmentRoute({ store: services.store, clock: services.clock, sendError }));
  await app.register(attendanceRoute({ store: services.store, clock: services.clock, sendError }));
}
