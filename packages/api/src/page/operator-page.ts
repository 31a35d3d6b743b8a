/**
 * The operator page (GET /): static HTML, CSS and JS served by recon, no build step. The page asks
 * for the workspace id and operator key once, keeps them in sessionStorage (never in URLs) and
 * talks to the read API with the key as Bearer token; it shows only what that key may read.
 */
import { readFileSync } from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';

const STATIC = new URL('./static/', import.meta.url);
const ASSETS = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/assets/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/assets/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
} as const;

/** Strict CSP: only our own script and styles; the page never renders API data as HTML. */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

export const operatorPage: FastifyPluginAsync = async (app) => {
  for (const [url, asset] of Object.entries(ASSETS)) {
    const body = readFileSync(new URL(asset.file, STATIC));
    app.get(url, { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type(asset.type)
        .header('content-security-policy', PAGE_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-cache')
        .send(body),
    );
  }
};
