/**
 * Provider credentials (stored sealed, shown without secrets), one PUT and one GET per provider of
 * the registry (its module gives the body schema and what is secret), and workspace settings.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Provider } from '@recon/domain';
import { checkApiBaseUrl, providerModules, providerNames } from '@recon/ingest';
import { checkOutboundUrl, type OutboundUrlCode } from '@recon/outbound';
import {
  DEFAULT_BOOKED_SENTIMENT_LABELS,
  getProviderConfig,
  getWorkspaceSettings,
  putProviderCredentials,
  putWorkspaceSettings,
  WorkspaceSettingsInput,
} from '@recon/workspaces';
import { z } from 'zod';
import type { AppServices } from '../app-services';
import { sendError } from '@recon/http';
import { recordWorkspaceRulesChange } from './record-rules-change';

const WsParams = z.object({ ws: z.string().min(1).max(64) });
const ProviderView = z.object({
  provider: z.enum(providerNames as [Provider, ...Provider[]]),
  config: z.record(z.string(), z.unknown()),
  updatedAt: z.string(),
});
const SettingsView = z
  .object({
    bookedSentimentLabels: z.array(z.string()).readonly(),
    autoCorrectSentiment: z.boolean(),
    reconcileIntervalMinutes: z.number(),
    notifyUrl: z.string().nullable(),
    hasNotifySecret: z.boolean(),
    lostDeliveryGraceMinutes: z.number(),
    attendanceReview: z.boolean(),
    labelVerificationSlaHours: z.number(),
    rescheduleGraceMinutes: z.number(),
    updatedAt: z.string().nullable(),
  })
  .meta({
    examples: [
      {
        bookedSentimentLabels: ['Meeting Booked', 'Appointment Set'],
        autoCorrectSentiment: true,
        reconcileIntervalMinutes: 60,
        notifyUrl: 'https://crm.example.com/hooks/recon',
        hasNotifySecret: true,
        lostDeliveryGraceMinutes: 15,
        attendanceReview: false,
        labelVerificationSlaHours: 24,
        rescheduleGraceMinutes: 30,
        updatedAt: '2030-06-01T10:00:00.000Z',
      },
    ],
  });
const SettingsBody = WorkspaceSettingsInput.meta({
  examples: [
    {
      bookedSentimentLabels: ['Meeting Booked', 'Appointment Set'],
      reconcileIntervalMinutes: 60,
      notifyUrl: 'https://crm.example.com/hooks/recon',
      notifySecret: 'a-shared-secret-of-16-chars-or-more',
      lostDeliveryGraceMinutes: 15,
      attendanceReview: false,
      labelVerificationSlaHours: 24,
      rescheduleGraceMinutes: 30,
    },
  ],
});

/** The 400's message for a URL the outbound rule refuses (names the field and the rule, never the URL). */
function outboundUrlMessage(field: string, code: OutboundUrlCode): string {
  if (code === 'OUTBOUND_URL_NOT_HTTPS') return `${field} must be an https:// URL`;
  if (code === 'OUTBOUND_URL_PRIVATE_ADDRESS')
    return `${field} must not name a loopback, private, link-local or metadata address`;
  return `${field} must be an http(s) URL without credentials`;
}

export const configurationRoutes: FastifyPluginAsyncZod<AppServices> = async (app, services) => {
  for (const module of Object.values(providerModules)) {
    const provider = module.name;
    const view = ProviderView.meta({
      examples: [
        {
          provider,
          config: module.credentials.split(module.credentials.example).publicConfig,
          updatedAt: '2030-06-01T10:00:00.000Z',
        },
      ],
    });
    app.put(
      `/v1/workspaces/:ws/providers/${provider}`,
      {
        config: { auth: 'workspace-admin' },
        schema: {
          summary: `Store the workspace's ${provider} credentials (secrets sealed; the answer shows the public part)`,
          params: WsParams,
          body: module.credentials.input.meta({ examples: [module.credentials.example] }),
          response: { 200: view },
        },
      },
      async (request, reply) => {
        // A URL recon will call with the provider's token: refused now, not only when it is called.
        const url = checkApiBaseUrl(request.body, services.outboundPolicy);
        if (!url.ok) return sendError(reply, url.code, outboundUrlMessage('apiBaseUrl', url.code));
        const { publicConfig, secret } = module.credentials.split(request.body);
        return putProviderCredentials(services.db, services.secretBox, {
          workspaceId: request.params.ws,
          provider,
          publicConfig: { ...publicConfig },
          secret: { ...secret },
          now: services.clock(),
        });
      },
    );

    app.get(
      `/v1/workspaces/:ws/providers/${provider}`,
      {
        schema: {
          summary: `The workspace's ${provider} configuration (public part only, never a secret)`,
          params: WsParams,
          response: { 200: view },
        },
      },
      async (request, reply) => {
        const view = await getProviderConfig(services.db, { workspaceId: request.params.ws, provider });
        if (view === null)
          return sendError(reply, 'PROVIDER_NOT_CONFIGURED', `${provider} is not configured for this workspace`);
        return view;
      },
    );
  }

  app.put(
    '/v1/workspaces/:ws/settings',
    {
      config: { auth: 'workspace-admin' },
      schema: {
        summary: 'Set the workspace settings: booked labels, reconcile interval, notify URL and secret',
        params: WsParams,
        body: SettingsBody,
        response: { 200: SettingsView },
      },
    },
    async (request, reply) => {
      const notifyUrl = request.body.notifyUrl;
      if (notifyUrl !== undefined && notifyUrl !== null) {
        const url = checkOutboundUrl(notifyUrl, services.outboundPolicy);
        if (!url.ok) return sendError(reply, url.code, outboundUrlMessage('notifyUrl', url.code));
      }
      const workspaceId = request.params.ws;
      const now = services.clock();
      // The rules go into the log first (the projections fold them); a retried PUT records nothing twice.
      const previous = await getWorkspaceSettings(services.db, workspaceId);
      const recorded = await recordWorkspaceRulesChange(services.store, {
        workspaceId,
        now,
        previous: {
          bookedSentimentLabels: [...previous.bookedSentimentLabels],
          autoCorrectSentiment: previous.autoCorrectSentiment,
        },
        rules: {
          bookedSentimentLabels: [...(request.body.bookedSentimentLabels ?? DEFAULT_BOOKED_SENTIMENT_LABELS)],
          autoCorrectSentiment: request.body.autoCorrectSentiment ?? true,
        },
      });
      if (!recorded.ok) return sendError(reply, recorded.code, 'the workspace rules changed concurrently; retry');
      return putWorkspaceSettings(services.db, services.secretBox, { workspaceId, settings: request.body, now });
    },
  );

  app.get(
    '/v1/workspaces/:ws/settings',
    {
      schema: {
        summary: 'The workspace settings (the notify secret only as "is set")',
        params: WsParams,
        response: { 200: SettingsView },
      },
    },
    async (request) => getWorkspaceSettings(services.db, request.params.ws),
  );
};
