import type { Context } from 'koa';
import { AppError } from '../errors.js';
import { msg } from '../i18n/msg.js';

/** Largest form the pages accept; every field they have fits easily. */
const LIMIT = 16 * 1024;

/** Read an application/x-www-form-urlencoded body into a flat record (first value of each field wins). */
export async function readForm(ctx: Context): Promise<Record<string, string>> {
  if (!ctx.is('application/x-www-form-urlencoded')) {
    throw new AppError('This form must be sent as application/x-www-form-urlencoded.', 'unsupportedMediaType', 415, msg('error.form.mediaType'));
  }
  // Refused before reading when the sender says it is too large; counted as it arrives when it does not say.
  if ((ctx.request.length ?? 0) > LIMIT) throw new AppError('The form is too large.', 'payloadTooLarge', 413, msg('error.form.tooLarge'));
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > LIMIT) throw new AppError('The form is too large.', 'payloadTooLarge', 413, msg('error.form.tooLarge'));
    chunks.push(chunk);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) {
    if (!(k in out)) out[k] = v;
  }
  return out;
}
