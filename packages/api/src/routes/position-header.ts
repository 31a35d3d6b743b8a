/** Writes tell the client where the store was after them, for read-your-writes (`?minPosition=`). */
import type { FastifyReply } from 'fastify';

export const POSITION_HEADER = 'x-recon-position';

export function withPosition(reply: FastifyReply, position: string | null): FastifyReply {
  if (position !== null) reply.header(POSITION_HEADER, position);
  return reply;
}
