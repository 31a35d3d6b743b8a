import { describe, expect, it } from 'vitest';
import { missingDocumentation, openApiPath, type OpenApiDocument } from './openapi-coverage';

const json = (media: object) => ({ content: { 'application/json': media } });
const schema = { type: 'object' };

describe('missingDocumentation', () => {
  it('passes an operation with a summary and examples on its body and success answer', () => {
    const doc: OpenApiDocument = {
      openapi: '3.0.3',
      paths: {
        '/x': {
          post: {
            summary: 'Make an x',
            requestBody: json({ schema, example: { a: 1 } }),
            responses: { '201': json({ schema: { ...schema, examples: [{ id: 'x' }] } }), '400': json({ schema }) },
          },
        },
      },
    };
    expect(missingDocumentation(doc)).toEqual([]);
  });

  it('names each gap: summary, body example, success example, success without a schema', () => {
    const doc: OpenApiDocument = {
      openapi: '3.0.3',
      paths: {
        '/a/{id}': {
          put: { requestBody: json({ schema }), responses: { '200': json({ schema, examples: [] }) } },
          delete: { summary: ' ', responses: { '200': { content: {} }, '404': json({ schema, example: {} }) } },
        },
      },
    };
    expect(missingDocumentation(doc)).toEqual([
      'PUT /a/{id}: no summary',
      'PUT /a/{id}: request body application/json has no example',
      'PUT /a/{id}: 200 application/json has no example',
      'DELETE /a/{id}: no summary',
      'DELETE /a/{id}: no success answer with a schema',
    ]);
  });
});

describe('openApiPath', () => {
  it('turns route parameters into {name} and keeps escaped colons', () => {
    expect(openApiPath('/v1/workspaces/:ws/gates::query')).toBe('/v1/workspaces/{ws}/gates:query');
    expect(openApiPath('/v1/workspaces/:ws/leads/:leadId')).toBe('/v1/workspaces/{ws}/leads/{leadId}');
  });
});
