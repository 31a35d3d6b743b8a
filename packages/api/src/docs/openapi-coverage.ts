/**
 * What the OpenAPI document leaves undocumented: an operation without a summary, a request body
 * without an example, no success answer with a schema, or a success answer without an example.
 * The reference's test fails on any (docs/api-reference.e2e.test.ts), so a new route comes with
 * its summary and examples (`schema.summary`, zod `.meta({ examples: [...] })` on the body and
 * the 2xx response schemas). A body schema with a transform (e.g. times normalised to UTC) loses
 * `examples` on zod's input side: give it `.meta({ example: {...} })` instead, which stays.
 */

interface MediaType {
  readonly schema?: { readonly example?: unknown; readonly examples?: unknown };
  readonly example?: unknown;
  readonly examples?: unknown;
}

interface Operation {
  readonly summary?: string;
  readonly requestBody?: { readonly content?: Readonly<Record<string, MediaType>> };
  readonly responses?: Readonly<Record<string, { readonly content?: Readonly<Record<string, MediaType>> }>>;
}

export interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);

/** The document's path of a Fastify route url: `:ws` → `{ws}`, `::` (a literal colon) → `:`. */
export function openApiPath(url: string): string {
  return url
    .replaceAll('::', '\u0000')
    .replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}')
    .replaceAll('\u0000', ':');
}

/** An example is given when it is neither missing nor an empty list or object. */
function given(value: unknown): boolean {
  if (value === undefined) return false;
  if (Array.isArray(value)) return value.length > 0;
  return typeof value !== 'object' || value === null || Object.keys(value).length > 0;
}

function hasExample(media: MediaType): boolean {
  return given(media.example) || given(media.examples) || given(media.schema?.example) || given(media.schema?.examples);
}

/** One line per gap, `<METHOD> <path>: <what is missing>`; empty when everything is documented. */
export function missingDocumentation(doc: OpenApiDocument): string[] {
  const gaps: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const name = `${method.toUpperCase()} ${path}`;
      if (typeof op.summary !== 'string' || op.summary.trim() === '') gaps.push(`${name}: no summary`);
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {}))
        if (!hasExample(media)) gaps.push(`${name}: request body ${type} has no example`);
      const success = Object.entries(op.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
      const withContent = success.filter(([, r]) => Object.keys(r.content ?? {}).length > 0);
      if (withContent.length === 0) gaps.push(`${name}: no success answer with a schema`);
      for (const [status, response] of withContent)
        for (const [type, media] of Object.entries(response.content ?? {}))
          if (!hasExample(media)) gaps.push(`${name}: ${status} ${type} has no example`);
    }
  }
  return gaps;
}
