import type { GraphDeps } from './GraphDeps.js';

/** What writing users needs, for the admin API and the console alike. */
export type UserWriteDeps = Pick<GraphDeps, 'directory' | 'clock' | 'revoker' | 'taps' | 'passkeys'>;
