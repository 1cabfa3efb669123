import type { IncomingMessage } from 'node:http';

/**
 * Read the first `length` bytes of a request body and put them back (`unshift`), so that the next reader (here
 * oidc-provider's own body parser) still reads the whole body from the stream. Returns what it read, which is
 * shorter when the body ends early or the client goes away.
 */
export async function peekBody(req: IncomingMessage, length: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    while (size < length) {
      const chunk = req.read() as Buffer | null;
      if (chunk !== null) {
        chunks.push(chunk);
        size += chunk.length;
        continue;
      }
      if (req.readableEnded || req.destroyed) break;
      await new Promise<void>((resolve) => {
        const events = ['readable', 'end', 'close', 'error'] as const;
        const done = () => {
          for (const e of events) req.off(e, done);
          resolve();
        };
        for (const e of events) req.on(e, done);
      });
    }
  } finally {
    // Synchronously after the last read, before the stream can announce its end: the parser then sees it all.
    if (chunks.length && !req.destroyed) req.unshift(Buffer.concat(chunks));
  }
  return Buffer.concat(chunks);
}
