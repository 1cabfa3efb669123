import { ACR_VALUES } from '../ACR_VALUES.js';

/** An `amr` value as RFC 8176 registers them: short tokens, nothing to render or inject. */
const AMR_VALUE = /^[A-Za-z0-9_.:-]{1,32}$/;
/** More than any real sign-in carries; a bound on what an upstream can put into our tokens. */
const AMR_MAX = 8;

/**
 * What a sign-in through an upstream provider reached, in our terms. `amr` is `fed` followed by the upstream's
 * own values. `acr` is the upstream's when it speaks our vocabulary (`pwd`, `mfa`, `phr`); otherwise `mfa` when
 * its `amr` says `mfa`, else `pwd`: an upstream that tells us nothing is taken to have asked for a password.
 */
export function federatedAuthentication(upstreamAmr: unknown, upstreamAcr: unknown): { amr: string[]; acr: string } {
  const theirs = Array.isArray(upstreamAmr) ? upstreamAmr.filter((v): v is string => typeof v === 'string' && AMR_VALUE.test(v)) : [];
  const amr = [...new Set(['fed', ...theirs])].slice(0, AMR_MAX + 1);
  if (typeof upstreamAcr === 'string' && ACR_VALUES.includes(upstreamAcr)) return { amr, acr: upstreamAcr };
  return { amr, acr: theirs.includes('mfa') ? 'mfa' : 'pwd' };
}
