import type { Logger } from './Logger.js';

/** Field names whose values never reach the log, wherever they appear. */
const SECRET_FIELDS = /^(tap|passcode|password|temporaryAccessPass|cookie|set-cookie|authorization|token|access_token|refresh_token|id_token|code|client_secret|code_verifier)$/i;

function redact(value: unknown, depth = 0): unknown {
  if (depth > 5 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_FIELDS.test(k) ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

/** A logger that writes one JSON object per line to `write` (stdout by default). */
export function createLogger(write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  const emit = (level: string, msg: string, fields?: Record<string, unknown>) => {
    const record = { time: new Date().toISOString(), level, msg, ...(redact(fields ?? {}) as object) };
    write(`${JSON.stringify(record)}\n`);
  };
  return {
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  };
}
