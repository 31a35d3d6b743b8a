/**
 * Lists longer than the API takes in one request: `putLeads` and `queryGates` split them (1,000 per
 * request), keep input order and indexes, and send nothing for an empty list. Against a scripted
 * local server that answers like the routes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createReconClient } from './create-recon-client';
import { startScriptedServer, type ScriptedServer } from './testing/scripted-server';

const WS = 'ws-1';
let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A route answered from each request's body, as the real route would. */
async function echoServer(route: string, answer: (body: unknown, call: number) => unknown) {
  let call = 0;
  server = await startScriptedServer({
    [route]: [(request) => ({ status: 200, body: answer(JSON.parse(request.body), call++) })],
  });
  return createReconClient({ baseUrl: server.url, apiKey: 'k', workspaceId: WS });
}

describe('putLeads', () => {
  it('sends 2,001 leads as 1,000 + 1,000 + 1, indexes in input order, the last position', async () => {
    const client = await echoServer(`POST /v1/workspaces/${WS}/leads:batch`, (body, call) => ({
      results: (body as { leads: { leadId: string }[] }).leads.map((l, index) => ({
        index,
        leadId: l.leadId,
        status: 'created',
        position: `${call}:${index}`,
        bookingToken: `recon:${l.leadId}.x`,
      })),
      position: `${call}:end`,
    }));
    const leads = Array.from({ length: 2001 }, (_, i) => ({ leadId: `l-${i}` }));
    const r = await client.putLeads(leads);
    expect(server!.received.map((x) => JSON.parse(x.body).leads.length)).toEqual([1000, 1000, 1]);
    expect(r.results.map((x) => x.index)).toEqual(leads.map((_, i) => i));
    expect(r.results.map((x) => x.leadId)).toEqual(leads.map((l) => l.leadId));
    expect(r.position).toBe('2:end');
  });

  it('sends nothing for no leads', async () => {
    const client = await echoServer(`POST /v1/workspaces/${WS}/leads:batch`, () => ({}));
    expect(await client.putLeads([])).toEqual({ results: [], position: null });
    expect(server!.received).toHaveLength(0);
  });
});

describe('queryGates', () => {
  it('asks 1,500 leads in two requests and answers in request order', async () => {
    const client = await echoServer(`POST /v1/workspaces/${WS}/gates:query`, (body) => ({
      items: (body as { leadIds: string[] }).leadIds.map((leadId) => ({
        leadId,
        found: false,
        mayEnroll: false,
        mustPause: false,
        reason: 'unknown_lead',
      })),
    }));
    const ids = Array.from({ length: 1500 }, (_, i) => `g-${i}`);
    const { items } = await client.queryGates(ids);
    expect(server!.received.map((x) => JSON.parse(x.body).leadIds.length)).toEqual([1000, 500]);
    expect(items.map((g) => g.leadId)).toEqual(ids);
    expect(await client.queryGates([])).toEqual({ items: [] });
    expect(server!.received).toHaveLength(2);
  });
});
