import type { Context } from 'koa';
import { AppError } from '../errors.js';

/** Request bodies are small JSON objects; anything bigger is refused before it is read in full. */
export const MAX_BODY_BYTES = 16 * 1024;

class BodyError extends AppError {}

/** Read and parse a JSON body; 415 for another type, 413 when too large, 400 when not JSON. */
export async function readJsonBody(ctx: Context): Promise<unknown> {
  const type = ctx.get('content-type');
  if (!/^application\/json\s*(;\s*charset=utf-8\s*)?$/i.test(type)) {
    throw new BodyError('The request body must be JSON, with Content-Type: application/json.', 'unsupportedMediaType', 415);
  }
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > MAX_BODY_BYTES) throw new BodyError(`The request body must be at most ${MAX_BODY_BYTES} bytes.`, 'requestEntityTooLarge', 413);
  // Not `for await`: leaving that loop early destroys the request and its socket, so a chunked body that grows
  // too large got a 500 (the error handler found no socket) instead of a 413. The rest is read and discarded,
  // as Node does with any body left unread, and the connection stays usable.
  const text = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    ctx.req.on('data', (chunk: Buffer) => {
      if (size > MAX_BODY_BYTES) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new BodyError(`The request body must be at most ${MAX_BODY_BYTES} bytes.`, 'requestEntityTooLarge', 413));
      else chunks.push(chunk);
    });
    ctx.req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    ctx.req.on('error', reject);
  });
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyError('The request body is not valid JSON.', 'BadRequest', 400);
  }
}
