import type { RateLimits } from '../ratelimit/RateLimits.js';
import type { User } from '../directory/User.js';
import type { IdentifierView } from '../http/views/IdentifierView.js';
import type { ViewLocals } from '../http/views/ViewLocals.js';
import type { MessageRef } from '../i18n/MessageRef.js';

/**
 * What a method's step needs to render: the view and its locals (the flow adds the frame); or, for a method
 * whose step happens elsewhere (an upstream provider), where to send the browser instead.
 */
export type MethodStep = { [K in StepViewName]: StepPage<K> }[StepViewName] | { redirect: string };

/** The views a method's step may show. */
type StepViewName = 'passkey' | 'password' | 'tap' | 'federation-error';

interface StepPage<K extends StepViewName> {
  view: K;
  locals: ViewLocals[K];
  /** HTTP status when the step itself is an error page (the upstream is down); default 200. */
  status?: number;
}

/** A successful verification: who signed in and how. */
export interface MethodSuccess {
  ok: true;
  accountId: string;
  /** RFC 8176 values for the ID token. */
  amr: string[];
  acr: string;
  /** When set, everything obtained with this sign-in ends no later than this (ms since the epoch). */
  capAt?: number;
  /** The TAP the sign-in used, so that deleting it revokes what it granted. */
  tapId?: string;
  /** The passkey the sign-in used (credential id), so that deleting it revokes what it granted. */
  passkeyId?: string;
  /** That passkey's authenticator model (AAGUID) and the name its user gave it, for the sign-ins log. */
  passkey?: { aaguid: string; name: string };
  /** Set by a method that only bootstraps a passkey (a TAP): the flow goes on to passkey registration. */
  enrol?: {
    /** A one-time TAP: registration must finish within the window, and cannot be skipped. */
    once: boolean;
  };
}

/** A refusal, with a message fit to show the person. */
export interface MethodFailure {
  ok: false;
  error: MessageRef;
  /** HTTP status for the re-rendered step; 429 while throttled. */
  status?: number;
  /** The person must wait this long before trying again: sent as `Retry-After`, and counted down on the page. */
  retryAfterSeconds?: number;
  /** Why, for the audit log only (e.g. `WrongPasscode`, `LockedOut`): never shown, never a secret. */
  reason?: string;
  /** This attempt locked the credential: the audit log records the lockout besides the failed sign-in. */
  lockedNow?: boolean;
  /** The credential (TAP id) the attempt was checked against, when there was one. */
  credentialId?: string;
  /**
   * Refused before anything was checked (the server is busy): not an attempt, so not recorded; the page says
   * to try again shortly (`Retry-After: 1`).
   */
  unchecked?: boolean;
}

/** Where the step is shown and which other methods the person may switch to. */
export interface StepContext {
  /** The oidc-provider interaction this step belongs to; challenges are bound to it. */
  interactionId: string;
  /** POST target of this method's form. */
  action: string;
  /** The user the identifier named, undefined when unknown. */
  user: User | undefined;
  /** The identifier the person gave. */
  username: string;
  /** Links to the step of another method, by method name, for those the user can use. */
  alternatives: Record<string, string>;
  /** The flow's "start again" link. */
  backHref: string;
  clientName: string;
}

/**
 * One way to sign in. The flow knows the order of the steps; a method knows nothing of the others.
 * Adding a method is adding a folder under `methods/` and naming it in the flow's order.
 */
export interface AuthMethod {
  /** Stable name, used in URLs: `tap`, `password`, `passkey`, `federation`. */
  readonly name: string;
  /** The authentication context class a sign-in with me reaches: `pwd`, `mfa` or `phr`. */
  readonly acr: string;
  /**
   * I only bootstrap a passkey (a TAP): a relying party demanding `phr` may still send the user through me,
   * because registration follows and the session it gets is the passkey's.
   */
  readonly bootstrapsPasskey: boolean;
  /** I can tell who the user is myself (a discoverable passkey), so my form may come without a username. */
  readonly identifiesUser: boolean;
  /** A per-address rate limit my posts take from besides the flow's own (a method whose check costs CPU). */
  readonly addressLimit?: keyof RateLimits;
  /**
   * Can this user use me now? `user` is undefined for an unknown identifier; `username` is the identifier as
   * given, for a method that is chosen by its form alone (a federated domain, known user or not).
   */
  isAvailable(user: User | undefined, username?: string): Promise<boolean>;
  /**
   * Start reading what `isAvailable` and `verify` read of the user with id `userId` (an unknown name's stand-in
   * too), in the same tick as the user's own record, so that both ride one round trip: the request's scope
   * (RequestScope) keeps the answers for when they are asked. Answers nothing and may fail unheard.
   */
  readAhead?(userId: string): void;
  /** Render my step. */
  render(step: StepContext, error?: MessageRef): Promise<MethodStep>;
  /** Locals I add to the identifier page (e.g. a username-less passkey button), if any. */
  identifierExtras?(interactionId: string, action: string): Promise<Partial<IdentifierView>>;
  /**
   * Verify my submission. `user` is undefined for an unknown or missing identifier; `ip` is the caller's address
   * (`ctx.ip`, which follows TRUST_PROXY), for a method that weighs where attempts come from.
   */
  verify(user: User | undefined, form: Record<string, string>, interactionId: string, ip?: string): Promise<MethodSuccess | MethodFailure>;
}
