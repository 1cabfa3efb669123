import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import type { AppConfig } from './AppConfig.js';
import { parseConfig } from './parseConfig.js';

/** Read and validate the JSON config file. */
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
  return parseConfig(raw);
}
