import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shipped catalogues, `locales/` at the package root; found from this file so it works from `src/` and `dist/`. */
export const LOCALES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../locales');
