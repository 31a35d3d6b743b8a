/**
 * GET /docs: the interactive API reference (Swagger UI, from @fastify/swagger-ui). Every asset is
 * served by recon itself under /docs/static/ (bundled in the npm package: no CDN), the document it
 * shows is GET /docs/json (also /docs/yaml; the same document as GET /openapi.json). Public, like
 * the document: it describes the API, never data; "Try it out" sends the key the reader enters in
 * "Authorize", held in the page's memory only (persistAuthorization off).
 *
 * The API answers carry a deny-all CSP (headers/security-headers.ts); these routes set their own:
 * scripts and styles from recon only, no inline code, no eval, requests to recon only.
 */
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

export const DOCS_PREFIX = '/docs';

export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export async function installApiReference(app: FastifyInstance): Promise<void> {
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    staticCSP: DOCS_CSP,
    theme: { title: 'recon API reference' },
    uiConfig: {
      // No top bar: its Swagger logo is an SVG with an inline <style>, which the CSP refuses.
      layout: 'BaseLayout',
      deepLinking: true,
      persistAuthorization: false,
      displayRequestDuration: true,
      defaultModelsExpandDepth: 0,
      docExpansion: 'list',
    },
  });
}
