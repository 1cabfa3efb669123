import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { AppConfig } from './AppConfig.js';
import { parseConfig } from './parseConfig.js';

/** Read and validate the JSON config file; `branding.messagesDir` is resolved against the file's folder. */
export function loadConfigFile(file: string): AppConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError('CONFIG', `cannot read "${file}"`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError('CONFIG', `"${file}" is not valid JSON (${(e as Error).message})`);
  }
  const config = parseConfig(raw);
  // The deployment's messages sit beside its config file, wherever the server is started from.
  if (config.branding?.messagesDir) config.branding.messagesDir = path.resolve(path.dirname(file), config.branding.messagesDir);
  return config;
}
