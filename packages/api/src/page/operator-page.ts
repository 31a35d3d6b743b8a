/**
 * The operator page (GET /): static HTML, CSS and ES modules served by recon, no build step. The page
 * asks for the operator key once, keeps it in sessionStorage (never in URLs) and talks to the read
 * API with the key as Bearer token; it shows only what that key may read. Its chart library
 * (uPlot) is served from node_modules under /assets/vendor/ so the strict CSP needs no CDN.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyPluginAsync } from 'fastify';

const STATIC = new URL('./static/', import.meta.url);
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};
const typeOf = (file: string): string | undefined => TYPES[file.slice(file.lastIndexOf('.'))];

/** Strict CSP: only our own scripts and styles; the page never renders API data as HTML. */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/** URL → file: index.html at `/`, every other static file at `/assets/<name>`, uPlot's at `/assets/vendor/`. */
export function pageAssets(): ReadonlyMap<string, { readonly path: string | URL; readonly type: string }> {
  const assets = new Map<string, { path: string | URL; type: string }>();
  for (const file of readdirSync(STATIC)) {
    const type = typeOf(file);
    if (type === undefined) continue;
    assets.set(file === 'index.html' ? '/' : `/assets/${file}`, { path: new URL(file, STATIC), type });
  }
  const require = createRequire(import.meta.url);
  const uplotDist = require.resolve('uplot/dist/uPlot.iife.min.js');
  assets.set('/assets/vendor/uplot.iife.min.js', { path: uplotDist, type: TYPES['.js']! });
  assets.set('/assets/vendor/uplot.min.css', {
    path: uplotDist.replace(/uPlot\.iife\.min\.js$/, 'uPlot.min.css'),
    type: TYPES['.css']!,
  });
  return assets;
}

export const operatorPage: FastifyPluginAsync = async (app) => {
  for (const [url, asset] of pageAssets()) {
    const body = readFileSync(asset.path);
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
