import type { Logger } from './Logger.js';

/** Field names whose values never reach the log, wherever they appear. */
const SECRET_FIELDS = /^(tap|passcode|password|temporaryAccessPass|cookie|set-cookie|authorization|token|access_token|refresh_token|id_token|code|client_secret|code_verifier)$/i;

function redact(value: unknown, depth = 0): unknown {
  if (depth > 5 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const k in value) {
    if (!Object.hasOwn(value, k)) continue;
    const v = (value as Record<string, unknown>)[k];
    // Every request logs a line: plain values of harmless names are copied as they are, without a second walk.
    out[k] = SECRET_FIELDS.test(k) ? '[redacted]' : v !== null && typeof v === 'object' ? redact(v, depth + 1) : v;
  }
  return out;
}

/** Log lines not yet written (batchedStdout). */
let pending: string[] = [];
let flushesAtExit = false;

function flushStdout(): void {
  if (pending.length === 0) return;
  const out = pending.join('');
  pending = [];
  process.stdout.write(out);
}

/**
 * Standard output, a turn of the event loop at a time: a write to a file or pipe is synchronous in Node, one
 * system call per line, and every request logs a line. Lines are kept in order and written together before the
 * next I/O (and at exit), so a crash loses at most the lines of the turn it happened in.
 */
function batchedStdout(line: string): void {
  if (!flushesAtExit) {
    flushesAtExit = true;
    process.once('exit', flushStdout);
  }
  if (pending.push(line) === 1) setImmediate(flushStdout);
}

/** A logger that writes one JSON object per line to `write` (stdout by default). */
export function createLogger(write: (line: string) => void = batchedStdout): Logger {
  const emit = (level: string, msg: string, fields?: Record<string, unknown>) => {
    const record = { time: new Date().toISOString(), level, msg, ...(fields ? (redact(fields) as object) : {}) };
    write(`${JSON.stringify(record)}\n`);
  };
  return {
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  };
}
