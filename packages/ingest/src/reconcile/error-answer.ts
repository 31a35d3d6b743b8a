/**
 * An error answer in the API reference: recon's one error body (`{ error: { code, message, details? } }`,
 * docs/errors.md) with an example naming the code a route answers with.
 */
import { z } from 'zod';

export const errorAnswer = (code: string, message: string) =>
  z
    .object({ error: z.object({ code: z.string(), message: z.string(), details: z.array(z.unknown()).optional() }) })
    .meta({ examples: [{ error: { code, message } }] });
