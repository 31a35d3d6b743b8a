/**
 * Hot read routes (the mismatch page, gate batches) answer with JSON text that PostgreSQL wrote in
 * the contract's exact shape (see @recon/projections' json-text): Fastify passes a string body with
 * a JSON content type through unchanged, so no row is decoded, validated or encoded again in Node.
 * The zod schemas still document the routes (OpenAPI) and the route tests pin the shape.
 */
import type { FastifyReply } from 'fastify';

export function sendJsonText(reply: FastifyReply, text: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(text);
}
