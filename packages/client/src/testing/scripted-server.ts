/**
 * Test support: a local HTTP server that answers each route (`METHOD /path`) with a script of
 * answers in order (the last one repeats), records what it received and when, and can drop the
 * connection, never answer, or compute the answer from the request: the retry, abort and error tests run against it over real HTTP.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Step =
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: unknown }
  | 'destroy'
  | 'hang'
  /** An answer computed from the request (as the real route would). */
  | ((request: Received) => Step);

export interface Received {
  readonly route: string;
  readonly url: string;
  readonly at: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface ScriptedServer {
  readonly url: string;
  readonly received: Received[];
  /** Requests received on one route. */
  on(route: string): Received[];
  close(): Promise<void>;
}

export async function startScriptedServer(script: Record<string, readonly Step[]>): Promise<ScriptedServer> {
  const received: Received[] = [];
  const served = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const route = `${req.method} ${path}`;
      const request: Received = {
        route,
        url: req.url ?? '',
        at: Date.now(),
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      received.push(request);
      const steps = script[route];
      if (steps === undefined || steps.length === 0) {
        res.writeHead(404, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'No such route' } }));
      }
      const n = served.get(route) ?? 0;
      served.set(route, n + 1);
      let step = steps[Math.min(n, steps.length - 1)] as Step;
      while (typeof step === 'function') step = step(request);
      if (step === 'destroy') return req.socket.destroy();
      if (step === 'hang') return;
      const text = typeof step.body === 'string' ? step.body : JSON.stringify(step.body ?? {});
      res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    on: (route) => received.filter((r) => r.route === route),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The API's error body. */
export const errorAnswer = (status: number, code: string, headers: Record<string, string> = {}): Step => ({
  status,
  headers,
  body: { error: { code, message: 'scripted' } },
});
